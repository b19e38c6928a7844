"""What several importers share: dates, URLs, venues, link kinds."""

from __future__ import annotations

import datetime as dt
import html
import re
import string
from urllib.parse import quote, urljoin, urlsplit

from ..icons import normalize_icon_name
from ..schema import normalize_arxiv, normalize_doi
from ..text import clean_text
from ..urls import url_problem
from .writer import ConferenceRecord, PaperRecord, make_slug

_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
# A tag ends at the next > or before the next <: "<" * 10_000 costs one pass.
_TAG = re.compile(r"<[^<>]*>")
# A token of an acronym: two capitals at least (CVPR, NeurIPS, ApJ, ECCV-W, LBD@ISMIR):
# ASCII letters, digits and @&+./- up to the second capital, word characters after.
_ACRONYM_HEAD = frozenset(string.ascii_letters + string.digits + "@&+./-")
_ACRONYM_TAIL = re.compile(r"[\w@&+./-]*")
_YEAR = re.compile(r"^'?(\d{2}|\d{4})$")
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


def strip_html(text: str) -> str:
    """Text without tags or entities (``IEEE Design &amp; Test``)."""
    return clean_text(html.unescape(_TAG.sub("", str(text or ""))))


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
        paper.links.append(("Paper", url, "fa-solid fa-file-lines"))


# --- venues ------------------------------------------------------------------


def is_acronym_token(token: str) -> bool:
    """Whether ``token`` is (part of) an acronym, in one pass: the regular
    expression this replaces backtracked, cubic in a long run of capitals."""
    capitals = 0
    for index, char in enumerate(token):
        if char not in _ACRONYM_HEAD:
            return False
        if "A" <= char <= "Z":
            capitals += 1
            if capitals == 2:
                return _ACRONYM_TAIL.fullmatch(token, index + 1) is not None
    return False


def _acronym(text: str) -> str:
    """The leading acronym tokens of ``text`` ("CVPR - Oral" -> "CVPR")."""
    tokens = []
    for token in text.split():
        if len(token) <= 16 and is_acronym_token(token):
            tokens.append(token)
        else:
            break
    return " ".join(tokens[:2])


def parse_venue(publisher: str) -> tuple[str, str, str, str]:
    """``(short, name, year, note)`` of a publisher/booktitle/journal string.

    "Computer Vision and Pattern Recognition (CVPR 2020)" -> ("CVPR", the name
    without the parentheses, "2020", ""); "Dependable Systems (DSN) - Industry
    Track" -> ("DSN", …, "", "Industry Track"). Without an acronym the short
    name is the name itself.
    """
    text = strip_html(publisher)
    text = re.sub(r"\s+", " ", text).strip(" .,")
    for match in re.finditer(r"\(([^()]*)\)", text):
        inside = match.group(1).strip()
        words = inside.split()
        year = ""
        if words and _YEAR.match(words[-1]):
            year = words[-1].lstrip("'")
            year = year if len(year) == 4 else f"20{year}"
            words = words[:-1]
        short = _acronym(" ".join(words))
        if short:
            name = clean_text(text[: match.start()] + text[match.end() :]).strip(" ,.")
            after = text[match.end() :].strip(" -–,.")
            note = after if re.search(r"\b(track|workshop)\b", after, re.I) else ""
            return short, name or short, year, note
    # DBLP style: "IEEE/CVF Conference on …, CVPR 2022, New Orleans, …".
    for segment in text.split(","):
        match = re.fullmatch(r"\s*(\S+)\s+'?((?:19|20)\d{2})\s*", segment)
        if match and is_acronym_token(match.group(1)):
            name = clean_text(text.split(",")[0])
            return match.group(1), name, match.group(2), ""
    # "(Best Paper Award)": a note, not part of the venue's name.
    notes = [m.group(1).strip() for m in re.finditer(r"\(([^()]*)\)", text)]
    text = clean_text(re.sub(r"\([^()]*\)", " ", text)).strip(" ,.-") or text
    name = re.sub(r"^(proceedings of\s+)?(the\s+)?", "", text, flags=re.I).strip()
    name = re.sub(r"^\d+(st|nd|rd|th)\s+", "", name, flags=re.I)
    year_match = re.match(r"^((?:19|20)\d{2})\s+", name)
    year = year_match.group(1) if year_match else ""
    name = name[year_match.end() :] if year_match else name
    trailing = re.search(r"\s+'?((?:19|20)\d{2})$", name)
    if trailing:
        year, name = year or trailing.group(1), name[: trailing.start()]
    name = re.sub(r"\s+([,.;:])", r"\1", name)
    name = name[:1].upper() + name[1:]
    short = name if len(name) <= 24 else ""
    return short or name, name, year, "; ".join(n for n in notes if n)


def conference_for(
    venue: str, year: str, date: str, name: str = ""
) -> ConferenceRecord:
    """The conference record of a venue in a year (its slug says both)."""
    short = venue if len(venue) <= 40 else venue[:40].rsplit(" ", 1)[0]
    slug = make_slug(f"{short} {year}", fallback=f"venue-{year}")
    title = f"{short} {year}".strip()
    return ConferenceRecord(
        slug=slug,
        title=title,
        date=date,
        name=name if name and name != short else "",
    )


# --- records from arXiv / Crossref metadata -----------------------------------


def venue_of_metadata(meta: dict) -> tuple[str, str, str]:
    """``(short, name, year)`` of fetched metadata (arXiv or Crossref)."""
    year = (meta.get("date") or "")[:4]
    if meta.get("journal_ref"):
        short, name, ref_year, _ = parse_venue(meta["journal_ref"])
        found = re.search(r"\b(19|20)\d{2}\b", meta["journal_ref"])
        return short, name, ref_year or (found.group(0) if found else year)
    if meta.get("venue"):
        short, name, venue_year, _ = parse_venue(meta["venue"])
        acronym = meta.get("venue_short") or ""
        if acronym and len(acronym) <= 16 and short == name:
            short = acronym
        return short, name, venue_year or year
    return "arXiv", "", year


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
