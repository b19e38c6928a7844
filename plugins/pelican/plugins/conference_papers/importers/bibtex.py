"""``import bibtex``: al-folio's ``_bibliography/papers.bib`` (and any BibTeX).

bibtexparser (v2) reads the file, resolves ``@string`` macros and removes the
braces; pylatexenc decodes LaTeX accents and commands to Unicode while leaving
``$math$`` as written, for the build to render. al-folio's own keys are
mapped as its bib.liquid shows them: ``abbr`` names the venue's acronym,
``pdf`` and ``code`` are the paper's buttons, ``html``, ``website``, ``blog``,
``video``, ``poster``, ``slides`` and ``supp`` links with their labels (relative
files under al-folio's folders), ``preview`` the image, ``selected = {true}``
``Featured: yes``, ``award`` the Award badge; ``bibtex_show`` is dropped, since
every paper page shows its BibTeX.

The entry type is kept (DESIGN.md's paper kinds): ``@article`` is a journal
article with its volume, number and pages, ``@misc`` on arXiv a preprint,
``@phdthesis`` a thesis, and the venue recogniser sorts ``@inproceedings``
into conference editions and workshop tracks. ``crossref`` is resolved here
(bibtexparser does not), so an ``@proceedings`` entry is the venue of the
papers that name it, not a paper without authors. Dates are as partial as the
entry: ``year`` alone is ``Date: 2022``, never January 1st.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
)
from bibtexparser.model import DuplicateFieldKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from ..base.text import strip_html
from ..base.urls import url_problem
from ..base.venues import recognise
from ..format.schema import normalize_arxiv, normalize_doi
from ..writers.citations.bibtex import BIBTEX_MONTHS
from .common import (
    add_link_once,
    adopt_acronyms,
    extra_key,
    is_relative,
    partial_date,
    place,
    shortened,
    site_image,
    site_url,
)
from .writer import ImportFailure, PaperRecord, Warning_

_DECODER = LatexNodes2Text(math_mode="verbatim", keep_comments=False)
#: Fields that hold addresses or identifiers: never LaTeX-decoded.
RAW_FIELDS = {
    "url",
    "pdf",
    "code",
    "html",
    "arxiv",
    "doi",
    "preview",
    "poster",
    "slides",
    "supp",
    "website",
    "blog",
    "video",
    "eprint",
}
#: al-folio buttons -> (label, icon) of a link, and the folder al-folio's
#: bib.liquid puts a relative value in (``pdf``'s is ``assets/pdf/``; ``html``'s
#: ``assets/html/``; a relative ``website``, ``blog`` or ``video`` is the site's).
LINK_FIELDS = {
    "html": ("HTML", "fa-solid fa-globe", "assets/html/"),
    "website": ("Website", "fa-solid fa-globe", ""),
    "blog": ("Blog", "fa-solid fa-pen", ""),
    "video": ("Video", "fa-solid fa-video", ""),
    "poster": ("Poster", "fa-solid fa-image", "assets/pdf/"),
    "slides": ("Slides", "fa-solid fa-person-chalkboard", "assets/pdf/"),
    "supp": ("Supplement", "fa-solid fa-paperclip", "assets/pdf/"),
}
#: al-folio's ``selected = {true}``: the paper is on the home page (``Featured``).
_YES, _NO = {"true", "yes", "1"}, {"false", "no", "0"}
#: Fields used for the page; everything else is kept as an extra key.
USED = {
    "title",
    "author",
    "booktitle",
    "journal",
    "year",
    "month",
    "day",
    "abstract",
    "abbr",
    "keywords",
    "bibtex_show",
    "preview",
    "code",
    "pdf",
    "url",
    "doi",
    "arxiv",
    "eprint",
    "archiveprefix",
    "selected",
    "award",
    "crossref",
    "volume",
    "number",
    "pages",
    "school",
    "institution",
    "publisher",
    *LINK_FIELDS,
}
#: Entry types that are a volume, not a paper: the venue of the entries that
#: ``crossref`` them.
VOLUMES = {"proceedings"}
_URL_COMMAND = re.compile(r"\\url\{([^{}]*)\}")
_HREF_COMMAND = re.compile(r"\\href\{([^{}]*)\}\{([^{}]*)\}")
_MACRO_FIELD = r"(?im)^\s*{key}\s*=\s*([A-Za-z][\w:-]*)\s*(?:,|\}}|$)"
#: What pylatexenc reads as more than text: commands, groups, math, comments,
#: specials and the ligatures ``--``, ````` ``, ``''``, ``!` ``, ``?` ``. A value
#: without any of them decodes to itself (10,000 authors took 25 s).
_LATEX = re.compile(r"[\\{}$%&#^_~`]|--|''|!`|\?`")
_MONTHS = {name: number for number, name in enumerate(BIBTEX_MONTHS, start=1)}


def decode(text: str) -> str:
    """LaTeX to Unicode; math stays as ``$…$`` for the build to render.

        ``\\url{…}`` and ``\\href{…}{…}`` become Markdown links (``[…](…)``: an
    ``<…>`` autolink would be taken for a tag) (an address the
        scheme allowlist refuses stays as text): pylatexenc would drop them, and
        an abstract would read "available at ." They are set aside before the
        decoding, which would read ``%`` and ``~`` in an address as LaTeX.
    """
    if not _LATEX.search(text):  # plain text: the same, without 1 ms of parsing
        return " ".join(text.replace("\xa0", " ").split())
    kept: list[str] = []

    def keep(url: str, label: str | None) -> str:
        url = url.strip()
        shown = decode(label) if label is not None else url
        if url_problem(url):
            kept.append(shown if label is not None else url)
        else:
            kept.append(f"[{shown}]({url})")
        return f"zzkeptlink{len(kept) - 1}zz"

    text = _HREF_COMMAND.sub(lambda m: keep(m.group(1), m.group(2)), text)
    text = _URL_COMMAND.sub(lambda m: keep(m.group(1), None), text)
    # pylatexenc may give up on broken input: then the text stays as written.
    with contextlib.suppress(Exception):
        text = _DECODER.latex_to_text(text)
    text = " ".join(text.replace("\xa0", " ").split())
    return re.sub(r"zzkeptlink(\d+)zz", lambda m: kept[int(m.group(1))], text)


def refused_links(text: str) -> list[tuple[str, str]]:
    """The ``\\url``/``\\href`` addresses :func:`decode` leaves as text, and why."""
    urls = [m.group(1) for m in _HREF_COMMAND.finditer(text)]
    urls += [m.group(1) for m in _URL_COMMAND.finditer(text)]
    return [
        (url.strip(), url_problem(url.strip()))
        for url in urls
        if url_problem(url.strip())
    ]


_BOLD_START = re.compile(r"<b>", re.I)
_BOLD_END = re.compile(r"</b>", re.I)


def _first_bold(text: str) -> str | None:
    """The text of the first ``<b>…</b>``, in one pass (a lazy ``<b>(.*?)</b>``
    is quadratic in a venue of many ``<b>`` without an end)."""
    start = _BOLD_START.search(text)
    end = _BOLD_END.search(text, start.end()) if start else None
    return text[start.end() : end.start()] if end else None


def _strip_front_matter(text: str) -> str:
    """al-folio files start with Jekyll's ``---`` lines: blanked, lines kept."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n" * (index + 1) + "\n".join(lines[index + 1 :])
    return text


