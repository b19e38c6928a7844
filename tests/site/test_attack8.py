"""Attacks on the changes since 462f871 (by a helper who did not write them):
the forked writer writing the conference pages with the feeds and sending back
the links it refused (generator.generate_output, parallel._Forked), the
reading workers' records replayed through Pelican's limit filter
(pelican_hooks.log_again). One process or two, a build must write the same
bytes and fail for the same reasons, saying so once."""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.writers import FileOverwriteFailedError

from pelican.plugins.conference_papers import parallel, reading
from pelican.plugins.conference_papers.base import pelican_hooks
from pelican.plugins.conference_papers.generator import ContentError

from ..conftest import REPO, as_a_new_process
from ..fingerprint import fingerprint
from .test_renew_attack import (  # noqa: F401 (fixtures)
    _check,
    _no_wait,
    _paper,
    _replace,
    _settings,
    lab,
)
from .test_speed_attack import SCRIPT_LINK, _theme_with, add_script_link


def _build(tmp_path: Path, content: Path, name: str, processes: int, **override):
    """A cold build in a new process's state into ``name``: its files."""
    as_a_new_process()
    output = tmp_path / name
    settings = _settings(
        tmp_path,
        content,
        output,
        True,
        CONFERENCE_PAPERS_PROCESSES=processes,
        **override,
    )
    Pelican(settings).run()
    assert multiprocessing.active_children() == []
    return fingerprint(output)


def _empty_conference(content: Path) -> None:
    (content / "conferences" / "empty-2030.md").write_text(
        "Title: Empty\nName: A conference without papers\nDate: 2030-01-02\n\nNone.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("edit", "override"),
    [
        (None, {}),
        (None, {"CONFERENCE_PAPERS_CONFERENCE_FEED_ATOM": ""}),
        (
            None,
            {
                "CONFERENCE_PAPERS_CONFERENCE_FEED_ATOM": "",
                "CONFERENCE_PAPERS_CONFERENCE_FEED_JSON": "",
            },
        ),
        (None, {"CONFERENCE_PAPERS_FEED_MAX_ITEMS": 1}),
        (_empty_conference, {}),
        (None, {"RELATIVE_URLS": True}),
        (None, {"CONFERENCE_PAPERS_CONFERENCE_SAVE_AS": ""}),
    ],
    ids=[
        "default",
        "no-conference-atom",
        "no-conference-feed",
        "max-1",
        "empty",
        "rel",
        "no-conference-page",
    ],
)
def test_one_process_or_two_write_the_same_bytes(tmp_path, lab, edit, override):  # noqa: F811
    """The conference pages and their feeds written by the forked process
    are the bytes one process writes, whatever feeds there are."""
    if edit:
        edit(lab)
    one = _build(tmp_path, lab, "one", 1, **override)
    two = _build(tmp_path, lab, "two", 2, **override)
    assert one == two
    assert any(name.startswith("conferences/") for name in two)


def _title_and_date(content):
    for index in (0, 7):  # one paper of each conference
        _replace(_paper(content, index), "Title: ", "Title: Renamed ")
        text = _paper(content, index).read_text(encoding="utf-8")
        old = next(x for x in text.splitlines() if x.startswith("Date:"))
        _replace(_paper(content, index), old, "Date: 2001-01-01")


def _date_only(content):
    text = _paper(content, 3).read_text(encoding="utf-8")
    old = next(x for x in text.splitlines() if x.startswith("Date:"))
    _replace(_paper(content, 3), old, "Date: 2002-02-02")


def _script_link(content):
    path = _paper(content, 2)
    path.write_text(path.read_text(encoding="utf-8") + SCRIPT_LINK, "utf-8")


def _script_link_gone(content):
    path = _paper(content, 2)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(SCRIPT_LINK, ""), "utf-8")


def test_the_devserver_after_edits_the_feeds_show(tmp_path, lab, caplog):  # noqa: F811
    """The same Pelican object in two processes, after edits of the titles
    and dates that the conference feeds show, writes what one cold build
    writes; a refused link fails it, and the next good build is whole."""
    _check(
        tmp_path,
        lab,
        caplog,
        [_title_and_date, _date_only, _script_link, _script_link_gone],
        **add_script_link(lab),
    )


