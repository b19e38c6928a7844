"""One conference's fetch, start to end: ask its provider for the tagged
posts, download their images into a temporary folder, sanitize each post's
HTML (the last step that changes it before it is stored), and publish the
snapshot. Nothing in the content folder changes unless all of it worked.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from ..base import http
from ..base.text import clean_text
from ..writers.timeline import clean_post_html, media_path, snapshot_path
from . import bluesky, mastodon
from .client import Fetcher
from .media import download_image
from .posts import FetchedPost, unique
from .publish import publish

#: A provider's ``fetch(account, hashtag, base, fetcher, pages)``, by its name.
PROVIDERS = {"mastodon": mastodon.fetch, "bluesky": bluesky.fetch}


def progress(message: str) -> None:
    print(f"fetch-timeline: {message}", file=sys.stderr, flush=True)


def fetch_conference(conference, settings, args) -> str:
    """Fetch one conference's snapshot; returns what was written. Nothing in the
    content folder changes unless everything worked."""
    timeline = conference.social_timeline
    account, hashtag = timeline.account, timeline.hashtag
    relative = snapshot_path(settings, conference.slug)
    if account.provider == "mastodon":
        base = args.instance_url or f"https://{account.host}"
    else:
        base = args.appview_url
    fetcher = Fetcher(args.timeout, urlsplit(base).hostname in http.LOOPBACK, progress)
    progress(
        f"{conference.slug}: {account.handle} #{hashtag} from {urlsplit(base).netloc}"
    )
    posts, source = PROVIDERS[account.provider](
        account, hashtag, base, fetcher, args.pages
    )
    posts = unique(posts, fetcher)
    posts.sort(key=lambda p: (p.date, p.id), reverse=True)

    media_folder = media_path(settings, conference.slug)
    staging = Path(tempfile.mkdtemp(prefix="fetch-timeline-"))
    try:
        entries = _entries(posts, fetcher, staging, media_folder, account.provider)
        snapshot = {
            "account": account.spec,
            "hashtag": hashtag,
            "posts": entries,
            "source": f"{account.provider} {source}",
        }
        text = json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False)
        publish(Path(settings["PATH"]), relative, text + "\n", staging, media_folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    images = sum(len(entry["media"]) for entry in entries)
    return f"{relative}: {len(entries)} posts, {images} images"


def _entries(posts: list[FetchedPost], fetcher, staging, media_folder, provider):
    """The snapshot's posts, their images downloaded into ``staging``."""
    total = sum(len(post.media) for post in posts)
    done = 0
    entries = []
    for post in posts:
        media = []
        for number, (url, alt) in enumerate(post.media, start=1):
            done += 1
            progress(f"  image {done}/{total}")
            name = f"{provider}-{post.id}-{number}"
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
    return entries
