"""Social timelines: accounts, static render, consent embed (issue 4).

A conference names an account (``Timeline: mastodon @KeuperLabs@sigmoid.social``)
and a ``Hashtag``. ``pelican-papers fetch-timeline`` asks the provider for that
account's public posts with the hashtag and writes them, sanitized and with their
images downloaded, to ``content/timelines/<conference>.json``: a content file that
is reviewed in git like any other. The build renders the snapshot as static HTML;
the provider's live posts load only after the visitor clicks (``timeline.js``,
copied next to the theme's static files), so no page asks another host for
anything before that.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from ..base import paths
from ..base.accounts import (
    BLUESKY_APPVIEW,
    PROVIDER_NAMES,
    Account,
    AccountError,
    parse_account,
)
from ..base.sanitize import clean_html
from ..base.text import clean_text
from ..base.urls import url_problem
from ..format.schema import ERROR, WARNING, Problem
from ..settings import setting

# --- the build: snapshot -> page ---------------------------------------------


@dataclass
class Post:
    """One post as the page shows it."""

    id: str
    url: str
    date: dt.datetime  # in the site's time zone
    html: Markup
    author_name: str
    author_url: str
    author_handle: str
    media: list[dict[str, Any]] = field(default_factory=list)

    @property
    def date_iso(self) -> str:
        return self.date.isoformat()

    @property
    def date_text(self) -> str:
        """Absolute, so that the page reads the same whenever it is built."""
        return f"{self.date.day} {self.date:%B %Y, %H:%M %Z}".strip()


@dataclass
class Timeline:
    """The timeline region of a conference page."""

    account: Account
    hashtag: str
    posts: list[Post]  # newest first, at most CONFERENCE_PAPERS_TIMELINE_POSTS
    live_posts: int

    @property
    def provider_name(self) -> str:
        return PROVIDER_NAMES[self.account.provider]

    @property
    def link_url(self) -> str:
        return self.account.tag_url(self.hashtag)

    @property
    def link_text(self) -> str:
        tagged = f" tagged #{self.hashtag}" if self.hashtag else ""
        return f"All posts of {self.account.handle}{tagged} on {self.account.site}"

    @property
    def note(self) -> str:
        if self.account.provider == "x":
            return "X shows these posts only to visitors who are logged in to X."
        return ""

    @property
    def live(self) -> dict[str, str]:
        """What timeline.js needs: data-* attributes of the consent region."""
        api = {"mastodon": f"https://{self.account.host}", "bluesky": BLUESKY_APPVIEW}
        return {
            "provider": self.account.provider,
            "host": self.account.site,
            "api": api.get(self.account.provider, ""),
            "account": self.account.user,
            "hashtag": self.hashtag,
            "count": str(self.live_posts),
        }


def snapshot_path(settings, slug: str) -> str:
    """The snapshot of a conference, relative to the content folder."""
    return f"{setting(settings, 'TIMELINES_PATH').strip('/')}/{slug}.json"


def media_path(settings, slug: str) -> str:
    """The folder of a conference's timeline images, relative to content/."""
    return f"{setting(settings, 'TIMELINE_MEDIA_PATH').strip('/')}/{slug}"


@dataclass(frozen=True)
class Timelines:
    """What :func:`read_timelines` found: each conference's timeline (by slug;
    None: it shows none), the problems of the snapshots, and their images, which
    StaticGenerator must copy."""

    by_slug: dict[str, Timeline | None]
    problems: list[Problem]
    media: set[str]


def read_timelines(conferences, settings, content_path: str) -> Timelines:
    """The timeline of each conference, from its snapshot; read after grouping.
    The Timeline value itself was checked by the schema."""
    default = setting(settings, "TIMELINE")
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    found = Timelines({}, [], set())
    for conference in conferences:
        found.by_slug[conference.slug] = None
        hashtag = getattr(conference, "hashtag", "") or ""
        spec = getattr(conference, "timeline", "") or (default if hashtag else "")
        if not spec:
            continue
        try:
            account = parse_account(spec)
        except AccountError:
            continue  # reported by schema.parse_conference (or the settings check)
        snapshot = Snapshot(settings, content_path, conference.slug, zone)
        posts, problems = read_snapshot(snapshot, account, hashtag)
        found.problems.extend(problems)
        # StaticGenerator copies them, as it does a paper's image.
        found.media.update(media["path"] for post in posts for media in post.media)
        found.by_slug[conference.slug] = Timeline(
            account,
            hashtag,
            posts[: setting(settings, "TIMELINE_POSTS")],
            setting(settings, "TIMELINE_LIVE_POSTS"),
        )
    return found


@dataclass(frozen=True)
class Snapshot:
    """Where a conference's snapshot is, and the zone its dates are shown in."""

    settings: Any
    content_path: str
    slug: str
    zone: Any


