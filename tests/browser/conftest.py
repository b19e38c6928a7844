"""The built lab site in a real browser: served on 127.0.0.1, opened in Debian's
chromium through Playwright, once per test session.

Tools these tests need: chromium (a Debian package; Playwright never downloads a
browser here), a Java runtime for the Nu HTML Checker, and the npm packages
axe-core and vnu-jar (``npm ci``, which ``make test`` runs). On a developer's
machine a missing one skips its tests with the command that installs it; in CI
(``CI`` is set) a missing one fails them: a green CI run has run them all.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from .browser_tools import (
    ARTIFACTS,
    AXE,
    CHROMIUM,
    CHROMIUM_ARGS,
    NPM_INSTALL,
    VNU,
    require,
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # a line per request drowns the report
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built lab site, served over HTTP on 127.0.0.1 (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session."""
    require(os.access(CHROMIUM, os.X_OK), "chromium", "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright", "pip install -e '.[test]' (make .venv/.deps)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> Path:
    require(AXE.is_file(), "axe-core (npm)", NPM_INSTALL)
    return AXE


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    """The Nu HTML Checker's command line, to which files are appended."""
    java = shutil.which("java")
    require(java is not None, "java", "apt-get install default-jre-headless")
    require(VNU.is_file(), "vnu-jar (npm)", NPM_INSTALL)
    return [java, "-jar", str(VNU)]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots go here (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
