"""The social timeline: fetch a snapshot from a loopback Mastodon or Bluesky server
that speaks the documented formats, render it statically, load nothing from
another host until the visitor clicks (checked in headless Chromium)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pelican
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.settings import SettingsError

from ..browser_support import serve
from ..conftest import copy_site

NEURIPS = "conferences/neurips-2022/"
SNAPSHOT = "timelines/neurips-2022.json"


# --- a loopback server speaking the providers' formats ------------------------


class FakeServer:
    """127.0.0.1:<free port>; ``routes[path](query)`` answers
    (status, content type, body, headers)."""

    def __init__(self):
        self.routes: dict = {}
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                server.requests.append(self.path)
                route = server.routes.get(url.path)
                if route is None:
                    status, kind, body, headers = 404, "application/json", b"{}", {}
                else:
                    status, kind, body, headers = route(parse_qs(url.query))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                # A client that gave up (its deadline, under load) is no
                # failure of the server: no traceback in the command's stderr.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def answer(data, status=200, kind="application/json", headers=None):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return lambda query: (status, kind, body, headers or {})


def png(width=8, height=6) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 80, 140)).save(buffer, "PNG")
    return buffer.getvalue()


HOSTILE_HTML = (
    '<p>Our poster today <a href="https://sigmoid.social/tags/NeurIPS2022" '
    'class="mention hashtag" rel="tag">#<span>NeurIPS2022</span></a>'
    "<script>alert(1)</script></p>"
    '<p onclick="alert(2)">Click <a href="javascript:alert(3)">here</a> '
    '<img src="https://evil.example/track.png" onerror="alert(4)"> '
    '<a href="/admin">inside</a><iframe src="https://evil.example/"></iframe>'
    "<style>body{background:url(https://evil.example/x.png)}</style></p>"
)


def mastodon_status(server, id, created, content, tags=("NeurIPS2022",), **extra):
    """A status as GET /api/v1/accounts/:id/statuses returns it
    (docs.joinmastodon.org/entities/Status)."""
    return {
        "id": id,
        "created_at": created,
        "in_reply_to_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"https://sigmoid.social/users/KeuperLabs/statuses/{id}",
        "url": f"https://sigmoid.social/@KeuperLabs/{id}",
        "replies_count": 0,
        "reblogs_count": 2,
        "favourites_count": 5,
        "content": content,
        "reblog": None,
        "account": {
            "id": "109283597262813946",
            "username": "KeuperLabs",
            "acct": "KeuperLabs",
            "display_name": "Keuper <b onmouseover=alert(5)>Labs</b>",
            "url": "https://sigmoid.social/@KeuperLabs",
            "avatar": "https://files.sigmoid.social/accounts/avatars/keuper.png",
            "header": "https://files.sigmoid.social/accounts/headers/keuper.png",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [
            {"name": t.lower(), "url": f"https://sigmoid.social/tags/{t}"} for t in tags
        ],
        "emojis": [],
        "card": None,
        "poll": None,
        **extra,
    }


def mastodon(server: FakeServer) -> FakeServer:
    """The account @KeuperLabs with three posts, two tagged #NeurIPS2022."""
    image = {
        "id": "1",
        "type": "image",
        "url": f"{server.url}/media/poster.png",
        "preview_url": f"{server.url}/media/poster-small.png",
        "remote_url": None,
        "description": 'Our poster "><script>alert(6)</script> at the venue',
        "meta": {"original": {"width": 8, "height": 6}},
    }
    statuses = [
        mastodon_status(
            server,
            "109437165347523488",
            "2022-12-01T09:30:00.000Z",
            "<p>Last day: come to the workshop! #NeurIPS2022</p>",
        ),
        mastodon_status(
            server,
            "109420000000000001",
            "2022-11-29T15:04:05.000Z",
            HOSTILE_HTML,
            media_attachments=[
                image,
                {**image, "id": "2", "type": "video", "url": f"{server.url}/v.mp4"},
                {**image, "id": "3", "url": "javascript:alert(7)"},
            ],
        ),
        mastodon_status(
            server,
            "109400000000000000",
            "2022-11-20T08:00:00.000Z",
            "<p>Unrelated</p>",
            tags=(),
        ),
    ]

    def timeline(query):
        tag = query.get("tagged", [""])[0].lower()
        chosen = [s for s in statuses if tag in [t["name"] for t in s["tags"]]]
        return 200, "application/json", json.dumps(chosen).encode(), {}

    server.routes.update(
        {
            "/api/v1/accounts/lookup": answer(
                {"id": "109283597262813946", "username": "KeuperLabs"}
            ),
            "/api/v1/accounts/109283597262813946/statuses": timeline,
            "/media/poster.png": answer(png(), kind="image/png"),
        }
    )
    return server


