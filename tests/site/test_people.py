"""People: member files, the people page by Role, a page per member with her
papers by year whatever spelling a paper uses, and a warning for a spelling
that only looks like hers."""

from __future__ import annotations

import json
import logging
import shutil

import pytest
from PIL import Image

from pelican.plugins.conference_papers.commands import main as cli

PAPER = """\
Title: {title}
Authors: {authors}
Date: {date}

An abstract about {title}.
"""


def member(site, slug: str, text: str) -> None:
    site.write(f"members/{slug}.md", text)


def paper(site, slug: str, title: str, authors: str, date: str) -> None:
    site.write(
        f"papers/neurips-2022/{slug}.md",
        PAPER.format(title=title, authors=authors, date=date),
    )


@pytest.fixture
def lab(site):
    """The example site's papers with member files of our own and papers in
    three spellings of one member."""
    shutil.rmtree(site.content / "members")
    member(
        site,
        "ada-keuper",
        """
        Name: Margret Keuper
        Aliases: M. Keupér
        Role: Professor
        Orcid: 0000-0002-8437-7993
        Website: https://example.org/~keuper

        Leads the *lab*.
        """,
    )
    member(site, "zoe-phd", "Name: Zoe Adler\nRole: PhD student\n")
    member(site, "bo-postdoc", "Name: Bo Chen\nRole: Postdoc\n")
    member(site, "al-phd", "Name: Al Brandt\nRole: phd student\n")
    member(
        site, "old-one", "Name: Olga Old\nRole: Professor\nSince: 2010\nUntil: 2019\n"
    )
    paper(
        site,
        "family-given",
        "Written Family Given",
        "Keuper, Margret; Doe, Jo",
        "2021-05-01",
    )
    paper(site, "by-alias", "Written By Alias", "Jo Doe, M. Keuper", "2019-03-01")
    return site


def test_people_page_groups_by_role_in_the_settings_order(lab):
    lab.build(CONFERENCE_PAPERS_ROLES_ORDER=["Professor", "Postdoc", "PhD student"])
    page = lab.page("people/")
    headings = [h.get_text() for h in page.select(".people h2")]
    assert headings == ["Professor", "Postdoc", "PhD student", "Former members"]
    sections = {
        h.get_text(): [a.get_text() for a in h.find_parent("section").select("li a")]
        for h in page.select(".people h2")
    }
    # "phd student" is the same role; in a role by family name.
    assert sections["PhD student"] == ["Zoe Adler", "Al Brandt"]
    assert sections["Professor"] == ["Margret Keuper"]  # Olga left: apart
    assert sections["Former members"] == ["Olga Old"]
    assert "2010–2019" in page.select_one(".people-role:last-child").get_text()


def test_the_order_is_a_setting(lab):
    lab.build(CONFERENCE_PAPERS_ROLES_ORDER=["PhD student", "Professor"])
    headings = [h.get_text() for h in lab.page("people/").select(".people h2")]
    assert headings == ["PhD student", "Professor", "Postdoc", "Former members"]


def test_member_page_lists_her_papers_by_year_in_every_spelling(lab):
    lab.build()
    page = lab.page("people/ada-keuper/")
    assert page.h1.get_text() == "Margret Keuper"
    years = {
        h.get_text(): [t.get_text() for t in h.find_parent("section").select("h3 a")]
        for h in page.select("section > h3")
    }
    assert years["2021"] == ["Written Family Given"]
    assert years["2019"] == ["Written By Alias"]
    assert list(years) == sorted(years, reverse=True), "newest year first"
    assert "Robust Models are less Over-Confident" in years["2022"]
    links = {
        a.get_text(" ", strip=True): a["href"] for a in page.select(".member-links a")
    }
    assert links["ORCID 0000-0002-8437-7993"] == "https://orcid.org/0000-0002-8437-7993"
    assert links["Website"] == "https://example.org/~keuper"
    assert page.select_one(".member-bio em").get_text() == "lab"
    # Her feed holds the papers of every spelling.
    feed = json.loads((lab.output / "feeds/members/ada-keuper.json").read_text())
    titles = {item["title"] for item in feed["items"]}
    assert {"Written Family Given", "Written By Alias"} <= titles


def test_every_spelling_links_to_the_member_page_on_cards_and_paper_pages(lab):
    lab.build()
    for url in ("conferences/neurips-2022/", "papers/neurips-2022/by-alias/"):
        page = lab.page(url)
        linked = {a.get_text(): a["href"] for a in page.select(".member a")}
        assert linked["M. Keuper"].endswith("people/ada-keuper/"), url
        assert "Jo Doe" not in linked
    page = lab.page("papers/neurips-2022/family-given/")
    assert page.select_one(".paper-authors .member a")["href"].endswith(
        "people/ada-keuper/"
    )


