"""The content format of DESIGN.md: parse raw metadata into typed fields.

Pelican's readers hand us the Markdown body as HTML and the metadata as the raw
strings of the file (see ``generator.keep_raw_metadata``). Everything a lab member
can get wrong is checked here, and every mistake becomes a :class:`Problem` with
the file, the line and what to write instead, so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .icons import normalize_icon_name

ERROR = "error"
WARNING = "warning"

#: Schemes a link may use; relative URLs (no scheme) are always allowed.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})

CONFERENCE_KEYS = frozenset(
    "title name date end location url icon tracks hashtag timeline slug status".split()
)
PAPER_KEYS = frozenset(
    (
        "title authors conference track workshop date modified image pdf code arxiv "
        "doi links tags order id slug status venue"
    ).split()
)

_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")
_ARXIV_URL = re.compile(r"^https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?/?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\..+)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_LINK = re.compile(r"^(?P<label>[^<>]+?)\s*<(?P<url>[^<>]*)>\s*(?P<icon>[\w\s-]*)$")


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file: what is wrong and what to write instead."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Person:
    """An author, split the way BibTeX and Highwire tags want it."""

    given: str
    family: str

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}".strip()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Link:
    """A button on a card: what it says, where it goes, which icon it shows."""

    kind: str  # pdf, code, arxiv, doi or custom
    label: str
    url: str
    icon: str


@dataclass
class RawSource:
    """A content file as Pelican's reader returned it, before validation."""

    path: str  # relative to the content folder, with forward slashes
    full_path: str
    body: str  # the Markdown body as HTML
    meta: dict[str, Any]
    _lines: dict[str, int] | None = field(default=None, repr=False)

    def text(self, key: str) -> str:
        """The value of ``key`` as one string (continuation lines joined)."""
        value = self.meta.get(key, "")
        if isinstance(value, list):
            value = " ".join(v.strip() for v in value)
        return str(value).strip()

    def line(self, key: str | None = None) -> int:
        """The line of ``key`` in the file (1 for the file itself or a missing key).

        Read only when a problem is reported, so a clean build never pays for it.
        """
        if key is None:
            return 1
        if self._lines is None:
            self._lines = header_lines(self.full_path)
        return self._lines.get(key, 1)


def header_lines(path: str) -> dict[str, int]:
    """Map each metadata key of a Markdown file to the line it stands on."""
    lines: dict[str, int] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    break
                match = re.match(r"^([A-Za-z][\w-]*)\s*:", line)
                if match:
                    lines.setdefault(match.group(1).lower(), number)
    except OSError:
        pass
    return lines


class Collector:
    """Gathers problems of one file."""

    def __init__(self, source: RawSource):
        self.source = source
        self.problems: list[Problem] = []

    def error(self, key: str | None, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.source.path, self.source.line(key), message, hint, ERROR)
        )

    def warn(self, key: str | None, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.source.path, self.source.line(key), message, hint, WARNING)
        )


# --- single values ---------------------------------------------------------


def clean_text(value: str) -> str:
    """Drop control characters (a form feed pasted from a PDF) and fold spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())


def split_list(value: str) -> list[str]:
    """Pelican's rule for multi-valued fields: split on ``;`` if any, else ``,``."""
    separator = ";" if ";" in value else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


def parse_person(name: str) -> Person:
    """``Family, Given`` or ``Given [particles] Family``."""
    name = clean_text(name)
    if "," in name:
        family, _, given = name.partition(",")
        return Person(given.strip(), family.strip())
    words = name.split()
    if len(words) < 2:
        return Person("", name)
    # Lower-case particles belong to the family name: "Ludwig van Beethoven".
    cut = len(words) - 1
    while cut > 1 and words[cut - 1][:1].islower():
        cut -= 1
    return Person(" ".join(words[:cut]), " ".join(words[cut:]))


def parse_date(value: str, timezone: str) -> dt.datetime:
    """``YYYY-MM-DD`` with an optional time; never fills gaps from the clock."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day, hour, minute, second, offset = match.groups()
    tzinfo: dt.tzinfo
    if offset == "Z":
        tzinfo = dt.timezone.utc
    elif offset:
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        tzinfo = dt.timezone(sign * delta)
    else:
        tzinfo = ZoneInfo(timezone)
    return dt.datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=tzinfo,
    )


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be used in a page, or None when it is fine."""
    if not url:
        return "it is empty"
    if _CONTROL.search(url) or any(c.isspace() for c in url):
        return "it holds spaces or control characters"
    if url.startswith("//"):
        return "it has no scheme"
    scheme = urlsplit(url).scheme.lower()
    if scheme and scheme not in LINK_SCHEMES:
        return f"the scheme {scheme}: is not allowed (only http, https, mailto)"
    if "&#" in url or "&colon" in url.lower():
        return "it holds HTML character references"
    return None


