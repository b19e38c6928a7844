"""``pelican-papers import``: bring an existing lab site over (issue 6).

Each importer (``importers/``) parses its format into records; its writer
turns the records into files, the same way for all of them. This module is the
command around them: arguments in, one importer run, the report out. Bad
input is one line and exit 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..base.accounts import parse_account
from ..importers import arxiv, doi
from ..importers.bibtex import BibtexImport, parse_library
from ..importers.common import paper_from_metadata, place, venue_of_metadata
from ..importers.jekyll import PageOptions, parse_page
from ..importers.lwt import LwtImport, load_entries
from ..importers.remote import Fetcher, FetchError
from ..importers.writer import (
    ConferenceRecord,
    ImportFailure,
    ImportWriter,
    Progress,
    slug_failure,
    sorted_warnings,
)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFailure(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise ImportFailure(
            f"{path}: not UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
    except OSError as error:
        raise ImportFailure(f"{path}: cannot be read ({error.strerror})") from None


def _site_root(path: str, data_folders: tuple[str, ...]) -> Path:
    """The old site's root: above ``_data``/``_bibliography``, else the folder."""
    folder = Path(path).resolve().parent
    return folder.parent if folder.name in data_folders else folder


def _fetcher(args) -> Fetcher:
    cache = Path(args.cache) if args.cache else Path(args.into) / ".cache" / "imports"
    return Fetcher(cache, offline=getattr(args, "offline", False))


def _resolver(args, fetcher: Fetcher):
    def resolve(kind: str, identifier: str) -> dict:
        if kind == "arxiv":
            return arxiv.fetch(identifier, fetcher, args.arxiv_api)
        return doi.fetch(identifier, fetcher, args.crossref_api, args.arxiv_api)

    return resolve


def import_jekyll(args, writer: ImportWriter) -> None:
    if args.slug and len(args.pages) > 1:
        raise ImportFailure("--slug names one conference: give one page with it")
    failure = args.slug and slug_failure(args.slug, "--slug")
    if failure:
        raise failure
    for page in args.pages:
        parsed = parse_page(
            _read(page),
            page,
            PageOptions(Path(page), args.date, args.slug, args.base_url),
        )
        writer.warnings += parsed.warnings
        kept = writer.add_conference(parsed.conference)
        if kept is not parsed.conference:
            raise ImportFailure(
                f"{page}: the conference '{kept.slug}' comes from another page too; "
                "pass --slug to tell them apart"
            )
        for paper in parsed.papers:
            writer.add_paper(paper)
        if parsed.posts:
            writer.files[f"timelines/{kept.slug}.json"] = timeline_snapshot(
                kept, parsed.posts
            )


def timeline_snapshot(conference, posts: list[dict]) -> str:
    """The snapshot ``fetch-timeline`` would write, of the page's embedded posts
    (the same keys and layout, so that a later fetch only adds to it)."""
    snapshot = {
        "account": parse_account(conference.timeline).spec,
        "hashtag": conference.hashtag,
        "posts": posts,
        "source": "x embeds of the imported page",
    }
    return json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def import_lwt(args, writer: ImportWriter) -> None:
    fetcher = _fetcher(args)
    importer = LwtImport(
        writer,
        args.file,
        _site_root(args.file, ("_data",)),
        args.base_url,
        _resolver(args, fetcher),
    )
    entries = load_entries(_read(args.file), args.file)
    progress = Progress(len(entries), "reading")
    for line, entry in entries:
        importer.add(line, entry)
        progress.step()
    importer.finish()


def import_bibtex(args, writer: ImportWriter) -> None:
    entries, warnings = parse_library(_read(args.file), args.file)
    writer.warnings += warnings
    importer = BibtexImport(
        writer,
        args.file,
        _site_root(args.file, ("_bibliography",)),
        args.base_url,
        entries,
    )
    progress = Progress(len(entries), "reading")
    for entry in entries:
        importer.add(entry)
        progress.step()
    importer.finish()


