"""Bounded work (issue 12): a hostile server, data file or title costs seconds at
most and ends in one clear line; nothing else is lost.

The servers are loopback ones (tests/loopback.py) that trickle bytes, redirect
elsewhere, send endless or decompression-bomb answers.
"""

from __future__ import annotations

import re
import time

import pytest

from pelican.plugins.conference_papers.base import http
from pelican.plugins.conference_papers.base.venues import recognise
from pelican.plugins.conference_papers.importers import remote
from pelican.plugins.conference_papers.importers.bibtex import (
    BibtexImport,
    parse_library,
)
from pelican.plugins.conference_papers.importers.writer import ImportWriter

from ..loopback import Hostile, send

# --- a server that trickles: a total deadline ----------------------------------


def trickle_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", "100")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.2)


def trickle_headers(handler):
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(100):
        handler.wfile.write(b"X-Slow: 1\r\n")
        handler.wfile.flush()
        time.sleep(0.2)


def trickle_chunks(handler):
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"1\r\nx\r\n")
        handler.wfile.flush()
        time.sleep(0.2)


def silent(handler):
    time.sleep(20)


def redirect_to_trickle(handler):
    send(handler, 302, Location="/trickle-body")


TRICKLES = {
    "body": trickle_body,
    "headers": trickle_headers,
    "chunks": trickle_chunks,
    "silence": silent,
    "redirected": redirect_to_trickle,
}


@pytest.mark.parametrize("how", TRICKLES)
def test_a_trickling_server_is_cut_off_at_the_deadline(how):
    with Hostile() as server:
        server.routes["/trickle-body"] = trickle_body
        server.routes["/x"] = TRICKLES[how]
        client = http.Client(1, "test", allow_loopback=True)
        started = time.monotonic()
        with pytest.raises(http.ConnectionProblem) as caught:
            client.get(f"{server.base}/x", 1_000_000)
        took = time.monotonic() - started
    assert took < 3, f"{how}: {took:.1f} s for a 1 s deadline"
    host = server.base.split("//")[1]
    assert str(caught.value) == f"{host} did not answer within 1 s"


def test_an_importer_gives_up_on_a_trickle_and_asks_no_more(tmp_path):
    with Hostile() as server:
        server.routes["/arxiv/query"] = trickle_body
        fetcher = remote.Fetcher(tmp_path / "cache", timeout=1)
        started = time.monotonic()
        for _ in range(3):
            with pytest.raises(remote.FetchError, match="did not answer within 1 s"):
                fetcher.get(f"{server.base}/arxiv/query?id_list=1")
        assert time.monotonic() - started < 4
        assert len(server.requests) == 1, "an unreachable service is asked once"


# --- redirects: the same host only, and the error names the right one ----------


@pytest.mark.parametrize(
    ("location", "named"),
    [
        ("https://evil.example/x", "evil.example"),
        ("//evil.example/x", "evil.example"),
        ("HTTPS://Evil.Example:8443/x", "Evil.Example:8443"),
        ("https://127.0.0.1.evil.example/", "127.0.0.1.evil.example"),
        ("http://localhost:{port}/ok", "localhost:{port}"),
        ("http://127.0.0.1:{other}/ok", "127.0.0.1:{other}"),
        ("https://127.0.0.1:{port}/ok", "127.0.0.1:{port}"),  # another scheme
        ("ftp://127.0.0.1:{port}/ok", "127.0.0.1:{port}"),
    ],
)
def test_a_redirect_to_another_host_is_refused_and_named(location, named):
    with Hostile() as server, Hostile() as other:
        port = server.server.server_address[1]
        values = {"port": port, "other": other.server.server_address[1]}
        other.routes["/ok"] = lambda h: send(h, 200, b"elsewhere")
        server.routes["/ok"] = lambda h: send(h, 200, b"here")
        server.routes["/x"] = lambda h: send(h, 302, Location=location.format(**values))
        client = http.Client(5, "test", allow_loopback=True)
        with pytest.raises(http.FetchError) as caught:
            client.get(f"{server.base}/x", 1000)
        assert other.requests == [], "the other host was asked"
        assert server.requests == ["/x"]
    assert str(caught.value) == (
        f"127.0.0.1:{port} redirected to another host ({named.format(**values)}); "
        f"only redirects within 127.0.0.1:{port} are followed"
    )


def test_a_redirect_that_writes_the_default_port_stays_on_the_host():
    client = http.Client(5, "test")
    assert client._redirect("https://h.example/a", "https://h.example:443/b") == (
        "https://h.example:443/b"
    )


def test_a_redirect_within_the_host_is_followed_a_few_times():
    with Hostile() as server:
        server.routes["/a"] = lambda h: send(h, 301, Location="/b")
        server.routes["/b"] = lambda h: send(h, 307, Location=f"{server.base}/c")
        server.routes["/c"] = lambda h: send(h, 200, b"found")
        server.routes["/loop"] = lambda h: send(h, 302, Location="/loop")
        client = http.Client(5, "test", allow_loopback=True)
        assert client.get(f"{server.base}/a", 100) == b"found"
        with pytest.raises(http.FetchError, match="redirected more than 5 times"):
            client.get(f"{server.base}/loop", 100)
        assert server.requests.count("/loop") == 6


