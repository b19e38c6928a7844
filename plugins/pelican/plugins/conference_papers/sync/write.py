"""What sync does with a plan: the diff ``--dry-run`` prints, the state file,
and the all-or-nothing write (staged beside the targets, then swapped in).
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

STATE_FILE = ".sync-state.json"


def diff(files: dict[Path, bytes], content: Path) -> str:
    """The unified diff of ``files`` (new bytes per path) against the content."""
    out = []
    for path in sorted(files):
        old = path.read_text("utf-8") if path.is_file() else ""
        new = files[path].decode("utf-8")
        name = path.relative_to(content).as_posix()
        out += difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"a/{name}" if old else "/dev/null",
            f"b/{name}",
        )
    return "".join(out)


def swap(files: dict[Path, bytes]) -> None:
    """Write every file beside its target, then move them all in place."""
    staged = []
    try:
        for path, data in sorted(files.items()):
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.sync-part")
            partial.write_bytes(data)
            staged.append((partial, path))
    except OSError:
        for partial, _ in staged:
            partial.unlink(missing_ok=True)
        raise
    for partial, path in staged:
        os.replace(partial, path)


def state_file(content: Path, state: dict[str, dict[str, str]]) -> bytes | None:
    """The state file's new bytes, or None when they would not change it."""
    text = json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path = content / STATE_FILE
    old = path.read_bytes() if path.is_file() else b""
    if text.encode() != old and (state or old):
        return text.encode("utf-8")
    return None
