"""What the tests need to open pages in a real browser: Debian's chromium (Playwright
never downloads one here), a rule for a missing tool, and a folder served on
127.0.0.1. The fixtures built on these (``browser``, ``new_context``) are in
conftest.py beside this file, so every test file sees them.

Playwright's sync API runs one instance per thread: a second ``sync_playwright()``
beside the session's fails ("using Playwright Sync API inside the asyncio loop").
So a test never launches its own chromium; it opens a context on the session's.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require(ok: bool, what: str, install: str) -> None:
    """Skip (locally) or fail (in CI) when a tool the test needs is missing."""
    if ok:
        return
    message = f"{what} is missing; install it with: {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: tests never skip there)", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def launch_chromium() -> Iterator:
    """A headless chromium (Playwright's sync API), closed on leaving."""
    require(os.access(CHROMIUM, os.X_OK), "chromium", "apt-get install chromium")
    try:
        # Imported here so that a missing Playwright is a skip (or a CI failure)
        # with the line that installs it, not a collection error.
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        require(False, "Playwright", "pip install -e '.[test]' (make .venv/.deps)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # a line per request drowns the report
        pass


@contextlib.contextmanager
def serve(directory) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port), as a visitor's
    browser would see it; yields the origin, ``http://127.0.0.1:PORT``."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
