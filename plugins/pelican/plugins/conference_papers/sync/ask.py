"""What sync asks of OpenAlex (and of Crossref, for a DOI OpenAlex lacks).

Why apart: the asking is the only part that waits on a service; it goes
through the plugin's one HTTP client (base/http.py) in its fresh mode, so that
every answer is fetched before the first byte is written and the cache is
written with the content or not at all.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from pelican.settings import read_settings

from .. import settings
from ..base import http, openalex
from ..base.urls import url_problem
from ..importers import doi as crossref
from .sources import SyncFailure, member_authors, source_entries

USER_AGENT = "pelican-papers sync (a Pelican plugin; https://docs.openalex.org)"
#: An OpenAlex page of 200 works is about 1-2 MB.
LIMIT = 20_000_000
#: Seconds between two requests to OpenAlex (its polite limit is 10 a second).
INTERVAL = 0.2
#: A 429's Retry-After is honoured up to this many seconds; beyond it sync stops.
MAX_RETRY_AFTER = 30.0
#: How many 429 answers in a row sync waits out before it gives up.
MAX_RETRIES = 3


# --- asking OpenAlex ---------------------------------------------------------


class NotFound(SyncFailure):
    """The service knows no such work (404), or --offline has no answer for it."""


class Asker:
    """GET JSON through the plugin's one HTTP client (http.py) in its fresh mode:
    polite (an interval, a mailto), 429s waited out up to a cap, the answers
    staged for the cache until the run succeeds; ``--offline`` reads the cache
    alone."""

    def __init__(self, cache: Path, offline: bool, timeout: float):
        self.client = http.Client(
            timeout,
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


def fetch_works(
    args, content: Path, asker: Asker
) -> tuple[list[openalex.Work], list[str]]:
    """The works of the members and of sources.yaml, each once, and notes for
    what could not be asked."""
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
    found = _Found()
    asked = set()
    for where, author in authors:
        try:
            query = openalex.author_filter(author)
        except ValueError as error:
            notes.append(f"{where}: {error}")
            continue
        if query not in asked:
            asked.add(query)
            _ask_author(asker, author, base, mailto, found)
    for where, kind, value in ids:
        work = fetch_one(asker, kind, value, base, mailto)
        if work is None:
            notes.append(f"{where}: {_unknown(kind, value, asker.offline)}")
        elif not work.openalex or work.openalex not in found.seen:
            found.add(work)
    return found.works, notes + found.notes


@dataclass
class _Found:
    """The works asked so far, each once, and the problems OpenAlex's had."""

    works: list[openalex.Work] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def add(self, work: openalex.Work) -> None:
        self.seen.add(work.openalex)
        self.works.append(work)
        self.notes += [str(note) for note in work.problems]


def _ask_author(
    asker: Asker, author: str, base: str, mailto: str, found: _Found
) -> None:
    print(f"sync: asking OpenAlex for the works of {author}", file=sys.stderr)
    count = 0
    try:
        for raw in openalex.iter_works(asker, author, base=base, mailto=mailto):
            count += 1
            work = openalex.parse_work(raw)
            if work.openalex not in found.seen:
                found.add(work)
    except openalex.OpenAlexError as error:
        raise SyncFailure(str(error)) from None
    print(f"sync: {count} work(s) of {author}", file=sys.stderr)


def _unknown(kind: str, value: str, offline: bool) -> str:
    """The note for a sources.yaml id no service knows."""
    if offline:
        return f"{kind}:{value} is not in the cache (--offline)"
    return (
        f"neither OpenAlex nor Crossref knows {kind}:{value}; "
        "check the id, or add the paper by hand"
        + (" or with 'pelican-papers import arxiv'" if kind == "arxiv" else "")
    )


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
