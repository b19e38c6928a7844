"""A card is rendered once and shown on pages at every depth (writers/cards.py):
each page must show what rendering the card for that page would give."""

from __future__ import annotations

from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup

NEURIPS = "conferences/neurips-2022/"
ROOT = "http://127.0.0.1:8000/"  # the feeds' root in development (test_feeds.py)
# The home page (".") and a conference page ("../.."), as a browser resolves them.
PAGES = {"index.html": ROOT, NEURIPS: urljoin(ROOT, NEURIPS)}


def cards_by_id(site, page: str) -> dict:
    return {card["id"]: card for card in site.page(page).select("article.paper-card")}


def addresses(card, base: str) -> list[str]:
    found = [a["href"] for a in card.find_all("a")]
    found += [img["src"] for img in card.find_all("img")]
    return [urljoin(base, url) for url in found]


def test_a_card_on_the_home_page_and_on_its_conference_page_links_the_same(
    built_site,
):
    home, conference = (cards_by_id(built_site, page) for page in PAGES)
    assert home and set(home) <= set(conference)
    for slug, card in home.items():
        assert addresses(card, PAGES["index.html"]) == addresses(
            conference[slug], PAGES[NEURIPS]
        )
        assert card.select_one("h3 a")["href"].startswith("./papers/")
        assert conference[slug].select_one("h3 a")["href"].startswith("../../papers/")


def test_a_feed_entry_links_the_card_absolutely(built_site):
    feed = feedparser.parse(str(built_site.output / "feeds/papers.atom.xml"))
    conference = cards_by_id(built_site, NEURIPS)
    for entry in feed.entries:
        html = BeautifulSoup(entry.content[0].value, "html.parser")
        slug = entry.link.rstrip("/").rsplit("/", 1)[-1]
        links = [a["href"] for a in html.find_all("a")]
        links += [img["src"] for img in html.find_all("img")]
        assert links and all(url.startswith(("http://", "https://")) for url in links)
        assert set(links) <= set(addresses(conference[slug], PAGES[NEURIPS]))


# A theme's card that reads SITEURL other than as the start of an address: it
# must see each page's own (the plugin's cards are shared, a theme's are not).
DEPTH = '<p class="depth">{{ SITEURL.count("..") }}</p>'


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("card.html", f'<article class="paper-card" id="{{{{ paper.slug }}}}">{DEPTH}'
         "</article>"),
        ("_authors.html", DEPTH),  # included by the plugin's card.html
    ],
)  # fmt: skip
def test_a_themes_card_sees_the_siteurl_of_each_page(site, template, text):
    folder = site.root / "themes/lab/templates/conference_papers"
    (folder / template).write_text(text, encoding="utf-8")
    site.build()
    home, conference = (cards_by_id(site, page) for page in PAGES)
    assert {c.select_one(".depth").get_text() for c in home.values()} == {"0"}
    assert {c.select_one(".depth").get_text() for c in conference.values()} == {"2"}


def test_a_themes_compact_card_sees_the_siteurl_of_each_page(site):
    folder = site.root / "themes/lab/templates/conference_papers"
    (folder / "card_compact.html").write_text(
        '<article class="paper-card-compact">' + DEPTH + "</article>",
        encoding="utf-8",
    )
    site.build()
    for page, depth in [("publications/", "1"), ("publications/year/2022/", "3")]:
        shown = site.page(page).select(".paper-card-compact .depth")
        assert shown and {p.get_text() for p in shown} == {depth}, page


def test_a_static_link_in_an_abstract_works_on_every_page_of_the_card(site):
    site.write(
        "papers/neurips-2022/figure.md",
        """
        Title: A Figure
        Authors: Ada Lovelace
        Track: Full Paper
        Date: 2023-01-01

        See [the figure]({static}/images/neurips22/robust-models.png).
        """,
    )
    site.build()
    figure = urljoin(ROOT, "images/neurips22/robust-models.png")
    for page, base in PAGES.items():
        card = cards_by_id(site, page)["figure"]
        link = card.select_one(".paper-card-abstract a")["href"]
        assert urljoin(base, link) == figure, page
    feed = feedparser.parse(str(site.output / "feeds/papers.atom.xml"))
    entry = next(e for e in feed.entries if e.link.endswith("/figure/"))
    assert f'href="{figure}"' in entry.content[0].value
