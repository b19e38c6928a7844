"""``import doi DOI...``: metadata from Crossref's REST API (JSON).

https://api.crossref.org/swagger-ui/index.html: ``/works/{doi}`` answers
``{"status": "ok", "message": {title, author, container-title, issued, …}}``.
arXiv's own DOIs (10.48550/arXiv.…) are registered with DataCite, not Crossref,
so they are asked from arXiv instead.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

from bs4 import BeautifulSoup

from ..base.text import clean_text
from ..format.schema import normalize_doi
from . import arxiv
from .remote import Fetcher, FetchError

DEFAULT_API = "https://api.crossref.org/works"
ENV_API = "PELICAN_PAPERS_CROSSREF_API"


def api_url(option: str | None = None) -> str:
    return option or os.environ.get(ENV_API) or DEFAULT_API


def _date(message: dict, pad: bool = True) -> str:
    """The first date Crossref gives; ``pad=False`` keeps it as precise as given
    (``2019-05``), which is what sync writes (a page shows no day it lacks)."""
    for key in (
        "published-print",
        "published-online",
        "published",
        "issued",
        "created",
    ):
        parts = (message.get(key) or {}).get("date-parts") or [[]]
        parts = [p for p in (parts[0] or []) if isinstance(p, int)]
        if parts and parts[0]:
            if not pad:
                return "-".join(f"{p:02d}" for p in parts[:3]).zfill(4)
            year, month, day = ([*parts, 1, 1])[:3]
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


#: JATS elements that end a run of text; every other tag (italic, sup, a
#: link) is inline and its text joins its neighbours' as written.
_JATS_BLOCK = re.compile(r"^(jats:)?(title|p|sec|list-item|label|break)$")


def _abstract(jats: str) -> str:
    """Crossref abstracts are JATS XML: keep the paragraphs' text. Inline tags
    add no space: ``We <jats:italic>answer</jats:italic>.`` is "We answer."."""
    if not jats:
        return ""
    soup = BeautifulSoup(jats, "html.parser")
    for tag in soup.find_all(_JATS_BLOCK):
        tag.insert_before(" ")
        tag.insert_after(" ")
    paragraphs = soup.find_all(re.compile(r"(jats:)?p$"))
    texts = [p.get_text() for p in paragraphs] or [soup.get_text()]
    texts = [" ".join(t.split()) for t in texts]
    texts = [t for t in texts if t and t.lower() != "abstract"]
    return "\n\n".join(texts)


def parse_work(data: bytes, wanted: str) -> dict:
    try:
        answer = json.loads(data)
        message = answer["message"]
        if not isinstance(message, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise FetchError(
            f"Crossref answered something unexpected for {wanted}"
        ) from None
    authors = []
    for person in message.get("author") or []:
        if not isinstance(person, dict):
            continue
        name = person.get("name") or " ".join(
            p for p in (person.get("given"), person.get("family")) if p
        )
        if clean_text(name):
            authors.append(clean_text(name))
    first = lambda key: clean_text(((message.get(key) or [""]) or [""])[0] or "")  # noqa: E731
    event = message.get("event") if isinstance(message.get("event"), dict) else {}
    pdf = ""
    for link in message.get("link") or []:
        if isinstance(link, dict) and link.get("content-type") == "application/pdf":
            pdf = link.get("URL", "")
            break
    return {
        "title": first("title"),
        "authors": authors,
        "date": _date(message),
        "abstract": _abstract(message.get("abstract") or ""),
        "doi": normalize_doi(message.get("DOI") or wanted) or wanted,
        "pdf": pdf,
        "venue": first("container-title") or clean_text(event.get("name") or ""),
        "venue_short": first("short-container-title")
        or clean_text(event.get("acronym") or ""),
        "type": message.get("type") or "",
        "url": message.get("URL") or "",
        # For sync: the date as given, and where in a journal the work is.
        "date_as_given": _date(message, pad=False),
        "volume": clean_text(str(message.get("volume") or "")),
        "issue": clean_text(str(message.get("issue") or "")),
        "pages": clean_text(str(message.get("page") or "")),
        "publisher": clean_text(str(message.get("publisher") or "")),
    }


def fetch(
    identifier: str,
    fetcher: Fetcher,
    api: str | None = None,
    arxiv_api: str | None = None,
) -> dict:
    doi = normalize_doi(identifier)
    if doi is None:
        raise FetchError(
            f"'{identifier}' is not a DOI (write e.g. 10.1109/CVPR.2020.1)"
        )
    match = re.match(r"^10\.48550/arxiv\.(.+)$", doi, re.IGNORECASE)
    if match:
        record = arxiv.fetch(match.group(1), fetcher, arxiv_api)
        record["doi"] = doi
        return record
    url = f"{api_url(api)}/{quote(doi, safe='')}"
    try:
        data = fetcher.get(url, f"crossref:{doi.lower()}")
    except FetchError as error:
        if error.status == 404:
            raise FetchError(f"Crossref knows no DOI {doi}", 404) from None
        raise
    return parse_work(data, doi)
