"""The hostile corpus (tests/fixtures/hostile/site/) attacked the way a visitor's
browser meets it: published with publishconf.py (absolute URLs, SITEURL set to the
local server), every page opened in headless Chromium, and then every link and
button on every page clicked.

Why a browser and not only the markup scan in tests/site/test_hostile.py: mutation XSS,
entity-encoded schemes and SVG/MathML tricks are about what the HTML *parser*
makes of the markup, and only a browser parses the way a browser does. A payload
that runs sets ``window.__pwned`` (or opens a dialog); a payload that leaks asks
another host for something. Both are failures here, as is a link whose target a
browser resolves to a ``javascript:``, ``data:`` or ``vbscript:`` URL.

Clicking: a navigation that a click starts is answered with ``204 No Content``, so
the page stays where it is (and a link to another host costs no request): the
visitor chose to follow it. Requests to other hosts that no click asked for, from
the page, a frame or a ``ping``, fail the test; after the timeline's consent
button ("Show live posts from ...") the provider's own requests are allowed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import Error as PlaywrightError
from pybtex.database import parse_string

from pelican.plugins.conference_papers.commands import check

from ..browser_support import serve
from ..conftest import copy_site
from ..site.test_hostile import HOSTILE, foreign_markup

pytestmark = pytest.mark.browser

METADATA_PAPER = "papers/attack-2024/metadata"
CLICKABLE = (
    "a, area, button, summary, input, label, [onclick], [tabindex], "
    "svg a, details, select, textarea"
)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
PWNED = "__pwned: "
CANARY = f"""Object.defineProperty(window, '__pwned', {{
  configurable: true, get() {{ return this.__pwnedValue }},
  set(value) {{ this.__pwnedValue = value; console.log('{PWNED}' + value) }} }})"""


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The lab's site with the hostile corpus, built with publishconf.py while
    being served: SITEURL is the server's own origin, so every absolute URL of
    the site points at it (and any other host is a leak)."""
    site = copy_site(tmp_path_factory.mktemp("hostile-published") / "site")
    shutil.copytree(HOSTILE / "site", site.content, dirs_exist_ok=True)
    site.output.mkdir()
    with serve(site.output) as origin:
        site.build("publishconf.py", SITEURL=origin, FEED_DOMAIN=origin)
        yield site, origin


def raw_title() -> str:
    """The metadata paper's Title, as written in its file."""
    text = (HOSTILE / "site" / f"{METADATA_PAPER}.md").read_text(encoding="utf-8")
    return text.splitlines()[0].removeprefix("Title: ")


