"""The search box, as a reader uses it: keyboard only, in chromium, on a small lab
of our own whose abstracts each hold a word no other page has."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pelican.plugins.conference_papers.settings import SettingsError

from ..browser_support import serve
from ..conftest import copy_site
from .browser_tools import RUN_AXE, new_page

pytestmark = pytest.mark.browser

TITLES = {
    "quokka-attention": "Attention for Marsupials",
    "plain-baselines": "Plain Baselines Revisited",
    "third-paper": "A Third Paper",
}
# Each word is in one abstract only; the conference's word only on its page.
ABSTRACT_WORDS = {
    "quokka-attention": "quokkaformer",
    "plain-baselines": "baselinium",
    "third-paper": "thirdling",
}
CONFERENCE_WORD = "wombatconf"
# One paper has link buttons: their labels are not words of its page's text.
LINKS = {
    "quokka-attention": (
        "Pdf: https://example.org/quokka.pdf",
        "Code: https://example.org/quokka-code",
    )
}
PAPER_PATH = "/papers/searchconf-2024/{slug}/"


def write_lab(site) -> None:
    site.write(
        "conferences/searchconf-2024.md",
        f"""\
        Title: SearchConf 24
        Date: 2024-05-02

        Our week at the {CONFERENCE_WORD} meeting.
        """,
    )
    for slug, title in TITLES.items():
        header = [
            f"Title: {title}",
            "Authors: Ada Lovelace, Alan Turing",
            "Date: 2024-04-01",
            *LINKS.get(slug, ()),
        ]
        abstract = f"We study {ABSTRACT_WORDS[slug]} models of many kinds."
        site.write(
            f"papers/searchconf-2024/{slug}.md", "\n".join(header) + f"\n\n{abstract}\n"
        )


def lab(root: Path, **overrides):
    site = copy_site(root)
    for folder in ("conferences", "papers", "timelines"):
        for path in sorted((site.content / folder).glob("**/*.md")):
            path.unlink()
    write_lab(site)
    site.build(**overrides)
    return site


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    return lab(tmp_path_factory.mktemp("search") / "site")


@pytest.fixture(scope="module")
def search_url(search_site):
    with serve(search_site.output) as origin:
        yield origin


# Pagefind's message says how many results there are; done when as many are shown.
SEARCH_DONE = """() => {
  const message = document.querySelector(".pagefind-ui__message");
  const count = /^(\\d+) results? for/.exec(message ? message.textContent : "");
  if (message && /^No results/.test(message.textContent)) return true;
  return count !== null &&
    document.querySelectorAll(".pagefind-ui__result-link").length === +count[1];
}"""


def tab_to_search(page) -> None:
    """Press Tab until the search input has the focus (as a keyboard user does)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.site-search input')"):
            return
    raise AssertionError("Tab never reached the search box")


def search(page, word: str):
    tab_to_search(page)
    page.keyboard.type(word)
    page.keyboard.press("Enter")  # Pagefind searches as one types; Enter keeps it
    page.wait_for_function(SEARCH_DONE)
    return page.locator(".pagefind-ui__result-link")


def loaded_excerpts(page) -> list[str]:
    """The excerpts of the results shown, once Pagefind's UI has loaded each
    (until then an excerpt is a row of dots with the class ``…__loading``)."""
    page.wait_for_function(
        "() => document.querySelector('.pagefind-ui__result-excerpt') &&"
        " !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')"
    )
    return page.locator(".pagefind-ui__result-excerpt").all_inner_texts()


@pytest.mark.parametrize(
    "start", ["/", PAPER_PATH.format(slug="plain-baselines")], ids=["home", "paper"]
)
def test_a_word_of_one_abstract_finds_that_paper(browser, search_url, start):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(search_url + start, wait_until="load")
    results = search(page, ABSTRACT_WORDS["quokka-attention"])
    assert results.all_inner_texts() == [TITLES["quokka-attention"]]
    # Keyboard only: from the box to the result, then follow it.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.pagefind-ui__result-link')"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == search_url + PAPER_PATH.format(slug="quokka-attention")
    assert page.locator("h1").inner_text() == TITLES["quokka-attention"]
    assert visit.offsite_requests == []
    assert visit.failed_requests == []
    assert visit.console_errors == []
    page.context.close()