@pytest.fixture
def server():
    fake = FakeServer()
    yield fake
    fake.stop()


def run(*args: str) -> tuple[int, str, str]:
    """``pelican-papers ARGS`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(list(args))
    return status, out.getvalue(), err.getvalue()


def fetch(site, *args: str) -> tuple[int, str, str]:
    conf = str(site.root / "pelicanconf.py")
    return run("fetch-timeline", *args, "--content", str(site.content), "-s", conf)


# --- the Timeline line ---------------------------------------------------------


def test_a_bad_timeline_is_reported_with_file_line_and_hint(site):
    path = site.content / "conferences/neurips-2022.md"
    path.write_text(
        path.read_text().replace(
            "Timeline: mastodon @KeuperLabs@sigmoid.social", "Timeline: myspace keuper"
        )
    )
    status, out, _ = run(
        "check", str(site.content), "-s", str(site.root / "pelicanconf.py")
    )
    assert status == 1
    line = next(x for x in out.splitlines() if "neurips-2022.md" in x)
    assert line.startswith("error: conferences/neurips-2022.md:10: ")
    assert "'myspace' is not a provider" in line
    assert "write e.g. 'Timeline: mastodon @KeuperLabs@sigmoid.social'" in line


def test_the_site_wide_account_serves_every_conference_with_a_hashtag(site):
    path = site.content / "conferences/neurips-2022.md"
    path.write_text(
        path.read_text().replace("Timeline: mastodon @KeuperLabs@sigmoid.social\n", "")
    )
    site.build(CONFERENCE_PAPERS_TIMELINE="bluesky keuperlabs.bsky.social")
    region = site.page(NEURIPS).select_one("section.timeline")
    assert region.h2.get_text() == "#NeurIPS2022 on Bluesky"
    assert region.select_one(".timeline-link a")["href"] == (
        "https://bsky.app/hashtag/NeurIPS2022?author=keuperlabs.bsky.social"
    )


def test_a_bad_site_wide_account_stops_the_build(site):
    with pytest.raises(SettingsError, match="CONFERENCE_PAPERS_TIMELINE: Timeline"):
        site.build(CONFERENCE_PAPERS_TIMELINE="mastodon nobody")


# --- fetching: Mastodon ----------------------------------------------------------


def test_fetch_snapshots_tagged_posts_sanitized_with_local_images(site, server):
    mastodon(server)
    status, out, err = fetch(site, "neurips-2022", "--instance-url", server.url)
    assert status == 0, err
    assert out.strip() == f"wrote {site.content}/{SNAPSHOT}: 2 posts, 1 images"
    assert "fetch-timeline: neurips-2022: @KeuperLabs@sigmoid.social" in err
    assert "image 1/2" in err, "progress is shown while fetching"
    lookup, statuses = server.requests[:2]
    assert lookup == "/api/v1/accounts/lookup?acct=KeuperLabs"
    assert parse_qs(urlsplit(statuses).query) == {
        "tagged": ["NeurIPS2022"],
        "limit": ["40"],
        "exclude_reblogs": ["true"],
    }

    text = (site.content / SNAPSHOT).read_text()
    snapshot = json.loads(text)
    assert (
        text
        == json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert snapshot["account"] == "mastodon @KeuperLabs@sigmoid.social"
    newest, older = snapshot["posts"]
    assert [newest["date"], older["date"]] == [
        "2022-12-01T09:30:00+00:00",
        "2022-11-29T15:04:05+00:00",
    ]
    assert older["url"] == "https://sigmoid.social/@KeuperLabs/109420000000000001"
    assert older["author"] == {
        "handle": "@KeuperLabs@sigmoid.social",
        "name": "Keuper <b onmouseover=alert(5)>Labs</b>",  # text, as typed
        "url": "https://sigmoid.social/@KeuperLabs",
    }
    html = older["html"]
    for hostile in (
        "<script",
        "onclick",
        "onerror",
        "javascript:",
        "evil.example",
        "<iframe",
        "<style",
        "<img",
        'href="/admin"',
    ):
        assert hostile not in html
    assert "alert(1)" not in html, "a script's text goes with it"
    assert '<a href="https://sigmoid.social/tags/NeurIPS2022"' in html
    # One image kept (the video and the javascript: address are left out):
    (media,) = older["media"]
    assert media == {
        "alt": 'Our poster "><script>alert(6)</script> at the venue',
        "height": 6,
        "path": "images/timeline/neurips-2022/mastodon-109420000000000001-1.png",
        "width": 8,
    }
    assert (site.content / media["path"]).read_bytes() == png()
    assert "avatar" not in text and "files.sigmoid.social" not in text

    # Fetching again gives the same bytes: git shows no change.
    assert fetch(site, "neurips-2022", "--instance-url", server.url)[0] == 0
    assert (site.content / SNAPSHOT).read_text() == text


def write_sentinel(site) -> bytes:
    """A snapshot from an earlier fetch, which a failed fetch must leave alone."""
    data = {
        "account": "mastodon @KeuperLabs@sigmoid.social",
        "hashtag": "NeurIPS2022",
        "posts": [],
        "source": "mastodon api",
    }
    path = site.content / SNAPSHOT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path.read_bytes()


def slow(query):
    time.sleep(2)
    return 200, "application/json", b"{}", {}


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (
            answer({"error": "This method requires an authenticated user"}, 401),
            "sigmoid.social-like refused to give out the account",
        ),
        (answer({"error": "Forbidden"}, 403), "(HTTP 403)"),
        (
            answer({"error": "Record not found"}, 404),
            "does not know the account @KeuperLabs@sigmoid.social (HTTP 404",
        ),
        (
            answer({"error": "Too many requests"}, 429, headers={"Retry-After": "120"}),
            "is limiting requests (HTTP 429): wait 120 seconds",
        ),
        (
            answer(b"<html>Welcome to nginx</html>", kind="text/html"),
            "did not answer like a Mastodon server (not JSON)",
        ),
        (
            answer({"username": "KeuperLabs"}),
            "did not answer like a Mastodon server (unexpected data: KeyError",
        ),
        (slow, "did not answer within 0.5 s"),
        (None, "refused the connection"),
    ],
    ids=["401", "403", "404", "429", "not-json", "wrong-json", "timeout", "gone"],
)
def test_each_failure_is_one_line_and_loses_nothing(site, server, route, expected):
    before = write_sentinel(site)
    if route is None:
        server.stop()
    else:
        server.routes["/api/v1/accounts/lookup"] = route
        # The RSS fallback fails the same way.
        server.routes["/@KeuperLabs/tagged/NeurIPS2022.rss"] = route
    status, _, err = fetch(
        site, "neurips-2022", "--instance-url", server.url, "--timeout", "0.5"
    )
    assert status == 1
    errors = [line for line in err.splitlines() if line.startswith("pelican-papers:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err
    expected = expected.replace("sigmoid.social-like", urlsplit(server.url).netloc)
    assert expected in errors[0]
    assert errors[0].endswith(f"{site.content}/{SNAPSHOT} was left as it was")
    assert (site.content / SNAPSHOT).read_bytes() == before
    assert not (site.content / "images/timeline").exists()
    assert not [
        p
        for p in (site.content / "timelines").iterdir()
        if p.name != "neurips-2022.json"
    ]


def test_a_closed_api_falls_back_to_the_tagged_rss_feed(site, server):
    server.routes["/api/v1/accounts/lookup"] = answer({"error": "login"}, 401)
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
    <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
      <channel>
        <title>Keuper Labs</title>
        <link>https://sigmoid.social/@KeuperLabs</link>
        <item>
          <guid isPermaLink="true"
            >https://sigmoid.social/@KeuperLabs/109437165347523488</guid>
          <link>https://sigmoid.social/@KeuperLabs/109437165347523488</link>
          <pubDate>Thu, 01 Dec 2022 09:30:00 +0000</pubDate>
          <description>&lt;p&gt;Last day! &lt;script&gt;alert(1)&lt;/script&gt;
            &lt;/p&gt;
          </description>
          <media:content url="{server.url}/media/poster.png" type="image/png"
                         fileSize="70" medium="image">
            <media:rating scheme="urn:simple">nonadult</media:rating>
            <media:description type="plain">The poster</media:description>
          </media:content>
          <category>neurips2022</category>
        </item>
      </channel>
    </rss>"""
    server.routes["/@KeuperLabs/tagged/NeurIPS2022.rss"] = answer(
        rss.encode(), kind="application/rss+xml"
    )
    server.routes["/media/poster.png"] = answer(png(), kind="image/png")
    status, _, err = fetch(site, "neurips-2022", "--instance-url", server.url)
    assert status == 0, err
    assert "the API answered HTTP 401; trying the RSS feed" in err
    snapshot = json.loads((site.content / SNAPSHOT).read_text())
    assert snapshot["source"] == "mastodon rss"
    (post,) = snapshot["posts"]
    assert " ".join(post["html"].split()) == "<p>Last day! </p>"
    assert post["date"] == "2022-12-01T09:30:00+00:00"
    assert post["media"][0]["alt"] == "The poster"


