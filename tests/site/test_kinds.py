"""Every kind of paper of a lab (issue 14): a conference paper, a journal article
in papers/journals/, an arXiv preprint and a thesis, as a reader, a reference
manager and a feed reader see them; partial dates; badges; selected papers."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from lxml import etree

from pelican.plugins.conference_papers.commands import main as cli

from ..conftest import copy_site
from .test_feeds import RNG
from .test_scholar import format_with_pybtex, json_ld, meta, parse_bib

ATOM = "{http://www.w3.org/2005/Atom}"
JOURNAL = "papers/journals/tpami-aliasing/"
PREPRINT = "papers/preprints/frequency-shortcuts/"
THESIS = "papers/theses/grabinski-phd/"


def write_lab(site) -> None:
    site.write(
        "conferences/cvpr-2023.md",
        """
        Title: CVPR 23
        Name: Conference on Computer Vision and Pattern Recognition 2023
        Date: 2023-06-18
        Location: Vancouver, Canada
        Tracks: Full Paper
        """,
    )
    site.write(
        "papers/cvpr-2023/fix-aliasing.md",
        """
        Title: Fix your Downsampling
        Authors: Julia Grabinski, Margret Keuper
        Track: Full Paper
        Date: 2023-03-01
        Presentation: Oral
        Award: Best Paper Award; Best Student Paper
        Featured: yes

        Aliasing in convolutional networks.
        """,
    )
    site.write(
        "papers/journals/tpami-aliasing.md",
        """
        Title: Aliasing and Adversarial Robustness
        Authors: Julia Grabinski; Keuper, Margret
        Journal: IEEE Transactions on Pattern Analysis and Machine Intelligence
        Volume: 45
        Issue: 3
        Pages: 1234-1256
        Publisher: IEEE
        Date: 2022
        Doi: 10.1109/TPAMI.2022.1234567
        Arxiv: 2201.00001

        A journal article about aliasing.
        """,
    )
    site.write(
        "papers/preprints/frequency-shortcuts.md",
        """
        Title: Frequency Shortcuts
        Authors: Paul Gavrikov, Margret Keuper
        Preprint: arXiv
        Arxiv: 2311.00002
        Date: 2023-11

        A preprint.
        """,
    )
    site.write(
        "papers/theses/grabinski-phd.md",
        """
        Title: Robust Convolutional Networks
        Authors: Julia Grabinski
        Type: thesis
        Publisher: University of Mannheim
        Date: 2024-02-12

        A doctoral thesis.
        """,
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("kinds") / "site")
    for path in (site.content / "papers").iterdir():
        if path.is_dir():
            for file in path.iterdir():
                file.unlink()
    write_lab(site)
    site.build(SITEURL="https://lab.example.org")
    return site


def test_the_journal_article_cites_as_an_article(lab):
    (entry,) = parse_bib(
        (lab.output / JOURNAL / "tpami-aliasing.bib").read_text()
    ).entries
    assert entry.entry_type == "article"
    assert entry["journal"].startswith("IEEE Transactions on Pattern")
    assert entry["volume"] == "45" and entry["number"] == "3"
    assert entry["pages"] == "1234–1256"  # "--", decoded
    assert entry["year"] == "2022"
    assert "month" not in entry  # Date: 2022 knows no month
    assert "booktitle" not in entry


def test_the_journal_page_has_its_highwire_tags_and_json_ld(lab):
    page = lab.page(JOURNAL)
    assert meta(page, "citation_journal_title") == [
        "IEEE Transactions on Pattern Analysis and Machine Intelligence"
    ]
    assert meta(page, "citation_volume") == ["45"]
    assert meta(page, "citation_issue") == ["3"]
    assert meta(page, "citation_firstpage") == ["1234"]
    assert meta(page, "citation_lastpage") == ["1256"]
    assert meta(page, "citation_publication_date") == ["2022"]
    assert not meta(page, "citation_conference_title")
    data = json_ld(page)
    assert data["datePublished"] == "2022"
    issue = data["isPartOf"]
    assert issue["@type"] == "PublicationIssue" and issue["issueNumber"] == "3"
    assert issue["isPartOf"]["@type"] == "PublicationVolume"
    assert issue["isPartOf"]["isPartOf"]["@type"] == "Periodical"
    venue = page.select_one(".paper-venue").get_text(" ", strip=True)
    assert "Journal article" in venue and "45(3), 1234–1256" in venue
    assert "2022" in venue and "January" not in page.get_text()
    # A preprint and a venue: both links, the venue cited.
    links = {a.get_text(strip=True) for a in page.select(".paper-card-links a")}
    assert {"arXiv", "DOI"} <= links


def test_a_year_only_date_shows_only_the_year(lab):
    csl = json.loads((lab.output / JOURNAL / "tpami-aliasing.csl.json").read_text())
    assert csl[0]["type"] == "article-journal"
    assert csl[0]["issued"] == {"date-parts": [[2022]]}
    assert csl[0]["volume"] == "45" and csl[0]["page"] == "1234-1256"
    cite = lab.page(JOURNAL).select_one(".cite, #cite, section[class*=cite]")
    text = (cite or lab.page(JOURNAL)).get_text(" ")
    assert "month = jan" not in text and "January 2022" not in text


def test_the_preprint_cites_as_misc_with_its_eprint(lab):
    (entry,) = parse_bib(
        (lab.output / PREPRINT / "frequency-shortcuts.bib").read_text()
    ).entries
    assert entry.entry_type == "misc"
    assert entry["eprint"] == "2311.00002" and entry["archivePrefix"] == "arXiv"
    assert entry["month"] == "nov"  # a macro: bibtexparser keeps its name
    csl = json.loads(
        (lab.output / PREPRINT / "frequency-shortcuts.csl.json").read_text()
    )
    assert csl[0]["type"] == "article"
    assert csl[0]["issued"] == {"date-parts": [[2023, 11]]}
    page = lab.page(PREPRINT)
    assert "November 2023" in page.select_one(".paper-venue").get_text()
    assert page.select_one(".paper-venue time")["datetime"] == "2023-11"


def test_the_thesis_cites_as_a_phd_thesis(lab):
    (entry,) = parse_bib(
        (lab.output / THESIS / "grabinski-phd.bib").read_text()
    ).entries
    assert entry.entry_type == "phdthesis"
    assert entry["school"] == "University of Mannheim"
    page = lab.page(THESIS)
    assert meta(page, "citation_dissertation_institution") == ["University of Mannheim"]
    csl = json.loads((lab.output / THESIS / "grabinski-phd.csl.json").read_text())
    assert csl[0]["type"] == "thesis"


def test_the_lab_file_holds_every_kind(lab):
    text = (lab.output / "conferences/papers.bib").read_text()
    types = sorted(e.entry_type for e in parse_bib(text).entries)
    assert types == ["article", "inproceedings", "misc", "phdthesis"]
    assert re.search(r"pages *= \{1234--1256\}", text)
    formatted = format_with_pybtex(text)  # a second reader: pybtex's plain style
    assert any(
        "Intelligence, 45(3):1234–1256, 2022." in entry for entry in formatted
    ), formatted


def test_badges_on_the_card_the_page_and_the_feed(lab):
    conference = lab.page("conferences/cvpr-2023/")
    badges = [li.get_text(strip=True) for li in conference.select(".paper-badge")]
    assert badges == ["Oral", "Best Paper Award", "Best Student Paper"]
    page = lab.page("papers/cvpr-2023/fix-aliasing/")
    assert len(page.select(".paper-badge")) == 3
    feed = ElementTree.parse(lab.output / "feeds/papers.atom.xml").getroot()
    labels = [c.get("label") for c in feed.iter(f"{ATOM}category")]
    assert {"Oral", "Best Paper Award", "Journal article", "Preprint"} <= set(labels)


def test_partial_dates_leave_published_out_of_the_feed(lab):
    feed = ElementTree.parse(lab.output / "feeds/papers.atom.xml").getroot()
    entries = {e.find(f"{ATOM}title").text: e for e in feed.iter(f"{ATOM}entry")}
    journal = entries["Aliasing and Adversarial Robustness"]
    assert journal.find(f"{ATOM}published") is None
    assert journal.find(f"{ATOM}updated").text.startswith("2022-01-01T00:00:00")
    thesis = entries["Robust Convolutional Networks"]
    assert thesis.find(f"{ATOM}published").text.startswith("2024-02-12")


def test_the_feed_with_partial_dates_is_valid_atom(lab):
    document = etree.parse(str(lab.output / "feeds/papers.atom.xml"))
    assert RNG.validate(document), RNG.error_log


def test_selected_papers_on_the_home_page(lab):
    home = lab.page("index.html")
    section = home.select_one(".home-selected")
    assert section is not None
    assert section.h2.get_text() == "Selected papers"
    titles = [h.get_text(strip=True) for h in section.select(".selected-title")]
    assert titles == ["Fix your Downsampling"]
    assert "Best Paper Award" in section.get_text()


def test_a_hostile_award_stays_text_everywhere(empty_site):
    empty_site.write(
        "papers/journals/hostile.md",
        """
        Title: Hostile
        Authors: Julia Grabinski
        Journal: <i>TPAMI</i>
        Presentation: <img src=x onerror=alert(1)>
        Award: <b>Best</b>
        Featured: yes
        Date: 2022
        """,
    )
    out = empty_site.build()
    # The lab theme's home page renders without autoescape: the badges escape.
    for page in (
        empty_site.page("index.html"),
        empty_site.page("papers/journals/hostile/"),
    ):
        badges = page.select(".paper-badge")
        assert {b.get_text(strip=True) for b in badges} == {
            "<img src=x onerror=alert(1)>",
            "<b>Best</b>",
        }
        assert not page.select(".paper-badges img, .paper-badges b")
    assert (
        "<i>TPAMI</i>" not in (out / "papers/journals/hostile/index.html").read_text()
    )


def _check(capsys, site) -> tuple[int, str]:
    code = cli.main(["check", str(site.content)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_bad_kind_fields_are_reported_with_file_and_line(capsys, empty_site):
    empty_site.write(
        "papers/journals/bad.md",
        """
        Title: Bad
        Authors: Julia Grabinski
        Journal: TPAMI
        Pages: twelve
        Type: poster
        Featured: maybe
        Date: 2022
        """,
    )
    empty_site.write(
        "papers/journals/undated.md",
        """
        Title: Undated
        Authors: Julia Grabinski
        Journal: TPAMI
        """,
    )
    code, out = _check(capsys, empty_site)
    assert code != 0
    assert "papers/journals/bad.md:4:" in out and "Pages: 1234-1256" in out
    assert "papers/journals/bad.md:5:" in out and "Type: thesis" in out
    assert "papers/journals/bad.md:6:" in out and "Featured: yes" in out
    assert "papers/journals/undated.md:1:" in out and "Date: 2023" in out


def test_a_folder_without_a_kind_is_still_an_unknown_conference(capsys, empty_site):
    empty_site.write(
        "papers/neurps-2022/paper.md",
        """
        Title: A Paper
        Authors: Julia Grabinski
        """,
    )
    _code, out = _check(capsys, empty_site)
    assert "the conference 'neurps-2022' does not exist" in out
