"""The feeds of new papers, read the way a validator and a feed reader read them.

Every Atom feed the built site publishes is checked against the RELAX NG grammar
of RFC 4287 (Appendix B, tests/schemas/atom.rng) and against the RFC's MUST rules
that the grammar cannot express; feedparser must read it without complaint.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pelican
import pytest
from lxml import etree

from pelican.plugins.conference_papers.generator import ContentError
from pelican.plugins.conference_papers.settings import SettingsError

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
SCHEMA = Path(__file__).parents[1] / "schemas" / "atom.rng"  # RFC 4287, Appendix B
RNG = etree.RelaxNG(etree.parse(str(SCHEMA)))
DEV_ROOT = "http://127.0.0.1:8000"  # CONFERENCE_PAPERS_FEED_FALLBACK_SITEURL
SITE_FEED = "feeds/papers.atom.xml"
NEURIPS_FEED = "feeds/conferences/neurips-2022.atom.xml"
# RFC 4151: tag:<DNS name or e-mail>,<date>:<specific>
TAG_URI = re.compile(
    r"^tag:([a-z0-9-]+(\.[a-z0-9-]+)*|[^@\s]+@[a-z0-9.-]+),\d{4}(-\d{2}(-\d{2})?)?:"
    r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$"
)
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


# --- the checks -----------------------------------------------------------------


def atom_feeds(output: Path) -> dict[str, etree._ElementTree]:
    """Every feed in the output (Atom or RSS), found by content, not by name."""
    feeds = {}
    for path in sorted(output.rglob("*")):
        if path.suffix in (".xml", ".atom", ".rss") and path.is_file():
            doc = etree.parse(str(path))
            if doc.getroot().tag in (A + "feed", "rss"):
                feeds[path.relative_to(output).as_posix()] = doc
    return feeds


ATOM_LINKS = 'link[rel="alternate"][type="application/atom+xml"]'


def json_feeds(output: Path) -> dict[str, dict]:
    feeds = {}
    for path in sorted(output.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        # Other .json files (CSL-JSON citations) are lists, not feeds.
        version = data.get("version", "") if isinstance(data, dict) else ""
        if str(version).startswith("https://jsonfeed.org/version/"):
            feeds[path.relative_to(output).as_posix()] = data
    return feeds


def children(element, name: str) -> list:
    return element.findall(A + name)


def links(element, rel: str = "alternate") -> list:
    return [
        link
        for link in children(element, "link")
        if link.get("rel", "alternate") == rel
    ]


def check_must_rules(doc) -> None:
    """RFC 4287's MUST rules the grammar does not check (sections 4.1.1, 4.1.2)."""
    feed = doc.getroot()
    assert feed.tag == A + "feed", "an Atom feed, not RSS"
    for name in ("id", "title", "updated"):
        assert len(children(feed, name)) == 1, f"exactly one <{name}> per feed"
    feed_authors = children(feed, "author")
    ids = [children(feed, "id")[0].text]
    alternates = [(link.get("type"), link.get("hreflang")) for link in links(feed)]
    assert len(alternates) == len(set(alternates)), "one alternate per type+hreflang"
    assert len(links(feed, "self")) == 1
    for entry in children(feed, "entry"):
        for name in ("id", "title", "updated"):
            assert len(children(entry, name)) == 1, f"exactly one <{name}> per entry"
        source = entry.find(A + "source")
        assert (
            children(entry, "author")
            or feed_authors
            or (source is not None and children(source, "author"))
        ), "an author for every entry or the feed"
        contents = children(entry, "content")
        assert links(entry) or contents, "an alternate link or content in every entry"
        if contents and contents[0].get("src"):
            assert children(entry, "summary"), "out-of-line content needs a summary"
        alternates = [(link.get("type"), link.get("hreflang")) for link in links(entry)]
        assert len(alternates) == len(set(alternates))
        ids.append(children(entry, "id")[0].text)
    assert len(ids) == len(set(ids)), "unique ids"
    for value in ids:
        assert IRI.match(value), f"{value!r} is not an IRI"
    for person in feed.iter(A + "author", A + "contributor"):
        name = person.find(A + "name")
        assert name is not None and name.text and name.text.strip(), "no empty <name/>"
    for element in feed.iter(A + "link"):
        assert urlsplit(element.get("href")).scheme, "every link is absolute"


def check_atom(path: Path, label: str) -> feedparser.FeedParserDict:
    doc = etree.parse(str(path))
    assert RNG.validate(doc), f"{label}: {RNG.error_log}"
    check_must_rules(doc)
    parsed = feedparser.parse(path.read_bytes())  # the bytes a reader gets
    assert parsed.bozo == 0, f"{label}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10"
    return parsed


