"""``pelican-papers sync``: the lab's paper list kept current from OpenAlex (issue 16).

Why a command and not a build step: a build must not depend on a service being
up, and a webmaster wants to read what changes before it does (``--dry-run``
prints the exact diff, ``git diff content/`` shows it after). The pure parts
live below this module (openalex.py reads works, matching.py decides which
works and files are one paper, venues.py says where a work appeared, http.py
asks); this module only plans files and writes them.

Rules it keeps:

- Never lose an edit. ``content/.sync-state.json`` records, per file and field,
  what sync last wrote. A field whose value differs from that record was
  edited by hand and stays; a field sync never wrote is the author's.
- The body (the abstract) follows the same rule: sync writes it into a file
  without one and replaces only the one it wrote (its digest is in the state).
- Members are named as their files name them (ORCID iD, OpenAlex id, else a
  name or alias), so that their pages list the paper.
- A citation count is a dated snapshot that a later sync never lowers.
- A second run with nothing new changes no byte: values are rendered in one
  fixed way, and files whose text would not change are not written.
- All or nothing. Every answer is fetched and every file planned before the
  first byte is written; a fault (429 beyond the cap, 503, a timeout, garbage)
  leaves content/ untouched (the cache included) and says so in one line.
  Writes are staged beside their targets, then swapped in with os.replace.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from pelican.settings import read_settings

from . import settings
from .base import http, identifiers, matching, openalex, paths, venues
from .base.names import Directory
from .base.text import clean_text
from .base.urls import url_problem
from .format.schema import scan_header, split_list
from .importers import doi as crossref
from .importers.writer import (
    ConferenceRecord,
    PaperRecord,
    make_slug,
    render_conference,
    render_paper,
)
from .importers.yaml_data import load_yaml

USER_AGENT = "pelican-papers sync (a Pelican plugin; https://docs.openalex.org)"
#: Seconds a request may take in all.
TIMEOUT = 30.0
#: An OpenAlex page of 200 works is about 1-2 MB.
LIMIT = 20_000_000
#: Seconds between two requests to OpenAlex (its polite limit is 10 a second).
INTERVAL = 0.2
#: A 429's Retry-After is honoured up to this many seconds; beyond it sync stops.
MAX_RETRY_AFTER = 30.0
#: How many 429 answers in a row sync waits out before it gives up.
MAX_RETRIES = 3
STATE_FILE = ".sync-state.json"
CACHE_FOLDER = Path(".cache") / "openalex"
JOURNALS = "journals"
PREPRINTS = "preprints"
#: Fields sync writes and keeps current; anything else in a file is the author's.
MANAGED = (
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
    "Openalex",
    "Citations",
)
#: Where a citation count comes from, as the paper page names it.
CITATIONS_SOURCE = "OpenAlex"
_COUNT = re.compile(r"^\s*(\d+)\b")


class SyncFailure(Exception):
    """A fault that stops the sync before anything is written: one line."""


# --- reading the content folder ----------------------------------------------


def read_header(text: str) -> tuple[list[str], dict[str, tuple[int, int, str]]]:
    """The file's lines and, per lower-case key, (first line, end line, value):
    the lines ``schema.scan_header`` finds as metadata, continuation lines joined."""
    lines = text.split("\n")
    keys = scan_header(text)
    found: dict[str, tuple[int, int, str]] = {}
    ends = [number for _, number in keys[1:]]
    header_end = _header_end(lines, keys)
    for (key, number), following in zip(keys, [*ends, header_end + 1], strict=True):
        start = number - 1
        value = lines[start].split(":", 1)[1].strip()
        more = [line.strip() for line in lines[start + 1 : following - 1]]
        value = " ".join([value, *more]).strip()
        found.setdefault(key, (start, following - 1, value))
    return lines, found


def _header_end(lines: list[str], keys: list[tuple[str, int]]) -> int:
    """The index (0-based) of the first line after the header."""
    if not keys:
        return 0
    index = keys[-1][1]
    while (
        index < len(lines) and lines[index].startswith("    ") and lines[index].strip()
    ):
        index += 1
    return index


def _values(path: Path) -> dict[str, str]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {key: value for key, (_, _, value) in read_header(text)[1].items()}


@dataclass
class Lab:
    """The members as a synced author list must name them: a work's author with
    a member's ORCID iD or OpenAlex id, else with her name or an alias (names.py's
    rule, the one the pages link by), is written with the member's Name, so that
    her page lists the paper."""

    by_orcid: dict[str, str] = field(default_factory=dict)
    by_openalex: dict[str, str] = field(default_factory=dict)
    names: Directory = field(default_factory=Directory)

    def name_of(self, author: openalex.Author) -> str:
        return (
            self.by_orcid.get(author.orcid)
            or self.by_openalex.get(author.openalex)
            or self.names.canonical(author.name)
            or author.name
        )


def lab_members(content: Path) -> Lab:
    lab = Lab()
    for path in sorted((content / "members").glob("*.md")):
        try:
            header = read_header(path.read_text("utf-8"))[1]
        except (OSError, UnicodeDecodeError):
            continue  # the build reports a file it cannot read
        name = header.get("name", (0, 0, ""))[2]
        if not name:
            continue
        aliases = split_list(header.get("aliases", (0, 0, ""))[2])
        lab.names.add(name, None, aliases)
        for value in split_list(header.get("orcid", (0, 0, ""))[2]):
            orcid = identifiers.normalize_orcid(value)
            if orcid:
                lab.by_orcid.setdefault(orcid, name)
        for value in split_list(header.get("openalex", (0, 0, ""))[2]):
            if openalex.short_id(value):
                lab.by_openalex.setdefault(openalex.short_id(value), name)
    return lab


def member_authors(content: Path) -> list[tuple[str, str]]:
    """("FILE:LINE", ORCID iD or OpenAlex author id) of every member file."""
    found = []
    for path in sorted((content / "members").glob("*.md")):
        try:
            header = read_header(path.read_text("utf-8"))[1]
        except (OSError, UnicodeDecodeError):
            continue  # the build reports a file it cannot read
        for key in ("orcid", "openalex"):
            start, _, values = header.get(key, (0, 0, ""))
            for value in values.replace(";", ",").split(","):
                if value.strip():
                    found.append((f"{path}:{start + 1}", value.strip()))
    return found


def source_entries(
    content: Path,
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[str]]:
    """lab-website-template's sources.yaml: its ``orcid:`` entries (whose works
    are asked for), its ``id: doi:…|arxiv:…|pmid:…`` entries as (where, kind,
    value), and notes for entries sync cannot use."""
    path = content / "sources.yaml"
    if not path.is_file():
        return [], [], []
    try:
        _, data = load_yaml(path.read_text("utf-8"))
    except Exception as error:  # yaml.YAMLError, UnicodeDecodeError
        raise SyncFailure(f"{path}: cannot be read as YAML ({error})") from None
    found, ids, notes = [], [], []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        if entry.get("orcid"):
            found.append((str(path), str(entry["orcid"])))
        if entry.get("id"):
            value = clean_text(str(entry["id"]))
            kind, _, rest = value.partition(":")
            kind = kind.strip().lower()
            identifier = _identifier(kind, rest.strip())
            if identifier:
                ids.append((str(path), *identifier))
            else:
                notes.append(
                    f"{path}: 'id: {value[:60]}' is not a DOI, arXiv id or PubMed "
                    "id sync can ask for (write e.g. 'id: doi:10.1109/CVPR.2020.1', "
                    "'id: arxiv:2210.05938' or 'id: pmid:29456894')"
                )
    return found, ids, notes


def _identifier(kind: str, value: str) -> tuple[str, str] | None:
    """("doi", DOI), ("arxiv", id) or ("pmid", digits) from a sources.yaml id."""
    if kind == "doi" and identifiers.normalize_doi(value):
        doi = identifiers.normalize_doi(value)
        arxiv = identifiers.arxiv_of_doi(doi)
        return ("arxiv", arxiv) if arxiv else ("doi", doi)
    if kind == "arxiv" and identifiers.arxiv_key(value):
        return "arxiv", identifiers.arxiv_key(value)
    if kind == "pmid" and value.isdigit():
        return "pmid", value
    return None


def existing_papers(content: Path) -> tuple[matching.Existing, dict[str, Path]]:
    entries, files = [], {}
    for path in sorted((content / "papers").rglob("*.md")):
        values = _values(path)
        relative = path.relative_to(content).as_posix()
        values["path"] = relative
        entries.append(values)
        files[relative] = path
    return matching.Existing.of(entries), files


def existing_conferences(content: Path) -> set[str]:
    return {path.stem for path in (content / "conferences").glob("*.md")}


# --- asking OpenAlex ---------------------------------------------------------


class NotFound(SyncFailure):
    """The service knows no such work (404), or --offline has no answer for it."""


class Asker:
    """GET JSON through the plugin's one HTTP client (http.py) in its fresh mode:
    polite (an interval, a mailto), 429s waited out up to a cap, the answers
    staged for the cache until the run succeeds; ``--offline`` reads the cache
    alone."""

    def __init__(self, cache: Path, offline: bool, timeout: float | None = None):
        self.client = http.Client(
            TIMEOUT if timeout is None else timeout,
            USER_AGENT,
            allow_loopback=True,
            cache=cache,
            offline=offline,
            fresh=True,
            interval=INTERVAL,
            retries=MAX_RETRIES,
            max_wait=MAX_RETRY_AFTER,
            on_wait=_say_wait,
        )
        self.offline = offline

    def __call__(self, url: str, key: str | None = None) -> object:
        body = self.body(url, key)
        try:
            return json.loads(body)
        except ValueError:
            host = urlsplit(url).netloc
            raise SyncFailure(f"{host} answered something that is not JSON") from None

    def body(self, url: str, key: str | None = None) -> bytes:
        try:
            return self.client.get(
                url, LIMIT, accept="application/json", key=key or _cache_key(url)
            )
        except http.StatusError as error:
            if error.status == 404:
                raise NotFound(str(error)) from None
            raise SyncFailure(str(error)) from None
        except http.FetchError as error:
            if self.offline:
                raise NotFound(str(error)) from None
            raise SyncFailure(str(error)) from None

    def cache_files(self) -> dict[Path, bytes]:
        return dict(self.client.staged)


def _say_wait(host: str, seconds: float) -> None:
    print(f"sync: {host} asks to wait {seconds:g} s", file=sys.stderr)


def _cache_key(url: str) -> str:
    """``/works?…`` or ``/works/doi:…`` without ``mailto`` and the host: the same
    answer whoever asks, and a test server on any port finds what the last run
    kept."""
    parts = urlsplit(url)
    query = "&".join(
        part for part in parts.query.split("&") if not part.startswith("mailto=")
    )
    path = parts.path.rstrip("/")
    return f"openalex:{path[max(0, path.find('/works')) :]}?{query}"


# --- planning ----------------------------------------------------------------


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
    paper: matching.Paper, venue: venues.Venue, lab: Lab | None = None
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
            f"{work.cited_by} ({CITATIONS_SOURCE}, {today()})" if work.cited_by else ""
        ),
    }
    fields["Links"] = "; ".join(
        f"{label} <{url}> {icon}" for label, url, icon in _links(work)
    )
    if venue.kind in ("conference", "workshop"):
        fields["Conference"] = venue.slug
        fields["Track"] = venue.track
        fields["Workshop"] = venue.workshop
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


def today() -> str:
    """The date a citation count is taken on (UTC; tests fix it)."""
    return datetime.now(UTC).date().isoformat()


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
    replace: dict[int, tuple[int, str | None]] = {}
    append: list[str] = []
    state, kept = {}, []
    for key in MANAGED:
        if key not in fields:
            if key in written:
                state[key] = written[key]
            continue
        new = fields[key]
        have = header.get(key.lower())
        if have is None:
            if written.get(key):
                kept.append(key)  # sync wrote it, a hand removed it
                state[key] = written[key]
            elif new:
                append.append(f"{key}: {new}")
                state[key] = new
            continue
        start, end, value = have
        if key not in written or written[key] != value:
            if value != new:
                kept.append(key)
            if key in written:
                state[key] = written[key]
            continue
        if new != value:
            replace[start] = (end, f"{key}: {new}" if new else None)
        if new:
            state[key] = new
    out, index = [], 0
    header_end = _header_end(lines, scan_header(text))
    while index < len(lines):
        if index == header_end and append:
            out.extend(append)
            append = []
        if index in replace:
            end, line = replace[index]
            if line is not None:
                out.append(line)
            index = end
            continue
        out.append(lines[index])
        index += 1
    if append:
        out.extend(append)
    return "\n".join(out), state, kept


def _digest(text: str) -> str:
    """What the state file records of an abstract: enough to know it again."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def update_body(text: str, abstract: str, written: str) -> tuple[str, str, bool]:
    """The file with its body (the abstract) brought up to date, the digest
    of the body sync now stands behind ("" for none), and whether a hand edit
    was kept. The body is sync's to replace when the file has none or it is
    the abstract the last sync wrote (``written``); any other body is the
    author's and stays."""
    lines = text.split("\n")
    end = _header_end(lines, scan_header(text))
    body = "\n".join(lines[end:]).strip()
    abstract = clean_text(abstract).strip()
    if body and _digest(body) != written:
        return text, written, bool(written) and body != abstract
    if not abstract or body == abstract:
        return text, _digest(body) if body else "", False
    head = "\n".join(lines[:end]).rstrip("\n")
    return f"{head}\n\n{abstract}\n", _digest(abstract), False