@pytest.mark.parametrize(
    "url",
    ["http://example.org/x", "file:///etc/passwd", "ftp://example.org/", "//x/y", ""],
)
def test_only_https_is_asked(url):
    with pytest.raises(http.FetchError, match="only https:// addresses are used"):
        http.Client(5, "test", allow_loopback=True).get(url, 100)


# --- only public addresses: a hostile link cannot reach the lab's own network ----


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.7/avatar.png",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fc00::1]/x",
        "https://192.168.1.1/",
    ],
)
def test_a_private_address_is_refused_without_asking(url):
    started = time.monotonic()
    with pytest.raises(http.FetchError, match="address of a private or local network"):
        http.Client(5, "test", allow_loopback=True).get(url, 100)
    assert time.monotonic() - started < 1  # refused, not tried and timed out


def test_a_name_that_resolves_inside_is_refused(monkeypatch):
    with Hostile() as server:
        server.routes["/x"] = lambda h: send(h, 200, b"inside")
        port = server.base.rsplit(":", 1)[1]
        # Without allow_loopback (a real run): 127.0.0.1 is the machine itself.
        with pytest.raises(http.FetchError, match=re.escape("it is at 127.0.0.1")):
            http.Client(5, "test").get(f"https://localhost:{port}/x", 100)
        assert server.requests == []


def test_a_hanging_resolver_is_cut_off_at_the_deadline(monkeypatch):
    monkeypatch.setattr(http.socket, "getaddrinfo", lambda *a, **k: time.sleep(5) or [])
    started = time.monotonic()
    with pytest.raises(
        http.ConnectionProblem, match=re.escape("did not answer within 0.5 s")
    ):
        http.Client(0.5, "test").get("https://media.example.org/a.png", 100)
    assert time.monotonic() - started < 2


# --- too much: a size cap ---------------------------------------------------------


def endless(handler):
    handler.send_response(200)
    handler.end_headers()
    while True:
        handler.wfile.write(b"x" * 65536)


@pytest.mark.parametrize(
    "route",
    [endless, lambda h: send(h, 200, b"x" * 5000)],
    ids=["endless", "too-long"],
)
def test_an_answer_over_the_cap_is_refused(route):
    with Hostile() as server:
        server.routes["/big"] = route
        client = http.Client(5, "test", allow_loopback=True)
        with pytest.raises(http.FetchError, match="sent more than 4 kB"):
            client.get(f"{server.base}/big", 4000)


# --- decompression bombs: the image is left out, the fetch goes on ---------------


# --- pages that repeat posts -------------------------------------------------------


# --- YAML bombs: refused at once, with the line -----------------------------------


# --- text processing stays linear ---------------------------------------------------


def best_time(function, text: str) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - started)
    return min(times)


VENUES = {
    "capitals": lambda n: "A" * n + "!",
    "capitals-year": lambda n: "A" * n + "! 2020",
    "spaced-capitals": lambda n: "A " * n + "!",
    "bold": lambda n: "<b>" * n,
    "tags": lambda n: "<" * n,
    "parentheses": lambda n: "(" * n + "A 2020",
    "acronym-parentheses": lambda n: "(" + "AB" * n + " 2020",
}


@pytest.mark.parametrize("kind", VENUES)
def test_venue_parsing_is_linear(kind):
    make = VENUES[kind]
    small, large = (best_time(recognise, make(n)) for n in (2_000, 20_000))
    # 10 times the text: linear is ~10 times the time, quadratic 100; the best of
    # five runs, and room for a busy machine between the two.
    assert large < max(60 * small, 0.05), f"{kind}: {small:.4f} s -> {large:.4f} s"


def import_one(field: str, value: str, into) -> None:
    entry = f"@inproceedings{{k, {field} = {{{value}}}, author = {{Ada Lovelace}}, "
    entry += "booktitle = {CVPR 2020}, year = {2020}}"
    if field == "booktitle":
        entry = entry.replace(", booktitle = {CVPR 2020}", "")
    entries, _ = parse_library(entry, "papers.bib")
    BibtexImport(ImportWriter(into), "papers.bib", None).add(entries[0])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "A" * 1),
        ("booktitle", "A" * 1),
        ("booktitle", "<b>" * 1),
        ("journal", "AB" * 1 + "!"),
    ],
    ids=["title-capitals", "booktitle-capitals", "booktitle-bold", "journal"],
)
def test_a_bibtex_entry_of_a_long_field_is_imported_in_linear_time(
    tmp_path, field, value
):
    times = {}
    for n in (500, 5_000):
        times[n] = best_time(lambda long: import_one(field, long, tmp_path), value * n)
    assert times[5_000] < max(40 * times[500], 0.2), times