def normalize_arxiv(value: str) -> str | None:
    """An arXiv identifier from an id, ``arXiv:id`` or an abs/pdf URL."""
    value = value.strip()
    match = _ARXIV_URL.match(value)
    if match:
        value = match.group(1)
    value = re.sub(r"^arxiv:", "", value, flags=re.IGNORECASE)
    return value if _ARXIV_ID.match(value) else None


def normalize_doi(value: str) -> str | None:
    value = value.strip()
    match = _DOI_URL.match(value)
    if match:
        value = match.group(1)
    value = re.sub(r"^doi:\s*", "", value, flags=re.IGNORECASE)
    return value if _DOI.match(value) else None


def _split_links(value: str) -> list[str]:
    """Split ``Links`` like other lists, but never inside ``<url>``."""
    outside = re.sub(r"<[^>]*>", lambda m: "\0" * len(m.group()), value)
    separator = ";" if ";" in outside else ","
    items, start = [], 0
    for index, char in enumerate(outside):
        if char == separator:
            items.append(value[start:index])
            start = index + 1
    items.append(value[start:])
    return [item.strip() for item in items if item.strip()]


# --- files -----------------------------------------------------------------


def _date_field(
    source: RawSource, problems: Collector, key: str, timezone: str, required: bool
) -> dt.datetime | None:
    value = source.text(key)
    if not value:
        if required:
            problems.error(
                key,
                f"the {key.title()} is missing",
                f"add a line such as '{key.title()}: 2022-11-28'",
            )
        return None
    try:
        return parse_date(value, timezone)
    except ValueError:
        problems.error(
            key,
            f"{key.title()} '{clean_text(value)}' is not a date",
            f"write it as YYYY-MM-DD, e.g. '{key.title()}: 2022-11-28'",
        )
        return None


def _title(source: RawSource, problems: Collector, example: str) -> str:
    title = clean_text(source.text("title"))
    if not title:
        problems.error("title", "the Title is missing", f"add a line 'Title: {example}'")
    return title


def _url_field(source: RawSource, problems: Collector, key: str) -> str | None:
    value = source.text(key)
    if not value:
        return None
    reason = url_problem(value)
    if reason:
        problems.error(
            key,
            f"{key.title()} '{clean_text(value)}' is not a usable link: {reason}",
            "write a full https:// address",
        )
        return None
    return value


def _extra_fields(source: RawSource, known: frozenset[str]) -> dict[str, Any]:
    """Unknown keys reach the templates untouched (they are escaped there)."""
    return {
        key: source.text(key)
        for key in source.meta
        if key not in known and key not in ("reader", "path", "summary")
    }


def _slug(source: RawSource) -> str:
    return source.text("slug") or Path(source.path).stem


def parse_conference(source: RawSource, timezone: str) -> tuple[dict, list[Problem]]:
    """The fields of ``content/conferences/<slug>.md``."""
    problems = Collector(source)
    fields: dict[str, Any] = {
        "slug": _slug(source),
        "title": _title(source, problems, "NeurIPS 22"),
        "name": clean_text(source.text("name")),
        "date": _date_field(source, problems, "date", timezone, required=True),
        "end": _date_field(source, problems, "end", timezone, required=False),
        "location": clean_text(source.text("location")),
        "website": _url_field(source, problems, "url"),
        "icon": None,
        "listed_tracks": [clean_text(t) for t in split_list(source.text("tracks"))],
        "hashtag": clean_text(source.text("hashtag")).lstrip("#"),
        "timeline": clean_text(source.text("timeline")),
        "status": source.text("status") or "published",
        "intro": source.body,
        "extra": _extra_fields(source, CONFERENCE_KEYS),
    }
    if source.text("icon"):
        icon = normalize_icon_name(source.text("icon"))
        if icon is None:
            problems.warn(
                "icon",
                f"Icon '{clean_text(source.text('icon'))}' is not a Font Awesome "
                "icon that ships with the plugin",
                "write a name from fontawesome.com/search, e.g. 'fas fa-microscope'",
            )
        fields["icon"] = icon
    if fields["date"] and fields["end"] and fields["end"] < fields["date"]:
        problems.error("end", "the End comes before the Date", "swap the two dates")
    if fields["timeline"]:
        from .timeline import AccountError, parse_account  # it imports this module

        try:
            parse_account(fields["timeline"])
        except AccountError as error:
            problems.error("timeline", error.message, error.hint)
    if fields["hashtag"] and not re.fullmatch(r"\w+", fields["hashtag"]):
        problems.error(
            "hashtag",
            f"Hashtag '{fields['hashtag']}' has characters a hashtag cannot have",
            "write letters, digits and _ only, e.g. 'Hashtag: NeurIPS2022'",
        )
    return fields, problems.problems


