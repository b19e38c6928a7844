"""fetch-timeline against a hostile server (issue 13): each case is one thing an
attacker or a broken server can send, on 127.0.0.1. What must hold every time:
no script or foreign address reaches the snapshot, an image is stored locally
or left out (never hot-linked), a failure is one line, and a failed fetch
leaves the snapshot in place as it was, even when the process is killed."""

from __future__ import annotations

import email.utils
import json
import os
import re
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from pelican.plugins.conference_papers.timeline_fetch import media, publish
from pelican.plugins.conference_papers.timeline_fetch.media import MEDIA_LIMIT

from ..loopback import Hostile
from .test_timeline import (
    SNAPSHOT,
    FakeServer,
    answer,
    bluesky_item,
    facet,
    fetch,
    mastodon,
    mastodon_status,
    png,
    write_sentinel,
)


@pytest.fixture
def server():
    fake = FakeServer()
    yield fake
    fake.stop()


STATUSES = "/api/v1/accounts/109283597262813946/statuses"
POSTER = "mastodon-109420000000000001-1.png"


def fetch_from(site, fake, *extra):
    return fetch(site, "neurips-2022", "--instance-url", fake.url, *extra)


def snapshot(site) -> dict:
    return json.loads((site.content / SNAPSHOT).read_text())


def one_error(err: str) -> str:
    errors = [line for line in err.splitlines() if line.startswith("pelican-papers:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err and "please report" not in errors[0]
    return errors[0]


def assert_left_as_it_was(site, before: bytes, err: str) -> str:
    line = one_error(err)
    assert line.endswith(f"{SNAPSHOT} was left as it was")
    assert (site.content / SNAPSHOT).read_bytes() == before
    assert sorted(p.name for p in (site.content / "timelines").iterdir()) == [
        "neurips-2022.json"
    ]
    assert not (site.content / "images/timeline").exists()
    return line


def with_poster(fake: FakeServer, url: str) -> None:
    """The hostile post's one image at ``url``."""
    mastodon(fake)
    statuses = json.loads(fake.routes[STATUSES]({"tagged": ["neurips2022"]})[2])
    statuses[1]["media_attachments"] = [
        {"id": "1", "type": "image", "url": url, "description": "poster"}
    ]
    fake.routes[STATUSES] = answer(statuses)


# --- what a post carries ----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "<p>hi <script>alert(1)</script></p>",
        '<p><a href="java&#x09;script:alert(1)">x</a></p>',
        '<p><a href="&#106;avascript:alert(1)">x</a></p>',
        '<p><svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg></p>',
        '<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a></p>',
        "<p><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<p style="background:url(https://evil.example/)">x</p>',
        "<p>x</p><!--<img src=x onerror=alert(1)>--><noscript><p title='</noscript>"
        "<img src=x onerror=alert(1)>'></noscript>",
    ],
)
def test_script_in_a_post_never_reaches_the_snapshot(site, server, content):
    mastodon(server)
    status = mastodon_status(server, "109420000000000009", "2022-11-29T15:04:05Z", "")
    server.routes[STATUSES] = answer(
        [{**status, "content": content, "spoiler_text": "<b>CW</b>"}]
    )
    code, _, err = fetch_from(site, server)
    assert code == 0, err
    (post,) = snapshot(site)["posts"]
    html = post["html"].lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "javascript",
        "data:",
        "<img",
        "<svg",
        "<style",
        "style=",
        "evil.example",
        "<noscript",
    ):
        assert bad not in html, (bad, html)
    assert html.startswith("<p><strong>&lt;b&gt;cw&lt;/b&gt;</strong></p>")


def test_a_post_too_long_to_be_one_is_left_out(site, server):
    mastodon(server)
    status = mastodon_status(server, "109420000000000009", "2022-11-29T15:04:05Z", "")
    server.routes[STATUSES] = answer(
        [{**status, "content": "<p>" + "<b>x</b>" * 20_000 + "</p>"}]
    )
    code, _, err = fetch_from(site, server)
    assert code == 0, err
    assert "post left out: post 109420000000000009: its text is longer than" in err
    assert snapshot(site)["posts"] == []


