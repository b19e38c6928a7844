"""``python -m bench`` (``make bench``): the lab's build beside its floor and
plain Pelican, per size, written as JSON so that two runs can be compared.

Per size (one conference per 20 papers): the floor (every paper file read and
converted with Python-Markdown once, in one fresh process); a cold build (fresh
output and cache folders) and a warm rebuild (the same folders, nothing changed)
of this site and of plain Pelican on the same files (and Hugo, when
installed); the seconds from an edit
to the paper's page on disk under ``make devserver``'s command; peak memory and
CPU seconds of each build's process tree. Issue 17's targets are printed as met
or not met. The machine is shared: the load average is recorded beside the
figures, and only ratios measured in the same run mean much.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from . import builds, report

RESULTS = Path(__file__).parent / "results"


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU(s), {model}; Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes", default="1000,10000", help="numbers of papers, comma-separated"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of every build per size (median)"
    )
    parser.add_argument(
        "--edits", type=int, default=5, help="devserver edits per size (0: none)"
    )
    parser.add_argument(
        "--json",
        default=str(RESULTS / "latest.json"),
        help="write the figures here (default: bench/results/latest.json)",
    )
    parser.add_argument("--compare", help="print the change from this earlier JSON")
    parser.add_argument("--keep", help="build in this folder and keep it")
    return parser.parse_args(argv)


def figures(argv: list[str] | None, load_before, results: dict) -> dict:
    given = sys.argv[1:] if argv is None else argv
    return {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(" ", "seconds"),
        "machine": machine(),
        "command": " ".join(["python -m bench", *given]),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "sizes": {str(p): r for p, r in results.items()},
        "targets": report.targets(results),
    }


def write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="lab-bench-"))
    load_before = os.getloadavg()
    path, results = Path(args.json), {}
    try:
        for papers in sizes:
            results[papers] = builds.bench_size(
                workdir, papers, args.repeat, args.edits
            )
            results[papers]["ratios"] = report.ratios(results[papers])
            # After every size: a run stopped at 10,000 papers keeps its 1,000.
            write(path, figures(argv, load_before, results))
    finally:
        # What the builds left, deleted only now that nothing is measured
        # (builds.set_aside says why).
        shutil.rmtree(
            workdir if not args.keep else workdir / builds.TRASH, ignore_errors=True
        )
    data = figures(argv, load_before, results)
    write(path, data)
    print(f"machine: {data['machine']}")
    print(
        "load average (1, 5, 15 min): before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in data["load_average_after"])
    )
    print(f"command: {data['command']}; medians of {args.repeat} run(s)")
    print(report.table(results))
    print("\n".join(report.references(results)))
    print("\n".join(report.verdicts(data["targets"])))
    print(f"figures written to {path}")
    if args.compare:
        old = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        print(f"change from {args.compare} ({old.get('when', '?')}):")
        print("\n".join(report.compare(old, data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
