"""Any text a contributor can write gives fields or clear problems, never a crash.

Hypothesis feeds the metadata parser arbitrary values; where a reference exists
(Python-Markdown for the header, the WHATWG URL rules for schemes) the parser
must agree with it.
"""

from __future__ import annotations

import copy
import os
import re
import string
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.settings import DEFAULT_CONFIG

from pelican.plugins.conference_papers.base import paths, sanitize, urls
from pelican.plugins.conference_papers.base.text import CONTROL_CHARS
from pelican.plugins.conference_papers.format import schema
from pelican.plugins.conference_papers.model import Conference, Paper
from pelican.plugins.conference_papers.settings import apply_defaults
from pelican.plugins.conference_papers.writers import feeds

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text as it comes from copy-paste: any character, with the troublesome ones
# (separators, brackets, schemes, control characters) made common.
PIECES = st.sampled_from(
    [
        ",", ";", "<", ">", ":", "//", "\\", "&#", "&#x61;", "javascript:",
        "https://", "http://[", "mailto:", "data:", "{static}", "..", "/", " ",
        "\t", "\x00", "\x0c", "\u2028", "\ufeff", "fa-solid fa-", "fa-", "-",
        "2022-10-11", "T", "Z", "+14:00", "99", "0", "é",
    ]
)  # fmt: skip
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join)
NO_NEWLINE = TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " "))
RISKY_KEYS = ["summary", "html", "_content", "template", "note", "author", "save_as"]
KEYS = st.sampled_from(
    [*sorted(schema.PAPER_KEYS | schema.CONFERENCE_KEYS), *RISKY_KEYS]
)
VALUE = st.one_of(NO_NEWLINE, st.lists(NO_NEWLINE, min_size=2, max_size=3))
# A valid file with a few arbitrary keys on top, so that valid results are common.
VALID = {"title": "Robust Models", "authors": "Julia Grabinski", "date": "2022-10-11"}
META = st.builds(
    lambda base, extra: {**base, **extra},
    st.sampled_from([{}, VALID]),
    st.dictionaries(KEYS, VALUE, max_size=6),
)


def settings_for_content():
    config = copy.deepcopy(DEFAULT_CONFIG)
    apply_defaults(config)
    return config


SETTINGS = settings_for_content()


def source(meta, tmp_path, name="papers/neurips-2022/a-paper.md", body="<p>x</p>"):
    return schema.RawSource(name, str(tmp_path / "missing.md"), body, meta)


def check_problems(problems, name):
    for problem in problems:
        assert problem.path == name
        assert problem.line >= 1
        assert problem.message and problem.severity in (schema.ERROR, schema.WARNING)
        assert str(problem).startswith(f"{name}:{problem.line}: ")


@FAST
@given(meta=META, body=TEXT)
def test_parse_paper_gives_fields_or_problems(tmp_path_factory, meta, body):
    tmp = tmp_path_factory.getbasetemp()
    raw = source(meta, tmp, body=body)
    fields, problems = schema.parse_paper(raw, "Europe/Berlin")
    check_problems(problems, raw.path)
    if any(p.severity == schema.ERROR for p in problems):
        return
    # Valid: a Paper can be made of it, every link passed the allowlist.
    assert fields["title"] and fields["authors"]
    for link in fields["links"]:
        assert urls.url_problem(link.url) is None
    fields["date"] = fields["date"] or schema.parse_date("2022-11-28", "UTC")
    paper = Paper(dict(fields), SETTINGS, raw.full_path, {})
    assert paper.title == fields["title"]
    assert "<script" not in paper.content.lower()


@FAST
@given(meta=META, body=TEXT)
def test_parse_conference_gives_fields_or_problems(tmp_path_factory, meta, body):
    tmp = tmp_path_factory.getbasetemp()
    raw = source(meta, tmp, name="conferences/conf.md", body=body)
    fields, problems = schema.parse_conference(raw, "UTC")
    check_problems(problems, raw.path)
    if not any(p.severity == schema.ERROR for p in problems):
        conference = Conference(dict(fields), SETTINGS, raw.full_path, {})
        assert conference.title and conference.date
        assert fields["website"] is None or not urls.url_problem(fields["website"])