# --- images ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("javascript:alert(1)", "refusing to fetch javascript:alert(1): the scheme"),
        ("data:image/png;base64,iVBORw0KGgo=", "refusing to fetch data:image/png"),
        ("http://sigmoid.social/poster.png", "only https:// addresses are used"),
        ("https://evil.example/poster.png", "could not find evil.example"),
        ("{url}/media/page.png", "not a PNG, JPEG, GIF or WebP file"),
        ("{url}/media/away.png", "redirected to another host (evil.example)"),
        ("{url}/media/missing.png", "does not know an image (HTTP 404"),
    ],
    ids=[
        "javascript",
        "data",
        "http",
        "no-such-host",
        "html",
        "redirect",
        "404",
    ],
)
def test_an_image_that_cannot_be_used_is_left_out_not_linked(site, server, url, said):
    with_poster(server, url.format(url=server.url))
    server.routes["/media/page.png"] = answer(b"<html>hi</html>", kind="image/png")
    server.routes["/media/away.png"] = answer(
        b"", 302, headers={"Location": "https://evil.example/poster.png"}
    )
    code, out, err = fetch_from(site, server)
    assert code == 0, err
    assert "2 posts, 0 images" in out
    (line,) = [x for x in err.splitlines() if "image left out" in x]
    assert said in line
    text = (site.content / SNAPSHOT).read_text()
    assert (
        "evil.example" not in text and "javascript" not in text and "data:" not in text
    )
    assert [p["media"] for p in snapshot(site)["posts"]] == [[], []]
    assert not (site.content / "images/timeline").exists()


def test_an_image_larger_than_the_cap_is_cut_off_and_left_out(site):
    with Hostile() as hostile:
        fake = FakeServer()
        try:
            with_poster(fake, f"{hostile.base}/huge.png")

            def huge(handler):
                handler.send_response(200)
                handler.send_header("Content-Type", "image/png")
                handler.send_header("Content-Length", str(4 * MEDIA_LIMIT))
                handler.end_headers()
                block = png() + b"\0" * (1 << 20)
                for _ in range(4 * MEDIA_LIMIT // len(block)):
                    handler.wfile.write(block)

            hostile.routes["/huge.png"] = huge
            code, out, err = fetch_from(site, fake)
        finally:
            fake.stop()
    assert code == 0, err
    assert "image left out: 127.0.0.1" in err and "sent more than 16 MB" in err
    assert "2 posts, 0 images" in out


def test_a_post_with_more_images_than_a_post_can_have_keeps_four(site, server):
    mastodon(server)
    status = mastodon_status(server, "109420000000000009", "2022-11-29T15:04:05Z", "")
    image = {"type": "image", "url": f"{server.url}/media/poster.png"}
    server.routes[STATUSES] = answer(
        [{**status, "media_attachments": [{**image, "id": str(n)} for n in range(500)]}]
    )
    code, out, err = fetch_from(site, server)
    assert code == 0, err
    assert "500 images, the first 4 kept" in err
    assert "1 posts, 4 images" in out
    assert len([r for r in server.requests if r == "/media/poster.png"]) == 4


def test_images_stop_at_the_snapshots_budget(site, server, monkeypatch):
    monkeypatch.setattr(media, "MEDIA_TOTAL", 2 * len(png()))
    mastodon(server)
    status = mastodon_status(server, "109420000000000009", "2022-11-29T15:04:05Z", "")
    image = {"type": "image", "url": f"{server.url}/media/poster.png"}
    server.routes[STATUSES] = answer(
        [{**status, "media_attachments": [{**image, "id": str(n)} for n in range(4)]}]
    )
    code, out, err = fetch_from(site, server)
    assert code == 0, err
    assert err.count("image left out: the snapshot's images passed") == 2
    assert "1 posts, 2 images" in out


def test_an_image_on_a_media_host_is_stored_locally(site, server):
    """Mastodon's files and Bluesky's CDN live on other hosts than the API: the
    image is fetched (through the same client) and stored, never linked."""
    media_host = FakeServer()
    try:
        media_host.routes["/cdn/poster.png"] = answer(png(), kind="image/png")
        elsewhere = media_host.url.replace("127.0.0.1", "localhost")
        with_poster(server, f"{elsewhere}/cdn/poster.png")
        code, out, err = fetch_from(site, server)
    finally:
        media_host.stop()
    assert code == 0, err
    assert "2 posts, 1 images" in out
    assert "localhost" not in (site.content / SNAPSHOT).read_text()
    path = site.content / "images/timeline/neurips-2022" / POSTER
    assert path.read_bytes() == png()


def http_date(seconds: int) -> str:
    return email.utils.formatdate(time.time() + seconds, usegmt=True)


# --- failures that may pass: the fetch stops, nothing changes ------------------------


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "30"}, "wait 30 seconds"),
        ({"Retry-After": "99999999999999"}, "wait a few minutes"),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, "wait a few minutes"),
        (lambda: {"Retry-After": http_date(600)}, r"wait (5\d\d|600) seconds"),
        ({"Retry-After": "<script>"}, "wait a few minutes"),
        ({}, "wait a few minutes"),
    ],
)
def test_a_rate_limited_image_stops_the_fetch(site, server, headers, wait):
    """An image that fails only this once is not dropped from the snapshot."""
    before = write_sentinel(site)
    with_poster(server, f"{server.url}/media/limited.png")
    headers = headers() if callable(headers) else headers
    server.routes["/media/limited.png"] = answer({}, 429, headers=headers)
    code, _, err = fetch_from(site, server)
    assert code == 1
    line = assert_left_as_it_was(site, before, err)
    said = f"an image: {server.url[7:]} is limiting requests (HTTP 429): "
    assert re.search(re.escape(said) + wait, line), line
    assert "<script>" not in line


