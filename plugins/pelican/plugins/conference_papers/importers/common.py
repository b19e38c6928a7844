"""What several importers share: dates, URLs, where a paper goes, link kinds.

Where a paper goes is decided once, by :func:`..venues.recognise`, and placed
once, by :func:`place`: three importers placing papers three ways is how a
journal became a conference and "ICML 24 2024" an edition's title.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urljoin, urlsplit

from ..base.icons import normalize_icon_name
from ..base.text import clean_text
from ..base.urls import url_problem
from ..base.venues import Venue, edition_slug, recognise, series_key, two_digit_year
from ..format import fields as table
from ..format.reserved import reserved_keys
from ..format.schema import normalize_arxiv, normalize_doi
from .writer import KIND_FOLDERS, ConferenceRecord, PaperRecord, site_file

_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def normalize_date(value) -> str | None:
    """``YYYY-MM-DD`` from a date, ``2020-6-1`` or ``2020-06-01T…``; None if not."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = _DATE.match(str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def clean_url(url: str, base: str = "") -> tuple[str | None, str]:
    """A URL the schema accepts (spaces quoted, made absolute against ``base``).

    Returns ``(url, "")`` or ``(None, why)``.
    """
    url = str(url or "").strip()
    if not url:
        return None, "it is empty"
    if base and not urlsplit(url).scheme and not url.startswith("//"):
        url = urljoin(base.rstrip("/") + "/", url)
    url = quote(url, safe=":/?#[]@!$&'()*+,;=%~")
    reason = url_problem(url)
    if reason:
        return None, reason
    return url, ""