def read_snapshot(snapshot: Snapshot, account, hashtag):
    """The posts of the conference's snapshot, newest first, checked again: the
    file may have been edited by hand since it was fetched."""
    relative = snapshot_path(snapshot.settings, snapshot.slug)
    path = os.path.join(snapshot.content_path, relative)
    if not os.path.isfile(path):
        return [], []

    def problem(message, hint, line=1, severity=ERROR):
        return Problem(relative, line, message, hint, severity)

    again = f"run 'pelican-papers fetch-timeline {snapshot.slug}' again"
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (UnicodeDecodeError, OSError) as error:
        return [], [problem(f"the timeline snapshot cannot be read ({error})", again)]
    except json.JSONDecodeError as error:
        return [], [
            problem(
                f"the timeline snapshot is not valid JSON ({error.msg})",
                f"{again}, or restore the file with git",
                error.lineno,
            )
        ]
    if not isinstance(data, dict) or not isinstance(data.get("posts"), list):
        return [], [problem("the timeline snapshot has no list of posts", again)]
    wanted = (account.spec, hashtag.lower())
    found = (data.get("account"), str(data.get("hashtag", "")).lower())
    if found != wanted:
        return [], [
            problem(
                f"the snapshot holds {found[0]} #{found[1]}, the conference asks for "
                f"{wanted[0]} #{hashtag}; it is not shown",
                again,
                severity=WARNING,
            )
        ]
    media_folder = media_path(snapshot.settings, snapshot.slug)
    posts, problems = [], []
    for number, raw in enumerate(data["posts"], start=1):
        try:
            post, missing = _snapshot_post(
                raw, snapshot.content_path, snapshot.zone, media_folder
            )
        except (KeyError, TypeError, ValueError) as error:
            problems.append(
                problem(
                    f"post {number} of the snapshot is not usable ({error})",
                    again,
                    severity=WARNING,
                )
            )
            continue
        for missing_path in missing:
            problems.append(
                problem(
                    f"the image '{missing_path}' of post {number} does not exist",
                    again,
                    severity=WARNING,
                )
            )
        posts.append(post)
    posts.sort(key=lambda p: (p.date, p.id), reverse=True)
    return posts, problems


def _snapshot_post(
    raw: dict, content: str, zone, media_folder: str
) -> tuple[Post, list[str]]:
    url = https_url(raw["url"])
    author = raw.get("author") or {}
    author_url = author.get("url") or ""
    author_url = https_url(author_url) if author_url else url
    media, missing = [], []
    for item in raw.get("media") or []:
        path = str(item["path"])
        # Only the conference's own media folder: a hand-edited snapshot could
        # otherwise show (and publish) any file of content/.
        inside = path.removeprefix(media_folder + "/") if media_folder else path
        reason = (
            paths.relative_problem(inside, media_folder + "/")
            if inside != path
            else f"it is not in {media_folder}/"
        )
        if not reason and not paths.is_inside(
            os.path.join(content, media_folder), os.path.join(content, path)
        ):
            reason = f"it points outside {media_folder}/ through a symbolic link"
        if reason:
            raise ValueError(f"the image '{clean_text(path)}' is refused: {reason}")
        if not os.path.isfile(os.path.join(content, path)):
            missing.append(path)
            continue
        media.append(
            {
                "path": path,
                "alt": clean_text(str(item.get("alt") or "")),
                "width": _size(item.get("width")),
                "height": _size(item.get("height")),
            }
        )
    post = Post(
        id=str(raw["id"]),
        url=url,
        date=iso_date(str(raw["date"])).astimezone(zone),
        html=clean_post_html(str(raw.get("html") or "")),
        author_name=clean_text(str(author.get("name") or "")),
        author_url=author_url,
        author_handle=clean_text(str(author.get("handle") or "")),
        media=media,
    )
    return post, missing


def _size(value) -> int | None:
    return value if isinstance(value, int) and 0 < value < 100_000 else None


def https_url(url: str) -> str:
    if not isinstance(url, str) or url_problem(url) or not url.startswith("https://"):
        raise ValueError(f"'{url}' is not an https:// address")
    return url


def iso_date(value: str) -> dt.datetime:
    """An ISO 8601 time with its offset (``Z`` too) as an aware datetime in UTC."""
    value = value.strip()
    value = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    # Python 3.10 reads only 0, 3 or 6 digits of fractions: drop them all.
    value = re.sub(r"(T\d{2}:\d{2}:\d{2})\.\d+", r"\1", value)
    date = dt.datetime.fromisoformat(value)
    if date.tzinfo is None:
        raise ValueError(f"the date '{value}' has no time zone")
    return date.astimezone(dt.timezone.utc)


#: A tag of the sanitizer's output, whose attribute values are always quoted
#: with ``"`` (which they cannot hold): the name, and the attributes.
_TAG = re.compile(r'<(/?)([a-zA-Z][^\s/>]*)((?:[^>"]|"[^"]*")*)>')
_HREF = re.compile(r'\shref="([^"]*)"')


def clean_post_html(raw: str) -> Markup:
    """A post's HTML through the allowlist; links only to absolute http(s)
    addresses (a relative link would point into our own site): any other
    link is unwrapped, its text kept.

    The links are found in the sanitizer's output, which is well-formed (no
    ``<a>`` inside another, every value quoted), so no HTML parser is needed
    here: the build does not import one (it costs every build some 0.2 s)."""
    clean = str(clean_html(raw))
    kept, pieces, start = [], [], 0
    for tag in _TAG.finditer(clean):
        closing, name, attributes = tag.groups()
        if name.lower() != "a":
            continue
        if closing:
            keep = kept.pop() if kept else True
        else:
            href = _HREF.search(attributes)
            keep = bool(href) and _is_web_link(html.unescape(href.group(1)))
            kept.append(keep)
        if not keep:
            pieces.append(clean[start : tag.start()])
            start = tag.end()
    pieces.append(clean[start:])
    return clean_html("".join(pieces))


def _is_web_link(href: str) -> bool:
    return not url_problem(href) and urlsplit(href).scheme in ("http", "https")
