"""Fast reading gives what the slow path gives: byte for byte, and never stale."""

from __future__ import annotations

import copy
import filecmp
import functools
import gc
import os
import shutil
import weakref
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.plugins import conference_papers
from pelican.settings import read_settings

from bench.lab import write_lab
from pelican.plugins.conference_papers import generator, reading
from pelican.plugins.conference_papers.base import parse_memo
from pelican.plugins.conference_papers.generator import ConferencePapersGenerator
from pelican.plugins.conference_papers.model import Paper

from ..conftest import REPO, as_a_new_process

# Documents whose state would leak into the next file if the reused Markdown
# kept any: abbreviations, footnotes, reference links, raw HTML, math.
TRICKY = {
    "a.md": """\
Title: First
Summary: A *formatted* summary

The CNN[^1] beats the [baseline][b] on $x^2$ and <span>raw</span>.

| a | b |
|---|---|
| 1 | 2 |

*[CNN]: Convolutional Neural Network
[^1]: A footnote.
[b]: https://example.org/b
""",
    "b.md": """\
Title: Second
Tags: one
Tags: two

A CNN without its abbreviation, a [baseline][b] without its reference, and a
note[^1] without its footnote.

```python
print("code")
```
""",
    "c.md": "Title: Third\n\nJust text with $$\\frac{a}{b}$$ and **bold**.\n",
}


def _lab(root: Path, papers: int) -> Path:
    content = write_lab(root, papers, max(1, papers // 10))
    for name, text in TRICKY.items():
        # The same tricky bodies as papers of the first conference.
        folder = sorted((content / "papers").iterdir())[0]
        head, _, body = text.partition("\n\n")
        head = head.replace("Summary", "Note").replace("\nTags: two", "")
        (folder / f"tricky-{name}").write_text(
            f"{head}\nAuthors: Ann Example, Bo Example\n\n{body}", encoding="utf-8"
        )
    return content


def _build(root: Path, content: Path, output: Path, **overrides) -> Path:
    settings = read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(root / "cache"),
            "THEME": str(REPO / "themes" / "lab"),
            **overrides,
        },
    )
    Pelican(settings).run()
    return output


