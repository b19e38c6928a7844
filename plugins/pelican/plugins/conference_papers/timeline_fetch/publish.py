"""The snapshot goes into the content folder whole or not at all.

The new snapshot is written beside the old one under a dot-name, flushed to
disk, and swapped in with one rename (os.replace is atomic on POSIX and
Windows): a process killed at any moment leaves either the old snapshot or the
new one, never half a file. Its images are moved in before that rename, so the
snapshot in place always names images that exist; the images only the previous
snapshot used are removed after it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def temporary_for(target: Path) -> Path:
    """Where a snapshot is written before the rename (a dot-file: Pelican and
    the reader of snapshots never look at it)."""
    return target.with_name(f".{target.name}.tmp")


def publish(content: Path, relative: str, text: str, staging: Path, media_folder):
    """Move the images in, then swap the snapshot in with one rename; drop the
    images only the previous snapshot used."""
    target = content / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = _images_of(target)
    temporary = temporary_for(target)
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        images = sorted(staging.iterdir())
        if images:
            (content / media_folder).mkdir(parents=True, exist_ok=True)
        for image in images:
            os.replace(image, content / media_folder / image.name)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    kept = {f"{media_folder}/{image.name}" for image in images}
    for path in sorted(previous - kept):
        if path.startswith(f"{media_folder}/") and ".." not in Path(path).parts:
            (content / path).unlink(missing_ok=True)


def _images_of(snapshot: Path) -> set[str]:
    """The image paths the snapshot in place names (none if it is unreadable)."""
    if not snapshot.is_file():
        return set()
    try:
        old = json.loads(snapshot.read_text(encoding="utf-8"))
        return {m["path"] for p in old["posts"] for m in p.get("media", [])}
    except (ValueError, KeyError, TypeError, OSError, RecursionError):
        return set()
