"""Single values of a header: dates, people, links, icons, image paths.

Each parser takes one string and returns the typed value, or says why not;
none knows which file or line it came from (the file parsers of
:mod:`.schema` and :mod:`.members` turn a refusal into a Problem there), so
importers and ``sync`` read values by the same rules as the build.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ..base import paths
from ..base.icons import normalize_icon_name
from ..base.names import split_name
from ..base.text import clean_text

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$"
)
#: ``Label <url> icon``: one item of ``Links``.
LINK = re.compile(r"^(?P<label>[^<>]+?)\s*<(?P<url>[^<>]*)>\s*(?P<icon>[\w\s-]*)$")
# Font Awesome names are plain words; anything else could name a file elsewhere.
ICON_NAME = re.compile(r"^[A-Za-z0-9 -]+$")
#: Image files a card shows. SVG is left out on purpose: opened from the card's
#: link, an SVG is a page of the site and its scripts would run.
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "avif"})
STATUSES = frozenset({"published", "draft", "skip"})


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


def split_list(value: str) -> list[str]:
    """Pelican's rule for multi-valued fields: split on ``;`` if any, else ``,``."""
    separator = ";" if ";" in value else ","
    return [item.strip() for item in value.split(separator) if item.strip()]


def parse_person(name: str) -> Person:
    """``Family, Given`` or ``Given [particles] Family``."""
    return Person(*split_name(clean_text(name)))


def parse_date(value: str, timezone: str) -> dt.datetime:
    """``YYYY-MM-DD`` with an optional time; never fills gaps from the clock."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day, hour, minute, second, offset = match.groups()
    if not 1000 <= int(year) <= 8999:
        # Far years overflow when converted to a time stamp for sorting.
        raise ValueError(value)
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


def image_path(value: str) -> tuple[str | None, str | None]:
    """(path under content/, None) for an ``Image:`` value, or (None, why not).

    ``{static}`` and a leading ``/`` (both mean "from content/") are accepted.
    The path rule is ``paths``'s; symbolic links are followed where the file is
    looked up (``images.check_image``).
    """
    if value.startswith("//") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return None, "it is an address, not a file under content/"
    path = value.removeprefix("{static}").lstrip("/")
    if path.startswith("{"):
        return None, "only {static} may stand in front of the path"
    reason = paths.relative_problem(path, "content/")
    if reason:
        return None, reason
    normal = paths.normalize(path)
    extension = posixpath.splitext(normal)[1][1:].lower()
    if extension not in IMAGE_EXTENSIONS:
        kind = f"a .{extension} file" if extension else "a file without an extension"
        why = " (an SVG can hold scripts)" if extension == "svg" else ""
        return None, f"it is {kind}; a card shows PNG, JPEG, GIF, WebP or AVIF{why}"
    return normal, None


def icon_name(value: str) -> str | None:
    """The Font Awesome 6 name of ``value``, or None when no such icon ships."""
    if not ICON_NAME.match(value):
        return None
    return normalize_icon_name(value.lower())


def split_links(value: str) -> list[str]:
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


#: ``Citations: 12 (OpenAlex, 2026-12-01)``: what sync writes.
_CITATIONS = re.compile(
    r"(?P<count>\d{1,9})\s*\((?P<source>[^(),]+),\s*(?P<date>\d{4}-\d{2}-\d{2})\)"
)


@dataclass(frozen=True)
class Citations:
    """A citation count as seen by ``source`` on ``date`` (ISO, kept as text)."""

    count: int
    source: str
    date: str


def parse_citations(value: str) -> Citations | None:
    """``12 (OpenAlex, 2026-12-01)`` read, or None when it does not read so."""
    match = _CITATIONS.fullmatch(value.strip())
    if not match:
        return None
    return Citations(int(match["count"]), match["source"].strip(), match["date"])
