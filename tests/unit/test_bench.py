"""The bench's judgement and its synthetic lab, without running it; the runs are in
tests/site/test_bench.py."""

from __future__ import annotations

from bench import report
from bench.lab import write_lab


def test_targets_at_the_issue_sizes():
    def size(papers, floor, cold, warm, edit):
        peak = 300 if papers == 10000 else 90
        figures = {
            "papers": papers,
            "floor_s": floor,
            "floor_cpu_s": floor,
            "edit_to_page_s": edit,
        }
        for kind in ("ours", "plain"):
            figures[kind] = {"cold_s": cold, "warm_s": warm}
            figures[kind] |= {"cold_cpu_s": cold, "warm_cpu_s": warm}
        figures["ours"] |= {"cold_peak_mb": peak, "warm_peak_mb": peak}
        figures["ratios"] = report.ratios(figures)
        return figures

    found = report.targets(
        {
            1000: size(1000, 0.5, 1.5, 0.8, 0.59),
            10000: size(10000, 5.0, 16.0, 7.0, 2.5),
        }
    )
    verdict = {t["target"]: t["met"] for t in found}
    assert verdict == {
        "1000: cold / floor": True,  # 3.0 x
        "1000: warm / floor": False,  # 1.6 x
        "1000: edit-to-page s": True,
        "10000: cold / floor": False,  # 3.2 x
        "10000: warm / floor": True,
        "10000: edit-to-page s": False,
        "cold time per paper 10000 / 1000": False,  # 1.5 ms -> 1.6 ms a paper
        "10000: peak MB": False,  # under 300, not at it
    }


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
