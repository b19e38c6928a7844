"""CSL-JSON: the items Zotero, Pandoc and citeproc read (``.csl.json`` files).

The item type is the kind's (``kinds.CSL_TYPES``); a conference paper that is a
preprint is an ``article``. Partial dates stay partial: ``Date: 2022`` gives
``date-parts`` ``[[2022]]``.
"""

from __future__ import annotations

import json

from ...base import kinds
from .common import joined_utf8


def item(cite) -> dict:
    """The CSL-JSON item of a paper."""
    paper = cite.paper
    found: dict = {
        "id": cite.key,
        "type": "article" if cite.entry_type == "misc" else kinds.CSL_TYPES[cite.kind],
        "title": paper.title,
        "author": [
            {"family": a.family, "given": a.given} if a.given else {"literal": a.family}
            for a in paper.authors
        ],
        "issued": {"date-parts": [kinds.date_parts(cite.date, paper.date_precision)]},
    }
    found.update(_venue(cite))
    if cite.doi:
        found["DOI"] = cite.doi
    if cite.url:
        found["URL"] = cite.url
    if paper.abstract_text:
        found["abstract"] = paper.abstract_text
    if paper.tags:
        found["keyword"] = ", ".join(paper.tags)
    return found


def _venue(cite) -> dict:
    """Where the paper appeared, in the keys of its entry type."""
    entry = cite.entry_type
    if entry == "article":
        return _journal(cite)
    if entry in ("phdthesis", "techreport", "book"):
        return {"publisher": cite.publisher} if cite.publisher else {}
    if entry == "incollection":
        return {"container-title": cite.booktitle} if cite.booktitle else {}
    if entry == "inproceedings":
        found = {
            "container-title": cite.booktitle,
            "event-title": cite.conference.display_name,
        }
        if cite.conference.location:
            found["event-place"] = cite.conference.location
        return found
    return _preprint(cite)


def _preprint(cite) -> dict:
    if cite.arxiv:
        return {"publisher": "arXiv", "number": f"arXiv:{cite.arxiv}"}
    preprint = getattr(cite.paper, "preprint", "")
    return {"publisher": preprint} if preprint else {}


def _journal(cite) -> dict:
    paper = cite.paper
    found = {"container-title": cite.journal}
    for name, key in (("volume", "volume"), ("issue", "issue")):
        if getattr(paper, key, ""):
            found[name] = getattr(paper, key)
    if paper.pages_label:
        found["page"] = paper.pages_label.replace("\u2013", "-")
    return found


def line(one: dict) -> str:
    """An item as the one line of JSON that each file holding it repeats."""
    return json.dumps(one, ensure_ascii=False)


def file(lines: list[str]) -> bytearray:
    """A ``.csl.json`` file of items made by :func:`line`, in UTF-8: one
    citation a line (readable, and json's fast C encoder: indent is not)."""
    return joined_utf8("[\n", lines, ",\n", "\n]\n") if lines else bytearray(b"[]\n")
