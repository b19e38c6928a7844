"""Citations: BibTeX, CSL-JSON, Highwire tags, JSON-LD, COinS (issue 5).

One :class:`Citations` object per build (``generate_context`` puts it into the
template context as ``conference_papers_citations``) gives every paper a
:class:`PaperCitation`: the ``<head>`` tags of its page, its "Cite" block and its
entries in the ``.bib`` and ``.csl.json`` files that :func:`citation_files`
writes. Each format is its own module (``bibtex``, ``csl``, ``highwire``,
``opengraph``, ``jsonld``, ``coins``, ``text``); what they share (the entry type,
venue, identifiers, absolute URLs) is decided once in ``common``, citekeys in
``keys``.

Choices (the README's "Citations" section says the same):

- Entry type: the paper's kind (``kinds``: ``Type:``, else ``Journal:`` ->
  ``@article``, ``Preprint:`` -> ``@misc`` with ``eprint``, thesis ->
  ``@phdthesis``, ``@book``, ``@incollection``, ``@techreport``); a conference
  paper whose ``Track`` or ``Venue`` names a preprint (``Preprint``, ``arXiv``)
  is ``@misc`` as well; every other paper is ``@inproceedings`` of its
  conference. A paper with a venue and a preprint cites the venue.
- Partial dates: ``Date: 2022`` gives ``year`` and no ``month``, CSL
  ``date-parts`` ``[[2022]]``, ``citation_publication_date`` ``2022``.
- Absolute URLs (canonical, ``og:url``, ``og:image``, the JSON-LD ``url``)
  need ``SITEURL``. When it is empty (development builds) they are left out
  rather than written as relative URLs, which Open Graph and Scholar reject.

The writers get the build's data (papers, conferences, members, settings),
never the generator.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from ...settings import setting
from ..catalog import Catalog
from ..output import OutputFolder
from . import bibtex, coins, csl, highwire, jsonld, opengraph, text
from .common import Cite, short_venue
from .keys import assign_keys, base_key, citekey_problems

__all__ = [
    "CitationFile",
    "Citations",
    "PaperCitation",
    "citation_files",
    "citekey_problems",
]

logger = logging.getLogger(__name__)


class PaperCitation(Cite):
    """Everything a paper's page, its card and the citation files say about it
    (the templates read these names).

    Kept to the end of the build (``Citations.paper``), so only what the
    citation files read again is cached: ``bibtex`` and ``csl_line``, made once
    for the paper's file, its conference's and the lab's, and let go after
    the last of them (``forget_files``). What one page shows once (the
    ``<head>`` tags, the reference, COinS) is made when it is read, or every
    paper's tags would stay in memory (~9 KB a paper).
    """

    @cached_property
    def bibtex_fields(self) -> list[tuple[str, str]]:
        return bibtex.fields(self)

    @cached_property
    def bibtex(self) -> str:
        return bibtex.entry(self, self.bibtex_fields)

    def forget_files(self) -> None:
        """Let go of what the citation files read (made again if asked):
        after the paper's own files, their last reader in this process."""
        for name in ("bibtex_fields", "bibtex", "csl_line"):
            vars(self).pop(name, None)

    @property
    def csl(self) -> dict:
        return csl.item(self)

    @cached_property
    def csl_line(self) -> str:
        return csl.line(self.csl)

    @property
    def text(self) -> str:
        return text.reference(self)

    @property
    def highwire(self) -> list[tuple[str, str]]:
        return highwire.tags(self)

    @property
    def open_graph(self) -> list[tuple[str, str]]:
        return opengraph.open_graph(self)

    @property
    def twitter(self) -> list[tuple[str, str]]:
        return opengraph.twitter(self)

    @property
    def json_ld_data(self) -> dict:
        return jsonld.data(self)

    @property
    def json_ld(self) -> Markup:
        return jsonld.script(self.json_ld_data)

    @property
    def coins(self) -> Markup:
        return coins.span(self)


