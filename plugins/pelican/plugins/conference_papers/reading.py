"""Reading paper files fast, with the results of the plain, serial path.

- One Markdown instance for all files: Pelican's ``MarkdownReader`` builds a new
  ``markdown.Markdown`` for every file, registering every extension again; with a
  few hundred words per abstract that was a third of the time to read a paper.
  Python-Markdown is made to be reused: ``reset()`` clears what one document
  leaves behind (metadata, footnotes, abbreviations, references, the HTML stash).
- Many files are read by a pool of forked processes, one per CPU, and come back
  in the order they were asked for (``CONFERENCE_PAPERS_PROCESSES``).
- With ``CONFERENCE_PAPERS_READ_CACHE`` (the devserver), what a file gave is kept
  in memory for the life of the process, keyed by the file's bytes, the
  settings and the code that reads (see ``_fingerprint``): a rebuild reads again
  only the files that changed, and can never show a stale page (the same bytes,
  settings and code read the same).
- The same entries are kept on disk, in Pelican's ``CACHE_PATH``
  (``conference_papers-reads.marshal``, in pieces: see ``_save``), so that the
  next process (``make html`` twice, a devserver started again) starts warm.
  Loaded once per process, when the first file is asked for; written again at
  the end of a build in which a file was read (``save_cache``).
  ``marshal`` because it loads what we keep (strings, lists, dicts) fastest of
  the three measured at 1,000 papers (marshal 12 ms, pickle 13 ms, JSON 17 ms;
  reading the files again takes some 2 s) and, unlike pickle, runs no code of
  the file it loads. A cache file of another Python, or unreadable, is ignored.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import marshal
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version

import pelican
from markdown import Markdown
from pelican.readers import MarkdownReader, Readers
from pelican.utils import pelican_open

from .base.mathml import MathExtension
from .base.pelican_hooks import keep_raw_metadata, log_again
from .base.unchanged import replace_file
from .parallel import processes_for
from .settings import setting, what_to_write

logger = logging.getLogger(__name__)


class PaperMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with two changes for paper and conference files:
    one ``Markdown`` converts every file, and the metadata is kept as written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._reused: Markdown | None = None

    def read(self, source_path):
        self._source_path = source_path
        if self._reused is None:
            self._reused = Markdown(**self.settings["MARKDOWN"])
        markdown = self._reused.reset()
        with pelican_open(source_path) as text:
            content = markdown.convert(text)
        return content, self._parse_metadata(getattr(markdown, "Meta", {}))

    def _parse_metadata(self, meta):
        """Every value of every key, as written. Pelican keeps only the first line
        of ``Authors``, ``Date``, ``Slug`` and a few others, so a continuation
        line or a repeated key would vanish without a word; the schema joins
        continuation lines and reports repeated keys."""
        return {
            name.lower(): values[0] if len(values) == 1 else list(values)
            for name, values in meta.items()
        }


def paper_readers(settings) -> Readers:
    """Pelican's readers (Markdown extensions, readers of other plugins), with
    math rendered to MathML and the metadata left for the schema to check."""
    settings = copy.copy(settings)
    markdown = copy.deepcopy(settings["MARKDOWN"])
    markdown.setdefault("extensions", []).append(MathExtension())
    settings["MARKDOWN"] = markdown
    readers = Readers(settings, "ConferencePapersGenerator-Readers")
    for extension, reader in list(readers.readers.items()):
        if type(reader) is MarkdownReader:
            readers.readers[extension] = reader = PaperMarkdownReader(reader.settings)
        keep_raw_metadata(reader)
    return readers


# --- many files ------------------------------------------------------------


class RawRead:
    """What ``Readers.read_file`` builds: the body and the metadata as written;
    ``from_cache`` when the read cache gave it (the file did not change)."""

    from_cache = False
    #: With the read cache: the digest of the file's bytes and the settings
    #: (``_stamp``), which says all that the body and metadata come from.
    stamp: bytes | None = None

    def __init__(self, content, metadata, **_):
        self.content = content
        self.metadata = metadata


class ReadError(Exception):
    """Reading one file failed (its message names the original error)."""


Result = RawRead | UnicodeDecodeError | ReadError

#: Full path -> (sha1 of the file's bytes and the settings, what was read):
#: one entry a file, replaced when the file changes.
_memory: dict[str, tuple[bytes, RawRead]] = {}

#: The cache files already loaded into ``_memory`` by this process.
_loaded: set[str] = set()

#: The cache files whose entries changed since they were last written.
_unsaved: set[str] = set()

CACHE_FILE = "conference_papers-reads.marshal"

#: What a cache file must have been written by: marshal's format is Python's.
_CACHE_FORMAT = f"conference_papers reads 2, Python {sys.version}"


def read_files(
    readers, base_path: str, paths: Iterable[str], settings
) -> Iterator[tuple[str, Result]]:
    """``(path, RawRead or the decoding error)`` for each path, in order."""
    paths = list(paths)
    stamps: dict[str, bytes | None] = {}
    disk = ""
    if setting(settings, "READ_CACHE"):
        # The settings are hashed once, not once a file (some 20 kB of them).
        prefix = hashlib.sha1(_fingerprint(settings, readers) + b"\0")
        stamps = {p: _stamp(os.path.join(base_path, p), prefix) for p in paths}
        disk = os.path.join(settings.get("CACHE_PATH") or "cache", CACHE_FILE)
        if disk not in _loaded:
            _loaded.add(disk)
            _memory.update(_load(disk))

    def cached(path: str) -> RawRead | None:
        stamp = stamps.get(path)
        entry = _memory.get(os.path.join(base_path, path))
        return entry[1] if stamp is not None and entry and entry[0] == stamp else None

    hits = {path: cached(path) for path in paths}
    unread = [p for p in paths if hits[p] is None]
    fresh = _read_uncached(readers, base_path, unread, settings)
    for path in paths:
        hit = hits[path]
        if hit is not None:
            hit = _copy(hit)
            hit.from_cache = True
            hit.stamp = stamps[path]
            yield path, hit
            continue
        fresh_path, result = next(fresh)
        assert fresh_path == path, (fresh_path, path)
        stamp = stamps.get(path)
        if stamp is not None and isinstance(result, RawRead):
            _memory[os.path.join(base_path, path)] = (stamp, _copy(result))
            result.stamp = stamp
        yield path, result
    if disk and unread:
        _unsaved.add(disk)


def save_cache(forget: bool = False) -> None:
    """Write the cache files that a read of this build changed. The generator
    calls it at the end of the build: in the devserver the edited paper's page
    is on disk before the cache of every file is written again. With
    ``forget``, this process keeps none of it (a build that exits afterwards
    writes it right after the read: ``generator._keep_nothing_for_later``)."""
    for disk in sorted(_unsaved):
        _save(disk)
    _unsaved.clear()
    if forget:
        _memory.clear()
        _loaded.clear()  # a later build of this process loads it again


def _fingerprint(settings, readers=None) -> bytes:
    """The settings and the code that reads, as bytes: after any change (a
    Markdown extension, a metadata default, an upgrade of Markdown or Pygments,
    an edit of a reader's module) cached reads are not used. Objects without a
    stable repr only make the cache miss."""
    code = [f"{name} {package_version(name)}" for name in ("markdown", "pygments")]
    code.append(f"pelican {pelican.__version__}")
    modules = {sys.modules[__name__], sys.modules[MathExtension.__module__]}
    modules.add(sys.modules[keep_raw_metadata.__module__])
    if readers is not None:
        modules.update(
            sys.modules[type(r).__module__] for r in readers.readers.values()
        )
    for module in sorted(modules, key=lambda m: m.__name__):
        try:
            stat = os.stat(module.__file__)
        except (OSError, TypeError):
            continue
        code.append(f"{module.__file__} {stat.st_size} {stat.st_mtime_ns}")
    items = sorted((str(k), repr(v)) for k, v in what_to_write(settings).items())
    return repr((code, items)).encode()


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return ""


#: Entries a piece of the cache file holds (see ``_save``).
_PIECE = 500


def _load(path: str) -> dict[str, tuple[bytes, RawRead]]:
    """The entries of the cache file at ``path``; none if it is missing, of
    another Python or damaged (it is only a cache)."""
    try:
        with open(path, "rb") as handle:
            data = memoryview(handle.read())
        pieces = []
        at = 0
        while at < len(data):
            size = int.from_bytes(data[at : at + 8], "little")
            if size <= 0 or at + 8 + size > len(data):
                return {}  # cut short
            pieces.append(marshal.loads(data[at + 8 : at + 8 + size]))
            at += 8 + size
        if not pieces or pieces[0] != _CACHE_FORMAT:
            return {}
        return {
            full: (stamp, RawRead(content, metadata))
            for piece in pieces[1:]
            for full, (stamp, content, metadata) in piece.items()
        }
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return {}


def _save(path: str) -> None:
    """Write ``_memory`` (its files that still exist) to ``path``, atomically;
    a cache that cannot be written is only slower.

    In pieces of ``_PIECE`` entries, each marshalled and written after its
    size: at 10,000 papers the whole cache as one ``bytes`` (19 MB, and
    marshal's table of every object it wrote) was 40 MB more at the end of
    the build, its peak. ``_load`` reads the file at once and unmarshals
    each piece from it (four times faster than ``marshal.load`` of the
    file, which reads it a few bytes at a time)."""
    entries = [
        (full, (stamp, read.content, read.metadata))
        for full, (stamp, read) in _memory.items()
        if os.path.exists(full)
    ]

    def write(handle) -> None:
        pieces = (entries[at : at + _PIECE] for at in range(0, len(entries), _PIECE))
        for piece in (_CACHE_FORMAT, *(dict(p) for p in pieces)):
            data = marshal.dumps(piece)
            handle.write(len(data).to_bytes(8, "little"))
            handle.write(data)

    try:
        written = replace_file(path, write)
    except ValueError as error:  # a value marshal cannot write
        logger.debug("conference_papers: the read cache was not written (%s)", error)
        return
    if not written:
        logger.debug("conference_papers: the read cache could not be written")


#: Full path -> (the file's stat as it was hashed, the settings' hash, its
#: stamp), for the life of the process (the devserver): see ``_stamp``.
_hashed: dict[str, tuple[tuple, bytes, bytes]] = {}

#: A file changed less than this before it was hashed may change again within
#: the file system's clock tick with the same stat (git's "racy" entries):
#: its stamp is not remembered.
_RACY_NS = 2_000_000_000


def _stamp(full_path: str, prefix) -> bytes | None:
    """A digest of the settings (``prefix``, a hash of them) and the file's
    bytes; None if it cannot be read.

    A file whose size, mtime, ctime and inode are what they were when this
    process hashed it is not read again: 10,000 reads and hashes were a tenth
    of the devserver's time to the page. The ctime is the kernel's, set at
    every write (``cp -p`` or ``touch -r`` restore the mtime, not the ctime).
    """
    try:
        stat = os.stat(full_path)
    except OSError:
        return None
    seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    settings = prefix.digest()
    known = _hashed.get(full_path)
    if known is not None and known[0] == seen and known[1] == settings:
        return known[2]
    started = time.time_ns()
    try:
        with open(full_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    hasher = prefix.copy()
    hasher.update(data)
    stamp = hasher.digest()
    if stat.st_ctime_ns < started - _RACY_NS:
        _hashed[full_path] = (seen, settings, stamp)
    return stamp


def _copy(read: RawRead) -> RawRead:
    """A copy a build may change without changing the cache."""
    metadata = {
        k: list(v) if isinstance(v, list) else v for k, v in read.metadata.items()
    }
    return RawRead(read.content, metadata)


def _read_uncached(readers, base_path, paths, settings) -> Iterator[tuple[str, Result]]:
    processes = processes_for(settings, len(paths))
    if processes > 1:
        yield from _read_in_pool(readers, base_path, paths, processes)
    else:
        for path in paths:
            yield path, _read_one(readers, base_path, path)


def _read_one(readers, base_path: str, path: str) -> Result:
    try:
        return readers.read_file(base_path=base_path, path=path, content_class=RawRead)
    except UnicodeDecodeError as error:
        return error  # the schema says where the bad byte is
    except Exception as error:  # one unreadable file stops no other
        # A plain exception with the same words: it crosses from a worker intact.
        return ReadError(f"{type(error).__name__}: {error}")


# The pool's readers, set before the fork so that the workers inherit them.
_pool_readers = None
_pool_base = ""


class _Capture(logging.Handler):
    """In a worker: keep log records, for the parent to log in file order."""

    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


_capture = _Capture()


def _init_worker() -> None:
    # The parent's handlers (a terminal console) are not the worker's to use.
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger_ in loggers:
        if isinstance(logger_, logging.Logger):
            logger_.handlers = []
    logging.getLogger().addHandler(_capture)


def _work(path: str) -> tuple[Result, list[logging.LogRecord]]:
    _capture.records = []
    result = _read_one(_pool_readers, _pool_base, path)
    return result, _capture.records


def _read_in_pool(readers, base_path, paths, processes):
    global _pool_readers, _pool_base
    _pool_readers, _pool_base = readers, base_path
    try:
        pool = multiprocessing.get_context("fork").Pool(processes, _init_worker)
    except (OSError, AssertionError, ValueError) as error:
        # e.g. inside a daemonic process, which may not have children
        logger.debug("conference_papers: reading in one process (%s)", error)
        _pool_readers = None
        for path in paths:
            yield path, _read_one(readers, base_path, path)
        return
    try:
        chunk = max(1, min(64, len(paths) // (processes * 8)))
        results = pool.imap(_work, paths, chunksize=chunk)
        for path, (result, records) in zip(paths, results, strict=True):
            for record in records:
                log_again(record)
            yield path, result
    finally:
        pool.terminate()
        pool.join()
        _pool_readers = None
