"""Hostile content (tests/fixtures/hostile/) shows as text or not at all: built
into a site and opened in headless Chromium, none of its scripts runs; the
output holds no script, handler, style or link scheme the theme does not ship."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from pelican.plugins.conference_papers import cli

from .browser_support import serve
from .conftest import copy_site

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
SCHEMES = ("", "http", "https", "mailto")
URL_ATTRIBUTES = (
    "href", "src", "action", "formaction", "data", "poster", "background", "ping",
    "xlink:href", "srcset", "cite", "longdesc", "manifest", "codebase",
)  # fmt: skip
ACTIVE_TAGS = ("iframe", "frame", "frameset", "object", "embed", "applet", "form",
               "base", "portal", "template")  # fmt: skip


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("hostile") / "site")
    shutil.copytree(HOSTILE / "site", site.content, dirs_exist_ok=True)
    site.build()
    return site


def scheme(url: str) -> str:
    """The scheme a browser sees (WHATWG: leading C0/space stripped, tabs and
    newlines removed)."""
    url = url.lstrip("".join(map(chr, range(0x21))))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def shipped_markup(output: Path) -> set[str]:
    """Scripts, styles and handlers in a build of the lab's own content."""
    shipped: set[str] = set()
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "style"]):
            if tag.get("type") != "application/ld+json":
                shipped.add(str(tag))
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                if name.lower().startswith("on") or name.lower() == "style":
                    shipped.add(f"{tag.name} {name}={value}")
    return shipped


