"""fetch-timeline's view of the one HTTP client (base/http.py): every request of
the fetch goes through ``Fetcher``, so https-only, the total deadline, the size
cap and same-host redirects hold for the API pages, the RSS feed and the images
alike. What this module adds is the wording: each failure becomes one line that
says what happened and what to do, and a failure that may pass by itself (HTTP
429, a server error, no answer in time) is told apart as ``Transient``, so an
image that fails that way stops the fetch instead of being left out for good.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import ssl
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any
from urllib.parse import urlsplit

from ..base import http
from ..base.text import clean_text

USER_AGENT = "pelican-conference-papers fetch-timeline"
JSON_LIMIT = 8_000_000


class FetchError(Exception):
    """Fetching failed; the message is one line: what happened, what to do."""


class Transient(FetchError):
    """A failure that may pass if one waits: rate limit, server error, no answer."""


class StatusError(FetchError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class TransientStatus(StatusError, Transient):
    """HTTP 429 or 5xx."""


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
            kind = (
                TransientStatus
                if error.status == 429 or error.status >= 500
                else StatusError
            )
            raise kind(status_message(error, what), error.status) from None
        except http.ConnectionProblem as error:
            # No answer in time, or a connection that broke off, may pass; a
            # host that does not exist or refuses, or a bad certificate, stays.
            lasting = (socket.gaierror, ConnectionRefusedError, ssl.SSLError)
            kind = FetchError if isinstance(error.reason, lasting) else Transient
            raise kind(connection_message(error, self.timeout)) from None
        except http.FetchError as error:
            raise FetchError(str(error)) from None

    def json(self, url: str, what: str, provider: str) -> Any:
        body = self.get(url, what, "application/json", JSON_LIMIT)
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise not_api(urlsplit(url).netloc, provider, "not JSON") from None
        except RecursionError:  # [[[[…]]]] nested deeper than Python's stack
            raise not_api(
                urlsplit(url).netloc, provider, "JSON nested too deep"
            ) from None


def not_api(host: str, provider: str, detail: str) -> FetchError:
    return FetchError(
        f"{host} did not answer like a {provider} server ({detail}); "
        "check the account's server, or try again later"
    )


@contextlib.contextmanager
def expecting(host: str, provider: str):
    """An answer of the wrong shape (a KeyError deep inside) becomes one line."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
        detail = f"unexpected data: {error.__class__.__name__} {clean_text(str(error))}"
        raise not_api(host, provider, detail[:120]) from None


def retry_after(headers, now: dt.datetime | None = None) -> str:
    """Retry-After (seconds, or an HTTP date, RFC 9110 10.2.3) in words; a
    value that is neither, far off or past, is "a few minutes"."""
    wait = clean_text(str(headers.get("Retry-After") or "")).strip()
    if not wait.isdigit():
        try:
            when = parsedate_to_datetime(wait)
            now = now or dt.datetime.now(dt.timezone.utc)
            wait = str(round((when - now).total_seconds()))
        except (TypeError, ValueError, IndexError, OverflowError):
            return "a few minutes"
    if wait.isdigit() and 0 < int(wait) < 86_400:
        return f"{int(wait)} seconds"
    return "a few minutes"


def status_message(error: http.StatusError, what: str) -> str:
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
        return (
            f"{host} is limiting requests (HTTP 429): wait "
            f"{retry_after(error.headers)} and run fetch-timeline again"
        )
    if status >= 500:
        return f"{host} had a server error (HTTP {status}); try again later"
    return f"{host} answered HTTP {status} for {what}; try again later"


def connection_message(error: http.ConnectionProblem, timeout: float) -> str:
    reason, host = error.reason, error.host
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return (
            f"{host} did not answer within {timeout:g} s; try again later, "
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