def _links(source: RawSource, problems: Collector) -> list[Link]:
    links: list[Link] = []
    pdf = _url_field(source, problems, "pdf")
    if pdf:
        links.append(Link("pdf", "PDF", pdf, "fa-solid fa-file-pdf"))
    code = _url_field(source, problems, "code")
    if code:
        icon = "fa-brands fa-github" if "github.com" in code else "fa-solid fa-code"
        links.append(Link("code", "Code", code, icon))
    for item in _split_links(source.text("links")):
        match = _LINK.match(item)
        if not match:
            problems.error(
                "links",
                f"the link '{clean_text(item)}' does not parse",
                "write 'Label <https://…> fa-solid fa-icon', links separated by ';'",
            )
            continue
        url = match.group("url").strip()
        reason = url_problem(url)
        if reason:
            problems.error(
                "links",
                f"the link '{clean_text(match.group('label'))}' is not usable: {reason}",
                "write a full https:// address between < and >",
            )
            continue
        icon = match.group("icon").strip()
        name = normalize_icon_name(icon) if icon else "fa-solid fa-link"
        if name is None:
            problems.warn(
                "links",
                f"the icon '{icon}' of the link '{clean_text(match.group('label'))}' "
                "is not a Font Awesome icon that ships with the plugin",
                "write a name from fontawesome.com/search, e.g. 'fa-solid fa-image'",
            )
            name = "fa-solid fa-link"
        links.append(Link("custom", clean_text(match.group("label")), url, name))
    return links


def parse_paper(source: RawSource, timezone: str) -> tuple[dict, list[Problem]]:
    """The fields of ``content/papers/<conference>/<slug>.md``."""
    problems = Collector(source)
    folder = Path(source.path).parent.name
    authors = [parse_person(a) for a in split_list(source.text("authors"))]
    fields: dict[str, Any] = {
        "slug": _slug(source),
        "title": _title(source, problems, "Robust Models are less Over-Confident"),
        "authors": [a for a in authors if a.name],
        "conference": source.text("conference") or folder,
        "track": clean_text(source.text("track")),
        "workshop": clean_text(source.text("workshop")),
        "date": _date_field(source, problems, "date", timezone, required=False),
        "modified": _date_field(source, problems, "modified", timezone, False),
        "image": source.text("image") or None,
        "links": _links(source, problems),
        "arxiv": None,
        "doi": None,
        "tags": [clean_text(t) for t in split_list(source.text("tags"))],
        "order": None,
        "id": clean_text(source.text("id")) or None,
        "venue": clean_text(source.text("venue")),
        "status": source.text("status") or "published",
        "abstract": source.body,
        "extra": _extra_fields(source, PAPER_KEYS),
    }
    if not fields["authors"]:
        problems.error(
            "authors",
            "the Authors are missing",
            "add a line 'Authors: Julia Grabinski, Margret Keuper'",
        )
    if source.text("arxiv"):
        fields["arxiv"] = normalize_arxiv(source.text("arxiv"))
        if fields["arxiv"] is None:
            problems.error(
                "arxiv",
                f"Arxiv '{clean_text(source.text('arxiv'))}' is not an arXiv identifier",
                "write the identifier, e.g. 'Arxiv: 2210.05938'",
            )
        else:
            fields["links"].append(
                Link(
                    "arxiv",
                    "arXiv",
                    f"https://arxiv.org/abs/{fields['arxiv']}",
                    "fa-solid fa-book-open",
                )
            )
    if source.text("doi"):
        fields["doi"] = normalize_doi(source.text("doi"))
        if fields["doi"] is None:
            problems.error(
                "doi",
                f"Doi '{clean_text(source.text('doi'))}' is not a DOI",
                "write it as 'Doi: 10.48550/arXiv.2210.05938'",
            )
        else:
            fields["links"].append(
                Link(
                    "doi", "DOI", f"https://doi.org/{fields['doi']}", "fa-solid fa-link"
                )
            )
    if source.text("order"):
        try:
            fields["order"] = int(source.text("order"))
        except ValueError:
            problems.error(
                "order",
                f"Order '{clean_text(source.text('order'))}' is not a whole number",
                "write e.g. 'Order: 1' (smaller numbers come first)",
            )
    image = fields["image"]
    if image and urlsplit(image).scheme:
        problems.error(
            "image",
            f"Image '{clean_text(image)}' is on another host",
            "download it into content/images/ and write its path, "
            "e.g. 'Image: images/neurips22/robust-models.jpg'",
        )
        fields["image"] = None
    return fields, problems.problems
