"""The content format of DESIGN.md: parse raw metadata into typed fields.

Pelican's readers hand us the Markdown body as HTML and the metadata as the raw
strings of the file (see ``generator.keep_raw_metadata``). Everything a lab member
can get wrong is checked here, and every mistake becomes a :class:`Problem` with
the file, the line and what to write instead, so that one run reports them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from ..base import kinds, paths
from ..base.accounts import AccountError, parse_account
from ..base.icons import normalize_icon_name
from ..base.identifiers import normalize_arxiv, normalize_doi
from ..base.names import split_name
from ..base.text import clean_text
from ..base.urls import field_url_problem

ERROR = "error"
WARNING = "warning"

CONFERENCE_KEYS = frozenset(
    "title name date end location url icon tracks hashtag timeline slug status".split()  # noqa: SIM905
)
PAPER_KEYS = frozenset(
    (  # noqa: SIM905
        "title authors conference track workshop date modified image pdf code arxiv "
        "doi links tags order id slug status venue "
        "journal volume issue pages publisher preprint type presentation award featured"
    ).split()
)

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$"
)
_LINK = re.compile(r"^(?P<label>[^<>]+?)\s*<(?P<url>[^<>]*)>\s*(?P<icon>[\w\s-]*)$")
_SLUG_SUBSTITUTIONS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
# Font Awesome names are plain words; anything else could name a file elsewhere.
_ICON_NAME = re.compile(r"^[A-Za-z0-9 -]+$")
#: Image files a card shows. SVG is left out on purpose: opened from the card's
#: link, an SVG is a page of the site and its scripts would run.
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "avif"})
STATUSES = frozenset({"published", "draft", "skip"})

# Python-Markdown's "meta" extension, line by line (markdown/extensions/meta.py).
_META_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_META_BEGIN = re.compile(r"^-{3}(\s.*)?")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")

#: Keys Pelican or the plugin sets on the content object: a file may not set
#: them as extra keys (``Html:`` would crash the build, ``_content:`` would
#: replace the sanitized abstract, ``Save_as:`` would move the page).
_CONTENT_ATTRIBUTES = frozenset({
    "settings", "translations", "metadata", "template", "author", "authors",
    "in_default_lang", "lang", "source_path", "relative_source_path", "date_format",
    "timezone", "locale_date", "locale_modified", "override_save_as", "override_url",
    "save_as", "url", "summary", "conference", "conference_slug", "track_slug",
    "papers", "tracks", "html", "abstract_text", "updated", "year", "display_name",
    "intro", "abstract", "website", "extra",
})  # fmt: skip
_RESERVED_HINTS = {
    "author": "write 'Authors: Julia Grabinski, Paul Gavrikov' (all on one line)",
    "url": "a paper's links go in 'Pdf:', 'Code:' or 'Links: Label <https://…>'",
    "summary": "the abstract is the text below the metadata lines",
    "abstract": "the abstract is the text below the metadata lines",
}


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


def scan_header(text: str) -> list[tuple[str, int]]:
    """Each metadata key of a Markdown text (lower case) with its line number,
    in order, repeated keys included: the lines Python-Markdown reads as metadata.
    """
    # Markdown's NormalizeWhitespace first: line ends, STX/ETX, tabs.
    text = text.replace("\x02", "").replace("\x03", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines = text.split("\n")
    keys: list[tuple[str, int]] = []
    start = 1 if lines and _META_BEGIN.match(lines[0]) else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or _META_END.match(line):
            break
        match = _META_KEY.match(line)
        if match:
            keys.append((match.group("key").lower(), number))
        elif not (keys and _META_MORE.match(line)):
            break
    return keys


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def header_lines(path: str) -> dict[str, int]:
    """Map each metadata key of a Markdown file to the line it first stands on."""
    lines: dict[str, int] = {}
    for key, number in scan_header(_read_text(path)):
        lines.setdefault(key, number)
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
    if not _ICON_NAME.match(value):
        return None
    return normalize_icon_name(value.lower())


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
        problems.error(
            "title", "the Title is missing", f"add a line 'Title: {example}'"
        )
    return title


def _url_field(source: RawSource, problems: Collector, key: str) -> str | None:
    value = source.text(key)
    if not value:
        return None
    problem = field_url_problem(value)
    if problem:
        reason, hint = problem
        problems.error(
            key,
            f"{key.title()} '{clean_text(value)}' is not a usable link: {reason}",
            hint,
        )
        return None
    return value


# The public names of Pelican's Content (methods and attributes a header key
# would shadow: ``Content: x`` would replace the page's HTML) and of our model's
# classes. Written out here because the model imports this module; names with a
# leading ``_`` are refused anyway. tests/test_pelican_hooks.py checks that these
# lists still cover dir(Paper) and dir(Conference) for the installed Pelican.
CONTENT_NAMES = frozenset({
    "content", "default_template", "filename", "get_content",
    "get_relative_source_path", "get_siteurl", "get_static_links", "get_summary",
    "get_url_setting", "is_valid", "mandatory_properties",
    "refresh_metadata_intersite_links", "relative_dir", "status", "url_format",
})  # fmt: skip
MODEL_NAMES = {
    "conference": frozenset(
        {
            "refused_links",
            "date_iso",
            "date_label",
            "date_precision",
            "end_iso",
            "end_label",
        }
    ),
    "paper": frozenset(
        {
            "refused_links",
            "link",
            "preview",
            "summary_text",
            "awards",
            "badges",
            "date_iso",
            "date_label",
            "date_precision",
            "featured",
            "kind",
            "kind_label",
            "list_kind",
            "member_authors",
            "pages_label",
            "presentation",
            "publication",
        }
    ),
}


def _reserved_keys(kind: str) -> frozenset[str]:
    return _CONTENT_ATTRIBUTES | CONTENT_NAMES | MODEL_NAMES[kind]


def _extra_fields(
    source: RawSource, problems: Collector, known: frozenset[str], kind: str
) -> dict[str, Any]:
    """Unknown keys reach the templates (escaped there), unless Pelican or the
    plugin uses the name for something else."""
    extra: dict[str, Any] = {}
    reserved = _reserved_keys(kind)
    pelican_keys = ("reader", "path", "category")
    for key in source.meta:
        if key in known or key in pelican_keys:
            continue
        if key in reserved or key.startswith("_"):
            problems.error(
                key,
                f"the key '{key.title()}' cannot be used in a {kind} file"
                + (
                    "" if key in _RESERVED_HINTS else " (Pelican or the plugin uses it)"
                ),
                _RESERVED_HINTS.get(key, "remove the line or rename the key"),
            )
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)
        if close:
            problems.warn(
                key,
                f"the key '{key.title()}' is not one the plugin knows (it is kept "
                "for the templates)",
                f"did you mean '{close[0].title()}:'?",
            )
        extra[key] = source.text(key)
    return extra


def _repeated_keys(source: RawSource, problems: Collector) -> None:
    """A key written twice: Pelican would keep one of the two without a word.

    The reader keeps every value of a key as a list (continuation lines too),
    so the file is scanned only when a list shows up.
    """
    if not any(isinstance(value, list) for value in source.meta.values()):
        return
    header = scan_header(_read_text(source.full_path))
    counts = Counter(key for key, _ in header)
    for key, count in sorted(counts.items()):
        if count < 2:
            continue
        numbers = [number for name, number in header if name == key]
        problems.problems.append(
            Problem(
                source.path,
                numbers[1],
                f"{key.title()} is written {count} times (lines "
                f"{', '.join(map(str, numbers))})",
                "keep one line; several values go on one line, separated by ',' or ';'",
            )
        )


def _no_metadata(source: RawSource, problems: Collector, example: str) -> bool:
    """True (and one error) when the file starts without any ``Key: value`` line."""
    if source.text("title") or source.text("authors") or source.text("date"):
        return False
    markdown = source.full_path.endswith((".md", ".markdown", ".mkd", ".mdown"))
    if markdown and scan_header(_read_text(source.full_path)):
        return False
    problems.error(
        None,
        "the file has no metadata: its first lines must be 'Key: value' lines",
        f"start the file with 'Title: {example}', the other keys, then a blank line",
    )
    return True


def _slug(source: RawSource, problems: Collector) -> str:
    slug = source.text("slug") or Path(source.path).stem
    reason = paths.slug_problem(slug)
    if reason:
        suggestion = slugify(slug, regex_subs=_SLUG_SUBSTITUTIONS)
        suggestion = suggestion[: paths.NAME_BYTES // 4].strip("-") or "my-paper"
        where = "the Slug" if source.text("slug") else "the file name"
        problems.error(
            "slug" if source.text("slug") else None,
            f"{where} '{clean_text(slug)[:80]}' cannot be used: {reason}",
            f"write 'Slug: {suggestion}'"
            + ("" if source.text("slug") else f" or rename the file {suggestion}.md"),
        )
    return slug


def _status(source: RawSource, problems: Collector) -> str:
    status = (source.text("status") or "published").lower()
    if status not in STATUSES:
        problems.error(
            "status",
            f"Status '{clean_text(source.text('status'))}' is not a status",
            "write 'Status: draft' to keep the file out of the site, or drop the line",
        )
        return "published"
    return "draft" if status == "skip" else status


def _icon(source: RawSource, problems: Collector, key: str, value: str) -> str | None:
    if not _ICON_NAME.match(value):
        # Not merely unknown: a name with dots or slashes could reach a file.
        problems.error(
            key,
            f"the icon '{clean_text(value)}' is not a Font Awesome name",
            "write letters, digits and '-' only, e.g. 'fa-solid fa-image'",
        )
        return None
    name = icon_name(value)
    if name is None:
        problems.warn(
            key,
            f"the icon '{clean_text(value)}' is not a Font Awesome icon that ships "
            "with the plugin",
            "write a name from fontawesome.com/search, e.g. 'fa-solid fa-image'",
        )
    return name


def parse_conference(source: RawSource, timezone: str) -> tuple[dict, list[Problem]]:
    """The fields of ``content/conferences/<slug>.md``."""
    problems = Collector(source)
    if _no_metadata(source, problems, "NeurIPS 22"):
        return {"slug": Path(source.path).stem}, problems.problems
    _repeated_keys(source, problems)
    fields: dict[str, Any] = {
        "slug": _slug(source, problems),
        "title": _title(source, problems, "NeurIPS 22"),
        "name": clean_text(source.text("name")),
        # (date, precision): split below, read in the order of the file's fields.
        "date": _partial_date(source, problems, timezone, required=True),
        "end": _date_field(source, problems, "end", timezone, required=False),
        "location": clean_text(source.text("location")),
        "website": _url_field(source, problems, "url"),
        "icon": None,
        "listed_tracks": [clean_text(t) for t in split_list(source.text("tracks"))],
        "hashtag": clean_text(source.text("hashtag")).lstrip("#"),
        "timeline": clean_text(source.text("timeline")),
        "status": _status(source, problems),
        "intro": source.body,
        "extra": _extra_fields(source, problems, CONFERENCE_KEYS, "conference"),
    }
    fields["date"], fields["date_precision"] = fields["date"]
    if source.text("icon"):
        fields["icon"] = _icon(source, problems, "icon", source.text("icon"))
    if fields["date"] and fields["end"] and fields["end"] < fields["date"]:
        problems.error("end", "the End comes before the Date", "swap the two dates")
    if fields["timeline"]:
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


def _partial_date(
    source: RawSource, problems: Collector, timezone: str, required: bool
) -> tuple[dt.datetime | None, str]:
    """The Date of a paper or a conference and how much of it the file gives
    (``kinds``): ``2022``, ``2022-11`` or a whole date; a partial one starts its
    period. DESIGN.md: "Dates may be partial where the source knows no more",
    and an importer often knows only the year of a conference."""
    partial = kinds.parse_partial(source.text("date"))
    if partial is None:
        return _date_field(source, problems, "date", timezone, required), kinds.DAY
    year, month, precision = partial
    return dt.datetime(year, month, 1, tzinfo=ZoneInfo(timezone)), precision


def _kind_fields(source: RawSource, problems: Collector) -> dict[str, Any]:
    """Journal, Volume, Issue, Pages, Publisher, Preprint, Type, Presentation,
    Award and Featured (DESIGN.md: every paper of the lab)."""
    fields: dict[str, Any] = {
        key: clean_text(source.text(key))
        for key in ("journal", "volume", "issue", "publisher", "preprint")
    }
    fields["presentation"] = clean_text(source.text("presentation"))
    fields["awards"] = [
        clean_text(a) for a in source.text("award").split(";") if a.strip()
    ]
    written = source.text("type").lower()
    reason = kinds.type_problem(written) if written else None
    if reason:
        problems.error(
            "type",
            f"Type '{clean_text(source.text('type'))}' cannot be used: {reason}",
            "write e.g. 'Type: thesis', or drop the line to derive it from "
            "Journal:, Preprint: or the conference",
        )
        written = ""
    fields["written_type"] = written
    fields["first_page"] = fields["last_page"] = ""
    if source.text("pages"):
        pages = kinds.parse_pages(source.text("pages"))
        if pages is None:
            problems.error(
                "pages",
                f"Pages '{clean_text(source.text('pages'))}' are not a page range",
                "write 'Pages: 1234-1256', or the article number: 'Pages: e1234'",
            )
        else:
            fields["first_page"], fields["last_page"] = pages
    featured = source.text("featured").lower()
    if featured not in ("", "yes", "no"):
        problems.error(
            "featured",
            f"Featured '{clean_text(source.text('featured'))}' is not yes or no",
            "write 'Featured: yes' (among the selected papers) or drop the line",
        )
    fields["featured"] = featured == "yes"
    if fields["preprint"] and not (source.text("arxiv") or source.text("doi")):
        problems.warn(
            "preprint",
            "the Preprint names a server but neither Arxiv: nor Doi: says which "
            "preprint it is",
            "add 'Arxiv: 2210.05938' or 'Doi: 10.1101/…'",
        )
    return fields


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
        problem = field_url_problem(url)
        if problem:
            reason, hint = problem
            problems.error(
                "links",
                f"the link '{clean_text(match.group('label'))}' cannot be used: "
                f"{reason}",
                f"{hint} between < and >",
            )
            continue
        icon = match.group("icon").strip()
        name = _icon(source, problems, "links", icon) if icon else None
        label = clean_text(match.group("label"))
        links.append(Link("custom", label, url, name or "fa-solid fa-link"))
    return links


def parse_paper(
    source: RawSource, timezone: str, papers_path: str = "papers"
) -> tuple[dict, list[Problem]]:
    """The fields of ``content/papers/<conference>/<slug>.md``."""
    problems = Collector(source)
    parent = Path(source.path).parent
    folder = parent.name
    if _no_metadata(source, problems, "Robust Models are less Over-Confident"):
        return {"slug": Path(source.path).stem, "conference": folder}, problems.problems
    _repeated_keys(source, problems)
    in_root = parent.as_posix().strip("/") == papers_path.strip("/")
    of_a_kind = any(source.text(k) for k in ("journal", "preprint", "type"))
    if in_root and not source.text("conference") and not of_a_kind:
        # Reported here, instead of "the conference 'papers' does not exist".
        problems.error(
            None,
            f"the paper is not in a conference's folder ({papers_path}/)",
            f"move it to {papers_path}/<conference>/ (the conference's file name "
            "without .md) or add a line 'Conference: neurips-2022'",
        )
        folder = ""
    authors = [parse_person(a) for a in split_list(source.text("authors"))]
    fields: dict[str, Any] = {
        "slug": _slug(source, problems),
        "title": _title(source, problems, "Robust Models are less Over-Confident"),
        "authors": [a for a in authors if a.name],
        "conference": source.text("conference") or folder,
        "track": clean_text(source.text("track")),
        "workshop": clean_text(source.text("workshop")),
        "modified": _date_field(source, problems, "modified", timezone, False),
        "image": source.text("image") or None,
        "links": _links(source, problems),
        "arxiv": None,
        "doi": None,
        "tags": [clean_text(t) for t in split_list(source.text("tags"))],
        "order": None,
        "id": clean_text(source.text("id")) or None,
        "venue": clean_text(source.text("venue")),
        "status": _status(source, problems),
        "abstract": source.body,
        "extra": _extra_fields(source, problems, PAPER_KEYS, "paper"),
        **_kind_fields(source, problems),
    }
    fields["date"], fields["date_precision"] = _partial_date(
        source, problems, timezone, required=False
    )
    if not fields["authors"] and "author" not in source.meta:  # else: see Author
        problems.error(
            "authors",
            "the Authors are missing",
            "add a line 'Authors: Julia Grabinski, Margret Keuper'",
        )
    elif (
        len(authors) > 1
        and ";" not in source.text("authors")
        and all(" " not in a.name for a in authors)
    ):
        # "Keuper, Margret, Gavrikov, Paul": family and given names split apart.
        problems.warn(
            "authors",
            f"the Authors read as {len(authors)} one-word names",
            "for 'Family, Given' names separate the authors with ';': "
            "'Authors: Keuper, Margret; Gavrikov, Paul'",
        )
    if source.text("arxiv"):
        fields["arxiv"] = normalize_arxiv(source.text("arxiv"))
        if fields["arxiv"] is None:
            problems.error(
                "arxiv",
                f"Arxiv '{clean_text(source.text('arxiv'))}' is not an arXiv "
                "identifier",
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
    if fields["image"]:
        path, reason = image_path(fields["image"])
        if reason:
            problems.error(
                "image",
                f"Image '{clean_text(fields['image'])}' cannot be used: {reason}",
                "put the image under content/images/ and write its path, "
                "e.g. 'Image: images/neurips22/robust-models.png'",
            )
        fields["image"] = path
    return fields, problems.problems
