"""The one HTTP client of the plugin: fetch-timeline and the arXiv/Crossref
importers both ask through it (issue 12).

Why not plain urllib: its timeout bounds each read of the socket, not the
answer, so a server that sends one byte a second holds a fetch for ever; its
redirects go to any host, and an error then names the host first asked. Here
each GET has a total deadline (a timer shuts the socket when it passes), at
most ``limit`` bytes are read, only https:// is asked (http:// only on the
loopback, for tests' local servers), and redirects are followed only within
the same scheme, host and port. Answers can be kept in a disk cache, keyed by
URL or by a caller's key, so a second run asks nothing.

A leaf module: it imports nothing of the plugin but text.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import socket
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .text import clean_text

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_REDIRECTS = 5
_READ = 64 * 1024


class FetchError(Exception):
    """A GET that did not work; the message is one line that names the host."""

    def __init__(self, message: str, host: str = ""):
        super().__init__(message)
        self.host = host


class StatusError(FetchError):
    """The server answered with an error status (its first 4 kB kept)."""

    def __init__(self, message, host, status, reason="", headers=None, body=b""):
        super().__init__(message, host)
        self.status = status
        self.reason = reason
        self.headers = headers or {}
        self.body = body


class ConnectionProblem(FetchError):
    """No answer: ``reason`` is the socket's exception (TimeoutError for the
    deadline, socket.gaierror, ConnectionRefusedError, ssl.SSLError…)."""

    def __init__(self, message, host, reason):
        super().__init__(message, host)
        self.reason = reason


class Client:
    """GET with a total deadline, a size cap, same-host redirects and an
    optional disk cache (``cache``; ``offline`` answers from it alone)."""

    def __init__(
        self,
        timeout: float,
        user_agent: str,
        allow_loopback: bool = False,
        cache: Path | None = None,
        offline: bool = False,
    ):
        self.timeout = timeout
        self.user_agent = user_agent
        self.allow_loopback = allow_loopback
        self.cache = Path(cache) if cache else None
        self.offline = offline
        self.requests = 0

    def check_url(self, url: str) -> str:
        parts = urlsplit(url)
        loopback = self.allow_loopback and parts.hostname in LOOPBACK
        if parts.hostname and (
            parts.scheme == "https" or (parts.scheme == "http" and loopback)
        ):
            return url
        raise FetchError(
            f"refusing to fetch {clean_text(url)[:200]}: only https:// addresses "
            "are used",
            parts.netloc,
        )

    def get(
        self, url: str, limit: int, accept: str = "*/*", key: str | None = None
    ) -> bytes:
        """The body at ``url`` (at most ``limit`` bytes), cached under ``key``."""
        cached = self.get_cached(key or url)
        if cached is not None:
            return cached
        path = self._cached(key or url)
        if self.offline:
            raise FetchError(f"{url} is not in the cache and --offline was given")
        self.check_url(url)
        deadline = time.monotonic() + self.timeout
        for _ in range(MAX_REDIRECTS + 1):
            body, location = self._get_once(url, accept, limit, deadline)
            if location is None:
                break
            url = self._redirect(url, location)
        else:
            host = urlsplit(url).netloc
            raise FetchError(f"{host} redirected more than {MAX_REDIRECTS} times", host)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(body)
            os.replace(partial, path)
        return body

    def get_cached(self, key: str) -> bytes | None:
        """The cached answer under ``key`` (a URL, or the caller's key), if any."""
        path = self._cached(key)
        return path.read_bytes() if path and path.is_file() else None

    def _cached(self, key: str) -> Path | None:
        if self.cache is None:
            return None
        return self.cache / hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def _redirect(self, url: str, location: str) -> str:
        """The address redirected to, when it stays on the same scheme, host and
        port; a redirect elsewhere is refused and both hosts are named."""
        target = urljoin(url, location.strip())
        here, there = urlsplit(url), urlsplit(target)
        if (there.scheme, there.hostname, there.port) != (
            here.scheme,
            here.hostname,
            here.port,
        ):
            elsewhere = clean_text(there.netloc or there.scheme or target)[:100]
            raise FetchError(
                f"{here.netloc} redirected to another host ({elsewhere}); only "
                f"redirects within {here.netloc} are followed",
                here.netloc,
            )
        return target

    def _get_once(self, url, accept, limit, deadline):
        """(body, None), or (None, Location) for a redirect."""
        parts = urlsplit(url)
        host = parts.netloc
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out(host)
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                parts.hostname,
                parts.port,
                timeout=remaining,
                context=ssl.create_default_context(),
            )
        else:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=remaining
            )
        target = parts.path or "/"
        if parts.query:
            target += f"?{parts.query}"
        expired = threading.Event()

        def expire():
            expired.set()
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        watchdog = threading.Timer(remaining, expire)
        watchdog.daemon = True
        self.requests += 1
        try:
            watchdog.start()
            connection.request(
                "GET",
                target,
                headers={"User-Agent": self.user_agent, "Accept": accept},
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if location:
                    return None, location
            if response.status >= 400:
                raise StatusError(
                    f"{host} answered {response.status} {response.reason}",
                    host,
                    response.status,
                    response.reason,
                    {k: v for k, v in response.getheaders()},
                    _read(response, 4000, deadline, expired),
                )
            body = _read(response, limit + 1, deadline, expired)
        except FetchError:
            raise
        except TimeoutError:
            raise self._timed_out(host) from None
        except (OSError, http.client.HTTPException) as error:
            if expired.is_set():
                raise self._timed_out(host) from None
            if isinstance(
                error, (socket.gaierror, ConnectionRefusedError, ssl.SSLError)
            ):
                raise ConnectionProblem(f"cannot reach {host}", host, error) from None
            raise ConnectionProblem(
                f"the connection to {host} broke off ({error.__class__.__name__})",
                host,
                error,
            ) from None
        finally:
            watchdog.cancel()
            connection.close()
        if expired.is_set():
            raise self._timed_out(host)
        if len(body) > limit:
            raise FetchError(f"{host} sent more than {_size(limit)}", host)
        return body, None

    def _timed_out(self, host: str) -> ConnectionProblem:
        return ConnectionProblem(
            f"{host} did not answer within {self.timeout:g} s", host, TimeoutError()
        )


def _read(response, limit: int, deadline: float, expired: threading.Event) -> bytes:
    """Up to ``limit`` bytes, in pieces as they come (read1), until the deadline."""
    chunks, size = [], 0
    while size < limit:
        if expired.is_set() or time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(min(_READ, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit // 1_000_000} MB"
    return f"{max(1, limit // 1000)} kB"
