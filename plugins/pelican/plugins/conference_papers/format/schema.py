"""The file parsers of the content format: a conference's or a paper's raw
header into typed fields, with every problem of the file.

Pelican's readers hand us the Markdown body as HTML and the metadata as the raw
strings of the file (see ``generator.keep_raw_metadata``). Everything a lab member
can get wrong is checked here, and every mistake becomes a :class:`Problem` with
the file, the line and what to write instead, so that one run reports them all.
Which keys exist, which are required and what their "missing" messages say is
the table's (:mod:`.fields`); how one value parses is :mod:`.values`'s; where a
key stands in the file is :mod:`.header`'s. The names other modules import from
here (``Problem``, ``RawSource``, ``header_lines`` …) are re-exported below.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from ..base import kinds, paths
from ..base.accounts import AccountError, parse_account
from ..base.identifiers import normalize_arxiv, normalize_doi
from ..base.text import clean_text
from ..base.urls import field_url_problem
from . import fields as table
from . import reserved
from .fields import CONFERENCE_KEYS, PAPER_KEYS
from .header import (
    ERROR,
    WARNING,
    Collector,
    Problem,
    RawSource,
    header_lines,
    read_text,
    scan_header,
)
from .values import (
    ICON_NAME,
    IMAGE_EXTENSIONS,
    LINK,
    STATUSES,
    Citations,
    Link,
    Person,
    icon_name,
    image_path,
    parse_citations,
    parse_date,
    parse_person,
    split_links,
    split_list,
)

#: The names the rest of the plugin imports from here.
__all__ = [
    "CONFERENCE_KEYS",
    "ERROR",
    "IMAGE_EXTENSIONS",
    "PAPER_KEYS",
    "WARNING",
    "Collector",
    "Link",
    "Person",
    "Problem",
    "RawSource",
    "header_lines",
    "image_path",
    "normalize_arxiv",
    "normalize_doi",
    "parse_conference",
    "parse_date",
    "parse_paper",
    "parse_person",
    "scan_header",
    "split_list",
]

_SLUG_SUBSTITUTIONS = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]


def _date_field(
    source: RawSource, problems: Collector, key: str, timezone: str, kind: str
) -> dt.datetime | None:
    value = source.text(key)
    if not value:
        if table.key(kind, key).required:
            problems.error(key, *table.missing(kind, key))
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


def _title(source: RawSource, problems: Collector, kind: str) -> str:
    title = clean_text(source.text("title"))
    if not title:
        problems.error("title", *table.missing(kind, "title"))
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


def _extra_fields(
    source: RawSource, problems: Collector, known: frozenset[str], kind: str
) -> dict[str, Any]:
    """Unknown keys reach the templates (escaped there), unless Pelican or the
    plugin uses the name for something else."""
    extra: dict[str, Any] = {}
    refused = reserved.reserved_keys(kind)
    pelican_keys = ("reader", "path", "category")
    for key in source.meta:
        if key in known or key in pelican_keys:
            continue
        if key in refused or key.startswith("_"):
            problems.error(
                key,
                f"the key '{key.title()}' cannot be used in a {kind} file"
                + ("" if key in reserved.HINTS else " (Pelican or the plugin uses it)"),
                reserved.HINTS.get(key, "remove the line or rename the key"),
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
    header = scan_header(read_text(source.full_path))
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


def _no_metadata(source: RawSource, problems: Collector, kind: str) -> bool:
    """True (and one error) when the file starts without any ``Key: value`` line."""
    example = table.key(kind, "title").example
    if source.text("title") or source.text("authors") or source.text("date"):
        return False
    markdown = source.full_path.endswith((".md", ".markdown", ".mkd", ".mdown"))
    if markdown and scan_header(read_text(source.full_path)):
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
    if not ICON_NAME.match(value):
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
    if _no_metadata(source, problems, "conference"):
        return {"slug": Path(source.path).stem}, problems.problems
    _repeated_keys(source, problems)
    fields: dict[str, Any] = {
        "slug": _slug(source, problems),
        "title": _title(source, problems, "conference"),
        "name": clean_text(source.text("name")),
        # (date, precision): split below, read in the order of the file's fields.
        "date": _partial_date(source, problems, timezone, "conference"),
        "end": _date_field(source, problems, "end", timezone, "conference"),
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
    source: RawSource, problems: Collector, timezone: str, kind: str
) -> tuple[dt.datetime | None, str]:
    """The Date of a paper or a conference and how much of it the file gives
    (``kinds``): ``2022``, ``2022-11`` or a whole date; a partial one starts its
    period. Dates may be partial where the source knows no more (see
    docs/content-format.md): an importer often knows only a conference's year."""
    partial = kinds.parse_partial(source.text("date"))
    if partial is None:
        return _date_field(source, problems, "date", timezone, kind), kinds.DAY
    year, month, precision = partial
    return dt.datetime(year, month, 1, tzinfo=ZoneInfo(timezone)), precision


def _kind_fields(source: RawSource, problems: Collector) -> dict[str, Any]:
    """Journal, Volume, Issue, Pages, Publisher, Preprint, Type, Presentation,
    Award and Featured (every paper of the lab, not only conference papers)."""
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
    for item in split_links(source.text("links")):
        match = LINK.match(item)
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


def _citations(source: RawSource, problems: Collector) -> Citations | None:
    """``Citations: 12 (OpenAlex, 2026-12-01)``, the snapshot sync writes."""
    value = source.text("citations")
    if not value:
        return None
    citations = parse_citations(value)
    if citations is None:
        problems.warn(
            "citations",
            f"Citations '{clean_text(value)}' is not a count with its source and date",
            "write e.g. 'Citations: 12 (OpenAlex, 2026-12-01)', or leave it to sync",
        )
    return citations


def _identifiers(source: RawSource, problems: Collector, fields: dict) -> None:
    """Arxiv and Doi: normalized, each a button after the file's own links."""
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


def parse_paper(
    source: RawSource, timezone: str, papers_path: str = "papers"
) -> tuple[dict, list[Problem]]:
    """The fields of ``content/papers/<conference>/<slug>.md``."""
    problems = Collector(source)
    parent = Path(source.path).parent
    folder = parent.name
    if _no_metadata(source, problems, "paper"):
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
        "title": _title(source, problems, "paper"),
        "authors": [a for a in authors if a.name],
        "conference": source.text("conference") or folder,
        "track": clean_text(source.text("track")),
        "workshop": clean_text(source.text("workshop")),
        "modified": _date_field(source, problems, "modified", timezone, "paper"),
        "image": source.text("image") or None,
        "links": _links(source, problems),
        "arxiv": None,
        "doi": None,
        "tags": [clean_text(t) for t in split_list(source.text("tags"))],
        "order": None,
        "id": clean_text(source.text("id")) or None,
        "venue": clean_text(source.text("venue")),
        # Kept as written: the citations check Citekey, sync reads Openalex.
        "citekey": source.text("citekey"),
        "openalex": source.text("openalex"),
        "citations": _citations(source, problems),
        "status": _status(source, problems),
        "abstract": source.body,
        "extra": _extra_fields(source, problems, PAPER_KEYS, "paper"),
        **_kind_fields(source, problems),
    }
    fields["date"], fields["date_precision"] = _partial_date(
        source, problems, timezone, "paper"
    )
    if not fields["authors"] and "author" not in source.meta:  # else: see Author
        problems.error("authors", *table.missing("paper", "authors"))
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
    _identifiers(source, problems, fields)
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
