"""``make html`` keeps nothing for a next build in its process (issue 17, the
peak memory): it writes the read cache and the parse memo right after the
read and lets them go, and keeps no object to renew
(``generator._keep_nothing_for_later``); every build lets the papers'
citation strings go once their files are written. Its site is the
devserver's, byte for byte, and the next ``make html`` starts warm from what
it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.plugins import conference_papers

from pelican.plugins.conference_papers import generator, reading
from pelican.plugins.conference_papers.base import parse_memo

from ..conftest import as_a_new_process
from ..fingerprint import fingerprint
from .test_attack7 import _reshape
from .test_renew_attack import _settings, lab  # noqa: F401 (a fixture)


def _build(tmp_path: Path, content: Path, name: str, processes: int, once: bool):
    """A build into ``name`` (its own cache folder), as ``make html`` when
    ``once``, else as the devserver's first build; the generator."""
    settings = _settings(
        tmp_path,
        content,
        tmp_path / name,
        True,
        CONFERENCE_PAPERS_PROCESSES=processes,
        CONFERENCE_PAPERS_SEARCH=False,
    )
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(generator, "builds_once_and_exits", lambda: once)
        patched.setattr(conference_papers, "builds_once_and_exits", lambda: once)
        Pelican(settings).run()
    return conference_papers._build["generator"]


@pytest.mark.parametrize("processes", [1, 2])
def test_make_html_writes_the_devserver_site_and_the_next_one_starts_warm(
    tmp_path,
    lab,  # noqa: F811
    processes,
):
    """The same pages and files as a build that keeps everything for a next
    one, with a plugin that reshapes the papers after the read (the parse
    memo, written before, must not see it). The cold ``make html`` leaves
    this process nothing of its caches; the next one, in a new process,
    reads no file again and writes the same site."""
    signals.all_generators_finalized.connect(_reshape)
    try:
        as_a_new_process()
        kept = _build(tmp_path, lab, "devserver", processes, once=False)
        assert reading._memory
        assert kept.memo is not None and kept.memo.objects
        assert all(hasattr(paper, "_constructed") for paper in kept.papers)

        as_a_new_process()
        cold = _build(tmp_path, lab, "once", processes, once=True)
        assert not reading._memory and not parse_memo._open and cold.memo is None
        assert not any(hasattr(paper, "_constructed") for paper in cold.papers)
        # The citation strings are let go once the citation files are written.
        cites = cold.context["conference_papers_citations"]._papers.values()
        assert len(cites) == len(cold.papers)
        assert not any("csl_line" in vars(c) or "bibtex" in vars(c) for c in cites)
        assert fingerprint(tmp_path / "once") == fingerprint(tmp_path / "devserver")

        as_a_new_process()
        warm = _build(tmp_path, lab, "once", processes, once=True)
        assert warm.read_again == set()  # every file from the read cache
        assert warm.states.skipped >= len(warm.papers)  # no page rendered again
        assert fingerprint(tmp_path / "once") == fingerprint(tmp_path / "devserver")
    finally:
        signals.all_generators_finalized.disconnect(_reshape)