class Attacker:
    """One Chromium context that records what ran and where it went."""

    def __init__(self, new_context, origin: str):
        self.origin = origin
        self.clicking = False
        self.consented = False
        self.failures: list[str] = []
        self.where = self.step = ""
        self.context = new_context()
        # A payload's ``window.__pwned = …`` is logged the moment it runs: a
        # javascript: URL that yields a string replaces the document (and its
        # window), so reading the flag afterwards would miss it.
        self.context.add_init_script(CANARY)
        self.context.route("**/*", self.route)
        self.context.on("page", self.watch)
        self.page = self.context.new_page()

    def watch(self, page) -> None:
        page.on("dialog", lambda d: self.fail(f"dialog {d.type}: {d.message}", d))
        page.on("console", self.console)

    def console(self, message) -> None:
        if message.text.startswith(PWNED):
            self.fail(f"script ran: {message.text.removeprefix(PWNED)} {self.step}")

    def fail(self, what: str, dialog=None) -> None:
        self.failures.append(f"{self.where}: {what}")
        if dialog is not None:
            dialog.dismiss()

    def route(self, route) -> None:
        request = route.request
        url = request.url
        local = url == self.origin or url.startswith(self.origin + "/")
        navigation = request.is_navigation_request()
        main = navigation and request.frame.parent_frame is None
        if self.clicking and main:
            # The visitor followed a link: stay on the page, ask nobody.
            route.fulfill(status=204, body="")
        elif local:
            route.continue_()
        else:
            if not self.consented:
                self.fail(f"request to another host without a click: {url}")
            route.abort()

    def check(self, after: str) -> None:
        """Let queued tasks (javascript: URLs, timers) run, then look."""
        self.step = after
        self.evaluate("() => new Promise(r => setTimeout(r, 0))")
        if not self.page.url.startswith(self.origin + "/"):
            self.fail(f"the page went to {self.page.url} {after}")

    def evaluate(self, script: str):
        """``script``'s value in the page; None when the page was replaced."""
        try:
            return self.page.evaluate(script)
        except PlaywrightError:
            return None

    def open(self, path: str) -> None:
        clicking, self.clicking = self.clicking, False
        for extra in self.context.pages[1:]:
            extra.close()
        self.page.goto(f"{self.origin}/{path}", wait_until="load")
        self.page.wait_for_timeout(100)  # timers, frames, meta refresh
        self.page.evaluate("() => { document.documentElement.dataset.attacked = 1 }")
        self.clicking = clicking

    def attack(self, path: str, seen: set[str]) -> int:
        """Open ``path``, hover and focus everything, click every clickable
        element not clicked before on another page; how many were clicked."""
        self.where, self.clicking, self.consented = path, False, False
        self.step = "on load"
        self.open(path)
        self.check("on load")
        self.page.evaluate(
            """() => { for (const el of document.querySelectorAll('body *'))
                for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle',
                                    'animationstart', 'pointerover'])
                  el.dispatchEvent(new Event(type)); }"""
        )
        self.check("on hover or focus")
        targets = self.page.evaluate(
            """(selector) => Array.from(document.querySelectorAll(selector), el => {
                 const raw = el.getAttribute('href') ?? el.getAttribute('xlink:href');
                 let href = '';
                 if (raw !== null) {
                   try { href = new URL(raw, document.baseURI).href; }
                   catch (e) { href = raw; }
                 }
                 return {html: el.outerHTML.slice(0, 300), href,
                         text: (el.textContent || '').trim()};
               })""",
            CLICKABLE,
        )
        self.clicking = True
        clicked = 0
        for index, target in enumerate(targets):
            if target["html"] in seen:
                continue
            seen.add(target["html"])
            if target["href"].lower().startswith(BAD_SCHEMES):
                self.fail(f"a link to {target['href'][:80]}: {target['html'][:120]}")
            if target["text"].startswith("Show live posts"):
                self.consented = True
            self.page.evaluate(
                "([s, i]) => document.querySelectorAll(s)[i]?.click()",
                [CLICKABLE, index],
            )
            clicked += 1
            self.check(f"after a click on {target['html'][:120]}")
            if not self.evaluate(
                "() => document.documentElement.dataset.attacked === '1'"
            ):  # a javascript: URL replaced the document: start again
                self.open(path)
        self.page.wait_for_timeout(50)
        self.check("after the clicks")
        return clicked


def test_every_page_and_every_click_stays_harmless(published, new_context):
    site, origin = published
    pages = sorted(
        p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html")
    )
    assert "papers/attack-2024/svg-math/index.html" in pages
    assert "conferences/attack-2024/index.html" in pages
    attacker = Attacker(new_context, origin)
    # The canaries: a script that runs, a link to script, an image from another
    # host and a link that pings another host when clicked are each seen.
    canary = site.output / "canary.html"
    canary.write_text(
        "<script>window.__pwned = 'canary'; alert(1)</script>"
        "<a href='javascript:0'>x</a>"
        "<img src='https://evil.example/canary.png'>"
        "<a href='#' ping='https://evil.example/ping'>ping</a>",
        encoding="utf-8",
    )
    attacker.attack("canary.html", set())
    caught = [f.split(": ", 2)[1] for f in attacker.failures]
    assert sorted(caught) == [
        "a link to javascript:0",
        "dialog alert",
        "request to another host without a click",
        "request to another host without a click",
        "script ran",
    ], attacker.failures
    attacker.failures.clear()
    canary.unlink()

    seen: set[str] = set()
    clicked = sum(attacker.attack(path, seen) for path in pages)
    print(f"{len(pages)} pages, {clicked} elements clicked")
    assert clicked > 3 * len(pages)
    assert not attacker.failures, "\n".join(attacker.failures)


