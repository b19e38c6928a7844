"""The benchmark keeps working (``make bench``): at 30 papers it writes every
figure, the figures make sense, and two reports can be compared."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import pytest

from bench import builds, report
from bench.lab import write_lab

from ..conftest import REPO

PAPERS = 30


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "figures.json"
    command = [sys.executable, "-m", "bench", "--sizes", str(PAPERS)]
    command += ["--repeat", "1", "--edits", "2", "--json", str(path)]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(path.read_text(encoding="utf-8")), done


def test_every_figure_is_written_and_positive(bench_run):
    figures, _ = bench_run
    size = figures["sizes"][str(PAPERS)]
    assert (size["papers"], size["conferences"], size["repeat"]) == (PAPERS, 1, 1)
    for key in ("floor_s", "floor_cpu_s", "floor_peak_mb"):
        assert size[key] > 0, key
    for kind in ("ours", "plain", "unsearched"):
        for build in ("cold", "warm"):
            assert 0 < size[kind][f"{build}_s"] < 120, (kind, build)
            assert size[kind][f"{build}_cpu_s"] > 0, (kind, build)
            assert 20 < size[kind][f"{build}_peak_mb"] < 2000, "RSS of a Pelican"
        assert size[kind]["pages"] == PAPERS, f"{kind} wrote every paper's page"
    # Python-Markdown alone is the floor: any Pelican build of the files is slower.
    assert size["floor_s"] < min(size[k]["cold_s"] for k in ("ours", "plain"))
    ratios = size["ratios"]
    assert ratios["ours_cold_x_floor"] == size["ours"]["cold_s"] / size["floor_s"]
    assert ratios["ours_warm_x_floor"] == size["ours"]["warm_s"] / size["floor_s"]
    assert "CPU" in figures["machine"]
    assert len(figures["load_average_before"]) == 3


def test_hugo_column_when_hugo_is_installed(bench_run):
    figures, done = bench_run
    engine = figures["sizes"][str(PAPERS)]["hugo"]
    if not shutil.which("hugo"):
        assert engine is None, "no Hugo, no column"
        return
    assert engine["pages"] == PAPERS
    assert engine["cold_s"] > 0 and engine["warm_reused_output"] is True
    assert f"{PAPERS}: Hugo {engine['version']}: cold " in done.stdout


def test_warm_build_reused_the_cold_build_output(bench_run):
    figures, _ = bench_run
    size = figures["sizes"][str(PAPERS)]
    assert size["ours"]["warm_reused_output"] is True
    assert size["plain"]["warm_reused_output"] is True


def test_every_edit_reached_the_page(bench_run):
    figures, done = bench_run
    size = figures["sizes"][str(PAPERS)]
    assert len(size["edits_s"]) == 2
    assert all(0 < seconds < 120 for seconds in size["edits_s"])
    assert min(size["edits_s"]) <= size["edit_to_page_s"] <= max(size["edits_s"])
    assert "edit 2/2" in done.stderr, "progress is shown on stderr"


def test_targets_are_judged_and_the_table_printed(bench_run):
    figures, done = bench_run
    names = [t["target"] for t in figures["targets"]]
    assert names == [f"{PAPERS}: cold / floor", f"{PAPERS}: warm / floor"]
    for target in figures["targets"]:
        assert target["met"] == (target["value"] <= target["limit"])
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:1] == ["papers"])
    assert lines[header + 1].split()[0] == str(PAPERS)
    assert f"{PAPERS}: cold / floor: " in done.stdout
    assert f"{PAPERS}: ours without the search index: cold " in done.stdout
    assert "load average" in done.stdout


def test_ours_without_search_differs_from_ours_in_the_search_alone(tmp_path):
    content = write_lab(tmp_path, PAPERS, 1)
    for kind in ("ours", builds.UNSEARCHED):
        builds.build_command(kind, tmp_path, content)
    ours = (tmp_path / "ours_settings.py").read_text(encoding="utf-8")
    unsearched = (tmp_path / f"{builds.UNSEARCHED}_settings.py").read_text()
    assert "CONFERENCE_PAPERS_SEARCH = True" in ours
    assert unsearched == ours.replace(
        "CONFERENCE_PAPERS_SEARCH = True", "CONFERENCE_PAPERS_SEARCH = False"
    ).replace("cache-ours", f"cache-{builds.UNSEARCHED}").replace(
        "output-ours", f"output-{builds.UNSEARCHED}"
    )


def test_compare_prints_the_change_of_each_figure(bench_run):
    old, _ = bench_run
    new = copy.deepcopy(old)
    new["sizes"][str(PAPERS)]["ours"]["cold_s"] = (
        2 * old["sizes"][str(PAPERS)]["ours"]["cold_s"]
    )
    lines = report.compare(old, new)
    (cold,) = [line for line in lines if line.startswith(f"{PAPERS}.ours.cold_s ")]
    assert cold.endswith("+100.0 %")
    floor = next(line for line in lines if line.startswith(f"{PAPERS}.floor_s "))
    assert floor.endswith("+0.0 %")


def test_a_cold_build_follows_no_deletion(tmp_path):
    """The earlier build's folders are moved aside, not deleted, before a cold
    build is timed (bench/builds.py says what a deletion costs here), and the
    bench deletes them when it ends."""
    root = tmp_path / "lab-30"
    content = write_lab(root, PAPERS, 1)
    builds.cold_and_warm("plain", root, content, PAPERS)
    first = (root / "output-plain").stat().st_ino
    builds.cold_and_warm("plain", root, content, PAPERS)
    aside = {p.stat().st_ino: p for p in (tmp_path / builds.TRASH).iterdir()}
    assert first in aside and aside[first].name.startswith("lab-30-output-plain-")
    assert (root / "output-plain").stat().st_ino != first


def test_the_bench_empties_its_trash(tmp_path):
    keep = tmp_path / "kept"
    command = [sys.executable, "-m", "bench", "--sizes", "20", "--repeat", "2"]
    command += ["--edits", "0", "--json", str(tmp_path / "f.json"), "--keep", str(keep)]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not (keep / builds.TRASH).exists()
    assert (keep / "lab-20" / "output-ours" / "index.html").is_file()
