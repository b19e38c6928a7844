"""HTTP for the arXiv and Crossref importers: cached on disk, one clear error.

The plugin's one HTTP client (http.py) asks: a total deadline, a size cap,
https:// only (http:// on the loopback, where tests run their stand-ins for the
services), redirects within the same host only. Every answer is kept under the
cache folder, keyed by its URL, so a second run of the same import asks nothing.
"""

from __future__ import annotations

from pathlib import Path

from ..base import http

USER_AGENT = "pelican-papers (a Pelican plugin's importer)"
TIMEOUT = 20
#: An arXiv Atom entry or a Crossref work is a few kB; a reference list, 1 MB.
LIMIT = 8_000_000


class FetchError(Exception):
    """The service could not be asked or said no: one line for the user."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Fetcher:
    """GET with a disk cache; after one failed connection it stops asking."""

    def __init__(self, cache: Path, offline: bool = False, timeout: float = TIMEOUT):
        self.client = http.Client(
            timeout, USER_AGENT, allow_loopback=True, cache=cache, offline=offline
        )
        self.unreachable = ""

    @property
    def requests(self) -> int:
        return self.client.requests

    def get(self, url: str, key: str | None = None) -> bytes:
        """The answer at ``url``, cached under ``key`` (e.g. ``arxiv:2210.05938``)."""
        if self.unreachable and not self.client.offline:
            cached = self.client.get_cached(key or url)
            if cached is None:
                raise FetchError(self.unreachable)
            return cached
        try:
            return self.client.get(url, LIMIT, key=key)
        except http.StatusError as error:
            message = f"{url} answered {error.status} {error.reason}"
            raise FetchError(message, error.status) from None
        except http.ConnectionProblem as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                self.unreachable = str(error)
            else:
                self.unreachable = f"cannot reach {error.host}: {reason}"
            raise FetchError(self.unreachable) from None
        except http.FetchError as error:
            raise FetchError(str(error)) from None
