"""Not rendering a page again when nothing it reads changed.

A rebuild (the devserver after one save, ``make html`` twice) renders every
page, and almost all of them to the bytes already on disk: ``unchanged`` then
saves the write, not the rendering, which is most of a warm build. Here each
page we write gets a digest of everything it reads (the files of its content,
the site-wide parts: settings, templates, the plugin's code, the menu, the
members); when the digest is the one of the last build and the output file is
still the one that build left, the page is not rendered.

A stale page is a defect, a page rendered again is only slower: when in doubt
the caller puts more into a digest. The state file is removed as soon as it is
read and written again only after a build that went to its end, so that a
build stopped half-way (an error, Ctrl-C) leaves none and the next one renders
everything.

This module imports only ``unchanged`` of ours.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import re
from collections.abc import Iterable

from .unchanged import replace_file

STATE_FILE = "conference_papers-pages.json"

#: What a state file must have been written by (a new layout renders all).
_STATE_FORMAT = "conference_papers pages 2"

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")

_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.timedelta)


def stable(value) -> str:
    """A text for ``value`` that is the same in every process for the same
    value: dicts and sets sorted, functions by name and code, other objects by
    their repr without memory addresses (an object whose repr hides its state
    must be digested by its caller)."""
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, dict):
        items = sorted((stable(k), stable(v)) for k, v in value.items())
        return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(v) for v in value) + "]"
    code = getattr(value, "__code__", None)
    if code is not None:  # a function of the settings file (JINJA_FILTERS…)
        return f"{getattr(value, '__qualname__', '')}:{code.co_code.hex()}:" + (
            _ADDRESS.sub("", repr(code.co_consts))
        )
    return _ADDRESS.sub("", f"{type(value).__qualname__}:{value!r}")


def plain_fields(obj) -> str:
    """The attributes of ``obj`` that are plain values (text, numbers, dates and
    lists of them): what grouping and the model derived from the files (a track
    given by default, a date taken from the conference, the URL)."""
    fields = []
    for name, value in sorted(vars(obj).items()):
        if isinstance(value, _PLAIN) or (
            isinstance(value, (list, tuple))
            and all(isinstance(v, _PLAIN) for v in value)
        ):
            fields.append((name, stable(value)))
    return repr(fields)


def digest(*parts: str | bytes) -> str:
    """One digest of the parts, in order (each part delimited)."""
    hasher = hashlib.sha1()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(str(len(data)).encode() + b":")
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: str) -> str:
    """The digest of a file's bytes; a file that cannot be read gives a digest
    of its own each time (its pages are rendered again)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return "unreadable:" + os.urandom(8).hex()


def tree_digest(folders: Iterable[str]) -> str:
    """The digest of every file below ``folders`` (paths and bytes): templates,
    the plugin's code."""
    parts: list[str] = []
    for root in folders:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(folder, name)
                parts += [path, file_digest(path)]
    return digest(*parts)


class PageStates:
    """The digest of each page the last build into ``root`` wrote (output path
    -> digest), and the file it left there (size, mtime, inode).

    One state file may serve several output folders (one ``CACHE_PATH``, two
    ``-o``): each folder has its own states, kept while the folder exists, so
    a build into another folder in between does not make the next one forget
    which pages it wrote (a removed paper's page would stay). A page is taken
    as rendered only if its file is still the one that build left: a page
    edited, replaced or swapped in since (``pelican-papers build`` swaps a
    staging folder in) is rendered again."""

    def __init__(self, path: str, root: str, skip: bool = True):
        self.path = path
        self.root = os.path.abspath(root)
        self.skip = skip
        roots = self._take(path)
        self.others = {
            folder: states
            for folder, states in roots.items()
            if folder != self.root and os.path.isdir(folder)
        }
        self.previous: dict[str, list] = roots.get(self.root) or {}
        self.current: dict[str, str] = {}
        self.skipped = 0

    @staticmethod
    def _take(path: str) -> dict[str, dict[str, list]]:
        """The states on disk, and the file removed (see the module docstring)."""
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return {}
        with contextlib.suppress(OSError):
            os.remove(path)
        if not isinstance(data, list) or len(data) != 2 or data[0] != _STATE_FORMAT:
            return {}
        roots = data[1] if isinstance(data[1], dict) else {}
        return {
            folder: states
            for folder, states in roots.items()
            if isinstance(states, dict)
            and all(isinstance(v, list) and len(v) == 2 for v in states.values())
        }

    def unchanged(self, output: str, page_digest: str) -> bool:
        """Record ``page_digest`` for ``output``; whether the page written last
        time had it and is still there as it left it (then it need not be
        rendered)."""
        self.current[output] = page_digest
        previous = self.previous.get(output)
        # A file the last build did not leave on disk (refused: its path
        # leaves the output folder) is not in place, however alike its digest.
        same = (
            self.skip
            and previous is not None
            and previous[1] is not None
            and previous[0] == page_digest
            and previous[1] == _stamp(output)
        )
        self.skipped += same
        return same

    def written(self, outputs) -> None:
        """Record files written without a digest (citation files): never
        skipped, but removed when a later build no longer writes them."""
        for output in outputs:
            self.current.setdefault(output, "")

    def remove_gone(self, root: str) -> list[str]:
        """Remove the pages below ``root`` that the last build wrote and this
        one did not (a removed paper, a renamed member): a cold build would not
        have them, and the search would still find them. Their folders go too
        when nothing else is left in them. The removed paths."""
        root = os.path.abspath(root)
        removed = []
        for output in sorted(set(self.previous) - set(self.current)):
            full = os.path.abspath(output)
            if os.path.commonpath([root, full]) != root or full == root:
                continue  # another output folder's page (a staging folder)
            with contextlib.suppress(OSError):
                os.remove(full)
                removed.append(full)
                folder = os.path.dirname(full)
                while folder != root and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = os.path.dirname(folder)
        return removed

    def save(self) -> None:
        """Write the states of this build (after it went to its end), each
        with its file as the build left it; a state file that cannot be
        written only makes the next build slower."""
        mine = {output: [d, _stamp(output)] for output, d in self.current.items()}
        # dumps, not dump: only a whole document goes through json's C
        # encoder (dump streams through the Python one, 0.1 s a build).
        states = json.dumps([_STATE_FORMAT, {**self.others, self.root: mine}])
        replace_file(self.path, states.encode("utf-8"))


def _stamp(path: str) -> list[int] | None:
    """Which file is at ``path`` (size, mtime, inode: a file written or
    replaced since has another), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]
