"""The bench's measurements: the floor, cold and warm builds, edit-to-page.

Each figure comes from a fresh process, because a lab pays for process start
too: ``make html`` and every devserver session start one. Peak memory is the
``ru_maxrss`` that ``os.wait4`` reports for the child, which Linux takes over the
child and the descendants it waited for (the largest process of the tree, not
their sum); CPU seconds are user + system of the same tree, so the pool of
reading processes and Pagefind's binary count. Builds run ``python -m pelican``
(as ``make devserver`` does) rather than ``pelican-papers build``, whose staging
folder would make every build cold.

Two things of this machine are kept out of the figures, because a lab's own
builds do not pay them:

- The bench deletes nothing while it measures. The output and cache of an
  earlier build are moved aside (``set_aside``) and deleted when the bench ends.
  On ext4 without a journal, as the disk here is, the kernel does not reuse an
  inode freed in the last minutes. Each new file scans past every inode freed
  recently (``recently_deleted`` in fs/ext4/ialloc.c). So a cold build right
  after deleting a tree of the same size paid 0.3–1 ms of kernel time per file
  created, against 30 µs, which is 2–5 s at 1,000 papers. A lab's cold build
  follows a clone, and the disks labs use have a journal.
- Python writes its bytecode caches (``PYTHONDONTWRITEBYTECODE`` is dropped
  from the builds' environment). A plugin installed by pip has them; without
  them, every build here compiled the plugin's source again (50 ms).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import hugo
from .lab import conference_slugs, write_lab

REPO = Path(__file__).resolve().parents[1]

#: The floor: every paper file read and converted once by one Python-Markdown
#: converter with Pelican's default MARKDOWN setting, in one fresh process.
FLOOR_SCRIPT = """\
import pathlib, sys
import markdown
md = markdown.Markdown(
    extensions=["markdown.extensions.codehilite", "markdown.extensions.extra",
                "markdown.extensions.meta"],
    extension_configs={"markdown.extensions.codehilite": {"css_class": "highlight"}},
    output_format="html5",
)
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    md.reset().convert(path.read_text(encoding="utf-8"))
    count += 1
print(count)
"""


@dataclass
class Run:
    """One process: wall seconds, CPU seconds of its tree, peak RSS in MB."""

    seconds: float
    cpu_seconds: float
    peak_mb: float


#: The environment of every process the bench times (see the docstring).
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: Beside the lab folders: what the builds left, deleted when the bench ends.
TRASH = "bench-trash"


def set_aside(folder: Path) -> None:
    """Move ``folder``, if it exists, into the bench's trash, beside the lab
    folders, which the bench empties when it ends (see the docstring)."""
    if folder.exists():
        trash = folder.parent.parent / TRASH
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{folder.parent.name}-{folder.name}-{time.time_ns()}")


def timed(command: list[str], log: Path, env: dict | None = None) -> Run:
    """Run ``command`` to its end; exit the bench if it fails."""
    with open(log, "wb") as handle:
        start = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=handle, stderr=handle, env=env or ENVIRONMENT
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(command)} failed; see {log}:\n{log.read_text()}")
    # ru_maxrss is in kilobytes on Linux.
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def floor(root: Path, content: Path, papers: int) -> Run:
    log = root / "floor.log"
    run = timed([sys.executable, "-c", FLOOR_SCRIPT, str(content / "papers")], log)
    converted = int(log.read_text().split()[-1])
    if converted != papers:
        sys.exit(f"bench: the floor converted {converted} files, not {papers}")
    return run


# --- the two sites ------------------------------------------------------------


def ours_settings(
    root: Path, content: Path, output: Path, kind: str = "ours", search: bool = True
) -> Path:
    """The repository's pelicanconf.py, with the folders of this build."""
    text = (REPO / "pelicanconf.py").read_text(encoding="utf-8")
    text += (
        "\n# --- bench/builds.py ---\n"
        f"PATH = {str(content)!r}\n"
        f"OUTPUT_PATH = {str(output)!r}\n"
        f"CACHE_PATH = {str(root / f'cache-{kind}')!r}\n"
        f"THEME = {str(REPO / 'themes' / 'lab')!r}\n"
        f"CONFERENCE_PAPERS_SEARCH = {search!r}\n"
    )
    path = root / f"{kind}_settings.py"
    path.write_text(text, encoding="utf-8")
    return path


def unsearched_settings(root: Path, content: Path, output: Path) -> Path:
    """Ours without the search index: what Pagefind's share of a build is."""
    return ours_settings(root, content, output, UNSEARCHED, search=False)


