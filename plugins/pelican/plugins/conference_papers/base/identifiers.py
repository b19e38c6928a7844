"""The one rule for paper identifiers (arXiv, DOI, ORCID): a leaf, nothing of ours.

The content format (``Arxiv:``, ``Doi:``, ``Orcid:``), the importers and
``sync`` all read the same identifiers from different sources (a file, a link,
an OpenAlex record), and a preprint and its published version are found to be
one paper by them: every reader must agree on what an identifier is, so the
rule lives here once. ``*_key`` functions give the form two identifiers are
compared in (DOIs are case-insensitive, an arXiv version is the same paper).
"""

from __future__ import annotations

import re

ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_VERSION = re.compile(r"v\d+$")
#: arXiv's own DOIs (since 2022): 10.48550/arXiv.2210.05938.
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$", re.IGNORECASE)
_ORCID = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
_ORCID_URL = re.compile(r"^https?://(?:www\.)?orcid\.org/(.+)$", re.IGNORECASE)


def normalize_arxiv(value: str) -> str | None:
    """An arXiv identifier from an id, ``arXiv:id`` or an abs/pdf URL."""
    value = value.strip()
    match = _ARXIV_URL.match(value)
    if match:
        value = match.group(1)
    value = re.sub(r"^arxiv:", "", value, flags=re.IGNORECASE)
    return value if ARXIV_ID.match(value) else None


def normalize_doi(value: str) -> str | None:
    """A DOI (``10.x/y``) from a DOI, ``doi:`` form or doi.org URL; case kept."""
    value = value.strip()
    match = _DOI_URL.match(value)
    if match:
        value = match.group(1)
    value = re.sub(r"^doi:\s*", "", value, flags=re.IGNORECASE)
    return value if DOI.match(value) else None


def arxiv_of_doi(doi: str) -> str | None:
    """The arXiv id inside one of arXiv's own DOIs, else None."""
    match = _ARXIV_DOI.match(doi.strip())
    return normalize_arxiv(match.group(1)) if match else None


def arxiv_key(value: str) -> str | None:
    """The arXiv id without its version: v1 and v3 are one paper."""
    found = normalize_arxiv(value)
    return _ARXIV_VERSION.sub("", found) if found else None


def doi_key(value: str) -> str | None:
    """The DOI in lower case: DOIs are case-insensitive (DOI Handbook 2.4)."""
    found = normalize_doi(value)
    return found.lower() if found else None


def normalize_orcid(value: str) -> str | None:
    """``0000-0002-8437-7993`` from an ORCID iD or its URL, when its checksum holds."""
    value = value.strip()
    match = _ORCID_URL.match(value)
    if match:
        value = match.group(1).strip("/")
    match = _ORCID.match(value.upper())
    if not match:
        return None
    digits = "".join(match.groups())
    total = 0
    for char in digits[:-1]:  # ISO 7064 11,2, as orcid.org documents it
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    if digits[-1] != ("X" if check == 10 else str(check)):
        return None
    return "-".join(match.groups())
