"""Build speed and scale: the lab's site beside plain Pelican on the same papers.

``python -m tests.bench`` (``make bench``) writes synthetic labs of 1,000 papers
over 50 conferences and 10,000 over 500 in the content format of DESIGN.md, then
builds each cold (fresh output and cache folders), alternating:

- *ours*: the repository's pelicanconf.py and lab theme, PATH/OUTPUT overridden;
- *plain*: Pelican alone on the same paper files as bare articles (default
  theme, no plugin, one category per conference, no author or tag pages).

Every build runs in a fresh ``python -m pelican`` process, timed by the wall
clock; its peak memory is the ``ru_maxrss`` that ``os.wait4`` reports for that
one child (the largest process of its tree). Medians are printed, with the ratio
ours/plain, the time per paper and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The targets (issue 8), checked and printed at the end.
TARGET_RATIO_1K = 1.25
TARGET_RATIO_10K = 1.0
TARGET_GROWTH = 1.1
TARGET_MEMORY_MB = 400

# --- synthetic content -------------------------------------------------------

VENUES = [
    ("neurips", "NeurIPS", "Conference on Neural Information Processing Systems"),
    ("icml", "ICML", "International Conference on Machine Learning"),
    ("iclr", "ICLR", "International Conference on Learning Representations"),
    ("cvpr", "CVPR", "Conference on Computer Vision and Pattern Recognition"),
    ("iccv", "ICCV", "International Conference on Computer Vision"),
    ("eccv", "ECCV", "European Conference on Computer Vision"),
    ("wacv", "WACV", "Winter Conference on Applications of Computer Vision"),
    ("bmvc", "BMVC", "British Machine Vision Conference"),
    ("aaai", "AAAI", "AAAI Conference on Artificial Intelligence"),
    ("ijcai", "IJCAI", "International Joint Conference on Artificial Intelligence"),
    ("miccai", "MICCAI", "Medical Image Computing and Computer Assisted Intervention"),
    ("gcpr", "GCPR", "German Conference on Pattern Recognition"),
    ("icpr", "ICPR", "International Conference on Pattern Recognition"),
    ("acl", "ACL", "Annual Meeting of the Association for Computational Linguistics"),
    ("emnlp", "EMNLP", "Empirical Methods in Natural Language Processing"),
    ("kdd", "KDD", "Conference on Knowledge Discovery and Data Mining"),
    ("uai", "UAI", "Conference on Uncertainty in Artificial Intelligence"),
    ("aistats", "AISTATS", "Conference on Artificial Intelligence and Statistics"),
    ("colt", "COLT", "Conference on Learning Theory"),
    ("ecml", "ECML", "European Conference on Machine Learning"),
]
PLACES = [
    "New Orleans, USA", "Vancouver, Canada", "Paris, France", "Seoul, Korea",
    "Tel Aviv, Israel", "Vienna, Austria", "Honolulu, USA", "Kyoto, Japan",
    "Montréal, Canada", "Tübingen, Germany", "Lisbon, Portugal", "Online",
]  # fmt: skip
ICONS = ["fas fa-microscope", "fa-solid fa-brain", "fa-solid fa-eye", "", ""]
GIVEN = [
    "Julia", "Paul", "Janis", "Margret", "Amrutha", "Kathrin", "Steffen", "Yuki",
    "Li", "Wei", "Ana", "João", "Chiara", "Mehmet", "Olga", "Ravi", "Fatima",
    "Lukas", "Sofia", "Hannah", "Tomás", "Aiko", "Nikolai", "Zoë", "Omar",
]  # fmt: skip
FAMILY = [
    "Keuper", "Gavrikov", "Grabinski", "Saseendran", "Skubch", "Jung", "Müller",
    "Schmidt", "Zhang", "Wang", "Nakamura", "Silva", "Rossi", "Yılmaz", "Ivanova",
    "Patel", "Haddad", "Novák", "García", "van der Berg", "O'Neill", "Dubois",
    "Kowalski", "Andersen", "Tanaka", "Okafor", "Chen", "Lindqvist",
]  # fmt: skip
MEMBERS = ["Margret Keuper", "Janis Keuper", "Julia Grabinski", "Paul Gavrikov"]
TOPICS = [
    "adversarial robustness", "calibration", "frequency aliasing", "self-supervised "
    "learning", "medical imaging", "semantic segmentation", "graph clustering",
    "multi-object tracking", "generative models", "neural architecture search",
    "domain generalization", "out-of-distribution detection", "pooling operations",
    "vision transformers", "autoencoders", "optical flow", "deepfake detection",
]  # fmt: skip
TAGS = [
    "robustness", "calibration", "vision", "segmentation", "tracking", "generative",
    "medical", "theory", "benchmark", "efficiency", "transformers", "aliasing",
]  # fmt: skip
OPENINGS = [
    "Despite the success of {a} in many academic benchmarks, their application in "
    "the real world still faces fundamental challenges.",
    "Recent work on {a} has shown that {b} remains an open problem.",
    "We study the relation between {a} and {b} in modern deep networks.",
    "Understanding {a} is central to deploying learned models in safety-critical "
    "settings such as {b}.",
]
MIDDLES = [
    "In this paper, we empirically analyze a variety of models trained for {a} and "
    "show that they behave differently under {b}.",
    "We propose a simple method that improves {a} without any additional training "
    "data or computational overhead at test time.",
    "Our analysis reveals that the building blocks of a network, like activation "
    "functions and pooling, have a strong influence on {a}.",
    "To this end, we introduce a new benchmark of **{n}** tasks covering {a} and {b}.",
    "We further show that the improvement transfers to {b}, a setting where "
    "existing approaches fail.",
    "A careful ablation shows which of the components matter most and why, and "
    "it points to `{c}` as the main source of the gains.",
    "Experiments on *{n}* data sets confirm our hypothesis that {a} and {b} are "
    "closely linked, even on clean data.",
    "We provide a theoretical argument for this behaviour and validate it on "
    "convolutional as well as attention-based architectures.",
]
# Some abstracts have math (rendered to MathML by the plugin).
MATH = (
    "The resulting models achieve an error of ${x}\\%$ on the standard "
    "evaluation, where previous work reported $\\epsilon = {y}$."
)
CLOSINGS = [
    "Code and models are publicly available.",
    "We hope that our findings guide the design of more reliable systems.",
    "Our results call for a more careful evaluation of {a} in future work.",
]


def _sentence(rng: random.Random, pattern: str) -> str:
    a, b = rng.sample(TOPICS, 2)
    return pattern.format(
        a=a,
        b=b,
        c=rng.choice(["BatchNorm", "MaxPool", "GELU", "Dropout"]),
        n=rng.randint(3, 40),
        x=round(rng.uniform(1, 30), 1),
        y=rng.choice(["8/255", "0.5", "10^{-3}"]),
    )


def abstract(rng: random.Random) -> str:
    """A Markdown abstract of roughly 150-250 words in wrapped lines."""
    sentences = [_sentence(rng, rng.choice(OPENINGS))]
    words = len(sentences[0].split())
    target = rng.randint(150, 250)
    while words < target - 15:
        sentence = _sentence(rng, rng.choice(MIDDLES))
        sentences.append(sentence)
        words += len(sentence.split())
    if rng.random() < 0.1:
        sentences.insert(rng.randint(1, len(sentences)), _sentence(rng, MATH))
    sentences.append(_sentence(rng, rng.choice(CLOSINGS)))
    text = " ".join(sentences)
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) > 88:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if rng.random() < 0.15:  # some abstracts have two paragraphs
        cut = len(lines) // 2
        lines.insert(cut, "")
    return "\n".join(lines)


def conference_slugs(count: int) -> list[tuple[str, str, str, int]]:
    """``count`` conference editions: (slug, short name, long name, year)."""
    editions = []
    year = 2024
    while len(editions) < count:
        for key, short, name in VENUES:
            editions.append((f"{key}-{year}", f"{short} {year % 100:02d}", name, year))
            if len(editions) == count:
                break
        year -= 1
    return editions


def write_lab(root: Path, papers: int, conferences: int, seed: int = 8) -> Path:
    """A lab's content folder; the same arguments give the same bytes."""
    rng = random.Random(seed)
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "conferences").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text(
        "Title: About\n\nThe lab's papers, by conference.\n", encoding="utf-8"
    )
    editions = conference_slugs(conferences)
    for slug, short, name, year in editions:
        month = rng.randint(1, 12)
        day = rng.randint(1, 25)
        lines = [
            f"Title: {short}",
            f"Name: {name} {year}",
            f"Date: {year}-{month:02d}-{day:02d}",
            f"End: {year}-{month:02d}-{day + 3:02d}",
            f"Location: {rng.choice(PLACES)}",
            f"Url: https://example.org/{slug}/",
        ]
        icon = rng.choice(ICONS)
        if icon:
            lines.append(f"Icon: {icon}")
        lines.append("Tracks: Full Paper; Short Paper; Workshop Paper")
        lines.append(f"Hashtag: {short.replace(' ', '')}")
        text = "\n".join(lines) + f"\n\nOur papers at {name} {year}.\n"
        (content / "conferences" / f"{slug}.md").write_text(text, encoding="utf-8")
        (content / "papers" / slug).mkdir(parents=True)

    # Papers spread evenly, so that every conference has papers.
    for number in range(papers):
        slug, _, _, year = editions[number % conferences]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        authors = rng.sample(
            [f"{g} {f}" for g in GIVEN[:12] for f in FAMILY[:12]], rng.randint(2, 8)
        )
        if rng.random() < 0.5:
            authors[-1] = rng.choice(MEMBERS)
        topic = rng.choice(TOPICS)
        title = (
            f"{rng.choice(['On', 'Towards', 'Rethinking', 'Learning'])} "
            f"{topic.title()} {rng.choice(['in', 'for', 'under'])} "
            f"{rng.choice(TOPICS).title()} ({number})"
        )
        arxiv = f"{year % 100:02d}{month:02d}.{rng.randint(10000, 99999)}"
        lines = [
            f"Title: {title}",
            f"Authors: {', '.join(dict.fromkeys(authors))}",
        ]
        if rng.random() < 0.2:
            lines += ["Track: Workshop Paper", f"Workshop: {rng.choice(VENUES)[1]}W"]
        elif rng.random() < 0.2:
            lines.append("Track: Short Paper")
        else:
            lines.append("Track: Full Paper")
        if rng.random() < 0.1:
            lines.append(f"Order: {rng.randint(1, 5)}")
        lines.append(f"Date: {year}-{month:02d}-{day:02d}")
        lines.append(f"Pdf: https://arxiv.org/pdf/{arxiv}.pdf")
        if rng.random() < 0.6:
            lines.append(f"Code: https://github.com/lab/paper-{number}")
        lines.append(f"Arxiv: {arxiv}")
        if rng.random() < 0.3:
            lines.append(f"Doi: 10.1000/lab.{year}.{number}")
        if rng.random() < 0.3:
            lines.append(
                f"Links: Poster <https://example.org/posters/{number}.pdf> "
                f"fa-solid fa-image; Video <https://www.youtube.com/watch?v=v{number}>"
                " fa-brands fa-youtube"
            )
        lines.append(f"Tags: {', '.join(rng.sample(TAGS, rng.randint(1, 3)))}")
        text = "\n".join(lines) + "\n\n" + abstract(rng) + "\n"
        path = content / "papers" / slug / f"paper-{number:05d}.md"
        path.write_text(text, encoding="utf-8")
    return content


