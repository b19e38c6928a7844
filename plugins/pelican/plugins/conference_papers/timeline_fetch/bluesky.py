"""Bluesky: an account's own posts (no reposts, no replies) whose facets carry
the hashtag, from the public AppView (app.bsky.feed.getAuthorFeed, docs.bsky.app),
paged by its cursor.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

from ..base.accounts import HOST_PATTERN, POST_ID, Account
from ..base.text import clean_text
from ..base.urls import url_problem
from ..writers.timeline import iso_date
from .posts import FetchedPost, Pages, collect

PROVIDER = "Bluesky"
_TAG_FACET = "app.bsky.richtext.facet#tag"


def fetch(account: Account, hashtag: str, base: str, fetcher, pages: int):
    """(posts, "appview")."""
    return collect(_AuthorFeed(hashtag), account, base, fetcher, pages), "appview"


class _AuthorFeed(Pages):
    provider = PROVIDER

    def start(self, account, base, fetcher):
        query = {"actor": account.user, "filter": "posts_no_replies", "limit": 100}
        return f"{base}/xrpc/app.bsky.feed.getAuthorFeed", query

    def items(self, answer):
        return answer["feed"]

    def next_query(self, query, answer, items):
        cursor = answer.get("cursor")
        if not cursor or not items:
            return None
        return {**query, "cursor": str(cursor)}

    def post(self, raw, account, hashtag):
        return feed_post(raw, account, hashtag)


def feed_post(item: dict, account: Account, hashtag: str) -> FetchedPost | None:
    """A FeedViewPost as a record."""
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
    if hashtag.lower() not in _tags(facets):
        return None
    rkey = str(post["uri"]).rsplit("/", 1)[-1]
    if not POST_ID.match(rkey):
        raise ValueError(f"post key {rkey[:20]!r}")
    handle = str(author["handle"])
    if not re.fullmatch(HOST_PATTERN, handle, re.I):
        raise ValueError(f"handle {handle[:40]!r}")
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
        media=_images(post.get("embed") or {}),
    )


def _tags(facets: list) -> set[str]:
    return {
        str(feature.get("tag", "")).lower()
        for facet in facets
        for feature in facet.get("features") or []
        if feature.get("$type") == _TAG_FACET
    }


def _images(embed: dict) -> list[tuple[str, str]]:
    if embed.get("$type") == "app.bsky.embed.recordWithMedia#view":
        embed = embed.get("media") or {}
    if embed.get("$type") != "app.bsky.embed.images#view":
        return []
    return [
        (str(image.get("fullsize") or image.get("thumb")), str(image.get("alt") or ""))
        for image in embed.get("images") or []
        if image.get("fullsize") or image.get("thumb")
    ]


def _facet_link(facet: dict) -> str | None:
    """Where a facet links to: an http(s) link, a mention, a hashtag."""
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
    return href


def bluesky_html(text: str, facets: list) -> str:
    """A post's text as HTML: its facets (byte ranges of UTF-8) become links."""
    data = text.encode("utf-8")
    spans = []
    for facet in facets:
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            continue
        href = _facet_link(facet)
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
