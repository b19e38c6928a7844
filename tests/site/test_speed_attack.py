"""Attacks on the speed changes since 4a6970b: the stat-keyed stamps of the
read cache, renewed content objects in the devserver, the shortcut past
Pelican's placeholder regex, gc.freeze at the end of a one-off build, the
forked writer, the memoized near-miss warnings and the one-regex IGNORE_FILES.
A warm build must write what a cold build of the same files writes and say
what it says."""

from __future__ import annotations

import fnmatch
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pytest
from pelican import Pelican, signals

from pelican.plugins.conference_papers.base import paths, pelican_hooks
from pelican.plugins.conference_papers.commands import check
from pelican.plugins.conference_papers.generator import ContentError

from ..conftest import REPO, as_a_new_process
from ..fingerprint import fingerprint
from .test_renew_attack import (  # noqa: F401 (fixtures)
    _abstract,
    _check,
    _cold,
    _no_wait,
    _run,
    _settings,
    lab,
)


def test_a_plugin_that_appends_to_a_papers_tags(tmp_path, lab, caplog):  # noqa: F811
    """A plugin that edits a list of a paper in place (``paper.tags.append``)
    after the read: the next build starts from the file, not from the list the
    last build left."""

    def mark(generators):
        for generator in generators:
            for paper in getattr(generator, "papers", []):
                if hasattr(paper, "conference_slug"):
                    paper.tags.append("marked")

    signals.all_generators_finalized.connect(mark)
    try:
        _check(tmp_path, lab, caplog, [_abstract, _abstract])
    finally:
        signals.all_generators_finalized.disconnect(mark)


def _append_marks(generators):
    for generator in generators:
        for paper in getattr(generator, "papers", []):
            if hasattr(paper, "conference_slug"):
                paper.metadata["tags"].append("marked")
                paper.authors.append(paper.authors[0])


def test_a_plugin_that_appends_to_a_papers_lists_across_processes(
    tmp_path,
    lab,  # noqa: F811
    caplog,
):
    """The same edits through ``paper.metadata`` and ``paper.authors``, with a
    build in a new process in between: what the parse memo saved to disk is
    the files', not the lists the plugin grew."""
    signals.all_generators_finalized.connect(_append_marks)
    try:
        output = tmp_path / "output"
        for _ in range(2):
            as_a_new_process()
            _run(Pelican(_settings(tmp_path, lab, output, True)), caplog)
        cold, _said = _cold(tmp_path, lab, caplog)
        assert fingerprint(output) == cold
        _check(tmp_path, lab, caplog, [_abstract])
    finally:
        signals.all_generators_finalized.disconnect(_append_marks)


def test_a_placeholder_written_with_character_references_is_checked(empty_site):
    """``&#123;static&#125;`` is ``{static}`` once the sanitizer decoded it, and
    Pelican replaces it: ``pelican-papers check`` says what is wrong with the
    link as it does for the one written with braces."""
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    (empty_site.content / "images").mkdir()
    (empty_site.content / "images" / "x.png").write_bytes(b"x")
    for name, link in [
        ("braces", "{static}//images/x.png"),
        ("decimal", "&#123;static&#125;//images/x.png"),
        ("named", "&lbrace;static&rbrace;//images/x.png"),
    ]:
        empty_site.write(
            f"papers/neurips-2022/{name}.md",
            f"Title: {name}\nAuthors: Julia Grabinski\nTrack: Full Paper\n\n"
            f"See [it]({link}).\n",
        )
    settings = check.load_settings(
        str(empty_site.root / "pelicanconf.py"), str(empty_site.content)
    )
    said = {
        p.path.rsplit("/", 1)[-1]: p.message
        for p in check.find_problems(settings)
        if "as a host name" in p.message
    }
    assert sorted(said) == ["braces.md", "decimal.md", "named.md"], said