# --- builds -----------------------------------------------------------------


def ours_settings(root: Path, content: Path, output: Path) -> Path:
    """The repository's pelicanconf.py, with the folders of this build."""
    text = (REPO / "pelicanconf.py").read_text(encoding="utf-8")
    text += (
        "\n# --- tests/bench.py ---\n"
        f"PATH = {str(content)!r}\n"
        f"OUTPUT_PATH = {str(output)!r}\n"
        f"CACHE_PATH = {str(root / 'cache-ours')!r}\n"
        f"THEME = {str(REPO / 'themes' / 'lab')!r}\n"
    )
    path = root / "ours_settings.py"
    path.write_text(text, encoding="utf-8")
    return path


def plain_settings(root: Path, content: Path, output: Path) -> Path:
    """Pelican alone: the papers as bare articles, one category per conference."""
    text = f"""\
# Plain Pelican on the bench's papers (tests/bench.py)
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


@dataclass
class Build:
    kind: str
    seconds: float
    cpu_seconds: float  # user + system, with the processes it waited for
    peak_mb: float


def run_build(kind: str, root: Path, content: Path, python: str) -> Build:
    """One cold build in a fresh process: fresh output and cache folders."""
    output = root / f"output-{kind}"
    for folder in (output, root / f"cache-{kind}"):
        shutil.rmtree(folder, ignore_errors=True)
    make = ours_settings if kind == "ours" else plain_settings
    settings = make(root, content, output)
    command = [python, "-m", "pelican", str(content), "-o", str(output)]
    command += ["-s", str(settings), "-q"]
    log = root / f"{kind}.log"
    with open(log, "wb") as handle:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=handle, stderr=handle)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"bench: the {kind} build failed; see {log}:\n{log.read_text()}")
    # ru_maxrss is in kilobytes on Linux.
    return Build(kind, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def count_pages(kind: str, root: Path) -> int:
    """Paper pages the build wrote: a check that it built what we time."""
    output = root / f"output-{kind}"
    if kind == "ours":
        return sum(1 for _ in (output / "papers").glob("*/*/index.html"))
    # Slugs come from the titles, which end in "(number)".
    return sum(1 for p in output.glob("*.html") if re.search(r"-\d+\.html$", p.name))


@dataclass
class Result:
    papers: int
    conferences: int
    runs: int
    ours_s: float
    plain_s: float
    ours_mb: float
    plain_mb: float
    ours_cpu_s: float
    plain_cpu_s: float

    @property
    def ratio(self) -> float:
        return self.ours_s / self.plain_s

    @property
    def ours_ms_per_paper(self) -> float:
        return 1000 * self.ours_s / self.papers

    @property
    def plain_ms_per_paper(self) -> float:
        return 1000 * self.plain_s / self.papers

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": self.ratio,
            "ours_ms_per_paper": self.ours_ms_per_paper,
            "plain_ms_per_paper": self.plain_ms_per_paper,
        }


def bench_size(
    workdir: Path, papers: int, conferences: int, runs: int, python: str
) -> Result:
    root = workdir / f"lab-{papers}"
    root.mkdir(parents=True, exist_ok=True)
    content = write_lab(root, papers, conferences)
    builds: dict[str, list[Build]] = {"ours": [], "plain": []}
    for run in range(runs):
        # Alternate, and swap who goes first, so neither gains from the other.
        order = ("ours", "plain") if run % 2 == 0 else ("plain", "ours")
        for kind in order:
            build = run_build(kind, root, content, python)
            builds[kind].append(build)
            print(
                f"bench: {papers} papers, run {run + 1}/{runs}, {kind:5s} "
                f"{build.seconds:6.2f} s (cpu {build.cpu_seconds:6.2f} s) "
                f"{build.peak_mb:6.0f} MB",
                file=sys.stderr,
                flush=True,
            )
    for kind in ("ours", "plain"):
        pages = count_pages(kind, root)
        if pages != papers:
            sys.exit(f"bench: the {kind} build wrote {pages} paper pages, not {papers}")
    return Result(
        papers,
        conferences,
        runs,
        statistics.median(b.seconds for b in builds["ours"]),
        statistics.median(b.seconds for b in builds["plain"]),
        max(b.peak_mb for b in builds["ours"]),
        max(b.peak_mb for b in builds["plain"]),
        statistics.median(b.cpu_seconds for b in builds["ours"]),
        statistics.median(b.cpu_seconds for b in builds["plain"]),
    )


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


def table(results: list[Result]) -> str:
    head = (
        f"{'papers':>7} {'confs':>5} {'runs':>4} {'ours s':>7} {'plain s':>7} "
        f"{'ratio':>5} {'ours ms/paper':>13} {'plain ms/paper':>14} "
        f"{'ours MB':>7} {'plain MB':>8} {'ours cpu s':>10} {'plain cpu s':>11}"
    )
    rows = [head]
    for r in results:
        rows.append(
            f"{r.papers:>7} {r.conferences:>5} {r.runs:>4} {r.ours_s:>7.2f} "
            f"{r.plain_s:>7.2f} {r.ratio:>5.2f} {r.ours_ms_per_paper:>13.2f} "
            f"{r.plain_ms_per_paper:>14.2f} {r.ours_mb:>7.0f} {r.plain_mb:>8.0f} "
            f"{r.ours_cpu_s:>10.2f} {r.plain_cpu_s:>11.2f}"
        )
    return "\n".join(rows)


def verdicts(results: list[Result]) -> list[str]:
    """The issue's targets, for the sizes that were run."""
    lines = []
    by_size = {r.papers: r for r in results}
    if 1000 in by_size:
        ratio = by_size[1000].ratio
        ok = "ok" if ratio <= TARGET_RATIO_1K else "MISSED"
        lines.append(
            f"1,000 papers: {ratio:.2f}x plain (target <= {TARGET_RATIO_1K}) {ok}"
        )
    if 10000 in by_size:
        ratio = by_size[10000].ratio
        ok = "ok" if ratio <= TARGET_RATIO_10K else "MISSED"
        lines.append(
            f"10,000 papers: {ratio:.2f}x plain (target <= {TARGET_RATIO_10K}) {ok}"
        )
    if 1000 in by_size and 10000 in by_size:
        growth = by_size[10000].ours_ms_per_paper / by_size[1000].ours_ms_per_paper
        ok = "ok" if growth <= TARGET_GROWTH else "MISSED"
        lines.append(
            f"time per paper 10,000 / 1,000: {growth:.2f} (target <= {TARGET_GROWTH})"
            f" {ok}"
        )
    if not results:
        return lines
    peak = max(r.ours_mb for r in results)
    ok = "ok" if peak < TARGET_MEMORY_MB else "MISSED"
    lines.append(f"peak memory: {peak:.0f} MB (target < {TARGET_MEMORY_MB}) {ok}")
    return lines


