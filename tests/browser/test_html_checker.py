"""The Nu HTML Checker (vnu-jar, the W3C validator's engine) on every built page,
the stylesheets and the SVGs, in one run: the JVM takes seconds to start."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# A page with a known error rides along: the run must report it, so a checker
# that checked nothing (or output that was misread) cannot pass.
BROKEN_PAGE = """<!DOCTYPE html><html lang="en"><head><title>x</title></head>
<body><p id="a b">an id with a space</p></body></html>"""


@pytest.fixture(scope="session")
def checker_report(vnu_command, built_site, tmp_path_factory):
    output = Path(built_site.output)
    files = sorted(
        p for p in output.rglob("*") if p.suffix in (".html", ".css", ".svg")
    )
    assert len([p for p in files if p.suffix == ".html"]) >= 5
    broken = tmp_path_factory.mktemp("vnu") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    result = subprocess.run(
        [
            *vnu_command,
            "--errors-only",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
            str(broken),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    messages = json.loads(result.stderr)["messages"]
    return output, broken, messages


def test_the_checker_reports_a_known_error(checker_report):
    _, broken, messages = checker_report
    assert any(
        m["url"].endswith(broken.name) and "whitespace" in m["message"]
        for m in messages
    ), messages


def test_every_built_page_is_valid_html(checker_report):
    output, broken, messages = checker_report
    errors = [m for m in messages if not m.get("url", "").endswith(broken.name)]
    assert not errors, "\n".join(
        f"{m.get('url', '').split(str(output))[-1]}:{m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in errors
    )