# --- fetching: Bluesky, X ---------------------------------------------------------


def facet(text: str, part: str, feature: dict) -> dict:
    """A facet over ``part`` of ``text``: byte offsets of its UTF-8 encoding."""
    start = text.encode().index(part.encode())
    return {
        "index": {"byteStart": start, "byteEnd": start + len(part.encode())},
        "features": [feature],
    }


def bluesky_item(uri, text, facets, created, author="keuperlabs.bsky.social", **extra):
    """A feed item as app.bsky.feed.getAuthorFeed returns it (docs.bsky.app)."""
    return {
        "post": {
            "uri": uri,
            "cid": "bafyreib2rxk3rh6kzwq",
            "author": {
                "did": "did:plc:z72i7hdynmk6r22z27h6tvur",
                "handle": author,
                "displayName": "Keuper Labs",
                "avatar": "https://cdn.bsky.app/img/avatar/plain/did:plc:z72/abc@jpeg",
            },
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "facets": facets,
                "createdAt": created,
                "langs": ["en"],
            },
            "replyCount": 0,
            "repostCount": 1,
            "likeCount": 3,
            "indexedAt": created,
            **extra,
        }
    }


def test_bluesky_posts_with_the_hashtag_facet(site, server):
    path = site.content / "conferences/neurips-2022.md"
    path.write_text(
        path.read_text().replace(
            "mastodon @KeuperLabs@sigmoid.social", "bluesky keuperlabs.bsky.social"
        )
    )
    tag = {"$type": "app.bsky.richtext.facet#tag", "tag": "NeurIPS2022"}
    hostile = "Grüße 🎉 <script>alert(1)</script> see the poster #NeurIPS2022"
    tagged = bluesky_item(
        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kabc2poster",
        hostile,
        [
            facet(
                hostile,
                "the poster",
                {"$type": "app.bsky.richtext.facet#link", "uri": "javascript:alert(2)"},
            ),
            facet(hostile, "#NeurIPS2022", tag),
        ],
        "2022-11-30T10:00:00.000Z",
        embed={
            "$type": "app.bsky.embed.images#view",
            "images": [
                {
                    "thumb": f"{server.url}/img/thumb.png",
                    "fullsize": f"{server.url}/img/full.png",
                    "alt": "Poster <b>alt</b>",
                    "aspectRatio": {"width": 8, "height": 6},
                }
            ],
        },
    )
    untagged = bluesky_item(
        "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3kabc1lunch",
        "Lunch #NeurIPS",
        [],
        "2022-11-30T12:00:00.000Z",
    )
    repost = {
        **bluesky_item(
            "at://did:plc:someoneelse/app.bsky.feed.post/3kother",
            "#NeurIPS2022 elsewhere",
            [facet("#NeurIPS2022 elsewhere", "#NeurIPS2022", tag)],
            "2022-11-29T10:00:00.000Z",
            author="someone.bsky.social",
        ),
        "reason": {"$type": "app.bsky.feed.defs#reasonRepost"},
    }
    server.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = answer(
        {"feed": [untagged, tagged, repost]}
    )
    server.routes["/img/full.png"] = answer(png(), kind="image/png")
    status, _, err = fetch(site, "neurips-2022", "--appview-url", server.url)
    assert status == 0, err
    query = parse_qs(urlsplit(server.requests[0]).query)
    assert query["actor"] == ["keuperlabs.bsky.social"]
    (post,) = json.loads((site.content / SNAPSHOT).read_text())["posts"]
    assert post["url"] == (
        "https://bsky.app/profile/keuperlabs.bsky.social/post/3kabc2poster"
    )
    assert post["html"] == (
        "<p>Grüße 🎉 &lt;script&gt;alert(1)&lt;/script&gt; see the poster "
        '<a href="https://bsky.app/hashtag/NeurIPS2022" rel="noopener noreferrer">'
        "#NeurIPS2022</a></p>"
    )
    assert post["media"][0]["alt"] == "Poster <b>alt</b>"
    assert post["media"][0]["path"].endswith("/bluesky-3kabc2poster-1.png")


