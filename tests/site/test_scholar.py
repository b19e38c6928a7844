"""Citations as a reader and a reference manager see them: the paper pages' heads,
the "Cite" block, COinS on the conference page, and the .bib and CSL-JSON files
parsed back with bibtexparser and pybtex."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs

import bibtexparser
import pytest
from bibtexparser import middlewares
from pybtex.database import parse_string as pybtex_parse
from pybtex.plugin import find_plugin

from ..browser_support import serve

NEURIPS = "conferences/neurips-2022/"
PAPERS = {
    "robust-models": 4,
    "medical-imaging-filters": 2,
    "trading-off-image-quality": 3,
}
SITEURL = "https://lab.example.org"


def parse_bib(text: str, decode: bool = True):
    """bibtexparser's v2 reading: names split, LaTeX decoded to text."""
    layers = [middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    if decode:
        layers.append(middlewares.LatexDecodingMiddleware())
    library = bibtexparser.parse_string(text, append_middleware=layers)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def format_with_pybtex(text: str) -> list[str]:
    """Every entry as pybtex's "plain" style writes it, as plain text."""
    style = find_plugin("pybtex.style.formatting", "plain")()
    database = pybtex_parse(text, "bibtex")
    return [
        e.text.render_as("text")
        for e in style.format_entries(database.entries.values())
    ]


def json_ld(page) -> dict:
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def meta(page, name: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", attrs={"name": name})]


def og(page, name: str) -> list[str]:
    return [m["content"] for m in page.find_all("meta", attrs={"property": name})]


def add_paper(site, slug: str, text: str):
    site.write(f"papers/neurips-2022/{slug}.md", text)


# --- the files -------------------------------------------------------------


def test_every_bib_file_parses_and_formats(built_site):
    files = sorted(built_site.output.rglob("*.bib"))
    # three papers, the conference, the lab
    assert len(files) == 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        library = parse_bib(text)
        assert library.entries, path
        formatted = format_with_pybtex(text)
        assert len(formatted) == len(library.entries)
        for line in formatted:
            assert "Conference on Neural Information Processing Systems 2022" in line


def test_the_conference_file_holds_all_three_papers(built_site):
    text = (built_site.output / NEURIPS / "neurips-2022.bib").read_text()
    library = parse_bib(text)
    assert [e.key for e in library.entries] == [
        "saseendran2022trading",
        "grabinski2022robust",
        "gavrikov2022medical",
    ]
    assert {e.entry_type for e in library.entries} == {"inproceedings"}
    robust = library.entries_dict["grabinski2022robust"]
    assert [n.last for n in robust["author"]] == [
        ["Grabinski"],
        ["Gavrikov"],
        ["Keuper"],
        ["Keuper"],
    ]
    assert robust["eprint"] == "2210.05938"
    assert robust["archivePrefix"] == "arXiv"
    assert robust["month"] == "oct"
    medical = library.entries_dict["gavrikov2022medical"]
    assert medical["booktitle"].startswith("MedNeurIPS Workshop")
    items = json.loads(
        (built_site.output / NEURIPS / "neurips-2022.csl.json").read_text()
    )
    assert [i["id"] for i in items] == [e.key for e in library.entries]
    assert [len(i["author"]) for i in items] == [3, 4, 2]
    assert items[1]["issued"] == {"date-parts": [[2022, 10, 11]]}
    assert {i["type"] for i in items} == {"paper-conference"}


def test_the_lab_file_holds_every_paper(site):
    site.write(
        "conferences/cvpr-2023.md",
        "Title: CVPR 23\nDate: 2023-06-18\nLocation: Vancouver, Canada\n",
    )
    site.write(
        "papers/cvpr-2023/shapes.md",
        "Title: Shapes\nAuthors: Margret Keuper\nTrack: Poster\n",
    )
    out = site.build()
    library = parse_bib((out / "conferences/papers.bib").read_text())
    assert len(library.entries) == 4
    assert library.entries[0].key == "keuper2023shapes", "newest conference first"
    items = json.loads((out / "conferences/papers.csl.json").read_text())
    assert [i["id"] for i in items] == [e.key for e in library.entries]
    cvpr = parse_bib((out / "conferences/cvpr-2023/cvpr-2023.bib").read_text())
    assert [e.key for e in cvpr.entries] == ["keuper2023shapes"]


def test_each_paper_has_its_own_files(built_site):
    for slug in PAPERS:
        folder = built_site.output / "papers/neurips-2022" / slug
        library = parse_bib((folder / f"{slug}.bib").read_text())
        assert len(library.entries) == 1
        assert len(library.entries[0]["author"]) == PAPERS[slug]
        items = json.loads((folder / f"{slug}.csl.json").read_text())
        assert len(items) == 1 and len(items[0]["author"]) == PAPERS[slug]


HARD_TITLE = "Über {CNN}s & NeurIPS: 50% of a_b for Jørgensen's $5 #1 {set}"


def test_special_characters_round_trip(site):
    add_paper(
        site,
        "hard",
        f"""
        Title: {HARD_TITLE}
        Authors: Jürgen Müller; Søren Ørsted; Ludwig van Beethoven; Smith & Sons_Ltd
        Track: Full Paper
        Date: 2022-09-01
        """,
    )
    out = site.build()
    text = (out / "papers/neurips-2022/hard/hard.bib").read_text(encoding="utf-8")
    # UTF-8 is kept; LaTeX specials are escaped; acronyms are braced.
    assert "Müller, Jürgen" in text and "Ørsted, Søren" in text
    assert r"50\% of a\_b" in text and r"\&" in text and r"\$5 \#1" in text
    assert "{NeurIPS}" in text
    entry = parse_bib(text).entries[0]
    assert entry.key == "muller2022uber"
    assert entry["title"] == HARD_TITLE
    names = entry["author"]
    assert (names[0].first, names[0].last) == (["Jürgen"], ["Müller"])
    assert (names[1].first, names[1].last) == (["Søren"], ["Ørsted"])
    assert (names[2].von, names[2].last) == (["van"], ["Beethoven"])
    # (bibtexparser decodes fields, not name parts: compare the raw name)
    assert names[3].last == [r"Sons\_Ltd"] and r"Sons\_Ltd, Smith \&" in text
    # pybtex reads the same names and keeps the braced words' capitals
    person = pybtex_parse(text, "bibtex").entries["muller2022uber"].persons["author"][0]
    assert (person.first_names, person.last_names) == (["Jürgen"], ["Müller"])
    (formatted,) = format_with_pybtex(text)
    assert "Jürgen Müller, Søren Ørsted, Ludwig van Beethoven" in formatted
    assert "NeurIPS" in formatted and "CNN" in formatted
    # and the page and the CSL-JSON show the text as it was written
    page = site.page("papers/neurips-2022/hard/")
    assert meta(page, "citation_title") == [HARD_TITLE]
    assert meta(page, "citation_author")[0] == "Müller, Jürgen"
    item = json.loads((out / "papers/neurips-2022/hard/hard.csl.json").read_text())[0]
    assert item["title"] == HARD_TITLE
    assert item["author"][1] == {"family": "Ørsted", "given": "Søren"}


def test_acronyms_keep_their_capitals_in_a_lowercasing_style(site):
    add_paper(
        site,
        "acronyms",
        """
        Title: Robust CNNs and ViT models at NeurIPS in 3D
        Authors: Margret Keuper
        Track: Full Paper
        """,
    )
    out = site.build()
    text = (out / "papers/neurips-2022/acronyms/acronyms.bib").read_text()
    assert (
        "{CNN}s" in text and "{ViT}" in text and "{NeurIPS}" in text and "{3D}" in text
    )
    # "plain" lower-cases titles: only the braced words keep their capitals
    (formatted,) = format_with_pybtex(text)
    assert "Robust CNNs and ViT models at NeurIPS in 3D." in formatted


def test_sentence_case_titles_protect_names(site):
    add_paper(
        site,
        "names",
        """
        Title: A study of robustness on ImageNet with the Kolmogorov–Smirnov test
        Authors: Margret Keuper
        Track: Full Paper
        """,
    )
    text = (site.build() / "papers/neurips-2022/names/names.bib").read_text()
    assert "{ImageNet}" in text and "{Kolmogorov}–{Smirnov}" in text
    assert "{study}" not in text and "{A}" not in text


def test_citekeys_are_unique_and_stable(site):
    for slug, date in [("second", "2022-10-02"), ("first", "2022-10-01")]:
        add_paper(
            site,
            slug,
            f"""
            Title: Robust Models for {slug}
            Authors: Julia Grabinski
            Track: Full Paper
            Date: {date}
            """,
        )
    add_paper(
        site,
        "chosen",
        """
        Title: Robust Again
        Authors: Julia Grabinski
        Track: Full Paper
        Date: 2022-12-01
        Citekey: grabinski2022robust
        """,
    )
    out = site.build()
    first = out / NEURIPS / "neurips-2022.bib"
    keys = [e.key for e in parse_bib(first.read_text()).entries]
    assert len(keys) == len(set(keys)) == 6
    by_title = {
        e["title"]: e.key for e in parse_bib(first.read_text(), decode=True).entries
    }
    # The explicit key wins; the others get a, b, c in date order.
    assert by_title["Robust Again"] == "grabinski2022robust"
    assert by_title["Robust Models for first"] == "grabinski2022robusta"
    assert by_title["Robust Models for second"] == "grabinski2022robustb"
    assert by_title["Robust Models are less Over-Confident"] == "grabinski2022robustc"
    before = first.read_bytes()
    site.build()
    assert first.read_bytes() == before


def test_journal_and_preprint_entry_types(site):
    add_paper(
        site,
        "journal",
        """
        Title: A Journal Version
        Authors: Margret Keuper
        Track: Full Paper
        Journal: IEEE Transactions on Pattern Analysis & Machine Intelligence
        Doi: 10.1109/TPAMI.2022.1234
        """,
    )
    add_paper(
        site,
        "preprint",
        """
        Title: A Preprint
        Authors: Margret Keuper
        Track: Preprint
        Arxiv: 2301.00001
        """,
    )
    out = site.build()
    journal = parse_bib((out / "papers/neurips-2022/journal/journal.bib").read_text())
    (entry,) = journal.entries
    assert entry.entry_type == "article"
    assert (
        entry["journal"]
        == "IEEE Transactions on Pattern Analysis & Machine Intelligence"
    )
    assert entry["doi"] == "10.1109/TPAMI.2022.1234"
    preprint = parse_bib(
        (out / "papers/neurips-2022/preprint/preprint.bib").read_text()
    )
    (entry,) = preprint.entries
    assert entry.entry_type == "misc"
    assert entry["eprint"] == "2301.00001" and "booktitle" not in entry
    page = site.page("papers/neurips-2022/journal/")
    assert meta(page, "citation_journal_title")
    assert not meta(page, "citation_conference_title")
    assert meta(page, "citation_doi") == ["10.1109/TPAMI.2022.1234"]


# --- the paper page ----------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(PAPERS))
def test_paper_head_has_scholar_tags_and_json_ld(built_site, slug):
    page = built_site.page(f"papers/neurips-2022/{slug}/")
    title = page.h1.get_text(strip=True)
    assert meta(page, "citation_title") == [title]
    assert len(meta(page, "citation_author")) == PAPERS[slug]
    (date,) = meta(page, "citation_publication_date")
    assert len(date) == 10 and date[4] == date[7] == "/"
    assert meta(page, "citation_conference_title") == [
        "Conference on Neural Information Processing Systems 2022"
    ]
    assert meta(page, "citation_pdf_url")[0].startswith("https://")
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == title
    assert len(data["author"]) == PAPERS[slug]
    assert {a["@type"] for a in data["author"]} == {"Person"}
    assert data["isPartOf"]["alternateName"] == "NeurIPS 2022"
    assert data["abstract"].startswith(
        page.select_one(".paper-abstract p").get_text()[:40]
    )


def test_arxiv_papers_carry_their_ids(built_site):
    page = built_site.page("papers/neurips-2022/robust-models/")
    assert meta(page, "citation_arxiv_id") == ["2210.05938"]
    assert json_ld(page)["sameAs"] == ["https://arxiv.org/abs/2210.05938"]


def test_development_build_leaves_out_absolute_urls(built_site):
    page = built_site.page("papers/neurips-2022/robust-models/")
    assert page.find("link", rel="canonical") is None
    assert not og(page, "og:url") and not og(page, "og:image")
    assert "url" not in json_ld(page)
    assert og(page, "og:title") == ["Robust Models are less Over-Confident"]


def test_published_build_has_absolute_urls(site):
    site.build("publishconf.py", SITEURL=SITEURL, FEED_DOMAIN=SITEURL)
    page = site.page("papers/neurips-2022/robust-models/")
    url = f"{SITEURL}/papers/neurips-2022/robust-models/"
    assert page.find("link", rel="canonical")["href"] == url
    assert og(page, "og:url") == [url]
    assert og(page, "og:image") == [f"{SITEURL}/images/neurips22/robust-models.png"]
    assert meta(page, "twitter:card") == ["summary_large_image"]
    assert meta(page, "twitter:image") == og(page, "og:image")
    data = json_ld(page)
    assert data["url"] == url and data["image"] == og(page, "og:image")[0]
    assert data["isPartOf"]["url"] == f"{SITEURL}/{NEURIPS}"
    entry = parse_bib(
        (
            site.output / "papers/neurips-2022/robust-models/robust-models.bib"
        ).read_text()
    ).entries[0]
    assert entry["url"] == url


def test_hostile_title_stays_inside_the_json_ld(site):
    hostile = "</script><script>alert(1)</script> & <!- <b>"
    add_paper(
        site,
        "hostile",
        f"""
        Title: {hostile}
        Authors: Eve </script> Mallory
        Track: Full Paper
        """,
    )
    out = site.build()
    html = (out / "papers/neurips-2022/hostile/index.html").read_text()
    assert "<script>alert(1)" not in html
    page = site.page("papers/neurips-2022/hostile/")
    assert [s.get("type") or s.get("src") for s in page.find_all("script")] == [
        "application/ld+json",
        "../../../theme/conference-papers/search.js",
        "../../../theme/conference-papers/cite.js",
    ]
    data = json_ld(page)
    assert data["name"] == hostile
    assert meta(page, "citation_title") == [hostile]
    entry = parse_bib((out / "papers/neurips-2022/hostile/hostile.bib").read_text())
    assert entry.entries[0]["title"] == hostile


def test_venue_line_and_member_links(site):
    # The setting alone: the example site's member files would link Paul.
    shutil.rmtree(site.content / "members")
    site.build(
        CONFERENCE_PAPERS_MEMBERS={
            "Janis Keuper": "https://lab.example.org/people/janis/",
            "Paul Gavrikov": "javascript:alert(1)",
        }
    )
    page = site.page("papers/neurips-2022/medical-imaging-filters/")
    venue = " ".join(page.select_one(".paper-venue").get_text().split())
    # The conference's own title, as its page and the cards write it.
    assert venue.startswith("NeurIPS 22 · Workshop Paper · MedNeurIPS Workshop ·")
    authors = page.select_one(".paper-authors")
    assert authors.get_text() == "Paul Gavrikov, Janis Keuper"
    # Members stand out as on the cards, linked or not.
    highlighted = [s.get_text() for s in authors.select("strong.member")]
    assert highlighted == ["Paul Gavrikov", "Janis Keuper"]
    links = {a.get_text(): a["href"] for a in authors.find_all("a")}
    assert links == {"Janis Keuper": "https://lab.example.org/people/janis/"}
    person = json_ld(page)["author"][1]
    assert person["url"] == "https://lab.example.org/people/janis/"


def test_cite_block_works_without_script(built_site):
    page = built_site.page("papers/neurips-2022/robust-models/")
    block = page.select_one("section.paper-cite")
    assert block.h2.get_text() == "Cite"
    assert page.find("button") is None, "the copy button comes with the script"
    bibtex = block.pre.get_text()
    folder = built_site.output / "papers/neurips-2022/robust-models"
    assert bibtex in (folder / "robust-models.bib").read_text()
    files = {
        a.get_text(strip=True): a["href"] for a in block.select(".paper-cite-files a")
    }
    assert set(files) == {"BibTeX", "CSL-JSON"}
    for href in files.values():
        assert (folder / href).resolve().is_file()
    assert block.select_one(".paper-cite-text").get_text() == (
        "Julia Grabinski, Paul Gavrikov, Janis Keuper and Margret Keuper. "
        "Robust Models are less Over-Confident. In Conference on Neural Information "
        "Processing Systems 2022 (NeurIPS 2022), October 2022. arXiv:2210.05938."
    )


# --- the conference page -----------------------------------------------------


def test_conference_page_has_coins_for_every_card(built_site):
    page = built_site.page(NEURIPS)
    items = page.select("ol.paper-list > li")
    assert len(items) == 3
    for item in items:
        (span,) = item.select("span.Z3988")
        fields = parse_qs(span["title"])
        assert fields["ctx_ver"] == ["Z39.88-2004"]
        assert fields["rft.atitle"] == [item.h3.get_text(strip=True)]
        authors = item.select_one(".paper-card-authors").get_text().split(", ")
        assert fields["rft.au"] == authors
        assert fields["rft.genre"] == ["proceeding"]
    medical = parse_qs(items[2].select_one("span.Z3988")["title"])
    assert "info:arxiv/2210.13799" in medical["rft_id"]


# --- in a browser ------------------------------------------------------------


@pytest.fixture
def served(built_site):
    with serve(built_site.output) as origin:
        yield origin


@pytest.mark.browser
def test_copy_button_copies_the_bibtex(served, built_site, new_context):
    url = f"{served}/papers/neurips-2022/robust-models/"
    expected = Path(
        built_site.output / "papers/neurips-2022/robust-models/robust-models.bib"
    ).read_text()
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
    page = context.new_page()
    page.goto(url)
    button = page.get_by_role("button", name="Copy BibTeX")
    button.click()
    page.get_by_role("status").filter(has_text="Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() in expected
    assert copied.startswith("@inproceedings{grabinski2022robust,")
    quiet = new_context(java_script_enabled=False).new_page()
    quiet.goto(url)
    assert quiet.locator("button").count() == 0
    assert quiet.locator("pre").inner_text().startswith("@inproceedings")