def _cli(tmp_path: Path, content: Path, name: str, processes: int, *args, **conf):
    """``pelican`` in a new process, as ``make html`` runs it: its return code
    and its log (wide, so that one message is one line)."""
    settings = tmp_path / f"{name}.py"
    lines = [
        f"exec(open({str(REPO / 'pelicanconf.py')!r}).read())",
        f"PATH = {str(content)!r}",
        f"OUTPUT_PATH = {str(tmp_path / name)!r}",
        f"CACHE_PATH = {str(tmp_path / ('cache-' + name))!r}",
        f"THEME = {str(REPO / 'themes' / 'lab')!r}",
        f"CONFERENCE_PAPERS_PROCESSES = {processes}",
        *(f"{key} = {value!r}" for key, value in conf.items()),
    ]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "-s", str(settings), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "1000", "TERM": "dumb"},
    )
    return done.returncode, done.stdout + done.stderr


def _lines(log: str, word: str) -> list[str]:
    """The messages of ``log`` with ``word``, without time and level, sorted."""
    return sorted(
        re.sub(r"^[\s\[\]0-9:]*(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+", "", x).rstrip()
        for x in log.splitlines()
        if word in x
    )


def test_a_refused_link_is_said_as_often_in_two_processes(tmp_path, lab):  # noqa: F811
    """The error for a link the replacement refused, and the build's failure,
    read the same whether one process writes or two."""
    conf = add_script_link(lab, _paper(lab, 0), _paper(lab, 8))
    said = {}
    for processes in (1, 2):
        code, log = _cli(tmp_path, lab, f"out-{processes}", processes, **conf)
        assert code != 0, log
        said[processes] = _lines(log, "left out")
    assert said[1] == said[2]


def _exits_quietly():
    raise SystemExit(0)  # a plugin's code that calls sys.exit() as it renders


def _killed():
    os.kill(os.getpid(), 9)  # the kernel's OOM killer


def _huge():
    return frozenset((f"papers/p{i}.md", "{static}/x" * 50) for i in range(20000))


@pytest.mark.parametrize("work", [_exits_quietly, _killed])
def test_a_forked_writer_that_ends_without_its_result_fails_the_build(work):
    """A forked writer that stopped before it sent what it refused did not
    write everything: the build fails, saying the forked process failed."""
    forked = parallel.in_parallel(work, {"CONFERENCE_PAPERS_PROCESSES": 2}, 500)
    with pytest.raises(RuntimeError, match="forked process failed"):
        forked.join()
    assert multiprocessing.active_children() == []


def test_waiting_for_a_forked_writer_with_a_huge_result_ends():
    """This process failed while the forked one sends a result larger than
    the pipe holds: waiting for it ends (it is read and dropped)."""
    assert len(pickle.dumps(_huge())) > 4 * 65536  # a pipe holds 64 KiB
    forked = parallel.in_parallel(_huge, {"CONFERENCE_PAPERS_PROCESSES": 2}, 500)
    forked.wait()
    assert forked.process.exitcode == 0
    assert multiprocessing.active_children() == []


def test_a_template_that_exits_fails_the_build_clearly(tmp_path, lab):  # noqa: F811
    """A theme's conference page that ends the process (through a plugin's
    Jinja global) as the forked writer renders it: the build fails as for
    any other failure of that process, and the output is not half-written
    and called done."""
    theme = _theme_with(tmp_path, "conference.html", "exit(0)")
    settings = _settings(
        tmp_path,
        lab,
        tmp_path / "output",
        True,
        THEME=str(theme),
        CONFERENCE_PAPERS_PROCESSES=2,
        JINJA_GLOBALS={"exit": sys.exit},
    )
    with pytest.raises(RuntimeError, match="forked process failed"):
        Pelican(settings).run()
    assert multiprocessing.active_children() == []


def _conference(content: Path) -> Path:
    return sorted((content / "conferences").glob("*.md"))[0]


@pytest.mark.parametrize("listening", [False, True])
@pytest.mark.parametrize("processes", [1, 2])
def test_a_link_refused_in_a_conference_body_alone(tmp_path, lab, processes, listening):  # noqa: F811
    """The link only a conference's text holds is rendered on its page
    alone, which the forked writer renders unless a plugin listens for
    written files: counted once either way."""
    conf = add_script_link(lab, _conference(lab))
    written = []

    def listen(path, context):
        written.append(path)

    if listening:
        signals.content_written.connect(listen)
    try:
        with pytest.raises(ContentError, match="conference_papers: 1 link"):
            _build(tmp_path, lab, "output", processes, **conf)
    finally:
        signals.content_written.disconnect(listen)
    assert multiprocessing.active_children() == []
    assert bool(written) is listening


