"""The search index (writers/search.py) on small hand-written sites: Pagefind reads
only the folders that hold a page it indexes, and gives the index it gives the
whole site; a rebuild into the same folder keeps what did not change and leaves
what a build into an empty folder leaves, and starts again from nothing when a
kept file cannot be trusted; a Pagefind that fails fails the build."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pelican.plugins.conference_papers.writers.search import (
    BUNDLE_DIR,
    ENTRY,
    PARTS_FILE,
    SearchIndexError,
    build_index,
    entry_file,
    pagefind_binary,
    pages_glob,
    plan,
)

from ..fingerprint import fingerprint


def write_page(site: Path, path: str, words: str, indexed: bool = True) -> Path:
    """A page of ``site``; Pagefind indexes it when it carries data-pagefind-body."""
    body = "data-pagefind-body" if indexed else "class='plain'"
    html = (
        f"<!DOCTYPE html><html lang='en'><head><title>{path}</title></head>"
        f"<body><nav>Home</nav><main {body}><h1>{path}</h1><p>{words}</p></main>"
        "</body></html>"
    )
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target


def _fragment(path: Path) -> dict:
    """One of Pagefind's fragments (an indexed page: its URL, its text)."""
    return json.loads(gzip.decompress(path.read_bytes())[len("pagefind_dcd") :])


def fragments(bundle: Path) -> dict[str, Path]:
    """The fragment file of every indexed page, by the page's URL."""
    return {
        _fragment(path)["url"]: path for path in sorted((bundle / "fragment").iterdir())
    }


def results(site: Path) -> dict[str, str]:
    """What a search can show: the text of every indexed page, by its URL."""
    return {
        url: _fragment(path)["content"]
        for url, path in fragments(site / BUNDLE_DIR).items()
    }


def a_lab(site: Path) -> Path:
    write_page(site, "papers/conf-24/quokka/index.html", "Quokkas climb trees.")
    write_page(site, "papers/conf-24/wombat/index.html", "Wombats dig burrows.")
    write_page(site, "papers/conf-24/numbat/index.html", "Numbats eat termites.")
    # A theme's page that opts in, beside the conference page that does not.
    write_page(site, "pages/about/index.html", "The lab keeps kangaroos.")
    write_page(
        site, "conferences/conf-24/index.html", "Quokkas at platypusconf.", False
    )
    write_page(site, "index.html", "Quokkas, wombats and numbats.", False)
    return site


def later(path: Path, than: Path) -> None:
    """Give ``path`` an mtime after ``than``'s (a clock tick may not pass)."""
    stamp = than.stat().st_mtime + 2
    os.utime(path, (stamp, stamp))


def test_pagefind_reads_only_folders_with_an_indexed_page_and_gives_the_same_index(
    tmp_path,
):
    site = a_lab(tmp_path / "site")
    assert pages_glob(str(site)) == "{pages/**/*.html,papers/**/*.html}"
    build_index({}, str(site))
    assert set(results(site)) == {
        "/papers/conf-24/quokka/",
        "/papers/conf-24/wombat/",
        "/papers/conf-24/numbat/",
        "/pages/about/",
    }
    assert "kangaroos" in results(site)["/pages/about/"]
    # Pagefind over every page of the site writes the same bytes.
    whole = tmp_path / "whole"
    command = [pagefind_binary(), "--site", str(site), "--output-path", str(whole)]
    subprocess.run(command, check=True, capture_output=True)
    ours = fingerprint(site / BUNDLE_DIR)
    # Beside Pagefind's files, the list of the other parts for the box: none.
    assert json.loads((site / BUNDLE_DIR / PARTS_FILE).read_text())["parts"] == []
    assert {name: ours[name] for name in ours if name != PARTS_FILE} == fingerprint(
        whole
    )


def test_without_a_page_that_opts_in_every_page_is_indexed(tmp_path):
    site = tmp_path / "site"
    write_page(site, "index.html", "Quokkas everywhere.", False)
    write_page(site, "notes/one/index.html", "Wombats dig.", False)
    assert pages_glob(str(site)) is None
    build_index({}, str(site))
    assert set(results(site)) == {"/", "/notes/one/"}


@pytest.mark.parametrize(
    ("folder", "glob"),
    [
        ("odd{name},[x](y)$z", r"odd\{name\}\,\[x\]\(y\)\$z/**/*.html"),
        ("back\\slash", None),  # every page is read: the same index, more slowly
    ],
)
def test_any_folder_name_is_indexed(tmp_path, folder, glob):
    site = tmp_path / "site"
    write_page(site, f"{folder}/index.html", "Quokkas climb.")
    write_page(site, "plain/index.html", "Wombats dig.", False)
    assert pages_glob(str(site)) == glob
    build_index({}, str(site))
    assert list(results(site)) == [f"/{folder}/"]


