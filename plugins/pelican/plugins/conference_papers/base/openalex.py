"""OpenAlex works, read into neutral records: the pure core of ``pelican-papers sync``.

OpenAlex (https://docs.openalex.org) describes a work in far more fields than a
paper file holds, in shapes that vary from work to work (a venue may sit in
``primary_location`` or only in ``locations``, an arXiv id only in a landing
page URL, the abstract only as an inverted index). This module reads what a
paper file needs into a frozen :class:`Work` and says why a work is no paper
(an erratum, a peer review, a dataset), so that matching, writing and the HTTP
client each see one plain record and never OpenAlex's JSON.

It is a leaf above ``text``, ``urls`` and ``identifiers``: no network (the
pager takes a ``fetch_json`` callable, so tests and the real client share it),
no files. Text from OpenAlex is reduced to plain text here; whoever puts it in a
page still escapes it there, after the last step that changes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from .identifiers import arxiv_key, arxiv_of_doi, normalize_doi, normalize_orcid
from .text import strip_html
from .urls import url_problem

#: The public API; ``--openalex-url`` replaces it.
API = "https://api.openalex.org"
#: Where a work's own page is: the "file" a Note names.
OPENALEX_PAGE = "https://openalex.org/"
#: The most OpenAlex gives on one page (documented range 1-200).
PER_PAGE = 200
#: 200 works a page: 10,000 works by one author before the pager gives up.
MAX_PAGES = 50
#: Locations a work may list (a real one has a handful); the rest are ignored.
MAX_LOCATIONS = 100
#: An abstract longer than this many words is not an abstract.
MAX_ABSTRACT_WORDS = 5000

#: OpenAlex ``type`` values that are not papers of the lab, and why.
NOT_PAPERS = {
    "erratum": "it is an erratum (a correction of another work)",
    "peer-review": "it is a peer review, not a paper",
    "dataset": "it is a dataset, not a paper",
    "paratext": "it is paratext (a cover, a table of contents, front matter)",
    "retraction": "it is a retraction notice",
    "supplementary-material": "it is supplementary material of another work",
    "grant": "it is a grant, not a paper",
}
_PREPRINT_TYPES = frozenset({"preprint", "posted-content"})
_OPENALEX_ID = re.compile(r"^(?:https?://openalex\.org/)?([WAS]\d+)$", re.IGNORECASE)
_AUTHOR_ID = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.IGNORECASE)
# A tag is "<" and a letter or "/": "a < b" in an abstract is kept.
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class OpenAlexError(Exception):
    """OpenAlex (or what stands in for it) answered something we cannot page through."""


@dataclass(frozen=True)
class Note:
    """Something of a work left out, with what to do: a ``schema.Problem`` without
    a line, since the "file" is the work's page at OpenAlex (``source``)."""

    source: str  # https://openalex.org/W…
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Author:
    name: str
    orcid: str = ""
    openalex: str = ""  # A5012345678


@dataclass(frozen=True)
class Work:
    """What a paper file can hold of one OpenAlex work; "" where it knows nothing."""

    openalex: str  # W4307000000
    title: str
    authors: tuple[Author, ...] = ()
    year: int | None = None
    date: str = ""  # 2022, 2022-10 or 2022-10-11: only as precise as given
    type: str = ""  # OpenAlex's type: article, preprint, book-chapter ...
    doi: str = ""  # 10.5555/x, case as given, no URL
    arxiv: str = ""  # 2210.05938, without version
    venue: str = ""  # the source's display_name
    venue_type: str = ""  # journal, conference, repository, book series ...
    publisher: str = ""  # the source's host_organization_name
    volume: str = ""
    issue: str = ""
    pages: str = ""  # 12-34, or 12 when only the first page is known
    pdf: str = ""  # only from an open-access location
    landing: str = ""
    abstract: str = ""  # plain text
    cited_by: int = 0
    skip_reason: str = ""  # why this is no paper; "" for a paper
    problems: tuple[Note, ...] = field(default=(), compare=False)

    @property
    def is_preprint(self) -> bool:
        """A preprint: typed so, or found only on a repository (arXiv, bioRxiv)."""
        return self.type in _PREPRINT_TYPES or self.venue_type == "repository"

    @property
    def url(self) -> str:
        return OPENALEX_PAGE + self.openalex


