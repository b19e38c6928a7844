"""``pelican-papers new paper|conference``: a valid file with every field (issue 6).

The keys, their order and the examples of ``--help`` are the content format's
table (``format.fields``: the keys marked ``scaffold``), so a new key shows up
here without a second list.

Optional fields are written with an empty value, ready to fill in: Pelican reads
``Pdf:`` as "no PDF", so the new file passes ``pelican-papers check`` as it is.
A new paper is a draft (``Status: draft``) with a comment on what to fill in:
its authors and abstract are placeholders, and a placeholder must not reach the
site because someone ran ``make publish`` before writing the abstract. The
placeholder texts come from :mod:`.drafts`, where ``check`` looks for them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..base import drafts
from ..format import fields as table
from ..importers.common import normalize_date
from ..importers.writer import make_slug


def _header(kind: str, values: dict[str, str]) -> list[str]:
    """The scaffold's keys of the table, in its order: the value given, else empty."""
    return [
        f"{entry.name}: {values.get(entry.id, '')}".rstrip()
        for entry in table.TABLE[kind]
        if entry.scaffold
    ]


def _conference_text(args) -> str:
    # The options are named like the keys they fill (--title, --tracks …).
    return "\n".join([*_header("conference", vars(args)), "", drafts.INTRO, ""])


def _paper_text(args) -> str:
    values = {
        **vars(args),
        "authors": args.authors or drafts.AUTHORS,
        "status": "draft",
    }
    return "\n".join([*_header("paper", values), "", drafts.NOTE, drafts.ABSTRACT, ""])


def _write(path: Path, text: str, force: bool) -> int:
    if path.exists() and not force:
        print(
            f"pelican-papers: error: {path} exists; pass --force to replace it",
            file=sys.stderr,
        )
        return 1
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"pelican-papers: error: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


def _one_line(*values: str) -> str | None:
    """The first value that spans lines, or None."""
    return next((v for v in values if v and ("\n" in v or "\r" in v)), None)


def new_conference(args) -> int:
    if not normalize_date(args.date) or (args.end and not normalize_date(args.end)):
        print("pelican-papers: error: write dates as YYYY-MM-DD", file=sys.stderr)
        return 1
    if _one_line(args.title, args.name, args.location, args.url, args.tracks):
        print("pelican-papers: error: values must fit on one line", file=sys.stderr)
        return 1
    slug = make_slug(args.slug, fallback="")
    if not slug:
        print("pelican-papers: error: --slug needs letters or digits", file=sys.stderr)
        return 1
    path = Path(args.into) / "conferences" / f"{slug}.md"
    return _write(path, _conference_text(args), args.force)


def new_paper(args) -> int:
    if args.date and not normalize_date(args.date):
        print("pelican-papers: error: write --date as YYYY-MM-DD", file=sys.stderr)
        return 1
    if _one_line(args.title, args.authors, args.track) or not args.title.strip():
        print("pelican-papers: error: --title must be one line", file=sys.stderr)
        return 1
    conference = make_slug(args.conference, fallback="")
    if not conference:
        print("pelican-papers: error: --conference needs a slug", file=sys.stderr)
        return 1
    if not (Path(args.into) / "conferences" / f"{conference}.md").is_file():
        print(
            f"pelican-papers: note: {args.into}/conferences/{conference}.md does not "
            "exist yet (pelican-papers new conference --slug …)",
            file=sys.stderr,
        )
    path = Path(args.into) / "papers" / conference / f"{make_slug(args.title)}.md"
    return _write(path, _paper_text(args), args.force)


def _example(kind: str, name: str) -> str:
    return f"e.g. '{table.key(kind, name).example}'"


def add_parser(commands) -> None:
    """``pelican-papers new``."""
    top = commands.add_parser("new", help="start a paper or conference file")
    kinds = top.add_subparsers(dest="kind", required=True, metavar="KIND")

    sub = kinds.add_parser("paper", help="content/papers/SLUG/<title>.md")
    sub.add_argument("--conference", required=True, metavar="SLUG")
    sub.add_argument("--title", required=True)
    sub.add_argument("--authors", default="", help=_example("paper", "authors"))
    sub.add_argument("--track", default="", help=_example("paper", "track"))
    sub.add_argument("--date", default="", help="when it came out, YYYY-MM-DD")
    sub.add_argument("--into", default="content", metavar="DIR")
    sub.add_argument("--force", action="store_true", help="replace an existing file")
    sub.set_defaults(func=new_paper)

    sub = kinds.add_parser("conference", help="content/conferences/SLUG.md")
    sub.add_argument("--slug", required=True, help=_example("conference", "slug"))
    sub.add_argument("--title", required=True, help=_example("conference", "title"))
    sub.add_argument("--date", required=True, help="first day, YYYY-MM-DD")
    sub.add_argument("--end", default="", help="last day, YYYY-MM-DD")
    sub.add_argument("--name", default="", help=_example("conference", "name"))
    sub.add_argument("--location", default="", help=_example("conference", "location"))
    sub.add_argument("--url", default="", help=_example("conference", "url"))
    sub.add_argument("--icon", default="", help=_example("conference", "icon"))
    sub.add_argument("--tracks", default="", help=_example("conference", "tracks"))
    sub.add_argument("--into", default="content", metavar="DIR")
    sub.add_argument("--force", action="store_true", help="replace an existing file")
    sub.set_defaults(func=new_conference)
