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
and the index is byte for byte the one of the whole site.

Why a large site's index comes in parts (``CONFERENCE_PAPERS_SEARCH_PART_PAGES``):
Pagefind holds about 125 KB a page while it indexes, whatever the page's size
(10,000 papers took 1.3 GB), and indexes the whole set again after any edit (19 s
at 10,000). So past that many pages the indexed pages are dealt into parts by a
hash of their path, each part a Pagefind index of its own, one a core at once
(1,000 pages: 140 MB each): a page stays in its part from build to build, an
edit indexes its part alone, and ``parts.json`` in the bundle tells the search box
(search.js) which parts Pagefind's UI merges (its ``mergeIndex``; results are
ordered by score across parts). A part's ranking weighs words by how rare they
are in that part, and a hash deals each part a like share of every kind of page:
at 10,000 papers in 5 parts, 20 queries found as many pages as one index did,
and each page of their first ten scored within 4% of one index's tenth (the
order changes among near ties only). The same pages,
fed to Pagefind's own service API one by one, took it as much memory (1.3 GB)
and twice the time: the memory is the index's, not the way pages reach it.
(The ``pagefind`` package's client waits 0.1 s before it reads each answer.)

Why Pagefind runs in a folder of its own holding a ``pagefind.json``: a part's
``--glob`` names its pages one by one, longer than Linux takes as one argument
(128 KB), and a config file has no such limit. So Pagefind reads no
``pagefind.yml`` of the folder a build is started from; its ``PAGEFIND_*``
variables still apply (``PAGEFIND_GLOB`` excepted, which is ours to set).

Why the bundle folder is kept between builds: its index, fragment and filter files
are named by their content, and Pagefind does not write one that is there already,
so a rebuild after an edit compresses only what changed. It deletes none either:
the files the new index does not name (its ``pf_meta`` lists them) are removed
here, so the folder holds what a build into an empty one writes. Those names are
7 hex digits of a hash, so a file of the earlier build could carry the name of a
new one and be kept in its place (a result would show another page's text): the
kept fragments must give every indexed page once, each a page that is there, or
the index is made again from nothing (as it is when a kept file does not read).
A part is indexed again when one of its pages is newer than its index, or when it
holds another number of pages than its index (a page removed, or one copied in
with an old date); every part is, when the parts are not those of ``parts.json``.

The binary comes from PyPI (``pagefind[bin]``), so a lab installs nothing but
Python packages; ``PAGEFIND_BINARY_PATH`` or a ``pagefind`` on PATH are used too
(the lookup is the ``pagefind`` package's own). A missing binary stops the build
when Pelican starts, with the package to install: a site without search is not
something to find out about after publishing.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

try:
    from pagefind.service import get_executable
except ImportError:  # the wrapper itself is missing: the same message below
    get_executable = None

from ..base.unchanged import count_and_newest
from ..parallel import processes_for
from ..settings import SettingsError, setting

logger = logging.getLogger(__name__)

#: Where the index and Pagefind's UI go, under the output folder; the search box
#: (templates/conference_papers/_search.html) loads them from here.
BUNDLE_DIR = "pagefind"
#: The index's entry file: Pagefind runs again when a page is newer than it.
ENTRY = "pagefind-entry.json"
#: In the bundle folder: the other parts of the index, for the search box.
PARTS_FILE = "parts.json"
#: The folders of the other parts, in the bundle folder.
PART_NAME = re.compile(r"part-[0-9]+")
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


@dataclass(frozen=True)
class Part:
    """One Pagefind index of the site: where it goes, what Pagefind is to read
    (``--glob``; None: every page), and the pages it indexes (relative to the
    site; None when no page carries the marker, and so every page is indexed)."""

    folder: str
    glob: str | None
    pages: tuple[str, ...] | None


def build_index(settings, output_path: str) -> None:
    """Index the output folder (``finalized``): each part of the index (``plan``)
    whose pages changed since it was made, and none when no HTML page was written
    after it: pages whose bytes did not change are not written again
    (``base.unchanged``), so a rebuild that changed no page leaves the index as it
    is (Pagefind takes seconds). An index that failed is gone."""
    if not setting(settings, "SEARCH"):
        return
    binary = pagefind_binary()
    if binary is None:  # removed since the start of the build
        raise SearchIndexError(f"conference_papers: Pagefind is gone; {INSTALL_HINT}")
    output = os.path.abspath(output_path)
    bundle = os.path.join(output, BUNDLE_DIR)
    most = setting(settings, "SEARCH_PART_PAGES")
    pages, newest = count_and_newest(output)
    # What the parts were planned from the same, and no page written since they
    # were last indexed: no page can have changed (and none is read to know).
    made_of = {"html_pages": pages, "part_pages": most}
    listed, indexed = _parts_file(bundle)
    if listed.get("made_of") == made_of and newest <= indexed:
        logger.info("conference_papers: no page changed; the search index stays")
        return
    parts = plan(output, most)
    others = [os.path.relpath(part.folder, bundle) + "/" for part in parts[1:]]
    if listed.get("parts") != others:  # another layout: every part anew
        shutil.rmtree(bundle, ignore_errors=True)
    # Another number of HTML pages than the index was made of: a part that
    # indexes every page has lost or gained one, whatever the dates say.
    recounted = listed.get("made_of", {}).get("html_pages") != pages
    stale = [
        (part, f" (part {number} of {len(parts)})" if others else "")
        for number, part in enumerate(parts, 1)
        if _stale(part, output, newest, recounted)
    ]
    # One Pagefind a core (each uses about one): the parts' pages are the work.
    work = sum(len(part.pages or ()) for part, _ in stale)
    at_once = max(1, min(len(stale), processes_for(settings, work)))
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        runs = [pool.submit(_index, binary, output, *part) for part in stale]
    for run in runs:
        run.result()  # the first failure, once every Pagefind has ended
    _remove_other_parts(bundle, parts)
    with open(os.path.join(bundle, PARTS_FILE), "w", encoding="utf-8") as handle:
        json.dump({"parts": others, "made_of": made_of}, handle)


def _index(binary: str, output: str, part: Part, which: str) -> None:
    """Make one part of the index, keeping what an earlier build wrote of it."""
    if not os.path.isfile(os.path.join(part.folder, ENTRY)):
        # No index, or one that failed half-way.
        _empty(part.folder)
    started = time.perf_counter()
    earlier = _hashed_files(part.folder)
    report = _run(binary, output, part)
    if earlier and not prune(part.folder, earlier, output):
        logger.info("conference_papers: the search index is made again from nothing")
        _empty(part.folder)
        report = _run(binary, output, part)
    pages, words = (_count(report, what) for what in ("pages", "words"))
    logger.info(
        "conference_papers: search index%s of %s pages, %s words in %.1f s (%s/)",
        which,
        pages,
        words,
        time.perf_counter() - started,
        os.path.relpath(part.folder, output),
    )


def _run(binary: str, output: str, part: Part) -> str:
    """Run Pagefind; its report, or SearchIndexError (and no index) if it failed."""
    command = [binary, "--site", output, "--output-path", part.folder]
    # PAGEFIND_GLOB would win over the config file (see the module docstring).
    env = {k: v for k, v in os.environ.items() if k != "PAGEFIND_GLOB"}
    with tempfile.TemporaryDirectory(prefix="conference-papers-pagefind-") as here:
        if part.glob is not None:
            with open(os.path.join(here, "pagefind.json"), "w", encoding="utf-8") as f:
                json.dump({"glob": part.glob}, f)
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, cwd=here, env=env
        )
    if result.returncode != 0:
        _empty(part.folder)
        raise SearchIndexError(
            f"conference_papers: Pagefind could not index {output} "
            f"(exit {result.returncode}): {(result.stderr or result.stdout).strip()}"
        )
    return result.stdout


def plan(output: str, most: int) -> list[Part]:
    """The parts of the index of ``output``: one, in the bundle folder, unless more
    than ``most`` pages (0: no limit) carry the marker. Then they are dealt into
    as many parts as it takes by a hash of their path (the same page, the same
    part, as long as the number of parts stays), the first in the bundle folder
    (with Pagefind's UI), the others in ``part-2/``, ``part-3/``… below it."""
    bundle = os.path.join(output, BUNDLE_DIR)
    pages = marked_pages(output)
    if not pages:
        return [Part(bundle, None, None)]
    literals = [_path_literal(page) for page in pages]
    if not most or len(pages) <= most or None in literals:
        return [Part(bundle, pages_glob(output, pages), tuple(pages))]
    dealt: list[list[tuple[str, str]]] = [[] for _ in range(-(-len(pages) // most))]
    for page, literal in zip(pages, literals, strict=True):
        dealt[zlib.crc32(page.encode()) % len(dealt)].append((page, literal))
    dealt = [part for part in dealt if part]
    return [
        Part(
            bundle if number == 1 else os.path.join(bundle, f"part-{number}"),
            "{" + ",".join(literal for _, literal in part) + "}",
            tuple(page for page, _ in part),
        )
        for number, part in enumerate(dealt, 1)
    ]


def _stale(part: Part, output: str, newest: float, recounted: bool) -> bool:
    """Whether ``part`` is to be indexed again: it has no index, it holds another
    number of pages than its index, or one of its pages (of the site's, when it
    indexes every page) is newer than its index (``newest``: the newest page's
    ``st_mtime``). A part that indexes every page has no list of its own to
    count: it is indexed again when the site has another number of HTML pages
    than at the last build (``recounted``), as a removed page writes none."""
    read = _read_entry(part.folder)
    if read is None:
        return True
    made, indexed = read
    if part.pages is None:
        return recounted or newest > made
    if indexed != len(part.pages):
        return True
    for page in part.pages:
        try:
            if os.stat(os.path.join(output, page)).st_mtime > made:
                return True
        except OSError:
            return True
    return False


def _read_entry(folder: str) -> tuple[float, int] | None:
    """When the entry file of the index in ``folder`` was written, and how many
    pages it indexes; None when it is not there or does not read."""
    try:
        with open(os.path.join(folder, ENTRY), encoding="utf-8") as handle:
            made = os.fstat(handle.fileno()).st_mtime
            languages = json.load(handle)["languages"].values()
            return made, sum(language["page_count"] for language in languages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _parts_file(bundle: str) -> tuple[dict, float]:
    """What the bundle's ``parts.json`` holds, the other parts (for the box) and
    what they were planned from, and when it was written: after the last build
    that indexed (``({}, 0.0)`` when it is not there, is not ours, or names a
    part without an index, or with one whose entry does not read: the no-change
    path would keep it, and the box would fail to load it)."""
    path = os.path.join(bundle, PARTS_FILE)
    try:
        with open(path, encoding="utf-8") as handle:
            written = os.fstat(handle.fileno()).st_mtime
            listed = json.load(handle)
        parts = listed["parts"]
        if (
            all(
                PART_NAME.fullmatch(part.rstrip("/"))
                and _read_entry(os.path.join(bundle, part)) is not None
                for part in parts
            )
            and _read_entry(bundle) is not None
        ):
            return listed, written
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return {}, 0.0


def _empty(folder: str) -> None:
    """Remove what one part of the index wrote: the folder, but for the folders
    of the other parts below the first (another Pagefind may be writing there)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            if not PART_NAME.fullmatch(name):
                shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.remove(path)
    with contextlib.suppress(OSError):
        os.rmdir(folder)  # when no other part is left in it


def _remove_other_parts(bundle: str, parts: list[Part]) -> None:
    """Remove the part folders of an earlier layout that this one has not."""
    kept = {os.path.basename(part.folder) for part in parts[1:]}
    for name in os.listdir(bundle):
        if PART_NAME.fullmatch(name) and name not in kept:
            shutil.rmtree(os.path.join(bundle, name), ignore_errors=True)


def marked_pages(output: str) -> list[str]:
    """Every HTML page of ``output`` that carries ``data-pagefind-body``, relative
    to it, sorted; the bundle folder is left out."""
    found = []
    for where, folders, names in os.walk(output):
        if where == output:
            folders[:] = [name for name in folders if name != BUNDLE_DIR]
        found.extend(
            os.path.relpath(os.path.join(where, name), output)
            for name in names
            if name.endswith(".html") and _is_marked(os.path.join(where, name))
        )
    return sorted(found)


def pages_glob(output: str, pages: list[str] | None = None) -> str | None:
    """Pagefind's ``--glob`` for ``output``: every HTML page of each top-level
    folder that holds a page carrying ``data-pagefind-body``, and each such page
    at the top (``pages``: those pages, if known). None (Pagefind's default, every
    page) when no page carries it, as Pagefind then indexes every page's body, or
    when a name holds a backslash, which a glob cannot spell."""
    if pages is None:
        pages = marked_pages(output)
    tops: dict[str, str] = {}
    for page in pages:
        top, _, below = page.partition(os.sep)
        tops[top] = "/**/*.html" if below else ""
    parts = [(_literal(top), pages) for top, pages in sorted(tops.items())]
    if not parts or any(literal is None for literal, _ in parts):
        return None
    parts = [literal + pages for literal, pages in parts]
    return parts[0] if len(parts) == 1 else "{" + ",".join(parts) + "}"


def _literal(name: str) -> str | None:
    """``name`` as a glob that matches it alone, or None (a backslash is a
    separator to Pagefind's glob, which no escape turns back into a letter)."""
    return None if "\\" in name else GLOB_SYNTAX.sub(r"\\\1", name)


def _path_literal(page: str) -> str | None:
    """``page`` (a path relative to the site) as a glob that matches it alone."""
    names = [_literal(name) for name in page.split(os.sep)]
    return None if None in names else "/".join(names)


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


def prune(bundle: str, earlier: set[str], site: str) -> bool:
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
    return not kept & earlier or _kept_files_hold(bundle, kept, earlier, pages, site)


def _kept_files_hold(
    bundle: str, kept: set[str], earlier: set[str], pages: int, site: str
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
