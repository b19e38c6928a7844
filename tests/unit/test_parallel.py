"""The forked writer and this process share the papers by taking turns: every
page is written once, by one of the two, and neither waits while work is left."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from pelican.plugins.conference_papers.parallel import Turns, in_parallel

fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
)


def _take(turns: Turns, seconds: float, found) -> None:
    for number in turns:
        found.append(number)
        time.sleep(seconds)


@fork
def test_two_processes_take_every_turn_once_and_the_faster_takes_more():
    turns = Turns(200, chunk=4)
    theirs = multiprocessing.get_context("fork").Queue()

    def beside() -> None:
        taken: list[int] = []
        _take(turns, 0.004, taken)  # the slower of the two
        theirs.put(taken)

    process = multiprocessing.get_context("fork").Process(target=beside)
    process.start()
    mine: list[int] = []
    _take(turns, 0.001, mine)
    other = theirs.get(timeout=30)
    process.join(timeout=30)
    assert sorted(mine + other) == list(range(200))
    assert len(mine) > len(other) > 0


def test_alone_a_process_takes_every_turn_in_order():
    taken: list[int] = []
    _take(Turns(10, chunk=3), 0, taken)
    assert taken == list(range(10))


@fork
def test_what_the_forked_process_returns_reaches_this_one():
    """The forked writer sends back the links it left out (generator.py): a
    result larger than a pipe's buffer does not keep it from ending."""
    settings = {"CONFERENCE_PAPERS_PROCESSES": 2}
    here = os.getpid()
    big = frozenset((f"papers/p{i}.md", "{static}/x" * 20) for i in range(2000))

    def work():
        return os.getpid(), big

    pid, result = in_parallel(work, settings, 500).join()
    assert pid != here and result == big
    assert in_parallel(work, {"CONFERENCE_PAPERS_PROCESSES": 1}, 500).join() == (
        here,
        big,
    )


@fork
def test_a_forked_process_that_fails_returns_nothing_and_fails_the_join():
    def work():
        raise ValueError("a template failed")

    forked = in_parallel(work, {"CONFERENCE_PAPERS_PROCESSES": 2}, 500)
    with pytest.raises(RuntimeError, match="forked process failed"):
        forked.join()