def _venue_of_file(fields: dict[str, str], relative: str) -> None:
    """Leave out what would move a paper already in the content: a file in a
    conference's folder belongs to it; only a preprint's file gains a venue."""
    folder = relative.split("/")[1] if relative.count("/") >= 2 else ""
    if folder != PREPRINTS:
        for key in ("Conference", "Track", "Workshop"):
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
) -> tuple[Plan, dict[str, dict[str, str]]]:
    plan = Plan()
    existing, files = existing_papers(content)
    conferences = existing_conferences(content)
    new_state = {key: dict(value) for key, value in state.items()}
    seen_skips = set()
    for work in works:
        if work.skip_reason and work.openalex not in seen_skips:
            seen_skips.add(work.openalex)
            plan.skipped.append(f"{work.url} ({work.title[:60]}): {work.skip_reason}")
    taken = set(files)
    for paper in matching.group(works):
        work = paper.work
        venue = _venue(work)
        if venue.kind not in ("conference", "workshop", "journal", "preprint"):
            why = (
                venue.problem or f"it is a {venue.kind}, which sync does not write yet"
            )
            plan.skipped.append(f"{work.url} ({work.title[:60]}): {why}")
            continue
        folder = _folder(venue)
        why = paths.slug_problem(folder)
        if why:
            plan.skipped.append(
                f"{work.url} ({work.title[:60]}): its venue's slug {folder!r} "
                f"cannot be a folder: {why}; add the paper by hand"
            )
            continue
        fields = paper_fields(paper, venue, lab)
        merged = f"{work.title[:60]}: {' + '.join(w.openalex for w in paper.works)}"
        found = existing.find(paper)
        if len(found) > 1:
            plan.skipped.append(
                f"{work.url} ({work.title[:60]}): the files {', '.join(found)} are "
                "the same paper; keep one of them"
            )
            continue
        if found:
            relative = found[0]
            path = files[relative]
            old = path.read_text("utf-8")
            _venue_of_file(fields, relative)
            _citations(fields, _values(path).get("citations", ""))
            before = state.get(relative, {})
            text, written, kept = update_text(old, fields, before)
            text, digest, body_kept = update_body(
                text, work.abstract, before.get("Abstract", "")
            )
            if digest:
                written["Abstract"] = digest
            if body_kept:
                kept.append("the abstract")
            new_state[relative] = written
            plan.kept += [f"{relative}: {key}" for key in kept]
            if text != old:
                plan.files[path] = text.encode("utf-8")
                plan.updated.append(relative)
                if len(paper.works) > 1:
                    plan.merged.append(merged)
                if written.get("Conference") == venue.slug:
                    _new_conference(plan, content, venue, conferences)
            else:
                plan.unchanged.append(relative)
            continue
        base = make_slug(work.title)
        slug, number = base, 2
        while f"papers/{folder}/{slug}.md" in taken:
            slug, number = f"{base}-{number}", number + 1
        relative = f"papers/{folder}/{slug}.md"
        taken.add(relative)
        if folder == fields.get("Conference"):
            fields.pop("Conference")  # the folder names it
        plan.files[content / relative] = render_new(fields, work.abstract).encode()
        new_state[relative] = {key: value for key, value in fields.items() if value}
        if clean_text(work.abstract).strip():
            new_state[relative]["Abstract"] = _digest(clean_text(work.abstract).strip())
        plan.added.append(relative)
        if len(paper.works) > 1:
            plan.merged.append(merged)
        if venue.kind in ("conference", "workshop"):
            _new_conference(plan, content, venue, conferences)
    state_text = json.dumps(new_state, indent=1, sort_keys=True, ensure_ascii=False)
    state_path = content / STATE_FILE
    old_state = state_path.read_bytes() if state_path.is_file() else b""
    if (state_text + "\n").encode() != old_state and (new_state or old_state):
        plan.files[state_path] = (state_text + "\n").encode("utf-8")
    return plan, new_state


