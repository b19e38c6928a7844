"""Attacks on the changes since fd94db8 (by a helper who did not write them):
the build and the forked writer taking turns at the papers with their own
citation files (generator._plan, parallel.Turns), the filter bar rendered
once (listing.FilterBar), gc.freeze in a build that exits, the renewed
papers' own containers. Each build must write what a cold build in one
process writes, and say what is wrong."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.plugins import conference_papers

from pelican.plugins.conference_papers.generator import ContentError

from ..conftest import REPO, as_a_new_process, copy_site
from ..fingerprint import fingerprint
from .test_list import ours_and_a_themes_copy, write_lab
from .test_renew_attack import (  # noqa: F401 (fixtures)
    _check,
    _no_wait,
    _paper,
    _replace,
    _settings,
    lab,
)


def _build(tmp_path: Path, content: Path, name: str, processes: int, caplog, **over):
    """A build in a new process's state into ``name``: its files, and the
    errors and the summary line it logged."""
    as_a_new_process()
    output = tmp_path / name
    caplog.clear()
    settings = _settings(
        tmp_path,
        content,
        output,
        True,
        CONFERENCE_PAPERS_PROCESSES=processes,
        CONFERENCE_PAPERS_SEARCH=False,
        **over,
    )
    with caplog.at_level(logging.INFO):
        Pelican(settings).run()
    said = [r.getMessage() for r in caplog.records]
    return output, said


def _errors(said: list[str]) -> list[str]:
    return [m for m in said if "not writing" in m or "same" in m]


def _count() -> int:
    """The citation files the build's summary counts."""
    return conference_papers._build["generator"].citation_files


def _on_disk(output: Path) -> int:
    return len([p for p in output.rglob("*") if p.name.endswith((".bib", ".csl.json"))])


