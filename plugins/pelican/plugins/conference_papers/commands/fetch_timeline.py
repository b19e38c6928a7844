"""``pelican-papers fetch-timeline``: the command around timeline_fetch/.

Reads the content folder as the build does, picks the conferences with a
Timeline and a Hashtag, and fetches each (timeline_fetch.driver.fetch_conference);
every failure is one line, and the exit status says whether all worked.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..base.accounts import BLUESKY_APPVIEW
from ..base.text import clean_text
from ..format.schema import ERROR
from ..generator import load_content
from ..settings import SettingsError, apply_defaults, setting
from ..timeline_fetch.client import FetchError, check_base_url
from ..timeline_fetch.driver import fetch_conference
from ..writers.timeline import snapshot_path
from .check import load_settings


def add_parser(commands) -> None:
    """``pelican-papers fetch-timeline``."""
    sub = commands.add_parser(
        "fetch-timeline",
        help="snapshot a conference's tagged posts (Mastodon, Bluesky) into content/",
        description=(
            "Fetch the public posts of each conference's Timeline account that carry "
            "its Hashtag, and write them, sanitized and with their images, to "
            "CONTENT/timelines/<conference>.json. Review the change with git."
        ),
    )
    sub.add_argument(
        "conference", nargs="?", help="its slug (default: every conference)"
    )
    sub.add_argument("--content", default="content", help="content folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.add_argument(
        "--instance-url",
        help="ask this Mastodon server instead of the account's own "
        "(https://host, or http://127.0.0.1:PORT for a local test server)",
    )
    sub.add_argument(
        "--appview-url",
        default=BLUESKY_APPVIEW,
        help=f"Bluesky AppView to ask (default {BLUESKY_APPVIEW})",
    )
    sub.add_argument(
        "--timeout",
        type=_positive(float),
        default=20,
        help="seconds to wait for an answer",
    )
    sub.add_argument(
        "--pages",
        type=_positive(int),
        default=5,
        help="at most this many pages of posts",
    )
    sub.set_defaults(func=fetch_timeline)


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise ValueError(text)
        return value

    parse.__name__ = f"positive {kind.__name__}"
    return parse


def _say(message: str) -> None:
    print(f"pelican-papers: {message}", file=sys.stderr, flush=True)


def fetch_timeline(args) -> int:
    content = Path(args.content)
    if not content.is_dir():
        _say(f"no content folder at {args.content}")
        return 2
    try:
        if args.instance_url:
            args.instance_url = check_base_url(args.instance_url, "--instance-url")
        args.appview_url = check_base_url(args.appview_url, "--appview-url")
    except FetchError as error:
        _say(str(error))
        return 2
    generator = _load(args)
    if generator is None:
        return 2
    conferences = generator.conferences
    if args.conference:
        conferences = [c for c in conferences if c.slug == args.conference]
        if not conferences:
            return _unknown_conference(args, generator)
    failures = sum(not _fetch_one(args, generator, c) for c in conferences)
    return 1 if failures else 0


def _fetch_one(args, generator, conference) -> bool:
    """Fetch one conference's snapshot, or say in one line why not; False when
    that is a failure (a conference asked for by name without a Timeline)."""
    timeline = conference.social_timeline
    if timeline is None or not timeline.hashtag:
        if args.conference:
            _say(_missing(args, generator, conference))
        return not args.conference
    if timeline.account.provider == "x":
        print(
            f"{conference.slug}: X has no free API for reading posts; the page "
            f"links to them instead: {timeline.link_url}"
        )
        return True
    snapshot = snapshot_path(generator.settings, conference.slug)
    snapshot = f"{args.content.rstrip('/')}/{snapshot}"
    outcome = "was left as it was" if Path(snapshot).exists() else "was not written"
    try:
        written = fetch_conference(conference, generator.settings, args)
    except FetchError as error:
        _say(f"{conference.slug}: {error}; {snapshot} {outcome}")
        return False
    except Exception as error:  # a bug of ours: still one line, still safe
        _say(
            f"{conference.slug}: unexpected {error.__class__.__name__}: "
            f"{clean_text(str(error))[:200]}; {snapshot} {outcome} "
            "(please report this)"
        )
        return False
    print(f"wrote {args.content.rstrip('/')}/{written}")
    return True


def _missing(args, generator, conference) -> str:
    """What to add to a conference without a Timeline or a Hashtag."""
    folder = setting(generator.settings, "CONFERENCES_PATH")
    source = f"{args.content.rstrip('/')}/{folder}/{conference.slug}.md"
    if conference.social_timeline is None:
        return (
            f"{conference.slug} has no Timeline: add e.g. "
            f"'Timeline: mastodon @you@instance.social' to {source}"
        )
    return (
        f"{conference.slug} has no Hashtag: add e.g. 'Hashtag: NeurIPS2022' to {source}"
    )


def _load(args):
    """The conferences of the content folder, as the build reads them."""
    try:
        settings = load_settings(args.settings, args.content)
        apply_defaults(settings)
    except (SettingsError, OSError) as error:
        _say(str(error))
        return None
    return load_content(settings)


def _unknown_conference(args, generator) -> int:
    folder = setting(generator.settings, "CONFERENCES_PATH")
    mine = [
        p
        for p in generator.problems
        if p.path == f"{folder}/{args.conference}.md" and p.severity == ERROR
    ]
    for problem in mine:
        _say(f"{args.content.rstrip('/')}/{problem}")
    if not mine:
        known = ", ".join(c.slug for c in generator.conferences) or "none"
        _say(
            f"no conference '{args.conference}' in {args.content}/{folder}/ "
            f"(known: {known})"
        )
    return 1
