"""Writing a file only when its bytes change, and finding what a build changed.

A rebuild into the same output folder (the devserver, ``make html`` twice)
renders most pages to the bytes already on disk. Rewriting them costs a
``open(…, "w")`` and a write per page (on a busy disk the larger part of a
warm build), and gives each file a new mtime: the search index, rsync and the
browser then see a change where there is none. Here a file whose bytes are the
same is left alone, mtime included; so "the files changed by this build" is
"the files whose mtime is not older than the build's start", across every
process that wrote (the forked writer too) without telling anyone.

This module imports nothing of ours.
"""

from __future__ import annotations

import io
import os


def same_bytes(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (False if absent)."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def write_bytes(path: str, data: bytes) -> bool:
    """Write ``data`` at ``path`` unless it holds them already: True if written."""
    if same_bytes(path, data):
        return False
    with open(path, "wb") as handle:
        handle.write(data)
    return True


class TextWhenChanged(io.StringIO):
    """A text file to write that reaches the disk on close, and only when its
    bytes differ from the file's (``open(path, "w", encoding=…)`` otherwise)."""

    def __init__(self, path: str, encoding: str):
        super().__init__()
        self.path = path
        self._encoding = encoding

    def close(self) -> None:
        if not self.closed:
            write_bytes(self.path, self.getvalue().encode(self._encoding))
        super().close()


def changed_since(root: str, start: float, suffix: str = ".html") -> int:
    """How many files ending with ``suffix`` below ``root`` were written at or
    after ``start`` (a ``time.time()``); 0 when none."""
    changed = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(suffix):
                try:
                    if os.stat(os.path.join(folder, name)).st_mtime >= start:
                        changed += 1
                except OSError:
                    continue
    return changed
