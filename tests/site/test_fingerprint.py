"""Same input, same output: the example site and a synthetic lab build to the
bytes recorded in tests/fingerprints/ (see tests/fingerprint.py to regenerate
them when a change alters the output on purpose)."""

from __future__ import annotations

import json

import pytest

from ..fingerprint import BUILDS, FINGERPRINTS


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_the_build_writes_the_recorded_bytes(name, tmp_path):
    recorded = json.loads((FINGERPRINTS / f"{name}.json").read_text(encoding="utf-8"))
    built = BUILDS[name](tmp_path / "site")
    changed = sorted(
        p for p in recorded.keys() & built.keys() if recorded[p] != built[p]
    )
    assert (
        sorted(recorded.keys() - built.keys()),
        sorted(built.keys() - recorded.keys()),
        changed,
    ) == ([], [], []), (
        "missing, new and changed files; if the change is on purpose run "
        "'.venv/bin/python -m tests.fingerprint' and commit the JSON"
    )
