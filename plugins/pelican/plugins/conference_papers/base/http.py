"""The one HTTP client of the plugin: fetch-timeline and the arXiv/Crossref
importers both ask through it (issue 12).

Why not plain urllib: its timeout bounds each read of the socket, not the
answer, so a server that sends one byte a second holds a fetch for ever; its
redirects go to any host, and an error then names the host first asked. Here
each GET has a total deadline (a timer shuts the socket when it passes), at
most ``limit`` bytes are read, only https:// is asked (http:// only on the
loopback, for tests' local servers), and redirects are followed only within
the same scheme, host and port. Only public addresses are asked: the name is
resolved here, within the deadline (a hanging resolver is cut off too), every
address it gives must be global (no 10.x, 127.x, 169.254.x, fc00::…: a hostile
server's media link must not make the lab's machine fetch from its own
network), and the connection goes to the address that was checked, so a
second lookup cannot answer differently. Answers can be kept in a disk cache, keyed by
URL or by a caller's key, so a second run asks nothing.

Three ways to use the cache, one client: cache-first (the importers: an answer
once fetched is never asked again), ``offline`` (the cache alone) and ``fresh``
(sync: the network always, since a member's list of works changes; the answers
are staged in ``staged`` instead of written, so that a caller that writes all
or nothing writes the cache with its other files or not at all). A polite
client may also keep an ``interval`` between requests and wait out a 429's
Retry-After up to ``max_wait`` seconds, ``retries`` times in a row.

A leaf module: it imports nothing of the plugin but text.py.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import ipaddress
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

    # The parts of the answer a caller may look at: a record, not a call.
    def __init__(self, message, host, status, reason="", headers=None, body=b""):  # noqa: PLR0913, PLR0917
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
    optional disk cache (``cache``; ``offline`` answers from it alone, ``fresh``
    asks anew and stages what it would write)."""

    # Options by keyword, each one way of using the one client (see above).
    def __init__(  # noqa: PLR0913
        self,
        timeout: float,
        user_agent: str,
        *,
        allow_loopback: bool = False,
        cache: Path | None = None,
        offline: bool = False,
        fresh: bool = False,
        interval: float = 0.0,
        retries: int = 0,
        max_wait: float = 0.0,
        on_wait=None,
    ):
        self.timeout = timeout
        self.user_agent = user_agent
        self.allow_loopback = allow_loopback
        self.cache = Path(cache) if cache else None
        self.offline = offline
        self.fresh = fresh and not offline
        self.staged: dict[Path, bytes] = {}  # fresh mode: cache files not yet written
        self.interval = interval
        self.retries = retries
        self.max_wait = max_wait
        self.on_wait = on_wait  # called with (host, seconds) before a 429 wait
        self.requests = 0
        self._last = 0.0

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
        cached = None if self.fresh else self.get_cached(key or url)
        if cached is not None:
            return cached
        path = self._cached(key or url)
        if self.offline:
            raise FetchError(f"{url} is not in the cache and --offline was given")
        self.check_url(url)
        for attempt in range(self.retries + 1):
            try:
                body = self._get_redirected(url, accept, limit)
                break
            except StatusError as error:
                if error.status != 429:
                    raise
                wait = retry_after(error.headers)
                if attempt == self.retries or wait > self.max_wait:
                    raise StatusError(
                        f"{error.host} answered 429 Too Many Requests"
                        + (
                            f" and asks to wait {_seconds(wait)} (more than "
                            f"{self.max_wait:g} s)"
                            if wait > self.max_wait
                            else f" {attempt + 1} times in a row"
                        ),
                        error.host,
                        429,
                        error.reason,
                        error.headers,
                        error.body,
                    ) from None
                if self.on_wait:
                    self.on_wait(error.host, wait)
                time.sleep(wait)
        if path and self.fresh:
            self.staged[path] = body
        elif path:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(body)
            os.replace(partial, path)
        return body

    def _get_redirected(self, url: str, accept: str, limit: int) -> bytes:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        deadline = time.monotonic() + self.timeout
        for _ in range(MAX_REDIRECTS + 1):
            body, location = self._get_once(url, accept, limit, deadline)
            if location is None:
                return body
            url = self._redirect(url, location)
        host = urlsplit(url).netloc
        raise FetchError(f"{host} redirected more than {MAX_REDIRECTS} times", host)

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
        if _origin(there) != _origin(here):
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
        connection = self._connection(parts, remaining, deadline)
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
            body, location = self._exchange(
                connection, parts, (accept, limit), deadline, expired
            )
        except FetchError:
            raise
        except (OSError, http.client.HTTPException) as error:
            raise self._problem(host, error, expired) from None
        finally:
            watchdog.cancel()
            connection.close()
        if expired.is_set():
            raise self._timed_out(host)
        if body is not None and len(body) > limit:
            raise FetchError(f"{host} sent more than {_size(limit)}", host)
        return body, location

    def _connection(self, parts, remaining: float, deadline: float):
        """A connection to the public address the name resolves to."""
        address = self._public_address(
            parts.hostname, parts.port, parts.netloc, deadline
        )
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
        # http.client looks the name up again when it connects; it is told the
        # address checked above instead (its one seam for that, a stdlib private
        # that has stayed put since Python 3.2). TLS still checks the name.
        connection._create_connection = functools.partial(_connect_to, address)
        return connection

    def _exchange(self, connection, parts, wanted: tuple, deadline: float, expired):
        """Send the GET and read the answer: (body, None) or (None, Location).
        ``wanted`` is the Accept header and the size cap."""
        accept, limit = wanted
        host = parts.netloc
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(
            "GET", target, headers={"User-Agent": self.user_agent, "Accept": accept}
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
        return _read(response, limit + 1, deadline, expired), None

    def _problem(self, host: str, error: Exception, expired) -> ConnectionProblem:
        """The one-line problem for a socket or protocol error."""
        if expired.is_set() or isinstance(error, TimeoutError):
            return self._timed_out(host)
        if isinstance(error, (socket.gaierror, ConnectionRefusedError, ssl.SSLError)):
            return ConnectionProblem(f"cannot reach {host}", host, error)
        return ConnectionProblem(
            f"the connection to {host} broke off ({error.__class__.__name__})",
            host,
            error,
        )

    def _public_address(self, name: str, port: int | None, host: str, deadline):
        """The first address of ``name``, resolved before the deadline, once
        every address it has is public (loopback too when tests allow it)."""
        found: list = []

        def resolve():
            with contextlib.suppress(OSError):
                found.extend(
                    socket.getaddrinfo(name, port or 443, type=socket.SOCK_STREAM)
                )
            found.append(None)

        lookup = threading.Thread(target=resolve, daemon=True)
        lookup.start()
        lookup.join(max(0.0, deadline - time.monotonic()))
        if not found:
            raise self._timed_out(host)
        addresses = [entry[4][0] for entry in found if entry is not None]
        if not addresses:
            raise ConnectionProblem(f"cannot reach {host}", host, socket.gaierror(name))
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not (ip.is_global or (self.allow_loopback and ip.is_loopback)):
                raise FetchError(
                    f"refusing to fetch from {host}: it is at {address}, an address "
                    "of a private or local network",
                    host,
                )
        return addresses[0]

    def _timed_out(self, host: str) -> ConnectionProblem:
        return ConnectionProblem(
            f"{host} did not answer within {self.timeout:g} s", host, TimeoutError()
        )


def _origin(parts) -> tuple:
    """Scheme, host and port, the default port written or not."""
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, parts.hostname, parts.port or default


def _connect_to(address: str, wanted, timeout, source_address=None, *args):
    """http.client's connect, to ``address`` instead of the name in ``wanted``."""
    return socket.create_connection((address, wanted[1]), timeout, source_address)


def retry_after(headers: dict) -> float:
    """Seconds a 429's Retry-After asks for: 1 when it says nothing, "long"
    (infinity) when it gives an HTTP date, which no polite client waits out."""
    for key, value in headers.items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value))
            except ValueError:
                return float("inf")
    return 1.0


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


def _seconds(wait: float) -> str:
    return f"{wait:g} s" if wait != float("inf") else "until a given date"


def _size(limit: int) -> str:
    if limit >= 1_000_000:
        return f"{limit // 1_000_000} MB"
    return f"{max(1, limit // 1000)} kB"
