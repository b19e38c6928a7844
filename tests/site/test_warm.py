"""A rebuild into the same output folder writes what a cold build writes, byte
for byte, and leaves alone every file whose bytes did not change (its mtime
too): after nothing changed, after an edit of one paper."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from bench.lab import write_lab

from ..conftest import REPO
from ..fingerprint import fingerprint


def _build(
    root: Path,
    content: Path,
    output: Path,
    theme: Path | None = None,
    read_cache: bool = False,
    **override,
) -> Path:
    settings = read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(root / f"cache-{output.name}"),
            "THEME": str(theme or REPO / "themes" / "lab"),
            "CONFERENCE_PAPERS_READ_CACHE": read_cache,
            # As the devserver at 200 papers or more: a forked process writes
            # half the paper pages (their states are kept by this one).
            "CONFERENCE_PAPERS_PROCESSES": 2 if read_cache else 0,
            **override,
        },
    )
    Pelican(settings).run()
    return output


def _states(states: Path, output: Path) -> dict[str, str]:
    """The digest of each page the last build into ``output`` recorded."""
    roots = json.loads(states.read_text(encoding="utf-8"))[1]
    return {page: state[0] for page, state in roots[str(output)].items()}


def _mtimes(output: Path) -> dict[str, int]:
    return {
        path.relative_to(output).as_posix(): path.stat().st_mtime_ns
        for path in output.rglob("*")
        if path.is_file()
    }


def test_warm_and_edited_rebuilds_write_the_bytes_of_a_cold_build(tmp_path, caplog):
    content = write_lab(tmp_path, 30, 3)
    output = tmp_path / "output"
    cold = fingerprint(_build(tmp_path, content, output))
    assert "pagefind/pagefind-entry.json" in cold
    before = _mtimes(output)

    # Nothing changed: the same bytes, no page of ours rendered again, and no
    # page or index file written again (the theme's static files are Pelican's).
    with caplog.at_level(logging.INFO):
        assert fingerprint(_build(tmp_path, content, output)) == cold
    said = [
        r.getMessage() for r in caplog.records if "rendered again" in r.getMessage()
    ]
    states = tmp_path / "cache-output" / "conference_papers-pages.json"
    digests = _states(states, output).values()
    pages = sum(1 for digest in digests if digest)  # citation files have none
    assert pages > 30  # every paper page and more
    assert said == [
        f"conference_papers: {pages} page(s) not rendered again "
        "(nothing they read changed)"
    ]
    kept = _mtimes(output)
    ours = [name for name in before if not name.startswith("theme/")]
    assert [name for name in ours if kept[name] != before[name]] == []

    # One paper edited: the bytes of a cold build of the edited content.
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    text = paper.read_text(encoding="utf-8")
    title = text.splitlines()[0].removeprefix("Title: ")
    paper.write_text(text.replace(title, "An Edited Title", 1), encoding="utf-8")
    edited = fingerprint(_build(tmp_path, content, output))
    assert edited == fingerprint(_build(tmp_path, content, tmp_path / "fresh"))
    page = f"papers/{paper.parent.name}/{paper.stem}/index.html"
    assert "An Edited Title" in (output / page).read_text(encoding="utf-8")
    after = _mtimes(output)
    rewritten = {name for name in ours if after.get(name) != kept[name]}
    assert page in rewritten
    assert "pagefind/pagefind-entry.json" in rewritten  # the index follows the edit
    # A paper page the edit does not reach (another conference) stays as it was.
    other = next(
        name
        for name in ours
        if name.startswith("papers/")
        and name.endswith("index.html")
        and not name.startswith(f"papers/{paper.parent.name}/")
    )
    assert other not in rewritten, other
    assert os.path.getsize(output / other) > 0


def test_an_edit_renders_only_the_lists_that_show_the_paper(tmp_path):
    """The devserver's case: a word added to one abstract renders the list
    pages with that paper again, and leaves every other list page alone."""
    content = write_lab(tmp_path, 30, 3)
    output = _build(tmp_path, content, tmp_path / "output", read_cache=True)
    states = tmp_path / "cache-output" / "conference_papers-pages.json"
    before = _states(states, output)
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    link = f"papers/{paper.parent.name}/{paper.stem}/"
    lists = {
        str(page): link in page.read_text(encoding="utf-8")
        for page in (output / "publications").rglob("index.html")
    }
    assert True in lists.values() and False in lists.values()
    paper.write_text(paper.read_text(encoding="utf-8") + "Quokka.\n", "utf-8")
    _build(tmp_path, content, output, read_cache=True)
    after = _states(states, output)
    again = {page for page in lists if after[page] != before[page]}
    assert again == {page for page, shows in lists.items() if shows}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_line(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0]


def _paper_title(content: Path) -> None:
    paper = sorted((content / "papers").rglob("paper-*.md"))[-1]
    _replace(paper, _first_line(paper), "Title: A Title The Lists Must Show")


def _conference_title(content: Path) -> None:
    conference = sorted((content / "conferences").glob("*.md"))[0]
    _replace(conference, _first_line(conference), "Title: A Renamed Meeting 24")


def _undated_paper(content: Path) -> tuple[Path, Path]:
    """The paper the setup leaves without a Track and a Date (it takes its
    conference's first track and its date), and that conference's file."""
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    return paper, content / "conferences" / f"{paper.parent.name}.md"


def _conference_tracks(content: Path) -> None:
    _, conference = _undated_paper(content)
    line = next(
        line
        for line in conference.read_text(encoding="utf-8").splitlines()
        if line.startswith("Tracks: ")
    )
    tracks = line.removeprefix("Tracks: ").split("; ")
    assert len(tracks) > 1
    _replace(conference, line, "Tracks: " + "; ".join(reversed(tracks)))


def _conference_date(content: Path) -> None:
    _, conference = _undated_paper(content)
    text = conference.read_text(encoding="utf-8")
    date = next(line for line in text.splitlines() if line.startswith("Date: "))
    _replace(conference, date, "Date: 2019-01-02")


def _template(content: Path) -> None:
    base = content.parent / "theme" / "templates" / "base.html"
    _replace(base, "</body>", "<!-- an edited template --></body>")


def _member_name(content: Path) -> None:
    _replace(content / "members" / "wei.md", "Name: Wei", "Name: Weiwei")


def _removed_member(content: Path) -> None:
    (content / "members" / "wei.md").unlink()


def _removed_paper(content: Path) -> None:
    sorted((content / "papers").rglob("paper-*.md"))[1].unlink()


def _page_title(content: Path) -> None:
    # The same slug: Pelican's own pages are Pelican's to remove.
    _replace(
        content / "pages" / "about.md", "Title: About", "Title: About Us\nSlug: about"
    )


# Each edit reaches pages other than the edited file's own: the rebuild (pages
# whose inputs did not change are not rendered again; with the read cache, as
# the devserver builds, files that did not change are not parsed again) must
# write exactly what a cold build of the edited content writes.
EDITS = {
    "a paper's title (its conference page, the lists, the feeds)": _paper_title,
    "a conference's title (all its papers' pages)": _conference_title,
    "a conference's tracks (the track of a paper that names none)": (
        _conference_tracks
    ),
    "a conference's date (the date of a paper that gives none)": _conference_date,
    "a template (every page)": _template,
    "a member's name (the authors' links on every page)": _member_name,
    "a removed paper (its conference, the lists, the citation keys)": _removed_paper,
    "a removed member (their page and feeds)": _removed_member,
    "a page of the menu (every page)": _page_title,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_pages_not_rendered_again_are_those_of_a_cold_build(tmp_path, edit):
    content = write_lab(tmp_path, 30, 3)
    (content / "members").mkdir(exist_ok=True)
    (content / "members" / "wei.md").write_text(
        "Name: Wei Grabinski\n\nA member of the lab.\n", encoding="utf-8"
    )
    paper, _ = _undated_paper(content)
    kept = [
        line
        for line in paper.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("Track: ", "Date: "))
    ]
    paper.write_text("\n".join(kept) + "\n", encoding="utf-8")
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "themes" / "lab", theme)
    output = tmp_path / "output"
    _build(tmp_path, content, output, theme, read_cache=True)
    assert (tmp_path / "cache-output" / "conference_papers-pages.json").is_file()
    edit(content)
    warm = fingerprint(_build(tmp_path, content, output, theme, read_cache=True))
    assert warm == fingerprint(_build(tmp_path, content, tmp_path / "cold", theme))