# --- writing -----------------------------------------------------------------


def diff(plan: Plan, content: Path) -> str:
    out = []
    for path in sorted(plan.files):
        old = path.read_text("utf-8") if path.is_file() else ""
        new = plan.files[path].decode("utf-8")
        name = path.relative_to(content).as_posix()
        out += difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"a/{name}" if old else "/dev/null",
            f"b/{name}",
        )
    return "".join(out)


def swap(files: dict[Path, bytes]) -> None:
    """Write every file beside its target, then move them all in place."""
    staged = []
    try:
        for path, data in sorted(files.items()):
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.sync-part")
            partial.write_bytes(data)
            staged.append((partial, path))
    except OSError:
        for partial, _ in staged:
            partial.unlink(missing_ok=True)
        raise
    for partial, path in staged:
        os.replace(partial, path)


def _mailto(args) -> str:
    if args.mailto:
        return args.mailto
    settings_file = args.settings or (
        "pelicanconf.py" if Path("pelicanconf.py").is_file() else None
    )
    if not settings_file:
        return ""
    value = settings.setting(read_settings(settings_file), "SYNC_MAILTO")
    if not isinstance(value, str):
        raise SyncFailure(f"{settings.PREFIX}SYNC_MAILTO must be a string")
    return value


def fetch_works(args, content: Path, asker: Asker) -> tuple[list, list[str]]:
    authors = member_authors(content)
    more, ids, notes = source_entries(content)
    authors += more
    if not authors and not ids:
        raise SyncFailure(
            f"no member file in {content / 'members'} has an Orcid: or Openalex: "
            "line (write e.g. 'Orcid: 0000-0002-1825-0097')"
        )
    base = args.openalex_url or openalex.API
    why = openalex.api_problem(base)
    if why:
        raise SyncFailure(f"--openalex-url {base}: {why}")
    mailto = _mailto(args)
    works, seen, asked = [], set(), set()
    for where, author in authors:
        try:
            query = openalex.author_filter(author)
        except ValueError as error:
            notes.append(f"{where}: {error}")
            continue
        if query in asked:
            continue
        asked.add(query)
        print(f"sync: asking OpenAlex for the works of {author}", file=sys.stderr)
        count = 0
        try:
            for raw in openalex.iter_works(asker, author, base=base, mailto=mailto):
                count += 1
                work = openalex.parse_work(raw)
                if work.openalex not in seen:
                    seen.add(work.openalex)
                    works.append(work)
                    notes += [str(note) for note in work.problems]
        except openalex.OpenAlexError as error:
            raise SyncFailure(str(error)) from None
        print(f"sync: {count} work(s) of {author}", file=sys.stderr)
    for where, kind, value in ids:
        work = fetch_one(asker, kind, value, base, mailto)
        if work is None and asker.offline:
            notes.append(f"{where}: {kind}:{value} is not in the cache (--offline)")
        elif work is None:
            notes.append(
                f"{where}: neither OpenAlex nor Crossref knows {kind}:{value}; "
                "check the id, or add the paper by hand"
                + (" or with 'pelican-papers import arxiv'" if kind == "arxiv" else "")
            )
        elif not work.openalex or work.openalex not in seen:
            seen.add(work.openalex)
            works.append(work)
            notes += [str(note) for note in work.problems]
    return works, notes


