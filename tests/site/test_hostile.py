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

from pelican.plugins.conference_papers.base.sanitize import attribute_url_problem
from pelican.plugins.conference_papers.base.urls import url_problem
from pelican.plugins.conference_papers.commands import check
from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.generator import ContentError

from ..browser_support import serve
from ..conftest import copy_site

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile"
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
    settings = check.load_settings(
        str(refused_site.root / "pelicanconf.py"), str(refused_site.content)
    )
    problems = check.find_problems(settings)
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
    # And nowhere else: a payload written with character references is found
    # where it is written, not reported again at line 1.
    elsewhere = [
        where
        for where in reported
        if where.rsplit(":", 1)[0] in refused_lines()
        and where
        != f"{where.rsplit(':', 1)[0]}:{refused_lines()[where.rsplit(':', 1)[0]]}"
    ]
    assert elsewhere == []


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


# --- links that change scheme when Pelican replaces a placeholder ---------------

# Each a paragraph of its own: (what the file writes, the address Pelican would
# have written into the page, as a browser reads it). {index}, {tag}, {author}
# and {category} keep the scheme and host of what follows them; {static},
# {filename} and {attach} keep all of it when they find no file.
PLACEHOLDER_PAYLOADS = [
    "[a]({static}javascript:alert(1))",
    "[b]({filename}javascript:alert(2))",
    "[c]({attach}vbscript:msgbox(3))",
    "[d]({index}javascript://x%0aalert(4))",
    "[e]({tag}data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)",
    "[f]({author}javascript:alert(6))",
    "[g]({category}JaVaScRiPt:alert(7))",
    '<a href="{static}javascript&#58;alert(8)">h</a>',
    '<a href="{static}&#106;avascript:alert(9)">i</a>',
    '<a href="{filename}&#x6A;&#x61;vascript&colon;alert(10)">j</a>',
    "<a href='|static|javascript:alert(11)'>k</a>",
    '<a href="{static}VBScript:msgbox(12)">l</a>',
    '<a href="{filename}data:text/html,%3Cscript%3Ealert(13)%3C/script%3E">m</a>',
    '<a href="{static}javascript:alert(14)#{static}x">n</a>',
    "<a href={static}javascript:alert(15)>o</a>",
    '<a href="{static}//evil.example/16">p</a>',
    '<a href="{attach}javascript:alert(17)?x=1">q</a>',
    "[r]({static}javascript:alert`18`)",
]
# Hidden inside the scheme: the sanitizer already leaves these out, and still a
# placeholder followed by no path is an error (the contributor's link is wrong).
HIDDEN_PAYLOADS = [
    '<a href="{static}java&#9;script:alert(20)">s</a>',
    '<a href="{filename}java&#10;script:alert(21)">t</a>',
    '<a href="{static}java&#13;script:alert(22)">u</a>',
    '<a href="{static} javascript:alert(23)">v</a>',
    '<a href="{static}http:/\\evil.example/24">w</a>',
    # Named references, tags the sanitizer drops, other URL attributes.
    '<a href="{category}java&NewLine;script&colon;alert(25)">x</a>',
    '<img src="{static}javascript:alert(26)" alt="y">',
    '<a href="{tag}&bsol;&bsol;evil.example/27">z</a>',
    "[z2]({author}java&Tab;script:alert(28))",
    '<video poster="{static}javascript:alert(29)"></video>',
]
HEADER = ["Title: Placeholders", "Authors: Julia Grabinski", "Track: Full Paper"]


def placeholder_paper(payloads) -> tuple[str, list[int]]:
    """A paper with each payload in a paragraph of its own, and their lines."""
    lines = [*HEADER, ""]
    numbers = []
    for payload in payloads:
        lines += [f"Before {payload} after.", ""]
        numbers.append(len(lines) - 1)
    return "\n".join(lines), numbers


def assert_no_script_link(output: Path) -> None:
    """No file of the build links a scheme outside http(s) and mailto."""
    bad = []
    for path in output.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r"""(?:href|src)\s*=\s*\\?["']([^"'\\]*)""", text):
            if scheme(value) not in SCHEMES:
                bad.append((path.name, value))
        if re.search(r"(?i)(java|vb)script\s*:|data:text", text):
            bad.append((path.name, "a script scheme in the text"))
    assert bad == []


def test_each_placeholder_link_to_a_script_is_an_error_at_its_line(empty_site):
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    text, lines = placeholder_paper(PLACEHOLDER_PAYLOADS)
    empty_site.write("papers/neurips-2022/placeholders.md", text)
    hidden, hidden_lines = placeholder_paper(HIDDEN_PAYLOADS)
    empty_site.write("papers/neurips-2022/hidden.md", hidden)
    settings = check.load_settings(
        str(empty_site.root / "publishconf.py"), str(empty_site.content)
    )
    problems = check.find_problems(settings)
    errors = [
        p.line
        for p in problems
        if p.path == "papers/neurips-2022/placeholders.md" and p.severity == "error"
    ]
    assert errors == lines
    assert all(
        "in the text cannot be used" in p.message and "write https://" in p.hint
        for p in problems
        if p.severity == "error"
    )
    refused = [
        p.line
        for p in problems
        if p.path == "papers/neurips-2022/hidden.md" and p.severity == "error"
    ]
    assert refused == hidden_lines
    assert [p for p in problems if p.severity != "error"] == []
    with pytest.raises(Exception, match="error"):
        empty_site.build("publishconf.py")
    assert not any(empty_site.output.rglob("*.html")), "nothing was written"


