"""A whole lab, as a new user writes it (issue 14's "Done when"): conference
papers, a journal article in papers/journals/, an arXiv preprint in
papers/preprints/, a thesis and member files, one member written
``Keuper, Margret`` in one paper and by an alias in another.

The kinds, the list of every paper and the people pages were built apart; this
file checks them together, as a reader of the list, a member page, a feed, a
reference manager and (in tests/browser/test_whole_lab_browser.py) the search
box sees them."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from ..conftest import copy_site
from .test_feeds import RNG
from .test_scholar import meta, parse_bib

ATOM = "{http://www.w3.org/2005/Atom}"
#: A word only the journal article's abstract has (the search finds it).
ABSTRACT_WORD = "zebrafishing"
JOURNAL = "IEEE Transactions on Pattern Analysis and Machine Intelligence"
#: slug -> (title, year, kind, members)
PAPERS = {
    "cvpr-2023/fix-aliasing": (
        "Fix your Downsampling",
        2023,
        "conference",
        {"julia-grabinski", "margret-keuper"},
    ),
    "journals/tpami-aliasing": (
        "Aliasing and Adversarial Robustness",
        2022,
        "journal",
        {"julia-grabinski", "margret-keuper"},
    ),
    "preprints/frequency-shortcuts": (
        "Frequency Shortcuts",
        2023,
        "preprint",
        {"paul-gavrikov", "margret-keuper"},
    ),
    "theses/grabinski-phd": (
        "Understanding Aliasing",
        2024,
        "thesis",
        {"julia-grabinski"},
    ),
}


def write_lab(site) -> None:
    for folder in ("conferences", "papers", "members"):
        shutil.rmtree(site.content / folder, ignore_errors=True)
    site.write(
        "members/margret-keuper.md",
        "Name: Margret Keuper\nAliases: M. Keuper\nRole: Professor\n\nLeads the lab.\n",
    )
    site.write("members/julia-grabinski.md", "Name: Julia Grabinski\nRole: PhD\n")
    site.write("members/paul-gavrikov.md", "Name: Paul Gavrikov\nRole: PhD\n")
    site.write(
        "conferences/cvpr-2023.md",
        "Title: CVPR 23\nDate: 2023-06-18\nTracks: Full Paper\n",
    )
    site.write(
        "papers/cvpr-2023/fix-aliasing.md",
        """
        Title: Fix your Downsampling
        Authors: Julia Grabinski, Margret Keuper
        Track: Full Paper
        Date: 2023-03-01
        Award: Best Paper Award

        Downsampling in convolutional networks.
        """,
    )
    site.write(
        "papers/journals/tpami-aliasing.md",
        f"""
        Title: Aliasing and Adversarial Robustness
        Authors: Julia Grabinski; Keuper, Margret
        Journal: {JOURNAL}
        Volume: 45
        Issue: 3
        Pages: 1234-1256
        Date: 2022-08
        Doi: 10.1109/TPAMI.2022.1234567

        We study {ABSTRACT_WORD} artefacts of strided convolutions.
        """,
    )
    site.write(
        "papers/preprints/frequency-shortcuts.md",
        """
        Title: Frequency Shortcuts
        Authors: Paul Gavrikov, M. Keuper
        Preprint: arXiv
        Arxiv: 2311.00002
        Date: 2023-11

        A preprint about shortcuts.
        """,
    )
    site.write(
        "papers/theses/grabinski-phd.md",
        """
        Title: Understanding Aliasing
        Authors: Julia Grabinski
        Type: thesis
        Publisher: University of Mannheim
        Date: 2024

        A doctoral thesis.
        """,
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("whole-lab") / "site")
    write_lab(site)
    site.build(CONFERENCE_PAPERS_MEMBERS=[])
    return site


def titles(page) -> list[str]:
    return [a.get_text(strip=True) for a in page.select(".paper-card-title a")]


def test_every_paper_is_on_the_list_under_its_year(lab):
    page = lab.page("publications/")
    found = {}
    for heading in page.find_all("h2"):
        if heading.get_text(strip=True).isdigit():
            section = heading.find_parent("section") or heading.parent
            for title in titles(section):
                found[title] = int(heading.get_text(strip=True))
    assert found == {title: year for title, year, _, _ in PAPERS.values()}


@pytest.mark.parametrize("slug", PAPERS)
def test_each_paper_is_on_its_kind_page_and_year_page(lab, slug):
    title, year, kind, _ = PAPERS[slug]
    assert title in titles(lab.page(f"publications/kind/{kind}/"))
    assert title in titles(lab.page(f"publications/year/{year}/"))
    # The list's filter bar links that kind's page.
    bar = lab.page("publications/").select("a[data-facet=kind]")
    pages = {(lab.output / "publications" / a["href"]).resolve() for a in bar}
    assert (lab.output / f"publications/kind/{kind}").resolve() in pages


def card_of(page, title: str):
    for card in page.select(".paper-card-compact"):
        if card.select_one(".paper-card-title").get_text(strip=True) == title:
            return card
    raise AssertionError(f"no card for {title!r}")


def test_the_compact_card_names_the_journal_and_the_preprint_server(lab):
    page = lab.page("publications/")
    venue = {
        kind: card_of(page, title).select_one(".paper-card-venue").get_text(" ")
        for title, _, kind, _ in PAPERS.values()
    }
    assert JOURNAL in venue["journal"] and "45(3)" in venue["journal"]
    assert "arXiv" in venue["preprint"]
    assert "University of Mannheim" in venue["thesis"]
    assert "CVPR 23" in venue["conference"]
    award = card_of(page, "Fix your Downsampling").select(".paper-badge-award")
    assert [b.get_text(strip=True) for b in award] == ["Best Paper Award"]


def test_member_links_on_the_list_lead_to_the_member_pages(lab):
    """The list is one folder down: its links to members must resolve there."""
    for relative in ("publications/", "publications/kind/journal/"):
        page = lab.page(relative)
        for link in page.select(".paper-card-authors a"):
            target = (lab.output / relative / link["href"]).resolve()
            assert (target / "index.html").is_file(), (relative, link["href"])


@pytest.mark.parametrize(
    "member", ["margret-keuper", "julia-grabinski", "paul-gavrikov"]
)
def test_each_paper_is_on_each_of_its_members_pages_and_feeds(lab, member):
    expected = {t for t, _, _, members in PAPERS.values() if member in members}
    assert set(titles(lab.page(f"people/{member}/"))) == expected
    atom = etree.parse(str(lab.output / f"feeds/members/{member}.atom.xml"))
    assert RNG.validate(atom), RNG.error_log
    entries = {e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")}
    assert entries == expected
    feed = json.loads(
        (lab.output / f"feeds/members/{member}.json").read_text(encoding="utf-8")
    )
    assert {item["title"] for item in feed["items"]} == expected


def test_the_journal_article_cites_as_an_article(lab):
    folder = lab.output / "papers/journals/tpami-aliasing"
    (entry,) = parse_bib(
        (folder / "tpami-aliasing.bib").read_text(encoding="utf-8")
    ).entries
    assert entry.entry_type == "article"
    assert entry.fields_dict["journal"].value == JOURNAL
    assert entry.fields_dict["volume"].value == "45"
    assert "booktitle" not in entry.fields_dict
    page = lab.page("papers/journals/tpami-aliasing/")
    assert meta(page, "citation_journal_title") == [JOURNAL]
    assert meta(page, "citation_conference_title") == []
    # The preprint cites as @misc with its eprint.
    (preprint,) = parse_bib(
        (
            lab.output / "papers/preprints/frequency-shortcuts/frequency-shortcuts.bib"
        ).read_text(encoding="utf-8")
    ).entries
    assert preprint.entry_type == "misc"
    assert preprint.fields_dict["eprint"].value == "2311.00002"


def test_every_paper_page_is_indexed_by_pagefind(lab):
    for slug in PAPERS:
        page = lab.page(f"papers/{slug}/")
        assert page.select("[data-pagefind-body]"), slug
    assert (lab.output / "pagefind/pagefind-entry.json").is_file()


def test_nothing_is_loaded_from_another_host(lab):
    """Every script, style sheet, image and font of the new pages is the site's."""
    for relative in (
        "publications/",
        "publications/kind/journal/",
        "people/",
        "people/margret-keuper/",
        "papers/journals/tpami-aliasing/",
    ):
        page = lab.page(relative)
        loaded = [tag.get("src") for tag in page.select("[src]")] + [
            tag.get("href")
            for tag in page.select("link[href]")
            if {"stylesheet", "preload", "icon", "modulepreload"}
            & set(tag.get("rel") or ())
        ]
        assert [u for u in loaded if "//" in u] == [], relative
