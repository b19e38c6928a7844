"""Rules for plain text that every layer shares: a leaf, it imports nothing of ours.

Control characters arrive with text pasted from a PDF (a form feed) or with an
attacker's file; XML 1.0 forbids most of them, so no page or feed may hold one.

HTML tags arrive in every source's text: OpenAlex titles (``H<sub>2</sub>O``),
al-folio venues (``<b>CVPR</b>``), lab-website-template names. Three readers used
to drop them three ways (before or after decoding entities, a tag as a space or
as nothing); :func:`strip_html` is the one way.
"""

from __future__ import annotations

import html
import re

#: Characters no page or feed may hold. Tab, newline and carriage return are kept.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Drop control characters (a form feed pasted from a PDF) and fold spaces."""
    return " ".join(CONTROL_CHARS.sub(" ", value).split())


# A tag starts with a letter, "/" or "!--" ("a < b" is no tag). Linear: "[^<>]"
# stops each attempt at the next "<", and the lookahead keeps the name and the
# rest from trading characters ("<" followed by 40,000 letters is one pass).
_TAG = re.compile(r"<(?:/?([A-Za-z][\w-]*)(?![\w-])|!--)[^<>]*>")
#: Tags that separate words; the others (``<sub>``, ``<b>``) sit inside one.
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)


def drop_tags(value: str) -> str:
    """``value`` without HTML tags: a block tag or ``<br>`` becomes a space,
    an inline one nothing ("H<sub>2</sub>O" is "H2O"). Entities stay as written."""
    return _TAG.sub(
        lambda m: " " if (m.group(1) or "").lower() in _BLOCK_TAGS else "", value
    )


def strip_html(value) -> str:
    """Plain text of a source's string: entities decoded first (so
    ``&lt;script&gt;`` cannot come back as a tag), then tags and controls dropped."""
    return clean_text(drop_tags(html.unescape(str(value or ""))))


def cut_at_word(value: str, limit: int, end: str = "…") -> str:
    """``value`` cut to at most ``limit`` characters (``end`` included) at the
    last space before the limit, or ``value`` itself when it is short enough.

    Previews (cards, feed summaries) are bounded so that a 5 MB abstract is not
    copied into every page that shows the paper; linear in ``limit``, not in the
    length of ``value``.
    """
    if len(value) <= limit:
        return value
    head = value[: max(limit - len(end), 0) + 1]
    space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    head = head[:space] if space >= 0 else head[:-1]  # one long word: cut in it
    return head.rstrip() + end
