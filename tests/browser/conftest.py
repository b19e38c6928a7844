"""The built lab site in a real browser: served on 127.0.0.1, opened in Debian's
chromium through Playwright (the session's ``browser``, from tests/conftest.py).

Tools these tests need: chromium (a Debian package; Playwright never downloads a
browser here), a Java runtime for the Nu HTML Checker, and the npm packages
axe-core and vnu-jar (``npm ci``, which ``make test`` runs). On a developer's
machine a missing one skips its tests with the command that installs it; in CI
(``CI`` is set) a missing one fails them: a green CI run has run them all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..browser_support import require, serve
from .browser_tools import ARTIFACTS, AXE, NPM_INSTALL, VNU


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built lab site, served over HTTP on 127.0.0.1 (a free port)."""
    with serve(built_site.output) as origin:
        yield origin + "/"


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
