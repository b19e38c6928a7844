"""Attacks on the search index in parts (writers/search.py): what a sequence of
builds into one folder leaves must be what a build into an empty folder leaves."""

from __future__ import annotations

import shutil

from pelican.plugins.conference_papers.writers.search import (
    BUNDLE_DIR,
    ENTRY,
    build_index,
)

from ..fingerprint import fingerprint
from .test_search_index import IN_TWOS, a_lab, results, write_page


def test_a_removed_page_leaves_the_index_when_no_page_opts_in(tmp_path):
    """Without a page carrying data-pagefind-body Pagefind indexes every page; a
    page removed (no page written since) must leave the results, as it does when
    pages opt in: a reader was shown a page that is gone."""
    site = tmp_path / "site"
    for name in ("one", "two", "three"):
        write_page(site, f"p/{name}/index.html", f"Word {name}.", indexed=False)
    build_index({}, str(site))
    assert set(results(site)) == {"/p/one/", "/p/two/", "/p/three/"}
    (site / "p/two/index.html").unlink()
    build_index({}, str(site))
    assert set(results(site)) == {"/p/one/", "/p/three/"}
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    build_index({}, str(fresh))
    assert fingerprint(site / BUNDLE_DIR) == fingerprint(fresh / BUNDLE_DIR)


def test_a_part_whose_entry_does_not_read_is_made_again(tmp_path):
    """A part's entry file cut short (a disk that filled, a build stopped while
    Pagefind wrote it) with no page changed: the no-change path must not keep it,
    or the box fails to load that part's results."""
    site = a_lab(tmp_path / "site")
    build_index(IN_TWOS, str(site))
    expected = fingerprint(site / BUNDLE_DIR)
    entry = site / BUNDLE_DIR / "part-2" / ENTRY
    entry.write_text('{"version": ')
    build_index(IN_TWOS, str(site))
    assert fingerprint(site / BUNDLE_DIR) == expected