def fetch_one(
    asker: Asker, kind: str, value: str, base: str, mailto: str
) -> openalex.Work | None:
    """The work a sources.yaml id names: OpenAlex's, else (a DOI) Crossref's."""
    print(f"sync: asking OpenAlex for {kind}:{value}", file=sys.stderr)
    url = openalex.work_url(kind, value, base=base, mailto=mailto)
    try:
        return openalex.parse_work(asker(url))
    except NotFound:
        pass
    except openalex.OpenAlexError as error:
        raise SyncFailure(f"{url}: {error}") from None
    if kind != "doi":
        return None
    print(f"sync: asking Crossref for doi:{value}", file=sys.stderr)
    url = f"{crossref.api_url()}/{quote(value, safe='')}"
    try:
        body = asker.body(url, f"crossref:{value.lower()}")
    except NotFound:
        return None
    try:
        return crossref_work(crossref.parse_work(body, value))
    except crossref.FetchError as error:
        raise SyncFailure(str(error)) from None


#: Crossref's work types as the source types the venue recogniser reads.
_CROSSREF_SOURCES = {
    "journal-article": "journal",
    "proceedings-article": "conference",
    "posted-content": "repository",
}


def crossref_work(record: dict) -> openalex.Work:
    """A Crossref record (importers/doi.py's) as the Work an OpenAlex one would be."""
    kind = record.get("type") or ""
    date = record.get("date_as_given") or ""
    pdf = record.get("pdf") or ""
    if url_problem(pdf) or urlsplit(pdf).scheme not in ("http", "https"):
        pdf = ""
    title = openalex.plain(record.get("title"))
    return openalex.Work(
        openalex="",
        title=title,
        authors=tuple(openalex.Author(name=name) for name in record["authors"]),
        year=int(date[:4]) if date[:4].isdigit() else None,
        date=date,
        type="preprint" if kind == "posted-content" else kind,
        doi=record.get("doi") or "",
        venue=openalex.plain(record.get("venue")),
        venue_type=_CROSSREF_SOURCES.get(kind, ""),
        publisher=openalex.plain(record.get("publisher")),
        volume=record.get("volume") or "",
        issue=record.get("issue") or "",
        pages=(record.get("pages") or "").replace("\u2013", "-"),
        pdf=pdf,
        abstract=openalex.plain(record.get("abstract")),
        skip_reason=openalex.NOT_PAPERS.get(kind, "")
        or ("" if title else "it has no title"),
    )


