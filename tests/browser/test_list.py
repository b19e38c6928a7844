"""The list of every paper as a reader uses it in chromium: filters clicked with
script (the list narrows in place, the address says so, back restores) and
without (the same links lead to server-rendered pages), by keyboard; a long
facet folded (closed on the list, open on its values' pages, opened by a click
or a key); axe-core and the Nu checker on its pages, folded facets' included."""

from __future__ import annotations

import subprocess

import pytest

from ..browser_support import serve
from ..site.test_list import (
    MANY,
    built_lab,
    write_lab,
    write_many_conferences,
)
from .browser_tools import RUN_AXE, new_page

pytestmark = pytest.mark.browser

ALL = ["Paper compilers-first", "Paper counting-engines", "Paper older-notes"]
SHOWN = ".paper-entry:not([hidden]) .paper-card-title a"


@pytest.fixture(scope="module")
def list_site(tmp_path_factory):
    return built_lab(tmp_path_factory, "list-browser", write_lab)


@pytest.fixture(scope="module")
def list_url(list_site):
    with serve(list_site.output) as origin:
        yield origin


@pytest.fixture(scope="module")
def many_site(tmp_path_factory):
    """A lab of 16 conferences: its Conference facet is folded (more than 12)."""
    return built_lab(tmp_path_factory, "many-browser", write_many_conferences)


@pytest.fixture(scope="module")
def many_url(many_site):
    with serve(many_site.output) as origin:
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


FOLD = "details.paper-filter-fold"
VENUE = "Venue 07"


def folded_state(page) -> tuple[bool, bool]:
    """(whether the Conference facet is open, whether its "Venue 07" shows)."""
    fold = page.locator(FOLD)
    link = fold.get_by_role("link", name=VENUE, exact=True)
    return fold.evaluate("details => details.open"), link.is_visible()


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_long_facet_is_closed_on_the_list_and_open_on_its_pages(
    new_context, many_url, script
):
    page = new_context(
        java_script_enabled=script, viewport={"width": 1280, "height": 900}
    ).new_page()
    page.goto(many_url + "/publications/", wait_until="load")
    # The list: the Conference facet is one line, and the papers follow it.
    summary = page.locator(f"{FOLD} > summary")
    assert summary.inner_text().split() == ["Conference", str(MANY + 2), "choices"]
    assert folded_state(page) == (False, False)
    assert page.locator(".paper-filters details").count() == 1
    assert page.get_by_role("link", name="2021", exact=True).is_visible()
    first = page.locator(".paper-entry").first.bounding_box()
    assert first["y"] < 900, "the first paper is below the first screen"
    # A click on the summary opens it, another closes it.
    summary.click()
    assert folded_state(page) == (True, True)
    summary.click()
    assert folded_state(page) == (False, False)
    # By keyboard: Tab reaches the summary, Enter opens it, Tab then reaches
    # its first value.
    page.locator("a[data-filter-all]").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('details > summary')"):
            break
    else:
        raise AssertionError("Tab never reached the folded facet's summary")
    page.keyboard.press("Enter")
    assert folded_state(page) == (True, True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Engines 22"
    # A value of it narrows the list in place (with script) or leads to its
    # page (without), where the facet is open and its value marked.
    page.locator(FOLD).get_by_role("link", name=VENUE, exact=True).click()
    if script:
        page.wait_for_function("location.search === '?conference=venue-2021-07'")
        assert page.locator(SHOWN).all_inner_texts() == ["Paper 07"]
        assert folded_state(page) == (True, True)
        page.goto(many_url + "/publications/conference/venue-2021-07/")
    page.wait_for_url(many_url + "/publications/conference/venue-2021-07/")
    assert folded_state(page) == (True, True)
    current = page.locator(".paper-filters a[aria-current]")
    assert current.all_inner_texts() == [VENUE]
    assert page.locator(SHOWN).all_inner_texts() == ["Paper 07"]
    # Another facet's page: closed again.
    page.goto(many_url + "/publications/year/2021/", wait_until="load")
    assert folded_state(page) == (False, False)


def test_with_script_a_folded_facet_shows_its_current_value(browser, many_url):
    """The list narrowed in place by a folded value (an address of it, opened
    afresh) opens the facet; on a phone its box scrolls to the value."""
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(many_url + "/publications/?conference=venue-2021-07", wait_until="load")
    assert page.locator(SHOWN).all_inner_texts() == ["Paper 07"]
    assert folded_state(page) == (True, True)
    page.context.close()
    visit = new_page(browser, 360, 400)  # a phone held sideways: the box scrolls
    page = visit.page
    page.goto(
        many_url + f"/publications/conference/venue-2021-{MANY}/", wait_until="load"
    )
    box = page.locator(f"{FOLD} > ul")
    assert box.evaluate("box => box.scrollHeight > box.clientHeight")
    inside = box.evaluate(
        """box => {
          const link = box.querySelector("a[aria-current]").getBoundingClientRect();
          const area = box.getBoundingClientRect();
          return link.top >= area.top && link.bottom <= area.bottom;
        }"""
    )
    assert inside, "the current value is not scrolled into the facet's box"
    assert visit.console_errors == []
    assert visit.offsite_requests == []
    page.context.close()


@pytest.mark.parametrize(
    "case",
    [
        ("/publications/", False),  # closed
        ("/publications/", True),  # opened by the reader
        ("/publications/conference/venue-2021-07/", False),  # open on its page
    ],
    ids=["closed", "opened", "open-on-its-page"],
)
def test_the_list_with_a_folded_facet_passes_axe(
    browser, many_url, axe_source, artifacts, case
):
    path, click = case
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(many_url + path, wait_until="load")
    if click:
        page.locator(f"{FOLD} > summary").click()
        assert folded_state(page) == (True, True)
    page.add_script_tag(path=str(axe_source))
    assert page.evaluate(RUN_AXE) == []
    name = path.strip("/").replace("/", "-") + ("-opened" if click else "")
    page.screenshot(path=str(artifacts / f"list-folded-{name}.png"), full_page=True)
    page.context.close()


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


def test_the_list_pages_are_valid_html(list_site, many_site, vnu_command):
    pages = sorted((list_site.output / "publications").rglob("*.html"))
    assert len(pages) > 10  # the list and a page per filter value
    # And a list whose Conference facet is folded, with its pages (open there).
    folded = sorted((many_site.output / "publications").rglob("*.html"))
    assert "<details" in folded[-1].read_text(encoding="utf-8")
    pages += folded
    result = subprocess.run(
        [*vnu_command, "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