def check_json_feed(data: dict, label: str) -> None:
    """The MUST rules of JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    assert data["version"] == "https://jsonfeed.org/version/1.1", label
    assert isinstance(data["title"], str) and data["title"]
    assert urlsplit(data["feed_url"]).scheme in ("http", "https")
    ids = [item["id"] for item in data["items"]]
    assert len(ids) == len(set(ids)) and all(isinstance(i, str) and i for i in ids)
    for item in data["items"]:
        assert item.get("content_html") or item.get("content_text")
        for key in ("date_published", "date_modified"):
            dt.datetime.fromisoformat(item[key])
        for author in item["authors"]:
            assert author.get("name") or author.get("url")


def check_site(output: Path) -> dict[str, feedparser.FeedParserDict]:
    """Every feed of a built site is valid; the parsed Atom feeds by path."""
    feeds = atom_feeds(output)
    assert SITE_FEED in feeds
    parsed = {path: check_atom(output / path, path) for path in feeds}
    for path, data in json_feeds(output).items():
        check_json_feed(data, path)
    return parsed


def entry_of(parsed, title: str):
    return next(e for e in parsed.entries if e.title == title)


# --- the lab's site -------------------------------------------------------------


def test_every_feed_the_site_publishes_is_valid(built_site):
    parsed = check_site(built_site.output)
    assert NEURIPS_FEED in parsed
    assert "feeds/members/margret-keuper.atom.xml" in parsed
    assert len(parsed[SITE_FEED].entries) == 3
    assert len(parsed[NEURIPS_FEED].entries) == 3
    assert set(json_feeds(built_site.output)) >= {
        "feeds/papers.json",
        "feeds/conferences/neurips-2022.json",
    }


def test_the_checks_catch_a_broken_feed(built_site):
    """The grammar and the rule checks are not vacuous."""
    doc = etree.parse(str(built_site.output / SITE_FEED))
    no_id = copy.deepcopy(doc)
    root = no_id.getroot()
    root.remove(root.find(A + "id"))
    assert not RNG.validate(no_id)
    twice = copy.deepcopy(doc)
    twice.getroot().append(copy.deepcopy(twice.getroot().find(A + "entry")))
    assert RNG.validate(twice), "the grammar cannot see duplicate ids..."
    with pytest.raises(AssertionError, match="unique ids"):
        check_must_rules(twice)  # ...the rule checks do
    anonymous = copy.deepcopy(doc)
    for author in anonymous.getroot().iter(A + "author"):
        author.getparent().remove(author)
    with pytest.raises(AssertionError, match="an author"):
        check_must_rules(anonymous)


def test_each_feed_has_its_own_id_and_absolute_self_link(built_site):
    feeds = atom_feeds(built_site.output)
    ids = {path: doc.getroot().find(A + "id").text for path, doc in feeds.items()}
    assert len(set(ids.values())) == len(ids), ids
    assert ids[SITE_FEED] == "tag:keuperlabs.example.org,2022:papers"
    for path, doc in feeds.items():
        self_link = links(doc.getroot(), "self")[0].get("href")
        assert self_link == f"{DEV_ROOT}/{path}"
    neurips = feeds[NEURIPS_FEED].getroot()
    assert [link.get("href") for link in links(neurips)] == [
        f"{DEV_ROOT}/conferences/neurips-2022/",
        f"{DEV_ROOT}/feeds/conferences/neurips-2022.json",
    ]
    assert b"<name/>" not in (built_site.output / SITE_FEED).read_bytes()


def test_an_entry_carries_the_paper(built_site):
    doc = etree.parse(str(built_site.output / NEURIPS_FEED))
    entry = next(
        e
        for e in children(doc.getroot(), "entry")
        if e.findtext(A + "title") == "Robust Models are less Over-Confident"
    )
    assert entry.findtext(A + "id") == (
        "tag:keuperlabs.example.org,2022:paper:neurips-2022/robust-models"
    )
    assert TAG_URI.match(entry.findtext(A + "id"))
    assert [a.findtext(A + "name") for a in children(entry, "author")] == [
        "Julia Grabinski",
        "Paul Gavrikov",
        "Janis Keuper",
        "Margret Keuper",
    ]
    assert entry.findtext(A + "published") == "2022-10-11T00:00:00+02:00"
    assert entry.findtext(A + "updated") == "2022-10-11T00:00:00+02:00"
    assert [link.get("href") for link in links(entry)] == [
        f"{DEV_ROOT}/papers/neurips-2022/robust-models/"
    ]
    related = [
        (link.get("title"), link.get("href")) for link in links(entry, "related")
    ]
    assert related == [
        ("PDF", "https://arxiv.org/pdf/2210.05938.pdf"),
        ("arXiv", "https://arxiv.org/abs/2210.05938"),
    ]
    categories = [
        (c.get("term"), c.get("scheme"), c.get("label"))
        for c in children(entry, "category")
    ]
    authority = "tag:keuperlabs.example.org,2022"
    assert categories == [
        ("neurips-2022", f"{authority}:conference", "NeurIPS 22"),
        ("full-paper", f"{authority}:track:neurips-2022", "Full Paper"),
        ("robustness", f"{authority}:tag", "robustness"),
        ("calibration", f"{authority}:tag", "calibration"),
    ]
    summary = entry.find(A + "summary")
    assert summary.get("type") == "text"
    assert summary.text.startswith("Despite the success of convolutional neural")
    assert "<" not in summary.text
    content = entry.find(A + "content")
    assert content.get("type") == "html"
    card = etree.HTML(content.text)
    page = f"{DEV_ROOT}/papers/neurips-2022/robust-models/"
    assert card.xpath("//h3/a/@href") == [page]
    # The card's thumbnail, linking the full image:
    assert card.xpath("//img/@src") == [
        f"{DEV_ROOT}/thumbnails/images/neurips22/robust-models-480w.webp"
    ]
    assert card.xpath("//a[img]/@href") == [
        f"{DEV_ROOT}/images/neurips22/robust-models.png"
    ]
    hrefs = card.xpath("//a/@href")
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs), hrefs
    assert "Read the full abstract" not in content.text, "unfolded for readers"
    assert not card.xpath("//svg | //script | //style | //*[@class]")
    # A reader sees the same:
    parsed = feedparser.parse(built_site.output / NEURIPS_FEED)
    seen = entry_of(parsed, "Robust Models are less Over-Confident")
    assert [t.term for t in seen.tags][:2] == ["neurips-2022", "full-paper"]
    assert seen.authors[0].name == "Julia Grabinski"
    assert seen.link == f"{DEV_ROOT}/papers/neurips-2022/robust-models/"


def test_papers_come_newest_first(built_site):
    parsed = feedparser.parse(built_site.output / SITE_FEED)
    assert [e.title for e in parsed.entries] == [
        "Trading off Image Quality for Robustness is not Necessary with "
        "Regularized Deterministic Autoencoders",
        "Does Medical Imaging learn different Convolution Filters?",
        "Robust Models are less Over-Confident",
    ]
    # The feed is as new as its newest entry, not as the build.
    assert parsed.feed.updated == parsed.entries[0].updated


def test_every_page_links_the_site_feed_and_a_conference_page_its_own(built_site):
    output = built_site.output
    pages = sorted(output.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        soup = built_site.page(page.relative_to(output).as_posix())
        hrefs = [
            urljoin(page.as_uri(), link["href"]) for link in soup.select(ATOM_LINKS)
        ]
        assert (output / SITE_FEED).as_uri() in hrefs, page
        for href in hrefs:
            assert Path(urlsplit(href).path).is_file(), f"{page}: {href}"
    conference = output / "conferences/neurips-2022/index.html"
    soup = built_site.page("conferences/neurips-2022/")
    atom = soup.select(ATOM_LINKS)
    assert [urljoin(conference.as_uri(), link["href"]) for link in atom] == [
        (output / SITE_FEED).as_uri(),
        (output / NEURIPS_FEED).as_uri(),
    ]
    assert "NeurIPS 22" in atom[1]["title"]
    subscribe = soup.select_one("a.subscribe-link")
    assert subscribe.get_text(strip=True) == "Subscribe"
    assert subscribe.svg["class"] == ["icon", "icon-rss"]
    target = urljoin(conference.as_uri(), subscribe["href"])
    assert target == (output / NEURIPS_FEED).as_uri()


# --- changes a lab makes ------------------------------------------------------------


def test_a_paper_from_yesterday_is_first_in_both_feeds(site):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    site.write(
        "papers/neurips-2022/fresh.md",
        f"""
        Title: A Paper from Yesterday
        Authors: Margret Keuper
        Track: Full Paper
        Date: {yesterday.isoformat()}

        Just out.
        """,
    )
    site.build()
    parsed = check_site(site.output)
    for path in (SITE_FEED, NEURIPS_FEED, "feeds/members/margret-keuper.atom.xml"):
        first = parsed[path].entries[0]
        assert first.title == "A Paper from Yesterday", path
        assert first.published.startswith(yesterday.isoformat())
        assert parsed[path].feed.updated == first.updated
    first = json_feeds(site.output)["feeds/papers.json"]["items"][0]
    assert first["title"] == "A Paper from Yesterday"


def test_hostile_title_and_a_form_feed_keep_every_feed_valid(site):
    title = 'Sparse <Networks> & “quoted” "ﬁlters" for A\u0308rzte'
    site.write(
        "papers/neurips-2022/hostile.md",
        f"""
        Title: {title}
        Authors: Zoë <b>Müller</b>, José & Co
        Track: Full Paper
        Date: 2022-10-20
        Tags: <script>, a&b

        Page one ends here.\fPage two\x01 begins <here> & goes on.
        """,
    )
    site.build()
    parsed = check_site(site.output)
    for path in (SITE_FEED, NEURIPS_FEED):
        entry = entry_of(parsed[path], title)  # the title round-trips exactly
        assert "\f" not in entry.summary and "\x01" not in entry.summary
        assert "Page one ends here." in entry.summary and "& goes on" in entry.summary
        assert [a.name for a in entry.authors] == ["Zoë <b>Müller</b>", "José & Co"]
        assert "<script>" in [t.label for t in entry.tags]
        content = entry.content[0].value
        assert "<b>" not in content and "<script" not in content
    raw = (site.output / SITE_FEED).read_text(encoding="utf-8")
    assert "ﬁlters" in raw and "\f" not in raw and "\x01" not in raw
    data = json_feeds(site.output)["feeds/papers.json"]
    assert any(item["title"] == title for item in data["items"])


def feed_bytes(output: Path) -> dict[str, bytes]:
    feeds = output / "feeds"
    return {
        path.relative_to(feeds).as_posix(): path.read_bytes()
        for path in sorted(feeds.rglob("*"))
        if path.is_file()
    }


def test_two_builds_give_the_same_bytes_and_a_move_keeps_the_ids(site):
    site.build()
    first = feed_bytes(site.output)
    shutil.rmtree(site.output)
    site.build()
    second = feed_bytes(site.output)
    assert first == second and len(first) > 4
    dev_ids = [e.id for e in feedparser.parse(site.output / SITE_FEED).entries]
    # Published under the real domain: absolute links change, ids do not.
    site.build("publishconf.py")
    check_site(site.output)
    published = feedparser.parse(site.output / SITE_FEED)
    assert [e.id for e in published.entries] == dev_ids
    assert published.feed.links[0].href == (
        "https://keuperlabs.example.org/feeds/papers.atom.xml"
    )
    assert published.entries[0].link.startswith(
        "https://keuperlabs.example.org/papers/"
    )


def test_an_id_field_keeps_the_entry_id_when_the_file_is_renamed(site):
    text = """
        Title: Renamed Later
        Authors: Paul Gavrikov
        Track: Full Paper
        Date: 2022-10-01
        Id: neurips-2022/renamed-later
        """
    old = site.write("papers/neurips-2022/renamed-later.md", text)
    site.build()
    before = entry_of(feedparser.parse(site.output / SITE_FEED), "Renamed Later")
    old.unlink()
    site.write("papers/neurips-2022/a-better-name.md", text)
    site.build()
    after = entry_of(feedparser.parse(site.output / SITE_FEED), "Renamed Later")
    assert (
        after.id
        == before.id
        == ("tag:keuperlabs.example.org,2022:paper:neurips-2022/renamed-later")
    )
    assert after.link.endswith("/papers/neurips-2022/a-better-name/")


def test_two_papers_with_one_id_stop_the_build_with_file_and_line(site, caplog):
    for slug in ("first", "copy-of-first"):
        site.write(
            f"papers/neurips-2022/{slug}.md",
            "Title: Copied\nAuthors: Ada Lovelace\nTrack: Full Paper\nId: same-id\n",
        )
    with pytest.raises(ContentError):
        site.build()
    assert (
        "papers/neurips-2022/first.md:4: the feed id 'same-id' is also the id of "
        "papers/neurips-2022/copy-of-first.md"
    ) in caplog.text
    assert not (site.output / SITE_FEED).exists()


def test_the_count_is_capped_by_a_setting(site):
    site.build(CONFERENCE_PAPERS_FEED_MAX_ITEMS=2)
    parsed = check_site(site.output)
    assert [e.title for e in parsed[SITE_FEED].entries] == [
        "Trading off Image Quality for Robustness is not Necessary with "
        "Regularized Deterministic Autoencoders",
        "Does Medical Imaging learn different Convolution Filters?",
    ]


def test_an_empty_site_has_a_valid_empty_feed_dated_without_the_clock(empty_site):
    empty_site.build()
    parsed = check_site(empty_site.output)
    assert parsed[SITE_FEED].entries == []
    assert parsed[SITE_FEED].feed.updated == "1970-01-01T00:00:00+00:00"
    assert json_feeds(empty_site.output)["feeds/papers.json"]["items"] == []


def test_news_articles_add_no_invalid_feed(site):
    """Pelican's own feeds stay off (pelicanconf.py); a news post changes nothing."""
    site.write("news/hello.md", "Title: Hello\nDate: 2022-11-01\n\nNews.\n")
    site.build()
    assert (site.output / "hello.html").is_file()
    check_site(site.output)