def test_photo_is_a_webp_thumbnail(lab):
    (lab.content / "images/members").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (600, 600), "teal").save(lab.content / "images/members/z.png")
    member(
        lab,
        "zoe-phd",
        "Name: Zoe Adler\nRole: PhD student\nPhoto: images/members/z.png\n",
    )
    lab.build()
    img = lab.page("people/zoe-phd/").select_one("img.member-photo")
    assert img["src"].endswith("thumbnails/images/members/z-480w.webp")
    assert img["alt"] == "Photo of Zoe Adler"


def run_check(site, capsys) -> tuple[int, list[str]]:
    code = cli.main(
        ["check", str(site.content), "-s", str(site.root / "pelicanconf.py")]
    )
    return code, capsys.readouterr().out.splitlines()


def test_a_near_miss_is_a_warning_with_the_authors_line(lab, capsys):
    paper(lab, "typo", "Typo", "Margret Kuper, Jo Doe", "2020-01-01")
    paper(lab, "initial", "Initial", "Jo Doe; Z. Adler", "2020-01-02")
    code, printed = run_check(lab, capsys)
    assert code == 0, printed  # warnings only
    typo = [line for line in printed if "papers/neurips-2022/typo.md:2:" in line]
    assert len(typo) == 1, printed
    assert (
        "'Margret Kuper' looks like the member Margret Keuper (one letter off)"
        in typo[0]
    )
    assert (
        "add 'Aliases: Margret Kuper' to the member's file (ada-keuper.md)" in typo[0]
    )
    initial = [line for line in printed if "initial.md:2:" in line]
    assert len(initial) == 1 and "initials that fit" in initial[0], printed
    # The alias and the Family, Given form are members, not near misses.
    assert not [
        line for line in printed if "by-alias.md" in line or "family-given" in line
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Name: A B\nOrcid: 0000-0002-8437-7994\n", 2, "is no ORCID iD"),
        ("Name: A B\nWebsite: javascript:alert(1)\n", 2, "Website"),
        ("Name: A B\nPhoto: ../outside.png\n", 2, "Photo '../outside.png' cannot"),
        ("Name: A B\nRole: x\nPhoto: images/p.svg\n", 3, "Photo 'images/p.svg'"),
        ("Name: A B\nSince: 2020\nUntil: 2019\n", 3, "Until 2019 is before"),
        ("Name: A B\nSince: 20\n", 2, "Since '20' is not a year"),
        ("Role: Professor\n", 1, "a member file needs a Name"),
        ("Name: Margret Keuper\n", 1, "two member files name Margret Keuper"),
    ],
)
def test_member_file_errors_name_file_and_line(site, capsys, text, line, message):
    member(site, "zz-bad", text)
    code, printed = run_check(site, capsys)
    assert code == 1
    errors = [p for p in printed if p.startswith("error: ") and "zz-bad.md:" in p]
    assert len(errors) == 1, printed
    assert message in errors[0]
    assert f"zz-bad.md:{line}:" in errors[0]


def test_members_setting_still_works_without_member_files(site):
    shutil.rmtree(site.content / "members")
    site.build(CONFERENCE_PAPERS_MEMBERS={"Paul Gavrikov": "https://example.org/pg"})
    page = site.page("conferences/neurips-2022/")
    assert [a["href"] for a in page.select(".member a")] == [
        "https://example.org/pg"
    ] * 2
    assert not (site.output / "people/paul-gavrikov").exists()


def test_a_near_miss_goes_when_the_member_file_takes_the_spelling(lab, caplog):
    """A rebuild in one process (the devserver, with the parse memo): the
    paper file did not change, the member file did, and the warning follows."""
    paper(lab, "typo", "Typo", "Margret Kuper, Jo Doe", "2020-01-01")
    settings = {"CONFERENCE_PAPERS_READ_CACHE": True}
    said = "'Margret Kuper' looks like the member Margret Keuper"
    with caplog.at_level(logging.WARNING):
        lab.build(**settings)
    assert any(said in r.getMessage() for r in caplog.records)
    caplog.clear()
    file = lab.content / "members" / "ada-keuper.md"
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("Aliases: M. Keupér", "Aliases: M. Keupér; Margret Kuper")
    )
    with caplog.at_level(logging.WARNING):
        lab.build(**settings)
    assert not any(said in r.getMessage() for r in caplog.records)
    assert "typo/" in (lab.output / "people" / "ada-keuper" / "index.html").read_text()
