"""The bounds of tests/unit/test_bounded.py where a command runs on a site:
fetch-timeline gives up on a trickle and names a redirect, image bombs are left
out, repeated posts kept once, YAML bombs refused quickly."""

from __future__ import annotations

import json
import struct
import time
import zlib

import pytest

from ..loopback import Hostile, send
from ..site.test_timeline import SNAPSHOT, FakeServer, answer, fetch, mastodon
from ..site.test_timeline import mastodon_status as status_of
from ..site.test_timeline import run as papers
from ..unit.test_bounded import trickle_body


def test_fetch_timeline_gives_up_on_a_trickle_in_time(site):
    with Hostile() as server:
        server.routes["/api/v1/accounts/lookup"] = trickle_body
        server.routes["/@KeuperLabs/tagged/NeurIPS2022.rss"] = trickle_body
        started = time.monotonic()
        code, _, err = fetch(
            site, "neurips-2022", "--instance-url", server.base, "--timeout", "1"
        )
        took = time.monotonic() - started
    assert code == 1
    assert took < 5, f"{took:.1f} s for --timeout 1"
    (line,) = [x for x in err.splitlines() if x.startswith("pelican-papers:")]
    assert "did not answer within 1 s; try again later, or allow more time" in line
    assert not (site.content / SNAPSHOT).exists()


def test_fetch_timeline_names_the_host_that_redirected(site):
    with Hostile() as server:
        server.routes["/api/v1/accounts/lookup"] = lambda h: send(
            h, 302, Location="https://evil.example/api"
        )
        code, _, err = fetch(site, "neurips-2022", "--instance-url", server.base)
    assert code == 1
    host = server.base.split("//")[1]
    assert f"{host} redirected to another host (evil.example)" in err


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG file whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * (3 * width + 1) * 2)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def gif_claiming(width: int, height: int) -> bytes:
    screen = struct.pack("<HH", width, height) + b"\x80\x00\x00" + b"\0" * 6
    image = b"," + struct.pack("<HHHH", 0, 0, width, height) + b"\x00"
    return b"GIF89a" + screen + image + b"\x02\x02\x44\x01\x00;"


@pytest.mark.parametrize(
    "bomb",
    [
        png_claiming(20000, 20000),  # Pillow refuses it
        png_claiming(10000, 10000),  # Pillow only warns
        png_claiming(7000, 7000),  # under Pillow's limit, over ours
        gif_claiming(65535, 65535),
        gif_claiming(8000, 8000),
    ],
    ids=["png-400M", "png-100M", "png-49M", "gif-4G", "gif-64M"],
)
def test_a_decompression_bomb_is_left_out_with_a_warning(site, bomb):
    server = mastodon(FakeServer())
    try:
        server.routes["/media/poster.png"] = answer(bomb, kind="image/png")
        code, out, err = fetch(site, "neurips-2022", "--instance-url", server.url)
    finally:
        server.stop()
    assert code == 0, err
    assert "image left out: too many pixels (more than 40 million)" in err
    assert out.strip() == f"wrote {site.content}/{SNAPSHOT}: 2 posts, 0 images"
    assert not (site.content / "images/timeline/neurips-2022").exists()


@pytest.mark.parametrize("overlap", [40, 20, 1], ids=["same-page", "half", "one"])
def test_posts_repeated_across_pages_are_kept_once(site, overlap):
    server = FakeServer()
    posts = [
        status_of(
            server, str(10**17 + n), f"2022-11-{1 + n % 28:02d}T10:00:00.000Z", ""
        )
        for n in range(80)
    ]

    def statuses(query):
        # A server that pages badly: each page starts `overlap` posts too early.
        page = 0 if "max_id" not in query else 1
        start = page * (40 - overlap)
        return (
            200,
            "application/json",
            json.dumps(posts[start : start + 40]).encode(),
            {},
        )

    server.routes.update(
        {
            "/api/v1/accounts/lookup": answer({"id": "1", "username": "KeuperLabs"}),
            "/api/v1/accounts/1/statuses": statuses,
        }
    )
    try:
        code, _, err = fetch(
            site, "neurips-2022", "--instance-url", server.url, "--pages", "2"
        )
    finally:
        server.stop()
    assert code == 0, err
    ids = [p["id"] for p in json.loads((site.content / SNAPSHOT).read_text())["posts"]]
    assert len(ids) == len(set(ids)) == 80 - overlap
    assert f"{overlap} repeated posts left out" in err


def laughs(levels: int = 9) -> str:
    """The "billion laughs": each level nine aliases of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines)


YAML_BOMBS = {
    "laughs-in-entry": (
        "- title: Fine\n  authors: [Ada]\n  date: 2020-01-01\n"
        + "- title: Bomb\n  tags: &t [x]\n  description: *t\n",
        6,
        "an alias (*t)",
    ),
    "billion-laughs": (
        "- title: Bomb\n  extra:\n"
        + "".join(f"    {line}\n" for line in laughs().split("\n")),
        4,
        "an alias (*a0)",
    ),
    "merge-key": ("- &base {title: A}\n- <<: *base\n  title: B\n", 2, "an alias"),
    "deep-flow": ("- title: " + "[" * 200_000, 1, "nested more than 64 levels"),
    "deep-block": (
        "".join("  " * n + "- \n" for n in range(100)),
        65,
        "nested more than 64 levels",
    ),
}


@pytest.mark.parametrize("kind", YAML_BOMBS)
def test_a_yaml_bomb_in_a_data_file_is_refused_quickly(capsys, tmp_path, kind):
    text, line, says = YAML_BOMBS[kind]
    sources = tmp_path / "_data" / "sources.yaml"
    sources.parent.mkdir()
    sources.write_text(text)
    started = time.monotonic()
    code, _, err = papers("import", "lwt", str(sources), "--into", str(tmp_path / "s"))
    assert time.monotonic() - started < 5
    assert code == 1
    (message,) = [x for x in err.splitlines() if x.startswith("pelican-papers:")]
    assert f"sources.yaml:{line}: this is not valid YAML (" in message
    assert says in message
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").rglob("*.md"))


FRONT_MATTER_BOMBS = {
    "billion-laughs": (
        "extra:\n" + "".join(f"  {line}\n" for line in laughs().split("\n")),
        "an alias (*a0)",
    ),
    "merge-key": ("base: &b {a: 1}\nother:\n  <<: *b\n", "an alias (*b)"),
    "deep-flow": ("extra: " + "[" * 200_000, "nested more than 64 levels"),
}


@pytest.mark.parametrize("kind", FRONT_MATTER_BOMBS)
def test_a_yaml_bomb_in_jekyll_front_matter_is_refused_quickly(tmp_path, kind):
    text, says = FRONT_MATTER_BOMBS[kind]
    page = tmp_path / "neurips-2022.md"
    page.write_text(f"---\ntitle: NeurIPS 2022\n{text}\n---\n\n# Papers\n")
    started = time.monotonic()
    code, _, err = papers("import", "jekyll", str(page), "--into", str(tmp_path / "s"))
    assert time.monotonic() - started < 5
    assert code == 1
    (message,) = [x for x in err.splitlines() if x.startswith("pelican-papers:")]
    assert "neurips-2022.md:" in message
    assert "the front matter is not YAML (" in message and says in message
