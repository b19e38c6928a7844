"""The reused Markdown reader reads each file as a fresh one would, without a build;
the builds are in tests/site/test_reading.py."""

from __future__ import annotations

import copy

from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from pelican.plugins.conference_papers.reading import PaperMarkdownReader

from ..site.test_reading import TRICKY


def _settings():
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["MARKDOWN"]["extensions"] = []
    return settings


def test_reused_markdown_reads_every_file_as_a_fresh_one_would(tmp_path):
    for name, text in TRICKY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    order = ["a.md", "b.md", "c.md", "a.md", "c.md", "b.md"]
    reused = PaperMarkdownReader(_settings())
    fresh = MarkdownReader(_settings())
    for name in order:
        path = str(tmp_path / name)
        assert reused.read(path)[0] == fresh.read(path)[0], name
    content, metadata = reused.read(str(tmp_path / "b.md"))
    assert "<abbr" not in content and 'href="https://example.org/b"' not in content
    assert metadata["tags"] == ["one", "two"], "every value is kept for the schema"