def plain_settings(root: Path, content: Path, output: Path) -> Path:
    """Pelican alone: the papers as bare articles, one category per conference."""
    text = f"""\
# Plain Pelican on the bench's papers (bench/builds.py)
AUTHOR = "Keuper Labs"
SITENAME = "Keuper Labs"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
PATH = {str(content)!r}
OUTPUT_PATH = {str(output)!r}
CACHE_PATH = {str(root / "cache-plain")!r}
ARTICLE_PATHS = ["papers"]
PAGE_PATHS = ["pages"]
USE_FOLDER_AS_CATEGORY = True
# Pelican loads every installed namespace plugin (ours too) unless told which.
PLUGINS = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
DEFAULT_PAGINATION = False
"""
    path = root / "plain_settings.py"
    path.write_text(text, encoding="utf-8")
    return path


#: Ours without the search index (its cold and warm builds, beside ours).
UNSEARCHED = "ours-unsearched"
SETTINGS = {
    "ours": ours_settings,
    "plain": plain_settings,
    UNSEARCHED: unsearched_settings,
}


def paper_pages(kind: str, output: Path) -> int:
    """Paper pages a build wrote: a check that it built what we time."""
    if kind in ("ours", UNSEARCHED, "hugo"):
        return sum(1 for _ in (output / "papers").glob("*/*/index.html"))
    # Plain Pelican's slugs come from the titles, which end in "(number)".
    return sum(1 for p in output.glob("*.html") if re.search(r"-\d+\.html$", p.name))


def build_command(kind: str, root: Path, content: Path) -> list[str]:
    output = root / f"output-{kind}"
    if kind == "hugo":
        return hugo.command(root, hugo.write_site(root, content), output)
    settings = SETTINGS[kind](root, content, output)
    command = [sys.executable, "-m", "pelican", str(content), "-o", str(output)]
    return [*command, "-s", str(settings), "-q"]


@dataclass
class ColdWarm:
    """A cold build and a warm rebuild after it, of one kind of site."""

    cold: Run
    warm: Run
    pages: int
    #: The warm build kept the cold build's output folder (a file it does not
    #: write survived) and its cache folder.
    warm_reused_output: bool
    cache_files: int


def cold_and_warm(kind: str, root: Path, content: Path, papers: int) -> ColdWarm:
    output, cache = root / f"output-{kind}", root / f"cache-{kind}"
    for folder in (output, cache):
        set_aside(folder)
    command = build_command(kind, root, content)
    cold = timed(command, root / f"{kind}-cold.log")
    sentinel = output / "bench-sentinel.txt"
    sentinel.write_text("left by the cold build\n", encoding="utf-8")
    inode = output.stat().st_ino
    warm = timed(command, root / f"{kind}-warm.log")
    reused = sentinel.exists() and output.stat().st_ino == inode
    pages = paper_pages(kind, output)
    if pages != papers:
        sys.exit(f"bench: the {kind} build wrote {pages} paper pages, not {papers}")
    cache_files = sum(1 for p in cache.rglob("*") if p.is_file())
    return ColdWarm(cold, warm, pages, reused, cache_files)


# --- the devserver --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _builds(log: Path) -> int:
    """Builds the devserver has finished: Pelican logs "Done: ..." after each."""
    return _read(log).count("Done: Processed")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _wait_for(condition, timeout: float, server, log: Path) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if server.poll() is not None or time.perf_counter() > deadline:
            sys.exit(f"bench: the devserver did not write the page; see {log}")
        time.sleep(0.005)


def devserver_command(root: Path, content: Path, output: Path) -> list[str]:
    """``make devserver``'s command, on this lab's folders."""
    settings = ours_settings(root, content, output)
    command = [sys.executable, "-m", "pelican", "-lr", str(content), "-o", str(output)]
    command += ["-s", str(settings), "-b", "127.0.0.1", "-p", str(_free_port())]
    return [*command, "-e", "CONFERENCE_PAPERS_READ_CACHE=true"]