def _assert_same_tree(left: Path, right: Path) -> None:
    left_files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    right_files = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    assert left_files == right_files
    _, mismatch, errors = filecmp.cmpfiles(left, right, left_files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_pool_of_processes_builds_the_same_bytes_as_one_process(tmp_path, caplog):
    content = _lab(tmp_path, 60)
    bad = content / "papers" / "neurips-2024" / "bad-math.md"
    bad.write_text(
        "Title: Bad Math\nAuthors: Ann Example, Bo Example\n\nSee $\\frac{a}{$.\n",
        encoding="utf-8",
    )
    pool = _build(tmp_path, content, tmp_path / "pool", CONFERENCE_PAPERS_PROCESSES=2)
    # A warning raised in a worker reaches the build's log, as in one process.
    # (Pool first: Pelican's loggers drop a message they have logged before.)
    assert any(
        "could not render the math $\\frac{a}{$" in r.getMessage()
        for r in caplog.records
    )
    serial = _build(
        tmp_path, content, tmp_path / "serial", CONFERENCE_PAPERS_PROCESSES=1
    )
    _assert_same_tree(serial, pool)
    assert len(list((pool / "papers").glob("*/*/index.html"))) == 64


def test_warnings_of_many_papers_read_by_the_pool_are_limited_not_fatal(
    tmp_path, caplog
):
    """Pelican says five warnings of a group, the fifth as the group's own
    ("Other images have empty alt attributes"), and holds back the rest: with
    the papers read by two workers, the ones held back stopped the build."""
    content = _lab(tmp_path, 60)
    papers = sorted((content / "papers").rglob("paper-*.md"))
    for paper in papers[::5]:  # 12 papers, in the chunks of both workers
        with paper.open("a", encoding="utf-8") as handle:
            handle.write("\n![](https://example.org/figure.png)\n")
    output = _build(tmp_path, content, tmp_path / "out", CONFERENCE_PAPERS_PROCESSES=2)
    said = [r.getMessage() for r in caplog.records if "alt attribute" in r.getMessage()]
    assert len(said) == 5, said
    assert said[-1] == "Other images have empty alt attributes"
    assert (
        len(list((output / "papers").glob("*/*/index.html"))) == 63
    )  # the 60 and the tricky 3


@pytest.mark.parametrize("remembered", [False, True], ids=["hashed", "by stat"])
def test_read_cache_rereads_a_changed_file_even_with_the_same_size_and_time(
    tmp_path, monkeypatch, remembered
):
    """The devserver's case: the same settings, one file edited between builds.
    "by stat": as for a file saved more than two seconds before the build, the
    process keeps what it hashed by the file's stat (``reading._stamp``), and
    reads only the edited file again (its ctime changed)."""
    reading._hashed.clear()
    if remembered:
        monkeypatch.setattr(reading, "_RACY_NS", -(10**18))
    content = _lab(tmp_path, 20)
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    page = f"papers/{paper.parent.name}/{paper.stem}/index.html"
    output = tmp_path / "output"
    reading._memory.clear()
    _build(tmp_path, content, output, CONFERENCE_PAPERS_READ_CACHE=True)
    first = shutil.copytree(output, tmp_path / "first")
    files = len(list(content.rglob("*.md"))) - 1  # all but the about page
    assert len(reading._memory) == files
    before = os.stat(paper)
    text = paper.read_text(encoding="utf-8")
    assert text.startswith("Title: ") and text[7].isascii()
    # An edit of the same length, with the old modification time put back.
    edited = "Title: Z" + text[8:]
    paper.write_text(edited, encoding="utf-8")
    os.utime(paper, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(paper).st_size == before.st_size
    kept = dict(reading._memory)
    opened: list[str] = []

    def counting_open(path, *args, **kwargs):
        opened.append(str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(reading, "open", counting_open, raising=False)
    second = _build(tmp_path, content, output, CONFERENCE_PAPERS_READ_CACHE=True)
    monkeypatch.undo()
    papers = [p for p in opened if p.startswith(str(content / "papers"))]
    every = sorted(str(p) for p in (content / "papers").rglob("*.md"))
    assert sorted(papers) == ([str(paper)] if remembered else every)
    # Only the edited file was read again: its entry alone was replaced.
    assert len(reading._memory) == files
    replaced = [p for p, entry in reading._memory.items() if entry is not kept[p]]
    assert replaced == [str(paper)]
    title = edited.splitlines()[0][len("Title: ") :]
    assert f"<h1>{title}</h1>" in (second / page).read_text(encoding="utf-8")
    assert f"<h1>{title}</h1>" not in (first / page).read_text(encoding="utf-8")
    # And the whole rebuild is what a cold build without the cache writes.
    cold = _build(tmp_path, content, tmp_path / "cold")
    _assert_same_tree(second, cold)


def test_read_cache_is_not_used_after_the_markdown_settings_change(tmp_path):
    content = _lab(tmp_path, 20)
    quoted = next((content / "papers").rglob("tricky-c.md"))
    quoted.write_text(
        'Title: Third\nAuthors: Ann Example, Bo Example\n\nSay "hello" -- twice.\n',
        encoding="utf-8",
    )
    page = f"papers/{quoted.parent.name}/tricky-c/index.html"
    output = tmp_path / "output"
    first = _build(tmp_path, content, output, CONFERENCE_PAPERS_READ_CACHE=True)
    assert "Say &#34;hello&#34; -- twice." in (first / page).read_text()
    markdown = copy.deepcopy(read_settings(str(REPO / "pelicanconf.py"))["MARKDOWN"])
    markdown["extensions"] = [*markdown.get("extensions", []), "smarty"]
    second = _build(
        tmp_path, content, output, CONFERENCE_PAPERS_READ_CACHE=True, MARKDOWN=markdown
    )
    assert "Say “hello” – twice." in (second / page).read_text()
    cold = _build(tmp_path, content, tmp_path / "cold", MARKDOWN=markdown)
    _assert_same_tree(second, cold)


def test_a_devserver_rebuild_lets_the_previous_build_go(site):
    """Pelican's autoreload runs one Pelican object again and again: a finished
    build must not stay in memory (20 MB a rebuild at 1,000). Its papers are
    renewed for the next build or let go, never kept beside the new ones, and
    nothing holds on to the build they came from (its context, its pages)."""

    def papers() -> list[Paper]:  # this site's (other tests' may be alive)
        root = str(site.content)
        return [
            o
            for o in gc.get_objects()
            if isinstance(o, Paper) and o.source_path.startswith(root)
        ]

    pelican = Pelican(site.settings(CONFERENCE_PAPERS_READ_CACHE=True))
    pelican.run()
    count = len(papers())
    assert count >= 3
    built = weakref.ref(
        next(
            o
            for o in gc.get_objects()
            if isinstance(o, ConferencePapersGenerator) and o.path == str(site.content)
        )
    )
    for _ in range(2):
        pelican.run()
        gc.collect()
        assert built() is None
        assert len(papers()) == count


def test_a_devserver_build_that_failed_leaves_nothing_frozen(site, monkeypatch):
    """The content is frozen out of the garbage collector's walks while it is
    written (``freeze_the_content``); a build that fails then does not keep
    it frozen beyond the start of the next build, which can let it go."""
    pelican = Pelican(site.settings(CONFERENCE_PAPERS_READ_CACHE=True))

    def fail(self, writer):
        assert gc.get_freeze_count() > 0  # frozen while writing
        raise RuntimeError("a template error")

    with monkeypatch.context() as patched:
        # As ``make html`` (the devserver freezes nothing).
        patched.setattr(conference_papers, "builds_once_and_exits", lambda: True)
        patched.setattr(ConferencePapersGenerator, "generate_output", fail)
        with pytest.raises(RuntimeError):
            pelican.run()
    assert gc.get_freeze_count() > 0
    # The devserver's next build waits for an edit (wait_after_a_failed_build);
    # a new Pelican object builds at once, in the same process.
    Pelican(site.settings(CONFERENCE_PAPERS_READ_CACHE=True)).run()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("once", [True, False], ids=["make html", "devserver"])
def test_cycles_are_collected_again_after_reading_even_when_it_failed(
    site, monkeypatch, once
):
    """A build that exits afterwards reads with the collection of reference
    cycles paused (``load``), the devserver with it on; neither keeps it
    paused after a build, good or not (the process's memory would grow)."""
    seen = []

    def fail(self):
        seen.append(gc.isenabled())
        raise RuntimeError("a plugin's error while reading")

    with monkeypatch.context() as patched:
        patched.setattr(generator, "builds_once_and_exits", lambda: once)
        patched.setattr(ConferencePapersGenerator, "load", fail)
        with pytest.raises(RuntimeError):
            Pelican(site.settings()).run()
    assert seen == [not once] and gc.isenabled()
    Pelican(site.settings()).run()
    assert gc.isenabled()


def test_a_plugin_listening_for_new_content_sees_every_paper_each_build(site):
    """Papers are renewed between builds only when no plugin waits for
    Pelican's ``content_object_init``: one that does sees each paper each build."""
    seen: list[str] = []

    def receiver(content):
        if isinstance(content, Paper):
            seen.append(content.source_path)

    signals.content_object_init.connect(receiver)
    try:
        pelican = Pelican(site.settings(CONFERENCE_PAPERS_READ_CACHE=True))
        pelican.run()
        first = sorted(seen)
        seen.clear()
        pelican.run()
    finally:
        signals.content_object_init.disconnect(receiver)
    assert len(first) >= 3
    assert sorted(seen) == first


def test_read_cache_on_disk_starts_the_next_process_warm(tmp_path, monkeypatch):
    """``make html`` twice: the second process reads no file that did not change,
    and writes what a build without the cache writes; a damaged cache file is
    only a cold start."""
    content = _lab(tmp_path, 20)
    as_a_new_process()
    _build(tmp_path, content, tmp_path / "first", CONFERENCE_PAPERS_READ_CACHE=True)
    cache = tmp_path / "cache" / reading.CACHE_FILE
    assert cache.is_file()
    as_a_new_process()
    read = []
    real = reading._read_one
    monkeypatch.setattr(
        reading, "_read_one", lambda *args: read.append(args[2]) or real(*args)
    )
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    paper.write_text(paper.read_text(encoding="utf-8") + "\nMore.\n", "utf-8")
    warm = _build(
        tmp_path, content, tmp_path / "warm", CONFERENCE_PAPERS_READ_CACHE=True
    )
    assert read == [str(paper.relative_to(content))]
    # The devserver's edit shows first: the edited paper's page is written
    # before any other of the plugin's pages (Pelican's own come before).
    page = warm / "papers" / paper.parent.name / paper.stem / "index.html"
    ours = [*(warm / "papers").rglob("*.html"), *(warm / "conferences").rglob("*")]
    pages = [p.stat().st_mtime_ns for p in ours if p != page and p.is_file()]
    assert len(pages) > 20
    assert page.stat().st_mtime_ns <= min(pages)
    _assert_same_tree(warm, _build(tmp_path, content, tmp_path / "cold"))

    cache.write_bytes(b"\x00not marshal")
    as_a_new_process()
    read.clear()
    again = _build(
        tmp_path, content, tmp_path / "again", CONFERENCE_PAPERS_READ_CACHE=True
    )
    assert len(read) == len(list(content.rglob("*.md"))) - 1  # all but the page
    _assert_same_tree(again, warm)


def test_parse_memo_on_disk_keeps_each_files_warnings_and_parses_only_edits(
    tmp_path, monkeypatch, caplog
):
    """The next process takes what each unchanged file's check gave from the
    parse memo: its warnings are reported again, and only an edited file is
    checked again. A damaged memo file is only a cold start."""
    content = _lab(tmp_path, 20)
    warned = sorted((content / "papers").rglob("paper-*.md"))[0]
    warned.write_text(
        warned.read_text(encoding="utf-8").replace("\n\n", "\nTrak: Poster\n\n", 1),
        encoding="utf-8",
    )
    edited = sorted((content / "papers").rglob("paper-*.md"))[1]
    _build(tmp_path, content, tmp_path / "first", CONFERENCE_PAPERS_READ_CACHE=True)
    memo_file = tmp_path / "cache" / parse_memo.FILE
    assert memo_file.is_file()

    parsed = []

    @functools.wraps(generator.parse_paper)
    def parse_paper(source, *args):
        parsed.append(source.path)
        return real(source, *args)

    real = generator.parse_paper
    monkeypatch.setattr(generator, "parse_paper", parse_paper)
    as_a_new_process()
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", "utf-8")
    caplog.clear()
    _build(tmp_path, content, tmp_path / "warm", CONFERENCE_PAPERS_READ_CACHE=True)
    assert parsed == [str(edited.relative_to(content).as_posix())]
    unknown = [r.getMessage() for r in caplog.records if "Trak" in r.getMessage()]
    assert len(unknown) == 1 and warned.name in unknown[0]

    as_a_new_process()
    memo_file.write_bytes(b"not a pickle")
    parsed.clear()
    warm = _build(
        tmp_path, content, tmp_path / "damaged", CONFERENCE_PAPERS_READ_CACHE=True
    )
    assert len(parsed) == len(list((content / "papers").rglob("*.md")))
    _assert_same_tree(warm, _build(tmp_path, content, tmp_path / "cold"))
