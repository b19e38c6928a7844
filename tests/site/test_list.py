"""The list of every paper and its filter pages, as a reader of the built site
sees them (without script: the browser tests click the filters with it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pelican.plugins.conference_papers import menu_items
from pelican.plugins.conference_papers.settings import SettingsError

from ..conftest import REPO, copy_site

MEMBERS = ["Ada Lovelace", "Grace Hopper"]

PAPERS = {
    # slug: (conference, date, authors, tags)
    "counting-engines": (
        "engines-2022",
        "2022-06-01",
        "Ada Lovelace, Charles Babbage",
        "Robustness, Engines",
    ),
    "compilers-first": (
        "engines-2022",
        "2022-06-02",
        "Grace Hopper, Alan Turing",
        "Compilers",
    ),
    "older-notes": ("notes-2019", "2019-03-01", "Charles Babbage", "Robustness"),
}


def write_lab(site) -> None:
    for folder in ("conferences", "papers", "timelines"):
        for path in sorted((site.content / folder).glob("**/*.md")):
            path.unlink()
    site.write("conferences/engines-2022.md", "Title: Engines 22\nDate: 2022-06-01\n")
    site.write("conferences/notes-2019.md", "Title: Notes 19\nDate: 2019-03-01\n")
    for slug, (conference, date, authors, tags) in PAPERS.items():
        site.write(
            f"papers/{conference}/{slug}.md",
            f"Title: Paper {slug}\nAuthors: {authors}\nDate: {date}\nTags: {tags}\n"
            f"Code: https://example.org/{slug}\n\nAbout {slug}.\n",
        )


#: More conferences than CONFERENCE_PAPERS_LIST_FACET_FOLD's default (12): with
#: write_lab's two, the Conference facet has 16 values and is folded.
MANY = 14


def write_many_conferences(site) -> None:
    """write_lab, and ``MANY`` conferences of 2021 with a paper each."""
    write_lab(site)
    for number in range(1, MANY + 1):
        slug = f"venue-2021-{number:02d}"
        site.write(f"conferences/{slug}.md", f"Title: Venue {number:02d}\nDate: 2021\n")
        site.write(
            f"papers/{slug}/paper-{number:02d}.md",
            f"Title: Paper {number:02d}\nAuthors: Ada Lovelace\nTags: Robustness\n\n"
            f"About {number}.\n",
        )


def built_lab(tmp_path_factory, name: str, write):
    """A copy of the site with the lab that ``write`` writes, built without
    search (the browser tests serve the same labs)."""
    site = copy_site(tmp_path_factory.mktemp(name) / "site")
    write(site)
    site.build(CONFERENCE_PAPERS_MEMBERS=MEMBERS, CONFERENCE_PAPERS_SEARCH=False)
    return site


@pytest.fixture(scope="module")
def list_site(tmp_path_factory):
    return built_lab(tmp_path_factory, "list", write_lab)


def titles(page) -> list[str]:
    return [a.get_text() for a in page.select(".paper-entry .paper-card-title a")]


def test_every_paper_is_listed_under_its_year_newest_first(list_site):
    page = list_site.page("publications/")
    years = [h.get_text() for h in page.select(".paper-list-year > h2")]
    assert years == ["2022", "2019"]
    sections = page.select(".paper-list-year")
    assert titles(sections[0]) == ["Paper compilers-first", "Paper counting-engines"]
    assert titles(sections[1]) == ["Paper older-notes"]
    # Each title links its paper's page; members are highlighted; the venue shows.
    entry = page.select_one(".paper-entry[data-year='2019']")
    assert entry.select_one("h3 a")["href"] == "../papers/notes-2019/older-notes/"
    assert entry.select_one(".paper-card-venue").get_text(strip=True) == "Notes 19"
    first = page.select_one(".paper-entry")
    assert first.select_one(".member").get_text() == "Grace Hopper"
    assert first["data-members"] == "grace-hopper"
    assert first["data-tags"] == "compilers"
    assert first["data-kind"] == "conference"
    assert first["data-conference"] == "engines-2022"
    assert first.select_one(".paper-card-links a")["href"] == (
        "https://example.org/compilers-first"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("publications/year/2019/", ["Paper older-notes"]),
        (
            "publications/tag/robustness/",
            ["Paper counting-engines", "Paper older-notes"],
        ),
        ("publications/member/ada-lovelace/", ["Paper counting-engines"]),
        (
            "publications/conference/engines-2022/",
            ["Paper compilers-first", "Paper counting-engines"],
        ),
        (
            "publications/kind/conference/",
            ["Paper compilers-first", "Paper counting-engines", "Paper older-notes"],
        ),
    ],
)
def test_each_filter_link_leads_to_a_page_of_its_papers(list_site, path, expected):
    main = list_site.page("publications/")
    links = {a["href"] for a in main.select(".paper-filters a[data-facet]")}
    assert "../" + path in links
    page = list_site.page(path)
    assert titles(page) == expected
    current = page.select(".paper-filters a[aria-current]")
    assert [a["href"] for a in current] == ["../../../" + path]


def test_the_menu_and_the_search_fallback_lead_to_the_list(list_site):
    home = list_site.page("index.html")
    menu = {a.get_text(strip=True): a["href"] for a in home.select("nav a")}
    assert menu.get("Publications") == "./publications/"
    # Any other theme: Pelican's MENUITEMS gains it (once) before the index.
    settings = list_site.settings()
    assert menu_items(settings) == (
        ("Publications", "/publications/"),
        ("Conferences", "/conferences/"),
    )
    settings["MENUITEMS"] = (("Papers", "/publications/"),)
    assert menu_items(settings) == (
        ("Papers", "/publications/"),
        ("Conferences", "/conferences/"),
    )


def test_without_script_the_search_box_links_the_list(tmp_path):
    site = copy_site(tmp_path / "site")
    write_lab(site)
    site.build()
    fallback = site.page("index.html").select_one(".site-search-fallback a")
    assert fallback["href"].endswith("publications/")


def test_a_capped_list_links_the_older_years(tmp_path):
    site = copy_site(tmp_path / "site")
    write_lab(site)
    site.build(CONFERENCE_PAPERS_LIST_MAX_PAPERS=2, CONFERENCE_PAPERS_SEARCH=False)
    page = site.page("publications/")
    assert titles(page) == ["Paper compilers-first", "Paper counting-engines"]
    assert page.select_one(".paper-list-years")["data-complete"] == "false"
    older = page.select(".paper-list-older a")
    assert [(a.get_text(), a["href"]) for a in older] == [
        ("2019", "../publications/year/2019/")
    ]
    assert titles(site.page("publications/year/2019/")) == ["Paper older-notes"]


def test_a_filter_url_without_its_fields_is_refused(tmp_path):
    site = copy_site(tmp_path / "site")
    with pytest.raises(SettingsError, match="LIST_FILTER_URL must hold"):
        site.build(CONFERENCE_PAPERS_LIST_FILTER_URL="publications/{facet}/")


def test_a_tag_whose_slug_would_leave_its_folder_gets_no_filter_page(tmp_path):
    site = copy_site(tmp_path / "site")
    write_lab(site)
    site.write(
        "papers/notes-2019/slashed.md",
        "Title: Slashed\nAuthors: Ada Lovelace\nDate: 2019-01-01\n"
        "Tags: a/../../b, Robustness\n\nText.\n",
    )
    site.build(SLUG_REGEX_SUBSTITUTIONS=[], CONFERENCE_PAPERS_SEARCH=False)
    written = {p.relative_to(site.output).as_posix() for p in site.output.rglob("*")}
    assert not [p for p in written if p.startswith(("b/", "publications/b/"))]
    tags = site.page("publications/").select(".paper-filters a[data-facet='tag']")
    assert [a.get_text() for a in tags] == ["Compilers", "Engines", "Robustness"]
    assert titles(site.page("publications/tag/robustness/"))[-2:] == [
        "Paper older-notes",
        "Slashed",
    ]


@pytest.fixture(scope="module")
def many_site(tmp_path_factory):
    return built_lab(tmp_path_factory, "many", write_many_conferences)


def facets(page) -> dict[str, str | None]:
    """Each facet of the filter bar -> "open", "closed" (folded) or None (a row)."""
    shown = {}
    for name in page.select(".paper-filters .paper-filter-name"):
        fold = name.find_parent("details")
        state = None if fold is None else "open" if fold.has_attr("open") else "closed"
        shown[name.get_text()] = state
    return shown


def test_a_long_facet_is_folded_and_open_on_its_own_pages(many_site):
    main = many_site.page("publications/")
    assert facets(main) == {
        "Kind": None,
        "Year": None,
        "Member": None,
        "Tag": None,
        "Conference": "closed",
    }
    # Its summary names it and counts its values; every value is still a link.
    summary = main.select_one("details.paper-filter-fold > summary")
    assert summary.get_text(" ", strip=True) == f"Conference {MANY + 2} choices"
    fold = summary.parent
    assert len(fold.select("a[data-facet='conference']")) == MANY + 2
    assert fold.select_one("ul")["aria-labelledby"] == "filter-conference"
    # Open on the page of one of its values, with that value marked; closed on
    # the pages of another facet's values.
    page = many_site.page("publications/conference/venue-2021-07/")
    assert facets(page)["Conference"] == "open"
    current = page.select(".paper-filters a[aria-current]")
    assert [a.get_text() for a in current] == ["Venue 07"]
    assert current[0].find_parent("details") is not None
    assert titles(page) == ["Paper 07"]
    for path in ("publications/year/2021/", "publications/tag/robustness/"):
        assert facets(many_site.page(path))["Conference"] == "closed", path


def test_no_facet_is_folded_with_fold_0(tmp_path):
    site = copy_site(tmp_path / "site")
    write_many_conferences(site)
    site.build(CONFERENCE_PAPERS_SEARCH=False, CONFERENCE_PAPERS_LIST_FACET_FOLD=0)
    page = site.page("publications/conference/venue-2021-07/")
    assert not page.select(".paper-filters details")
    assert set(facets(page).values()) == {None}
    links = page.select(".paper-filters a[data-facet='conference']")
    assert len(links) == MANY + 2


def ours_and_a_themes_copy(site, tmp_path, over: dict) -> tuple[Path, Path]:
    """Two builds of ``site``: with the plugin's filter bar (rendered once),
    then with a theme's copy of its template (rendered on each page)."""
    ours, themed = tmp_path / "ours", tmp_path / "themed"
    site.build(OUTPUT_PATH=str(ours), **over)
    own = REPO / "plugins/pelican/plugins/conference_papers/templates"
    theirs = site.root / "themes/lab/templates/conference_papers/_list_filters.html"
    shutil.copy(own / "conference_papers/_list_filters.html", theirs)
    site.build(OUTPUT_PATH=str(themed), **over)
    return ours, themed


