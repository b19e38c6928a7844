"""Helpers of the browser tests: what they need, and a page that records what
the browser did. The fixtures are in conftest.py beside this file; chromium itself
(the ``browser`` fixture) is in tests/conftest.py, shared by every test."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_INSTALL = "make node_modules/.installed (npm ci; npm from apt-get install npm)"

# axe-core (injected first) on the whole page: its violations, briefly.
RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}
"""


class Visit:
    """One page opened as a reader would, with what the browser saw on the way."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.offsite_requests: list[str] = []
        self.failed_requests: list[str] = []


def new_page(browser, width: int, height: int, color_scheme: str = "light") -> Visit:
    """A new page at the given viewport that records console errors, failed
    requests and every request to another host (which it blocks)."""
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=color_scheme,
        service_workers="block",
    )
    page = context.new_page()
    visit = Visit(page)

    def route(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            visit.offsite_requests.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and visit.console_errors.append(f"{message.text} ({message.location})")
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    # ERR_ABORTED is the browser changing its mind (another srcset candidate),
    # not a failure; a missing file is a response with an error status.
    page.on(
        "requestfailed",
        lambda request: (
            "ERR_ABORTED" not in (request.failure or "")
            and visit.failed_requests.append(f"{request.url}: {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and visit.failed_requests.append(f"{response.url}: HTTP {response.status}")
        ),
    )
    return visit


def open_page(browser, url: str, width: int, height: int, color_scheme="light"):
    """``new_page``, then load ``url`` (until its load event)."""
    visit = new_page(browser, width, height, color_scheme)
    visit.page.goto(url, wait_until="load")
    return visit
