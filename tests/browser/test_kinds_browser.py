"""Every kind of paper in chromium (issue 14): the journal article's page, the
preprint's, the thesis's, a conference page with badges and the lab's home page
with its selected papers; axe-core on each, the Nu checker on each."""

from __future__ import annotations

import json
import subprocess

import pytest

from ..browser_support import serve
from ..conftest import copy_site
from ..site.test_kinds import JOURNAL, PREPRINT, THESIS, write_lab
from .browser_tools import RUN_AXE, open_page
from .test_html_checker import BROKEN_PAGE

pytestmark = pytest.mark.browser

PAGES = {
    "journal": JOURNAL,
    "preprint": PREPRINT,
    "thesis": THESIS,
    "conference": "conferences/cvpr-2023/",
    "home": "",
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    site = copy_site(tmp_path_factory.mktemp("kinds-browser") / "site")
    for path in (site.content / "papers").iterdir():
        if path.is_dir():
            for file in path.iterdir():
                file.unlink()
    write_lab(site)
    site.build()
    return site


@pytest.fixture(scope="module")
def lab_url(lab):
    with serve(lab.output) as origin:
        yield origin + "/"


@pytest.mark.parametrize("name", PAGES)
def test_kind_pages_in_chromium(browser, lab_url, axe_source, artifacts, name):
    visit = open_page(browser, lab_url + PAGES[name], 1280, 900)
    page = visit.page
    try:
        page.screenshot(path=artifacts / f"kinds-{name}.png", full_page=True)
        if name in ("journal", "conference", "home"):
            assert page.locator(".paper-badge, .paper-kind").first.is_visible()
        if name == "conference":
            award = page.get_by_text("Best Paper Award", exact=True)
            assert award.is_visible()
        if name == "home":
            selected = page.get_by_role("heading", name="Selected papers")
            assert selected.is_visible()
        page.add_script_tag(path=str(axe_source))
        violations = page.evaluate(RUN_AXE)
    finally:
        page.context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    assert not visit.console_errors and not visit.offsite_requests


def test_kind_pages_are_valid_html(vnu_command, lab, tmp_path):
    # A page with a known error rides along: a checker that read nothing fails.
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    files = [broken] + [lab.output / PAGES[name] / "index.html" for name in PAGES]
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert any(m["url"].endswith("broken.html") for m in messages), messages
    errors = [m for m in messages if not m["url"].endswith("broken.html")]
    assert not errors, errors