def shortened(text: str, limit: int = 60) -> str:
    """``text`` on one line and at most ``limit`` characters, for a warning."""
    text = clean_text(str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- the old site's links and images: one way for every importer ----------------


def site_url(value: str, base_url: str, warn, what: str = "the link") -> str | None:
    """The URL of a link of the old site, or None with a warning (``warn(message)``)
    saying why it is left out. A path of the old site (``assets/pdf/x.pdf``) is
    kept as it is, unless ``base_url`` makes it absolute: the writer keeps it
    aside as ``Original-…`` and says so."""
    url, why = clean_url(value, base_url)
    if url is None:
        warn(f"{what} '{shortened(value)}' is left out: {why}")
    return url


def site_image(
    paper: PaperRecord,
    image: str,
    candidates,
    warn,
    what: str = "the image",
) -> None:
    """Give ``paper`` the old site's image: the first of ``candidates`` (pairs of
    a folder and a path inside it, tried through ``site_file``) that exists.

    An image on another host, a path that leaves its folder and an image not
    found are each a warning with what to do, and the address is kept as
    ``Original-Image`` so that nothing is lost.
    """
    if not image:
        return
    if not is_relative(image):
        warn(
            f"{what} '{shortened(image)}' is on another host; download it into "
            "content/images/ and add an Image line"
        )
        paper.extra["Original-Image"] = image
        return
    for folder, relative in candidates:
        candidate, refused = site_file(folder, relative)
        if refused:
            warn(
                f"{what} '{shortened(image, 80)}' is not copied: {refused}; copy it "
                "into content/images/ and add an Image line"
            )
            paper.extra["Original-Image"] = image
            return
        if candidate is not None:
            paper.image_source = candidate
            return
    warn(
        f"{what} '{shortened(image, 80)}' was not found in the old site; copy it into "
        "content/images/ and add an Image line"
    )
    paper.extra["Original-Image"] = image


def is_relative(url: str) -> bool:
    return not urlsplit(url).scheme


def is_code_host(url: str) -> bool:
    host = urlsplit(url).netloc.lower()
    return any(host == h or host.endswith("." + h) for h in _CODE_HOSTS)


def looks_like_pdf(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return path.endswith(".pdf") or "/pdf/" in path or path.endswith("/pdf")


def icon_or_default(icon: str, default: str = "fa-solid fa-link") -> str:
    normal = normalize_icon_name(icon) if icon else None
    return normal or default


def add_main_link(paper: PaperRecord, url: str) -> None:
    """The paper's own link: arXiv, DOI, code, else the PDF (or a Paper link)."""
    arxiv, doi = normalize_arxiv(url), normalize_doi(url)
    if arxiv:
        paper.arxiv = paper.arxiv or arxiv
        if "/pdf/" in url and not paper.pdf:
            paper.pdf = url
        return
    if doi:
        paper.doi = paper.doi or doi
        return
    if is_code_host(url):
        paper.code = paper.code or url
        return
    if not paper.pdf:
        paper.pdf = url
    else:
        add_link_once(paper, "Paper", url, "fa-solid fa-file-lines")


# --- venues: where a paper goes ---------------------------------------------------

UNSORTED = KIND_FOLDERS[""]
_PRESENTATION = re.compile(r"\b(oral|spotlight|highlight|poster|invited)\b", re.I)
_AWARD = re.compile(r"\b(award|prize|best|honou?rable|runner)", re.I)


def edition_type(venue: Venue, workshop: str) -> str:
    """The ``Type:`` a paper of a conference edition needs: ``workshop`` for a
    workshop paper whose workshop has no name ("CVPR Workshops" names none),
    since without a Workshop line it would count as a main-track paper of the
    conference; else none. The importers and ``sync`` both write it."""
    return "workshop" if venue.kind == "workshop" and not workshop else ""


def place(paper: PaperRecord, venue: Venue, warn) -> ConferenceRecord | None:
    """Put ``paper`` where ``venue`` says (its folder, track, kind fields).

    Returns the conference edition to add for conference and workshop papers,
    None for the other kinds. Nothing is guessed: an edition is dated by its
    year only (DESIGN.md's partial dates), a venue that cannot be told is
    warned about with the source's line (``warn(message)``) and goes to
    ``papers/unsorted/``, where ``check`` names what to write.
    """
    _keep_notes(paper, venue)
    if venue.arxiv and not paper.arxiv:
        paper.arxiv = normalize_arxiv(venue.arxiv) or ""
        drop_repeated_links(paper)  # a "Paper" link to the arXiv page it names
    if venue.kind in ("conference", "workshop") and venue.slug:
        return _place_in_edition(paper, venue)
    if venue.kind and venue.kind in KIND_FOLDERS:
        paper.conference = KIND_FOLDERS[venue.kind]
        paper.venue = ""
        _KIND_FIELDS.get(venue.kind, _other_fields)(paper, venue)
        if venue.year and not paper.date:
            paper.date = venue.year
        return None
    paper.conference = UNSORTED
    warn(venue.problem or f"cannot tell where '{paper.title}' appeared")
    return None


def _keep_notes(paper: PaperRecord, venue: Venue) -> None:
    """The venue's notes a paper shows: its award, its presentation."""
    for note in venue.notes:
        if _AWARD.search(note):
            paper.extra.setdefault("Award", note)
        elif _PRESENTATION.search(note):
            paper.extra.setdefault("Presentation", note)


def _place_in_edition(paper: PaperRecord, venue: Venue) -> ConferenceRecord:
    paper.conference = venue.slug
    paper.track = paper.track or venue.track
    paper.workshop = paper.workshop or venue.workshop
    if edition_type(venue, paper.workshop):
        paper.extra.setdefault("Type", edition_type(venue, paper.workshop))
    return ConferenceRecord(
        slug=venue.slug,
        title=venue.title,
        date=venue.year,
        name=venue.name if venue.name != venue.title else "",
    )


def _journal_fields(paper: PaperRecord, venue: Venue) -> None:
    paper.extra["Journal"] = venue.name
    for key in ("volume", "issue", "pages"):
        if getattr(venue, key):
            paper.extra[key.title()] = getattr(venue, key)


def _preprint_fields(paper: PaperRecord, venue: Venue) -> None:
    paper.extra["Preprint"] = venue.name


def _other_fields(paper: PaperRecord, venue: Venue) -> None:
    """A thesis, a report, a book, a chapter: its Type, its Publisher."""
    paper.extra["Type"] = venue.kind
    if venue.name:
        paper.extra["Publisher"] = venue.name


#: The fields of a paper of each kind that has no edition (others: _other_fields).
_KIND_FIELDS = {"journal": _journal_fields, "preprint": _preprint_fields}


_EDITION_TITLE = re.compile(r"^(?P<acronym>.+) (?P<yy>\d{2})$")


def adopt_acronyms(groups: dict, warn) -> dict:
    """``groups`` (slug -> (conference, papers)) with each edition the source
    names without an acronym under the acronym its other editions of the same
    name have: "Proceedings of the 28th ACM International Conference on
    Architectural Support ..." of 2023 joins ASPLOS (asplos-2023, "ASPLOS 23")
    when another entry wrote "... (ASPLOS)". A name two acronyms share is left
    alone. Each adoption is a warning (``warn(where, message)``), so the lab
    can see where the acronym came from.
    """
    known: dict[str, set[str]] = {}
    for conference, _ in groups.values():
        title = _EDITION_TITLE.match(conference.title)
        key = series_key(conference.name)
        if title and key and conference.date[:4].endswith(title.group("yy")):
            known.setdefault(key, set()).add(title.group("acronym"))
    result: dict = {}
    for slug in sorted(groups):
        conference, papers = groups[slug]
        acronyms = known.get(series_key(conference.name), set())
        year = conference.date[:4]
        if _EDITION_TITLE.match(conference.title) or len(acronyms) != 1 or not year:
            result.setdefault(slug, (conference, []))[1].extend(papers)
            continue
        acronym = next(iter(acronyms))
        new_slug = edition_slug(acronym, year)
        if new_slug not in result:
            conference.slug = new_slug
            conference.title = f"{acronym} {two_digit_year(year)}"
        target = result.setdefault(new_slug, (conference, []))
        for paper in papers:
            paper.conference = new_slug
        target[1].extend(papers)
        warn(
            papers[0].origin if papers else f"conferences/{new_slug}.md",
            f"'{conference.name}' is written {acronym} ({new_slug}), as the other"
            f" entries of that name; give the entry its acronym to say so",
        )
    return result


def venue_of_metadata(meta: dict) -> Venue:
    """Where fetched metadata (arXiv or Crossref) says the work appeared."""
    year = (meta.get("date") or "")[:4]
    if meta.get("journal_ref"):
        return recognise(meta["journal_ref"], year=year)
    if meta.get("venue"):
        return recognise(
            meta["venue"],
            acronym=meta.get("venue_short") or "",
            year=year,
            entry_type=meta.get("type") or "",
        )
    return recognise("arXiv", year=year)


def partial_date(year: str, month: int = 0, day: int = 0) -> str:
    """``2022``, ``2022-11`` or ``2022-11-05``: as much as the source says."""
    if not re.fullmatch(r"\d{4}", year or ""):
        return ""
    if not 1 <= month <= 12:
        return year
    if not day:
        return f"{year}-{month:02d}"
    return normalize_date(f"{year}-{month}-{day}") or f"{year}-{month:02d}"


def add_link_once(paper: PaperRecord, label: str, url: str, icon: str) -> None:
    """A ``Links`` entry, unless the paper already links to that address."""
    if _same(url) not in addresses(paper):
        paper.links.append((label, url, icon))


def drop_repeated_links(paper: PaperRecord) -> None:
    """``Links`` without the addresses another button of the card has."""
    buttons = PaperRecord("", [], "", pdf=paper.pdf, code=paper.code)
    buttons.arxiv, buttons.doi = paper.arxiv, paper.doi
    seen = set(addresses(buttons))
    kept = []
    for label, url, icon in paper.links:
        if _same(url) not in seen:
            seen.add(_same(url))
            kept.append((label, url, icon))
    paper.links = kept


def addresses(paper: PaperRecord) -> list[str]:
    """Every address a card of ``paper`` shows a button for."""
    found = [paper.pdf, paper.code]
    found += [url for _, url, _ in paper.links]
    if paper.arxiv:
        found.append(f"https://arxiv.org/abs/{paper.arxiv}")
    if paper.doi:
        found.append(f"https://doi.org/{paper.doi}")
    return [_same(u) for u in found if u]


def _same(url: str) -> str:
    """An address as a reader compares it: an arXiv abstract or DOI by its
    identifier, else without scheme, ``www.`` and trailing slash."""
    arxiv, doi = normalize_arxiv(url), normalize_doi(url)
    if arxiv and "/pdf" not in url:
        return f"arxiv:{arxiv.lower()}"
    if doi:
        return f"doi:{doi.lower()}"
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def paper_from_metadata(meta: dict, conference: str, origin: str) -> PaperRecord:
    paper = PaperRecord(
        title=meta.get("title", ""),
        authors=list(meta.get("authors") or []),
        conference=conference,
        date=normalize_date(meta.get("date")) or "",
        abstract=meta.get("abstract", ""),
        origin=origin,
    )
    if meta.get("arxiv"):
        paper.arxiv = normalize_arxiv(meta["arxiv"]) or ""
    if meta.get("doi"):
        paper.doi = normalize_doi(meta["doi"]) or ""
    pdf, _ = clean_url(meta.get("pdf", ""))
    if pdf and not is_relative(pdf):
        paper.pdf = pdf
    return paper


def extra_key(key: str, source: str) -> str:
    """The key a field of the source the importer does not map is kept under.

    Its own name, unless that name means something to the content format or
    to Pelican (``status``, ``slug``, ``type``, ``save_as``, ``template``…):
    then the field would not be kept but obeyed, or make the file one that
    ``check`` refuses; it is kept as ``<Source>-<Key>`` instead."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", str(key)).title()
    lowered = name.lower()
    if lowered in table.names("paper") or lowered in reserved_keys("paper"):
        return f"{source}-{name}"
    return name
