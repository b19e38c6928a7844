"""A loopback stand-in for OpenAlex's API (127.0.0.1 only), for ``sync`` and its pager.

It answers in OpenAlex's documented JSON (https://docs.openalex.org):
``/works?filter=author.orcid:…|author.id:…&cursor=…&per-page=N`` gives
``{"meta": {"count", "per_page", "next_cursor"}, "results": [...]}`` with cursor
paging, and ``/works/W…``, ``/works/doi:10.x/y`` or ``/works/pmid:123`` one work
(a 404 ``{"error": …}`` for one it does not hold). The works are
tests/fixtures/openalex/*.json.

``tests/loopback.py`` serves arXiv and Crossref from fixed tables in one
handler; OpenAlex needs paging and failures on demand, so it has its own server
of the same shape (``with OpenAlex() as server: server.base``). Tell it to fail:
``server.fail("429", "503", "timeout", "garbage", "loop")`` answers the next
requests so, one each, then it answers normally again.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "openalex"


def load_works() -> list[dict]:
    return [
        json.loads(path.read_text("utf-8")) for path in sorted(FIXTURES.glob("*.json"))
    ]


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int | None:
    if cursor == "*":
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError:
        return None
    return int(text[7:]) if text.startswith("offset:") and text[7:].isdigit() else None


def _by(work: dict, kind: str, value: str) -> bool:
    for authorship in work.get("authorships", []):
        author = authorship.get("author") or {}
        if kind == "author.orcid" and (author.get("orcid") or "").endswith(value):
            return True
        if kind == "author.id" and (author.get("id") or "").endswith("/" + value):
            return True
    return False


def _is(work: dict, wanted: str) -> bool:
    """``W…``, ``doi:10.x/y`` (case-insensitive, as DOIs are) or ``pmid:123``."""
    kind, _, value = wanted.partition(":")
    ids = work.get("ids") or {}
    if kind.lower() == "doi":
        return (work.get("doi") or "").lower() == f"https://doi.org/{value.lower()}"
    if kind.lower() == "pmid":
        return ids.get("pmid") == f"https://pubmed.ncbi.nlm.nih.gov/{value}"
    return work["id"].endswith("/" + wanted)


class OpenAlex:
    """OpenAlex's /works on a free port of 127.0.0.1; ``requests``: the paths asked."""

    def __init__(self, works: list[dict] | None = None, timeout: float = 5.0):
        self.works = load_works() if works is None else works
        self.requests: list[str] = []
        self.failures: deque[str] = deque()
        self.release = threading.Event()  # ends a "timeout" answer early at shutdown
        self.timeout = timeout
        self.retry_after = "2"  # seconds a 429 asks to wait
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                failure = server.failures.popleft() if server.failures else ""
                if failure == "429":
                    self._send(
                        429,
                        {"error": "Too Many Requests"},
                        retry_after=server.retry_after,
                    )
                elif failure == "503":
                    self._send(503, {"error": "Service Unavailable"})
                elif failure == "timeout":
                    server.release.wait(server.timeout)
                    self._send(504, {"error": "too late"})
                elif failure == "garbage":
                    self._raw(200, "application/json", b"<html>\x00not json")
                else:
                    self._answer(loop=failure == "loop")

            def _answer(self, loop: bool):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path.startswith("/works/"):
                    wanted = unquote(parts.path[len("/works/") :])
                    for work in server.works:
                        if _is(work, wanted):
                            return self._send(200, work)
                    return self._send(404, {"error": f"{wanted} not found"})
                if parts.path != "/works":
                    return self._send(404, {"error": "not found"})
                kind, _, value = query.get("filter", "").partition(":")
                if kind not in ("author.orcid", "author.id") or not value:
                    return self._send(
                        400, {"error": "Invalid query parameters", "message": kind}
                    )
                offset = _offset(query.get("cursor", ""))
                per_page = int(query.get("per-page", "25"))
                if offset is None or not 1 <= per_page <= 200:
                    return self._send(400, {"error": "Invalid query parameters"})
                found = [w for w in server.works if _by(w, kind, value)]
                page = found[offset : offset + per_page]
                end = offset + per_page
                next_cursor = _cursor(end) if page else None
                if loop:  # a broken server: the same cursor again
                    next_cursor = query["cursor"]
                meta = {
                    "count": len(found),
                    "per_page": per_page,
                    "next_cursor": next_cursor,
                }
                self._send(200, {"meta": meta, "results": page, "group_by": []})

            def _send(self, status, body, retry_after=""):
                data = json.dumps(body).encode("utf-8")
                self._raw(status, "application/json", data, retry_after)

            def _raw(self, status, kind, body, retry_after=""):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    if retry_after:
                        self.send_header("Retry-After", retry_after)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def fail(self, *failures: str) -> None:
        """Answer the next requests with these failures, one each, in order."""
        unknown = set(failures) - {"429", "503", "timeout", "garbage", "loop"}
        if unknown:
            raise ValueError(f"unknown failure {sorted(unknown)}")
        self.failures.extend(failures)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