def test_a_second_page_rate_limited_stops_the_fetch(site, server):
    before = write_sentinel(site)
    mastodon(server)
    first = mastodon_status(server, "109437165347523488", "2022-12-01T09:30:00Z", "")
    pages = iter([answer([first] * 40), answer({}, 429, headers={"Retry-After": "5"})])
    server.routes[STATUSES] = lambda query: next(pages)(query)
    code, _, err = fetch_from(site, server)
    assert code == 1
    assert "wait 5 seconds" in assert_left_as_it_was(site, before, err)


def test_an_image_that_trickles_stops_the_fetch_at_the_deadline(site):
    """(A trickling API page: test_bounded.py.)"""
    before = write_sentinel(site)
    with Hostile() as hostile:
        fake = FakeServer()
        try:
            with_poster(fake, f"{hostile.base}/slow.png")
            hostile.routes["/slow.png"] = trickle
            started = time.monotonic()
            code, _, err = fetch_from(site, fake, "--timeout", "1")
            took = time.monotonic() - started
        finally:
            fake.stop()
    assert code == 1
    assert "did not answer within 1 s" in assert_left_as_it_was(site, before, err)
    assert took < 4


def trickle(handler):
    """An answer that never ends: a byte every tenth of a second."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    for _ in range(100_000):
        handler.wfile.write(b"[")
        handler.wfile.flush()
        time.sleep(0.1)


# --- garbage ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b"[null]",
        b'{"id": "1"}',
        b'"statuses"',
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe[]",
        b'[{"id": "1", "tags": "NeurIPS2022", "visibility": "public"}]',
    ],
    ids=["numbers", "null", "object", "string", "deep", "not-utf8", "tags-str"],
)
def test_garbage_json_is_one_line_and_loses_nothing(site, server, body):
    before = write_sentinel(site)
    mastodon(server)
    server.routes[STATUSES] = answer(body)
    code, _, err = fetch_from(site, server)
    assert code == 1
    line = assert_left_as_it_was(site, before, err)
    assert "did not answer like a Mastodon server" in line


def test_a_post_that_fails_a_check_is_left_out_and_the_rest_kept(site, server):
    mastodon(server)
    good = mastodon_status(server, "109437165347523488", "2022-12-01T09:30:00Z", "")
    undated = {**good, "id": "109437165347523489", "created_at": "yesterday"}
    elsewhere = {**good, "id": "109437165347523490", "url": "javascript:alert(1)"}
    server.routes[STATUSES] = answer([undated, elsewhere, good])
    code, _, err = fetch_from(site, server)
    assert code == 0, err
    assert err.count("post left out") == 2
    assert [p["id"] for p in snapshot(site)["posts"]] == ["109437165347523488"]


# --- killed while publishing ---------------------------------------------------------

KILLER = """
import os, signal, sys
real = os.replace
def replace(source, target):
    if str(target).endswith(".json"):
        os.kill(os.getpid(), signal.SIGKILL)  # after the images, before the swap
    return real(source, target)