def test_pagefind_loads_only_when_the_box_is_used(browser, search_url):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    asked: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.goto(search_url + PAPER_PATH.format(slug="third-paper"), wait_until="load")
    page.wait_for_selector(".site-search input")  # search.js has run
    page.wait_for_timeout(300)
    assert [path for path in asked if path.startswith("/pagefind/")] == []
    assert "/theme/conference-papers/search.js" in asked
    # "/" goes to the box (as on many sites); typing there finds the paper.
    page.locator("h1").click()
    page.keyboard.press("/")
    page.keyboard.type(ABSTRACT_WORDS["plain-baselines"])
    page.wait_for_function(SEARCH_DONE)
    results = page.locator(".pagefind-ui__result-link")
    assert results.all_inner_texts() == [TITLES["plain-baselines"]]
    assert "/pagefind/pagefind-ui.js" in asked
    assert "/pagefind/pagefind-ui.css" in asked
    # The label now names Pagefind's own field, which has the focus.
    box = page.get_by_label("Search the papers")
    assert box.evaluate("element => element === document.activeElement")
    assert box.input_value() == ABSTRACT_WORDS["plain-baselines"]
    assert visit.failed_requests == []
    assert visit.console_errors == []
    page.context.close()


def test_an_index_in_parts_finds_each_paper_in_one_list(browser, tmp_path):
    """A site indexed in parts (here of two pages at most: one, and two): the box
    merges them, so each word finds its paper, and a word of every abstract finds
    all three at once."""
    site = lab(tmp_path / "parts", CONFERENCE_PAPERS_SEARCH_PART_PAGES=2)
    listed = json.loads((site.output / "pagefind" / "parts.json").read_text())
    assert listed["parts"] == ["part-2/"]
    with serve(site.output) as origin:
        visit = new_page(browser, 1280, 900)
        page = visit.page
        asked: list[str] = []
        page.on("request", lambda request: asked.append(urlsplit(request.url).path))
        page.goto(origin + "/", wait_until="load")
        for slug, word in ABSTRACT_WORDS.items():
            if slug != "quokka-attention":
                page.locator(".pagefind-ui__search-input").fill(word)
                page.wait_for_function(
                    f"() => /{word}/.test("
                    "document.querySelector('.pagefind-ui__message').textContent)"
                )
                page.wait_for_function(SEARCH_DONE)
                results = page.locator(".pagefind-ui__result-link")
            else:
                results = search(page, word)
            assert results.all_inner_texts() == [TITLES[slug]]
        page.locator(".pagefind-ui__search-input").fill("models")
        page.wait_for_function(
            "() => /models/.test("
            "document.querySelector('.pagefind-ui__message').textContent)"
        )
        page.wait_for_function(SEARCH_DONE)
        found = page.locator(".pagefind-ui__result-link").all_inner_texts()
        assert sorted(found) == sorted(TITLES.values())
        for part in listed["parts"]:
            assert any(path.startswith(f"/pagefind/{part}") for path in asked), part
        assert visit.offsite_requests == []
        assert visit.failed_requests == []
        assert visit.console_errors == []
        page.context.close()


def test_results_show_no_bibtex(browser, search_site, search_url):
    """The Cite block is not indexed: no result for its words, no BibTeX in excerpts."""
    cite = search_site.page(PAPER_PATH.format(slug="quokka-attention")[1:])
    bibtex = cite.select_one(".paper-cite-bibtex").get_text()
    assert "@inproceedings{" in bibtex and "booktitle" in bibtex
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(search_url + "/", wait_until="load")
    # Words that only the BibTeX has are not found.
    assert search(page, "inproceedings").count() == 0
    assert "No results" in page.locator(".pagefind-ui__message").inner_text()
    page.locator(".pagefind-ui__search-input").fill("booktitle")
    page.wait_for_function(
        "() => /booktitle/.test("
        "document.querySelector('.pagefind-ui__message').textContent)"
    )
    page.wait_for_function(SEARCH_DONE)
    assert page.locator(".pagefind-ui__result-link").count() == 0
    page.locator(".pagefind-ui__search-input").fill(ABSTRACT_WORDS["quokka-attention"])
    page.wait_for_function(SEARCH_DONE)
    excerpts = loaded_excerpts(page)
    assert excerpts and not [e for e in excerpts if "@inproceedings" in e], excerpts
    page.context.close()