class Citations:
    """The citations of one build; keys are made once for the whole lab.

    ``context`` is the build's template context, read when a page is written:
    the static files (a paper's image URL) are known only then."""

    def __init__(self, settings, context, catalog: Catalog):
        self.settings = settings
        self._context = context
        self._lab = catalog.papers
        self._members = catalog.members
        self.siteurl = str(settings.get("SITEURL") or "").rstrip("/")
        self.site_name = re.sub(r"<[^>]*>", "", str(settings.get("SITENAME", "")))
        self._papers: dict[int, PaperCitation] = {}

    @cached_property
    def keys(self) -> dict[int, str]:
        return assign_keys(self._lab)

    def paper(self, paper) -> PaperCitation:
        if id(paper) not in self._papers:
            # A paper outside the build's list (a theme's own use) gets its base key.
            key = self.keys.get(id(paper)) or base_key(paper)
            self._papers[id(paper)] = PaperCitation(self, paper, key)
        return self._papers[id(paper)]

    def forget_files(self) -> None:
        """``PaperCitation.forget_files`` of every paper: at 10,000 papers
        their BibTeX and CSL-JSON strings were 35 MB of the end of the build,
        its peak, long after the last citation file was written."""
        for cite in self._papers.values():
            cite.forget_files()

    def coins(self, paper) -> Markup:
        return self.paper(paper).coins

    def venue(self, conference) -> str:
        return short_venue(conference)

    def static_content(self) -> dict:
        return self._context.get("static_content", {})

    def absolute(self, url: str) -> str | None:
        """An absolute URL on this site, or None while SITEURL is empty."""
        return f"{self.siteurl}/{url}" if self.siteurl else None

    def member_url(self, name: str) -> str | None:
        """The member page of an author, where MEMBERS maps names to URLs."""
        return self._members.get(name)

    def conference_file(self, conference, name: str) -> str:
        return setting(self.settings, name).format(slug=conference.slug)

    # files

    def bibtex_file(self, papers, header: str) -> bytearray:
        return bibtex.file([self.paper(p).bibtex for p in papers], header)

    def csl_file(self, papers) -> bytearray:
        return csl.file([self.paper(p).csl_line for p in papers])


@dataclass(frozen=True)
class CitationFile:
    """One ``.bib`` or ``.csl.json`` file to write: where (below the output
    folder), what it reads (a paper, a conference, the whole catalog: what
    a rebuild compares) and how its text is made. ``paper`` is the paper of
    a paper's own file (written beside its page), None for a collection."""

    relative: str
    reads: tuple
    make: Callable[[], str | bytearray]
    paper: object | None = None

    def write(self, folder: OutputFolder) -> bool:
        """Make the text and write it; False when ``folder`` refuses the path."""
        return folder.write(self.relative, self.make())


def citation_files(citations: Citations, catalog: Catalog) -> list[CitationFile]:
    """The BibTeX and CSL-JSON files of each paper, each conference and the
    lab (none for a ..._SAVE_AS setting of ""), made only when written."""
    papers, conferences = catalog.papers, catalog.conferences
    site = citations.site_name or "the lab"
    files = []
    for paper in papers:
        cite = citations.paper(paper)
        files += [
            CitationFile(
                cite.bib_url,
                (paper,),
                functools.partial(citations.bibtex_file, [paper], paper.title),
                paper,
            ),
            CitationFile(
                cite.csl_url,
                (paper,),
                functools.partial(citations.csl_file, [paper]),
                paper,
            ),
        ]
    for conference in conferences:
        header = f"Papers of {site} at {conference.display_name}"
        bib = citations.conference_file(conference, "CONFERENCE_BIB_SAVE_AS")
        make = functools.partial(citations.bibtex_file, conference.papers, header)
        files.append(CitationFile(bib, (conference,), make))
        csl_path = citations.conference_file(conference, "CONFERENCE_CSL_SAVE_AS")
        make = functools.partial(citations.csl_file, conference.papers)
        files.append(CitationFile(csl_path, (conference,), make))
    # Conference papers in the order of their pages, then every other paper.
    everything = [p for c in conferences for p in c.papers]
    everything += [p for p in papers if p.conference is None]
    settings = citations.settings
    lab_bib, lab_csl = (setting(settings, f"LAB_{f}_SAVE_AS") for f in ("BIB", "CSL"))
    make = functools.partial(citations.bibtex_file, everything, f"Papers of {site}")
    files.append(CitationFile(lab_bib, (catalog,), make))
    make = functools.partial(citations.csl_file, everything)
    files.append(CitationFile(lab_csl, (catalog,), make))
    return _one_a_path([file for file in files if file.relative])


def _one_a_path(files: list[CitationFile]) -> list[CitationFile]:
    """The last of the files at each path (as writing them in order left
    it), with an error for each one left out: a ..._SAVE_AS setting that
    gives two papers (a slug in two conferences) one path. Written by two
    processes, their bytes would be whichever wrote last."""
    kept: dict[str, CitationFile] = {}
    for file in files:
        path = os.path.normpath(file.relative)
        earlier = kept.pop(path, None)
        if earlier is not None:
            logger.error(
                "conference_papers: %s is the citation file of both %s and %s: "
                "only the latter's is written (check the CONFERENCE_PAPERS_*_SAVE_AS "
                "settings of citation files)",
                file.relative,
                _whose(earlier),
                _whose(file),
            )
        kept[path] = file
    return list(kept.values())


def _whose(file: CitationFile) -> str:
    """What ``file`` is the citation file of: a paper's or a conference's
    source file, or the lab."""
    source = getattr(file.reads[0], "get_relative_source_path", None)
    return source() if source is not None else "the lab"
