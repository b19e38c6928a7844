"""What the bench prints: the table, issue 17's targets, the change to a run.

The targets are ratios to the floor measured in the same run, so that a slow
afternoon on the shared machine moves both sides; they are goals for the
benchmark, never timed tests.
"""

from __future__ import annotations

#: Issue 17's targets.
COLD_RATIO = 3.0
WARM_RATIO = 1.5
EDIT_SECONDS = {1000: 0.6, 10000: 2.0}
PEAK_MB_AT_10K = 300


def ratios(size: dict) -> dict:
    """Every time of a size divided by its floor (wall and CPU seconds), and
    the time per paper."""
    floor, papers = size["floor_s"], size["papers"]
    figures = {}
    for kind in ("ours", "plain", "unsearched"):
        if kind not in size:  # a report of an older bench
            continue
        for build in ("cold", "warm"):
            figures[f"{kind}_{build}_x_floor"] = size[kind][f"{build}_s"] / floor
            # The same in CPU seconds: steadier than wall time when others load
            # the machine, though blind to what both cores buy.
            figures[f"{kind}_{build}_cpu_x_floor"] = (
                size[kind][f"{build}_cpu_s"] / size["floor_cpu_s"]
            )
        figures[f"{kind}_cold_ms_per_paper"] = 1000 * size[kind]["cold_s"] / papers
    figures["floor_ms_per_paper"] = 1000 * floor / papers
    return figures


def _target(name: str, value: float, limit: float, below: bool = False) -> dict:
    met = value < limit if below else value <= limit
    op = "<" if below else "<="
    return {"target": name, "value": value, "op": op, "limit": limit, "met": met}


def targets(sizes: dict[int, dict]) -> list[dict]:
    """Issue 17's targets for the sizes that were run."""
    found = []
    for papers, size in sorted(sizes.items()):
        figures = size["ratios"]
        found.append(
            _target(f"{papers}: cold / floor", figures["ours_cold_x_floor"], COLD_RATIO)
        )
        found.append(
            _target(f"{papers}: warm / floor", figures["ours_warm_x_floor"], WARM_RATIO)
        )
        if papers in EDIT_SECONDS and size["edit_to_page_s"] is not None:
            found.append(
                _target(
                    f"{papers}: edit-to-page s",
                    size["edit_to_page_s"],
                    EDIT_SECONDS[papers],
                    below=True,
                )
            )
    if 1000 in sizes and 10000 in sizes:
        growth = (
            sizes[10000]["ratios"]["ours_cold_ms_per_paper"]
            / sizes[1000]["ratios"]["ours_cold_ms_per_paper"]
        )
        found.append(_target("cold time per paper 10000 / 1000", growth, 1.0))
    if 10000 in sizes:
        peak = max(sizes[10000]["ours"][f"{b}_peak_mb"] for b in ("cold", "warm"))
        found.append(_target("10000: peak MB", peak, PEAK_MB_AT_10K, below=True))
    return found


#: (heading, width, format of the value): ours first, then plain Pelican.
COLUMNS = [
    ("papers", 7, "{}"),
    ("floor s", 7, "{:.2f}"),
    ("cold s", 7, "{:.2f}"),
    ("x floor", 7, "{:.2f}"),
    ("warm s", 7, "{:.2f}"),
    ("x floor", 7, "{:.2f}"),
    ("edit s", 6, "{}"),
    ("peak MB", 7, "{:.0f}"),
    ("cpu s", 6, "{:.2f}"),
    ("plain cold s", 12, "{:.2f}"),
    ("warm s", 6, "{:.2f}"),
    ("MB", 5, "{:.0f}"),
    ("cpu s", 6, "{:.2f}"),
]


def _row(size: dict) -> list:
    ours, plain, figures = size["ours"], size["plain"], size["ratios"]
    edit = size["edit_to_page_s"]
    return [
        size["papers"],
        size["floor_s"],
        ours["cold_s"],
        figures["ours_cold_x_floor"],
        ours["warm_s"],
        figures["ours_warm_x_floor"],
        "-" if edit is None else f"{edit:.2f}",
        max(ours["cold_peak_mb"], ours["warm_peak_mb"]),
        ours["cold_cpu_s"],
        plain["cold_s"],
        plain["warm_s"],
        max(plain["cold_peak_mb"], plain["warm_peak_mb"]),
        plain["cold_cpu_s"],
    ]


def table(sizes: dict[int, dict]) -> str:
    rows = [" ".join(f"{name:>{width}}" for name, width, _ in COLUMNS)]
    for _, size in sorted(sizes.items()):
        cells = zip(COLUMNS, _row(size), strict=True)
        rows.append(" ".join(f"{f.format(v):>{w}}" for (_, w, f), v in cells))
    return "\n".join(rows)


def references(sizes: dict[int, dict]) -> list[str]:
    """Ours without the search index, and the Hugo column when it was measured."""
    lines = []
    for papers, size in sorted(sizes.items()):
        if unsearched := size.get("unsearched"):
            lines.append(
                f"{papers}: ours without the search index: cold "
                f"{unsearched['cold_s']:.2f} s "
                f"({unsearched['cold_s'] / size['floor_s']:.2f} x floor), warm "
                f"{unsearched['warm_s']:.2f} s, "
                f"{max(unsearched['cold_peak_mb'], unsearched['warm_peak_mb']):.0f} MB,"
                f" cpu {unsearched['cold_cpu_s']:.2f} s"
            )
        if engine := size.get("hugo"):
            lines.append(
                f"{papers}: Hugo {engine['version']}: cold {engine['cold_s']:.2f} s, "
                f"warm {engine['warm_s']:.2f} s, "
                f"{engine['cold_s'] / size['floor_s']:.2f} x floor, "
                f"{engine['cold_peak_mb']:.0f} MB, cpu {engine['cold_cpu_s']:.2f} s"
            )
    return lines


def verdicts(found: list[dict]) -> list[str]:
    return [
        f"{t['target']}: {t['value']:.2f} (target {t['op']} {t['limit']}) "
        f"{'met' if t['met'] else 'NOT MET'}"
        for t in found
    ]


def _numbers(data, prefix: str = "") -> dict[str, float]:
    """Every number of a report, by its dotted path ("1000.ours.cold_s")."""
    found = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("runs", "edits_s", "version"):
                found.update(_numbers(value, f"{prefix}{key}."))
    elif isinstance(data, (int, float)) and not isinstance(data, bool):
        found[prefix.rstrip(".")] = float(data)
    return found


def compare(old: dict, new: dict) -> list[str]:
    """The change of every figure that both reports have."""
    before, after = _numbers(old["sizes"]), _numbers(new["sizes"])
    lines = []
    for path in sorted(before.keys() & after.keys(), key=_size_first):
        a, b = before[path], after[path]
        change = f"{100 * (b - a) / a:+6.1f} %" if a else "      -"
        lines.append(f"{path:40s} {a:10.3f} -> {b:10.3f}  {change}")
    return lines


def _size_first(path: str) -> tuple[int, str]:
    size, _, rest = path.partition(".")
    return (int(size) if size.isdigit() else 0, rest)
