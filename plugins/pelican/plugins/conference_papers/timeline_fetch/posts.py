"""What every provider hands the driver, and the one paging loop they share.

A provider (mastodon.py, bluesky.py) has the same small interface:
``fetch(account, hashtag, base, fetcher, pages) -> (posts, source)``, the posts
being plain ``FetchedPost`` records. Paging is the same for both (ask a page,
keep the tagged posts, follow the cursor, stop at a short page or ``pages``),
so it is written once here; a ``Pages`` object supplies what differs: the
address of the first page, where the posts are in an answer, the next cursor,
and how one raw post becomes a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from ..base.accounts import Account
from ..base.text import clean_text
from .client import Fetcher, expecting

#: Both providers let a post carry at most 4 images; Mastodon's posts are 500
#: characters by default, a few thousand on some servers. Anything beyond these
#: is not a post but a server trying to fill the disk or the CPU.
MEDIA_PER_POST = 4
HTML_LIMIT = 100_000


@dataclass
class FetchedPost:
    """A post as fetched: normalized, its images not yet downloaded."""

    id: str
    url: str
    date: dt.datetime
    html: str
    author: dict[str, str]
    media: list[tuple[str, str]]  # (image URL, alt text)


class Pages:
    """What a provider's timeline API differs in; see ``collect``."""

    provider = ""  # "Mastodon", in messages

    def __init__(self, hashtag: str):
        self.hashtag = hashtag

    def start(self, account: Account, base: str, fetcher: Fetcher):
        """(endpoint URL, first query)."""
        raise NotImplementedError

    def items(self, answer) -> list:
        """The raw posts of one answer."""
        raise NotImplementedError

    def next_query(self, query: dict, answer, items: list) -> dict | None:
        """The query of the next page, or None after the last."""
        raise NotImplementedError

    def post(self, raw, account: Account, hashtag: str) -> FetchedPost | None:
        """One raw post as a record; None when it is not one to show (not
        tagged, a repost); ValueError when it fails a check."""
        raise NotImplementedError


def collect(pages: Pages, account, base, fetcher, most: int):
    """The posts tagged ``pages.hashtag`` in at most ``most`` pages."""
    host = urlsplit(base).netloc
    endpoint, query = pages.start(account, base, fetcher)
    posts: list[FetchedPost] = []
    for page in range(1, most + 1):
        answer = fetcher.json(
            f"{endpoint}?{urlencode(query)}",
            f"the posts of {account.handle}",
            pages.provider,
        )
        with expecting(host, pages.provider):
            batch = pages.items(answer)
            if not isinstance(batch, list):
                raise TypeError("the posts are not a list")
            posts += keep_usable(pages.post, batch, account, pages.hashtag, fetcher)
            fetcher.progress(f"page {page}: {len(batch)} posts, {len(posts)} tagged")
            query = pages.next_query(query, answer, batch)
        if query is None:
            break
    return posts


def keep_usable(normalize, batch, account, hashtag, fetcher) -> list[FetchedPost]:
    """The posts of ``batch`` as records. One post that fails a check (a
    javascript: address, a date without a zone) is left out; an answer in the
    wrong shape (TypeError, KeyError) fails the whole fetch."""
    kept = []
    for raw in batch:
        try:
            post = normalize(raw, account, hashtag)
            if post and len(post.html) > HTML_LIMIT:
                raise ValueError(
                    f"post {post.id}: its text is longer than {HTML_LIMIT:,} characters"
                )
        except ValueError as error:
            fetcher.progress(f"  post left out: {clean_text(str(error))[:120]}")
            continue
        if post and len(post.media) > MEDIA_PER_POST:
            fetcher.progress(
                f"  post {post.id}: {len(post.media)} images, the first "
                f"{MEDIA_PER_POST} kept"
            )
            post.media = post.media[:MEDIA_PER_POST]
        if post:
            kept.append(post)
    return kept


def unique(posts: list[FetchedPost], fetcher) -> list[FetchedPost]:
    """Each post once: pages of a timeline overlap when posts arrive while it
    is paged through, and a server may send a page twice. The first one seen
    (the newest page) is kept."""
    seen, found = set(), []
    for post in posts:
        if post.id not in seen:
            seen.add(post.id)
            found.append(post)
    if len(found) < len(posts):
        fetcher.progress(f"{len(posts) - len(found)} repeated posts left out")
    return found
