"""The header of a content file: which lines are metadata, where each key
stands, and the :class:`Problem` a mistake becomes.

Pelican's readers hand us the metadata without line numbers; a problem must
name the line to fix, so the header is scanned again here, the way
Python-Markdown's "meta" extension reads it, only when a problem is reported
(or a key shows up twice). The file parsers and the member files import from
here; the layers above still import these names through :mod:`.schema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

# Python-Markdown's "meta" extension, line by line (markdown/extensions/meta.py).
_META_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_META_BEGIN = re.compile(r"^-{3}(\s.*)?")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file: what is wrong and what to write instead."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class RawSource:
    """A content file as Pelican's reader returned it, before validation."""

    path: str  # relative to the content folder, with forward slashes
    full_path: str
    body: str  # the Markdown body as HTML
    meta: dict[str, Any]
    _lines: dict[str, int] | None = field(default=None, repr=False)

    def text(self, key: str) -> str:
        """The value of ``key`` as one string (continuation lines joined)."""
        value = self.meta.get(key, "")
        if isinstance(value, list):
            value = " ".join(v.strip() for v in value)
        return str(value).strip()

    def line(self, key: str | None = None) -> int:
        """The line of ``key`` in the file (1 for the file itself or a missing key).

        Read only when a problem is reported, so a clean build never pays for it.
        """
        if key is None:
            return 1
        if self._lines is None:
            self._lines = header_lines(self.full_path)
        return self._lines.get(key, 1)


def scan_header(text: str) -> list[tuple[str, int]]:
    """Each metadata key of a Markdown text (lower case) with its line number,
    in order, repeated keys included: the lines Python-Markdown reads as metadata.
    """
    # Markdown's NormalizeWhitespace first: line ends, STX/ETX, tabs.
    text = text.replace("\x02", "").replace("\x03", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    lines = text.split("\n")
    keys: list[tuple[str, int]] = []
    start = 1 if lines and _META_BEGIN.match(lines[0]) else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or _META_END.match(line):
            break
        match = _META_KEY.match(line)
        if match:
            keys.append((match.group("key").lower(), number))
        elif not (keys and _META_MORE.match(line)):
            break
    return keys


def read_text(path: str) -> str:
    """The text of a file, "" when it cannot be read (the reader reports that)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def header_lines(path: str) -> dict[str, int]:
    """Map each metadata key of a Markdown file to the line it first stands on."""
    lines: dict[str, int] = {}
    for key, number in scan_header(read_text(path)):
        lines.setdefault(key, number)
    return lines


class Collector:
    """Gathers problems of one file."""

    def __init__(self, source: RawSource):
        self.source = source
        self.problems: list[Problem] = []

    def error(self, key: str | None, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.source.path, self.source.line(key), message, hint, ERROR)
        )

    def warn(self, key: str | None, message: str, hint: str = "") -> None:
        self.problems.append(
            Problem(self.source.path, self.source.line(key), message, hint, WARNING)
        )