def person(value: str) -> str:
    """One author as "Given Family": "Fernandez, Mario", "Mario Fernandez,"
    (a stray comma, which BibTeX would read as a family name alone and a
    citation as an organisation) and "{Mario} Fernandez" alike."""
    value = " ".join(str(value).split()).strip(" ,")
    try:
        parts = parse_single_name_into_parts(value, strict=False)
    except InvalidNameError:
        return decode(value)
    return _name(parts)


def _name(parts) -> str:
    given = " ".join(decode(p) for p in parts.first)
    family = " ".join(decode(p) for p in [*parts.von, *parts.last])
    jr = " ".join(decode(p) for p in parts.jr)
    return " ".join(x for x in (given, family, jr) if x)


def parse_library(text: str, name: str):
    """Entries (with their first line) and warnings; ImportFailure when none."""
    warnings: list[Warning_] = []
    text = _strip_front_matter(text.replace("\r\n", "\n"))
    try:
        library = bibtexparser.parse_string(
            text, append_middleware=[mw.SeparateCoAuthors()]
        )
    except Exception as error:  # the parser's own errors have no common base class
        raise ImportFailure(f"{name}: not BibTeX ({error})") from None
    entries: list[Entry] = list(library.entries)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateFieldKeyBlock):
            warnings.append(
                Warning_(
                    f"{name}:{line}",
                    "a field appears twice in the entry; the first one is used",
                )
            )
            entry = block.ignore_error_block
            if isinstance(entry, Entry):
                _fix_duplicate(entry, library)
                entries.append(entry)
        elif isinstance(getattr(block, "ignore_error_block", None), Entry):
            entry = block.ignore_error_block  # a duplicate key: merged below if alike
            _fix_duplicate(entry, library)
            entries.append(entry)
        elif isinstance(block, ParsingFailedBlock):
            snippet = " ".join((block.raw or "").split())[:50]
            warnings.append(
                Warning_(f"{name}:{line}", f"not understood, left out: '{snippet}'")
            )
    entries.sort(key=lambda e: e.start_line or 0)
    if not entries:
        raise ImportFailure(f"{name}: no BibTeX entries found ('@article{{key, …}}')")
    return entries, warnings


