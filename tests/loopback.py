"""A loopback stand-in for arXiv's API and Crossref's REST API (127.0.0.1 only).

It answers in the formats the services document: arXiv an Atom feed
(https://info.arxiv.org/help/api/user-manual.html), Crossref a JSON
``{"status": "ok", "message": {...}}`` (https://api.crossref.org).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

ARXIV = {
    "2302.00003": {
        "title": "Tiny Models,\n  Big Claims",
        "authors": ["Ada Lovelace", "Grace Hopper"],
        "published": "2023-02-01T18:00:00Z",
        "summary": "  We train tiny models\n  and make big claims.\n",
        "journal_ref": "ICML 2023",
    },
    "2210.05938": {
        "title": "Robust Models are less Over-Confident",
        "authors": [
            "Julia Grabinski",
            "Paul Gavrikov",
            "Janis Keuper",
            "Margret Keuper",
        ],
        "published": "2022-10-11T14:00:00Z",
        "summary": "Despite the success of CNNs, robustness is lacking.",
        "journal_ref": "",
    },
}
CROSSREF = {
    "10.5555/journal.2019.42": {
        "DOI": "10.5555/journal.2019.42",
        "type": "journal-article",
        "title": ["Forty-Two Answers"],
        "author": [{"given": "Alan", "family": "Turing"}, {"name": "The Lab"}],
        "container-title": ["Journal of Imaginary Computing"],
        "short-container-title": ["J. Imag. Comp."],
        "issued": {"date-parts": [[2019, 5]]},
        "abstract": "<jats:p>We answer <jats:italic>everything</jats:italic>.</jats:p>",
        "link": [
            {"URL": "https://example.org/42.pdf", "content-type": "application/pdf"}
        ],
    },
}


def atom(arxiv_id: str) -> bytes:
    paper = ARXIV.get(arxiv_id)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
        "<title>arXiv Query</title><id>http://arxiv.org/api/x</id>\n"
    )
    if paper is None:
        entry = (
            "<entry><id>http://arxiv.org/api/errors#incorrect_id_format</id>"
            "<title>Error</title><summary>incorrect id format for "
            f"{arxiv_id}</summary></entry>"
        )
    else:
        authors = "".join(
            f"<author><name>{a}</name></author>" for a in paper["authors"]
        )
        journal = (
            f"<arxiv:journal_ref>{paper['journal_ref']}</arxiv:journal_ref>"
            if paper["journal_ref"]
            else ""
        )
        entry = (
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}v1</id>"
            f"<published>{paper['published']}</published>"
            f"<title>{paper['title']}</title><summary>{paper['summary']}</summary>"
            f"{authors}{journal}"
            f'<link href="http://arxiv.org/abs/{arxiv_id}v1" rel="alternate" '
            'type="text/html"/>'
            f'<link title="pdf" href="http://arxiv.org/pdf/{arxiv_id}v1" '
            'rel="related" type="application/pdf"/></entry>'
        )
    return (head + entry + "</feed>").encode("utf-8")


class Services:
    """Both services on one port: /arxiv/query and /crossref/works/DOI."""

    def __init__(self):
        self.requests: list[str] = []
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                services.requests.append(self.path)
                parts = urlsplit(self.path)
                if parts.path == "/arxiv/query":
                    ids = parse_qs(parts.query).get("id_list", [""])[0]
                    self._send(200, "application/atom+xml", atom(ids))
                elif parts.path.startswith("/crossref/works/"):
                    doi = unquote(parts.path[len("/crossref/works/") :])
                    if doi in CROSSREF:
                        body = {
                            "status": "ok",
                            "message-type": "work",
                            "message": CROSSREF[doi],
                        }
                        self._send(200, "application/json", json.dumps(body).encode())
                    else:
                        self._send(404, "text/plain", b"Resource not found.")
                else:
                    self._send(404, "text/plain", b"not found")

            def _send(self, status, kind, body):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class Hostile:
    """A loopback server that misbehaves on purpose: ``routes[path](handler)``
    writes whatever it likes to ``handler.wfile`` (a byte a second, a redirect
    elsewhere, an endless body). 127.0.0.1 only."""

    def __init__(self):
        self.routes: dict = {}
        self.requests: list[str] = []
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                hostile.requests.append(self.path)
                route = hostile.routes.get(urlsplit(self.path).path)
                try:
                    if route is None:
                        self.send_response(404)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    else:
                        route(self)
                except OSError:
                    pass  # the client hung up: what the tests want

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def send(handler, status: int, body: bytes = b"", **headers) -> None:
    """One whole answer."""
    handler.send_response(status)
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)
