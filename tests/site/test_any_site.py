"""The plugin in a lab's own Pelican site, not ours: a quickstart site with
Pelican's own themes gets a menu entry and a build summary (issue 18)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from ..any_site import build, quickstart_site


def _menu(output, page="index.html"):
    soup = BeautifulSoup((output / page).read_text(encoding="utf-8"), "html.parser")
    return {a.get_text(strip=True): a["href"] for a in soup.select("nav a")}


def test_conference_index_is_in_the_themes_menu(tmp_path):
    site = quickstart_site(tmp_path / "site")
    result = build(site)
    assert result.returncode == 0, result.stderr
    menu = _menu(site / "output")
    assert menu["Conferences"] == "/conferences/"
    assert (site / "output" / "conferences" / "index.html").is_file()
    # The theme's own entries stay, after ours.
    assert "News" in menu


def test_menu_entry_is_absolute_when_publishing_and_can_be_turned_off(tmp_path):
    site = quickstart_site(tmp_path / "site")
    result = build(site, "-e", 'SITEURL="https://lab.example.org/site"')
    assert result.returncode == 0, result.stderr
    assert _menu(site / "output")["Conferences"] == (
        "https://lab.example.org/site/conferences/"
    )
    result = build(site, "-e", "CONFERENCE_PAPERS_MENU=false")
    assert result.returncode == 0, result.stderr
    assert "Conferences" not in _menu(site / "output")


def test_a_menu_item_the_site_wrote_is_not_doubled(tmp_path):
    site = quickstart_site(tmp_path / "site")
    with open(site / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write('MENUITEMS = [("Conferences", "/conferences/")]\n')
    assert build(site).returncode == 0
    soup = BeautifulSoup(
        (site / "output" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [a.get_text() for a in soup.select("nav a")].count("Conferences") == 1


def test_the_build_says_what_the_plugin_made(tmp_path):
    site = quickstart_site(tmp_path / "site")
    result = build(site)
    assert result.returncode == 0, result.stderr
    line = next(
        line for line in result.stdout.splitlines() if "conference_papers:" in line
    )
    # 2 papers, 1 conference, 1 member; feeds: site + conference + member, Atom
    # and JSON each; citations: 2 per paper, 2 for the conference, 2 for the lab.
    assert re.fullmatch(
        r"conference_papers: built 2 paper\(s\) in 1 conference\(s\), 1 member\(s\),"
        r" 6 feed\(s\), 8 citation file\(s\) in \d+\.\d\d seconds",
        line,
    ), line
    written = [p for p in (site / "output" / "feeds").rglob("*") if p.is_file()]
    assert len(written) == 6


def test_tag_authority_advice_fits_a_development_site(tmp_path):
    site = quickstart_site(tmp_path / "site")
    conf = site / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'CONFERENCE_PAPERS_TAG_AUTHORITY = "lab.example.org,2024"\n', ""
        ),
        encoding="utf-8",
    )
    result = build(site)
    assert result.returncode == 0, result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert "CONFERENCE_PAPERS_TAG_AUTHORITY is not set" in said
    assert "CONFERENCE_PAPERS_TAG_AUTHORITY = 'your-lab.example.org,2024'" in said
    assert "e.g. CONFERENCE_PAPERS_TAG_AUTHORITY = '127.0.0.1" not in said