def test_a_rebuild_after_an_edit_writes_what_changed_and_leaves_a_fresh_index(
    tmp_path,
):
    site = a_lab(tmp_path / "site")
    build_index({}, str(site))
    bundle = site / BUNDLE_DIR
    before = {p.name: p.stat().st_mtime_ns for p in (bundle / "fragment").iterdir()}
    edited = write_page(site, "papers/conf-24/quokka/index.html", "Quokkas swim.")
    (site / "papers/conf-24/numbat/index.html").unlink()
    later(edited, Path(entry_file(str(site))))
    build_index({}, str(site))

    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    build_index({}, str(fresh))
    assert fingerprint(bundle) == fingerprint(fresh / BUNDLE_DIR)
    assert results(site)["/papers/conf-24/quokka/"].endswith("Quokkas swim.")
    assert "/papers/conf-24/numbat/" not in results(site)
    # The unchanged pages' fragments were not written again.
    after = {p.name: p.stat().st_mtime_ns for p in (bundle / "fragment").iterdir()}
    assert len([name for name in after if after[name] == before.get(name)]) == 2


def _plant_other_page(bundle: Path, name: str, old: dict[str, bytes]) -> None:
    (bundle / "fragment" / name).write_bytes(old["/papers/conf-24/wombat/"])


def _plant_removed_page(bundle: Path, name: str, old: dict[str, bytes]) -> None:
    (bundle / "fragment" / name).write_bytes(old["/papers/conf-24/numbat/"])


def _plant_truncated(bundle: Path, name: str, old: dict[str, bytes]) -> None:
    (bundle / "fragment" / name).write_bytes(old["/papers/conf-24/wombat/"][:20])


PLANTED = {
    "another page's fragment": _plant_other_page,
    "a removed page's fragment": _plant_removed_page,
    "a file cut short (a build stopped)": _plant_truncated,
}


@pytest.mark.parametrize("plant", PLANTED.values(), ids=list(PLANTED))
def test_a_kept_file_under_a_new_name_is_not_shown_for_the_edited_page(tmp_path, plant):
    """Pagefind does not write a file whose name is there already: a file of the
    earlier build under the name of the edited page's new fragment would show in
    its place. The index is then made from nothing."""
    site = a_lab(tmp_path / "site")
    build_index({}, str(site))
    bundle = site / BUNDLE_DIR
    old = {url: path.read_bytes() for url, path in fragments(bundle).items()}
    # The name the edited page's fragment gets, from a build of the edited site.
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    write_page(fresh, "papers/conf-24/quokka/index.html", "Quokkas swim.")
    (fresh / "papers/conf-24/numbat/index.html").unlink()
    build_index({}, str(fresh))
    new_name = fragments(fresh / BUNDLE_DIR)["/papers/conf-24/quokka/"].name
    assert not (bundle / "fragment" / new_name).exists()

    plant(bundle, new_name, old)
    edited = write_page(site, "papers/conf-24/quokka/index.html", "Quokkas swim.")
    (site / "papers/conf-24/numbat/index.html").unlink()
    later(edited, Path(entry_file(str(site))))
    build_index({}, str(site))
    assert results(site)["/papers/conf-24/quokka/"].endswith("Quokkas swim.")
    assert fingerprint(bundle) == fingerprint(fresh / BUNDLE_DIR)


def test_a_pagefind_that_fails_fails_the_build_and_leaves_no_index(
    tmp_path, monkeypatch
):
    site = a_lab(tmp_path / "site")
    build_index({}, str(site))
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: out of disk' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    later(
        write_page(site, "papers/conf-24/quokka/index.html", "Quokkas swim."),
        Path(entry_file(str(site))),
    )
    with pytest.raises(SearchIndexError, match=r"\(exit 3\): Error: out of disk"):
        build_index({}, str(site))
    assert not (site / BUNDLE_DIR).exists()


# --- an index in parts (CONFERENCE_PAPERS_SEARCH_PART_PAGES) --------------------

IN_TWOS = {"CONFERENCE_PAPERS_SEARCH_PART_PAGES": 2}


def part_folders(site: Path) -> list[Path]:
    """The folders of the index's parts, as parts.json gives them to the box."""
    bundle = site / BUNDLE_DIR
    listed = json.loads((bundle / PARTS_FILE).read_text())["parts"]
    return [bundle, *(bundle / part for part in listed)]


def part_results(site: Path) -> list[set[str]]:
    return [set(fragments(folder)) for folder in part_folders(site)]


def entries(site: Path) -> list[int]:
    return [(folder / ENTRY).stat().st_mtime_ns for folder in part_folders(site)]


def test_more_pages_than_a_part_holds_are_indexed_in_parts_each_page_once(tmp_path):
    site = a_lab(tmp_path / "site")
    build_index(IN_TWOS, str(site))
    # Four pages in parts of at most about two: each page in one part, once.
    found = part_results(site)
    assert len(found) == 2
    assert [len(urls) for urls in found] == [2, 2]
    assert set.union(*found) == {
        "/papers/conf-24/quokka/",
        "/papers/conf-24/wombat/",
        "/papers/conf-24/numbat/",
        "/pages/about/",
    }
    # Every part is Pagefind's own bundle, with its entry and its module.
    for folder in part_folders(site):
        assert (folder / "pagefind.js").is_file()
    # The same pages give the same parts, byte for byte.
    again = a_lab(tmp_path / "again")
    build_index(IN_TWOS, str(again))
    assert fingerprint(site / BUNDLE_DIR) == fingerprint(again / BUNDLE_DIR)