def test_a_conference_intro_is_checked_too(empty_site, capsys):
    empty_site.write(
        "conferences/neurips-2022.md",
        "Title: N\nDate: 2022-11-28\n\nIntro.\n\n"
        "See [it]({static}javascript:alert(1)).\n",
    )
    code = cli.main(
        [
            "check",
            str(empty_site.content),
            "-s",
            str(empty_site.root / "publishconf.py"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 1
    assert (
        "error: conferences/neurips-2022.md:6: the link '{static}javascript:" in printed
    )


def test_the_hidden_payloads_leave_no_link_in_a_published_build(empty_site):
    """Without a placeholder they pass as warnings; the page keeps the text,
    never the address."""
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    bare = [re.sub(r"\{(static|filename)\}", "", p) for p in HIDDEN_PAYLOADS[:5]]
    assert "{" not in "".join(bare)
    hidden, _lines = placeholder_paper(bare)
    empty_site.write("papers/neurips-2022/hidden.md", hidden)
    output = empty_site.build("publishconf.py")
    page = empty_site.page("papers/neurips-2022/hidden/")
    text = page.select_one(".paper-abstract").get_text()
    assert [w for w in "stuvw" if f" {w} " not in text] == [], text
    assert_no_script_link(output)


def test_a_link_that_only_the_replacement_makes_a_script_is_left_out(empty_site):
    """A static file named 'javascript:alert(1)' passes the check (the file says
    '{static}/javascript:alert(1)', a path); in a published build Pelican joins
    its URL to SITEURL, which gives 'javascript:alert(1)'. The last pass over
    the body leaves it out of the page, the card and the feeds, says so, and
    the build fails (``make publish`` then keeps the last good site)."""
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    empty_site.write(
        "papers/neurips-2022/static.md",
        "\n".join([*HEADER, "", "See [the file]({static}/javascript:alert(1))."]),
    )
    (empty_site.content / "javascript:alert(1)").write_text("x", encoding="utf-8")
    settings = check.load_settings(
        str(empty_site.root / "publishconf.py"), str(empty_site.content)
    )
    assert check.find_problems(settings) == []
    with pytest.MonkeyPatch.context() as patch:
        logged = []
        patch.setattr(
            "pelican.plugins.conference_papers.model.logger.error",
            lambda *args: logged.append(args[0] % args[1:]),
        )
        with pytest.raises(ContentError, match="1 link"):
            empty_site.build(
                "publishconf.py", STATIC_PATHS=["images", "javascript:alert(1)"]
            )
    output = empty_site.output
    # What was written before the build stopped holds no such link.
    assert_no_script_link(output)
    page = empty_site.page("papers/neurips-2022/static/")
    assert page.select_one(".paper-abstract a").get_text() == "the file"
    assert not page.select_one(".paper-abstract a").has_attr("href")
    assert any(
        "papers/neurips-2022/static.md: the link '{static}/javascript:alert(1)' became "
        "'javascript:alert(1)', left out: the scheme javascript: is not allowed" in line
        for line in logged
    ), logged


def test_the_last_pass_checks_every_url_attribute():
    """srcset entries, decoded references, any URL attribute."""

    refused = [
        ("srcset", "a.webp 480w, javascript:alert(1) 960w"),
        ("srcset", "data:image/svg+xml,<svg onload=alert(1)> 1x"),
        ("href", "JAVASCRIPT:alert(1)"),
        ("src", "vbscript:msgbox(1)"),
        ("poster", "data:text/html,x"),
        ("href", "java\tscript:alert(1)"),
        ("href", "\\\\evil.example/x"),
        ("href", "//evil.example/x"),
        ("cite", "javascript:alert(1)"),
    ]
    assert [a for a, v in refused if attribute_url_problem(a, v) is None] == []
    for attribute, value in [
        ("srcset", "a.webp 480w, https://x.example/b.webp 960w"),
        ("href", "../paper/"),
        ("href", "mailto:x@example.org"),
        ("href", "#fn1"),
    ]:
        assert attribute_url_problem(attribute, value) is None, value


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=\'svg\'">'
    "<script>alert('svg')</script></svg>"
)


def test_an_svg_of_the_content_is_not_published_unless_allowed(empty_site, caplog):
    """Opened by itself an SVG runs its script on the site's origin: a
    contributor's SVG stays out of the output, with a warning naming it."""
    empty_site.write("conferences/neurips-2022.md", "Title: N\nDate: 2022-11-28\n")
    empty_site.write("images/neurips22/evil.svg", SVG)
    empty_site.write("images/neurips22/Upper.SVG", SVG)
    empty_site.write("images/neurips22/fine.txt", "text")
    output = empty_site.build()
    assert (output / "images/neurips22/fine.txt").is_file()
    assert sorted(output.rglob("images/**/*.[sS][vV][gG]")) == []
    assert "content/images/neurips22/evil.svg is not published" in caplog.text
    allowed = empty_site.build(CONFERENCE_PAPERS_PUBLISH_SVG=True)
    assert (allowed / "images/neurips22/evil.svg").is_file()


def test_the_url_rule_decodes_character_references_as_a_browser_does():
    """Any reference, named or numeric, with or without ';' where a browser
    takes it: not a list of the ones seen so far."""
    hidden = [
        "java&Tab;script:alert(1)",
        "java&NewLine;script:alert(1)",
        "javascript&colon;alert(1)",
        "JaVaScRiPt&#x3A;alert(1)",
        "java&#9script:alert(1)",
        "&sol;&sol;evil.example/x",
        "&bsol;&bsol;evil.example/x",
        "&#x2F;/evil.example/x",
        "data&colon;text/html,x",
    ]
    assert [u for u in hidden if url_problem(u) is None] == []
    for fine in [
        "https://x.example/?a=1&lang=en&notify=2",
        "https://x.example/a&amp;b",
    ]:
        assert url_problem(fine) is None, fine