HEADER_LINES = st.one_of(
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(["", " ", "   ", "    ", "\t", " \t", "\x02"]),
            st.sampled_from(["Title", "authors", "_x-1", "é", "a b", "Date", ""]),
            st.sampled_from([":", ": ", " :", ""]),
            st.sampled_from(["", "x", "v v", "\x0c"]),
        ),
    ),
    st.sampled_from(["", " ", "---", "--- x", "...", "\ufeffTitle: x", "\x0c"]),
    NO_NEWLINE,
)
HEADERS = st.tuples(
    st.lists(HEADER_LINES, max_size=8), st.sampled_from(["\n", "\r\n", "\r"])
).map(lambda t: t[1].join(t[0]))


@FAST
@given(text=HEADERS | st.text(max_size=100))
@example(text="Title: x\n\tmore\nKey: v\n\nbody")  # a tab is four spaces
@example(text="---\nTitle: x\n...\nKey: v")  # YAML-style delimiters
@example(text="Title: x\rAuthors: y\r\rbody")  # old Mac line ends
@example(text="Title: x\n \x02 \nKey: v")  # STX/ETX are dropped first
def test_header_scanner_agrees_with_python_markdown(text):
    md = markdown.Markdown(extensions=["meta"])
    md.convert(text)
    scanned = schema.scan_header(text)
    assert {key for key, _ in scanned} == set(md.Meta)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(1 <= number <= lines for _, number in scanned)


@FAST
@given(value=TEXT)
def test_date_parser_gives_a_date_or_value_error(value):
    try:
        date = schema.parse_date(value, "Europe/Berlin")
    except ValueError:
        return
    assert date.tzinfo is not None
    date.timestamp()  # sortable: no overflow


@FAST
@given(value=TEXT)
def test_person_parser_always_gives_a_clean_name(value):
    person = schema.parse_person(value)
    assert person.name == person.name.strip()
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", person.name)


@FAST
@given(value=TEXT)
def test_link_splitter_never_splits_inside_brackets(value):
    items = schema.split_links(value)
    assert all(item and item == item.strip() for item in items)
    # Nothing is lost but separators and white space.
    kept = re.sub(r"[\s,;]", "", "".join(items))
    assert kept == re.sub(r"[\s,;]", "", value)


def browser_scheme(url: str) -> str:
    """The scheme a browser sees (WHATWG URL parsing, simplified)."""
    url = url.lstrip("".join(map(chr, range(0x21))))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


@FAST
@given(value=TEXT)
def test_allowed_urls_have_allowed_schemes_in_a_browser(value):
    if urls.url_problem(value) is None:
        assert browser_scheme(value) in ("", "http", "https", "mailto")
        assert not value.startswith(("//", "\\")), "no protocol-relative links"


@FAST
@given(value=TEXT)
def test_image_paths_stay_inside_content(value):
    path, reason = schema.image_path(value)
    assert (path is None) != (reason is None)
    if path:
        assert not path.startswith(("/", "../")) and "/../" not in f"/{path}/"
        assert path.rsplit(".", 1)[1].lower() in schema.IMAGE_EXTENSIONS


HTML_PIECES = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "<svg onload=x>",
        "<a href='", "javascript:", "jav&#x61;script:", "&#106;", "'>", "<iframe ",
        "<math><mtext><table><mglyph><style>", "<style>", "<!--", "-->",
        "<a href=\"data:text/html,x\">", "<p style=\"x:expression(1)\">", "\"",
        "<form action=javascript:x>", "<base href=javascript:>", " on", "=",
    ]
)  # fmt: skip


@FAST
@given(html=st.lists(st.one_of(HTML_PIECES, st.text(string.printable, max_size=5))))
def test_sanitizer_output_has_no_script_and_allowed_links_only(html):
    cleaned = BeautifulSoup(sanitize.clean_html("".join(html)), "html.parser")
    for tag in cleaned.find_all(True):
        assert tag.name not in ("script", "style", "iframe", "form", "base", "svg")
        assert not [a for a in tag.attrs if a.lower().startswith("on")]
        assert "style" not in tag.attrs
        if tag.get("href"):
            assert browser_scheme(tag["href"]) in ("", "http", "https", "mailto")


# --- paths (issue 12) ----------------------------------------------------------

