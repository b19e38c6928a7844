"""A rebuild into the same output folder writes what a cold build writes, byte
for byte, and leaves alone every file whose bytes did not change (its mtime
too): after nothing changed, after an edit of one paper."""

from __future__ import annotations

import os
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from bench.lab import write_lab

from ..conftest import REPO
from ..fingerprint import fingerprint


def _build(root: Path, content: Path, output: Path) -> Path:
    settings = read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(root / f"cache-{output.name}"),
            "THEME": str(REPO / "themes" / "lab"),
        },
    )
    Pelican(settings).run()
    return output


def _mtimes(output: Path) -> dict[str, int]:
    return {
        path.relative_to(output).as_posix(): path.stat().st_mtime_ns
        for path in output.rglob("*")
        if path.is_file()
    }


def test_warm_and_edited_rebuilds_write_the_bytes_of_a_cold_build(tmp_path):
    content = write_lab(tmp_path, 30, 3)
    output = tmp_path / "output"
    cold = fingerprint(_build(tmp_path, content, output))
    assert "pagefind/pagefind-entry.json" in cold
    before = _mtimes(output)

    # Nothing changed: the same bytes, and no page or index file written again
    # (the theme's static files are Pelican's to copy).
    assert fingerprint(_build(tmp_path, content, output)) == cold
    kept = _mtimes(output)
    ours = [name for name in before if not name.startswith("theme/")]
    assert [name for name in ours if kept[name] != before[name]] == []

    # One paper edited: the bytes of a cold build of the edited content.
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    text = paper.read_text(encoding="utf-8")
    title = text.splitlines()[0].removeprefix("Title: ")
    paper.write_text(text.replace(title, "An Edited Title", 1), encoding="utf-8")
    edited = fingerprint(_build(tmp_path, content, output))
    assert edited == fingerprint(_build(tmp_path, content, tmp_path / "fresh"))
    page = f"papers/{paper.parent.name}/{paper.stem}/index.html"
    assert "An Edited Title" in (output / page).read_text(encoding="utf-8")
    after = _mtimes(output)
    rewritten = {name for name in ours if after.get(name) != kept[name]}
    assert page in rewritten
    assert "pagefind/pagefind-entry.json" in rewritten  # the index follows the edit
    # A paper page the edit does not reach (another conference) stays as it was.
    other = next(
        name
        for name in ours
        if name.startswith("papers/")
        and name.endswith("index.html")
        and not name.startswith(f"papers/{paper.parent.name}/")
    )
    assert other not in rewritten, other
    assert os.path.getsize(output / other) > 0