os.replace = replace
from pelican.plugins.conference_papers.commands import main
sys.exit(main.main(sys.argv[1:]))
"""


def test_a_fetch_killed_before_the_swap_leaves_the_old_snapshot(site, server):
    mastodon(server)
    assert fetch_from(site, server)[0] == 0
    before = (site.content / SNAPSHOT).read_bytes()
    # The next fetch finds the poster's post gone and a new one with an image.
    new = mastodon_status(server, "109500000000000000", "2022-12-02T10:00:00Z", "")
    new["media_attachments"] = [
        {"id": "9", "type": "image", "url": f"{server.url}/media/poster.png"}
    ]
    server.routes[STATUSES] = answer([new])
    conf = str(site.root / "pelicanconf.py")
    args = [
        "fetch-timeline",
        "neurips-2022",
        "--instance-url",
        server.url,
        "--content",
        str(site.content),
        "-s",
        conf,
    ]
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, *args], capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (site.content / SNAPSHOT).read_bytes() == before
    # Every image the snapshot in place names is still there.
    (old,) = [m["path"] for p in snapshot(site)["posts"] for m in p["media"]]
    assert (site.content / old).read_bytes() == png()
    # The half-done run left a dot-file; the next run replaces it and ends clean.
    code, _, err = fetch_from(site, server)
    assert code == 0, err
    assert sorted(os.listdir(site.content / "timelines")) == ["neurips-2022.json"]
    assert [p["id"] for p in snapshot(site)["posts"]] == ["109500000000000000"]
    assert sorted(os.listdir(site.content / "images/timeline/neurips-2022")) == [
        "mastodon-109500000000000000-1.png"
    ]


def test_an_interrupted_publish_removes_its_temporary_file(site, server, monkeypatch):
    mastodon(server)
    before = write_sentinel(site)
    real = os.replace

    def interrupted(source, target):
        if str(target).endswith(".json"):
            raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(publish.os, "replace", interrupted)
    assert fetch(site, "neurips-2022", "--instance-url", server.url)[0] == 130
    assert (site.content / SNAPSHOT).read_bytes() == before
    assert sorted(os.listdir(site.content / "timelines")) == ["neurips-2022.json"]


# --- the one paging loop ---------------------------------------------------------


def test_mastodon_pages_follow_max_id_until_a_short_page(site, server):
    mastodon(server)
    older = [
        mastodon_status(server, str(109400000000000100 - n), "2022-11-28T10:00:00Z", "")
        for n in range(40)
    ]
    last = mastodon_status(server, "109300000000000000", "2022-11-01T10:00:00Z", "")
    pages = {None: older, older[-1]["id"]: [last]}
    server.routes[STATUSES] = lambda query: answer(
        pages[query.get("max_id", [None])[0]]
    )(query)
    code, out, err = fetch_from(site, server)
    assert code == 0, err
    asked = [r for r in server.requests if r.startswith(STATUSES)]
    assert len(asked) == 2 and f"max_id={older[-1]['id']}" in asked[1]
    assert "page 2: 1 posts, 41 tagged" in err
    assert "41 posts" in out


def test_pages_stop_at_the_pages_option(site, server):
    mastodon(server)
    status = mastodon_status(server, "109437165347523488", "2022-12-01T09:30:00Z", "")
    server.routes[STATUSES] = answer([status] * 40)  # a server that never ends
    code, out, err = fetch_from(site, server, "--pages", "3")
    assert code == 0, err
    assert len([r for r in server.requests if r.startswith(STATUSES)]) == 3
    assert "119 repeated posts left out" in err
    assert "1 posts" in out


def bluesky_site(site):
    path = site.content / "conferences/neurips-2022.md"
    path.write_text(
        path.read_text().replace(
            "mastodon @KeuperLabs@sigmoid.social", "bluesky keuperlabs.bsky.social"
        )
    )


def test_bluesky_pages_follow_the_cursor_until_there_is_none(site, server):
    bluesky_site(site)
    tag = {"$type": "app.bsky.richtext.facet#tag", "tag": "NeurIPS2022"}

    def item(rkey):
        text = f"{rkey} #NeurIPS2022"
        return bluesky_item(
            f"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/{rkey}",
            text,
            [facet(text, "#NeurIPS2022", tag)],
            "2022-11-30T10:00:00.000Z",
        )

    pages = {
        None: {"feed": [item("3kaaa")], "cursor": "c1"},
        "c1": {"feed": [item("3kbbb")]},
    }
    server.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = lambda query: answer(
        pages[query.get("cursor", [None])[0]]
    )(query)
    code, out, err = fetch(site, "neurips-2022", "--appview-url", server.url)
    assert code == 0, err
    assert [urlsplit(r).query.count("cursor=c1") for r in server.requests] == [0, 1]
    assert "2 posts" in out


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'{"feed": 5}',
        b'{"feed": [{"post": 5}]}',
        b'{"feed": [null]}',
        b'{"feed": [{"post": {"author": [], "record": {}}}]}',
    ],
)
def test_bluesky_garbage_is_one_line_and_loses_nothing(site, server, body):
    bluesky_site(site)
    before = write_sentinel(site)
    server.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = answer(body)
    code, _, err = fetch(site, "neurips-2022", "--appview-url", server.url)
    assert code == 1
    line = assert_left_as_it_was(site, before, err)
    assert "did not answer like a Bluesky server" in line
