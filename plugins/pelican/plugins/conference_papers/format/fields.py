"""The one table of content keys: every key a conference, paper or member file
may write, in the order a written file lists them.

The content format used to be written down four times (the schema's key sets,
the importers' writer, the scaffold of ``pelican-papers new`` and the README's
tables) and they drifted: ``Citekey:`` and ``Openalex:`` were read by the
citations and by ``sync`` but known to none of them. Now the parsers take the
known keys, the required keys and their "missing" messages from here; the
writer writes the keys in this order under these names; ``new`` writes the
keys marked ``scaffold``; and ``docs/content-format.md`` is generated from this
table (:func:`markdown`; ``.venv/bin/python -m tests.content_format`` writes it,
tests/unit/test_content_format.py checks it). A new key is one line here, then its
parser in :mod:`.schema` (or :mod:`.members`).

The module imports nothing of ours but the kinds (a leaf), so every layer
above may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base.kinds import IN_CONFERENCE, TYPES

#: What a file of each kind is, and where it lives (the doc's headings).
FILES = {
    "conference": "content/conferences/<conference-slug>.md",
    "paper": "content/papers/<folder>/<paper-slug>.md",
    "member": "content/members/<member-slug>.md",
}


@dataclass(frozen=True)
class Key:
    """One key of one kind of file."""

    name: str  # as written in a file: ``Title``
    doc: str  # one line for the reference
    example: str  # a value that parses
    parser: str  # what reads the value (the doc's "value" column)
    required: bool = False
    #: the paper kinds (``Type:``) the key applies to; empty: every kind
    kinds: frozenset[str] = frozenset()
    #: written by ``pelican-papers new`` (empty, or from its options)
    scaffold: bool = False
    #: (message, hint) when a required key is missing; ``{example}`` is filled in
    missing: tuple[str, str] = ("", "")

    @property
    def id(self) -> str:
        """The key as the reader hands it over: lower case."""
        return self.name.lower()


_JOURNAL = frozenset({"journal"})
_PUBLISHED = frozenset({"journal", "book", "chapter", "thesis", "report"})

CONFERENCE = (
    Key("Title", "the short name on cards and headings", "NeurIPS 22", "text",
        required=True, scaffold=True,
        missing=("the Title is missing", "add a line with the short name, such as "
                 "'Title: {example}'")),
    Key("Name", "the full name, shown under the title",
        "Conference on Neural Information Processing Systems 2022", "text",
        scaffold=True),
    Key("Date", "the first day; may be partial (`2022`, `2022-11`)", "2022-11-28",
        "partial date", required=True, scaffold=True,
        missing=("the Date is missing", "add a line such as 'Date: 2022-11-28'")),
    Key("End", "the last day, not before `Date`", "2022-12-09", "date",
        scaffold=True),
    Key("Location", "where it takes place", "New Orleans, USA", "text",
        scaffold=True),
    Key("Url", "the conference's site", "https://neurips.cc/Conferences/2022", "url",
        scaffold=True),
    Key("Icon", "a Font Awesome name, inlined as SVG", "fas fa-microscope", "icon",
        scaffold=True),
    Key("Tracks", "the sections of the page, in order", "Full Paper; Workshop Paper",
        "list", scaffold=True),
    Key("Hashtag", "the hashtag of the social timeline, without `#`", "NeurIPS2022",
        "hashtag", scaffold=True),
    Key("Timeline", "a provider and an account for the social timeline",
        "mastodon @KeuperLabs@sigmoid.social", "account", scaffold=True),
    Key("Slug", "overrides the file name in URLs and papers' folders",
        "neurips-2022", "slug"),
    Key("Status", "`draft` leaves the conference (and its papers) out", "draft",
        "status"),
)  # fmt: skip

PAPER = (
    Key("Title", "the paper's title", "Robust Models are less Over-Confident", "text",
        required=True, scaffold=True,
        # Not the example: a hint to copy another paper's title would mislead.
        missing=("the Title is missing", "add a line 'Title: ' with the paper's "
                 "title")),
    Key("Authors", "separated by `,`, or by `;` when written `Family, Given`",
        "Julia Grabinski, Margret Keuper", "people", required=True, scaffold=True,
        missing=("the Authors are missing", "add a line with its authors, such "
                 "as 'Authors: {example}'")),
    Key("Conference", "the conference's slug; optional when the folder names it",
        "neurips-2022", "text", kinds=IN_CONFERENCE),
    Key("Track", "the section of the conference page (default: its first track)",
        "Full Paper", "text", kinds=IN_CONFERENCE, scaffold=True),
    Key("Workshop", "the workshop's name, shown on the card", "MedNeurIPS", "text",
        kinds=IN_CONFERENCE, scaffold=True),
    Key("Order", "papers with one come first in their track, smallest first; the "
        "others follow newest first, then by title", "1", "whole number",
        kinds=IN_CONFERENCE),
    Key("Date", "when it came out (orders the feed); may be partial; default: the "
        "conference's; needed outside a conference's folder", "2022-10-11",
        "partial date", scaffold=True),
    Key("Modified", "when it last changed (the feed's `updated`)", "2022-12-01",
        "date"),
    Key("Image", "a PNG, JPEG, GIF, WebP or AVIF file under `content/`; never an "
        "address on another host",
        "images/neurips22/robust-models.png", "image", scaffold=True),
    Key("Pdf", "the PDF's address with its scheme (`https://…`, `mailto:…`): "
        "`www.example.org/paper.pdf` is an error, as in every address",
        "https://arxiv.org/pdf/2210.05938.pdf", "url", scaffold=True),
    Key("Code", "the code's address, with its scheme",
        "https://github.com/GeJulia/robustness_confidences", "url", scaffold=True),
    Key("Arxiv", "an arXiv identifier or its URL", "2210.05938", "arxiv",
        scaffold=True),
    Key("Doi", "a DOI or its URL", "10.48550/arXiv.2210.05938", "doi",
        scaffold=True),
    Key("Links", "more buttons: `Label <https://…> icon`, separated by `;`",
        "Poster <https://example.org/poster.pdf> fa-solid fa-image", "links",
        scaffold=True),
    Key("Tags", "keywords, separated by `,`", "robustness, calibration", "list",
        scaffold=True),
    Key("Venue", "where it appeared as the source names it (a chapter's book)",
        "Computer Vision: ECCV 2022 Workshops", "text"),
    Key("Journal", "the journal of an article", "International Journal of "
        "Computer Vision", "text", kinds=_JOURNAL),
    Key("Volume", "the journal's volume", "132", "text", kinds=_JOURNAL),
    Key("Issue", "the journal's issue", "4", "text", kinds=_JOURNAL),
    Key("Pages", "a page range or an article number (`e1234`)", "1234-1256",
        "pages"),
    Key("Publisher", "the publisher; a thesis's school, a report's institution",
        "Springer", "text", kinds=_PUBLISHED),
    Key("Preprint", "the preprint's server, with `Arxiv:` or `Doi:`", "arXiv", "text",
        kinds=frozenset({"preprint"})),
    Key("Type", f"one of {', '.join(TYPES)}; when absent, `Journal` makes a journal "
        "article, else a conference's folder a conference or workshop paper, else "
        "`Preprint` a preprint", "thesis", "type"),
    Key("Presentation", "a badge on the card, the paper page and the feeds: Oral, "
        "Spotlight, Poster, Invited talk …", "Oral",
        "text"),
    Key("Award", "badges like `Presentation`; several separated by `;`",
        "Best Paper Award", "list (;)"),
    Key("Featured", "`yes`: among the selected papers of the home page", "yes",
        "yes/no"),
    Key("Citekey", "pins the BibTeX key of the paper", "grabinski2022robust",
        "text (kept as written)"),
    Key("Openalex", "the OpenAlex work ids `sync` matched to the file",
        "W4300000101", "text (kept as written)"),
    Key("Citations", "a snapshot of the citation count, its source and date "
        "(`sync` writes it, never lower)", "12 (OpenAlex, 2026-12-01)", "citations"),
    Key("Id", "pins the feed entry's id when the file is renamed",
        "tag:example.org,2022:robust-models", "text"),
    Key("Slug", "overrides the file name in URLs", "robust-models", "slug"),
    Key("Status", "`draft` leaves the paper out", "draft", "status",
        scaffold=True),
)  # fmt: skip

MEMBER = (
    Key("Name", "the name shown, and matched in papers' `Authors`",
        "Margret Keuper", "text", required=True,
        missing=("a member file needs a Name", "write 'Name: {example}' as the "
                 "first line")),
    Key("Aliases", "other spellings in author lists, separated by `;`",
        "M. Keuper; Keuper, M.", "list"),
    Key("Role", "groups the people page", "Professor", "text"),
    Key("Photo", "an image file under `content/`",
        "images/members/margret-keuper.jpg", "image"),
    Key("Orcid", "an ORCID iD (`sync` asks OpenAlex for its works)",
        "0000-0002-8437-7993", "orcid"),
    Key("Openalex", "an OpenAlex author id (the same, by id)", "A5012345678",
        "openalex"),
    Key("Website", "the member's own page", "https://example.org/~keuper", "url"),
    Key("Since", "the year the member came", "2015", "year"),
    Key("Until", "the year the member left: a former member", "2023", "year"),
    Key("Slug", "overrides the file name in URLs", "margret-keuper", "slug"),
    Key("Status", "accepted and ignored: a member file is always published",
        "published", "text"),
)  # fmt: skip

TABLE = {"conference": CONFERENCE, "paper": PAPER, "member": MEMBER}


def names(kind: str) -> frozenset[str]:
    """The keys (lower case) a file of ``kind`` may write."""
    return frozenset(key.id for key in TABLE[kind])


def key(kind: str, name: str) -> Key:
    """The entry of ``name`` (any case) in ``kind``'s table."""
    wanted = name.lower()
    return next(entry for entry in TABLE[kind] if entry.id == wanted)


