"""The list of every paper as a reader uses it in chromium: filters clicked with
script (the list narrows in place, the address says so, back restores) and
without (the same links lead to server-rendered pages), by keyboard; axe-core
and the Nu checker on its pages."""

from __future__ import annotations

import subprocess

import pytest

from ..browser_support import serve
from ..conftest import copy_site
from ..site.test_list import MEMBERS, write_lab
from .browser_tools import RUN_AXE, new_page

pytestmark = pytest.mark.browser

ALL = ["Paper compilers-first", "Paper counting-engines", "Paper older-notes"]
SHOWN = ".paper-entry:not([hidden]) .paper-card-title a"


@pytest.fixture(scope="module")
def list_site(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("list-browser") / "site")
    write_lab(site)
    site.build(CONFERENCE_PAPERS_MEMBERS=MEMBERS, CONFERENCE_PAPERS_SEARCH=False)
    return site


@pytest.fixture(scope="module")
def list_url(list_site):
    with serve(list_site.output) as origin:
        yield origin


def visible_years(page) -> list[str]:
    return page.locator(".paper-list-year:not([hidden]) > h2").all_inner_texts()


def tab_to(page, name: str) -> None:
    """Tab until the filter link called ``name`` has the focus (keyboard only)."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(
            "name => document.activeElement.matches('.paper-filters a') && "
            "document.activeElement.textContent.trim() === name",
            name,
        ):
            return
    raise AssertionError(f"Tab never reached the filter {name!r}")


def test_with_script_filters_narrow_the_list_and_the_address(browser, list_url):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(list_url + "/publications/", wait_until="load")
    assert visible_years(page) == ["2022", "2019"]
    assert page.locator(SHOWN).all_inner_texts() == ALL
    # A year, by keyboard: the list narrows, nothing is loaded, the URL says so.
    tab_to(page, "2022")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search === '?year=2022'")
    assert page.url == list_url + "/publications/?year=2022"
    assert visible_years(page) == ["2022"]
    assert page.locator(SHOWN).all_inner_texts() == ALL[:2]
    assert page.locator(".paper-list-status").inner_text() == "2 of 3 papers shown"
    # Then a tag: both filters hold.
    page.get_by_role("link", name="Robustness", exact=True).click()
    page.wait_for_function("location.search === '?year=2022&tag=robustness'")
    assert page.locator(SHOWN).all_inner_texts() == ["Paper counting-engines"]
    current = page.locator(".paper-filters a[aria-current]").all_inner_texts()
    assert current == ["2022", "Robustness"]
    # Back: the year alone; back again: every paper.
    page.go_back()
    page.wait_for_function("location.search === '?year=2022'")
    assert page.locator(SHOWN).all_inner_texts() == ALL[:2]
    page.go_back()
    page.wait_for_function("location.search === ''")
    assert page.locator(SHOWN).all_inner_texts() == ALL
    assert visible_years(page) == ["2022", "2019"]
    # An address with a filter, opened afresh, shows it.
    page.goto(list_url + "/publications/?tag=robustness", wait_until="load")
    assert page.locator(SHOWN).all_inner_texts() == [ALL[1], ALL[2]]
    assert visit.offsite_requests == []
    assert visit.failed_requests == []
    assert visit.console_errors == []
    page.context.close()


def test_without_script_filters_are_pages_of_their_papers(new_context, list_url):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(list_url + "/publications/", wait_until="load")
    with page.expect_navigation():
        page.get_by_role("link", name="2019", exact=True).click()
    assert page.url == list_url + "/publications/year/2019/"
    assert page.locator(SHOWN).all_inner_texts() == ["Paper older-notes"]
    with page.expect_navigation():
        page.get_by_role("link", name="Robustness", exact=True).click()
    assert page.url == list_url + "/publications/tag/robustness/"
    assert page.locator(SHOWN).all_inner_texts() == [ALL[1], ALL[2]]
    # The filter shown is marked, and "All papers" leads back.
    current = page.locator(".paper-filters a[aria-current]").all_inner_texts()
    assert current == ["Robustness"]
    with page.expect_navigation():
        page.get_by_role("link", name="All papers").click()
    assert page.url == list_url + "/publications/"
    assert page.locator(SHOWN).all_inner_texts() == ALL


@pytest.mark.parametrize(
    "path",
    ["/publications/", "/publications/?year=2022", "/publications/tag/robustness/"],
)
def test_the_list_passes_axe(browser, list_url, axe_source, artifacts, path):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(list_url + path, wait_until="load")
    page.add_script_tag(path=str(axe_source))
    assert page.evaluate(RUN_AXE) == []
    name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-")
    page.screenshot(path=str(artifacts / f"list-{name}.png"), full_page=True)
    page.context.close()


def test_the_list_pages_are_valid_html(list_site, vnu_command):
    pages = sorted((list_site.output / "publications").rglob("*.html"))
    assert len(pages) > 10  # the list and a page per filter value
    result = subprocess.run(
        [*vnu_command, "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
