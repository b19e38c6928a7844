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
- A second run with nothing new changes no byte: values are rendered in one
  fixed way, and files whose text would not change are not written.
- All or nothing. Every answer is fetched and every file planned before the
  first byte is written; a fault (429 beyond the cap, 503, a timeout, garbage)
  leaves content/ untouched (the cache included) and says so in one line.
  Writes are staged beside their targets, then swapped in with os.replace.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import read_settings

from . import settings
from .base import http, matching, openalex, paths, venues
from .base.text import clean_text
from .format.schema import scan_header
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
)


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


def source_authors(content: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``orcid:`` entries of lab-website-template's sources.yaml, and notes
    for the entries sync cannot use yet (``id: doi:…``, ``id: arxiv:…``)."""
    path = content / "sources.yaml"
    if not path.is_file():
        return [], []
    try:
        _, data = load_yaml(path.read_text("utf-8"))
    except Exception as error:  # yaml.YAMLError, UnicodeDecodeError
        raise SyncFailure(f"{path}: cannot be read as YAML ({error})") from None
    found, notes = [], []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        if entry.get("orcid"):
            found.append((str(path), str(entry["orcid"])))
        if entry.get("id"):
            notes.append(
                f"{path}: 'id: {clean_text(str(entry['id']))[:60]}' is not asked "
                "yet (sync reads the orcid: entries); import it with "
                f"'pelican-papers import lwt {path} --into {path.parent}'"
            )
    return found, notes


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


class Asker:
    """GET JSON from OpenAlex: polite (an interval, a mailto), 429s waited out up
    to a cap, answers kept in memory for the cache until the run succeeds."""

    def __init__(self, cache: Path, offline: bool, timeout: float | None = None):
        timeout = TIMEOUT if timeout is None else timeout
        self.reader = http.Client(
            timeout, USER_AGENT, allow_loopback=True, cache=cache, offline=True
        )
        self.client = http.Client(timeout, USER_AGENT, allow_loopback=True)
        self.offline = offline
        self.answers: dict[str, bytes] = {}
        self.last = 0.0

    def __call__(self, url: str) -> object:
        key = _cache_key(url)
        if self.offline:
            body = self.reader.get_cached(key)
            if body is None:
                raise SyncFailure(f"{url} is not in the cache and --offline was given")
        else:
            body = self._fetch(url)
            self.answers[key] = body
        try:
            return json.loads(body)
        except ValueError:
            host = urlsplit(url).netloc
            raise SyncFailure(f"{host} answered something that is not JSON") from None

    def _fetch(self, url: str) -> bytes:
        for _ in range(MAX_RETRIES + 1):
            wait = self.last + INTERVAL - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.last = time.monotonic()
            try:
                return self.client.get(url, LIMIT, accept="application/json")
            except http.StatusError as error:
                if error.status != 429:
                    raise SyncFailure(str(error)) from None
                after = _retry_after(error.headers)
                if after > MAX_RETRY_AFTER:
                    raise SyncFailure(
                        f"{error.host} answered 429 Too Many Requests and asks to "
                        f"wait {after:g} s (more than {MAX_RETRY_AFTER:g} s)"
                    ) from None
                print(f"sync: {error.host} asks to wait {after:g} s", file=sys.stderr)
                time.sleep(after)
            except http.FetchError as error:
                raise SyncFailure(str(error)) from None
        raise SyncFailure(
            f"{urlsplit(url).netloc} answered 429 Too Many Requests "
            f"{MAX_RETRIES + 1} times in a row"
        )

    def cache_files(self) -> dict[Path, bytes]:
        files = {}
        for key, body in self.answers.items():
            path = self.reader._cached(key)
            if path is not None:
                files[path] = body
        return files


def _cache_key(url: str) -> str:
    """``/works?…`` without ``mailto`` and the host: the same answer whoever
    asks, and a test server on any port finds what the last run kept."""
    parts = urlsplit(url)
    query = "&".join(
        part for part in parts.query.split("&") if not part.startswith("mailto=")
    )
    return f"openalex:{parts.path.rstrip('/').rsplit('/', 1)[-1]}?{query}"


def _retry_after(headers: dict) -> float:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return MAX_RETRY_AFTER + 1  # an HTTP date: a long wait
    return 1.0


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


def paper_fields(paper: matching.Paper, venue: venues.Venue) -> dict[str, str]:
    """The managed fields of a paper file, rendered as they are written."""
    work = paper.work
    fields = {
        "Title": work.title,
        # The writer's rule: "; " between names when a name holds a comma.
        "Authors": render_paper(
            PaperRecord(title="", authors=[a.name for a in work.authors], conference="")
        )
        .strip()
        .partition(": ")[2],
        "Date": paper.first_date,
        "Pdf": work.pdf,
        "Arxiv": work.arxiv,
        "Doi": "" if work.doi.lower().startswith("10.48550/") else work.doi,
        "Openalex": ", ".join(sorted(paper.openalex_ids)),
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
    works: list[openalex.Work], content: Path, state: dict[str, dict[str, str]]
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
        fields = paper_fields(paper, venue)
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
            text, written, kept = update_text(old, fields, state.get(relative, {}))
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
    more, notes = source_authors(content)
    authors += more
    if not authors:
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
    return works, notes


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
        plan, _ = plan_sync(works, content, state if isinstance(state, dict) else {})
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
