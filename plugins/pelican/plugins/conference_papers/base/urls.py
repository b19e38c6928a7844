"""The one rule for addresses that reach a page: a leaf, above ``text`` only.

Every URL a page, card, feed or citation links to passes :func:`url_problem`:
an allowlist of schemes, no spaces, no backslashes (browsers read ``\\\\host`` as
``//host``), and all of it again once character references are decoded.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from .text import CONTROL_CHARS

#: Schemes a link may use; relative URLs (no scheme) are always allowed.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

# "www.example.org/paper.pdf", "neurips.cc", "github.com/x", "user@host.org":
# a host name (labels, a dot, a top-level domain of letters) where a path would
# start. A browser reads it as a file beside the page: a dead link.
_BARE_HOST = re.compile(
    r"^(?:[^/@?#:]+@)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}(?::\d+)?"
    r"(?:[/?#]|$)",
    re.IGNORECASE,
)


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be used in a page, or None when it is fine.

    The rule holds for ``url`` as written and as a browser reads it in an
    attribute, character references decoded (``java&Tab;script:``,
    ``javascript&colon;``, ``&#x2F;&#x2F;evil.example``): any reference, named
    or numeric, not a list of the ones seen so far.
    """
    reason = _problem(url)
    if reason is None and "&" in url:
        decoded = html.unescape(url)
        if decoded != url:
            reason = _problem(decoded)
            if reason:
                reason += " (once its character references are decoded)"
    return reason


def _problem(url: str) -> str | None:
    if not url:
        return "it is empty"
    if CONTROL_CHARS.search(url) or any(c.isspace() for c in url):
        return "it holds spaces or control characters"
    if "\\" in url:
        # Browsers read "\\evil.example" as "//evil.example".
        return "it holds a backslash"
    if url.startswith("//"):
        return "it has no scheme"
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and other broken hosts
        return "it is not a valid web address"
    scheme = parts.scheme.lower()
    if scheme and scheme not in LINK_SCHEMES:
        return f"the scheme {scheme}: is not allowed (only http, https, mailto)"
    if scheme in ("http", "https") and not parts.netloc:
        return "it has no host name"
    return None


def bare_host(url: str) -> bool:
    """``url`` starts with a host name but has no scheme (``neurips.cc/2022``)."""
    return not urlsplit(url).scheme and bool(_BARE_HOST.match(url))


def field_url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url``, the value of a field that names an address (``Pdf:``,
    ``Code:``, ``Url:``, ``Website:``, ``Links:``), cannot be used, and what to
    write instead; None when it is fine.

    Such a value is an address on the web, never a path: a relative one becomes
    a dead link beside the page, a wrong ``citation_pdf_url`` and BibTeX url.
    """
    reason = url_problem(url)
    if reason:
        return reason, "write a full https:// address"
    if not urlsplit(url).scheme:
        if "@" in url.split("/")[0] and bare_host(url.split("@", 1)[1]):
            return "it has no scheme", f"write mailto:{url}"
        if bare_host(url):
            return "it has no scheme", f"write https://{url}"
        return "it has no scheme", "write a full https:// address"
    return None