def test_x_has_no_api_and_says_so_in_one_line(site):
    path = site.content / "conferences/neurips-2022.md"
    path.write_text(
        path.read_text().replace("mastodon @KeuperLabs@sigmoid.social", "x KeuperLabs")
    )
    status, out, err = fetch(site, "neurips-2022")
    assert status == 0, err
    assert out == (
        "neurips-2022: X has no free API for reading posts; the page links to them "
        "instead: https://x.com/search?q=%23NeurIPS2022%20from%3AKeuperLabs&f=live\n"
    )
    assert not (site.content / SNAPSHOT).exists()


def test_only_https_servers_or_loopback_are_asked(site):
    status, _, err = fetch(site, "--instance-url", "http://sigmoid.social")
    assert status == 2
    assert err == (
        "pelican-papers: --instance-url http://sigmoid.social is not usable: write "
        "https://host (or http://127.0.0.1:PORT for a local test server)\n"
    )


def test_a_broken_snapshot_is_a_content_error(site):
    (site.content / "timelines").mkdir()
    (site.content / SNAPSHOT).write_text('{\n  "posts": [\n    {"id": 1,}\n  ]\n}\n')
    status, out, _ = run(
        "check", str(site.content), "-s", str(site.root / "pelicanconf.py")
    )
    assert status == 1
    assert (
        "error: timelines/neurips-2022.json:3: the timeline snapshot is not valid JSON"
        in out
    )