def test_a_citation_file_outside_the_output_folder_is_refused_in_every_build(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """A paper's .bib whose path leaves the output folder is refused with an
    error in each build, not only the first: the warm build found the state
    of a file never written "unchanged" (no file then, none now), said
    nothing and counted 12 files in its summary that are not there."""
    over = {
        "CONFERENCE_PAPERS_PAPER_BIB_SAVE_AS": "../{slug}.bib",
        "CONFERENCE_PAPERS_LAB_CSL_SAVE_AS": "",
    }
    for build in ("cold", "warm"):
        output, said = _build(tmp_path, lab, "out", 2, caplog, **over)
        refused = [m for m in said if "leaves the output folder" in m]
        assert len(refused) == 12, build
        assert _count() == _on_disk(output) == 17, build
    assert not list(tmp_path.glob("*.bib"))


def _twins(content: Path) -> None:
    """A paper of the same file name (so slug) in the other conference, of
    another year (so elsewhere in the order of the papers)."""
    for path in sorted((content / "papers" / "icml-2024").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        twin = content / "papers" / "neurips-2024" / path.name
        twin.write_text(
            text.replace("Title: ", "Title: Twin ").replace("Date: 2024", "Date: 2020"),
            encoding="utf-8",
        )


def test_two_papers_whose_citation_files_have_one_path(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """PAPER_BIB_SAVE_AS without {conference}: two papers of one slug would
    write one .bib, each process writing whichever paper it took last (its
    bytes up to the race of the two). It is said, the last paper's file is
    written (as one process wrote them in order), whatever the processes,
    and the summary counts the files on disk."""
    _twins(lab)
    over = {"CONFERENCE_PAPERS_PAPER_BIB_SAVE_AS": "bib/{slug}.bib"}
    outputs = []
    for processes in (1, 2):
        output, said = _build(
            tmp_path, lab, f"out-{processes}", processes, caplog, **over
        )
        both = [m for m in said if "citation file of both" in m]
        assert len(both) == 6, said
        assert sum("bib/paper-00001.bib is" in m for m in both) == 1
        assert sum("neurips-2024/paper-00001.md" in m for m in both) == 1
        assert _count() == _on_disk(output) == 36
        outputs.append(fingerprint(output))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "case",
    [
        # A paper's own file, in two processes: whichever takes the paper's
        # turn fails (the forked one usually, the other when the fork is
        # slow to start, as on a loaded machine).
        (
            "papers/icml-2024/paper-00001/paper-00001.bib",
            2,
            (RuntimeError, IsADirectoryError),
        ),
        ("papers/icml-2024/paper-00001/paper-00001.bib", 1, IsADirectoryError),
        # A conference's file: always this process's.
        ("conferences/icml-2024/icml-2024.bib", 2, IsADirectoryError),
    ],
)
def test_a_folder_where_a_citation_file_goes(
    tmp_path,
    lab,  # noqa: F811
    caplog,
    case,
):
    """A folder in the way of a .bib fails the build in whichever process
    writes it (the forked one logs the path, then this one says it failed);
    with the folder gone the next build writes what a cold one does."""
    where, processes, error = case
    output = tmp_path / "out"
    (output / where).mkdir(parents=True)
    with pytest.raises(error) as raised:
        _build(tmp_path, lab, "out", processes, caplog)
    if isinstance(raised.value, IsADirectoryError):
        assert raised.value.filename == str(output / where)
    (output / where).rmdir()
    _build(tmp_path, lab, "out", processes, caplog)
    assert _count() == _on_disk(output)
    warm = fingerprint(output)
    _build(tmp_path, lab, "cold", 1, caplog)
    assert warm == fingerprint(tmp_path / "cold")


def _watch(sender, **_signal):
    _watched.append(sender)


_watched: list[str] = []


def test_every_number_of_processes_writes_the_same_files(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """PROCESSES 0, 1 and 2 (and 2 with a plugin listening for written files,
    which keeps every page in this process) write the same bytes, citation
    files of settings of "" left out, and count the files on disk."""
    over = {
        "CONFERENCE_PAPERS_PAPER_CSL_SAVE_AS": "",
        "CONFERENCE_PAPERS_CONFERENCE_BIB_SAVE_AS": "",
    }
    prints = []
    for processes in (0, 1, 2):
        output, _said = _build(
            tmp_path, lab, f"out-{processes}", processes, caplog, **over
        )
        assert _count() == _on_disk(output) == 12 + 2 + 2
        prints.append(fingerprint(output))
    signals.content_written.connect(_watch)
    try:
        output, _said = _build(tmp_path, lab, "out-watched", 2, caplog, **over)
    finally:
        signals.content_written.disconnect(_watch)
    prints.append(fingerprint(output))
    assert all(p == prints[0] for p in prints)
    papers = {str(p) for p in output.glob("papers/*/*/index.html")}
    assert len(papers) == 12
    assert papers <= set(_watched)


def _retitle(content: Path) -> None:
    _replace(_paper(content, 3), "Title: ", "Title: Retitled ")


def _reslug(content: Path) -> None:
    _replace(_paper(content, 3), "Title: ", "Slug: renamed\nTitle: ")


def _slug_back(content: Path) -> None:
    _replace(_paper(content, 3), "Slug: renamed\n", "")


@pytest.mark.parametrize(
    "over",
    [
        {
            "CONFERENCE_PAPERS_PAPER_CSL_SAVE_AS": "",
            "CONFERENCE_PAPERS_LIST_SAVE_AS": "",
        },
    ],
)
def test_an_edited_paper_and_its_citation_files(
    tmp_path,
    lab,  # noqa: F811
    caplog,
    over,
):
    """The devserver writes the edited paper's page before the fork; its
    citation files (and its conference's, and the lab's) follow in the
    turns, those of its old slug removed: each rebuild writes what a cold
    build does."""
    _check(tmp_path, lab, caplog, [_reslug, _retitle, _slug_back], **over)
    bib = next((tmp_path / "output").rglob(f"{_paper(lab, 3).stem}.bib"))
    assert "Retitled" in bib.read_text(encoding="utf-8")


#: The facets of more than one value in test_the_filter_bar_of_values_that_escape.
FOLDED = ("year", "member", "tag", "conference")

TAGS = "ai; ai-safety; R&D; a\"b; <x>; Ünïcode; 中文; with space; it's; a & b; x>y; a<b"


@pytest.mark.parametrize(
    "over",
    [
        {"SLUG_REGEX_SUBSTITUTIONS": []},
        {
            "SLUG_REGEX_SUBSTITUTIONS": [],
            "RELATIVE_URLS": False,
            "SITEURL": "https://example.org/l'ab&x",
        },
        {
            "CONFERENCE_PAPERS_LIST_FILTER_URL": "pubs/{facet}-{value}.html",
            "CONFERENCE_PAPERS_LIST_FILTER_SAVE_AS": "pubs/{facet}-{value}.html",
            "CONFERENCE_PAPERS_LIST_FACET_FOLD": 1,  # every facet but Kind folded
        },
    ],
)
def test_the_filter_bar_of_values_that_escape(tmp_path, over):
    """Tags and names with quotes, &, <, spaces and letters beyond ASCII (kept
    in their slugs without SLUG_REGEX_SUBSTITUTIONS), a tag the start of
    another ("ai", "ai-safety"), absolute SITEURLs that escape() changes or
    not, filter pages of another pattern: the bar rendered once and marked
    is, on every page, the bar a theme's copy renders on each, and marks one
    link (its facet open when folded: the tags' is, 15 > 12)."""
    site = copy_site(tmp_path / "site")
    write_lab(site)
    site.write(
        "papers/notes-2019/special.md",
        "Title: Special\nAuthors: Ada Lovelace, Kim O'Neill, Zoë Ng-Ñ\n"
        f"Date: 2019-01-01\nTags: {TAGS}\n\nText.\n",
    )
    over = {
        **over,
        "CONFERENCE_PAPERS_SEARCH": False,
        "CONFERENCE_PAPERS_MEMBERS": ["Ada Lovelace", "Kim O'Neill", "Zoë Ng-Ñ"],
    }
    ours, themed = ours_and_a_themes_copy(site, tmp_path, over)
    pages = [
        p.relative_to(ours)
        for p in ours.rglob("*.html")
        if p.relative_to(ours).parts[0] in ("publications", "pubs")
    ]
    assert len(pages) > 20
    folded = {"tag"} if "CONFERENCE_PAPERS_LIST_FACET_FOLD" not in over else set(FOLDED)
    for page in pages:
        text = (ours / page).read_text(encoding="utf-8")
        assert text.count('aria-current="page"') == 1, page
        facet = page.parts[1] if page.parts[0] == "publications" else page.name
        facet = facet.split("-")[0] if page != Path("publications/index.html") else ""
        assert text.count('" open>') == (facet in folded), page
        assert (themed / page).read_text(encoding="utf-8") == text, page


def test_a_frozen_build_writes_what_an_unfrozen_one_does(
    tmp_path,
    lab,  # noqa: F811
    caplog,
    monkeypatch,
):
    """``make html`` freezes the content from the end of the read
    (``freeze_the_content``): its pages and files are those of a build that
    froze nothing, in two processes or one; a devserver's build (this test
    runner's command line) freezes nothing."""
    prints = []
    for processes in (1, 2):
        with monkeypatch.context() as patched:
            patched.setattr(conference_papers, "builds_once_and_exits", lambda: True)
            output, _said = _build(
                tmp_path, lab, f"frozen-{processes}", processes, caplog
            )
            assert gc.get_freeze_count() > 0
        gc.unfreeze()
        prints.append(fingerprint(output))
        output, _said = _build(tmp_path, lab, f"thawed-{processes}", processes, caplog)
        assert gc.get_freeze_count() == 0
        assert fingerprint(output) == prints[-1]
    assert prints[0] == prints[1]


def _reshape(generators):
    """A plugin that, after the read, gives papers a list of its own (grown
    if there), turns a text field into a list and grows the lists nested in
    their metadata."""
    for generator in generators:
        for paper in getattr(generator, "papers", []):
            if not hasattr(paper, "conference_slug"):
                continue
            if not hasattr(paper, "marks"):
                paper.marks = []
            paper.marks.append("m")
            paper.venue = [paper.venue, "again"]
            paper.metadata["authors"].append(paper.authors[0])
            paper.metadata.setdefault("extra", {}).setdefault("k", []).append(1)
            paper.tags.extend([*paper.marks, str(len(paper.metadata["extra"]["k"]))])


def test_a_plugin_that_reshapes_papers_after_the_read(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """Renewed papers copy only the attributes that held containers when
    constructed: a list attribute a plugin adds, a text field it makes a
    list, the lists nested in the metadata it grows are this build's only;
    each devserver rebuild writes what a cold build does."""
    signals.all_generators_finalized.connect(_reshape)
    try:
        _check(tmp_path, lab, caplog, [_retitle, _reslug])
    finally:
        signals.all_generators_finalized.disconnect(_reshape)
    tags = (tmp_path / "output" / "publications" / "tag").iterdir()
    assert {"m", "1"} <= {p.name for p in tags}


def test_a_theme_with_its_own_list_page_and_our_filter_bar(tmp_path):
    """A theme's publications.html (here: ours with a line more) calls our
    filter bar, rendered once: each page's bar is the one of the plugin's
    list page."""
    site = copy_site(tmp_path / "site")
    write_lab(site)
    ours, themed = tmp_path / "ours", tmp_path / "themed"
    site.build(CONFERENCE_PAPERS_SEARCH=False, OUTPUT_PATH=str(ours))
    own = REPO / "plugins/pelican/plugins/conference_papers/templates"
    page = (own / "conference_papers/publications.html").read_text(encoding="utf-8")
    assert "{{ list_filters() }}" in page
    theirs = site.root / "themes/lab/templates/conference_papers/publications.html"
    theirs.write_text(
        page.replace("{{ list_filters() }}", "<p>Ours</p>{{ list_filters() }}"),
        encoding="utf-8",
    )
    site.build(CONFERENCE_PAPERS_SEARCH=False, OUTPUT_PATH=str(themed))
    pages = [p.relative_to(ours) for p in (ours / "publications").rglob("*.html")]
    assert len(pages) > 8
    for path in pages:
        mine = (ours / path).read_text(encoding="utf-8")
        start = mine.index('<nav class="paper-filters"')
        bar = mine[start : mine.index("</nav>", start)]
        text = (themed / path).read_text(encoding="utf-8")
        assert f"<p>Ours</p>{bar}</nav>" in text, path


@pytest.mark.parametrize("processes", [1, 2])
def test_two_papers_whose_pages_have_one_path(
    tmp_path,
    lab,  # noqa: F811
    caplog,
    processes,
):
    """PAPER_SAVE_AS without {conference} and a slug in two conferences: two
    pages at one path. Pelican's writer refuses the second only when one
    process writes both; the two processes' turns at the papers made it a
    race (one build of four wrote either page without a word). Said before
    anything is written, whatever the processes."""
    _twins(lab)
    over = {
        "CONFERENCE_PAPERS_PAPER_SAVE_AS": "p/{slug}/index.html",
        "CONFERENCE_PAPERS_PAPER_URL": "p/{slug}/",
        "CONFERENCE_PAPERS_LIST_SAVE_AS": "",
    }
    with pytest.raises(ContentError):
        _build(tmp_path, lab, "out", processes, caplog, **over)
    said = [m for m in (r.getMessage() for r in caplog.records) if "page 'p/" in m]
    assert len(said) == 6
    assert "neurips-2024/paper-00001.md" in next(m for m in said if "00001/" in m)
    # The default pattern, or Slug: lines, give the twins pages of their own.
    del over["CONFERENCE_PAPERS_PAPER_SAVE_AS"], over["CONFERENCE_PAPERS_PAPER_URL"]
    _build(tmp_path, lab, "out", processes, caplog, **over)


def test_a_refused_citation_file_where_a_file_of_the_lab_is(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """The lab's .bib set to a path outside the output folder where a file of
    the lab's own is: refused in each build (the second found the state of
    the file it never wrote "in place", that file being there), the file
    left as it is."""
    theirs = tmp_path / "lab.bib"
    theirs.write_text("the lab's own", encoding="utf-8")
    over = {"CONFERENCE_PAPERS_LAB_BIB_SAVE_AS": "../lab.bib"}
    for build in ("cold", "warm"):
        output, said = _build(tmp_path, lab, "out", 2, caplog, **over)
        assert [m for m in said if "leaves the output folder" in m], build
        assert _count() == _on_disk(output) == 12 * 2 + 2 * 2 + 1, build
    assert theirs.read_text(encoding="utf-8") == "the lab's own"
