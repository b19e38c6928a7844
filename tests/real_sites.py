"""Import every site of a folder of real lab sites and print what came out.

Not a test (pytest does not collect it): a table for a person to read before
calling an importer done (issue 15), run against /work/shared/fixtures/real-sites/
or any folder laid out like it. Each site is imported the way a new user would:
lab-website-template data (``_data/citations.yaml``, the template's own resolved
list, else ``_data/sources.yaml`` offline), an al-folio ``_bibliography/papers.bib``,
and Hugo Academic's ``content/publication/*/cite.bib`` (one file of them all).
Nothing is fetched; nothing of the sites is copied into the project.

    .venv/bin/python -m tests.real_sites [/work/shared/fixtures/real-sites] [--keep DIR]

Columns: papers; conference pages written; journal articles; preprints; other
kinds (theses, chapters ...); papers whose venue could not be told (unsorted);
warnings; cards with a repeated address (two buttons to one URL: must be 0);
``pelican-papers check`` errors in the imported content; whether it builds with
the lab's settings and theme (``yes``, or ``no`` with the first error line).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import tempfile
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from pelican.plugins.conference_papers.commands import check
from pelican.plugins.conference_papers.commands import main as cli

DEFAULT = Path("/work/shared/fixtures/real-sites")
REPO = Path(__file__).resolve().parents[1]
_URL = re.compile(r"<(https?://[^<>]+)>")


def inputs(site: Path) -> list[tuple[str, list[str]]]:
    """``(format, arguments)`` of each importable file of a site."""
    found = []
    data = site / "_data"
    lwt = data / "citations.yaml"
    if not lwt.is_file():
        lwt = data / "sources.yaml"
    if lwt.is_file():
        found.append(("lwt", [str(lwt), "--offline"]))
    bib = site / "_bibliography" / "papers.bib"
    if bib.is_file():
        found.append(("bibtex", [str(bib)]))
    hugo = sorted((site / "content" / "publication").glob("*/cite.bib"))
    if hugo:
        joined = Path(tempfile.mkdtemp(prefix="real-sites-")) / "cite.bib"
        joined.write_text(
            "\n\n".join(p.read_text(encoding="utf-8") for p in hugo), encoding="utf-8"
        )
        found.append(("bibtex", [str(joined)]))
    return found


def addresses(text: str) -> list[str]:
    """Every address a card of the paper file shows a button for."""
    head = text.split("\n\n", 1)[0]
    found = []
    for line in head.splitlines():
        key, _, value = line.partition(": ")
        if key in ("Pdf", "Code"):
            found.append(value)
        elif key == "Links":
            found += _URL.findall(value)
        elif key == "Arxiv":
            found.append(f"https://arxiv.org/abs/{value}")
        elif key == "Doi":
            found.append(f"https://doi.org/{value}")
    return [re.sub(r"^https?://(www\.)?", "", u).rstrip("/").lower() for u in found]


def count(content: Path) -> dict[str, int]:
    papers = sorted((content / "papers").glob("*/*.md"))
    folders = [p.parent.name for p in papers]
    kinds = ("journals", "preprints", "unsorted")
    editions = {p.stem for p in (content / "conferences").glob("*.md")}
    repeated = 0
    for paper in papers:
        found = addresses(paper.read_text(encoding="utf-8"))
        repeated += len(found) != len(set(found))
    return {
        "papers": len(papers),
        "conferences": len(list((content / "conferences").glob("*.md"))),
        "journal": folders.count("journals"),
        "preprint": folders.count("preprints"),
        "other": sum(f not in kinds and f not in editions for f in folders),
        "unsorted": folders.count("unsorted"),
        "repeated": repeated,
    }


def import_site(fmt: str, arguments: list[str], into: Path) -> tuple[int, str]:
    """Run ``pelican-papers import`` in process: (exit code, stderr)."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli.main(["import", fmt, *arguments, "--into", str(into)])
    return code, err.getvalue()


def check_errors(content: Path) -> list[str]:
    """``pelican-papers check``'s errors, as ``path:line: message``."""
    found = check.find_problems(check.load_settings(None, str(content)))
    return [f"{p.path}:{p.line}: {p.message}" for p in found if p.severity == "error"]


def builds(content: Path, output: Path) -> str:
    """Build with the lab's settings and theme: ``yes`` or why not."""
    settings = read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(output.parent / (output.name + "-cache")),
        },
    )
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
    except (Exception, SystemExit) as error:  # the table names it, then goes on
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        return f"no: {first[:60]}"
    return "yes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--keep", type=Path, help="write each site's content here")
    parser.add_argument(
        "--errors", type=int, default=5, help="check errors shown per site (5)"
    )
    args = parser.parse_args(argv)
    keep = args.keep or Path(tempfile.mkdtemp(prefix="real-sites-content-"))
    header = (
        f"{'site':42} {'input':8} {'papers':>6} {'confs':>5} {'journ':>5} "
        f"{'prepr':>5} {'other':>5} {'unsort':>6} {'warn':>5} {'repeat':>6} "
        f"{'errors':>6} build"
    )
    print(header)
    print("-" * len(header))
    failed = 0
    for site in sorted(p for p in args.folder.iterdir() if p.is_dir()):
        for number, (fmt, arguments) in enumerate(inputs(site)):
            into = keep / f"{site.name}-{fmt}-{number}"
            code, err = import_site(fmt, arguments, into)
            warnings = err.count("warning: ")
            if code != 0:
                failed += 1
                last = err.strip().splitlines()[-1] if err.strip() else "?"
                print(f"{site.name[:42]:42} {fmt:8} failed: {last}")
                continue
            c = count(into)
            errors = check_errors(into)
            built = builds(into, keep / f"{into.name}-output")
            failed += bool(errors) or built != "yes"
            print(
                f"{site.name[:42]:42} {fmt:8} {c['papers']:>6} {c['conferences']:>5} "
                f"{c['journal']:>5} {c['preprint']:>5} {c['other']:>5} "
                f"{c['unsorted']:>6} {warnings:>5} {c['repeated']:>6} "
                f"{len(errors):>6} {built}"
            )
            for line in errors[: args.errors]:
                print(f"    {line}")
    print(f"\ncontent written under {keep}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