def test_link_buttons_and_headings_are_not_searched(browser, search_site, search_url):
    """A paper's PDF and Code buttons and its Abstract heading are on its page,
    not in its search result: "code" finds no paper, and the excerpt of a word
    of the abstract holds none of them."""
    paper = search_site.page(PAPER_PATH.format(slug="quokka-attention")[1:])
    links = paper.select_one(".paper-card-links").select("a.button")
    buttons = [a.get_text(" ", strip=True) for a in links]
    assert buttons == ["PDF", "Code"]
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(search_url + "/", wait_until="load")
    assert search(page, "code").count() == 0
    page.locator(".pagefind-ui__search-input").fill(ABSTRACT_WORDS["quokka-attention"])
    page.wait_for_function(SEARCH_DONE)
    excerpts = loaded_excerpts(page)
    assert len(excerpts) == 1 and "We study quokkaformer models" in excerpts[0]
    assert not re.search(r"\b(PDF|Code|Abstract)\b", excerpts[0]), excerpts
    page.context.close()


def test_the_box_is_labelled_and_conference_pages_are_not_results(browser, search_url):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(search_url + "/conferences/searchconf-2024/", wait_until="load")
    box = page.get_by_label("Search the papers")
    assert box.evaluate("element => element.matches('.site-search input')")
    # The conference page says the word; only paper pages are indexed.
    results = search(page, CONFERENCE_WORD)
    assert results.count() == 0
    assert "No results" in page.locator(".pagefind-ui__message").inner_text()
    page.context.close()


def test_without_script_the_box_is_a_link_to_the_papers(new_context, search_url):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(search_url + "/", wait_until="load")
    assert page.locator(".site-search input").count() == 0
    link = page.get_by_role("link", name="Find a paper")
    assert link.is_visible()
    link.click()
    # The list of every paper (listing.py), where its filters work without script.
    page.wait_for_url(search_url + "/publications/")
    assert page.get_by_role("link", name=TITLES["quokka-attention"]).is_visible()


def test_the_page_with_results_passes_axe(browser, search_url, axe_source):
    visit = new_page(browser, 1280, 900)
    page = visit.page
    page.goto(search_url + "/", wait_until="load")
    search(page, ABSTRACT_WORDS["third-paper"]).first.wait_for()
    page.add_script_tag(path=str(axe_source))
    assert page.evaluate(RUN_AXE) == []
    page.context.close()


def test_pages_with_the_box_are_valid_html(search_site, vnu_command):
    pages = [
        search_site.output / "index.html",
        search_site.output / "papers/searchconf-2024/third-paper/index.html",
    ]
    result = subprocess.run(
        [*vnu_command, "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []


def test_rebuilding_gives_the_same_index(search_site, tmp_path):
    again = lab(tmp_path / "again")
    left, right = search_site.output / "pagefind", again.output / "pagefind"
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert files
    assert files == sorted(
        p.relative_to(right) for p in right.rglob("*") if p.is_file()
    )
    for name in files:
        assert (left / name).read_bytes() == (right / name).read_bytes(), name


def test_search_off_writes_no_index_and_no_box(tmp_path):
    site = lab(tmp_path / "off", CONFERENCE_PAPERS_SEARCH=False)
    assert not (site.output / "pagefind").exists()
    assert site.page("index.html").select(".site-search") == []
    assert site.page("papers/searchconf-2024/third-paper/").select(".site-search") == []


def test_a_missing_pagefind_stops_the_build_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    with pytest.raises(SettingsError, match=re.escape("pip install 'pagefind[bin]'")):
        lab(tmp_path / "missing")
    assert not (tmp_path / "missing" / "output" / "index.html").exists()
