"""The output's fingerprint: a SHA-256 for every file a build writes.

A refactor must not change a byte of the site. ``python -m tests.fingerprint``
builds the example site and a synthetic lab and writes their fingerprints to
``tests/fingerprints/``; ``tests/site/test_fingerprint.py`` rebuilds both and compares.
A change that alters the output ON PURPOSE regenerates the files in the same
commit, so the diff of the JSON shows which pages it changed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

from bench.lab import write_lab

from .conftest import copy_site

FINGERPRINTS = Path(__file__).parent / "fingerprints"
#: The synthetic lab: enough papers for several tracks, pages and years.
LAB_PAPERS, LAB_CONFERENCES = 60, 6


def fingerprint(output: Path) -> dict[str, str]:
    """``relative path -> sha256`` of every file under ``output``, sorted."""
    return {
        path.relative_to(output).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def build_example(root: Path) -> dict[str, str]:
    site = copy_site(root)
    return fingerprint(site.build())


def build_lab(root: Path) -> dict[str, str]:
    site = copy_site(root)
    write_lab(root, LAB_PAPERS, LAB_CONFERENCES)  # replaces the example content
    return fingerprint(site.build())


BUILDS = {"example": build_example, "lab": build_lab}


def main() -> int:
    FINGERPRINTS.mkdir(exist_ok=True)
    for name, build in BUILDS.items():
        with tempfile.TemporaryDirectory() as folder:
            prints = build(Path(folder) / "site")
        target = FINGERPRINTS / f"{name}.json"
        target.write_text(json.dumps(prints, indent=1) + "\n", encoding="utf-8")
        print(f"{target}: {len(prints)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