def test_a_plugin_that_listens_sees_every_page_here(tmp_path, lab):  # noqa: F811
    """A receiver of content_written is called, in this process, for every
    conference page and every paper page, though two processes write."""
    here = os.getpid()
    written: list[tuple[int, str]] = []

    def listen(path, context):
        written.append((os.getpid(), os.path.relpath(path, tmp_path / "output")))

    signals.content_written.connect(listen)
    try:
        files = _build(tmp_path, lab, "output", 2)
    finally:
        signals.content_written.disconnect(listen)
    pages = {name for _pid, name in written}
    assert {pid for pid, _name in written} == {here}
    ours = {
        name
        for name in files
        if name.endswith("index.html")
        and name.startswith(("conferences/", "papers/"))
        and name != "conferences/index.html"
    }
    assert len(ours) == 12 + 2
    assert ours <= pages
    # And the feeds, written beside them, are the bytes one process writes.
    assert files == _build(tmp_path, lab, "one", 1)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_folder_in_the_way_of_a_conference_feed(tmp_path, lab, processes):  # noqa: F811
    """A folder where a conference's feed goes: the build fails, whichever
    process writes the feed, with the path in the error; no process is left;
    once the folder is gone the next build writes what a cold build does."""
    output = tmp_path / "output"
    slug = _conference(lab).stem
    blocker = output / "feeds" / "conferences" / f"{slug}.atom.xml"
    blocker.mkdir(parents=True)
    (blocker / "keep").write_text("x", encoding="utf-8")
    as_a_new_process()
    settings = _settings(
        tmp_path, lab, output, True, CONFERENCE_PAPERS_PROCESSES=processes
    )
    with pytest.raises((IsADirectoryError, RuntimeError)) as failed:
        Pelican(settings).run()
    if processes == 1:
        assert f"{slug}.atom.xml" in str(failed.value)
    assert multiprocessing.active_children() == []
    (blocker / "keep").unlink()
    blocker.rmdir()
    as_a_new_process()
    Pelican(
        _settings(tmp_path, lab, output, True, CONFERENCE_PAPERS_PROCESSES=processes)
    ).run()
    assert fingerprint(output) == _build(tmp_path, lab, "cold", 1)


def test_a_refused_link_under_fatal_errors_is_one_traceback(tmp_path, lab):  # noqa: F811
    """``pelican --fatal errors`` and a link refused on a conference page,
    which the forked writer renders: the build fails, and its error is told
    once (Pelican's logger raised again from the forked writer's report of
    it, and multiprocessing printed both tracebacks once more)."""
    conf = add_script_link(lab, _conference(lab))
    for processes in (1, 2):
        code, log = _cli(
            tmp_path, lab, f"out-{processes}", processes, "--fatal", "errors", **conf
        )
        assert code == 1, log
        assert len(_lines(log, "left out: the scheme javascript:")) == 1, log
        assert "During handling of the above exception" not in log, log
        assert "Process ForkProcess" not in log, log
    assert multiprocessing.active_children() == []


def _images_without_alt(content: Path) -> None:
    for paper in sorted((content / "papers").rglob("paper-*.md"))[::2]:
        with paper.open("a", encoding="utf-8") as handle:
            handle.write("\n![](https://example.org/figure.png)\n")


@pytest.mark.parametrize(
    ("args", "conf"),
    [
        (["--fatal", "warnings"], {}),
        ([], {}),
        ([], {"LOG_FILTER": [(30, "Empty alt attribute for image %s in %s")]}),
        ([], {"LOG_FILTER": [(30, "Other images have empty alt attributes")]}),
    ],
    ids=["fatal", "limited", "filtered", "group-filtered"],
)
def test_the_reading_pools_warnings_read_as_one_processs(tmp_path, lab, args, conf):  # noqa: F811
    """Six papers with an image without alt text, read by two workers or by
    this process: the same warnings, limited and filtered by Pelican alike,
    and the same end of the build."""
    _images_without_alt(lab)
    said = {}
    for processes in (1, 2):
        code, log = _cli(tmp_path, lab, f"out-{processes}", processes, *args, **conf)
        said[processes] = (code, _lines(log, "alt attribute"), _lines(log, "error"))
    assert said[1] == said[2]
    assert said[2][0] == (1 if args else 0)
    assert len(said[2][1]) == (0 if conf and "%s" in conf["LOG_FILTER"][0][1] else 5)