# --- devserver ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def devserver_edits(
    workdir: Path, papers: int, edits: int, python: str, read_cache: bool
) -> list[float]:
    """Seconds from saving an edited paper to its new page on disk, under
    ``pelican -lr`` (the Makefile's devserver), one figure per edit."""
    root = workdir / f"devserver-{papers}"
    root.mkdir(parents=True, exist_ok=True)
    conferences = max(1, papers // 20)
    content = write_lab(root, papers, conferences)
    output = root / "output-ours"
    shutil.rmtree(output, ignore_errors=True)
    settings = ours_settings(root, content, output)
    # The oldest conference's first paper: its page is among the last written.
    slug = conference_slugs(conferences)[-1][0]
    paper = content / "papers" / slug / f"paper-{conferences - 1:05d}.md"
    page = output / "papers" / slug / paper.stem / "index.html"
    command = [python, "-m", "pelican", "-lr", str(content), "-o", str(output)]
    command += ["-s", str(settings), "-b", "127.0.0.1", "-p", str(_free_port())]
    if read_cache:
        command += ["-e", "CONFERENCE_PAPERS_READ_CACHE=true"]
    log = root / "devserver.log"
    times = []
    with open(log, "wb") as handle:
        server = subprocess.Popen(
            command, stdout=handle, stderr=handle, start_new_session=True
        )
        try:
            _wait_for(lambda: _builds(log) >= 1, 120, server, log)
            time.sleep(1.0)  # the watcher starts after the first build
            original = paper.read_text(encoding="utf-8")
            for edit in range(edits):
                title = f"Edited Title Number {edit}"
                text = original.replace("Title: ", f"Title: {title} ", 1)
                marker = f"<h1>{title} "
                start = time.perf_counter()
                paper.write_text(text, encoding="utf-8")
                _wait_for(lambda m=marker: m in _read(page), 60, server, log)
                times.append(time.perf_counter() - start)
                print(
                    f"bench: devserver, {papers} papers, edit {edit + 1}/{edits}: "
                    f"{times[-1]:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
                # The rest of the rebuild, and the watcher started again (Pelican
                # misses a change saved before it watches: a person is slower).
                _wait_for(lambda n=edit + 2: _builds(log) >= n, 60, server, log)
                time.sleep(1.0)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return times


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
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="numbers of papers, comma-separated (one conference per 20 papers)",
    )
    parser.add_argument(
        "--runs",
        type=int,
        help="builds of each kind per size (default: 3, and 2 above 2,000 papers)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="100 papers, 1 run: a smoke test"
    )
    parser.add_argument(
        "--devserver",
        action="store_true",
        help="also time 5 edits of one paper of 1,000 under 'pelican -lr', with "
        "and without CONFERENCE_PAPERS_READ_CACHE (as 'make devserver' runs it)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--keep", help="build in this folder and keep it")
    args = parser.parse_args(argv)

    sizes = [100] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    python = sys.executable
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="lab-bench-"))
    results = []
    devserver: dict[str, list[float]] = {}
    try:
        for papers in sizes:
            runs = args.runs or (1 if args.quick else 3 if papers <= 2000 else 2)
            conferences = max(1, papers // 20)
            results.append(bench_size(workdir, papers, conferences, runs, python))
        if args.devserver:
            for cache in (False, True):
                name = "read cache" if cache else "no cache"
                devserver[name] = devserver_edits(workdir, 1000, 5, python, cache)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"command: {' '.join(['python -m tests.bench', *(argv or sys.argv[1:])])}")
    print("cold builds, medians; ours = pelicanconf.py + lab theme + plugin,")
    print("plain = Pelican alone, papers as bare articles, default theme")
    print(table(results))
    for line in verdicts(results):
        print(line)
    for name, times in devserver.items():
        print(
            f"devserver ({name}), 1,000 papers: an edited paper's page on disk after "
            f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"(target <= 2 s) {'ok' if max(times) <= 2 else 'MISSED'}"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "results": [r.as_dict() for r in results],
                    "devserver_seconds": devserver,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
