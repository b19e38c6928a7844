"""Work across both cores where it pays: how many processes, and a forked
process that writes files while the build goes on, both taking their turns at
a shared list of work.

Only with many papers (a pool or a fork costs more than it saves on a few) and
where ``fork`` exists; the results are the same bytes as the serial path (the
tests compare both)."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os

from .settings import setting

logger = logging.getLogger(__name__)

#: Fewer papers than this are handled in this process alone.
MIN_FILES_FOR_PROCESSES = 200


def processes_for(settings, files: int) -> int:
    """How many processes share work on ``files`` files: 1 means this one alone."""
    wanted = setting(settings, "PROCESSES")
    if wanted == 0:
        if files < MIN_FILES_FOR_PROCESSES:
            return 1
        wanted = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # workers inherit the build by fork; elsewhere all is done here
    return max(1, min(wanted, files))


class _Done:
    """``work`` done here: its result, at once."""

    def __init__(self, result):
        self.result = result

    def join(self):
        return self.result

    def wait(self) -> None:
        pass


#: What ``_Forked.join`` received when the forked process sent nothing.
_NOTHING = object()


class _Forked:
    """A forked process doing ``work``; ``join`` waits, raises if it failed,
    and gives what ``work`` returned (sent back pickled: keep it small)."""

    def __init__(self, work):
        context = multiprocessing.get_context("fork")
        self._result, sender = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_run_forked, args=(work, sender), daemon=False
        )
        self.process.start()
        sender.close()  # the child's end: a child that dies leaves EOF here

    def join(self):
        # Received before the join: a result larger than the pipe's buffer
        # would keep the child from ending.
        try:
            result = self._result.recv()
        except EOFError:
            result = _NOTHING
        self.process.join()
        if self.process.exitcode != 0:
            raise RuntimeError(
                "conference_papers: the forked process failed (the error is above)"
            )
        if result is _NOTHING:
            # It ended well but sent nothing: ``work`` was cut short by a
            # SystemExit(0) (a plugin's sys.exit() as a template rendered),
            # which ``_run_forked`` does not catch. Its part is not written;
            # the build gave "NoneType | frozenset" for it.
            raise RuntimeError(
                "conference_papers: the forked process failed (it ended before "
                "its work was done)"
            )
        return result

    def wait(self) -> None:
        """Wait for the end, whatever it was (the build failed already)."""
        with contextlib.suppress(EOFError, OSError):
            self._result.recv()
        self.process.join()


def _run_forked(work, sender) -> None:
    try:
        sender.send(work())
    except Exception:
        # Under ``pelican --fatal`` Pelican's logger raises RuntimeError from
        # this very call, once it has said it: multiprocessing then printed
        # both tracebacks again, "During handling of the above exception".
        with contextlib.suppress(RuntimeError):
            logger.exception("conference_papers: writing beside the pages failed")
        raise SystemExit(1) from None


class _Counter:
    """A ``multiprocessing.Value`` for one process."""

    value = 0

    def get_lock(self):
        return contextlib.nullcontext()


class Turns:
    """The indexes ``0 … count - 1``, each taken by one process: made before
    the fork, iterated by this process and the forked one alike, each taking
    the next ``chunk`` when it is free. Neither waits for the other while
    work is left, whatever each had to do first (the number of feeds or of
    lists grows with the lab differently from the number of papers)."""

    def __init__(self, count: int, chunk: int = 8):
        self.count = count
        self.chunk = chunk
        try:
            self._next = multiprocessing.get_context("fork").Value("q", 0)
        except ValueError:  # no fork here: this process takes every turn
            self._next = _Counter()

    def stop(self) -> None:
        """No more turns for either process (the build failed)."""
        with self._next.get_lock():
            self._next.value = self.count

    def __iter__(self):
        while True:
            with self._next.get_lock():
                start = self._next.value
                self._next.value = start + self.chunk
            if start >= self.count:
                return
            yield from range(start, min(start + self.chunk, self.count))


def in_parallel(work, settings, papers: int):
    """Run ``work`` in a forked process when ``papers`` is many (as for reading),
    else here and now; ``join()`` gives its result, before the build ends."""
    if processes_for(settings, papers) > 1:
        try:
            return _Forked(work)
        except (OSError, AssertionError, ValueError) as error:  # e.g. a daemon
            logger.debug("conference_papers: writing in one process (%s)", error)
    return _Done(work())
