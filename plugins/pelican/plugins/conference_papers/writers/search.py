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

Why Pagefind is told which folders to read (``--glob``): it parses every HTML page
it is given before it drops those without ``data-pagefind-body``, and the pages
left out are the largest (a list of every paper holds every card): at 1,000
papers they took 30% of its time. So the top-level folders (and pages at the
top) holding a page that carries the attribute are found here, by the attribute's
bytes, and only those are given; Pagefind's own rule still decides within them,
and the index is byte for byte the one of the whole site. The index of 10,000
papers still takes Pagefind 1.25 GB: it holds every page twice while it builds
one index, and splitting it would change the ranking. (The ``pagefind`` package's
``PagefindIndex`` builds the same one index, and its client waits 0.1 s before it
reads each answer: 100 pages added one by one took 10.6 s.)

Why the bundle folder is kept between builds: its index, fragment and filter files
are named by their content, and Pagefind does not write one that is there already,
so a rebuild after an edit compresses only what changed. It deletes none either:
the files the new index does not name (its ``pf_meta`` lists them) are removed
here, so the folder holds what a build into an empty one writes. Those names are
7 hex digits of a hash, so a file of the earlier build could carry the name of a
new one and be kept in its place (a result would show another page's text): the
kept fragments must give every indexed page once, each a page that is there, or
the index is made again from nothing (as it is when a kept file does not read).

The binary comes from PyPI (``pagefind[bin]``), so a lab installs nothing but
Python packages; ``PAGEFIND_BINARY_PATH`` or a ``pagefind`` on PATH are used too
(the lookup is the ``pagefind`` package's own). A missing binary stops the build
when Pelican starts, with the package to install: a site without search is not
something to find out about after publishing.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import time
import zlib

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
#: What a page that Pagefind is to index carries (the templates put it there).
BODY_MARKER = b"data-pagefind-body"
#: The bundle's folders of files named by their content (Pagefind's "immutable"
#: files), and the prefix of those files' bytes once uncompressed.
HASHED_DIRS = ("fragment", "index", "filter")
HASHED_PREFIX = b"pagefind_dcd"
#: What Pagefind's glob (the wax crate) reads as syntax in a folder's name.
GLOB_SYNTAX = re.compile(r"([?*$:<>()\[\]{},])")
#: What reading one of Pagefind's compressed files can raise.
UNREADABLE = (OSError, EOFError, ValueError, zlib.error)

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
    bundle = os.path.join(output, BUNDLE_DIR)
    entry = entry_file(output)
    if os.path.isfile(entry) and not newer_than(output, os.stat(entry).st_mtime):
        logger.info("conference_papers: no page changed; the search index stays")
        return
    if not os.path.isfile(entry):  # no index, or one that failed half-way
        shutil.rmtree(bundle, ignore_errors=True)
    command = [binary, "--site", output, "--output-subdir", BUNDLE_DIR]
    glob = pages_glob(output)
    if glob is not None:
        command += ["--glob", glob]
    started = time.perf_counter()
    earlier = _hashed_files(bundle)
    report = _run(command, output, bundle)
    if earlier and not prune(bundle, earlier):
        logger.info("conference_papers: the search index is made again from nothing")
        shutil.rmtree(bundle, ignore_errors=True)
        report = _run(command, output, bundle)
    pages, words = (_count(report, what) for what in ("pages", "words"))
    logger.info(
        "conference_papers: search index of %s pages, %s words in %.1f s (%s/)",
        pages,
        words,
        time.perf_counter() - started,
        BUNDLE_DIR,
    )


def _run(command: list[str], output: str, bundle: str) -> str:
    """Run Pagefind; its report, or SearchIndexError (and no index) if it failed."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(bundle, ignore_errors=True)
        raise SearchIndexError(
            f"conference_papers: Pagefind could not index {output} "
            f"(exit {result.returncode}): {(result.stderr or result.stdout).strip()}"
        )
    return result.stdout


def pages_glob(output: str) -> str | None:
    """Pagefind's ``--glob`` for ``output``: every HTML page of each top-level
    folder that holds a page carrying ``data-pagefind-body``, and each such page
    at the top. None (Pagefind's default, every page) when no page carries it,
    as Pagefind then indexes every page's body, or when a name holds a
    backslash, which a glob cannot spell."""
    parts = []
    for name in sorted(os.listdir(output)):
        path = os.path.join(output, name)
        if name == BUNDLE_DIR:
            continue
        if os.path.isdir(path) and _holds_marked_page(path):
            parts.append((_literal(name), "/**/*.html"))
        elif name.endswith(".html") and os.path.isfile(path) and _is_marked(path):
            parts.append((_literal(name), ""))
    if not parts or any(literal is None for literal, _ in parts):
        return None
    parts = [literal + pages for literal, pages in parts]
    return parts[0] if len(parts) == 1 else "{" + ",".join(parts) + "}"


def _literal(name: str) -> str | None:
    """``name`` as a glob that matches it alone, or None (a backslash is a
    separator to Pagefind's glob, which no escape turns back into a letter)."""
    return None if "\\" in name else GLOB_SYNTAX.sub(r"\\\1", name)


def _holds_marked_page(folder: str) -> bool:
    """Whether an HTML page below ``folder`` carries the marker (the first one found
    answers, so a folder of paper pages costs one read)."""
    for where, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".html") and _is_marked(os.path.join(where, name)):
                return True
    return False


def _is_marked(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return BODY_MARKER in handle.read()
    except OSError:
        return False


def _hashed_files(bundle: str) -> set[str]:
    """The content-named files of the bundle, as ``folder/name``."""
    found = set()
    for folder in HASHED_DIRS:
        try:
            found.update(
                f"{folder}/{name}" for name in os.listdir(f"{bundle}/{folder}")
            )
        except OSError:
            continue
    return found


def prune(bundle: str, earlier: set[str]) -> bool:
    """Remove from ``bundle`` the files of an earlier index that Pagefind's new one
    does not name; ``earlier`` are the content-named files there before it ran.
    False when what is left cannot be trusted: a file this run wrote is not named
    (Pagefind's format is not the one read here), a file kept from before does
    not read (a build stopped while writing it), or the kept fragments do not
    give each page once, of a page that is there (one of them holds a name
    Pagefind meant for another page's)."""
    try:
        with open(os.path.join(bundle, ENTRY), encoding="utf-8") as handle:
            languages = json.load(handle)["languages"].values()
        metas = {f"pagefind.{language['hash']}.pf_meta" for language in languages}
        # Pagefind writes its generic module whatever the languages are.
        wasm = {
            f"wasm.{language['wasm'] or 'unknown'}.pagefind" for language in languages
        }
        wasm.add("wasm.unknown.pagefind")
        pages = sum(language["page_count"] for language in languages)
        named = b"".join(_unpack(os.path.join(bundle, meta)) for meta in metas)
    except (*UNREADABLE, KeyError, TypeError, AttributeError):
        return False
    now = _hashed_files(bundle)
    stale = {path for path in now if _stem(path).encode() not in named}
    if stale - earlier:
        return False
    # A language the site no longer has leaves its index and module.
    stale.update(
        name
        for name in os.listdir(bundle)
        if (name.endswith(".pf_meta") and name not in metas)
        or (name.startswith("wasm.") and name not in wasm)
    )
    for path in sorted(stale):
        os.remove(os.path.join(bundle, path))
    kept = now - stale
    return not kept & earlier or _kept_files_hold(bundle, kept, earlier, pages)


def _kept_files_hold(
    bundle: str, kept: set[str], earlier: set[str], pages: int
) -> bool:
    """Whether the files kept from an earlier build read, and the fragments give
    each of the ``pages`` once, each a page that is in the site."""
    fragments = sorted(path for path in kept if path.startswith("fragment/"))
    try:
        for path in sorted(kept & earlier - set(fragments)):
            _unpack(os.path.join(bundle, path))
        urls = [
            json.loads(_unpack(os.path.join(bundle, path)))["url"] for path in fragments
        ]
    except (*UNREADABLE, KeyError, TypeError):
        return False
    site = os.path.dirname(bundle)
    return len(set(urls)) == len(urls) == pages and all(
        os.path.isfile(os.path.join(site, _page_path(url))) for url in urls
    )


def _unpack(path: str) -> bytes:
    """The bytes of one of Pagefind's compressed files, without their prefix."""
    with open(path, "rb") as handle:
        data = gzip.decompress(handle.read())
    if not data.startswith(HASHED_PREFIX):
        raise ValueError(f"{path} is not one of Pagefind's files")
    return data[len(HASHED_PREFIX) :]


def _stem(path: str) -> str:
    """The hash that names a content-named file (``index/en_1a2b3c4.pf_index``)."""
    return path.rsplit("/", 1)[-1].split(".")[0]


def _page_path(url: str) -> str:
    """The file of a page Pagefind indexed, from the URL it gave it (the path in
    the site, ``index.html`` left out)."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def _count(report: str, what: str) -> str:
    """A figure of Pagefind's summary ("Indexed 12 pages"), or "?"."""
    found = re.findall(rf"Indexed (\d+) {what}", report)
    return found[-1] if found else "?"