def foreign_markup(html: str, shipped: set[str]) -> list[str]:
    """Everything in ``html`` that could run or restyle, beyond ``shipped``."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            text = tag.string or ""
            if re.search(r"</script|<!--", text, re.IGNORECASE):
                found.append(f"JSON-LD that ends the script early: {text[:80]}")
            try:
                json.loads(text)
            except ValueError:
                found.append(f"JSON-LD that does not parse: {text[:80]}")
        elif tag.name in ("script", "style") and str(tag) not in shipped:
            found.append(str(tag)[:120])
        if tag.name in ACTIVE_TAGS or (
            tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh"
        ):
            found.append(str(tag)[:120])
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            lower = name.lower()
            if (lower.startswith("on") or lower == "style") and (
                f"{tag.name} {name}={value}" not in shipped
            ):
                found.append(f"<{tag.name} {name}={value!r}>")
            if lower in URL_ATTRIBUTES and scheme(value) not in SCHEMES:
                found.append(f"<{tag.name} {name}={value!r}>")
            if lower in URL_ATTRIBUTES and value.lstrip().startswith(("//", "\\")):
                found.append(f"<{tag.name} {name}={value!r}> (another host)")
    return found


def html_in_feeds_and_json(output: Path) -> list[tuple[Path, str]]:
    """HTML carried by feeds (Atom/RSS content) and JSON (``*_html`` keys)."""
    carried = []
    for path in output.rglob("*.xml"):
        tree = etree.parse(str(path))
        for element in tree.iter():
            if element.get("type") in ("html", "xhtml") or (
                isinstance(element.tag, str) and element.tag.endswith("description")
            ):
                carried.append((path, "".join(element.itertext())))
    for path in output.rglob("*.json"):

        def walk(value, path=path):
            if isinstance(value, dict):
                for key, item in value.items():
                    if key.endswith("_html") and isinstance(item, str):
                        carried.append((path, item))
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(json.loads(path.read_text(encoding="utf-8")))
    return carried


def test_hostile_content_is_valid_and_its_text_shows_as_text(hostile_site):
    paper = hostile_site.page("papers/hostile-2023/field-payloads/")
    assert paper.h1.get_text() == (
        '</title><script>window.__pwned="title"</script>{{ 7*191 }}'
    )
    assert paper.title.get_text().startswith("</title><script>")
    authors = paper.select_one(".paper-authors").get_text()
    assert "<img src=x onerror=\"alert('author')\">" in authors
    conference = hostile_site.page("conferences/hostile-2023/")
    assert conference.h1.get_text(strip=True).startswith("Hostile 23 <script>")
    intro = " ".join(conference.select_one(".conference-intro").get_text().split())
    assert intro == "The intro of the conference. intro link styled"
    home = hostile_site.page("index.html")
    assert '<script>window.__pwned="conference-title"</script>' in home.get_text()
    # Templates see values, never template code.
    for page in hostile_site.output.rglob("*.html"):
        assert "1337" not in page.read_text(encoding="utf-8")


def test_output_has_no_markup_the_theme_does_not_ship(hostile_site, built_site):
    shipped = shipped_markup(built_site.output)
    pages = sorted(hostile_site.output.rglob("*.html"))
    assert len(pages) >= 6
    found = {
        str(page.relative_to(hostile_site.output)): foreign_markup(
            page.read_text(encoding="utf-8"), shipped
        )
        for page in pages
    }
    for path, html in html_in_feeds_and_json(hostile_site.output):
        found[str(path.relative_to(hostile_site.output))] = foreign_markup(html, set())
    assert {page: f for page, f in found.items() if f} == {}


def test_the_scan_finds_what_it_looks_for():
    """The scan above is only worth something if it can fail."""
    html = (
        '<p onclick="x">a</p><a href="jav&#x61;script:x">b</a><iframe></iframe>'
        '<script type="application/ld+json">{"a": "</script>"}</script>'
        '<a href=" \tjavascript:x">c</a><img src="//evil.example/x.png">'
        "<style>p{}</style>"
    )
    assert len(foreign_markup(html, set())) == 7


def refused_lines() -> dict[str, int]:
    """Each refused file and the line its payload is on (refused/LINES.txt)."""
    lines = {}
    for row in (HOSTILE / "refused" / "LINES.txt").read_text().splitlines():
        if row and not row.startswith("#"):
            path, line = row.split()
            lines[path] = int(line)
    return lines


@pytest.fixture
def refused_site(empty_site):
    shutil.copytree(HOSTILE / "refused", empty_site.content, dirs_exist_ok=True)
    (empty_site.content / "LINES.txt").unlink()
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    return empty_site


def test_each_refused_file_is_refused(refused_site):
    """URLs, icons, images, placeholders and keys that could run or leak are
    errors, each."""
    settings = cli.load_settings(
        str(refused_site.root / "pelicanconf.py"), str(refused_site.content)
    )
    problems = cli.find_problems(settings)
    refused = sorted(
        str(path.relative_to(refused_site.content))
        for path in refused_site.content.rglob("*.md")
        if path.name != "neurips-2022.md"
    )
    assert refused == sorted(refused_lines()), "refused/LINES.txt lists every file"
    errors = {p.path for p in problems if p.severity == "error"}
    assert [path for path in refused if path not in errors] == []


def test_check_names_the_file_and_line_of_each_refused_payload(refused_site, capsys):
    """`pelican-papers check` exits 1 and names each payload where it is, so
    the contributor can find it."""
    status = cli.main(
        [
            "check",
            str(refused_site.content),
            "-s",
            str(refused_site.root / "pelicanconf.py"),
        ]
    )
    out, err = capsys.readouterr()
    reported = {
        match.group(1)
        for match in re.finditer(r"^error: ([^:\n]+:\d+):", out + err, re.MULTILINE)
    }
    assert status == 1
    missing = [
        f"{path}:{line}"
        for path, line in sorted(refused_lines().items())
        if f"{path}:{line}" not in reported
    ]
    assert missing == []


# --- in the browser ---------------------------------------------------------


@pytest.fixture(scope="module")
def served(hostile_site):
    """The built site and a page that does run a script (the canary), on
    127.0.0.1 only."""
    canary = hostile_site.root / "canary"
    canary.mkdir(exist_ok=True)
    (canary / "index.html").write_text(
        "<!doctype html><title>canary</title>"
        "<script>window.__pwned = 'canary'; alert('canary')</script>",
        encoding="utf-8",
    )
    with serve(hostile_site.root) as origin:
        yield origin


def visit_all(new_context, base: str, paths: list[str]) -> dict[str, dict]:
    """Open each page; what ran (``__pwned`` in any frame, dialogs) and which
    other hosts it tried to load."""
    results = {}
    context = new_context()
    page = context.new_page()
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def only_here(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    for path in paths:
        dialogs.clear()
        elsewhere.clear()
        page.goto(f"{base}/{path}", wait_until="load")
        page.wait_for_timeout(150)  # timers, iframes, meta refresh
        # Hover and focus everything, as a visitor's mouse and keyboard would.
        page.evaluate(
            """() => { for (const el of document.querySelectorAll('body *')) {
                for (const type of ['mouseover', 'focus', 'toggle'])
                  el.dispatchEvent(new Event(type)); } }"""
        )
        pwned = [
            frame.evaluate("() => window.__pwned")
            for frame in page.frames
            if not frame.is_detached()
        ]
        results[path] = {
            "pwned": [p for p in pwned if p is not None],
            "dialogs": list(dialogs),
            "elsewhere": list(elsewhere),
            "url": page.url,
        }
    return results


@pytest.mark.browser
def test_no_script_from_the_content_runs_in_chromium(hostile_site, served, new_context):
    pages = sorted(
        str(path.relative_to(hostile_site.root))
        for path in hostile_site.output.rglob("*.html")
    )
    results = visit_all(new_context, served, ["canary/index.html", *pages])
    # The canary shows that a running script would be seen.
    assert results.pop("canary/index.html")["pwned"] == ["canary"]
    ran = {
        path: result
        for path, result in results.items()
        if result["pwned"] or result["dialogs"] or result["elsewhere"]
        or result["url"] != f"{served}/{path}"
    }  # fmt: skip
    assert ran == {}
    assert "output/papers/hostile-2023/html-payloads/index.html" in results
