"""What a reader sees on the conference page, the paper pages, the index and home."""

from __future__ import annotations

import filecmp
import logging
import re
import shutil

import pelican
import pytest

from pelican.plugins.conference_papers.settings import SettingsError

NEURIPS = "conferences/neurips-2022/"


def cards(soup):
    return soup.select("article.paper-card")


# The plugin's own scripts a conference page loads: the timeline's consent script
# and the search box's (which loads Pagefind only when the box is used).
OUR_SCRIPTS = (
    "../../theme/conference-papers/search.js",
    "../../theme/conference-papers/timeline.js",
)


def scripts_from_content(soup):
    """Every script but the plugin's own files (an inline one is never ours)."""
    return [
        s
        for s in soup.find_all("script")
        if s.get("src") not in OUR_SCRIPTS or s.string
    ]


def test_neurips_page_has_tracks_in_order_with_their_cards(built_site):
    page = built_site.page(NEURIPS)
    assert page.h1.get_text(strip=True) == "NeurIPS 22"
    assert page.h1.svg is not None, "the conference icon is inlined as SVG"
    sections = page.select("section.track")
    assert [s.h2.get_text(strip=True) for s in sections] == [
        "Full Paper",
        "Workshop Paper",
    ]
    assert [len(cards(s)) for s in sections] == [2, 1]
    titles = [c.h3.get_text(strip=True) for c in cards(page)]
    assert titles == [
        "Trading off Image Quality for Robustness is not Necessary with "
        "Regularized Deterministic Autoencoders",
        "Robust Models are less Over-Confident",
        "Does Medical Imaging learn different Convolution Filters?",
    ]


def test_each_card_shows_image_authors_abstract_and_links(built_site):
    page = built_site.page(NEURIPS)
    first, second, third = cards(page)
    for card in (first, second, third):
        img = card.find("img")
        assert img["alt"].startswith("Figure of")
        assert img["loading"] == "lazy"
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert (built_site.output / NEURIPS / img["src"]).resolve().is_file()
        assert card.select_one(".paper-card-abstract").get_text(strip=True)
        for button in card.select(".paper-card-links a"):
            assert button.svg is not None, "every link button has its icon"
    assert first.select_one(".paper-card-authors").get_text() == (
        "Amrutha Saseendran, Kathrin Skubch, Margret Keuper"
    )
    links = {a.get_text(strip=True): a["href"] for a in first.select(".button")}
    assert links == {
        "PDF": "https://pure.mpg.de/rest/items/item_3473164/component/file_3473165/content",
        "Code": "https://github.com/boschresearch/Robust_GMM_DAE",
    }
    assert first.select(".button")[1].svg["class"] == ["icon", "icon-github"]
    links = {a.get_text(strip=True): a["href"] for a in third.select(".button")}
    assert links["PDF"] == "https://arxiv.org/pdf/2210.13799"
    assert links["arXiv"] == "https://arxiv.org/abs/2210.13799"
    assert "MedNeurIPS" in third.select_one(".paper-card-workshop").get_text()


def test_lab_members_are_highlighted(built_site):
    first = cards(built_site.page(NEURIPS))[0]
    assert [m.get_text() for m in first.select(".member")] == ["Margret Keuper"]


def test_long_abstracts_fold_without_script(built_site):
    page = built_site.page(NEURIPS)
    folded = page.select("details.paper-card-abstract")
    assert folded, "the long abstracts of the reference page are folded"
    assert folded[0].summary.select_one(".more").get_text() == "Read the full abstract"
    assert scripts_from_content(page) == []


def test_every_paper_has_its_own_page(built_site):
    for slug, title in [
        ("robust-models", "Robust Models are less Over-Confident"),
        (
            "medical-imaging-filters",
            "Does Medical Imaging learn different Convolution Filters?",
        ),
    ]:
        page = built_site.page(f"papers/neurips-2022/{slug}/")
        assert page.h1.get_text(strip=True) == title
        assert page.select_one(".paper-abstract").get_text(strip=True)
        venue = page.select_one(".paper-venue")
        assert venue.a["href"].endswith(NEURIPS)


def test_index_groups_conferences_by_year(built_site):
    page = built_site.page("conferences/")
    year = page.select_one("#year-2022").find_parent("section")
    assert year.a.get_text(strip=True) == "NeurIPS 22"
    assert "3 papers" in year.get_text()


def test_home_page_shows_newest_papers_and_conferences(built_site):
    page = built_site.page("index.html")
    newest = page.select(".home-papers article.paper-card h3")
    # Newest first: the two dated papers, then the paper dated by its conference.
    assert [h.get_text(strip=True) for h in newest][:2] == [
        "Trading off Image Quality for Robustness is not Necessary with "
        "Regularized Deterministic Autoencoders",
        "Does Medical Imaging learn different Convolution Filters?",
    ]
    assert page.select_one(".home-conferences a").get_text(strip=True) == "NeurIPS 22"


def test_unlisted_track_comes_last_with_a_warning(site, caplog):
    site.write(
        "papers/neurips-2022/poster.md",
        """
        Title: A Poster
        Authors: Ada Lovelace
        Track: Poster
        """,
    )
    with caplog.at_level(logging.WARNING):
        site.build()
    names = [
        s.h2.get_text(strip=True) for s in site.page(NEURIPS).select("section.track")
    ]
    assert names == ["Full Paper", "Workshop Paper", "Poster"]
    assert "papers/neurips-2022/poster.md:3: the track 'Poster'" in caplog.text