def test_feeds_and_citations_carry_the_payloads_as_text(published):
    site, _ = published
    output = site.output
    title = raw_title()
    problems = []
    # Atom: well-formed XML whose entries are the papers, no more.
    for path in sorted(output.rglob("*.atom.xml")):
        tree = etree.parse(str(path))
        ns = {"a": "http://www.w3.org/2005/Atom"}
        ids = tree.xpath("//a:entry/a:id/text()", namespaces=ns)
        if "pwned" in ids or len(ids) != len(set(ids)):
            problems.append(f"{path.name}: an entry was injected: {ids}")
        nested = tree.xpath("//a:entry//a:entry", namespaces=ns)
        if nested:
            problems.append(f"{path.name}: an entry inside an entry")
        for entry in tree.xpath("//a:entry", namespaces=ns):
            html = "".join(
                "".join(e.itertext()) for e in entry.xpath("a:content", namespaces=ns)
            )
            problems += [f"{path.name}: {f}" for f in foreign_markup(html, set())]
    site_feed = etree.parse(str(output / "feeds/papers.atom.xml"))
    titles = site_feed.xpath(
        "//a:entry/a:title/text()", namespaces={"a": "http://www.w3.org/2005/Atom"}
    )
    if title not in titles:
        problems.append(f"papers.atom.xml: the title is not kept as text: {titles}")
    # JSON Feed: parses, the title is the text, content_html holds nothing active.
    feed = json.loads((output / "feeds/papers.json").read_text(encoding="utf-8"))
    if title not in [item.get("title") for item in feed["items"]]:
        problems.append("papers.json: the title is not kept as text")
    for path in sorted(output.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("items", []) if isinstance(data, dict) else []:
            found = foreign_markup(item.get("content_html", ""), set())
            problems += [f"{path.name}: {f}" for f in found]
    # BibTeX: one entry per paper, no field the file did not give.
    folder = output / METADATA_PAPER
    (bib,) = folder.glob("*.bib")
    entries = parse_string(bib.read_text(encoding="utf-8"), "bibtex").entries
    if len(entries) != 1:
        problems.append(f"{bib.name}: {len(entries)} entries, not 1: {list(entries)}")
    for key, entry in entries.items():
        if "pwned" in key.lower() or "note" in entry.fields:
            problems.append(f"{bib.name}: a field or entry was injected: {key}")
    lab = parse_string(
        (output / "conferences/papers.bib").read_text(encoding="utf-8"), "bibtex"
    ).entries
    if any("pwned" in key.lower() for key in lab):
        problems.append(f"papers.bib: an entry was injected: {list(lab)}")
    # CSL-JSON: the title and the authors are the text of the file.
    (csl,) = folder.glob("*.csl.json")
    items = json.loads(csl.read_text(encoding="utf-8"))
    if [item.get("title") for item in items] != [title]:
        problems.append(f"{csl.name}: title {[i.get('title') for i in items]}")
    # JSON-LD on the page: parses, and its name is the title.
    page = site.page(f"{METADATA_PAPER}/")
    for script in page.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        if data.get("name") != title:
            problems.append(f"JSON-LD name {data.get('name')!r}")
    assert problems == []


# --- what the check lets through must be harmless too ------------------------


@pytest.fixture(scope="module")
def let_through(tmp_path_factory):
    """Every refused file that `pelican-papers check` does NOT refuse, built
    into the lab's site with publishconf.py and served: a payload must be
    refused or harmless, never neither."""
    site = copy_site(tmp_path_factory.mktemp("hostile-let-through") / "site")
    shutil.copytree(HOSTILE / "refused", site.content, dirs_exist_ok=True)
    (site.content / "LINES.txt").unlink()
    settings = check.load_settings(str(site.root / "pelicanconf.py"), str(site.content))
    refused = {p.path for p in check.find_problems(settings) if p.severity == "error"}
    kept = []
    for path in sorted(site.content.rglob("*.md")):
        relative = path.relative_to(site.content).as_posix()
        if relative in refused:
            path.unlink()
        elif (HOSTILE / "refused" / relative).is_file():
            kept.append(relative)
    site.output.mkdir()
    with serve(site.output) as origin:
        site.build("publishconf.py", SITEURL=origin, FEED_DOMAIN=origin)
        yield site, origin, kept


def test_payloads_the_check_lets_through_do_not_run(let_through, new_context):
    site, origin, kept = let_through
    pages = sorted(
        p.relative_to(site.output).as_posix() for p in site.output.rglob("*.html")
    )
    attacker = Attacker(new_context, origin)
    seen: set[str] = set()
    for path in pages:
        attacker.attack(path, seen)
    assert not attacker.failures, "\n".join([*attacker.failures, f"from {kept}"])


def test_no_file_from_outside_the_content_folder_is_published(let_through):
    """``{static}``/``{attach}`` targets that climb out of content/ copy
    nothing: not the settings beside it, not /etc/hosts."""
    site, _, kept = let_through
    outside = {
        (site.root / name).read_bytes(): name
        for name in ("pelicanconf.py", "publishconf.py")
    }
    for name in ("/etc/hosts", "/etc/passwd", "/etc/hostname"):
        if Path(name).is_file():
            outside[Path(name).read_bytes()] = name
    published = [
        f"{path.relative_to(site.output)} is {outside[path.read_bytes()]}"
        for path in sorted(site.output.rglob("*"))
        if path.is_file() and path.read_bytes() in outside
    ]
    assert published == [], f"let through: {kept}"
