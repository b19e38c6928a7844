"""The one rule for addresses that reach a page: a leaf, above ``text`` only.

Every URL a page, card, feed or citation links to passes :func:`url_problem`:
an allowlist of schemes, no spaces, no backslashes (browsers read ``\\\\host`` as
``//host``), no character references that a browser would decode into a scheme.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .text import CONTROL_CHARS

#: Schemes a link may use; relative URLs (no scheme) are always allowed.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be used in a page, or None when it is fine."""
    if not url:
        return "it is empty"
    if CONTROL_CHARS.search(url) or any(c.isspace() for c in url):
        return "it holds spaces or control characters"
    if "\\" in url:
        # Browsers read "\\evil.example" as "//evil.example".
        return "it holds a backslash"
    if url.startswith("//"):
        return "it has no scheme"
    if "&#" in url or "&colon" in url.lower():
        return "it holds HTML character references"
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
