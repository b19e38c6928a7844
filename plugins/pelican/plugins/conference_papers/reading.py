"""Reading paper files fast, with the results of the plain, serial path.

- One Markdown instance for all files: Pelican's ``MarkdownReader`` builds a new
  ``markdown.Markdown`` for every file, registering every extension again; with a
  few hundred words per abstract that was a third of the time to read a paper.
  Python-Markdown is made to be reused: ``reset()`` clears what one document
  leaves behind (metadata, footnotes, abbreviations, references, the HTML stash).
- Many files are read by a pool of forked processes, one per CPU, and come back
  in the order they were asked for (``CONFERENCE_PAPERS_PROCESSES``).
- With ``CONFERENCE_PAPERS_READ_CACHE`` (the devserver), what a file gave is kept
  in memory for the life of the process, keyed by the file's bytes and the
  settings: a rebuild reads again only the files that changed, and can never
  show a stale page (the same bytes and settings read the same, and the plugin's
  code does not change under a running process).
"""

from __future__ import annotations

import copy
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator

from markdown import Markdown
from pelican.readers import MarkdownReader, Readers
from pelican.utils import pelican_open

from .base.mathml import MathExtension
from .base.pelican_hooks import keep_raw_metadata
from .parallel import processes_for
from .settings import setting

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
    """What ``Readers.read_file`` builds: the body and the metadata as written."""

    def __init__(self, content, metadata, **_):
        self.content = content
        self.metadata = metadata


class ReadError(Exception):
    """Reading one file failed (its message names the original error)."""


Result = RawRead | UnicodeDecodeError | ReadError

#: Full path -> (sha1 of the file's bytes and the settings, what was read):
#: one entry a file, replaced when the file changes.
_memory: dict[str, tuple[bytes, RawRead]] = {}


def read_files(
    readers, base_path: str, paths: Iterable[str], settings
) -> Iterator[tuple[str, Result]]:
    """``(path, RawRead or the decoding error)`` for each path, in order."""
    paths = list(paths)
    stamps: dict[str, bytes | None] = {}
    if setting(settings, "READ_CACHE"):
        fingerprint = _fingerprint(settings)
        stamps = {p: _stamp(os.path.join(base_path, p), fingerprint) for p in paths}

    def cached(path: str) -> RawRead | None:
        stamp = stamps.get(path)
        entry = _memory.get(os.path.join(base_path, path))
        return entry[1] if stamp is not None and entry and entry[0] == stamp else None

    fresh = _read_uncached(
        readers, base_path, [p for p in paths if cached(p) is None], settings
    )
    for path in paths:
        hit = cached(path)
        if hit is not None:
            yield path, _copy(hit)
            continue
        fresh_path, result = next(fresh)
        assert fresh_path == path, (fresh_path, path)
        stamp = stamps.get(path)
        if stamp is not None and isinstance(result, RawRead):
            _memory[os.path.join(base_path, path)] = (stamp, _copy(result))
        yield path, result


def _fingerprint(settings) -> bytes:
    """The settings as bytes: after any change (a Markdown extension, a metadata
    default) cached reads are not used. Objects without a stable repr only make
    the cache miss."""
    return repr(sorted((str(k), repr(v)) for k, v in settings.items())).encode()


def _stamp(full_path: str, fingerprint: bytes) -> bytes | None:
    """A digest of the file's bytes and the settings; None if it cannot be read."""
    try:
        with open(full_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return hashlib.sha1(fingerprint + b"\0" + data).digest()


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
                logging.getLogger(record.name).handle(record)
            yield path, result
    finally:
        pool.terminate()
        pool.join()
        _pool_readers = None
