"""A build whose on-disk caches were damaged (by a crash, a tool, a person)
either writes the bytes of a cold build or stops with one clear line, and
writes or deletes nothing outside the output and cache folders: the caches are
hints, never inputs that may steer where the build writes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from bench.lab import write_lab

from ..conftest import as_a_new_process
from ..fingerprint import fingerprint
from .test_warm import _build


def _tree(root: Path, skip: tuple[Path, ...]) -> dict[str, bytes]:
    """Every file under ``root`` but those under ``skip``, with its bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or s in path.parents for s in skip):
            continue
        if path.is_symlink():
            found[str(path)] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            found[str(path)] = path.read_bytes()
    return found


def _cache(root: Path) -> Path:
    return root / "cache-output"


def _pages(root):
    return _cache(root) / "conference_papers-pages.json"


def _parses(root):
    return _cache(root) / "conference_papers-parses.pickle"


def _reads(root):
    return _cache(root) / "conference_papers-reads.marshal"


def _read_only(root):
    # Root ignores file modes: a folder that cannot be written, even by root.
    return {"CACHE_PATH": "/proc/self/no-such-cache"}


def _cache_is_a_file(root):
    cache = _cache(root)
    for path in sorted(cache.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    cache.rmdir()
    cache.write_text("not a folder\n", encoding="utf-8")


def _cache_files_are_folders(root):
    for path in (_pages(root), _parses(root), _reads(root)):
        path.unlink()
        (path / "inside").mkdir(parents=True)


def _symlinks_outside(root):
    for path in (_pages(root), _parses(root), _reads(root)):
        target = root / "outside" / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_text("precious bytes of someone else\n", encoding="utf-8")
        path.unlink()
        path.symlink_to(target)


def _other_version_pickle(root):
    with open(_parses(root), "rb") as handle:
        _version, entries = pickle.load(handle)
    with open(_parses(root), "wb") as handle:
        pickle.dump(("another version", entries), handle, protocol=5)


def _poisoned_same_version_pickle(root):
    # The right version with entries of the wrong shape: not a crash.
    with open(_parses(root), "rb") as handle:
        version, entries = pickle.load(handle)
    with open(_parses(root), "wb") as handle:
        pickle.dump((version, {key: ("x", None) for key in entries}), handle)


def _truncated(root):
    for path in (_pages(root), _reads(root), _parses(root)):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def _pages_json_of_wrong_shape(root):
    _pages(root).write_text('{"a": [1, 2]}', encoding="utf-8")


def _jinja_garbage(root):
    jinja = _cache(root) / "jinja"
    for path in jinja.iterdir():
        path.write_bytes(b"\x00garbage" * 10)
    (jinja / "stray.txt").write_text("junk", encoding="utf-8")
    (jinja / "a-folder").mkdir()


FAULTS = {
    "an unwritable CACHE_PATH": _read_only,
    "CACHE_PATH a file": _cache_is_a_file,
    "cache files that are folders": _cache_files_are_folders,
    "cache files symlinked outside": _symlinks_outside,
    "a parse memo of another version": _other_version_pickle,
    "a parse memo of the version with wrong entries": _poisoned_same_version_pickle,
    "truncated cache files": _truncated,
    "a pages state of the wrong shape": _pages_json_of_wrong_shape,
    "garbage in the jinja folder": _jinja_garbage,
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=list(FAULTS))
def test_a_damaged_cache_builds_the_bytes_of_a_cold_build(tmp_path, fault):
    content = write_lab(tmp_path, 20, 2)
    cold = fingerprint(_build(tmp_path, content, tmp_path / "cold"))
    output = tmp_path / "output"
    _build(tmp_path, content, output, read_cache=True)
    override = fault(tmp_path) or {}
    before = _tree(tmp_path, (output, _cache(tmp_path)))
    as_a_new_process()  # the damaged files are read, not this one's memory
    _build(tmp_path, content, output, read_cache=True, **override)
    assert fingerprint(output) == cold
    assert _tree(tmp_path, (output, _cache(tmp_path))) == before
