"""The browser checks can fail: on a page with the faults they look for, they
see each one (a check that saw nothing on a bad page would pass anything)."""

from __future__ import annotations

import pytest

from .browser_tools import RUN_AXE, new_page

pytestmark = pytest.mark.browser

BAD_PAGE = """<!DOCTYPE html><html><head><title>bad</title></head><body>
<img src="https://example.org/tracker.png">
<p style="color:#999;background:#aaa">grey on grey</p>
<script>console.error("boom")</script>
</body></html>"""


def test_checks_see_offsite_requests_console_errors_and_axe_violations(
    browser, axe_source
):
    visit = new_page(browser, 390, 844)
    try:
        visit.page.set_content(BAD_PAGE, wait_until="load")
        visit.page.add_script_tag(path=str(axe_source))
        violations = {v["id"]: v["impact"] for v in visit.page.evaluate(RUN_AXE)}
    finally:
        visit.page.context.close()
    assert visit.offsite_requests == ["https://example.org/tracker.png"]
    assert any("boom" in error for error in visit.console_errors)
    assert violations["image-alt"] == "critical"
    assert violations["color-contrast"] == "serious"
