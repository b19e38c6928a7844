"""``pelican-papers new paper|conference``: a valid file with every field (issue 6).

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
from ..importers.common import normalize_date
from ..importers.writer import make_slug


def _conference_text(args) -> str:
    return "\n".join(
        line.rstrip()
        for line in [
            f"Title: {args.title}",
            f"Name: {args.name}",
            f"Date: {args.date}",
            f"End: {args.end}",
            f"Location: {args.location}",
            f"Url: {args.url}",
            f"Icon: {args.icon}",
            f"Tracks: {args.tracks}",
            "Hashtag:",
            "Timeline:",
            "",
            drafts.INTRO,
            "",
        ]
    )


def _paper_text(args) -> str:
    authors = args.authors or drafts.AUTHORS
    return "\n".join(
        line.rstrip()
        for line in [
            f"Title: {args.title}",
            f"Authors: {authors}",
            f"Track: {args.track}",
            "Workshop:",
            f"Date: {args.date}",
            "Image:",
            "Pdf:",
            "Code:",
            "Arxiv:",
            "Doi:",
            "Links:",
            "Tags:",
            "Status: draft",
            "",
            drafts.NOTE,
            drafts.ABSTRACT,
            "",
        ]
    )


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


def add_parser(commands) -> None:
    """``pelican-papers new``."""
    top = commands.add_parser("new", help="start a paper or conference file")
    kinds = top.add_subparsers(dest="kind", required=True, metavar="KIND")

    sub = kinds.add_parser("paper", help="content/papers/SLUG/<title>.md")
    sub.add_argument("--conference", required=True, metavar="SLUG")
    sub.add_argument("--title", required=True)
    sub.add_argument("--authors", default="", help="'Given Family, Given Family'")
    sub.add_argument("--track", default="")
    sub.add_argument("--date", default="", help="when it came out, YYYY-MM-DD")
    sub.add_argument("--into", default="content", metavar="DIR")
    sub.add_argument("--force", action="store_true", help="replace an existing file")
    sub.set_defaults(func=new_paper)

    sub = kinds.add_parser("conference", help="content/conferences/SLUG.md")
    sub.add_argument("--slug", required=True, help="e.g. neurips-2022")
    sub.add_argument("--title", required=True, help="e.g. 'NeurIPS 22'")
    sub.add_argument("--date", required=True, help="first day, YYYY-MM-DD")
    sub.add_argument("--end", default="", help="last day, YYYY-MM-DD")
    sub.add_argument("--name", default="")
    sub.add_argument("--location", default="")
    sub.add_argument("--url", default="")
    sub.add_argument("--icon", default="", help="e.g. 'fas fa-microscope'")
    sub.add_argument("--tracks", default="", help="'Full Paper; Workshop Paper'")
    sub.add_argument("--into", default="content", metavar="DIR")
    sub.add_argument("--force", action="store_true", help="replace an existing file")
    sub.set_defaults(func=new_conference)