def import_remote(args, writer: ImportWriter) -> None:
    """``import arxiv|doi``: one paper per identifier."""
    fetcher = _fetcher(args)
    resolve = _resolver(args, fetcher)
    existing = None
    if args.conference:
        path = Path(args.into) / "conferences" / f"{args.conference}.md"
        if path.is_file():
            existing = ConferenceRecord(args.conference, "", "", existing=True)
            writer.add_conference(existing)
    progress = Progress(len(args.ids), "asking")
    failures = []
    for identifier in args.ids:
        try:
            meta = resolve(args.kind, identifier)
        except FetchError as error:
            failures.append(str(error))
            progress.step()
            continue
        paper = paper_from_metadata(meta, "", f"{args.kind}:{identifier}")
        if args.conference:
            paper.conference = args.conference
            if existing is None:
                writer.add_conference(
                    ConferenceRecord(args.conference, args.conference, paper.date[:4])
                )
        else:
            record = place(
                paper,
                venue_of_metadata(meta),
                lambda message, i=identifier: writer.warn(f"{args.kind}:{i}", message),
            )
            if record is not None:
                writer.add_conference(record)
        writer.add_paper(paper)
        progress.step()
    if failures and not writer.papers:
        raise ImportFailure(failures[0])
    for failure in failures:
        writer.warn("", failure)
    if args.conference and existing is None and writer.papers:
        writer.warn(
            f"conferences/{args.conference}.md",
            "the conference did not exist: it was written with its slug as title "
            "and its first paper's year as Date; correct both",
        )


def run(args) -> int:
    writer = ImportWriter(Path(args.into), force=args.force)
    try:
        args.importer(args, writer)
        counts = writer.write()
    except (ImportFailure, FetchError) as error:
        for warning in sorted_warnings(writer.warnings):
            print(f"warning: {warning}", file=sys.stderr)
        print(f"pelican-papers: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"pelican-papers: error: {error}", file=sys.stderr)
        return 1
    writer.report(counts)
    return 0


def add_parser(commands) -> None:
    """``pelican-papers import jekyll|lwt|bibtex|arxiv|doi``."""
    top = commands.add_parser(
        "import", help="bring papers over from another site or service"
    )
    kinds = top.add_subparsers(dest="kind", required=True, metavar="FORMAT")

    def common(sub, remote: bool = False):
        sub.add_argument(
            "--into", required=True, metavar="DIR", help="content folder to write into"
        )
        sub.add_argument(
            "--force",
            action="store_true",
            help="replace files that exist with other content",
        )
        if not remote:
            sub.add_argument(
                "--base-url",
                default="",
                metavar="URL",
                help="the old site's address: relative links become "
                "absolute against it",
            )
        sub.add_argument(
            "--cache",
            metavar="DIR",
            help="where answers of arXiv/Crossref are kept "
            "(default DIR/.cache/imports)",
        )
        sub.add_argument(
            "--offline", action="store_true", help="use the cache only; ask no service"
        )
        sub.add_argument(
            "--arxiv-api",
            metavar="URL",
            help="arXiv API (default $PELICAN_PAPERS_ARXIV_API or "
            "https://export.arxiv.org/api/query)",
        )
        sub.add_argument(
            "--crossref-api",
            metavar="URL",
            help="Crossref works API (default "
            "$PELICAN_PAPERS_CROSSREF_API or https://api.crossref.org/works)",
        )
        sub.set_defaults(func=run)

    sub = kinds.add_parser("jekyll", help="lab-website-template conference pages")
    sub.add_argument("pages", nargs="+", metavar="PAGE.md")
    sub.add_argument("--date", help="the conference's first day, YYYY-MM-DD")
    sub.add_argument("--slug", help="the conference's slug (file name)")
    common(sub)
    sub.set_defaults(importer=import_jekyll)

    sub = kinds.add_parser("lwt", help="lab-website-template _data/sources.yaml")
    sub.add_argument("file", metavar="SOURCES.yaml")
    common(sub)
    sub.set_defaults(importer=import_lwt)

    sub = kinds.add_parser("bibtex", help="a BibTeX file (al-folio's papers.bib)")
    sub.add_argument("file", metavar="FILE.bib")
    common(sub)
    sub.set_defaults(importer=import_bibtex)

    for kind, example in (("arxiv", "2210.05938"), ("doi", "10.1109/CVPR.2020.1")):
        sub = kinds.add_parser(
            kind, help=f"papers by {kind} identifier (e.g. {example})"
        )
        sub.add_argument("ids", nargs="+", metavar="ID")
        sub.add_argument(
            "--conference",
            metavar="SLUG",
            help="the conference the papers go to (default: their venue)",
        )
        common(sub, remote=True)
        sub.set_defaults(importer=import_remote)
