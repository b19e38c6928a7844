"""Allowlists for HTML and URLs: what comes from a file or the network may show,
never run.

``nh3`` (the Rust ``ammonia`` sanitizer) keeps a fixed set of tags and
attributes, drops everything else with its content where that content is code
(``script``, ``style``), and checks every URL attribute against the schemes below.

On top of ammonia's own scheme check every URL attribute passes
``urls.url_problem`` (the one rule of the site), on the value as a browser reads
it (character references decoded). :func:`clean_html` is also the LAST step
of a body: Pelican replaces ``{static}``/``{filename}``… placeholders when a page
is written, after the first pass, and ``{static}javascript:…`` came out of that
replacement as a working ``javascript:`` link. ``model`` passes every body
through :func:`clean_html` again after the replacement, so what a page, a card
or a feed shows is what this module let through.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from markupsafe import Markup

from .text import CONTROL_CHARS, cut_at_word
from .urls import LINK_SCHEMES, url_problem

# Text-level and block tags an abstract or a post may use, plus MathML from the
# build-time math rendering (``mathml.py``).
TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i",
    "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "u", "ul", "dl", "dt", "dd", "hr",
}  # fmt: skip
MATH_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext",
    "mspace", "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover",
    "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded",
    "mphantom", "menclose", "merror",
}  # fmt: skip
ATTRIBUTES = {
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


#: Attributes whose value is a URL (or, ``srcset``, a list of them): HTML's,
#: whether or not the allowlist above has them today.
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "poster", "cite", "action", "formaction", "data",
    "background", "longdesc", "usemap", "xlink:href", "ping", "manifest",
})  # fmt: skip


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` ("a.webp 480w, b.webp 960w")."""
    return [item.split()[0] for item in value.split(",") if item.split()]


def attribute_url_problem(attribute: str, value: str) -> str | None:
    """Why the URL attribute ``attribute="value"`` (decoded) may not be written."""
    urls = srcset_urls(value) if attribute == "srcset" else [value.strip()]
    for url in urls or [""]:
        reason = url_problem(url)
        if reason:
            return reason
    return None


def clean_html(value: str, refused: list | None = None) -> Markup:
    """Sanitized HTML that is safe to put in a page as it is.

    A URL attribute that fails ``url_problem`` is dropped (the link text stays);
    ``(attribute, url, reason)`` is appended to ``refused`` when given, so the
    caller can report it.
    """
    clean, refusals = _clean(value)
    if refused is not None:
        refused += refusals
    return clean


#: What ``_check`` refused during the one ``_cleaner.clean`` call running
#: (the build sanitizes in one thread; the pool of readers are processes).
_refused: list[tuple[str, str, str]] = []


def _check(tag: str, attribute: str, url: str) -> str | None:
    if attribute not in URL_ATTRIBUTES:
        return url
    reason = attribute_url_problem(attribute, url)
    if reason is None:
        return url
    _refused.append((attribute, url, reason))
    return None


# Built once: passing the allowlists to ``nh3.clean`` on every call made each
# call four times slower than the sanitizing itself.
_cleaner = nh3.Cleaner(
    tags=TEXT_TAGS | MATH_TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_check,
    url_schemes=set(LINK_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


# The same body is sanitized when its links are checked and when its paper is
# built, a moment apart: kept for the most recent bodies (the sanitizer is a
# pure function of its input).
@functools.lru_cache(maxsize=256)
def _clean(value: str) -> tuple[Markup, tuple]:
    _refused.clear()
    try:
        clean = _cleaner.clean(CONTROL_CHARS.sub(" ", value))
        return Markup(clean), tuple(_refused)
    finally:
        _refused.clear()


def plain_text(value: str) -> str:
    """The text of an HTML fragment, tags dropped and white space folded."""
    return " ".join(html.unescape(nh3.clean(value, tags=set())).split())


def replaced_url_problem(markup: str, value: str) -> str | None:
    """Why the attribute value ``value`` (as serialized) at the end of ``markup``
    (``<a class="x" href=``: what Pelican's regex of placeholder links matched
    before it) may not be written."""
    attribute = markup.rstrip(" =\t\n").rsplit(None, 1)[-1].lower()
    return attribute_url_problem(attribute, html.unescape(value))


def placeholder_problems(value: str, links) -> list[tuple[str, str, str]]:
    """``(placeholder, address, why)`` for each placeholder link of sanitized
    HTML ``value`` (``links``: Pelican's regex of them) whose address fails the
    URL rule.

    Pelican keeps the scheme, host, query and fragment of what follows the
    placeholder, and all of it when it finds no target: ``{static}javascript:x``
    became ``javascript:…``. So that address itself must pass ``url_problem``
    (as a browser reads it), and the build refuses it before writing anything.
    """
    problems = []
    for match in links.finditer(value):
        address = html.unescape(match.group("value"))
        if not address:
            continue  # "{index}": the site's home page
        reason = replaced_url_problem(match.group("markup"), match.group("value"))
        if reason:
            placeholder = match.group("path")[: -len(match.group("value")) or None]
            problems.append((placeholder, address, reason))
    return problems


# A tag, a character reference or a run of text of serialized (sanitized) HTML.
_TOKEN = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*>|&[#a-zA-Z0-9]+;|[^<&]+|[<&]")
_VOID = frozenset({"br", "hr", "img", "mspace", "wbr"})


def preview_html(value: str, limit: int) -> tuple[Markup, bool]:
    """The start of sanitized HTML ``value`` holding at most ``limit``
    characters of text, cut at a word, open tags closed, no character
    reference split; and whether anything was cut.

    One pass over the tokens up to the cut (linear time): a 5 MB abstract costs
    what its first ``limit`` characters cost.
    """
    out: list[str] = []
    open_tags: list[str] = []
    left = limit
    for match in _TOKEN.finditer(value):
        token, closing, name = match.group(0), match.group(1), match.group(2)
        if name:
            name = name.lower()
            if closing:
                if name in open_tags:  # sanitized HTML is nested properly
                    del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
            elif name not in _VOID and not token.endswith("/>"):
                open_tags.append(name)
            out.append(token)
            continue
        # Text: a character reference counts as the one character it shows.
        length = 1 if token.startswith("&") and len(token) > 1 else len(token)
        if length <= left:
            out.append(token)
            left -= length
            continue
        # This text crosses the limit: cut it at a word (a run of text holds no
        # reference, so none is split), close what is open, stop.
        out.append("…" if token.startswith("&") else cut_at_word(token, max(left, 1)))
        out += [f"</{tag}>" for tag in reversed(open_tags)]
        return Markup("".join(out)), True
    return Markup(value), False
