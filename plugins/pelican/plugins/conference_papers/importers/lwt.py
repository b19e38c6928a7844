"""``import lwt``: lab-website-template data (_data/sources.yaml or citations.yaml).

Each entry is a paper. Where it appeared is the venue recogniser's answer to
``publisher`` (and ``publishershort``, the template's acronym): a conference
edition gets one file per acronym and year, a workshop goes to its conference's
"Workshop Paper" track, a journal article to papers/journals/ and a preprint to
papers/preprints/. The entry's date is the paper's (in citations.yaml a first
of the month is the template's padding, not a day: see ``_entry_date``); an
edition is dated by its
year only, since the data never says when the conference took place. A card
gets one button per address: the template's ``link``, ``buttons`` and
``extra-links`` often name the same PDF three times. Entries that hold only an
``id`` are looked up on arXiv or Crossref when reachable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from ..base.text import strip_html
from ..base.venues import Venue, recognise
from ..format.schema import normalize_arxiv, normalize_doi
from .common import (
    add_link_once,
    add_main_link,
    adopt_acronyms,
    extra_key,
    is_code_host,
    looks_like_pdf,
    normalize_date,
    paper_from_metadata,
    partial_date,
    place,
    site_image,
    site_url,
    venue_of_metadata,
)
from .remote import FetchError
from .writer import ConferenceRecord, ImportFailure, PaperRecord, Warning_
from .yaml_data import load_yaml

#: Button types -> (label, icon) of a link; pdf/code/arxiv go to their fields.
LINK_TYPES = {
    "slides": ("Slides", "fa-solid fa-person-chalkboard"),
    "slide": ("Slides", "fa-solid fa-person-chalkboard"),
    "poster": ("Poster", "fa-solid fa-image"),
    "video": ("Video", "fa-solid fa-video"),
    "youtube": ("Video", "fa-brands fa-youtube"),
    "website": ("Website", "fa-solid fa-globe"),
    "blog": ("Blog", "fa-solid fa-pen"),
    "artifact": ("Artifact", "fa-solid fa-box-archive"),
    "authorcopy": ("Author copy", "fa-solid fa-file-pdf"),
    "data": ("Data", "fa-solid fa-database"),
    "dataset": ("Data", "fa-solid fa-database"),
    "twitter": ("Thread", "fa-brands fa-x-twitter"),
    "preprint": ("Preprint", "fa-solid fa-file-lines"),
    "source": ("Source", "fa-solid fa-code"),
    "paper": ("Paper", "fa-solid fa-file-lines"),
}
#: Keys the template's cite process adds; they carry nothing for a page.
IGNORED = {"plugin", "file", "orcid", "type", "remove", "buttons", "extra-links"}
KNOWN = {
    "id",
    "title",
    "authors",
    "publisher",
    "date",
    "link",
    "image",
    "tags",
    "description",
    "repo",
    "buttons",
    "extra-links",
    "publishershort",
}


def load_entries(text: str, name: str) -> list[tuple[int, dict]]:
    """The entries of the file with the line each starts on."""
    try:
        root, data = load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(
            error, "context_mark", None
        )
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or "not YAML"
        raise ImportFailure(
            f"{name}:{line}: this is not valid YAML ({problem})"
        ) from None
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(root, yaml.SequenceNode):
        raise ImportFailure(
            f"{name}:1: expected a list of entries ('- title: …'), "
            "as in _data/sources.yaml"
        )
    entries = []
    for node, entry in zip(root.value, data, strict=False):
        line = node.start_mark.line + 1
        if not isinstance(entry, dict):
            raise ImportFailure(f"{name}:{line}: an entry is not a mapping of keys")
        entries.append((line, entry))
    return entries


def _text(value) -> str:
    if value is None or isinstance(value, dict):  # a mapping is no text (warned)
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return strip_html(str(value))


def _list(value) -> list:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _authors(value) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    text = _text(value)
    return [a.strip() for a in re.split(r",|\band\b", text) if a.strip()]


def _id_of(value: str) -> tuple[str, str]:
    """``("doi"|"arxiv"|"", identifier)`` of an LWT id (``doi:…``, bare DOI…)."""
    value = str(value or "").strip()
    kind, _, rest = value.partition(":")
    if kind.lower() == "arxiv" and normalize_arxiv(rest):
        return "arxiv", normalize_arxiv(rest)
    if kind.lower() == "doi" and normalize_doi(rest):
        return "doi", normalize_doi(rest)
    if normalize_doi(value):
        return "doi", normalize_doi(value)
    if normalize_arxiv(value):
        return "arxiv", normalize_arxiv(value)
    return "", value


def _partial_date(value) -> str | None:
    """A year (``date: 2020``, which YAML reads as a number) or a month
    (``2020-06``) alone, as partial as it is written; None if neither."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", str(value).strip())
    if isinstance(value, bool) or not match:
        return None
    month = int(match.group(2) or 0)
    return partial_date(match.group(1), month) if month <= 12 else None