def run(args) -> int:
    content = Path(args.content)
    if not content.is_dir():
        print(f"pelican-papers: error: {content}: no such folder", file=sys.stderr)
        return 1
    asker = Asker(content / CACHE_FOLDER, args.offline)
    try:
        works, notes = fetch_works(args, content, asker)
        state_path = content / STATE_FILE
        state = (
            json.loads(state_path.read_text("utf-8")) if state_path.is_file() else {}
        )
        plan, _ = plan_sync(
            works,
            content,
            state if isinstance(state, dict) else {},
            lab_members(content),
        )
    except SyncFailure as error:
        print(
            f"pelican-papers: sync stopped, content unchanged: {error}", file=sys.stderr
        )
        return 1
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    if args.dry_run:
        sys.stdout.write(diff(plan, content))
    else:
        swap({**asker.cache_files(), **plan.files})
    for what in plan.skipped:
        print(f"skipped {what}", file=sys.stderr)
    for what in plan.kept:
        print(f"kept a hand edit: {what}", file=sys.stderr)
    verb = "would be" if args.dry_run else "were"
    print(
        f"sync: {len(plan.added)} added, {len(plan.merged)} merged, "
        f"{len(plan.updated)} updated, {len(plan.unchanged)} unchanged, "
        f"{len(plan.skipped)} skipped, {len(plan.conferences)} new conference(s) "
        f"({len(plan.files)} file(s) {verb} written)"
    )
    return 0


def add_parser(commands) -> None:
    """``pelican-papers sync [CONTENT_DIR] [--dry-run] [--offline] ...``."""
    sub = commands.add_parser(
        "sync", help="add and update the members' papers from OpenAlex"
    )
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument(
        "--dry-run", action="store_true", help="print the diff; write nothing"
    )
    sub.add_argument(
        "--offline", action="store_true", help="use the cache only; ask nothing"
    )
    sub.add_argument(
        "--openalex-url",
        metavar="URL",
        help="another OpenAlex (https://, or http://127.0.0.1:PORT for a test)",
    )
    sub.add_argument(
        "--mailto",
        metavar="M",
        help="your e-mail for OpenAlex's polite pool "
        "(default CONFERENCE_PAPERS_SYNC_MAILTO)",
    )
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.set_defaults(func=run)
