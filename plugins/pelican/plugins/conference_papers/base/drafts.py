"""What ``pelican-papers new`` writes to be replaced, and how ``check`` notices it
was not: a leaf, importing nothing of ours.

``new`` writes a file that is complete enough to pass ``check`` but says
"First Author, Second Author" and "The abstract, in Markdown". It is a draft
(``Status: draft``) so that the placeholder never reaches the site by itself;
the text lives here once, so that the scaffold writes exactly what ``check``
looks for. Two things are worth a warning: placeholder text in a published
file (someone deleted the Status line and forgot the rest), and a draft that
nobody has touched for a long time (a paper that was forgotten).
"""

from __future__ import annotations

#: The placeholder authors of a new paper.
AUTHORS = "First Author, Second Author"
#: The placeholder abstract of a new paper (a sentence no real abstract has).
ABSTRACT = "The abstract, in Markdown; $math$ is rendered."
#: The placeholder introduction of a new conference.
INTRO = "An introduction to the conference page, in Markdown (optional)."
#: The comment above the placeholder body: what to fill in, how to publish.
NOTE = (
    "<!-- pelican-papers new: fill in the fields above and replace the text "
    "below, then delete the 'Status: draft' line to publish. -->"
)
#: Words of the placeholders that survive Markdown rendering into HTML.
_MARKERS = {
    "authors": (AUTHORS,),
    "body": ("The abstract, in Markdown", "An introduction to the conference page"),
}
SECONDS_A_DAY = 86_400


def placeholders(authors: str, body_html: str) -> list[tuple[str, str]]:
    """``(key, text)`` of each placeholder left in a file (key "" for the body)."""
    found = [("authors", text) for text in _MARKERS["authors"] if text in authors]
    found += [("", text) for text in _MARKERS["body"] if text in body_html]
    return found


def draft_age(modified: float, now: float) -> int:
    """Whole days since a file was last changed."""
    return max(0, int((now - modified) // SECONDS_A_DAY))
