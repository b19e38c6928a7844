"""The site's search: a Pagefind index built from the pages the build wrote.

Why Pelican's ``finalized`` signal: Pagefind reads HTML, not our data, so it has to
see every page exactly as it was written: ours, Pelican's own and any other
plugin's, after the forked writer of the paper pages has joined (parallel.py).
``finalized`` is the one signal that comes after all of that. It also fires before
``pelican-papers build`` swaps its staging folder into ``output/``, so an index that
fails fails the build and the previous site stays where it was; the devserver sends
it after every rebuild, so the index never lags the pages.

What is indexed is decided by the templates, not here: Pagefind indexes only the
pages that carry ``data-pagefind-body`` (today the paper pages; a later people or
"every paper" page opts in the same way). Conference pages, the home page and the
index are left out, so a word of an abstract finds the paper and not the three
pages that show its card.

The binary comes from PyPI (``pagefind[bin]``), so a lab installs nothing but
Python packages; ``PAGEFIND_BINARY_PATH`` or a ``pagefind`` on PATH are used too
(the lookup is the ``pagefind`` package's own). A missing binary stops the build
when Pelican starts, with the package to install: a site without search is not
something to find out about after publishing.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time

try:
    from pagefind.service import get_executable
except ImportError:  # the wrapper itself is missing: the same message below
    get_executable = None

from ..base.unchanged import newer_than
from ..settings import SettingsError, setting

logger = logging.getLogger(__name__)

#: Where the index and Pagefind's UI go, under the output folder; the search box
#: (templates/conference_papers/_search.html) loads them from here.
BUNDLE_DIR = "pagefind"
#: The index's entry file: Pagefind runs again when a page is newer than it.
ENTRY = "pagefind-entry.json"

INSTALL_HINT = (
    "install Pagefind's binary with `pip install 'pagefind[bin]'` (or set "
    "CONFERENCE_PAPERS_SEARCH = False to build without search)"
)


def pagefind_binary() -> str | None:
    """The Pagefind executable to run, or None when there is none."""
    found = get_executable() if get_executable else None
    if found is None or not os.path.isfile(found) or not os.access(found, os.X_OK):
        return None
    return str(found)


def check_search(pelican) -> None:
    """At start (``initialized``): with search on, the binary must be there."""
    settings = pelican.settings
    if setting(settings, "SEARCH") and pagefind_binary() is None:
        where = os.environ.get("PAGEFIND_BINARY_PATH")
        found = f" (PAGEFIND_BINARY_PATH={where!r} is no executable)" if where else ""
        raise SettingsError(
            f"conference_papers: search needs Pagefind, which was not found{found}; "
            + INSTALL_HINT
        )


class SearchIndexError(Exception):
    """Pagefind ran and failed."""


def entry_file(output_path: str) -> str:
    """The index's entry file in ``output_path``."""
    return os.path.join(output_path, BUNDLE_DIR, ENTRY)


def build_index(settings, output_path: str) -> None:
    """Index the output folder (``finalized``), unless the index is there and no
    HTML page was written after it: pages whose bytes did not change are not
    written again (``base.unchanged``), so a rebuild that changed no page leaves
    the index as it is (Pagefind takes seconds). A page left over from an
    earlier build was indexed with it already; an index that failed is gone."""
    if not setting(settings, "SEARCH"):
        return
    binary = pagefind_binary()
    if binary is None:  # removed since the start of the build
        raise SearchIndexError(f"conference_papers: Pagefind is gone; {INSTALL_HINT}")
    output = os.path.abspath(output_path)
    bundle = entry_file(output)
    if os.path.isfile(bundle) and not newer_than(output, os.stat(bundle).st_mtime):
        logger.info("conference_papers: no page changed; the search index stays")
        return
    # Pagefind adds files named by their content and deletes none: the index of a
    # rebuild into the same folder (devserver) would keep every earlier fragment.
    shutil.rmtree(os.path.join(output, BUNDLE_DIR), ignore_errors=True)
    command = [binary, "--site", output, "--output-subdir", BUNDLE_DIR]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SearchIndexError(
            f"conference_papers: Pagefind could not index {output} "
            f"(exit {result.returncode}): {(result.stderr or result.stdout).strip()}"
        )
    pages, words = (_count(result.stdout, what) for what in ("pages", "words"))
    logger.info(
        "conference_papers: search index of %s pages, %s words in %.1f s (%s/)",
        pages,
        words,
        seconds,
        BUNDLE_DIR,
    )


def _count(report: str, what: str) -> str:
    """A figure of Pagefind's summary ("Indexed 12 pages"), or "?"."""
    found = re.findall(rf"Indexed (\d+) {what}", report)
    return found[-1] if found else "?"