def short_id(value: Any) -> str:
    """``W2741809807`` from an OpenAlex id or its URL, else ""."""
    match = _OPENALEX_ID.match(value.strip()) if isinstance(value, str) else None
    return match.group(1).upper() if match else ""


def plain(value: Any) -> str:
    """Plain text of an OpenAlex string: entities decoded, tags and controls dropped.

    Decoding comes first, so ``&lt;script&gt;`` cannot come back as a tag.
    """
    return strip_html(value) if isinstance(value, str) else ""


def abstract_text(index: Any, limit: int = MAX_ABSTRACT_WORDS) -> str:
    """The abstract from OpenAlex's ``abstract_inverted_index`` (word -> positions).

    Linear in the number of positions: each word goes into its slot of one list.
    Positions at or past ``limit`` or not integers are dropped, so a hostile
    index cannot make us allocate a list of a billion slots; gaps are skipped.
    """
    if not isinstance(index, Mapping):
        return ""
    placed: list[tuple[int, str]] = [
        (position, word)
        for word, positions in index.items()
        if isinstance(word, str) and isinstance(positions, list)
        for position in positions
        if type(position) is int and 0 <= position < limit
    ]
    slots: list[str | None] = [None] * (max(p for p, _ in placed) + 1 if placed else 0)
    for position, word in placed:
        slots[position] = word
    return plain(" ".join(word for word in slots if word is not None))


