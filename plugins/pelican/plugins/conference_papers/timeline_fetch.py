"""``pelican-papers fetch-timeline``: a conference's tagged posts, fetched from
Mastodon (API, else the tagged RSS feed) or Bluesky (the public AppView), written
as a snapshot into the content folder (issue 4).

Only https:// servers are asked (http://127.0.0.1 when the server given on the
command line is a local test server). Every failure becomes one line that says
what happened and what to do; nothing in the content folder changes unless the
whole fetch worked: images are downloaded to a temporary folder and the snapshot
is swapped in with one rename.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import socket
import ssl
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html import escape
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from PIL import Image, UnidentifiedImageError

from .base import http
from .base.accounts import HOST_PATTERN, POST_ID, Account
from .base.text import clean_text
from .base.urls import url_problem
from .writers.timeline import (
    clean_post_html,
    https_url,
    iso_date,
    media_path,
    snapshot_path,
)

USER_AGENT = "pelican-conference-papers fetch-timeline"
JSON_LIMIT = 8_000_000
MEDIA_LIMIT = 16_000_000
# A post's image is shown at most a few hundred pixels wide: 40 million pixels
# is a large photograph, and bounds the memory Pillow needs to check one.
MEDIA_PIXELS = 40_000_000
_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class FetchError(Exception):
    """Fetching failed; the message is one line: what happened, what to do."""


class StatusError(FetchError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def check_base_url(url: str, option: str) -> str:
    """An API base: https://host, or http://127.0.0.1:PORT (a local test server)."""
    parts = urlsplit(url)
    loopback = parts.scheme == "http" and parts.hostname in http.LOOPBACK
    if (parts.scheme != "https" and not loopback) or not parts.hostname:
        raise FetchError(
            f"{option} {url} is not usable: write https://host "
            "(or http://127.0.0.1:PORT for a local test server)"
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise FetchError(f"{option} {url} must be the server alone, e.g. https://host")
    return f"{parts.scheme}://{parts.netloc}"


class Fetcher:
    """The shared HTTP client (http.py) with fetch-timeline's messages: each
    failure becomes a one-line FetchError that says what to do."""

    def __init__(self, timeout: float, allow_loopback: bool, progress):
        self.timeout = timeout
        self.progress = progress
        self.client = http.Client(timeout, USER_AGENT, allow_loopback=allow_loopback)

    def check_url(self, url: str) -> str:
        try:
            return self.client.check_url(url)
        except http.FetchError as error:
            raise FetchError(str(error)) from None

    def get(self, url: str, what: str, accept: str, limit: int) -> bytes:
        try:
            return self.client.get(url, limit, accept)
        except http.StatusError as error:
            raise StatusError(_status_message(error, what), error.status) from None
        except http.ConnectionProblem as error:
            raise FetchError(_connection_message(error, self)) from None
        except http.FetchError as error:
            raise FetchError(str(error)) from None

    def json(self, url: str, what: str, provider: str) -> Any:
        body = self.get(url, what, "application/json", JSON_LIMIT)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _not_api(urlsplit(url).netloc, provider, "not JSON") from None


def _not_api(host: str, provider: str, detail: str) -> FetchError:
    return FetchError(
        f"{host} did not answer like a {provider} server ({detail}); "
        "check the account's server, or try again later"
    )


def _status_message(error: http.StatusError, what: str) -> str:
    status, host = error.status, error.host
    if status in (401, 403):
        return (
            f"{host} refused to give out {what} (HTTP {status}): the server shares "
            "them only with logged-in users, so they cannot be snapshotted; the page "
            "keeps its link to them"
        )
    if status in (400, 404):
        detail = ""
        try:
            found = json.loads(error.body)
            detail = str(found.get("message") or found.get("error") or "")
        except Exception:  # an error page that is not JSON: no detail then
            detail = ""
        detail = f": {clean_text(detail)[:120]}" if detail else ""
        return (
            f"{host} does not know {what} (HTTP {status}{detail}); check the account "
            "in the conference's Timeline line (or CONFERENCE_PAPERS_TIMELINE)"
        )
    if status == 429:
        wait = (error.headers.get("Retry-After") or "").strip()
        wait = f"{wait} seconds" if wait.isdigit() else "a few minutes"
        return (
            f"{host} is limiting requests (HTTP 429): wait {wait} and run "
            "fetch-timeline again"
        )
    if status >= 500:
        return f"{host} had a server error (HTTP {status}); try again later"
    return f"{host} answered HTTP {status} for {what}; try again later"


def _connection_message(error: http.ConnectionProblem, fetcher: Fetcher) -> str:
    reason, host = error.reason, error.host
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return (
            f"{host} did not answer within {fetcher.timeout:g} s; try again later, "
            "or allow more time with --timeout"
        )
    if isinstance(reason, socket.gaierror):
        return (
            f"could not find {host} (no network, or a typo in the host name); check "
            "the connection and the Timeline line, then run fetch-timeline again"
        )
    if isinstance(reason, ConnectionRefusedError):
        return (
            f"{host} refused the connection (is the server running?); check the "
            "address and run fetch-timeline again"
        )
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection to {host} failed ({reason.__class__.__name__})"
    if isinstance(reason, (OSError, HTTPException)):
        return f"{error}; try again in a moment"
    return (
        f"could not connect to {host} ({clean_text(str(reason))}); check the network "
        "connection and run fetch-timeline again"
    )


@dataclass
class FetchedPost:
    """A post as fetched: normalized, its images not yet downloaded."""

    id: str
    url: str
    date: dt.datetime
    html: str
    author: dict[str, str]
    media: list[tuple[str, str]]  # (image URL, alt text)


@contextlib.contextmanager
def _expecting(host: str, provider: str):
    """An answer of the wrong shape (a KeyError deep inside) becomes one line."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        detail = f"unexpected data: {error.__class__.__name__} {clean_text(str(error))}"
        raise _not_api(host, provider, detail[:120]) from None


def fetch_mastodon(account: Account, hashtag: str, base: str, fetcher, pages: int):
    """The account's public posts with ``hashtag``: the API, else the RSS feed."""
    try:
        return _mastodon_api(account, hashtag, base, fetcher, pages), "api"
    except StatusError as error:
        if error.status not in (401, 403):
            raise
        fetcher.progress(f"the API answered HTTP {error.status}; trying the RSS feed")
        try:
            return _mastodon_rss(account, hashtag, base, fetcher), "rss"
        except FetchError:
            raise FetchError(f"{error} (its RSS feed did not work either)") from None


def _mastodon_api(account, hashtag, base, fetcher, pages):
    host = urlsplit(base).netloc
    who = f"the account {account.handle}"
    found = fetcher.json(
        f"{base}/api/v1/accounts/lookup?{urlencode({'acct': account.user})}",
        who,
        "Mastodon",
    )
    with _expecting(host, "Mastodon"):
        account_id = str(found["id"])
        if not account_id.isdigit():
            raise ValueError(f"account id {account_id[:20]!r}")
    posts: list[FetchedPost] = []
    query = {"tagged": hashtag, "limit": 40, "exclude_reblogs": "true"}
    for page in range(1, pages + 1):
        batch = fetcher.json(
            f"{base}/api/v1/accounts/{account_id}/statuses?{urlencode(query)}",
            f"the posts of {account.handle}",
            "Mastodon",
        )
        with _expecting(host, "Mastodon"):
            if not isinstance(batch, list):
                raise TypeError("the statuses are not a list")
            for status in batch:
                post = _skip_unusable(_mastodon_post, status, account, hashtag, fetcher)
                if post:
                    posts.append(post)
            fetcher.progress(f"page {page}: {len(batch)} posts, {len(posts)} tagged")
            if len(batch) < query["limit"]:
                break
            query["max_id"] = str(batch[-1]["id"])
    return posts


def _skip_unusable(normalize, raw, account, hashtag, fetcher):
    """One post that fails a check (a javascript: address, a date without a
    zone) is left out; an answer in the wrong shape fails the whole fetch."""
    try:
        return normalize(raw, account, hashtag)
    except ValueError as error:
        fetcher.progress(f"  post left out: {clean_text(str(error))[:120]}")
        return None


def _mastodon_post(status: dict, account: Account, hashtag: str) -> FetchedPost | None:
    if status.get("reblog") or status.get("visibility") not in ("public", "unlisted"):
        return None
    tags = {str(tag["name"]).lower() for tag in status.get("tags") or []}
    if hashtag.lower() not in tags:
        return None
    post_id = str(status["id"])
    if not POST_ID.match(post_id):
        raise ValueError(f"post id {post_id[:20]!r}")
    html = str(status.get("content") or "")
    warning = clean_text(str(status.get("spoiler_text") or ""))
    if warning:
        html = f"<p><strong>{escape(warning)}</strong></p>{html}"
    author = status.get("account") or {}
    media = [
        (str(item["url"]), str(item.get("description") or ""))
        for item in status.get("media_attachments") or []
        if item.get("type") == "image" and item.get("url")
    ]
    return FetchedPost(
        id=post_id,
        url=https_url(str(status.get("url") or status.get("uri"))),
        date=iso_date(str(status["created_at"])),
        html=html,
        author={
            "name": clean_text(str(author.get("display_name") or account.user)),
            "handle": account.handle,
            "url": account.profile_url,
        },
        media=media,
    )


_MEDIA_RSS = "{http://search.yahoo.com/mrss/}"


def _mastodon_rss(account, hashtag, base, fetcher) -> list[FetchedPost]:
    """``https://instance/@user/tagged/TAG.rss``: when the API is closed."""
    host = urlsplit(base).netloc
    url = f"{base}/@{account.user}/tagged/{quote(hashtag)}.rss"
    body = fetcher.get(
        url, f"the RSS feed of {account.handle}", "application/rss+xml", JSON_LIMIT
    )
    try:
        # Python's expat refuses entity expansion bombs (3.7.1+): safe for a feed.
        channel = ET.fromstring(body).find("channel")
    except ET.ParseError:
        raise _not_api(host, "Mastodon", "its RSS feed is not XML") from None
    posts = []
    with _expecting(host, "Mastodon"):
        if channel is None:
            raise ValueError("no RSS channel")
        name = clean_text(channel.findtext("title") or account.user)
        for item in channel.findall("item"):
            url = https_url(
                (item.findtext("link") or item.findtext("guid") or "").strip()
            )
            media = [
                (m.get("url", ""), m.findtext(f"{_MEDIA_RSS}description") or "")
                for m in item.findall(f"{_MEDIA_RSS}content")
                if (
                    m.get("medium") == "image" or m.get("type", "").startswith("image/")
                )
                and m.get("url")
            ]
            posts.append(
                FetchedPost(
                    id=url.rstrip("/").rsplit("/", 1)[-1],
                    url=url,
                    date=parsedate_to_datetime(
                        item.findtext("pubDate") or ""
                    ).astimezone(dt.timezone.utc),
                    html=(item.findtext("description") or "").strip(),
                    author={
                        "name": name,
                        "handle": account.handle,
                        "url": account.profile_url,
                    },
                    media=media,
                )
            )
    fetcher.progress(f"RSS feed: {len(posts)} tagged posts")
    return posts


_TAG_FACET = "app.bsky.richtext.facet#tag"


def fetch_bluesky(account: Account, hashtag: str, base: str, fetcher, pages: int):
    """The account's own posts (no reposts) whose facets carry ``hashtag``."""
    host = urlsplit(base).netloc
    posts: list[FetchedPost] = []
    query = {"actor": account.user, "filter": "posts_no_replies", "limit": 100}
    for page in range(1, pages + 1):
        answer = fetcher.json(
            f"{base}/xrpc/app.bsky.feed.getAuthorFeed?{urlencode(query)}",
            f"the posts of {account.handle}",
            "Bluesky",
        )
        with _expecting(host, "Bluesky"):
            feed = answer["feed"]
            if not isinstance(feed, list):
                raise TypeError("the feed is not a list")
            for item in feed:
                post = _skip_unusable(_bluesky_post, item, account, hashtag, fetcher)
                if post:
                    posts.append(post)
            fetcher.progress(f"page {page}: {len(feed)} posts, {len(posts)} tagged")
            cursor = answer.get("cursor")
            if not cursor or not feed:
                break
            query["cursor"] = str(cursor)
    return posts, "appview"


def _bluesky_post(item: dict, account: Account, hashtag: str) -> FetchedPost | None:
    if item.get("reason"):  # a repost of someone else's post
        return None
    post = item["post"]
    author = post["author"]
    if account.user.lower() not in (
        str(author.get("handle", "")).lower(),
        str(author.get("did", "")).lower(),
    ):
        return None
    record = post["record"]
    facets = record.get("facets") or []
    tags = {
        str(feature.get("tag", "")).lower()
        for facet in facets
        for feature in facet.get("features") or []
        if feature.get("$type") == _TAG_FACET
    }
    if hashtag.lower() not in tags:
        return None
    rkey = str(post["uri"]).rsplit("/", 1)[-1]
    if not POST_ID.match(rkey):
        raise ValueError(f"post key {rkey[:20]!r}")
    handle = str(author["handle"])
    if not re.fullmatch(HOST_PATTERN, handle, re.I):
        raise ValueError(f"handle {handle[:40]!r}")
    embed = post.get("embed") or {}
    if embed.get("$type") == "app.bsky.embed.recordWithMedia#view":
        embed = embed.get("media") or {}
    images = (
        embed.get("images") or []
        if embed.get("$type") == "app.bsky.embed.images#view"
        else []
    )
    return FetchedPost(
        id=rkey,
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        date=iso_date(str(record["createdAt"])),
        html=bluesky_html(str(record.get("text") or ""), facets),
        author={
            "name": clean_text(str(author.get("displayName") or handle)),
            "handle": f"@{handle}",
            "url": f"https://bsky.app/profile/{handle}",
        },
        media=[
            (
                str(image.get("fullsize") or image.get("thumb")),
                str(image.get("alt") or ""),
            )
            for image in images
            if image.get("fullsize") or image.get("thumb")
        ],
    )


def bluesky_html(text: str, facets: list) -> str:
    """A post's text as HTML: its facets (byte ranges of UTF-8) become links."""
    data = text.encode("utf-8")
    spans = []
    for facet in facets:
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            continue
        href = None
        for feature in facet.get("features") or []:
            kind = feature.get("$type")
            if kind == "app.bsky.richtext.facet#link":
                uri = str(feature.get("uri", ""))
                if not url_problem(uri) and uri.startswith(("https://", "http://")):
                    href = uri
            elif kind == "app.bsky.richtext.facet#mention":
                href = f"https://bsky.app/profile/{quote(str(feature.get('did', '')))}"
            elif kind == _TAG_FACET:
                href = f"https://bsky.app/hashtag/{quote(str(feature.get('tag', '')))}"
        if href and end <= len(data):
            spans.append((start, end, href))
    out, position = [], 0
    for start, end, href in sorted(spans):
        if start < position:
            continue  # overlapping facets: keep the first
        out.append(escape(data[position:start].decode("utf-8", "replace")))
        label = escape(data[start:end].decode("utf-8", "replace"))
        out.append(f'<a href="{escape(href)}">{label}</a>')
        position = end
    out.append(escape(data[position:].decode("utf-8", "replace")))
    paragraphs = "".join(out).split("\n\n")
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def download_image(fetcher: Fetcher, url: str, folder: Path, name: str):
    """The image at ``url`` saved as ``folder/name.ext``: (file name, width, height),
    or None when it cannot be used (it is then left out, never hot-linked)."""
    try:
        fetcher.check_url(url)
        body = fetcher.get(url, "an image", "image/*", MEDIA_LIMIT)
    except FetchError as error:
        fetcher.progress(f"  image left out: {error}")
        return None
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: an image
            # that large is left out as well (a decompression bomb).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(body)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MEDIA_PIXELS:
                    raise Image.DecompressionBombError
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        fetcher.progress(
            "  image left out: too many pixels (more than "
            f"{MEDIA_PIXELS // 1_000_000} million)"
        )
        return None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        fetcher.progress("  image left out: not a PNG, JPEG, GIF or WebP file")
        return None
    if kind not in _IMAGE_FORMATS:
        fetcher.progress(f"  image left out: {kind} is not PNG, JPEG, GIF or WebP")
        return None
    filename = f"{name}.{_IMAGE_FORMATS[kind]}"
    (folder / filename).write_bytes(body)
    return filename, width, height


def _unique(posts: list[FetchedPost], fetcher) -> list[FetchedPost]:
    """Each post once: pages of a timeline overlap when posts arrive while it
    is paged through, and a server may send a page twice. The first one seen
    (the newest page) is kept."""
    seen, unique = set(), []
    for post in posts:
        if post.id not in seen:
            seen.add(post.id)
            unique.append(post)
    if len(unique) < len(posts):
        fetcher.progress(f"{len(posts) - len(unique)} repeated posts left out")
    return unique


def _progress(message: str) -> None:
    print(f"fetch-timeline: {message}", file=sys.stderr, flush=True)


def fetch_conference(conference, settings, args) -> str:
    """Fetch one conference's snapshot; returns what was written. Nothing in the
    content folder changes unless everything worked."""
    timeline = conference.social_timeline
    account, hashtag = timeline.account, timeline.hashtag
    content = Path(settings["PATH"])
    relative = snapshot_path(settings, conference.slug)
    if account.provider == "mastodon":
        base = args.instance_url or f"https://{account.host}"
        fetch = fetch_mastodon
    else:
        base, fetch = args.appview_url, fetch_bluesky
    fetcher = Fetcher(args.timeout, urlsplit(base).hostname in http.LOOPBACK, _progress)
    _progress(
        f"{conference.slug}: {account.handle} #{hashtag} from {urlsplit(base).netloc}"
    )
    posts, source = fetch(account, hashtag, base, fetcher, args.pages)
    posts = _unique(posts, fetcher)
    posts.sort(key=lambda p: (p.date, p.id), reverse=True)

    media_folder = media_path(settings, conference.slug)
    staging = Path(tempfile.mkdtemp(prefix="fetch-timeline-"))
    try:
        total = sum(len(post.media) for post in posts)
        done = 0
        entries = []
        for post in posts:
            media = []
            for number, (url, alt) in enumerate(post.media, start=1):
                done += 1
                _progress(f"  image {done}/{total}")
                name = f"{account.provider}-{post.id}-{number}"
                saved = download_image(fetcher, url, staging, name)
                if saved:
                    filename, width, height = saved
                    media.append(
                        {
                            "alt": clean_text(alt)[:1500],
                            "height": height,
                            "path": f"{media_folder}/{filename}",
                            "width": width,
                        }
                    )
            entries.append(
                {
                    "author": post.author,
                    "date": post.date.replace(microsecond=0).isoformat(),
                    "html": str(clean_post_html(post.html)),
                    "id": post.id,
                    "media": media,
                    "url": post.url,
                }
            )
        snapshot = {
            "account": account.spec,
            "hashtag": hashtag,
            "posts": entries,
            "source": f"{account.provider} {source}",
        }
        text = json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False)
        _publish(content, relative, text + "\n", staging, media_folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    images = sum(len(entry["media"]) for entry in entries)
    return f"{relative}: {len(entries)} posts, {images} images"


def _publish(content: Path, relative: str, text: str, staging: Path, media_folder):
    """Move the images in, then swap the snapshot in with one rename; drop the
    images only the previous snapshot used."""
    target = content / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = set()
    if target.is_file():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
            previous = {m["path"] for p in old["posts"] for m in p.get("media", [])}
        except (ValueError, KeyError, TypeError, OSError):
            previous = set()
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        images = sorted(staging.iterdir())
        if images:
            (content / media_folder).mkdir(parents=True, exist_ok=True)
        for image in images:
            os.replace(image, content / media_folder / image.name)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    kept = {f"{media_folder}/{image.name}" for image in images}
    for path in sorted(previous - kept):
        if path.startswith(f"{media_folder}/") and ".." not in Path(path).parts:
            (content / path).unlink(missing_ok=True)
