"""The speed bench runs and reports figures that make sense (``make bench``)."""

from __future__ import annotations

import json
import subprocess
import sys

from .bench import write_lab
from .conftest import REPO


def test_quick_bench_builds_both_sites_and_reports_sane_figures(tmp_path):
    report = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--json", str(report)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(report.read_text())
    (result,) = figures["results"]
    assert (result["papers"], result["conferences"]) == (100, 5)
    # A build of 100 papers takes a fraction of a second to a few seconds here.
    for kind in ("ours", "plain"):
        assert 0.05 < result[f"{kind}_s"] < 60
        assert 20 < result[f"{kind}_mb"] < 400, "peak RSS of one Pelican process"
    assert result["ratio"] == result["ours_s"] / result["plain_s"]
    assert result["ours_ms_per_paper"] == 1000 * result["ours_s"] / 100
    assert "CPU" in figures["machine"]
    # The table a person reads, and the verdict on the memory target.
    lines = done.stdout.splitlines()
    header = next(
        i for i, line in enumerate(lines) if line.split()[:2] == ["papers", "confs"]
    )
    assert lines[header + 1].split()[:2] == ["100", "5"]
    assert any(line.startswith("peak memory:") for line in lines)
    assert "run 1/1" in done.stderr, "progress is shown on stderr"


def test_synthetic_lab_is_the_same_for_the_same_seed(tmp_path):
    first = write_lab(tmp_path / "a", 30, 3)
    second = write_lab(tmp_path / "b", 30, 3)
    files = sorted(p.relative_to(first) for p in first.rglob("*.md"))
    assert len(files) == 30 + 3 + 1  # papers, conferences, the about page
    assert files == sorted(p.relative_to(second) for p in second.rglob("*.md"))
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    paper = (first / files[-1]).read_text(encoding="utf-8")
    head, _, abstract = paper.partition("\n\n")
    assert "Authors: " in head and "Pdf: https://" in head
    assert 120 <= len(abstract.split()) <= 280