def test_an_edit_indexes_its_own_part_alone(tmp_path):
    site = a_lab(tmp_path / "site")
    build_index(IN_TWOS, str(site))
    before = entries(site)
    quokka = [
        i
        for i, urls in enumerate(part_results(site))
        if "/papers/conf-24/quokka/" in urls
    ]
    edited = write_page(site, "papers/conf-24/quokka/index.html", "Quokkas swim.")
    later(edited, part_folders(site)[quokka[0]] / ENTRY)
    build_index(IN_TWOS, str(site))
    after = entries(site)
    assert [b == a for b, a in zip(before, after, strict=True)] == [
        i != quokka[0] for i in range(len(before))
    ]
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    build_index(IN_TWOS, str(fresh))
    assert fingerprint(site / BUNDLE_DIR) == fingerprint(fresh / BUNDLE_DIR)


def test_parts_indexed_at_once_are_those_indexed_one_after_the_other(tmp_path):
    """Each part's Pagefind runs beside the others (one a core): none may write
    into or remove another's folder, the primary's holding the others."""
    built = {}
    for processes in (1, 2):
        site = a_lab(tmp_path / f"with-{processes}")
        settings = {
            "CONFERENCE_PAPERS_SEARCH_PART_PAGES": 1,
            "CONFERENCE_PAPERS_PROCESSES": processes,
        }
        build_index(settings, str(site))
        assert len(part_folders(site)) == 3
        assert sum(len(urls) for urls in part_results(site)) == 4
        built[processes] = fingerprint(site / BUNDLE_DIR)
    assert built[1] == built[2]


def test_a_removed_page_leaves_its_part_even_with_no_page_written(tmp_path):
    site = a_lab(tmp_path / "site")
    for settings in ({}, IN_TWOS):
        build_index(settings, str(site))
        assert "/papers/conf-24/numbat/" in set.union(*part_results(site))
        numbat = site / "papers/conf-24/numbat/index.html"
        kept = numbat.read_bytes()
        numbat.unlink()
        build_index(settings, str(site))  # no page is newer than the index
        assert "/papers/conf-24/numbat/" not in set.union(*part_results(site))
        numbat.write_bytes(kept)
        os.utime(numbat, (1, 1))  # back, with a date older than any index
        build_index(settings, str(site))
        assert "/papers/conf-24/numbat/" in set.union(*part_results(site))


def test_other_parts_leave_no_folder_of_the_earlier_ones(tmp_path):
    site = a_lab(tmp_path / "site")
    build_index({"CONFERENCE_PAPERS_SEARCH_PART_PAGES": 1}, str(site))
    assert len(part_folders(site)) == 3  # four pages, dealt into four: one empty
    for settings in (IN_TWOS, {}):
        build_index(settings, str(site))
        fresh = tmp_path / f"fresh-{len(settings)}"
        shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
        build_index(settings, str(fresh))
        assert fingerprint(site / BUNDLE_DIR) == fingerprint(fresh / BUNDLE_DIR)
    assert part_folders(site) == [site / BUNDLE_DIR]


def test_a_part_named_longer_than_one_argument_of_linux_is_indexed(tmp_path):
    """A part's glob names each of its pages: 1,100 pages of paths 130 long make a
    glob longer than the 128 KB Linux takes as one argument of a command."""
    site = tmp_path / "site"
    long = "a-title-that-goes-on-" * 4
    names = [f"papers/conference-2024/{long}{n:04d}/index.html" for n in range(2200)]
    for name in names:
        write_page(site, name, f"Quokka number {name[-15:-11]}.")
    parts = plan(str(site), 1100)
    assert len(parts) == 2
    assert max(len(part.glob) for part in parts) > 128 * 1024
    build_index({"CONFERENCE_PAPERS_SEARCH_PART_PAGES": 1100}, str(site))
    found = part_results(site)
    assert sum(len(urls) for urls in found) == len(set.union(*found)) == 2200


def test_a_pagefind_config_where_the_build_runs_changes_nothing(tmp_path, monkeypatch):
    site = a_lab(tmp_path / "site")
    build_index(IN_TWOS, str(site))
    expected = fingerprint(site / BUNDLE_DIR)
    here = tmp_path / "lab"
    here.mkdir()
    (here / "pagefind.yml").write_text("glob: 'pages/**/*.html'\n")
    monkeypatch.chdir(here)
    monkeypatch.setenv("PAGEFIND_GLOB", "pages/**/*.html")
    again = a_lab(tmp_path / "again")
    build_index(IN_TWOS, str(again))
    assert fingerprint(again / BUNDLE_DIR) == expected
