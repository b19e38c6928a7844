"""Planning a sync: works matched to files, each file's new text, the state.

The rules (see the package's docstring) live here: a managed field is
replaced only when it still holds what the last sync wrote; the body follows
the same rule; a citation count is never lowered; keys are written in the
content format's order (format/fields.py), so that a second run changes no
byte.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..base import matching, openalex, paths, venues
from ..base.text import clean_text
from ..format import fields as table
from ..format.schema import scan_header
from ..importers.common import edition_type
from ..importers.writer import (
    ConferenceRecord,
    PaperRecord,
    make_slug,
    render_conference,
    render_paper,
)
from .sources import (
    Lab,
    _header_end,
    _values,
    existing_conferences,
    existing_papers,
    read_header,
)
from .write import STATE_FILE, state_file

JOURNALS = "journals"
PREPRINTS = "preprints"
#: Fields sync writes and keeps current; anything else in a file is the author's.
SYNCED = frozenset(
    {
        "Title",
        "Authors",
        "Conference",
        "Track",
        "Workshop",
        "Date",
        "Pdf",
        "Arxiv",
        "Doi",
        "Journal",
        "Volume",
        "Issue",
        "Pages",
        "Publisher",
        "Preprint",
        "Links",
        "Type",
        "Openalex",
        "Citations",
    }
)
#: The same in the content format's order (format/fields.py), the order sync
#: writes them in: the one the importers' writer and ``new`` write.
MANAGED = tuple(key.name for key in table.PAPER if key.name in SYNCED)
#: Where each key goes in a header: before the keys that follow it in the table.
_RANK = {key.id: rank for rank, key in enumerate(table.PAPER)}
#: Where a citation count comes from, as the paper page names it.
CITATIONS_SOURCE = "OpenAlex"
_COUNT = re.compile(r"^\s*(\d+)\b")


@dataclass
class Plan:
    files: dict[Path, bytes] = field(default_factory=dict)  # new text of each file
    added: list[str] = field(default_factory=list)
    conferences: list[str] = field(default_factory=list)  # new conference files
    merged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # hand edits kept
    skipped: list[str] = field(default_factory=list)  # "what: why"


def _venue(work: openalex.Work) -> venues.Venue:
    if work.is_preprint:
        return venues.recognise(
            work.venue or "arXiv", year=work.year or "", source_type="repository"
        )
    return venues.recognise(
        work.venue,
        year=work.year or "",
        source_type=work.venue_type,
        volume=work.volume,
        issue=work.issue,
        pages=work.pages,
    )


def _links(work: openalex.Work) -> list[tuple[str, str, str]]:
    landing = work.landing
    host = urlsplit(landing).hostname or ""
    if (
        not landing
        or host in ("doi.org", "dx.doi.org", "arxiv.org")
        or host.endswith(".arxiv.org")
    ):
        return []
    return [("Publisher", landing, "fa-solid fa-book-open")]


def paper_fields(
    paper: matching.Paper, venue: venues.Venue, lab: Lab | None = None, day: str = ""
) -> dict[str, str]:
    """The managed fields of a paper file, rendered as they are written."""
    work = paper.work
    lab = lab or Lab()
    authors = [lab.name_of(author) for author in work.authors]
    fields = {
        "Title": work.title,
        # The writer's rule: "; " between names when a name holds a comma.
        "Authors": render_paper(PaperRecord(title="", authors=authors, conference=""))
        .strip()
        .partition(": ")[2],
        "Date": paper.first_date,
        "Pdf": work.pdf,
        "Arxiv": work.arxiv,
        "Doi": "" if work.doi.lower().startswith("10.48550/") else work.doi,
        "Openalex": ", ".join(sorted(i for i in paper.openalex_ids if i)),
        # A snapshot: the count, where and when (see _citations).
        "Citations": (
            f"{work.cited_by} ({CITATIONS_SOURCE}, {day})" if work.cited_by else ""
        ),
    }
    fields["Links"] = "; ".join(
        f"{label} <{url}> {icon}" for label, url, icon in _links(work)
    )
    if venue.kind in ("conference", "workshop"):
        fields["Conference"] = venue.slug
        fields["Track"] = venue.track
        fields["Workshop"] = venue.workshop
        fields["Type"] = edition_type(venue, venue.workshop)
        fields["Pages"] = work.pages
    elif venue.kind == "journal":
        fields.update(
            Journal=venue.name,
            Volume=venue.volume,
            Issue=venue.issue,
            Pages=venue.pages,
            Publisher=work.publisher,
        )
    else:
        fields["Preprint"] = venue.server or venue.name or "arXiv"
    # Every managed key: "" says "none" (a preprint's Preprint: goes when it is
    # published), a key left out (see _venue_of_file) says "leave it alone".
    return {key: clean_text(fields.get(key, "")) for key in MANAGED}


def _citations(fields: dict[str, str], have: str) -> None:
    """A count is never lowered (OpenAlex's counts dip as it merges records),
    and a count that has not grown keeps its date, so that a second run with
    nothing new changes no byte."""
    old, new = _COUNT.match(have or ""), _COUNT.match(fields.get("Citations", ""))
    if old and (not new or int(old.group(1)) >= int(new.group(1))):
        fields["Citations"] = have


def _folder(venue: venues.Venue) -> str:
    if venue.kind in ("conference", "workshop"):
        return venue.slug
    return JOURNALS if venue.kind == "journal" else PREPRINTS


def render_new(fields: dict[str, str], abstract: str) -> str:
    """A new paper file: the managed fields in their fixed order, then the abstract."""
    lines = [f"{key}: {fields[key]}" for key in MANAGED if fields.get(key)]
    text = "\n".join(lines) + "\n"
    abstract = clean_text(abstract)
    return text + ("\n" + abstract + "\n" if abstract else "")


def update_text(
    text: str, fields: dict[str, str], written: dict[str, str]
) -> tuple[str, dict[str, str], list[str]]:
    """The file with its managed fields brought up to date, what sync now wrote,
    and the fields kept because a hand changed them since the last sync."""
    lines, header = read_header(text)
    edits = Edits()
    for key in MANAGED:
        if key in fields:
            edits.decide(key, fields[key], header.get(key.lower()), written)
        elif key in written:
            edits.state[key] = written[key]
    out = edits.apply(lines, header, _header_end(lines, scan_header(text)))
    return "\n".join(out), edits.state, edits.kept


@dataclass
class Edits:
    """What :func:`update_text` does to one file's header: lines replaced
    (first line -> (end line, new line or None to drop it)), lines added (each
    before the first key the table puts after it, else at the header's end),
    the state sync now stands behind, the hand edits kept."""

    replace: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    append: list[tuple[str, str]] = field(default_factory=list)  # key, line
    state: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def decide(
        self,
        key: str,
        new: str,
        have: tuple[int, int, str] | None,
        written: dict[str, str],
    ) -> None:
        """One managed key: ``have`` is the file's (first line, end line, value)."""
        if have is None:
            if written.get(key):
                self.kept.append(key)  # sync wrote it, a hand removed it
                self.state[key] = written[key]
            elif new:
                self.append.append((key, f"{key}: {new}"))
                self.state[key] = new
            return
        start, end, value = have
        if key not in written or written[key] != value:
            if value != new:
                self.kept.append(key)
            if key in written:
                self.state[key] = written[key]
            return
        if new != value:
            self.replace[start] = (end, f"{key}: {new}" if new else None)
        if new:
            self.state[key] = new

    def apply(
        self,
        lines: list[str],
        header: dict[str, tuple[int, int, str]],
        header_end: int,
    ) -> list[str]:
        before: dict[int, list[str]] = {}
        for key, line in self.append:
            later = [
                start
                for name, (start, _, _) in header.items()
                if _RANK.get(name, -1) > _RANK[key.lower()]
            ]
            before.setdefault(min(later, default=header_end), []).append(line)
        out, index = [], 0
        while index < len(lines):
            out.extend(before.pop(index, []))
            if index in self.replace:
                end, line = self.replace[index]
                if line is not None:
                    out.append(line)
                index = end
                continue
            out.append(lines[index])
            index += 1
        return out + [line for index in sorted(before) for line in before[index]]


def _digest(text: str) -> str:
    """What the state file records of an abstract: enough to know it again."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def update_body(text: str, abstract: str, written: str) -> tuple[str, str, bool]:
    """The file with its body (the abstract) brought up to date, the digest
    of the body sync now stands behind ("" for none), and whether a hand edit
    was kept. The body is sync's to replace when the file has none or it is
    the abstract the last sync wrote (``written``); any other body is the
    author's and stays, and so does no body where sync had written one."""
    lines = text.split("\n")
    end = _header_end(lines, scan_header(text))
    body = "\n".join(lines[end:]).strip()
    abstract = clean_text(abstract).strip()
    if body and _digest(body) != written:
        return text, written, bool(written) and body != abstract
    if not body and written:  # sync wrote one, a hand removed it: as a field
        return text, written, True
    if not abstract or body == abstract:
        return text, _digest(body) if body else "", False
    head = "\n".join(lines[:end]).rstrip("\n")
    return f"{head}\n\n{abstract}\n", _digest(abstract), False


def _venue_of_file(fields: dict[str, str], relative: str) -> None:
    """Leave out what would move a paper already in the content: a file in a
    conference's folder belongs to it; only a preprint's file gains a venue."""
    folder = relative.split("/")[1] if relative.count("/") >= 2 else ""
    if folder != PREPRINTS:
        for key in ("Conference", "Track", "Workshop", "Type"):
            fields.pop(key, None)
    if folder not in (JOURNALS, PREPRINTS):
        for key in ("Journal", "Preprint"):
            fields.pop(key, None)


def _new_conference(
    plan: Plan, content: Path, venue: venues.Venue, conferences: set[str]
) -> None:
    """The conference file of an edition the content does not have yet."""
    if venue.slug in conferences:
        return
    conferences.add(venue.slug)
    record = ConferenceRecord(
        slug=venue.slug,
        title=venue.title,
        date=venue.year,  # only what the source knows: the year
        name=venue.name if venue.name != venue.title else "",
    )
    path = content / "conferences" / f"{venue.slug}.md"
    plan.files[path] = render_conference(record).encode("utf-8")
    plan.conferences.append(path.relative_to(content).as_posix())


def plan_sync(
    works: list[openalex.Work],
    content: Path,
    state: dict[str, dict[str, str]],
    lab: Lab | None = None,
    day: str = "",
) -> tuple[Plan, dict[str, dict[str, str]]]:
    """Every file sync would write (the state file included) and the new state.
    ``day`` is the date a citation count is taken on."""
    plan = Plan()
    existing, files = existing_papers(content)
    run = _Run(plan, content, state, files, existing_conferences(content), lab, day)
    run.skip_unusable(works)
    for paper in matching.group(works):
        venue = _venue(paper.work)
        folder = _folder(venue)
        why = _skip_reason(venue, folder)
        found = existing.find(paper)
        if not why and len(found) > 1:
            why = f"the files {', '.join(found)} are the same paper; keep one of them"
        if why:
            plan.skipped.append(f"{paper.work.url} ({paper.work.title[:60]}): {why}")
        elif found:
            run.update(paper, venue, found[0])
        else:
            run.add(paper, venue, folder)
    state_bytes = state_file(content, run.state)
    if state_bytes is not None:
        plan.files[content / STATE_FILE] = state_bytes
    return plan, run.state


def _skip_reason(venue: venues.Venue, folder: str) -> str:
    """Why sync does not write a paper of ``venue`` ("" when it does)."""
    if venue.kind not in ("conference", "workshop", "journal", "preprint"):
        return venue.problem or f"it is a {venue.kind}, which sync does not write yet"
    why = paths.slug_problem(folder)
    if why:
        return (
            f"its venue's slug {folder!r} cannot be a folder: {why}; "
            "add the paper by hand"
        )
    return ""


@dataclass
class _Run:
    """One planning run: the plan it fills, the state before and after, the
    files and conferences there are (and those it adds)."""

    plan: Plan
    content: Path
    before: dict[str, dict[str, str]]
    files: dict[str, Path]
    conferences: set[str]
    lab: Lab | None
    day: str
    state: dict[str, dict[str, str]] = field(init=False)
    taken: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.state = {key: dict(value) for key, value in self.before.items()}
        self.taken = set(self.files)

    def skip_unusable(self, works: list[openalex.Work]) -> None:
        """Works that are no paper (a dataset, an erratum): said once each."""
        seen = set()
        for work in works:
            if work.skip_reason and work.openalex not in seen:
                seen.add(work.openalex)
                self.plan.skipped.append(
                    f"{work.url} ({work.title[:60]}): {work.skip_reason}"
                )

    def _merged(self, paper: matching.Paper) -> None:
        if len(paper.works) > 1:
            ids = " + ".join(w.openalex for w in paper.works)
            self.plan.merged.append(f"{paper.work.title[:60]}: {ids}")

    def update(self, paper: matching.Paper, venue: venues.Venue, relative: str):
        """A paper the content has: its managed fields and body brought up to
        date where no hand changed them."""
        fields = paper_fields(paper, venue, self.lab, self.day)
        path = self.files[relative]
        # Line endings and byte-order mark as the file has them: an editor's
        # CRLF stays CRLF, its BOM stays (and is no part of the first key).
        raw = path.read_bytes().decode("utf-8")
        bom = "\ufeff" if raw.startswith("\ufeff") else ""
        old = raw.removeprefix(bom).replace("\r\n", "\n")
        ending = "\r\n" if "\r\n" in raw else "\n"
        _venue_of_file(fields, relative)
        _citations(fields, _values(path).get("citations", ""))
        before = self.before.get(relative, {})
        text, written, kept = update_text(old, fields, before)
        text, digest, body_kept = update_body(
            text, paper.work.abstract, before.get("Abstract", "")
        )
        if digest:
            written["Abstract"] = digest
        if body_kept:
            kept.append("the abstract")
        self.state[relative] = written
        self.plan.kept += [f"{relative}: {key}" for key in kept]
        if text == old:
            self.plan.unchanged.append(relative)
            return
        self.plan.files[path] = (bom + text.replace("\n", ending)).encode("utf-8")
        self.plan.updated.append(relative)
        self._merged(paper)
        if written.get("Conference") == venue.slug:
            _new_conference(self.plan, self.content, venue, self.conferences)

    def add(self, paper: matching.Paper, venue: venues.Venue, folder: str) -> None:
        """A paper the content lacks: a new file under its venue's folder."""
        work = paper.work
        fields = paper_fields(paper, venue, self.lab, self.day)
        base = make_slug(work.title)
        slug, number = base, 2
        while f"papers/{folder}/{slug}.md" in self.taken:
            slug, number = f"{base}-{number}", number + 1
        relative = f"papers/{folder}/{slug}.md"
        self.taken.add(relative)
        if folder == fields.get("Conference"):
            fields.pop("Conference")  # the folder names it
        self.plan.files[self.content / relative] = render_new(
            fields, work.abstract
        ).encode()
        self.state[relative] = {key: value for key, value in fields.items() if value}
        abstract = clean_text(work.abstract).strip()
        if abstract:
            self.state[relative]["Abstract"] = _digest(abstract)
        self.plan.added.append(relative)
        self._merged(paper)
        if venue.kind in ("conference", "workshop"):
            _new_conference(self.plan, self.content, venue, self.conferences)
