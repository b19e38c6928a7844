"""One Pelican object run again and again, as the devserver does, with the read
cache on: the Papers and Conferences of unchanged files are renewed, not
constructed (``model._PluginContent.renew``). After each edit the rebuild must
write what a cold build of the same content writes, and say what it says."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.settings import read_settings
from PIL import Image

from bench.lab import write_lab
from pelican.plugins.conference_papers import model
from pelican.plugins.conference_papers.base import pelican_hooks

from ..conftest import REPO
from ..fingerprint import fingerprint


def _settings(root: Path, content: Path, output: Path, read_cache: bool, **override):
    return read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(root / f"cache-{output.name}"),
            "THEME": str(REPO / "themes" / "lab"),
            "CONFERENCE_PAPERS_READ_CACHE": read_cache,
            "CONFERENCE_PAPERS_PROCESSES": 2 if read_cache else 0,
            **override,
        },
    )


def _said(caplog) -> list[str]:
    said = sorted(
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING
        and "conference_papers" in r.getMessage()
        and "waiting for a change" not in r.getMessage()
    )
    caplog.clear()
    return said


def _run(pelican, caplog) -> list[str]:
    caplog.clear()
    try:
        pelican.run()
    except Exception as error:  # a content error: what it says is compared
        return [*_said(caplog), type(error).__name__]
    return _said(caplog)


def _cold(root: Path, content: Path, caplog, **override):
    output = root / f"cold-{len(list(root.glob('cold-*')))}"
    said = _run(Pelican(_settings(root, content, output, False, **override)), caplog)
    return (fingerprint(output) if output.exists() else {}), said


def _paper(content: Path, index: int = 0) -> Path:
    return sorted((content / "papers").rglob("paper-*.md"))[index]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append_to_abstract(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_wait(monkeypatch):
    """Each edit is made before the run: the devserver's wait after a failed
    build would wait for the next one."""
    monkeypatch.setattr(pelican_hooks, "wait_for_changes", lambda *args: None)


@pytest.fixture
def lab(tmp_path):
    content = write_lab(tmp_path, 12, 2)
    (content / "members").mkdir(exist_ok=True)
    (content / "members" / "wei.md").write_text(
        "Name: Wei Grabinski\n\nA member of the lab.\n", encoding="utf-8"
    )
    return content


def _check(tmp_path, content, caplog, edits, **override):
    """Build once, then after each edit rebuild with the same Pelican object
    and compare with a cold build."""
    output = tmp_path / "output"
    pelican = Pelican(_settings(tmp_path, content, output, True, **override))
    _run(pelican, caplog)
    for edit in edits:
        edit(content)
        warm_said = _run(pelican, caplog)
        warm = fingerprint(output)
        cold, cold_said = _cold(tmp_path, content, caplog, **override)
        assert warm_said == cold_said, edit.__name__
        if "ContentError" not in cold_said:
            # The copy of a removed static file is Pelican's to remove.
            for name in warm.keys() - cold.keys():
                if (content / name).parent.is_dir() and name.startswith("images/"):
                    del warm[name]
            assert warm == cold, edit.__name__


# Each edit leaves the renewed objects' own files alone.


def _filename_link_to_new_paper(content):
    target = _paper(content, 0)
    _append_to_abstract(
        _paper(content, 1),
        f"\nSee [that one]({{filename}}/papers/{target.parent.name}/new-paper.md).\n",
    )


def _add_the_target(content):
    source = _paper(content, 0)
    shutil.copy(source, source.parent / "new-paper.md")
    _replace(source.parent / "new-paper.md", "Title: ", "Title: New ")


def _remove_the_target(content):
    (_paper(content, 0).parent / "new-paper.md").unlink()


def test_a_filename_target_added_and_removed(tmp_path, lab, caplog):
    _check(
        tmp_path,
        lab,
        caplog,
        [_filename_link_to_new_paper, _add_the_target, _remove_the_target],
    )


def _static_link(content):
    _append_to_abstract(_paper(content, 1), "\n![x]({static}/images/x.png)\n")


def _add_static(content):
    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (8, 8), "teal").save(content / "images" / "x.png")


def _remove_static(content):
    (content / "images" / "x.png").unlink()


def test_a_static_target_added_and_removed(tmp_path, lab, caplog):
    _check(tmp_path, lab, caplog, [_static_link, _add_static, _remove_static])


def _conference_slug(content):
    conference = sorted((content / "conferences").glob("*.md"))[0]
    _replace(conference, "Title: ", f"Slug: {conference.stem}\nTitle: ")


def _conference_draft(content):
    conference = sorted((content / "conferences").glob("*.md"))[0]
    _replace(conference, "Title: ", "Status: draft\nTitle: ")


def _conference_undraft(content):
    conference = sorted((content / "conferences").glob("*.md"))[0]
    _replace(conference, "Status: draft\n", "")


def _conference_tracks(content):
    conference = sorted((content / "conferences").glob("*.md"))[0]
    _replace(conference, "Tracks: Full Paper; ", "Tracks: ")


def _conference_removed(content):
    conference = sorted((content / "conferences").glob("*.md"))[0]
    shutil.move(conference, content.parent / "away.md")


def _conference_back(content):
    shutil.move(content.parent / "away.md", content / "conferences" / "away.md")


def test_conference_edits(tmp_path, lab, caplog):
    _check(
        tmp_path,
        lab,
        caplog,
        [
            _conference_slug,
            _conference_draft,
            _conference_undraft,
            _conference_tracks,
            _conference_removed,
            _conference_back,
        ],
    )


def _member_added(content):
    (content / "members" / "amrutha.md").write_text(
        "Name: Amrutha Jung\n\nA member.\n", encoding="utf-8"
    )


def _member_renamed(content):
    (content / "members" / "amrutha.md").rename(content / "members" / "jung.md")


def _member_removed(content):
    (content / "members" / "jung.md").unlink()


def test_member_files(tmp_path, lab, caplog):
    _check(tmp_path, lab, caplog, [_member_added, _member_renamed, _member_removed])


def _paper_moved(content):
    paper = _paper(content, 0)
    folders = sorted(p for p in (content / "papers").iterdir() if p != paper.parent)
    shutil.move(paper, folders[0] / paper.name)


def test_a_paper_moved_to_another_conference(tmp_path, lab, caplog):
    _check(tmp_path, lab, caplog, [_paper_moved])


def _broken(content):
    _replace(_paper(content, 2), "Title: ", "Date: not a date\nTitle: ")


def _fixed(content):
    _replace(_paper(content, 2), "Date: not a date\n", "")


def test_a_failed_build_then_a_fixed_one(tmp_path, lab, caplog):
    _check(tmp_path, lab, caplog, [_broken, _fixed, _broken, _fixed])


def _abstract(content):
    _append_to_abstract(_paper(content, 1), "\nAn edited abstract.\n")


def test_unchanged_files_are_renewed(tmp_path, lab, caplog, monkeypatch):
    """The attacks above reach renewed objects: the second build renews."""
    renewed = []
    renew = model._PluginContent.renew
    monkeypatch.setattr(
        model._PluginContent,
        "renew",
        lambda self, *args: (renewed.append(self), renew(self, *args))[1],
    )
    _check(tmp_path, lab, caplog, [_abstract])
    assert len(renewed) >= 12


def _image(content):
    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), "teal").save(content / "images" / "p.png")


def _image_line(content):
    _replace(_paper(content, 3), "Title: ", "Image: images/p.png\nTitle: ")


def _image_gone(content):
    (content / "images" / "p.png").unlink()


def _image_other_bytes(content):
    Image.new("RGB", (60, 20), "red").save(content / "images" / "p.png")


def test_an_image_added_and_removed(tmp_path, lab, caplog):
    _check(
        tmp_path,
        lab,
        caplog,
        [_image_line, _image, _image_other_bytes, _image_gone, _image],
    )


def test_settings_changed_on_a_new_pelican(tmp_path, lab, caplog):
    output = tmp_path / "output"
    for override in (
        {},
        {"TIMEZONE": "Asia/Tokyo"},
        {"DEFAULT_DATE_FORMAT": "%d %B %Y"},
        {"SITEURL": "https://lab.example.org"},
        {"CONFERENCE_PAPERS_SUMMARY_MAX_CHARS": 150},
        {},
    ):
        said = _run(Pelican(_settings(tmp_path, lab, output, True, **override)), caplog)
        cold, cold_said = _cold(tmp_path, lab, caplog, **override)
        assert said == cold_said, override
        assert fingerprint(output) == cold, override


def test_a_file_edited_twice_with_the_same_size(tmp_path, lab, caplog):
    time.sleep(2.2)  # old enough for its stat to be remembered

    def same_size(word):
        def edit(content):
            paper = _paper(content, 4)
            text = paper.read_text(encoding="utf-8")
            old = text.splitlines()[0]
            stat = paper.stat()
            paper.write_text(
                text.replace(old, "Title: " + word * (len(old) - 7), 1), "utf-8"
            )
            os.utime(paper, ns=(stat.st_atime_ns, stat.st_mtime_ns))

        edit.__name__ = f"same_size_{word}"
        return edit

    _check(tmp_path, lab, caplog, [same_size("a"), same_size("b"), same_size("c")])


def test_a_plugin_listening_to_content_object_init(tmp_path, lab, caplog):
    seen = []

    def listener(content):
        seen.append(content)
        content.marked = len(seen)

    signals.content_object_init.connect(listener)
    try:
        output = tmp_path / "output"
        pelican = Pelican(_settings(tmp_path, lab, output, True))
        _run(pelican, caplog)
        first = len(seen)
        _run(pelican, caplog)
        assert len(seen) == 2 * first >= 2 * 12
    finally:
        signals.content_object_init.disconnect(listener)


def test_a_plugin_that_edits_the_papers_after_the_read(tmp_path, lab, caplog):
    """A plugin may change a paper's fields once the generators have read
    (``all_generators_finalized``): the next build starts from the file."""

    def mark(generators):
        for generator in generators:
            for paper in getattr(generator, "papers", []):
                if hasattr(paper, "conference_slug"):
                    paper.title += " [marked]"

    signals.all_generators_finalized.connect(mark)
    try:
        _check(tmp_path, lab, caplog, [_abstract])
    finally:
        signals.all_generators_finalized.disconnect(mark)