def test_feeds_in_pelicans_notmyidea_theme_are_linked(site):
    site.build(THEME=str(Path(pelican.__file__).parent / "themes/notmyidea"))
    soup = site.page("conferences/neurips-2022/")
    hrefs = [link["href"] for link in soup.select(ATOM_LINKS)]
    assert any(href.endswith(NEURIPS_FEED) for href in hrefs)
    check_site(site.output)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TAG_AUTHORITY", "keuperlabs.example.org", "a domain and a year"),
        ("CONFERENCE_FEED_ATOM", "feeds/all.atom.xml", "must hold {slug}"),
        ("FEED_ATOM", "/feeds/papers.atom.xml", "relative to the output folder"),
        ("FEED_FALLBACK_SITEURL", "localhost", "absolute http(s) address"),
    ],
)
def test_unusable_feed_settings_are_named(site, name, value, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        site.build(**{f"CONFERENCE_PAPERS_{name}": value})


@pytest.mark.browser
def test_the_subscribe_link_is_visible_in_a_browser(built_site, new_context):
    page_path = built_site.output / "conferences/neurips-2022/index.html"
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(page_path.as_uri())
    link = page.locator("a.subscribe-link")
    assert link.is_visible()
    box = link.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 60, box
    icon = link.locator("svg").bounding_box()
    assert 8 <= icon["width"] <= 40, "the feed icon is sized like text"


# --- bounded previews ------------------------------------------------------------


def long_abstract(words: int) -> str:
    """Paragraphs of words with emphasis and character references in them."""
    paragraphs = []
    for start in range(0, words, 100):
        paragraphs.append(
            " ".join(
                f"*w{n}* &amp;" if n % 17 == 0 else f"w{n}"
                for n in range(start, min(start + 100, words))
            )
        )
    return "\n\n".join(paragraphs) + "\n\nThe last words.\n"


def test_a_long_abstract_is_previewed_on_cards_and_in_feeds_whole_on_its_page(site):
    most = 500
    site.write(
        "papers/neurips-2022/long.md",
        "Title: A Long Abstract\nAuthors: Julia Grabinski\nTrack: Full Paper\n"
        "Date: 2030-01-01\n\n" + long_abstract(40_000),
    )
    output = site.build(CONFERENCE_PAPERS_SUMMARY_MAX_CHARS=most)
    paper = site.page("papers/neurips-2022/long/")
    assert "The last words." in paper.select_one(".paper-abstract").get_text()
    for page in ("index.html", "conferences/neurips-2022/"):
        card = site.page(page).select_one("#long")
        preview = card.select_one(".paper-card-abstract")
        assert "The last words." not in preview.get_text()
        more = card.select_one(".paper-card-more a")
        assert more is not None and more["href"].endswith("papers/neurips-2022/long/")
        # The preview proper: at most `most` characters of the abstract's text.
        body = preview.get_text().split("Read the full abstract", 1)[-1]
        body = body.replace(more.get_text(), "")
        assert len(" ".join(body.split())) <= most + 1, len(body)
    # A word is never cut, nor a reference; emphasis is closed.
    html = str(site.page("index.html").select_one("#long .paper-card-abstract"))
    assert "&amp;" in html and not re.search(r"&(?!amp;|lt;|gt;|quot;|#)", html)
    assert re.search(r"w\d+…", html) and not re.search(r"w…", html)
    entry = next(
        e for e in feedparser.parse(output / SITE_FEED).entries if "Long" in e.title
    )
    assert len(entry.summary) <= most and entry.summary.endswith("…")
    assert "The last words." not in entry.content[0].value
    item = next(
        i
        for i in json_feeds(output)["feeds/papers.json"]["items"]
        if "Long" in i["title"]
    )
    assert len(item["summary"]) <= most
    assert len(item["content_html"]) < 10 * most
    # The feed and the home page stay small although the abstract is 300 KB.
    assert (output / SITE_FEED).stat().st_size < 200_000
    assert (output / "index.html").stat().st_size < 200_000