def _theme_with(tmp_path, name: str, error: str) -> Path:
    """The lab's theme with the plugin's ``name`` template failing on ``error``
    (a Jinja condition) and rendering as usual otherwise."""
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "themes" / "lab", theme)
    plugin = REPO / "plugins/pelican/plugins/conference_papers/templates"
    template = (plugin / "conference_papers" / name).read_text(encoding="utf-8")
    failing = "{% block content %}{% if " + error + " %}{{ 1 // 0 }}{% endif %}"
    (theme / "templates" / "conference_papers" / name).write_text(
        template.replace("{% block content %}", failing, 1), encoding="utf-8"
    )
    return theme


@pytest.mark.parametrize("processes", [0, 2])
def test_a_page_that_fails_to_render_fails_the_build(
    tmp_path,
    lab,  # noqa: F811
    processes,
):
    """A paper page that fails to render fails the build whichever process
    renders it, and says why."""
    theme = _theme_with(tmp_path, "paper.html", "paper.slug == 'paper-00003'")
    settings = _settings(
        tmp_path,
        lab,
        tmp_path / "output",
        True,
        THEME=str(theme),
        CONFERENCE_PAPERS_PROCESSES=processes,
    )
    with pytest.raises(Exception) as failed:
        Pelican(settings).run()
    assert "the forked process failed" in str(failed.value) or isinstance(
        failed.value, ZeroDivisionError
    )
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("template", "error"),
    [
        # This process's (the list of every paper): the forked one writing
        # paper pages is waited for.
        ("publications.html", ZeroDivisionError),
        # The forked process's (a conference page, beside its feed).
        ("conference.html", RuntimeError),
    ],
)
def test_a_failed_build_leaves_no_process_writing(
    tmp_path,
    lab,  # noqa: F811
    template,
    error,
):
    """When either process fails, the build fails and the other is stopped or
    waited for: nothing writes into the output folder once the build has
    failed (the devserver's next build would race with it)."""
    theme = _theme_with(tmp_path, template, "true")
    settings = _settings(tmp_path, lab, tmp_path / "output", True, THEME=str(theme))
    with pytest.raises(error):
        Pelican(settings).run()
    assert multiprocessing.active_children() == []


#: A link that only Pelican's replacement makes a script: a static file named
#: 'javascript:alert(1)', its URL joined to an absolute SITEURL
#: (``add_script_link``).
SCRIPT_LINK = "\nSee [it]({static}/javascript:alert(1)).\n"


def add_script_link(content: Path, *files: Path) -> dict:
    """``SCRIPT_LINK`` appended to ``files``, the static file it names put in
    ``content``; the settings of a published build, which turn it into
    'javascript:alert(1)'."""
    for file in files:
        file.write_text(file.read_text(encoding="utf-8") + SCRIPT_LINK, "utf-8")
    (content / "javascript:alert(1)").write_text("x", encoding="utf-8")
    return {
        "STATIC_PATHS": ["images", "javascript:alert(1)"],
        "SITEURL": "https://lab.example.org",
        "RELATIVE_URLS": False,
    }


def test_a_link_the_replacement_makes_a_script_fails_a_build_in_two_processes(
    tmp_path,
    lab,  # noqa: F811
):
    """The forked process writes the conference pages and the feeds, where
    each paper's card is; this one fails the build for a link left out there
    (model._checked_link), counted once whichever processes saw it."""
    # A conference's page: the forked process's.
    conf = add_script_link(lab, _paper(lab, 0), _conference(lab))
    for processes in (2, 1):
        settings = _settings(
            tmp_path,
            lab,
            tmp_path / f"output-{processes}",
            True,
            CONFERENCE_PAPERS_PROCESSES=processes,
            **conf,
        )
        with pytest.raises(ContentError, match="conference_papers: 2 link"):
            Pelican(settings).run()


def _paper(content: Path, index: int) -> Path:
    return sorted((content / "papers").rglob("paper-*.md"))[index]


def _conference(content: Path) -> Path:
    return sorted((content / "conferences").glob("*.md"))[0]


