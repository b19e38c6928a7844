"""Highwire Press tags: the ``citation_*`` ``<meta>`` of a paper's page that
Google Scholar indexes and Zotero reads, in the order of Scholar's inclusion
guide. ``Date: 2022`` gives ``citation_publication_date`` ``2022``."""

from __future__ import annotations

from ...base import kinds
from .common import present


def tags(cite) -> list[tuple[str, str]]:
    paper = cite.paper
    found = [("citation_title", paper.title)]
    for author in paper.authors:
        name = f"{author.family}, {author.given}" if author.given else author.family
        found.append(("citation_author", name))
    found.append(
        (
            "citation_publication_date",
            kinds.highwire_date(cite.date, paper.date_precision),
        )
    )
    found += _venue(cite)
    if cite.pdf_url:
        found.append(("citation_pdf_url", cite.pdf_url))
    if cite.doi:
        found.append(("citation_doi", cite.doi))
    if cite.arxiv:
        found.append(("citation_arxiv_id", cite.arxiv))
    if cite.page_url:
        found.append(("citation_abstract_html_url", cite.page_url))
    found += [("citation_keywords", tag) for tag in paper.tags]
    return found


def _venue(cite) -> list[tuple[str, str]]:
    """The ``citation_*`` tags of the kind (Google Scholar's inclusion guide)."""
    entry, paper = cite.entry_type, cite.paper
    found: list[tuple[str, str]] = []
    if entry == "article":
        first, last = cite.pages
        found += [
            ("citation_journal_title", cite.journal),
            ("citation_volume", getattr(paper, "volume", "")),
            ("citation_issue", getattr(paper, "issue", "")),
            ("citation_firstpage", first),
            ("citation_lastpage", last),
            ("citation_publisher", cite.publisher),
        ]
    elif entry == "inproceedings" and cite.conference is not None:
        found.append(("citation_conference_title", cite.conference.display_name))
    elif entry == "phdthesis":
        found.append(("citation_dissertation_institution", cite.publisher))
    elif entry == "techreport":
        found.append(("citation_technical_report_institution", cite.publisher))
    elif entry in ("book", "incollection"):
        found += [
            ("citation_inbook_title", cite.booktitle),
            ("citation_publisher", cite.publisher),
        ]
    return present(found)
