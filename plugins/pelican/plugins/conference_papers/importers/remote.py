"""HTTP for the arXiv and Crossref importers: cached on disk, one clear error.

Every answer is kept under the cache folder, keyed by its URL, so a second run
of the same import asks nothing. Tests point the base URLs at a loopback server.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

USER_AGENT = "pelican-papers (a Pelican plugin's importer)"
TIMEOUT = 20


class FetchError(Exception):
    """The service could not be asked or said no: one line for the user."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Fetcher:
    """GET with a disk cache; after one failed connection it stops asking."""

    def __init__(self, cache: Path, offline: bool = False):
        self.cache = Path(cache)
        self.offline = offline
        self.requests = 0
        self.unreachable = ""

    def _path(self, key: str) -> Path:
        return self.cache / hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def get(self, url: str, key: str | None = None) -> bytes:
        """The answer at ``url``, cached under ``key`` (e.g. ``arxiv:2210.05938``)."""
        path = self._path(key or url)
        if path.is_file():
            return path.read_bytes()
        if self.offline:
            raise FetchError(f"{url} is not in the cache and --offline was given")
        if self.unreachable:
            raise FetchError(self.unreachable)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise FetchError(
                f"{url} answered {error.code} {error.reason}", error.code
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            self.unreachable = f"cannot reach {url.split('/')[2]}: {reason}"
            raise FetchError(self.unreachable) from None
        self.cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(body)
        os.replace(partial, path)
        return body