def _papers_without_date(content):
    for index in (0, 1, 2):
        paper = _paper(content, index)
        lines = paper.read_text(encoding="utf-8").splitlines(keepends=True)
        paper.write_text(
            "".join(x for x in lines if not x.startswith("Date:")), encoding="utf-8"
        )


def _conference_date(content):
    conference = _conference(content)
    text = conference.read_text(encoding="utf-8")
    old = next(x for x in text.splitlines() if x.startswith("Date:"))
    conference.write_text(text.replace(old, "Date: 2019-02-03"), encoding="utf-8")


def _conference_track_renamed(content):
    conference = _conference(content)
    text = conference.read_text(encoding="utf-8")
    conference.write_text(text.replace("Short Paper", "Brief Paper"), encoding="utf-8")


def test_a_conference_edited_under_renewed_papers(tmp_path, lab, caplog):  # noqa: F811
    """Papers that take their Date from the conference, and the conference's
    Date and a track then edited: the renewed papers follow."""
    _check(
        tmp_path,
        lab,
        caplog,
        [_papers_without_date, _conference_date, _conference_track_renamed],
    )


def _same_stat_edits(tmp_path):
    """Edits that keep a file's size and mtime, each on a file hashed more
    than ``_RACY_NS`` ago."""

    def same_size(text: str) -> str:
        first = text.splitlines()[0]
        return text.replace(first, "Title: " + "z" * (len(first) - 7), 1)

    def copied_with_its_stat(content):  # cp -p of a file of the same size
        paper = _paper(content, 5)
        other = tmp_path / "other.md"
        other.write_text(same_size(paper.read_text(encoding="utf-8")), "utf-8")
        shutil.copystat(paper, other)
        shutil.copy2(other, paper)

    def renamed_over(content):  # an editor's save: a new file, renamed
        paper = _paper(content, 6)
        stat = paper.stat()
        new = paper.with_suffix(".tmp")
        new.write_text(same_size(paper.read_text(encoding="utf-8")), "utf-8")
        os.utime(new, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(new, paper)

    def link_repointed(content):  # a link to one of two files of one size
        paper = _paper(content, 7)
        (content / "linked").mkdir()
        a, b = content / "linked" / "a.md", content / "linked" / "b.md"
        a.write_text(paper.read_text(encoding="utf-8"), "utf-8")
        b.write_text(same_size(a.read_text(encoding="utf-8")), "utf-8")
        stat = a.stat()
        os.utime(b, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        paper.unlink()
        paper.symlink_to(a)

    def link_target_swapped(content):
        paper = _paper(content, 7)
        time.sleep(2.2)
        paper.unlink()
        paper.symlink_to(content / "linked" / "b.md")

    return [copied_with_its_stat, renamed_over, link_repointed, link_target_swapped]


def test_edits_that_keep_size_and_mtime(tmp_path, lab, caplog):  # noqa: F811
    time.sleep(2.2)  # old enough for their stat to be remembered
    _check(tmp_path, lab, caplog, _same_stat_edits(tmp_path))


@pytest.mark.parametrize(
    ("argv", "once"),
    [
        (["/venv/bin/pelican", "content", "-s", "publishconf.py"], True),
        (["/usr/lib/python3/site-packages/pelican/__main__.py", "content"], True),
        (["/venv/bin/pelican", "content", "-r"], False),
        (["/venv/bin/pelican", "content", "--autoreload"], False),
        (["/venv/bin/pelican", "--listen"], False),
        (["/venv/bin/pelican", "-lr", "content"], False),
        (["/venv/bin/pelican", "--autoreload", "--listen", "--port", "8001"], False),
        (["/venv/bin/pelican-papers", "build"], False),
        (["/venv/bin/pytest", "-x"], False),
        ([], False),
    ],
)
def test_only_a_one_off_pelican_freezes_the_garbage(argv, once):
    """gc.freeze at the end of a build is for a process that ends with it,
    never the devserver's loop (its next build needs the garbage collected)."""
    assert pelican_hooks.builds_once_and_exits(argv) is once


@pytest.mark.parametrize(
    "pattern",
    ["*.swp", ".#*", "[!a-z]*", "a[", "*(1)*", "x|y", "^draft$", "*.MD", "[]]x"],
)
def test_ignore_files_with_special_characters(tmp_path, pattern):
    """IGNORE_FILES in one regex leaves out what fnmatch leaves out, pattern
    by pattern, and nothing else."""
    names = [
        "a.md", "b.swp", ".#c.md", "Zed.md", "1.md", "a[", "p(1).md", "x|y",
        "^draft$", "NOTE.MD", "note.md", "]x", "x",
    ]  # fmt: skip
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, _problems = paths.walk(str(tmp_path), [pattern, "never-*"])
    kept = sorted(n for n in names if not fnmatch.fnmatch(n, pattern))
    assert sorted(files) == kept


def test_a_link_refused_in_a_page_of_the_forked_writer(empty_site):
    """The link that only Pelican's replacement makes a script, on papers whose
    pages the forked writer may render: the build still fails and says so."""
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    for number in range(12):
        empty_site.write(
            f"papers/neurips-2022/p{number}.md",
            f"Title: P{number}\nAuthors: Julia Grabinski\nTrack: Full Paper\n\n"
            + ("See [the file]({static}/javascript:alert(1))." if number > 8 else "x"),
        )
    (empty_site.content / "javascript:alert(1)").write_text("x", encoding="utf-8")
    with pytest.raises(ContentError, match="3 link"):
        empty_site.build(
            "publishconf.py",
            STATIC_PATHS=["images", "javascript:alert(1)"],
            CONFERENCE_PAPERS_PROCESSES=2,
        )
    for number in (9, 10, 11):
        page = empty_site.page(f"papers/neurips-2022/p{number}/")
        assert not page.select_one(".paper-abstract a").has_attr("href")


def _twin(content):
    paper = _paper(content, 8)
    shutil.copy(paper, paper.with_name("twin.md"))


def _twin_edited(content):
    path = _paper(content, 8).with_name("twin.md")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Title: ", "Title: Twin ", 1), "utf-8"
    )


def _dangling(content):
    paper = _paper(content, 9)
    shutil.move(paper, content.parent / "kept.md")
    paper.symlink_to(content.parent / "gone.md")


def _restored(content):
    paper = _paper(content, 9)
    paper.unlink()
    shutil.move(content.parent / "kept.md", paper)


def test_twins_and_a_file_that_cannot_be_read(tmp_path, lab, caplog):  # noqa: F811
    """Two files of the same bytes (one stamp), the twin then edited; a paper
    that became a link to nothing, then restored with its old stat."""
    _check(tmp_path, lab, caplog, [_twin, _twin_edited, _dangling, _restored])


def _two_members_and_a_near_miss(content):
    members = content / "members"
    (members / "a.md").write_text("Slug: one\nName: Ann Lee\n\nA.\n", "utf-8")
    (members / "b.md").write_text("Slug: two\nName: Ann Lea\n\nB.\n", "utf-8")
    paper = _paper(content, 10)
    text = paper.read_text(encoding="utf-8")
    old = next(x for x in text.splitlines() if x.startswith("Authors:"))
    paper.write_text(text.replace(old, old + ", Ann Leb"), encoding="utf-8")


def _member_file_renamed(content):
    members = content / "members"
    (members / "a.md").rename(members / "c.md")


def test_a_near_miss_after_the_members_changed_order(tmp_path, lab, caplog):  # noqa: F811
    """'Ann Leb' is one letter off two members, and the memoized warning names
    one of them: after a member file is renamed (its slug written in it: the
    members are the same) it names the one a cold build names."""
    _check(tmp_path, lab, caplog, [_two_members_and_a_near_miss, _member_file_renamed])
