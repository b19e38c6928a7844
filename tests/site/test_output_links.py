"""Every internal reference in the output resolves: links, images (and each
srcset entry), stylesheets, scripts, feed links, and #fragments to their id.
External http(s) links and mailto: are left alone (no network in tests)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from ..conftest import copy_site

SITE = "https://site.invalid/"  # stands for the output folder's root
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:")
# (tag, attribute) pairs that hold one URL; srcset is split separately.
URL_ATTRIBUTES = [
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("video", "poster"),
    ("form", "action"),
]


def html_references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attribute in URL_ATTRIBUTES:
        found += [node[attribute] for node in soup.find_all(tag, **{attribute: True})]
    for node in soup.find_all(srcset=True):
        found += [
            entry.split()[0] for entry in node["srcset"].split(",") if entry.strip()
        ]
    # Social cards and citation metadata name files of the site by absolute URL.
    found += [
        node["content"]
        for node in soup.find_all("meta", content=True)
        if node["content"].startswith(("http://", "https://", "/"))
        and any(key in node.attrs for key in ("property", "name"))
        and node.get("property", node.get("name", "")).endswith(("image", "url"))
    ]
    return found


def feed_references(path: Path) -> list[tuple[str, str]]:
    """(base URL, reference) pairs of an Atom/RSS or JSON feed, with the HTML
    inside its entries."""
    found = []
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        # A JSON Feed is an object; CSL-JSON (a list of citations) holds no links.
        if not isinstance(data, dict) or "jsonfeed" not in str(data.get("version")):
            return []
        found += [("", data[k]) for k in ("home_page_url", "feed_url") if k in data]
        for item in data.get("items", []):
            base = item.get("url", "")
            found += [("", item[k]) for k in ("url", "image") if k in item]
            for key in ("content_html", "summary"):
                found += [(base, r) for r in html_references(item.get(key) or "")]
        return found
    tree = etree.parse(str(path))
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        if name == "link":
            found.append(("", node.get("href") or (node.text or "").strip()))
        elif name in ("icon", "logo"):
            found.append(("", (node.text or "").strip()))
        elif (
            name in ("content", "summary", "description")
            and node.text
            and node.get("type", "html") in ("html", "text/html")
        ):
            found += [("", r) for r in html_references(node.text)]
    return [(base, ref) for base, ref in found if ref]


class LinkChecker:
    """Resolves references against the output folder. ``siteurl`` is the
    absolute URL the site was built for (publishconf), or "" for relative."""

    def __init__(self, output: Path, siteurl: str = ""):
        self.output = output
        self.siteurl = siteurl.rstrip("/")
        self._ids: dict[Path, set[str]] = {}

    def url_of(self, path: Path) -> str:
        return SITE + path.relative_to(self.output).as_posix()

    def problem(self, page_url: str, reference: str) -> str | None:
        """Why ``reference`` (found on ``page_url``) does not resolve, or None."""
        if reference.startswith(SKIPPED_SCHEMES):
            return None
        written = reference
        if self.siteurl and reference.startswith(self.siteurl + "/"):
            reference = SITE + reference[len(self.siteurl) + 1 :]
        elif self.siteurl and reference == self.siteurl:
            reference = SITE
        url = urlsplit(urljoin(page_url, reference))
        if f"{url.scheme}://{url.netloc}/" != SITE:
            return None  # another host: not ours to check here
        target = self.output / unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.resolve().is_relative_to(self.output.resolve()):
            return f"{written}: outside the site"
        if not target.is_file():
            return f"{written}: no file {target.relative_to(self.output)}"
        fragment = unquote(url.fragment)
        if fragment and target.suffix == ".html" and fragment not in self.ids(target):
            return f"{written}: no id '{fragment}' in {target.relative_to(self.output)}"
        return None

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            self._ids[page] = {n["id"] for n in soup.find_all(id=True)} | {
                n["name"] for n in soup.find_all("a", attrs={"name": True})
            }
        return self._ids[page]

    def broken(self) -> list[str]:
        """Every reference that does not resolve, as 'page: reference: why'."""
        broken = []
        for path in sorted(self.output.rglob("*")):
            if path.suffix == ".html":
                pairs = [
                    ("", r) for r in html_references(path.read_text(encoding="utf-8"))
                ]
            elif path.suffix in (".xml", ".atom", ".rss", ".json"):
                pairs = feed_references(path)
            else:
                continue
            page_url = self.url_of(path)
            for base, reference in pairs:
                why = self.problem(
                    urljoin(page_url, base) if base else page_url, reference
                )
                if why:
                    broken.append(f"{path.relative_to(self.output)}: {why}")
        return broken


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """The lab site built as `make publish` builds it: absolute URLs, feeds."""

    site = copy_site(tmp_path_factory.mktemp("published") / "site")
    site.build("publishconf.py", SITEURL="https://keuperlabs.example.org")
    return site


def test_every_internal_reference_resolves_in_the_development_build(built_site):
    checker = LinkChecker(built_site.output)
    pages = list(built_site.output.rglob("*.html"))
    assert len(pages) >= 5
    assert checker.broken() == []


def test_every_internal_reference_resolves_in_the_published_build(published_site):
    checker = LinkChecker(published_site.output, "https://keuperlabs.example.org")
    assert checker.broken() == []


def test_the_link_check_finds_what_is_broken(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="#here">ok</a><a href="#gone">1</a>'
        '<a href="../missing/">2</a><img src="../pic.png" srcset="../pic.png 1x,'
        ' ../pic-2x.png 2x"><link rel="alternate" href="../feed.xml">'
        '<a href="https://example.org/">external</a><a href="mailto:a@b.c">m</a>'
    )
    (tmp_path / "pic.png").write_bytes(b"")
    (tmp_path / "feed.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<link href="https://lab.example/a/"/><link href="https://lab.example/b/"/>'
        '<content type="html">&lt;img src="https://lab.example/c.png"&gt;</content>'
        "</entry></feed>"
    )
    broken = LinkChecker(tmp_path, "https://lab.example").broken()
    assert broken == [
        "a/index.html: #gone: no id 'gone' in a/index.html",
        "a/index.html: ../missing/: no file missing",
        "a/index.html: ../pic-2x.png: no file pic-2x.png",
        "feed.xml: https://lab.example/b/: no file b",
        "feed.xml: https://lab.example/c.png: no file c.png",
    ]
