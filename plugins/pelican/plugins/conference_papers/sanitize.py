"""Allowlists for HTML and URLs: what comes from a file or the network may show,
never run.

``nh3`` (the Rust ``ammonia`` sanitizer) keeps a fixed set of tags and
attributes, drops everything else with its content where that content is code
(``script``, ``style``), and checks every URL attribute against the schemes below.
"""

from __future__ import annotations

import html

import nh3
from markupsafe import Markup

from .text import CONTROL_CHARS
from .urls import LINK_SCHEMES

# Text-level and block tags an abstract or a post may use, plus MathML from the
# build-time math rendering (``mathml.py``).
_TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i",
    "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "u", "ul", "dl", "dt", "dd", "hr",
}  # fmt: skip
_MATH_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
    "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover",
    "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
    "mphantom", "menclose", "merror",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "mspace": {"width"},
    "mfrac": {"linethickness"},
    "mtd": {"columnalign"},
    "mtable": {"columnalign", "rowspacing", "columnspacing"},
    "mi": {"mathvariant"},
    "mpadded": {"width", "lspace"},
    "menclose": {"notation"},
}


def clean_html(value: str) -> Markup:
    """Sanitized HTML that is safe to put in a page as it is."""
    return Markup(
        nh3.clean(
            CONTROL_CHARS.sub(" ", value),
            tags=_TEXT_TAGS | _MATH_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes=set(LINK_SCHEMES),
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )


def plain_text(value: str) -> str:
    """The text of an HTML fragment, tags dropped and white space folded."""
    return " ".join(html.unescape(nh3.clean(value, tags=set())).split())