def _entry_date(value) -> str | None:
    """A date of citations.yaml as far as it is known.

    The template's citation step, which writes citations.yaml, pads a date it
    knows only to the month or the year with ones (``2022`` becomes
    ``2022-01-01``, October 2021 ``2021-10-01``), so a first of the month says
    no day there: ``2021-10-01`` is read as ``2021-10`` and ``2022-01-01`` as
    ``2022``. A page then never claims "1 January 2022" for a chapter of 2022.
    """
    full = normalize_date(value)
    if full is None:
        return _partial_date(value)
    if not full.endswith("-01"):
        return full
    year, month = full[:4], int(full[5:7])
    return partial_date(year, 0 if month == 1 else month)


def _venue(entry: dict, meta: dict, year: str) -> Venue:
    """The entry's publisher, else the registry's venue, else none."""
    if _text(entry.get("publisher")):
        return recognise(  # with its markup: <b>Best Paper</b> is a note
            str(entry.get("publisher")),
            acronym=_text(entry.get("publishershort")),
            year=year,
            entry_type=_text(entry.get("type")),
        )
    if meta:
        return venue_of_metadata(meta)
    return recognise("")


class LwtImport:
    """Turns entries into records; ``resolve(kind, id)`` looks up bare ids."""

    def __init__(
        self,
        writer,
        name: str,
        site_root: Path | None = None,
        base_url: str = "",
        resolve: Callable[[str, str], dict] | None = None,
    ):
        self.writer, self.name = writer, name
        self.site_root, self.base_url, self.resolve = site_root, base_url, resolve
        self.groups: dict[str, tuple[ConferenceRecord, list[PaperRecord]]] = {}

    def warn(self, line: int, message: str) -> None:
        self.writer.warnings.append(Warning_(f"{self.name}:{line}", message))

    def add(self, line: int, entry: dict) -> None:
        self._mappings(line, entry)
        kind, identifier = _id_of(entry.get("id"))
        meta = self._metadata(line, entry, kind, identifier)
        title = _text(entry.get("title")) or meta.get("title", "")
        date = self._date(line, entry, meta)
        venue = _venue(entry, meta, (date or "")[:4])
        paper = paper_from_metadata(meta, "", f"{self.name}:{line}")
        paper.title = title
        if not title:
            paper.slug = f"{kind}-{identifier}" if kind else "untitled"
        paper.authors = _authors(entry.get("authors")) or paper.authors
        paper.date = date or paper.date
        conference = place(
            paper,
            venue,
            lambda message: self.warn(line, f"'{title or identifier}': {message}"),
        )
        if conference is not None and venue.name != conference.name:
            paper.venue = venue.name  # the edition's Name is another paper's spelling
        if kind == "doi":
            paper.doi = identifier
        elif kind == "arxiv":
            paper.arxiv = identifier
        description = _text(entry.get("description"))
        if description:
            paper.abstract = description
        paper.tags = [
            tag.strip()
            for value in _list(entry.get("tags"))
            for tag in _text(value).split(",")
            if tag.strip()
        ]
        self._image(line, paper, _text(entry.get("image")))
        self._links(line, paper, entry)
        for key, value in sorted(entry.items()):
            if key not in KNOWN and key not in IGNORED and _text(value):
                paper.extra[extra_key(key, "Lwt")] = _text(value)
        if conference is None:
            self.writer.add_paper(paper)
            return
        group = self.groups.setdefault(conference.slug, (conference, []))
        group[1].append(paper)

    def _mappings(self, line: int, entry: dict) -> None:
        """A mapping where text was expected is named and left out."""
        for key, value in sorted(entry.items(), key=lambda item: str(item[0])):
            if key in IGNORED:  # buttons and extra-links are lists of mappings
                continue
            if isinstance(value, dict) or (
                isinstance(value, list) and any(isinstance(v, dict) for v in value)
            ):
                self.warn(
                    line,
                    f"{key}: a mapping ('key: value' lines) where text was expected; "
                    f"left out (write it as {key}: text)",
                )

    def _metadata(self, line: int, entry: dict, kind: str, identifier: str) -> dict:
        """What the id's registry says, when the entry lacks something."""
        wanted = ("title", "authors", "publisher", "date")
        if not (kind and self.resolve) or all(_text(entry.get(k)) for k in wanted):
            return {}
        try:
            return self.resolve(kind, identifier)
        except FetchError as error:
            self.warn(
                line,
                f"{kind}:{identifier} was not looked up ({error}); "
                "fill in what the entry lacks",
            )
            return {}

    def _date(self, line: int, entry: dict, meta: dict) -> str | None:
        # citations.yaml is the template's output, sources.yaml the lab's own
        generated = Path(self.name).name == "citations.yaml"
        date = (
            _entry_date(entry.get("date"))
            if generated
            else normalize_date(entry.get("date")) or _partial_date(entry.get("date"))
        ) or normalize_date(meta.get("date"))
        if entry.get("date") and not (
            normalize_date(entry.get("date")) or _partial_date(entry.get("date"))
        ):
            self.warn(line, f"the date '{entry.get('date')}' is not a date; left out")
        return date

    def _links(self, line: int, paper: PaperRecord, entry: dict) -> None:
        """Buttons and extra links, the GitHub repo, the main link."""
        for button in _list(entry.get("buttons")) + _list(entry.get("extra-links")):
            if isinstance(button, dict):
                self._button(line, paper, button)
            else:
                self.warn(
                    line, f"the link '{_text(button)[:40]}' is not a mapping; left out"
                )
        repo = _text(entry.get("repo"))
        if repo and not paper.code and re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            paper.code = f"https://github.com/{repo}"
        link = _text(entry.get("link"))
        if link:
            url = self._url(line, link)
            if url and not (paper.doi and "doi.org/" in url):
                add_main_link(paper, url)

    def _url(self, line: int, value: str) -> str | None:
        return site_url(value, self.base_url, lambda m: self.warn(line, m))

    def _button(self, line: int, paper: PaperRecord, button: dict) -> None:
        kind = _text(button.get("type")).lower()
        value = _text(button.get("link"))
        text = _text(button.get("text"))
        if kind == "github" and re.fullmatch(r"[\w.-]+/[\w.-]+", value):
            value = f"https://github.com/{value}"
        if kind == "youtube" and value.startswith("watch?v="):
            value = f"https://www.youtube.com/{value}"
        url = self._url(line, value)
        if url is None:
            return
        arxiv_id = normalize_arxiv(url)
        if kind in ("arxiv", "preprint") and arxiv_id:
            paper.arxiv = paper.arxiv or arxiv_id
            if looks_like_pdf(url) and not paper.pdf:
                paper.pdf = url
            return
        if (
            kind in ("github", "gitlab", "code")
            or (kind == "source" and is_code_host(url))
        ) and not paper.code:
            paper.code = url
            return
        if (
            kind in ("paper", "pdf", "preprint")
            and (looks_like_pdf(url) or kind == "paper")
            and not paper.pdf
            and not normalize_doi(url)
        ):
            paper.pdf = url
            return
        if normalize_doi(url) and not paper.doi:
            paper.doi = normalize_doi(url)
            return
        label, icon = LINK_TYPES.get(kind, (kind.title() or "Link", "fa-solid fa-link"))
        if kind in ("github", "gitlab", "code"):
            label, icon = "Code", "fa-brands fa-github"
        add_link_once(paper, text or label, url, icon)

    def _image(self, line: int, paper: PaperRecord, image: str) -> None:
        relative = image.lstrip("/")
        site_image(
            paper,
            image,
            [(self.site_root, p) for p in (relative, "images/" + relative)]
            if self.site_root is not None
            else [],
            lambda m: self.warn(line, m),
        )

    def finish(self) -> None:
        """One conference an edition, dated by its year: the papers' own dates
        say when each came out, not when the conference took place."""
        self.groups = adopt_acronyms(self.groups, self.writer.warn)
        for slug in sorted(self.groups):
            conference, papers = self.groups[slug]
            conference = self.writer.add_conference(conference)
            for paper in papers:
                self.writer.add_paper(paper)
