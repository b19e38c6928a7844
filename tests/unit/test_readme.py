"""The README is the webmaster's manual: it must keep up with the code."""

from __future__ import annotations

import re

from pelican.plugins.conference_papers.settings import DEFAULTS, PREFIX

from ..conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_with_its_default():
    table = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `(\w+)` \| `([^`]*)` \|", README, re.MULTILINE)
    }
    for name, default in DEFAULTS.items():
        key = PREFIX + name
        assert key in table, f"README's settings table misses {key}"
        documented = table[key]
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        assert documented == shown, f"{key}: README says {documented}, code {shown}"


def test_quick_start_is_two_commands():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^    (\S.*?)(?:\s+#.*)?$", quick, re.MULTILINE)
    assert commands == ["make html", "make test"]