@pytest.mark.parametrize(
    ("write", "over", "open_pages"),
    [
        (write_lab, {}, 0),  # nothing folded
        (write_many_conferences, {}, MANY + 2),  # Conference folded
        # Year (2 values), Tag (3) and Conference (2) folded, each open on its pages.
        (write_lab, {"CONFERENCE_PAPERS_LIST_FACET_FOLD": 1}, 7),
    ],
)
def test_the_filter_bar_made_once_is_the_bar_each_page_would_render(
    tmp_path, write, over, open_pages
):
    """The plugin's filter bar is rendered once and marked (and its folded
    facet opened) for each page (listing.FilterBar); a theme's copy of the
    same template is rendered on every page: both give the same pages, byte
    for byte."""
    site = copy_site(tmp_path / "site")
    write(site)
    over = {**over, "CONFERENCE_PAPERS_SEARCH": False}
    ours, themed = ours_and_a_themes_copy(site, tmp_path, over)
    pages = sorted(p.relative_to(ours) for p in (ours / "publications").rglob("*.html"))
    assert len(pages) > 8
    opened = 0
    for page in pages:
        text = (ours / page).read_text(encoding="utf-8")
        assert (themed / page).read_text(encoding="utf-8") == text, page
        assert text.count('" open>') <= 1, page
        opened += '" open>' in text
    assert opened == open_pages


def test_a_themes_filter_bar_sees_each_pages_context(site):
    write_lab(site)
    theirs = site.root / "themes/lab/templates/conference_papers/_list_filters.html"
    theirs.write_text(
        '<nav class="paper-filters"><p class="bar-for">{{ list_page.title }} '
        '{{ SITEURL.count("..") }} {{ CONFERENCE_PAPERS_LIST_FACET_FOLD }}</p></nav>',
        encoding="utf-8",
    )
    site.build(CONFERENCE_PAPERS_SEARCH=False, CONFERENCE_PAPERS_LIST_FACET_FOLD=5)
    for path, text in [
        ("publications/", "Publications 1 5"),
        ("publications/year/2019/", "Publications · Year: 2019 3 5"),
    ]:
        assert site.page(path).select_one(".bar-for").get_text() == text
