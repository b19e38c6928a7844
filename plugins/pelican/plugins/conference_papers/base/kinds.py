"""What kind of publication a paper is, and what its partial date says (a leaf).

A lab's papers are not only conference papers (issue 14): the kind decides the
fields a card shows, the BibTeX entry type, the CSL type and the Highwire tags.
It is written down once here, so that the schema, the model, the citations and
the feeds cannot disagree about what a ``Journal:`` line makes a paper.

Partial dates (``Date: 2022``, ``Date: 2022-11``) are kept as a datetime at the
start of what is known plus a precision; every page, citation and feed formats
them through :func:`date_label` and :func:`date_parts`, never by ``strftime``
on its own, so a day or a month the file does not give is never shown.
Ordering: a year sorts as its first day, a month as its first day (the start
of what is known): among the papers of 2022, ``Date: 2022`` comes last in a
newest-first list, which keeps the list stable and never invents a day.
"""

from __future__ import annotations

import datetime as dt
import re

#: The values of ``Type:``, in the order of docs/content-format.md.
TYPES = (
    "conference",
    "workshop",
    "journal",
    "preprint",
    "thesis",
    "book",
    "chapter",
    "report",
)
#: Kinds that belong in a conference edition (a conference page, a track).
IN_CONFERENCE = frozenset({"conference", "workshop"})

#: How many parts of a date the file gave.
YEAR, MONTH, DAY = "year", "month", "day"
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
#: English month names whatever the build machine's locale is.
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
#: ``1234-1256`` (also with an en dash or ``--``) or one page/article number.
_PAGES = re.compile(
    r"^(?:([A-Za-z]?\d+)\s*(?:-{1,2}|\u2013)\s*([A-Za-z]?\d+)|([A-Za-z]?\d+))$"
)

#: BibTeX entry type and CSL-JSON type of each kind.
BIBTEX_TYPES = {
    "conference": "inproceedings",
    "workshop": "inproceedings",
    "journal": "article",
    "preprint": "misc",
    "thesis": "phdthesis",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
}
CSL_TYPES = {
    "conference": "paper-conference",
    "workshop": "paper-conference",
    "journal": "article-journal",
    "preprint": "article",
    "thesis": "thesis",
    "book": "book",
    "chapter": "chapter",
    "report": "report",
}
#: What a card says a paper is, where no venue says more.
LABELS = {
    "conference": "Conference paper",
    "workshop": "Workshop paper",
    "journal": "Journal article",
    "preprint": "Preprint",
    "thesis": "Thesis",
    "book": "Book",
    "chapter": "Book chapter",
    "report": "Report",
}


def derive_type(
    written: str, journal: str, preprint: str, workshop: str, in_conference: bool
) -> str:
    """The kind of a paper: its ``Type:`` where written, else from its fields.

    A venue wins over a preprint server: a paper that was a preprint first and
    was published later cites the venue (one file, both links).
    """
    if written:
        return written
    if journal:
        return "journal"
    if in_conference:
        return "workshop" if workshop else "conference"
    if preprint:
        return "preprint"
    return "conference"


def type_problem(value: str) -> str | None:
    """Why ``Type: value`` cannot be used, or None."""
    if value.lower() in TYPES:
        return None
    return f"it is not one of {', '.join(TYPES)}"


def parse_pages(value: str) -> tuple[str, str] | None:
    """``1234-1256`` -> ("1234", "1256"); ``e1234`` -> ("e1234", ""); else None."""
    match = _PAGES.match(value.strip())
    if not match:
        return None
    first, last, single = match.groups()
    return (first, last) if first else (single, "")


def parse_partial(value: str) -> tuple[int, int, str] | None:
    """``2022`` -> (2022, 1, YEAR); ``2022-11`` -> (2022, 11, MONTH); else None."""
    match = _PARTIAL.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2) or 1)
    if not 1000 <= year <= 8999 or not 1 <= month <= 12:
        return None
    return year, month, MONTH if match.group(2) else YEAR


def date_label(date: dt.datetime, precision: str = DAY) -> str:
    """``2022``, ``November 2022`` or ``28 November 2022``."""
    if precision == YEAR:
        return str(date.year)
    month = f"{MONTH_NAMES[date.month - 1]} {date.year}"
    return month if precision == MONTH else f"{date.day} {month}"


def date_iso(date: dt.datetime, precision: str = DAY) -> str:
    """``2022``, ``2022-11`` or ``2022-11-28`` (HTML ``<time>``, JSON-LD, COinS)."""
    text = f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    return text[: {YEAR: 4, MONTH: 7}.get(precision, 10)]


def date_parts(date: dt.datetime, precision: str = DAY) -> list[int]:
    """CSL-JSON's ``date-parts`` row: ``[2022]``, ``[2022, 11]``, ``[2022, 11, 28]``."""
    parts = [date.year, date.month, date.day]
    return parts[: {YEAR: 1, MONTH: 2}.get(precision, 3)]


def highwire_date(date: dt.datetime, precision: str = DAY) -> str:
    """Google Scholar's ``citation_publication_date``: ``2022``, ``2022/11``…"""
    return date_iso(date, precision).replace("-", "/")
