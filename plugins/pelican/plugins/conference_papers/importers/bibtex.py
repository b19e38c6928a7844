"""``import bibtex``: al-folio's ``_bibliography/papers.bib`` (and any BibTeX).

bibtexparser (v2) reads the file, resolves ``@string`` macros and removes the
braces; pylatexenc decodes LaTeX accents and commands to Unicode while leaving
``$math$`` as written, for the build to render. al-folio's own keys (``abbr``,
``pdf``, ``code``, ``html``, ``preview``, ``selected``, ``award``…) are mapped.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares as mw
from bibtexparser.model import DuplicateFieldKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from ..schema import normalize_arxiv, normalize_doi
from ..scholar import BIBTEX_MONTHS
from ..text import clean_text
from .common import (
    clean_url,
    conference_for,
    is_relative,
    parse_venue,
    strip_html,
)
from .writer import ImportFailure, PaperRecord, Warning_, site_file

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
#: al-folio buttons -> (label, icon) of a link.
LINK_FIELDS = {
    "html": ("HTML", "fa-solid fa-globe"),
    "website": ("Website", "fa-solid fa-globe"),
    "blog": ("Blog", "fa-solid fa-pen"),
    "video": ("Video", "fa-solid fa-video"),
    "poster": ("Poster", "fa-solid fa-image"),
    "slides": ("Slides", "fa-solid fa-person-chalkboard"),
    "supp": ("Supplement", "fa-solid fa-paperclip"),
}
#: Fields used for the page; everything else is kept as an extra key.
USED = {
    "title",
    "author",
    "booktitle",
    "journal",
    "year",
    "month",
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
    *LINK_FIELDS,
}
_MONTHS = {name: number for number, name in enumerate(BIBTEX_MONTHS, start=1)}


def decode(text: str) -> str:
    """LaTeX to Unicode; math stays as ``$…$`` for the build to render."""
    # pylatexenc may give up on broken input: then the text stays as written.
    with contextlib.suppress(Exception):
        text = _DECODER.latex_to_text(text)
    return " ".join(text.replace("\xa0", " ").split())


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
            text, append_middleware=[mw.SeparateCoAuthors(), mw.SplitNameParts()]
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
        mw.SplitNameParts(),
    ):
        middleware.transform_entry(entry, library)


class BibtexImport:
    def __init__(self, writer, name: str, site_root: Path | None, base_url: str = ""):
        self.writer, self.name = writer, name
        self.site_root, self.base_url = site_root, base_url
        self.seen: dict[tuple[str, str], tuple[int, PaperRecord]] = {}
        self.groups: dict[str, tuple] = {}
        self.year_only: set[str] = set()

    def warn(self, line: int, message: str) -> None:
        self.writer.warnings.append(Warning_(f"{self.name}:{line}", message))

    def add(self, entry: Entry) -> None:
        line = (entry.start_line or 0) + 1
        fields = {f.key.lower(): f.value for f in entry.fields}
        text = {
            key: (strip_html(decode(value)) if key not in RAW_FIELDS else value.strip())
            for key, value in fields.items()
            if isinstance(value, str)
        }
        title = text.get("title", "")
        year_match = re.search(r"\d{4}", text.get("year", ""))
        year = year_match.group(0) if year_match else ""
        if not title:
            self.warn(line, f"the entry '{entry.key}' has no title; left out")
            return
        if not year:
            self.warn(line, f"'{title}' has no year; it goes to 'Unsorted'")
        authors, truncated = [], False
        people = fields.get("author") or fields.get("editor") or []
        for person in people if isinstance(people, list) else [people]:
            person_name = decode(person) if isinstance(person, str) else _name(person)
            if person_name.lower() in ("others", "et al.", "et al"):
                truncated = True
            elif person_name:
                authors.append(person_name)
        key = (re.sub(r"\W+", " ", title).strip().casefold(), year)
        if key in self.seen:
            first_line, first = self.seen[key]
            self.warn(
                line,
                f"'{title}' ({year}) is also at line {first_line}; "
                "the two entries were merged",
            )
            self._fill(
                first,
                self._paper(
                    entry, line, text, title, year, authors, truncated, first.conference
                ),
            )
            return
        venue_raw = fields.get("booktitle") or fields.get("journal") or ""
        short, venue_name, _, note = (
            parse_venue(venue_raw) if venue_raw else ("", "", "", "")
        )
        bold = _first_bold(venue_raw)
        if bold is not None and short == venue_name:
            short = parse_venue(f"({strip_html(bold)})")[0] or short
        if text.get("abbr"):
            short = text["abbr"]
        arxiv_journal = re.search(r"arxiv[: ]\s*(\d{4}\.\d{4,5})", venue_raw, re.I)
        if not short:
            short = "arXiv" if arxiv_journal or text.get("arxiv") else "Unsorted"
        track = note
        if re.search(r"-W$", short):
            short, track = short[:-2], track or "Workshop Paper"
        conference = conference_for(short, year, "", venue_name)
        paper = self._paper(
            entry, line, text, title, year, authors, truncated, conference.slug
        )
        paper.track = track
        paper.venue = venue_name if venue_name != short else ""
        if arxiv_journal and not paper.arxiv:
            paper.arxiv = arxiv_journal.group(1)
        month = _MONTHS.get(text.get("month", "")[:3].lower()) or (
            int(text["month"]) if text.get("month", "").isdigit() else 0
        )
        date = f"{year}-{month:02d}-01" if month and 1 <= month <= 12 else ""
        self.seen[key] = (line, paper)
        group = self.groups.setdefault(conference.slug, (conference, [], []))
        group[1].append(paper)
        group[2].append(date)

    def _paper(self, entry, line, text, title, year, authors, truncated, conference):
        paper = PaperRecord(
            title=title,
            authors=authors,
            conference=conference,
            origin=f"{self.name}:{line}",
        )
        if truncated:
            paper.extra["Authors-More"] = "and others"
            self.warn(
                line, f"'{title}' lists 'and others': only the named authors are shown"
            )
        paper.abstract = text.get("abstract", "")
        paper.tags = [
            t.strip() for t in re.split(r"[,;]", text.get("keywords", "")) if t.strip()
        ]
        for key in ("selected", "award", "bibtex_show"):
            if text.get(key):
                paper.extra[key.replace("_", "-").title()] = text[key]
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
        pdf = self._url(line, text.get("pdf", ""), "pdf", "assets/pdf/")
        if pdf:
            paper.pdf = pdf
        code = self._url(line, text.get("code", ""), "code", "")
        if code:
            paper.code = code
        url = self._url(line, text.get("url", ""), "url", "")
        if url and not (doi and "doi.org" in url) and not (arxiv_id and "arxiv" in url):
            if not paper.pdf and url.lower().endswith(".pdf"):
                paper.pdf = url
            else:
                paper.links.append(("Paper", url, "fa-solid fa-file-lines"))
        for key, (label, icon) in LINK_FIELDS.items():
            value = self._url(line, text.get(key, ""), key, "assets/pdf/")
            if value:
                paper.links.append((label, value, icon))
        self._preview(line, paper, text.get("preview", ""))
        for key in sorted(text):
            if key not in USED and text[key]:
                paper.extra[re.sub(r"[^A-Za-z0-9_-]", "-", key).title()] = text[key]
        return paper

    def _url(self, line: int, value: str, key: str, folder: str) -> str | None:
        if not value:
            return None
        if is_relative(value) and folder and "/" not in value:
            value = folder + value  # al-folio keeps these files under assets/
        url, why = clean_url(value, self.base_url)
        if url is None:
            self.warn(line, f"{key} '{value[:60]}' is left out: {why}")
            return None
        if is_relative(url):
            self.warn(
                line,
                f"{key} '{url}' is a file of the old site; pass "
                "--base-url to link to it",
            )
        return url

    def _preview(self, line: int, paper: PaperRecord, preview: str) -> None:
        if not preview:
            return
        if not is_relative(preview):
            self.warn(
                line,
                f"the preview '{preview[:60]}' is on another host; "
                "download it into content/images/ and add an Image line",
            )
            paper.extra["Original-Image"] = preview
            return
        if self.site_root is not None:
            for folder in ("assets/img/publication_preview", "assets/img", ""):
                candidate, refused = site_file(
                    self.site_root, f"{folder}/{preview.lstrip('/')}".lstrip("/")
                )
                if refused:
                    self.warn(
                        line,
                        f"the preview '{clean_text(preview)[:80]}' is not copied: "
                        f"{refused}; copy the image into content/images/ and add "
                        "an Image line",
                    )
                    paper.extra["Original-Image"] = preview
                    return
                if candidate is not None:
                    paper.image_source = candidate
                    return
        self.warn(
            line,
            f"the preview '{preview}' was not found in the old site; copy "
            "it into content/images/ and add an Image line",
        )
        paper.extra["Original-Image"] = preview

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
        for slug in sorted(self.groups):
            conference, papers, dates = self.groups[slug]
            known = sorted(d for d in dates if d)
            year = re.search(r"(\d{4})$", conference.title)
            conference.date = (
                known[0]
                if known
                else (f"{year.group(1)}-01-01" if year else "2000-01-01")
            )
            if not known:
                self.year_only.add(slug)
            self.writer.add_conference(conference)
            for paper in papers:
                self.writer.add_paper(paper)
        if self.year_only:
            self.writer.warnings.append(
                Warning_(
                    self.name,
                    f"{len(self.year_only)} conference(s) are dated by their year only "
                    "(January 1st): correct their Date",
                )
            )