PATH_PIECES = st.sampled_from(
    [
        "/", "..", ".", "../", "a", "b.png", "out", "loop", "#", "?", "%", "%2e",
        ",", "\\", "\n", "\r", "\x00", "\x85", " ", "~", "-", "é", "C:", "//",
        "x" * 120,
    ]
)  # fmt: skip
PATH_TEXT = st.lists(
    st.one_of(PATH_PIECES, st.text(max_size=4)), min_size=1, max_size=10
).map("".join)


@pytest.fixture(scope="module")
def linked_root(tmp_path_factory):
    """content/ with a folder, a link out of it and a link back into it."""
    base = tmp_path_factory.mktemp("paths")
    root = base / "content"
    (root / "a").mkdir(parents=True)
    (base / "outside").mkdir()
    (root / "out").symlink_to(base / "outside")
    (root / "a" / "loop").symlink_to("..")
    return str(root)


@FAST
@given(path=PATH_TEXT)
@example(path="out/b.png")
@example(path="a/loop/../../out/b.png")
@example(path="a/../../content/a/b.png")
def test_no_accepted_path_resolves_outside_its_root(linked_root, path):
    normal, reason = paths.resolve(linked_root, path)
    assert (normal is None) != (reason is None)
    if reason is not None:
        assert reason.strip(), "every refusal says why"
        return
    real_root = os.path.realpath(linked_root)
    target = os.path.realpath(os.path.join(linked_root, normal))
    assert os.path.commonpath([real_root, target]) == real_root
    # Round trip: the normalized path is accepted as it is, and names the same file.
    assert paths.resolve(linked_root, normal) == (normal, None)
    relative = os.path.relpath(os.path.join(linked_root, normal), linked_root)
    assert relative.replace(os.sep, "/") == normal
    assert not set("#?%,\\") & set(normal) and not CONTROL_CHARS.search(normal)
    assert "\n" not in normal and len(normal.encode()) <= paths.PATH_BYTES


@FAST
@given(slug=PATH_TEXT)
@example(slug="robust\n")
@example(slug="a" * 300)
def test_accepted_slugs_are_one_short_file_name(tmp_path_factory, slug):
    reason = paths.slug_problem(slug)
    if reason is not None:
        assert reason.strip()
        return
    base = tmp_path_factory.getbasetemp()
    assert Path(base, slug).parent == base and Path(slug).name == slug
    assert len(slug.encode()) <= paths.NAME_BYTES
    assert slug == slug.strip() and not slug.startswith(".")
    assert not set("#?%,/\\") & set(slug)


# Addresses as a card holds them, with the characters urljoin or quoting would
# change (an empty query or fragment, ";", spaces, non-ASCII, an upper-case
# scheme) made common.
URL_PIECES = st.sampled_from(
    [
        "/", "/", "/", "?", "#", ";", "&", "=", "%", "%2F", " ", "ä", "[", "]",
        "..", ".", "~", "'", "(", ")", "*", "+", ",", "!", "$", "-", "_", ":", "@",
        "a", "Z", "0", "//", "http://",
    ]
)  # fmt: skip
FEED_URLS = st.builds(
    lambda scheme, host, path: scheme + host + "".join(path),
    st.sampled_from(["http://", "https://", "HTTPS://", "//", ""]),
    st.sampled_from(["x.org", "127.0.0.1:8000", "u@x.org", "[::1]", "X.org", ""]),
    st.lists(URL_PIECES, max_size=8),
)
ROOTS = st.sampled_from(
    ["http://127.0.0.1:8000", "https://lab.example.org", "https://x.org/lab/sub"]
)


@FAST
@given(url=FEED_URLS, root=ROOTS)
@example(url="https://arxiv.org/abs/2201.00001", root="https://lab.example.org")
@example(url="https://x.org/a?", root="https://lab.example.org")
@example(url="https://x.org/a#", root="https://lab.example.org")
@example(url="https://x.org/a;b", root="https://lab.example.org")
@example(url="https://x.org/a b", root="https://lab.example.org")
@example(url="https://x.org/ä", root="https://lab.example.org")
@example(url="HTTPS://x.org/", root="https://lab.example.org")
def test_a_feed_address_kept_as_it_is_is_what_joining_it_gives(url, root):
    """The shortcut of ``FeedUrls.absolute`` (an address it keeps as it is)
    gives what urljoin and quoting would: the feeds hold the same bytes."""
    if feeds._KEPT_URL.fullmatch(url):
        assert feeds.joined(root, url) == url