def missing(kind: str, name: str) -> tuple[str, str]:
    """(message, hint) of a required key that a file does not write."""
    entry = key(kind, name)
    message, hint = entry.missing
    return message, hint.format(example=entry.example)


CONFERENCE_KEYS = names("conference")
PAPER_KEYS = names("paper")
MEMBER_KEYS = names("member")


#: How to rewrite docs/content-format.md after a change to the table.
REGENERATE = "Regenerate with: .venv/bin/python -m tests.content_format"


def _applies(entry: Key) -> str:
    if not entry.kinds:
        return "every"
    return ", ".join(kind for kind in TYPES if kind in entry.kinds)


def markdown() -> str:
    """docs/content-format.md: the reference of every key, from the table."""
    out = [
        "# The content format: every key",
        "",
        f"<!-- Generated from format/fields.py; do not edit. {REGENERATE} -->",
        "",
        "Each file starts with `Key: value` lines, then a blank line, then the body"
        " in Markdown. Lists split on `,`, or on `;` where a `;` is present. Keys are"
        " listed in the order `pelican-papers import` and `pelican-papers new` write"
        " them; a file may write them in any order. Any other key is kept and reaches"
        " the templates (escaped), except names Pelican or the plugin uses itself"
        " (an error); a key spelled close to a known one is a warning naming it."
        " `kinds` is the paper kinds (`Type`) a key is for.",
    ]
    for kind, keys in TABLE.items():
        out += ["", f"## {kind.title()}: `{FILES[kind]}`", ""]
        applies = kind == "paper"
        head = "| key | required | value | meaning | example |"
        rule = "|---|---|---|---|---|"
        if applies:
            head, rule = head + " kinds |", rule + "---|"
        out += [head, rule]
        for entry in keys:
            row = (
                f"| `{entry.name}` | {'yes' if entry.required else ''} "
                f"| {entry.parser} | {entry.doc} | `{entry.example}` |"
            )
            out.append(row + (f" {_applies(entry)} |" if applies else ""))
    return "\n".join(out) + "\n"
