"""``pelican-papers sync``: the lab's paper list kept current from OpenAlex (issue 16).

Why a command and not a build step: a build must not depend on a service being
up, and a webmaster wants to read what changes before it does (``--dry-run``
prints the exact diff, ``git diff content/`` shows it after). The pure parts
live below this module (openalex.py reads works, matching.py decides which
works and files are one paper, venues.py says where a work appeared, http.py
asks); this package only plans files and writes them, in four steps of its
own: :mod:`.sources` reads the content folder (members, sources.yaml, the
papers there), :mod:`.ask` asks OpenAlex and Crossref, :mod:`.plan` matches
works to files and merges, :mod:`.write` prints the diff or swaps the files in.
This module is the command: it runs them in that order.

Rules it keeps:

- Never lose an edit. ``content/.sync-state.json`` records, per file and field,
  what sync last wrote. A field whose value differs from that record was
  edited by hand and stays; a field sync never wrote is the author's.
- The body (the abstract) follows the same rule: sync writes it into a file
  without one and replaces only the one it wrote (its digest is in the state).
- Members are named as their files name them (ORCID iD, OpenAlex id, else a
  name or alias), so that their pages list the paper.
- A citation count is a dated snapshot that a later sync never lowers.
- A second run with nothing new changes no byte: values are rendered in one
  fixed way, and files whose text would not change are not written.
- All or nothing. Every answer is fetched and every file planned before the
  first byte is written; a fault (429 beyond the cap, 503, a timeout, garbage)
  leaves content/ untouched (the cache included) and says so in one line.
  Writes are staged beside their targets, then swapped in with os.replace.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from .ask import MAX_RETRIES, Asker, fetch_works
from .plan import STATE_FILE, plan_sync
from .sources import SyncFailure, lab_members
from .write import diff, swap

#: Seconds a request may take in all.
TIMEOUT = 30.0
CACHE_FOLDER = Path(".cache") / "openalex"
__all__ = ["MAX_RETRIES", "TIMEOUT", "add_parser", "run", "today"]


def today() -> str:
    """The date a citation count is taken on (UTC; tests fix it)."""
    return datetime.now(UTC).date().isoformat()


def read_state(content: Path) -> dict[str, dict[str, str]]:
    """What the last sync wrote, per file. A state file that is not what sync
    writes (a merge conflict, a hand edit gone wrong) stops the sync: read as
    empty, every field would pass for the author's and the record be lost."""
    path = content / STATE_FILE
    if not path.is_file():
        return {}
    try:
        state = json.loads(path.read_text("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SyncFailure(
            f"{path}: is not JSON ({error}); restore it from git or delete it "
            "(the next sync then treats every field as the author's)"
        ) from None
    if not isinstance(state, dict) or not all(
        isinstance(fields, dict) for fields in state.values()
    ):
        raise SyncFailure(
            f"{path}: is not what sync writes (a file name -> its fields); "
            "restore it from git or delete it"
        )
    return state


def run(args) -> int:
    content = Path(args.content)
    if not content.is_dir():
        print(f"pelican-papers: error: {content}: no such folder", file=sys.stderr)
        return 1
    asker = Asker(content / CACHE_FOLDER, args.offline, TIMEOUT)
    try:
        works, notes = fetch_works(args, content, asker)
        plan, _ = plan_sync(
            works, content, read_state(content), lab_members(content), today()
        )
    except SyncFailure as error:
        print(
            f"pelican-papers: sync stopped, content unchanged: {error}", file=sys.stderr
        )
        return 1
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    if args.dry_run:
        sys.stdout.write(diff(plan.files, content))
    else:
        swap({**asker.cache_files(), **plan.files})
    for what in plan.skipped:
        print(f"skipped {what}", file=sys.stderr)
    for what in plan.kept:
        print(f"kept a hand edit: {what}", file=sys.stderr)
    verb = "would be" if args.dry_run else "were"
    print(
        f"sync: {len(plan.added)} added, {len(plan.merged)} merged, "
        f"{len(plan.updated)} updated, {len(plan.unchanged)} unchanged, "
        f"{len(plan.skipped)} skipped, {len(plan.conferences)} new conference(s) "
        f"({len(plan.files)} file(s) {verb} written)"
    )
    return 0


def add_parser(commands) -> None:
    """``pelican-papers sync [CONTENT_DIR] [--dry-run] [--offline] ...``."""
    sub = commands.add_parser(
        "sync", help="add and update the members' papers from OpenAlex"
    )
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument(
        "--dry-run", action="store_true", help="print the diff; write nothing"
    )
    sub.add_argument(
        "--offline", action="store_true", help="use the cache only; ask nothing"
    )
    sub.add_argument(
        "--openalex-url",
        metavar="URL",
        help="another OpenAlex (https://, or http://127.0.0.1:PORT for a test)",
    )
    sub.add_argument(
        "--mailto",
        metavar="M",
        help="your e-mail for OpenAlex's polite pool "
        "(default CONFERENCE_PAPERS_SYNC_MAILTO)",
    )
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.set_defaults(func=run)