# --- the built page ------------------------------------------------------------


@pytest.fixture(scope="module")
def timeline_site(tmp_path_factory):
    """The lab's site after a fetch from a loopback Mastodon, with a Bluesky and an
    X conference beside it, built once."""
    site = copy_site(tmp_path_factory.mktemp("timeline") / "site")
    for slug, title, timeline in [
        ("icml-2023", "ICML 23", "bluesky keuperlabs.bsky.social"),
        ("cvpr-2023", "CVPR 23", "x KeuperLabs"),
    ]:
        site.write(
            f"conferences/{slug}.md",
            f"Title: {title}\nDate: 2023-06-18\nHashtag: {title.replace(' ', '')}\n"
            f"Timeline: {timeline}\n",
        )
    fake = mastodon(FakeServer())
    try:
        status, _, err = fetch(site, "neurips-2022", "--instance-url", fake.url)
        assert status == 0, err
    finally:
        fake.stop()
    site.build()
    return site


def test_the_page_shows_the_snapshot_newest_first_sanitized(timeline_site):
    page = timeline_site.page(NEURIPS)
    region = page.select_one("section.timeline")
    posts = region.select("article.timeline-post")
    assert [p.time.get_text() for p in posts] == [
        "1 December 2022, 10:30 CET",
        "29 November 2022, 16:04 CET",
    ]
    assert [p.time["datetime"] for p in posts] == [
        "2022-12-01T10:30:00+01:00",
        "2022-11-29T16:04:05+01:00",
    ]
    assert posts[1].select_one(".timeline-post-meta a[href$='109420000000000001']")
    assert "Last day: come to the workshop!" in posts[0].get_text()
    assert region.select_one(".timeline-link a")["href"] == (
        "https://sigmoid.social/@KeuperLabs/tagged/NeurIPS2022"
    )
    assert page.find("script", src=False) is None
    assert [s["src"] for s in page.find_all("script")] == [
        "../../theme/conference-papers/search.js",
        "../../theme/conference-papers/timeline.js",
    ]
    assert not [
        (tag.name, name)
        for tag in region.find_all(True)
        for name in tag.attrs
        if name.startswith("on")
    ]
    assert not [a for a in region.find_all("a") if not a["href"].startswith("https://")]
    (image,) = region.select(".timeline-post img")
    assert image["alt"] == 'Our poster "><script>alert(6)</script> at the venue'
    assert image["src"] == (
        "../../images/timeline/neurips-2022/mastodon-109420000000000001-1.png"
    )
    assert (timeline_site.output / NEURIPS / image["src"]).resolve().is_file()
    assert not (timeline_site.output / "timelines").exists(), (
        "the snapshot is not published"
    )