def test_a_workers_record_with_a_traceback_and_arguments_is_said_here(tmp_path):
    """A worker's record (its arguments formatted, its traceback as text, as
    reading._Capture keeps them) is said here whole, and a second one alike
    is held back by Pelican's filter without an error."""
    logger = logging.getLogger("conference_papers.test-attack8-again")
    said: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            said.append(self.format(record))

    handler = Keep()
    logger.addHandler(handler)
    try:
        capture = reading._Capture()
        for _ in range(2):
            try:
                raise ValueError("broken")
            except ValueError:
                record = logger.makeRecord(
                    logger.name,
                    logging.WARNING,
                    "x",
                    1,
                    "read %s: %d",
                    ("a.md", 3),
                    sys.exc_info(),
                )
            capture.emit(record)
        for record in pickle.loads(pickle.dumps(capture.records)):
            pelican_hooks.log_again(record)
    finally:
        logger.removeHandler(handler)
    assert len(said) == 1, said
    assert said[0].startswith("read a.md: 3\nTraceback"), said
    assert "ValueError: broken" in said[0]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_conference_page_at_the_lists_path_is_refused(tmp_path, lab, processes):  # noqa: F811
    """A conference whose page is the list of every paper (its slug
    'publications', CONFERENCE_SAVE_AS '{slug}/index.html'): Pelican refuses
    the second write of one path, also when the forked writer wrote the
    conference page (the list overwrote it in silence)."""
    conference = _conference(lab)
    (lab / "papers" / conference.stem).rename(lab / "papers" / "publications")
    conference.rename(conference.with_name("publications.md"))
    with pytest.raises(FileOverwriteFailedError, match=r"publications/index\.html"):
        _build(
            tmp_path,
            lab,
            "output",
            processes,
            CONFERENCE_PAPERS_CONFERENCE_SAVE_AS="{slug}/index.html",
            CONFERENCE_PAPERS_CONFERENCE_URL="{slug}/",
        )
    assert multiprocessing.active_children() == []


def _fds_after_builds_in_a_daemon(queue) -> None:
    settings = {"CONFERENCE_PAPERS_PROCESSES": 2}
    for _ in range(3):  # the first may open what stays open (a lock, a module)
        parallel.in_parallel(frozenset, settings, 500).join()
    before = len(os.listdir("/proc/self/fd"))
    results = [parallel.in_parallel(frozenset, settings, 500).join() for _ in range(50)]
    queue.put((before, len(os.listdir("/proc/self/fd")), results[-1]))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="Linux's /proc")
def test_a_daemon_that_builds_again_and_again_keeps_no_pipe_open():
    """Inside a daemonic process (a pool's worker, which may not fork) the
    work is done here: each build leaves no file descriptor behind."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    daemon = context.Process(target=_fds_after_builds_in_a_daemon, args=(queue,))
    daemon.daemon = True
    daemon.start()
    before, after, result = queue.get(timeout=60)
    daemon.join(timeout=60)
    assert result == frozenset()
    assert after == before


def test_after_a_build_failed_for_a_refused_link_the_next_is_whole(tmp_path, lab):  # noqa: F811
    """``make html`` three times: good, then a link refused on a conference
    page (written by the forked writer, with the link left out), then the
    link removed: the last output is a cold build's, the page rendered again
    though its digest is the first build's."""
    conf = add_script_link(lab)
    first = _build(tmp_path, lab, "output", 2, **conf)
    path = _conference(lab)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + SCRIPT_LINK, "utf-8")
    with pytest.raises(ContentError, match="1 link"):
        _build(tmp_path, lab, "output", 2, **conf)
    path.write_text(text, "utf-8")
    assert _build(tmp_path, lab, "output", 2, **conf) == first
    assert first == _build(tmp_path, lab, "cold", 1, **conf)


@pytest.mark.parametrize(
    "changed",
    [
        {"CONFERENCE_PAPERS_FEED_MAX_ITEMS": 2},
        {"CONFERENCE_PAPERS_CONFERENCE_FEED_JSON": ""},
        {"CONFERENCE_PAPERS_TAG_AUTHORITY": "other.example.org,2020"},
    ],
    ids=["max-items", "no-json", "authority"],
)
def test_a_feed_setting_changed_between_two_builds(tmp_path, lab, changed):  # noqa: F811
    """A setting only the feeds show, changed between two builds into one
    folder (every page's digest holds the settings: all is rendered again,
    the feeds by the forked writer): the output is a cold build's."""
    _build(tmp_path, lab, "output", 2)
    warm = _build(tmp_path, lab, "output", 2, **changed)
    assert warm == _build(tmp_path, lab, "cold", 1, **changed)


def _heard(path, context):
    pass


def _a_plugin_starts_listening(content):
    signals.content_written.connect(_heard)
    _title_and_date(content)


def _and_stops(content):
    signals.content_written.disconnect(_heard)
    _date_only(content)


def test_a_listener_that_comes_and_goes_in_the_devserver(tmp_path, lab, caplog):  # noqa: F811
    """The conference pages move between the processes as a plugin starts
    and stops listening for written files, between two rebuilds of one
    Pelican object: each rebuild writes what a cold build writes."""
    try:
        _check(tmp_path, lab, caplog, [_a_plugin_starts_listening, _and_stops])
    finally:
        signals.content_written.disconnect(_heard)