def _fix_duplicate(entry: Entry, library) -> None:
    """Keep the first of each field, then run the middlewares the parse ran."""
    seen, fields = set(), []
    for field in entry.fields:
        if field.key.lower() not in seen:
            seen.add(field.key.lower())
            fields.append(field)
    entry.fields = fields
    for middleware in (
        mw.RemoveEnclosingMiddleware(True),
        mw.SeparateCoAuthors(),
    ):
        middleware.transform_entry(entry, library)


@dataclass
class _Read:
    """One entry, read: its line, its fields as text, who wrote it."""

    line: int
    text: dict[str, str]
    title: str
    year: str
    authors: list[str]
    #: the author list ends in "and others"
    truncated: bool


def _date(text: dict[str, str], year: str) -> str:
    """``year``, ``month`` (a name or a number) and ``day``, as partial as given."""
    month_text = text.get("month", "")
    month = _MONTHS.get(month_text[:3].lower()) or (
        int(month_text) if month_text.isdigit() else 0
    )
    day = int(text["day"]) if text.get("day", "").isdigit() else 0
    return partial_date(year, month, day)


class BibtexImport:
    def __init__(
        self,
        writer,
        name: str,
        site_root: Path | None,
        base_url: str = "",
        entries: list[Entry] = (),
    ):
        self.writer, self.name = writer, name
        self.site_root, self.base_url = site_root, base_url
        self.seen: dict[tuple[str, str], tuple[int, PaperRecord]] = {}
        self.groups: dict[str, tuple] = {}
        #: every entry by its key, for ``crossref``
        self.keys = {entry.key.lower(): entry for entry in entries}
        self.referenced = {
            str(f.value).strip().lower()
            for entry in entries
            for f in entry.fields
            if f.key.lower() == "crossref"
        }

    def warn(self, line: int, message: str) -> None:
        self.writer.warnings.append(Warning_(f"{self.name}:{line}", message))

    def _fields(self, entry: Entry, line: int) -> dict:
        """The entry's fields, with what its ``crossref`` parent adds."""
        fields = {f.key.lower(): f.value for f in entry.fields}
        parent_key = str(fields.get("crossref", "")).strip()
        if not parent_key:
            return fields
        parent = self.keys.get(parent_key.lower())
        if parent is entry:
            self.warn(
                line,
                f"crossref '{parent_key}' names the entry itself; left out (name "
                "the @proceedings entry, or write the booktitle into this one)",
            )
            return fields
        if parent is None:
            self.warn(
                line,
                f"crossref '{parent_key}' names no entry of the file; add the "
                "@proceedings entry or write the booktitle into this one",
            )
            return fields
        inherited = {f.key.lower(): f.value for f in parent.fields}
        if "booktitle" not in fields and "title" in inherited:
            fields["booktitle"] = inherited.get("booktitle") or inherited["title"]
        for key, value in inherited.items():
            if key not in ("title", "author", "crossref"):
                fields.setdefault(key, value)
        return fields

    def _macros(self, entry: Entry, line: int, text: dict) -> None:
        """``booktitle = cvpr`` with no ``@string{cvpr = …}``: BibTeX stops there;
        the parser keeps the macro's name as the value. Named, with its line."""
        for key in ("booktitle", "journal"):
            if key not in text:
                continue
            found = re.search(_MACRO_FIELD.format(key=key), entry.raw or "")
            if found and found.group(1) == text[key] and not found.group(1).isdigit():
                self.warn(
                    line,
                    f"{key} = {found.group(1)} uses a macro that no @string "
                    f"defines; write {key} = {{the venue's name}} (it is read as "
                    "the venue's acronym for now)",
                )

    def add(self, entry: Entry) -> None:
        line = (entry.start_line or 0) + 1
        entry_type = entry.entry_type.lower()
        if entry_type in VOLUMES:
            self._volume(entry, line, entry_type)
            return
        fields = self._fields(entry, line)
        self._refused_links(fields, line)
        read = self._read(entry, line, fields)
        if read is None:
            return
        key = (re.sub(r"\W+", " ", read.title).strip().casefold(), read.year)
        if key in self.seen:
            first_line, first = self.seen[key]
            self.warn(
                line,
                f"'{read.title}' ({read.year}) is also at line {first_line}; "
                "the two entries were merged",
            )
            self._fill(first, self._paper(read, first.conference))
            return
        self._macros(entry, line, read.text)
        venue = self._venue(fields, read, entry_type)
        paper = self._paper(read, "")
        if not venue.kind and paper.arxiv:  # @misc{..., eprint = {2401.00001}}
            venue = recognise("arXiv", year=read.year)
        paper.date = _date(read.text, read.year)
        conference = place(
            paper, venue, lambda message: self.warn(line, f"'{read.title}': {message}")
        )
        if conference is not None:
            paper.venue = venue.name if venue.name != conference.name else ""
        self.seen[key] = (line, paper)
        if conference is None:
            self.writer.add_paper(paper)
            return
        group = self.groups.setdefault(conference.slug, (conference, []))
        group[1].append(paper)

    def _volume(self, entry: Entry, line: int, entry_type: str) -> None:
        if entry.key.lower() not in self.referenced:
            self.warn(
                line,
                f"@{entry_type}{{{entry.key}}} is a volume, not a paper: left "
                "out (entries that crossref it take their venue from it)",
            )

    def _refused_links(self, fields: dict, line: int) -> None:
        for key, value in fields.items():
            if isinstance(value, str) and key not in RAW_FIELDS:
                for url, why in refused_links(value):
                    self.warn(
                        line,
                        f"{key}: the address '{url[:60]}' is not linked ({why}); "
                        "its text is kept",
                    )

    def _read(self, entry: Entry, line: int, fields: dict) -> _Read | None:
        """The entry's fields as text, its title, year and authors; None (and
        a warning) when it has no title."""
        text = {
            key: (strip_html(decode(value)) if key not in RAW_FIELDS else value.strip())
            for key, value in fields.items()
            if isinstance(value, str)
        }
        title = text.get("title", "")
        year_match = re.search(r"(?<!\d)\d{4}(?!\d)", text.get("year", ""))
        year = year_match.group(0) if year_match else ""
        if text.get("year") and not year:
            self.warn(
                line,
                f"year = {{{text['year'][:20]}}} is not a year; write year = {{YYYY}}",
            )
        if not title:
            self.warn(line, f"the entry '{entry.key}' has no title; left out")
            return None
        authors, truncated = [], False
        people = fields.get("author") or fields.get("editor") or []
        for one in people if isinstance(people, list) else [people]:
            person_name = " ".join(strip_html(person(one)).split())
            if person_name.lower() in ("others", "et al.", "et al"):
                truncated = True
            elif person_name:
                authors.append(person_name)
        return _Read(line, text, title, year, authors, truncated)

    @staticmethod
    def _venue(fields: dict, read: _Read, entry_type: str):
        text = read.text
        venue_raw = str(
            fields.get("booktitle")
            or fields.get("journal")
            or fields.get("school")
            or fields.get("institution")
            or fields.get("publisher")
            or ""
        )
        return recognise(
            strip_html(decode(venue_raw)) if "<b>" not in venue_raw else venue_raw,
            acronym=text.get("abbr", ""),
            entry_type=entry_type,
            year=read.year,
            volume=text.get("volume", ""),
            issue=text.get("number", ""),
            pages=text.get("pages", ""),
        )

    def _paper(self, read: _Read, conference: str) -> PaperRecord:
        line, text, title = read.line, read.text, read.title
        paper = PaperRecord(
            title=title,
            authors=read.authors,
            conference=conference,
            origin=f"{self.name}:{line}",
        )
        if read.truncated:
            paper.extra["Authors-More"] = "and others"
            self.warn(
                line, f"'{title}' lists 'and others': only the named authors are shown"
            )
        paper.abstract = text.get("abstract", "")
        paper.tags = [
            t.strip() for t in re.split(r"[,;]", text.get("keywords", "")) if t.strip()
        ]
        self._selected(line, paper, text.get("selected", ""))
        if text.get("award"):
            paper.extra["Award"] = text["award"]
        # bibtex_show (al-folio's "Bib" button) is dropped: every paper page
        # here shows the paper's BibTeX (writers/citations).
        self._identifiers(line, paper, text)
        self._links(line, paper, text)
        self._preview(line, paper, text.get("preview", ""))
        for key in sorted(text):
            if key not in USED and text[key]:
                paper.extra[extra_key(key, "Bibtex")] = text[key]
        return paper

    def _identifiers(self, line: int, paper: PaperRecord, text: dict) -> None:
        """arXiv and DOI: kept when they are one, else named and left out."""
        arxiv_id = normalize_arxiv(text.get("arxiv", "") or text.get("eprint", ""))
        if arxiv_id:
            paper.arxiv = arxiv_id
        elif text.get("arxiv"):
            self.warn(
                line, f"arxiv '{text['arxiv']}' is not an arXiv identifier; left out"
            )
        doi = normalize_doi(text.get("doi", ""))
        if doi:
            paper.doi = doi
        elif text.get("doi"):
            self.warn(line, f"doi '{text['doi']}' is not a DOI; left out")

    def _links(self, line: int, paper: PaperRecord, text: dict) -> None:
        """The buttons: pdf, code, url (unless it is the DOI's or arXiv's), and
        al-folio's link fields."""
        pdf = self._url(line, text.get("pdf", ""), "pdf", "assets/pdf/")
        if pdf:
            paper.pdf = pdf
        code = self._url(line, text.get("code", ""), "code", "")
        if code:
            paper.code = code
        url = self._url(line, text.get("url", ""), "url", "")
        doi, arxiv_id = paper.doi, paper.arxiv
        if url and not (doi and "doi.org" in url) and not (arxiv_id and "arxiv" in url):
            if not paper.pdf and url.lower().endswith(".pdf"):
                paper.pdf = url
            else:
                add_link_once(paper, "Paper", url, "fa-solid fa-file-lines")
        for key, (label, icon, folder) in LINK_FIELDS.items():
            value = self._url(line, text.get(key, ""), key, folder)
            if value:
                add_link_once(paper, label, value, icon)

    def _url(self, line: int, value: str, key: str, folder: str) -> str | None:
        if not value:
            return None
        if is_relative(value) and folder and not value.startswith(("/", "assets/")):
            value = folder + value  # al-folio keeps these files under assets/
        return site_url(value, self.base_url, lambda m: self.warn(line, m), key)

    def _selected(self, line: int, paper: PaperRecord, value: str) -> None:
        if value.strip().lower() in _YES:
            paper.extra["Featured"] = "yes"
        elif value.strip() and value.strip().lower() not in _NO:
            self.warn(
                line,
                f"selected '{shortened(value)}' is neither true nor false; left out "
                "(write 'Featured: yes' in the paper's file to show it on the home "
                "page)",
            )

    def _preview(self, line: int, paper: PaperRecord, preview: str) -> None:
        relative = preview.lstrip("/")
        folders = ("assets/img/publication_preview/", "assets/img/", "")
        site_image(
            paper,
            preview,
            [(self.site_root, f + relative) for f in folders if self.site_root],
            lambda m: self.warn(line, m),
            what="the preview",
        )

    @staticmethod
    def _fill(first: PaperRecord, other: PaperRecord) -> None:
        """Merge a duplicate entry: what the first lacks comes from the second."""
        for attribute in ("abstract", "pdf", "code", "arxiv", "doi", "venue"):
            if not getattr(first, attribute) and getattr(other, attribute):
                setattr(first, attribute, getattr(other, attribute))
        if first.image_source is None:
            first.image_source = other.image_source
        for attribute in ("pdf", "code"):
            theirs = getattr(other, attribute)
            if theirs and theirs != getattr(first, attribute):
                other.links.append(
                    (
                        "Paper" if attribute == "pdf" else "Code",
                        theirs,
                        "fa-solid fa-file-lines",
                    )
                )
        known = {url for _, url, _ in first.links}
        first.links += [link for link in other.links if link[1] not in known]
        first.tags += [t for t in other.tags if t not in first.tags]
        for key, value in other.extra.items():
            first.extra.setdefault(key, value)
        if len(other.authors) > len(first.authors):
            first.authors = other.authors

    def finish(self) -> None:
        """Editions dated by their year: a paper's month is the paper's own."""
        self.groups = adopt_acronyms(self.groups, self.writer.warn)
        for slug in sorted(self.groups):
            conference, papers = self.groups[slug]
            self.writer.add_conference(conference)
            for paper in papers:
                self.writer.add_paper(paper)