def test_without_a_snapshot_the_region_links_out(built_site):
    region = built_site.page(NEURIPS).select_one("section.timeline")
    assert region.select("article") == []
    assert region.select_one(".timeline-link a").get_text() == (
        "All posts of @KeuperLabs@sigmoid.social tagged #NeurIPS2022 on sigmoid.social"
    )
    live = region.select_one(".timeline-live")
    assert live.has_attr("hidden"), "without script only the link shows"
    assert live.button.get_text() == "Show live posts from sigmoid.social"


def test_the_script_reaches_notmyidea_too(site):
    site.build(THEME=str(Path(pelican.__file__).parent / "themes/notmyidea"))
    src = site.page(NEURIPS).select_one("section.timeline script")["src"]
    assert (site.output / NEURIPS / src).resolve().is_file()


# Elements and attributes that make a browser fetch something by themselves.
LOADS = {
    "img": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "prefetch",
    "modulepreload",
    "preconnect",
    "dns-prefetch",
    "prerender",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def leaves_the_site(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or (
        bool(re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I))
        and not url.startswith("data:")
    )


def foreign_loads(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag in soup.find_all(True):
        urls = [tag.get(name, "") for name in LOADS.get(tag.name, ())]
        if tag.name == "link" and LOADING_RELS & set(tag.get("rel", [])):
            urls.append(tag.get("href", ""))
        if tag.name == "meta" and tag.get("http-equiv", "").lower() == "refresh":
            urls.append(tag.get("content", "").partition("url=")[2])
        urls += [m[0] or m[1] for m in CSS_URL.findall(tag.get("style", ""))]
        if tag.name == "style":
            urls += [m[0] or m[1] for m in CSS_URL.findall(tag.get_text())]
        for url in urls:
            candidates = [part.split()[0] for part in url.split(",") if part.split()]
            found += [f"<{tag.name}> {u}" for u in candidates if leaves_the_site(u)]
    return found


@pytest.mark.parametrize("which", ["timeline_site", "built_site"])
def test_no_built_page_loads_anything_from_another_host(which, request):
    output = request.getfixturevalue(which).output
    pages = sorted(output.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        assert foreign_loads(page.read_text(encoding="utf-8")) == [], page
    for sheet in sorted(output.rglob("*.css")):
        found = [m[0] or m[1] for m in CSS_URL.findall(sheet.read_text())]
        assert [u for u in found if leaves_the_site(u)] == [], sheet


def test_the_scan_finds_what_would_leak():
    assert foreign_loads(
        '<img srcset="a.png 1x, https://cdn.example/b.png 2x">'
        '<link rel="preconnect" href="https://fonts.example">'
        '<div style="background:url(//cdn.example/c.png)"></div>'
    ) == [
        "<img> https://cdn.example/b.png",
        "<link> https://fonts.example",
        "<div> //cdn.example/c.png",
    ]


# --- in a browser: nothing leaves before the click --------------------------------


@pytest.fixture(scope="module")
def served(timeline_site):
    """The built site on http://127.0.0.1:<port>, as a visitor's browser sees it."""
    with serve(timeline_site.output) as origin:
        yield origin


class Visit:
    """A browser context where every request that leaves the site is recorded
    and blocked."""

    def __init__(self, new_context, origin, **options):
        self.origin = origin
        self.context = new_context(**options)
        self.foreign: list[str] = []
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.page.on("request", self.seen)

    def route(self, route):
        if route.request.url.startswith(self.origin + "/"):
            route.continue_()
        else:
            route.abort()

    def seen(self, request):
        if not request.url.startswith(self.origin + "/"):
            self.foreign.append(request.url)

    def open(self, path):
        self.page.goto(f"{self.origin}/{path}", wait_until="networkidle")
        return self.page


@pytest.mark.browser
def test_no_page_asks_another_host_before_the_click(new_context, served, timeline_site):
    visit = Visit(new_context, served)
    pages = sorted(
        p.relative_to(timeline_site.output).as_posix()
        for p in timeline_site.output.rglob("index.html")
    )
    for path in pages:
        visit.open(path)
    assert len(pages) >= 5
    assert visit.foreign == []
    assert visit.context.cookies() == []


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "host", "request_to"),
    [
        (
            NEURIPS,
            "sigmoid.social",
            "https://sigmoid.social/api/v1/accounts/lookup?acct=KeuperLabs",
        ),
        (
            "conferences/icml-2023/",
            "bsky.app",
            "https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed?",
        ),
        ("conferences/cvpr-2023/", "x.com", "https://platform.twitter.com/widgets.js"),
    ],
)
def test_the_click_is_the_consent(new_context, served, path, host, request_to):
    visit = Visit(new_context, served)
    page = visit.open(path)
    button = page.get_by_role("button", name=f"Show live posts from {host}")
    assert button.is_visible()
    assert visit.foreign == []
    with page.expect_request(lambda r: r.url.startswith(request_to)):
        button.click()
    # The provider is blocked here: the page says so and keeps its link.
    if host != "x.com":
        status = page.locator(".timeline-live-status")
        status.filter(has_text="Could not load the posts").wait_for()
    assert visit.context.cookies() == []


@pytest.mark.browser
def test_a_remembered_choice_loads_without_asking_and_can_be_withdrawn(
    new_context, served
):
    visit = Visit(new_context, served)
    page = visit.open(NEURIPS)
    page.get_by_label("Remember my choice on this device").check()
    with page.expect_request(lambda r: "sigmoid.social" in r.url):
        page.get_by_role("button", name="Show live posts from sigmoid.social").click()
    key = "conference-papers:live-posts:sigmoid.social"
    assert page.evaluate(f"localStorage.getItem('{key}')") == "yes"
    assert visit.context.cookies() == []
    with page.expect_request(lambda r: "sigmoid.social" in r.url):
        page.reload()
    page.get_by_role(
        "button", name="Ask again before loading from sigmoid.social"
    ).click()
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    visit.foreign.clear()
    page.reload(wait_until="networkidle")
    assert visit.foreign == []


@pytest.mark.browser
def test_without_script_only_the_link_shows(new_context, served):
    visit = Visit(new_context, served, java_script_enabled=False)
    page = visit.open(NEURIPS)
    assert not page.get_by_role(
        "button", name="Show live posts from sigmoid.social"
    ).is_visible()
    assert page.get_by_role(
        "link", name=re.compile("All posts of @KeuperLabs")
    ).is_visible()
    assert visit.foreign == []
