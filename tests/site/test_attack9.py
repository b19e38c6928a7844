"""Attacks on the changes since ccdf0bb (by a helper who did not write them):
the collection of reference cycles paused while a one-off build reads
(generator._no_cycle_collection), the forked writer stopping the shared turns
when it fails, the pages of the forked writer told to this process's writer
(pelican_hooks.written_in_another_process), the bench's trash folder. One process or
two, a build must fail for the same reasons and leave the process as it was."""

from __future__ import annotations

import gc
import multiprocessing
import os
import time

import pytest
from pelican import Pelican, signals
from pelican.writers import FileOverwriteFailedError

from bench import builds
from bench.lab import write_lab
from pelican.plugins.conference_papers import generator, parallel

from .test_attack8 import _build
from .test_renew_attack import (  # noqa: F401 (fixtures)
    _no_wait,
    _paper,
    _settings,
    lab,
)
from .test_speed_attack import _theme_with


def _paper_named(content, name: str) -> None:
    paper = _paper(content, 0)
    paper.rename(paper.with_name(f"{name}.md"))


@pytest.mark.parametrize("processes", [1, 2])
def test_a_paper_page_at_the_lists_path_is_refused(tmp_path, lab, processes):  # noqa: F811
    """A paper whose page is the list of every paper (its file
    'publications.md', PAPER_SAVE_AS '{slug}/index.html'): refused as with one
    process also when the forked writer took that paper's turn."""
    _paper_named(lab, "publications")
    with pytest.raises(FileOverwriteFailedError, match=r"publications/index\.html"):
        _build(
            tmp_path,
            lab,
            "output",
            processes,
            CONFERENCE_PAPERS_PAPER_SAVE_AS="{slug}/index.html",
            CONFERENCE_PAPERS_PAPER_URL="{slug}/",
        )
    assert multiprocessing.active_children() == []


@pytest.fixture
def one_off(monkeypatch):
    """The build as ``make html`` runs it (the collector paused while reading)."""
    monkeypatch.setattr(generator, "builds_once_and_exits", lambda: True)
    yield
    gc.enable()  # whatever a failed test left


def _one_off_build(tmp_path, lab, listener):  # noqa: F811
    signals.content_object_init.connect(listener)
    try:
        Pelican(
            _settings(tmp_path, lab, tmp_path / "output", False, **ONE_PROCESS)
        ).run()
    finally:
        signals.content_object_init.disconnect(listener)


ONE_PROCESS = {"CONFERENCE_PAPERS_PROCESSES": 1}


def test_a_read_that_raises_leaves_the_collector_on(tmp_path, lab, one_off):  # noqa: F811
    """Reading stopped by what no file's error catches (Ctrl-C, here from a
    ``content_object_init`` listener): the process collects cycles again (a
    test runner, a program that calls Pelican again)."""
    seen = []

    def broken(content):
        seen.append(gc.isenabled())
        if hasattr(content, "conference_slug"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _one_off_build(tmp_path, lab, broken)
    assert seen and not any(seen)  # it was paused
    assert gc.isenabled()


def test_a_plugin_that_collects_while_reading(tmp_path, lab, one_off):  # noqa: F811
    """A plugin that runs ``gc.collect()`` as each paper is read: the build
    is whole and the collector is on after it."""

    def meddling(content):
        if hasattr(content, "conference_slug"):
            gc.collect()

    _one_off_build(tmp_path, lab, meddling)
    assert (tmp_path / "output" / "publications" / "index.html").is_file()
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(tmp_path, lab, one_off):  # noqa: F811
    """A program that turned the collector off before building: still off."""
    gc.disable()
    _one_off_build(tmp_path, lab, lambda content: None)
    assert not gc.isenabled()


def test_a_forked_writer_that_fails_stops_the_paper_pages_here(
    tmp_path,
    lab,  # noqa: F811
    monkeypatch,
):
    """The forked writer fails on its first conference page while this
    process still writes the lists: this process then writes no paper page
    (it takes its first turn once the other has failed) and the build fails
    saying so."""
    here = os.getpid()
    iterate = parallel.Turns.__iter__

    def late(turns):
        if os.getpid() == here:
            time.sleep(1)  # the forked writer has failed by now
        yield from iterate(turns)

    monkeypatch.setattr(parallel.Turns, "__iter__", late)
    theme = _theme_with(tmp_path, "conference.html", "true")
    output = tmp_path / "output"
    settings = _settings(tmp_path, lab, output, True, THEME=str(theme))
    with pytest.raises(RuntimeError, match="the forked process failed"):
        Pelican(settings).run()
    assert (output / "publications" / "index.html").is_file()  # written before
    assert not list((output / "papers").rglob("index.html"))
    assert multiprocessing.active_children() == []


def _conference_publications(content) -> None:
    conference = sorted((content / "conferences").glob("*.md"))[0]
    (content / "papers" / conference.stem).rename(content / "papers" / "publications")
    conference.rename(conference.with_name("publications.md"))


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize(
    "save_as", ["./{slug}/index.html", "{slug}//index.html", "x/../{slug}/index.html"]
)
def test_a_conference_page_at_the_lists_path_spelled_otherwise(
    tmp_path,
    lab,  # noqa: F811
    processes,
    save_as,
):
    """The conference 'publications' at the list's path, its CONFERENCE_SAVE_AS
    spelled with './', '//' or '..': refused as the plain spelling is."""
    _conference_publications(lab)
    with pytest.raises(FileOverwriteFailedError, match=r"publications/index\.html"):
        _build(
            tmp_path,
            lab,
            "output",
            processes,
            CONFERENCE_PAPERS_CONFERENCE_SAVE_AS=save_as,
            CONFERENCE_PAPERS_CONFERENCE_URL="{slug}/",
        )
    assert multiprocessing.active_children() == []


def _failure(tmp_path, lab, processes, **override):  # noqa: F811
    try:
        _build(tmp_path, lab, f"output-{processes}", processes, **override)
    except Exception as error:  # what the user is told is compared
        return type(error)
    return None


def test_a_conference_page_outside_the_output_folder(tmp_path, lab):  # noqa: F811
    """A CONFERENCE_SAVE_AS that leaves the output folder: one process or two,
    the build fails (with two, the forked writer's error is logged above
    the one raised here), and nothing is written beside the output folder."""
    override = {
        "CONFERENCE_PAPERS_CONFERENCE_SAVE_AS": "../{slug}.html",
        "CONFERENCE_PAPERS_CONFERENCE_URL": "{slug}.html",
    }
    one = _failure(tmp_path, lab, 1, **override)
    assert one is not None
    assert _failure(tmp_path, lab, 2, **override) == one
    assert not list(tmp_path.glob("*.html"))


def test_a_kept_folder_with_odd_characters_built_twice(tmp_path):
    """``--keep`` a folder whose name has a space, '%', '{}', a quote and
    non-ASCII letters, built twice: each build's earlier folders go to the
    trash beside the lab (no two under one name), the build itself is whole."""
    root = tmp_path / "kept 100% {slug} l'été" / "lab-30"
    content = write_lab(root, 6, 1)
    for _ in range(2):
        builds.set_aside(root / "content")
        content = write_lab(root, 6, 1)
        builds.cold_and_warm("ours", root, content, 6)
    trash = sorted(p.name for p in (root.parent / builds.TRASH).iterdir())
    assert [name.rsplit("-", 1)[0] for name in trash] == [
        "lab-30-cache-ours",
        "lab-30-content",
        "lab-30-content",
        "lab-30-output-ours",
    ]
    assert (root / "output-ours" / "index.html").is_file()