def test_order_then_date_then_title_inside_a_track(site):
    for slug, order, date, title in [
        ("b", "", "2022-10-01", "Beta"),
        ("a", "", "2022-10-01", "Alpha"),
        ("c", "", "2022-10-05", "Gamma"),
        ("z", "Order: 1\n", "2022-01-01", "Zeta"),
    ]:
        site.write(
            f"papers/neurips-2022/{slug}.md",
            f"Title: {title}\nAuthors: Ada Lovelace\nTrack: Poster\n"
            f"{order}Date: {date}\n",
        )
    site.build()
    poster = site.page(NEURIPS).select("section.track")[-1]
    assert [h.get_text(strip=True) for h in poster.select("h3")] == [
        "Zeta",
        "Gamma",
        "Alpha",
        "Beta",
    ]


def test_titles_and_fields_are_text_not_html(site):
    site.write(
        "papers/neurips-2022/hostile.md",
        """
        Title: <script>alert(1)</script> & <b>bold</b>
        Authors: <img src=x onerror=alert(1)>
        Track: Full Paper
        Workshop: <i>W</i>

        <script>alert(2)</script><img src="x" onerror="alert(3)">
        [click](javascript:alert(4))
        """,
    )
    site.build()
    html = (site.output / NEURIPS / "index.html").read_text()
    page = site.page(NEURIPS)
    assert scripts_from_content(page) == []
    assert not [
        (tag.name, name)
        for tag in page.find_all(True)
        for name in tag.attrs
        if name.startswith("on")
    ]
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]
    # Shown as the text it is:
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html


def test_math_in_an_abstract_is_mathml(site):
    site.write(
        "papers/neurips-2022/math.md",
        r"""
        Title: Bounds
        Authors: Ada Lovelace
        Track: Full Paper

        We bound $\epsilon_i$ by $x^2$ and pay \$5.
        """,
    )
    site.build()
    page = site.page("papers/neurips-2022/math/")
    maths = page.select(".paper-abstract math")
    assert len(maths) == 2
    assert maths[0].find("msub") is not None
    assert "$5" in page.select_one(".paper-abstract").get_text()


def test_builds_in_pelicans_notmyidea_theme(site):
    notmyidea = str(
        __import__("pathlib").Path(pelican.__file__).parent / "themes/notmyidea"
    )
    site.build(THEME=notmyidea)
    page = site.page(NEURIPS)
    assert [s.h2.get_text(strip=True) for s in page.select("section.track")] == [
        "Full Paper",
        "Workshop Paper",
    ]
    assert len(cards(page)) == 3
    assert page.find("style") is not None, "default templates bring minimal styles"
    assert page.select_one("#banner") is not None, "notmyidea's own layout is kept"
    assert site.page("papers/neurips-2022/robust-models/").h1


def test_two_builds_give_the_same_bytes(site, tmp_path):
    first = site.build()
    copy = tmp_path / "first"

    shutil.copytree(first, copy)
    shutil.rmtree(first)
    site.build()
    comparison = filecmp.dircmp(copy, first)
    assert not comparison.diff_files and not comparison.left_only
    for path in copy.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (first / path.relative_to(copy)).read_bytes(), (
                path
            )


@pytest.mark.parametrize("url", ["papers/neurips-2022/robust-models/", "conferences/"])
def test_pages_use_relative_links_during_development(built_site, url):
    page = built_site.page(url)
    stylesheet = page.find("link", rel="stylesheet")["href"]
    assert stylesheet.startswith("..")


def test_control_characters_pasted_from_a_pdf_never_reach_a_page(site):
    site.write(
        "papers/neurips-2022/pasted.md",
        "Title: Pasted\nAuthors: Ada Lovelace\nTrack: Full Paper\n\n"
        "Copied from a PDF\f with a form feed and a \x01 control character.\n",
    )
    site.build()
    for page in ("papers/neurips-2022/pasted/index.html", NEURIPS + "index.html"):
        html = (site.output / page).read_text()
        assert "Copied from a PDF" in html
        assert "\f" not in html and "\x01" not in html


def test_conference_page_and_index_offer_all_their_citations(built_site):
    conference = built_site.page(NEURIPS).select(".conference-cite a")
    assert [a.get_text() for a in conference] == ["BibTeX", "CSL-JSON"]
    bib = built_site.output / NEURIPS / conference[0]["href"]
    assert bib.read_text().count("@inproceedings{") == 3
    lab = built_site.page("conferences/").select(".conference-cite a")
    assert (built_site.output / "conferences" / lab[0]["href"]).is_file()


def test_member_pages_link_from_cards_only_through_the_allowlist(site, caplog):
    # The setting alone: the example site's member files would link Paul.
    shutil.rmtree(site.content / "members")
    with caplog.at_level(logging.WARNING):
        site.build(
            CONFERENCE_PAPERS_MEMBERS={
                "Janis Keuper": "https://lab.example.org/people/janis/",
                "Paul Gavrikov": "javascript:alert(1)",
            }
        )
    card = site.page(NEURIPS).select_one("#medical-imaging-filters")
    members = {
        m.get_text(): m.a["href"] if m.a else None for m in card.select(".member")
    }
    assert members == {
        "Paul Gavrikov": None,
        "Janis Keuper": "https://lab.example.org/people/janis/",
    }
    assert "the member page of Paul Gavrikov" in caplog.text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PAPER_BIB_SAVE_AS", "papers/{slg}.bib", "may hold {conference}, {slug}"),
        ("PAPER_SAVE_AS", "papers/{conference}/index.html", "must hold {slug}"),
        ("INDEX_SAVE_AS", "/conferences/index.html", "relative to the output"),
        ("THUMBNAIL_SAVE_AS", "thumbs/{path}-{size}.webp", "{path}, {width}"),
    ],
)
def test_unusable_path_settings_are_named_before_the_build(site, name, value, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        site.build(**{f"CONFERENCE_PAPERS_{name}": value})