def edit_to_page(
    root: Path, content: Path, conferences: int, edits: int
) -> list[float]:
    """Seconds from saving a word appended to one paper's abstract to that
    paper's page on disk with the word, under ``pelican -lr``; one per edit."""
    output = root / "output-devserver"
    set_aside(output)
    # The oldest conference's first paper: its page is among the last written.
    slug = conference_slugs(conferences)[-1][0]
    paper = content / "papers" / slug / f"paper-{conferences - 1:05d}.md"
    page = output / "papers" / slug / paper.stem / "index.html"
    log = root / "devserver.log"
    original = paper.read_text(encoding="utf-8")
    times = []
    with open(log, "wb") as handle:
        server = subprocess.Popen(
            devserver_command(root, content, output),
            stdout=handle,
            stderr=handle,
            env=ENVIRONMENT,
            start_new_session=True,
        )
        try:
            _wait_for(lambda: _builds(log) >= 1, 600, server, log)
            time.sleep(1.0)  # the watcher starts after the first build
            for edit in range(edits):
                word = f"quokka{edit:03d}"
                start = time.perf_counter()
                paper.write_text(original.rstrip("\n") + f" {word}\n", encoding="utf-8")
                _wait_for(lambda w=word: w in _read(page), 120, server, log)
                times.append(time.perf_counter() - start)
                print(
                    f"bench: devserver, edit {edit + 1}/{edits}: {times[-1]:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
                # The rest of the rebuild, and the watcher started again (Pelican
                # misses a change saved before it watches: a person is slower).
                _wait_for(lambda n=edit + 2: _builds(log) >= n, 120, server, log)
                time.sleep(1.0)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            paper.write_text(original, encoding="utf-8")
    return times


# --- one size -------------------------------------------------------------------


def _progress(papers: int, label: str, run: Run) -> None:
    print(
        f"bench: {papers} papers, {label:12s} {run.seconds:7.2f} s "
        f"(cpu {run.cpu_seconds:6.2f} s) {run.peak_mb:6.0f} MB",
        file=sys.stderr,
        flush=True,
    )


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def _summary(results: list[ColdWarm]) -> dict:
    cold, warm = [r.cold for r in results], [r.warm for r in results]
    return {
        "cold_s": _median(cold, "seconds"),
        "warm_s": _median(warm, "seconds"),
        "cold_cpu_s": _median(cold, "cpu_seconds"),
        "warm_cpu_s": _median(warm, "cpu_seconds"),
        "cold_peak_mb": max(r.peak_mb for r in cold),
        "warm_peak_mb": max(r.peak_mb for r in warm),
        "pages": results[-1].pages,
        "warm_reused_output": all(r.warm_reused_output for r in results),
        "cache_files": results[-1].cache_files,
        "runs": [{"cold": asdict(r.cold), "warm": asdict(r.warm)} for r in results],
    }


def bench_size(workdir: Path, papers: int, repeat: int, edits: int) -> dict:
    """Every figure of one size, medians over ``repeat`` runs."""
    conferences = max(1, papers // 20)
    root = workdir / f"lab-{papers}"
    root.mkdir(parents=True, exist_ok=True)
    set_aside(root / "content")  # a lab of a kept workdir, written again
    content = write_lab(root, papers, conferences)
    floors: list[Run] = []
    kinds = ("ours", "plain", UNSEARCHED)
    sites: dict[str, list[ColdWarm]] = {kind: [] for kind in kinds}
    for number in range(repeat):
        floors.append(floor(root, content, papers))
        _progress(papers, "floor", floors[-1])
        # Alternate who goes first, so none gains from another's cache.
        for kind in kinds if number % 2 == 0 else kinds[::-1]:
            sites[kind].append(cold_and_warm(kind, root, content, papers))
            _progress(papers, f"{kind} cold", sites[kind][-1].cold)
            _progress(papers, f"{kind} warm", sites[kind][-1].warm)
    hugo_version = hugo.version()
    if hugo_version:
        for _ in range(repeat):
            sites.setdefault("hugo", []).append(
                cold_and_warm("hugo", root, content, papers)
            )
            _progress(papers, "hugo cold", sites["hugo"][-1].cold)
    times = edit_to_page(root, content, conferences, edits) if edits else []
    return {
        "papers": papers,
        "conferences": conferences,
        "repeat": repeat,
        "floor_s": _median(floors, "seconds"),
        "floor_cpu_s": _median(floors, "cpu_seconds"),
        "floor_peak_mb": max(r.peak_mb for r in floors),
        "ours": _summary(sites["ours"]),
        "plain": _summary(sites["plain"]),
        "unsearched": _summary(sites[UNSEARCHED]),
        "hugo": _summary(sites["hugo"]) | {"version": hugo_version}
        if hugo_version
        else None,
        "edit_to_page_s": statistics.median(times) if times else None,
        "edits_s": times,
    }
