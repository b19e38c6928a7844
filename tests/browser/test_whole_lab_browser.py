"""The whole lab of tests/site/test_whole_lab.py in chromium: the search box finds a
word of the journal article's abstract (Pagefind indexes every kind of paper),
the list's filter narrows to journal articles in place, and no page asks
another host for anything."""

from __future__ import annotations

import pytest

from ..browser_support import serve
from ..conftest import copy_site
from ..site.test_whole_lab import ABSTRACT_WORD, write_lab
from .browser_tools import new_page
from .test_search import search

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("whole-lab-browser") / "site")
    write_lab(site)
    site.build(CONFERENCE_PAPERS_MEMBERS=[])
    with serve(site.output) as origin:
        yield origin


def test_search_finds_the_journal_article_from_the_list(browser, lab_url):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(lab_url + "/publications/", wait_until="load")
    results = search(page, ABSTRACT_WORD)
    assert results.all_inner_texts() == ["Aliasing and Adversarial Robustness"]
    with page.expect_navigation():
        results.first.click()
    assert page.url == lab_url + "/papers/journals/tpami-aliasing/"
    assert visit.offsite_requests == []
    assert visit.failed_requests == []
    assert visit.console_errors == []
    page.context.close()


def test_the_kind_filter_narrows_the_list_to_journal_articles(browser, lab_url):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(lab_url + "/publications/", wait_until="load")
    page.locator("a[data-facet=kind][data-value=journal]").click()
    page.wait_for_function("() => location.search.includes('kind=journal')")
    shown = page.locator(".paper-card-compact .paper-card-title:visible")
    assert shown.all_inner_texts() == ["Aliasing and Adversarial Robustness"]
    assert visit.offsite_requests == []
    assert visit.console_errors == []
    page.context.close()
