"""``import arxiv ID...``: metadata from arXiv's API (an Atom feed per query).

https://info.arxiv.org/help/api/user-manual.html: ``/api/query?id_list=ID``
answers an Atom feed with one ``<entry>`` per paper (title, summary, authors,
published date, PDF link, and ``arxiv:doi``/``arxiv:journal_ref`` when known).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from urllib.parse import quote

from ..base.text import clean_text
from ..format.schema import normalize_arxiv
from .remote import Fetcher, FetchError

DEFAULT_API = "https://export.arxiv.org/api/query"
ENV_API = "PELICAN_PAPERS_ARXIV_API"
_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
}


def api_url(option: str | None = None) -> str:
    return option or os.environ.get(ENV_API) or DEFAULT_API


def parse_feed(data: bytes, wanted: str) -> dict:
    """The metadata of ``wanted`` in an API answer; FetchError when absent."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise FetchError(
            f"arXiv answered something that is not Atom ({error})"
        ) from None
    for entry in root.findall("atom:entry", _NS):
        entry_id = entry.findtext("atom:id", "", _NS)
        if "/api/errors" in entry_id:
            message = clean_text(entry.findtext("atom:summary", "", _NS))
            raise FetchError(f"arXiv: {message or 'error'} ({wanted})")
        found = normalize_arxiv(entry_id.strip()) or ""
        if found.split("v")[0] != wanted.split("v")[0] and len(root) > 1:
            continue
        pdf = ""
        for link in entry.findall("atom:link", _NS):
            if link.get("title") == "pdf" or link.get("type") == "application/pdf":
                pdf = link.get("href", "")
        return {
            "title": clean_text(entry.findtext("atom:title", "", _NS)),
            "authors": [
                clean_text(a.findtext("atom:name", "", _NS))
                for a in entry.findall("atom:author", _NS)
            ],
            "date": entry.findtext("atom:published", "", _NS)[:10],
            "abstract": _paragraphs(entry.findtext("atom:summary", "", _NS)),
            "arxiv": wanted,
            "pdf": pdf,
            "doi": clean_text(entry.findtext("arxiv:doi", "", _NS)),
            "journal_ref": clean_text(entry.findtext("arxiv:journal_ref", "", _NS)),
        }
    raise FetchError(f"arXiv knows no paper {wanted}")


def _paragraphs(text: str) -> str:
    """arXiv hard-wraps abstracts; blank lines still separate paragraphs."""
    blocks = [" ".join(b.split()) for b in text.strip().split("\n\n")]
    return "\n\n".join(b for b in blocks if b)


def fetch(identifier: str, fetcher: Fetcher, api: str | None = None) -> dict:
    arxiv_id = normalize_arxiv(identifier)
    if arxiv_id is None:
        raise FetchError(
            f"'{identifier}' is not an arXiv identifier (write e.g. 2210.05938)"
        )
    url = f"{api_url(api)}?id_list={quote(arxiv_id)}&max_results=1"
    return parse_feed(fetcher.get(url, f"arxiv:{arxiv_id}"), arxiv_id)
