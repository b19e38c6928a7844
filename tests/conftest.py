"""Build sites the way a lab would, into temporary folders, and read the pages;
open them in the session's chromium."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings as hypothesis_settings
from pelican import Pelican
from pelican.settings import read_settings

from pelican.plugins.conference_papers import reading
from pelican.plugins.conference_papers.base import parse_memo

from .browser_support import launch_chromium

REPO = Path(__file__).resolve().parents[1]

# In CI the property tests draw the same examples every run: a red build there is
# reproducible; on a developer's machine they keep exploring.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def as_a_new_process() -> None:
    """Forget what this process remembers between builds (the devserver's
    memory): the next build starts as ``make html`` does, from the caches on
    disk."""
    reading._memory.clear()
    reading._loaded.clear()
    reading._unsaved.clear()
    reading._hashed.clear()
    parse_memo._open.clear()


class Site:
    """A copy of the lab's site (content, settings, theme) in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.output = root / "output"

    def write(self, relative: str, text: str) -> Path:
        """Add or replace a content file (its text is dedented)."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def settings(self, conf: str = "pelicanconf.py", **overrides):
        return read_settings(
            str(self.root / conf),
            override={
                "PATH": str(self.content),
                "OUTPUT_PATH": str(self.output),
                "CACHE_PATH": str(self.root / "cache"),
                **overrides,
            },
        )

    def build(self, conf: str = "pelicanconf.py", **overrides) -> Path:
        """Build in this process, as `pelican content` does."""
        Pelican(self.settings(conf, **overrides)).run()
        return self.output

    def page(self, relative: str) -> BeautifulSoup:
        path = self.output / relative
        if path.is_dir() or relative.endswith("/"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def copy_site(root: Path) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "themes", root / "themes")
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(REPO / name, root / name)
    return Site(root)


@pytest.fixture
def site(tmp_path) -> Site:
    """The lab's site, copied, not yet built."""
    return copy_site(tmp_path / "site")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Site:
    """The lab's site, built once for all tests that only read it."""
    site = copy_site(tmp_path_factory.mktemp("built") / "site")
    site.build()
    return site


@pytest.fixture
def empty_site(tmp_path) -> Site:
    """The lab's settings and theme with an empty content folder."""
    site = copy_site(tmp_path / "site")
    shutil.rmtree(site.content)
    site.content.mkdir()
    return site


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session (per xdist worker): tests open
    their own contexts on it, never another chromium (see browser_support)."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def new_context(browser):
    """``new_context(**options)``: a fresh browser context on the session's
    chromium (its own cookies, storage and routes), closed after the test."""
    contexts = []

    def open_context(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