def _text(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return plain(value)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _date(work: Mapping, year: int | None) -> str:
    match = _DATE.match(plain(work.get("publication_date")))
    if match and (year is None or int(match.group(1)) == year):
        return "-".join(part for part in match.groups() if part)
    return str(year) if year else ""


def _year(work: Mapping) -> int | None:
    year = work.get("publication_year")
    if type(year) is int and 1000 <= year <= 9999:
        return year
    match = _DATE.match(plain(work.get("publication_date")))
    return int(match.group(1)) if match else None


def _locations(work: Mapping) -> list[Mapping]:
    """Every location once, the primary one first."""
    found: list[Mapping] = []
    for location in [
        work.get("primary_location"),
        *_list(work.get("locations"))[:MAX_LOCATIONS],
        work.get("best_oa_location"),
    ]:
        if isinstance(location, Mapping) and location not in found:
            found.append(location)
    return found


def _source(location: Mapping) -> Mapping:
    source = location.get("source")
    return source if isinstance(source, Mapping) else {}


def _venue(locations: list[Mapping]) -> Mapping:
    """The source of the version of record: a journal or proceedings, not arXiv."""
    sources = [_source(location) for location in locations]
    sources = [s for s in sources if plain(s.get("display_name"))]
    for source in sources:
        if source.get("type") != "repository":
            return source
    return sources[0] if sources else {}


def _arxiv(doi: str, locations: list[Mapping]) -> str:
    """arXiv's own DOI, else the first arXiv abs/pdf URL of any location."""
    found = arxiv_of_doi(doi) if doi else None
    if found:
        return arxiv_key(found) or ""
    for location in locations:
        for key in ("landing_page_url", "pdf_url"):
            url = location.get(key)
            found = arxiv_key(url) if isinstance(url, str) else None
            if found:
                return found
    return ""


def _url(value: Any, what: str, problems: list[Note], openalex: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    value = value.strip()
    # A page links it as it stands: it must be absolute, and http(s) (no mailto:).
    why = url_problem(value) or (
        None
        if urlsplit(value).scheme.lower() in ("http", "https")
        else "it is not an http(s) address"
    )
    if why:
        problems.append(
            Note(
                OPENALEX_PAGE + openalex,
                f"its {what} {value!r} is left out: {why}",
                "the paper is written without it; add a link by hand if it is right",
            )
        )
        return ""
    return value


def _pages(biblio: Mapping) -> str:
    first, last = _text(biblio.get("first_page")), _text(biblio.get("last_page"))
    if first and last and first != last:
        return f"{first}-{last}"
    return first or last


def _authors(work: Mapping) -> tuple[Author, ...]:
    authors = []
    for authorship in _list(work.get("authorships")):
        if not isinstance(authorship, Mapping):
            continue
        author = authorship.get("author")
        author = author if isinstance(author, Mapping) else {}
        name = plain(author.get("display_name")) or plain(
            authorship.get("raw_author_name")
        )
        if not name:
            continue
        orcid = author.get("orcid")
        authors.append(
            Author(
                name=name,
                orcid=(normalize_orcid(orcid) or "") if isinstance(orcid, str) else "",
                openalex=short_id(author.get("id")),
            )
        )
    return tuple(authors)


def skip_reason(work: Mapping) -> str:
    """Why an OpenAlex work is no paper of the lab; "" when it is one."""
    kind = work.get("type")
    if isinstance(kind, str) and kind in NOT_PAPERS:
        return NOT_PAPERS[kind]
    if work.get("is_paratext") is True:
        return NOT_PAPERS["paratext"]
    return ""


def parse_work(work: Any) -> Work:
    """One OpenAlex work object as a :class:`Work`.

    Raises :class:`OpenAlexError` only when the object has no OpenAlex id (then
    nothing can name it); any other gap becomes an empty field, a bad URL a
    :class:`Note` in ``problems``, and a work without a title a ``skip_reason``.
    """
    if not isinstance(work, Mapping):
        raise OpenAlexError(f"a work is {type(work).__name__}, not a JSON object")
    ids = work.get("ids") if isinstance(work.get("ids"), Mapping) else {}
    openalex = short_id(work.get("id")) or short_id(ids.get("openalex"))
    if not openalex.startswith("W"):
        raise OpenAlexError(
            f"a work has no OpenAlex id (id: {str(work.get('id'))[:80]!r})"
        )
    problems: list[Note] = []
    locations = _locations(work)
    raw_doi = work.get("doi") or ids.get("doi") or ""
    doi = (normalize_doi(raw_doi) or "") if isinstance(raw_doi, str) else ""
    year = _year(work)
    venue = _venue(locations)
    biblio = work.get("biblio") if isinstance(work.get("biblio"), Mapping) else {}
    title = plain(work.get("title")) or plain(work.get("display_name"))
    pdf = ""
    best = work.get("best_oa_location")
    for location in sorted(locations, key=lambda location: location is not best):
        if location.get("is_oa") is True and location.get("pdf_url"):
            pdf = _url(location.get("pdf_url"), "pdf_url", problems, openalex)
            if pdf:
                break
    landing = ""
    for location in locations:
        landing = _url(
            location.get("landing_page_url"), "landing page", problems, openalex
        )
        if landing:
            break
    cited = work.get("cited_by_count")
    return Work(
        openalex=openalex,
        title=title,
        authors=_authors(work),
        year=year,
        date=_date(work, year),
        type=plain(work.get("type")).lower(),
        doi=doi,
        arxiv=_arxiv(doi, locations),
        venue=plain(venue.get("display_name")),
        venue_type=plain(venue.get("type")).lower(),
        publisher=plain(venue.get("host_organization_name")),
        volume=_text(biblio.get("volume")),
        issue=_text(biblio.get("issue")),
        pages=_pages(biblio),
        pdf=pdf,
        landing=landing,
        abstract=abstract_text(work.get("abstract_inverted_index")),
        cited_by=cited if type(cited) is int and cited >= 0 else 0,
        skip_reason=skip_reason(work) or ("" if title else "it has no title"),
        problems=tuple(dict.fromkeys(problems)),
    )


def author_filter(author: str) -> str:
    """``author.orcid:0000-…`` or ``author.id:A…`` for an ORCID iD or author id.

    Raises ValueError with what to write instead.
    """
    orcid = normalize_orcid(author)
    if orcid:
        return f"author.orcid:{orcid}"
    match = _AUTHOR_ID.match(author.strip())
    if match:
        return f"author.id:{match.group(1).upper()}"
    raise ValueError(
        f"'{author}' is neither an ORCID iD nor an OpenAlex author id "
        "(write e.g. 'Orcid: 0000-0002-1825-0097' or 'Openalex: A5012345678')"
    )


def api_problem(base: str) -> str | None:
    """Why ``base`` may not stand in for OpenAlex: https, or http to 127.0.0.1 only."""
    why = url_problem(base)
    if why:
        return why
    parts = urlsplit(base)
    if parts.scheme == "https" and parts.netloc:
        return None
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return None
    return "write https://… (or http://127.0.0.1:PORT for a test server)"


def works_url(
    author: str,
    cursor: str = "*",
    *,
    base: str = API,
    mailto: str = "",
    per_page: int = PER_PAGE,
) -> str:
    """The /works URL of one page of an author's works (cursor paging)."""
    why = api_problem(base)
    if why:
        raise ValueError(f"the OpenAlex address '{base}' cannot be used: {why}")
    query = {
        "filter": author_filter(author),
        "per-page": str(per_page),
        "cursor": cursor,
    }
    if mailto:
        query["mailto"] = mailto  # OpenAlex's "polite pool"
    return f"{base.rstrip('/')}/works?{urlencode(query, safe=':*')}"


def work_url(kind: str, value: str, *, base: str = API, mailto: str = "") -> str:
    """The address of one work by an external id: ``/works/doi:10.x/y`` or
    ``/works/pmid:123`` (https://docs.openalex.org, "Get a single work"); an
    arXiv id is asked as arXiv's DOI, 10.48550/arXiv.ID, which OpenAlex holds."""
    why = api_problem(base)
    if why:
        raise ValueError(f"the OpenAlex address '{base}' cannot be used: {why}")
    if kind == "arxiv":
        kind, value = "doi", f"10.48550/arXiv.{value}"
    if kind not in ("doi", "pmid"):
        raise ValueError(f"OpenAlex is not asked by {kind!r}")
    url = f"{base.rstrip('/')}/works/{kind}:{quote(value, safe='/:')}"
    return f"{url}?{urlencode({'mailto': mailto})}" if mailto else url


def iter_works(  # noqa: PLR0913 - keyword-only knobs with defaults, named per call
    fetch_json: Callable[[str], Any],
    author: str,
    *,
    base: str = API,
    mailto: str = "",
    per_page: int = PER_PAGE,
    max_pages: int = MAX_PAGES,
) -> Iterator[Any]:
    """Every work object of one author, page after page, following ``meta.next_cursor``.

    Stops when a page comes back empty or without a next cursor. A cursor seen
    before (a server going round in circles) or more than ``max_pages`` pages
    raise :class:`OpenAlexError` instead of looping for ever.
    """
    cursor, seen = "*", set()
    for _ in range(max_pages):
        seen.add(cursor)
        url = works_url(author, cursor, base=base, mailto=mailto, per_page=per_page)
        page = fetch_json(url)
        results = page.get("results") if isinstance(page, Mapping) else None
        meta = page.get("meta") if isinstance(page, Mapping) else None
        if not isinstance(results, list) or not isinstance(meta, Mapping):
            raise OpenAlexError(
                f"{url}: the answer is not a list of works (no 'results' and 'meta')"
            )
        yield from results
        cursor = meta.get("next_cursor")
        if not results or not cursor:
            return
        if not isinstance(cursor, str) or cursor in seen:
            raise OpenAlexError(
                f"{url}: OpenAlex sent the cursor {str(cursor)[:40]!r} twice; "
                "stopped paging instead of going round in circles"
            )
    raise OpenAlexError(
        f"{author}: more than {max_pages} pages of {per_page} works; "
        "stopped (is the ORCID iD or author id the right one?)"
    )
