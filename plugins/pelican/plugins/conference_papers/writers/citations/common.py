"""What every citation format says about a paper, decided once.

Each format (``bibtex``, ``csl``, ``highwire``, ``jsonld``, ``coins``, ``text``,
``opengraph``) reads the same facts: the entry type of the paper's kind, its
venue and book title, its identifiers and its absolute URLs. They are worked
out here, once per paper, so that two formats cannot disagree on where a paper
appeared (the Cite block and the ``<head>`` tags of one page say the same).
"""

from __future__ import annotations

import re
from functools import cached_property

from ...base import kinds
from ...settings import setting

#: Words that do not make a citekey or a capitalised title word.
_STOP_WORDS = """a an the and or but nor of on in at to for from by with without
    into onto over under about as via vs is are was were be been do does did can
    could how what why when which who whose where towards toward not no its it
    this that these those we our"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
WORD = re.compile(r"[^\W_]+")  # letters and digits
_PREPRINT = re.compile(r"\b(pre-?print|arxiv)\b", re.IGNORECASE)


def joined_utf8(start: str, items: list[str], separator: str, end: str) -> bytearray:
    """``start + separator.join(items) + end`` in UTF-8, made as one buffer
    without the text: the lab's ``.csl.json`` is 20 MB at 10,000 papers, and
    the joined text, the whole text and its bytes were three copies of it at
    once, the peak of the build's memory while the lab's files were written."""
    data = bytearray(start.encode())
    encoded_separator = separator.encode()
    for number, item in enumerate(items):
        if number:
            data += encoded_separator
        data += item.encode()
    data += end.encode()
    return data


def short_venue(conference) -> str:
    """``NeurIPS 22`` -> ``NeurIPS 2022``; a title without a year gets one."""
    title, year = conference.title, str(conference.year)
    match = re.search(r"\s*['’]?(\d{4}|\d{2})$", title)
    if match and year.endswith(match.group(1)):
        return f"{title[: match.start()]} {year}".strip()
    return title if year in title else f"{title} {year}"


def is_absolute(url: str) -> bool:
    """True for an http(s) URL with a host (JSON-LD wants absolute ones)."""
    return url.startswith(("https://", "http://"))


def present(pairs) -> list[tuple[str, str]]:
    """The pairs whose value is not empty (no empty tag or field is written)."""
    return [(name, value) for name, value in pairs if value]


class Cite:
    """The facts of one paper that the formats share; ``site`` is the build's
    :class:`~.Citations` (absolute URLs, member pages, settings)."""

    def __init__(self, site, paper, key: str):
        self.citations = site
        self.paper = paper
        self.key = key
        self.conference = paper.conference

    # what kind of publication

    @cached_property
    def journal(self) -> str:
        return str(getattr(self.paper, "journal", "") or "").strip()

    @cached_property
    def kind(self) -> str:
        return self.paper.kind

    @cached_property
    def entry_type(self) -> str:
        entry = kinds.BIBTEX_TYPES[self.kind]
        if entry == "inproceedings" and _PREPRINT.search(
            f"{self.paper.track} {getattr(self.paper, 'venue', '')}"
        ):
            return "misc"
        return entry

    @cached_property
    def publisher(self) -> str:
        """The Publisher: a thesis's school, a report's institution."""
        return getattr(self.paper, "publisher", "")

    @cached_property
    def pages(self) -> tuple[str, str]:
        return (
            getattr(self.paper, "first_page", ""),
            getattr(self.paper, "last_page", ""),
        )

    @cached_property
    def venue(self) -> str:
        """``NeurIPS 2022``; outside a conference, where the paper appeared."""
        if self.conference is None:
            paper = self.paper
            where = paper.publication
            return f"{paper.kind_label}, {where}" if where else paper.kind_label
        return short_venue(self.conference)

    @cached_property
    def workshop(self) -> str:
        """``MedNeurIPS Workshop`` (never "Workshop Workshop")."""
        name = self.paper.workshop
        if not name or re.search(r"\bworkshop\b", name, re.IGNORECASE):
            return name
        return f"{name} Workshop"

    @cached_property
    def booktitle(self) -> str:
        if self.conference is None:  # a chapter: the book is its Venue
            return getattr(self.paper, "venue", "")
        name = self.conference.display_name
        return f"{self.workshop}, {name}" if self.workshop else name

    @property
    def date(self):
        return self.paper.date

    @cached_property
    def arxiv(self) -> str | None:
        return getattr(self.paper, "arxiv", None)

    @cached_property
    def doi(self) -> str | None:
        return getattr(self.paper, "doi", None)

    @cached_property
    def pdf_url(self) -> str | None:
        link = self.paper.link("pdf")
        if link:
            return link.url
        return f"https://arxiv.org/pdf/{self.arxiv}" if self.arxiv else None

    @cached_property
    def same_as(self) -> list[str]:
        urls = []
        if self.doi:
            urls.append(f"https://doi.org/{self.doi}")
        if self.arxiv:
            urls.append(f"https://arxiv.org/abs/{self.arxiv}")
        return urls

    @cached_property
    def description(self) -> str:
        text = self.paper.abstract_text
        return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"

    # URLs

    @cached_property
    def page_url(self) -> str | None:
        return self.citations.absolute(self.paper.url)

    @cached_property
    def image_url(self) -> str | None:
        if not self.paper.image:
            return None
        static = self.citations.static_content().get(self.paper.image)
        return self.citations.absolute(static.url if static else self.paper.image)

    @cached_property
    def url(self) -> str | None:
        """The one URL of a reference: the page, else the PDF or arXiv."""
        return self.page_url or self.pdf_url or next(iter(self.same_as), None)

    def _file(self, name: str) -> str:
        pattern = setting(self.citations.settings, name)
        return pattern.format(
            conference=self.paper.conference_slug, slug=self.paper.slug
        )

    @cached_property
    def bib_url(self) -> str:
        return self._file("PAPER_BIB_SAVE_AS")

    @cached_property
    def csl_url(self) -> str:
        return self._file("PAPER_CSL_SAVE_AS")
