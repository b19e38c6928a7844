"""Writing a file only when its bytes change, and finding what a build changed.

A rebuild into the same output folder (the devserver, ``make html`` twice)
renders most pages to the bytes already on disk. Rewriting them costs a
``open(…, "w")`` and a write per page (on a busy disk the larger part of a
warm build), and gives each file a new mtime: the search index, rsync and the
browser then see a change where there is none. Here a file whose bytes are the
same is left alone, mtime included; so "the pages changed since the search
index was made" is "the pages newer than the index", whichever process wrote
them (the forked writer too), without anyone keeping a list.

This module imports nothing of ours.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from typing import BinaryIO


def same_bytes(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (False if absent).

    The size decides first; the bytes are read only when it matches, through
    the descriptor (``open()``'s file objects cost more than the small file they
    read: a warm build compares thousands)."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if os.fstat(handle).st_size != len(data):
            return False
        # One byte more than expected: a file that grew since fstat differs.
        return os.read(handle, len(data) + 1) == data
    except OSError:
        return False
    finally:
        os.close(handle)


def write_bytes(path: str, data: bytes) -> bool:
    """Write ``data`` at ``path`` unless it holds them already: True if written."""
    if same_bytes(path, data):
        return False
    with open(path, "wb") as handle:
        handle.write(data)
    return True


def replace_file(path: str, data: bytes | Callable[[BinaryIO], object]) -> bool:
    """Write ``data`` at ``path`` whole or not at all (beside it, then one
    rename): a build stopped half-way leaves the previous file. False when it
    could not be written (for a cache: the next build is only slower).

    ``data`` may be a function that writes to the open file instead: a cache
    of 10,000 papers (20-25 MB) made as one ``bytes`` first was the peak of
    the build's memory, at its very end. An error it raises leaves no file."""
    partial = f"{path}.{os.getpid()}.partial"
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(partial, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
        os.replace(partial, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.remove(partial)
        if isinstance(error, OSError):
            return False
        raise
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


def count_and_newest(root: str, suffix: str = ".html") -> tuple[int, float]:
    """How many files below ``root`` end with ``suffix``, and the latest
    ``st_mtime`` among them (0 when there is none)."""
    count, newest = 0, 0.0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(suffix):
                try:
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
                except OSError:
                    continue
                count += 1
    return count, newest
