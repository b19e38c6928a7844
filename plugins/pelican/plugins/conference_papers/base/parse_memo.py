"""What each content file's parse gave, kept between builds.

Checking a paper file against the content format (the schema, its links, its
dates) is some 0.5 ms a file: half a second of every rebuild at 1,000 papers,
for files that did not change. The generator asks this memo first. An entry
is found only under the exact key it was stored with: everything the parse
reads (the text as read, the file's size and mtime for the lines of its
problems, the arguments), and the memo as a whole belongs to one version of
the code and the settings (``version``): another version starts empty.

In memory for the life of the process (the devserver), and on disk in
Pelican's ``CACHE_PATH`` (``conference_papers-parses.pickle``) for the next
one. Pickle, unlike the read cache's marshal, because the values are our own
objects (people, links, dates with their time zone, problems); the cache
folder is the lab's own, beside the ``pelicanconf.py`` that Pelican runs as
code. A file that cannot be read, or is of another version, is ignored; one
that cannot be written only makes the next build slower.

Beside the parses, and in memory only, the content objects built from them
(``objects``): the devserver's next build renews the Paper of an unchanged file
instead of constructing it again (``generator._build`` says when). They hold
the build's settings and context, so they are never saved.

This module imports only ``unchanged`` of ours.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from .unchanged import replace_file

FILE = "conference_papers-parses.pickle"

#: Cache file -> its memo, for the life of the process.
_open: dict[str, ParseMemo] = {}


class ParseMemo:
    """``(what, file) -> (key, value)``, for one version of code and settings."""

    def __init__(self, path: str, version: str):
        self.path = path
        self.version = version
        self.entries: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.objects: dict[str, tuple[Any, Any]] = {}  # file -> (key, object)
        self.changed = False

    @classmethod
    def open(cls, cache_path: str, version: str) -> ParseMemo:
        """The memo of ``cache_path`` for ``version``: the one this process
        holds, else the one on disk, else an empty one."""
        path = os.path.join(cache_path, FILE)
        memo = _open.get(path)
        if memo is None or memo.version != version:
            memo = _open[path] = cls(path, version)
            memo.entries = _load(path, version)
        return memo

    def get(self, what: str, file: str, key) -> Any | None:
        found = self.entries.get((what, file))
        return found[1] if found is not None and found[0] == key else None

    def put(self, what: str, file: str, key, value) -> None:
        self.entries[what, file] = (key, value)
        self.changed = True

    def get_object(self, file: str, key) -> Any | None:
        found = self.objects.get(file)
        return found[1] if found is not None and found[0] == key else None

    def put_object(self, file: str, key, value) -> None:
        self.objects[file] = (key, value)

    def keep_only(self, files: set[str]) -> None:
        """Forget the files no longer read (removed, renamed)."""
        gone = [entry for entry in self.entries if entry[1] not in files]
        for entry in gone:
            del self.entries[entry]
        self.changed |= bool(gone)
        for file in [file for file in self.objects if file not in files]:
            del self.objects[file]

    def forget(self) -> None:
        """This process holds the memo no more (a build that exits after
        writing it: see ``generator._keep_nothing_for_later``)."""
        if _open.get(self.path) is self:
            del _open[self.path]
        self.entries, self.objects = {}, {}

    def save(self) -> None:
        if not self.changed:
            return

        # Pickled into the file as it goes, not into one bytes object first.
        def write(handle) -> None:
            pickle.dump((self.version, self.entries), handle, protocol=5)

        try:
            self.changed = not replace_file(self.path, write)
        except pickle.PicklingError:
            return


def _load(path: str, version: str) -> dict:
    try:
        with open(path, "rb") as handle:
            found_version, entries = pickle.load(handle)
    except Exception:  # any unreadable cache is an empty one
        return {}
    return entries if found_version == version and isinstance(entries, dict) else {}
