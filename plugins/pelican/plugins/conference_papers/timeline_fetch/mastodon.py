"""Mastodon: an account's public posts with the hashtag, from the API
(docs.joinmastodon.org/methods/accounts/#statuses), else, when the server
shares its API only with logged-in users, from the account's tagged RSS feed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html import escape
from urllib.parse import quote, urlencode, urlsplit

from ..base.accounts import POST_ID, Account
from ..base.text import clean_text
from ..writers.timeline import https_url, iso_date
from .client import JSON_LIMIT, FetchError, StatusError, expecting, not_api
from .posts import FetchedPost, Pages, collect, keep_usable

PROVIDER = "Mastodon"
_MEDIA_RSS = "{http://search.yahoo.com/mrss/}"


def fetch(account: Account, hashtag: str, base: str, fetcher, pages: int):
    """(posts, "api"), or (posts, "rss") when the API is closed."""
    try:
        return collect(_Statuses(hashtag), account, base, fetcher, pages), "api"
    except StatusError as error:
        if error.status not in (401, 403):
            raise
        fetcher.progress(f"the API answered HTTP {error.status}; trying the RSS feed")
        try:
            return _rss(account, hashtag, base, fetcher), "rss"
        except FetchError:
            raise FetchError(f"{error} (its RSS feed did not work either)") from None


class _Statuses(Pages):
    """GET /api/v1/accounts/:id/statuses?tagged=…, paged by max_id."""

    provider = PROVIDER
    limit = 40

    def start(self, account, base, fetcher):
        found = fetcher.json(
            f"{base}/api/v1/accounts/lookup?{urlencode({'acct': account.user})}",
            f"the account {account.handle}",
            PROVIDER,
        )
        with expecting(urlsplit(base).netloc, PROVIDER):
            account_id = str(found["id"])
            if not account_id.isdigit():
                raise ValueError(f"account id {account_id[:20]!r}")
        query = {"tagged": self.hashtag, "limit": self.limit, "exclude_reblogs": "true"}
        return f"{base}/api/v1/accounts/{account_id}/statuses", query

    def items(self, answer):
        return answer

    def next_query(self, query, answer, items):
        if len(items) < self.limit:
            return None
        return {**query, "max_id": str(items[-1]["id"])}

    def post(self, raw, account, hashtag):
        return status_post(raw, account, hashtag)


def status_post(status: dict, account: Account, hashtag: str) -> FetchedPost | None:
    """A Status (docs.joinmastodon.org/entities/Status) as a record."""
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


def _rss(account, hashtag, base, fetcher) -> list[FetchedPost]:
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
        raise not_api(host, PROVIDER, "its RSS feed is not XML") from None
    with expecting(host, PROVIDER):
        if channel is None:
            raise ValueError("no RSS channel")
        name = clean_text(channel.findtext("title") or account.user)
        posts = keep_usable(
            lambda item, account, hashtag: _rss_post(item, account, name),
            channel.findall("item"),
            account,
            hashtag,
            fetcher,
        )
    fetcher.progress(f"RSS feed: {len(posts)} tagged posts")
    return posts


def _rss_post(item, account: Account, name: str) -> FetchedPost:
    url = https_url((item.findtext("link") or item.findtext("guid") or "").strip())
    post_id = url.rstrip("/").rsplit("/", 1)[-1]
    if not POST_ID.match(post_id):
        raise ValueError(f"post id {post_id[:20]!r}")
    date = parsedate_to_datetime(item.findtext("pubDate") or "")
    if date.tzinfo is None:  # "-0000": RFC 5322's "zone unknown"
        raise ValueError(f"the date '{item.findtext('pubDate')}' has no time zone")
    media = [
        (m.get("url", ""), m.findtext(f"{_MEDIA_RSS}description") or "")
        for m in item.findall(f"{_MEDIA_RSS}content")
        if (m.get("medium") == "image" or m.get("type", "").startswith("image/"))
        and m.get("url")
    ]
    return FetchedPost(
        id=post_id,
        url=url,
        date=date.astimezone(dt.timezone.utc),
        html=(item.findtext("description") or "").strip(),
        author={"name": name, "handle": account.handle, "url": account.profile_url},
        media=media,
    )
