"""The preview of a long abstract (base/sanitize.preview_html) on its own; the feeds
that carry it are in tests/site/test_feeds.py."""

from __future__ import annotations

from pelican.plugins.conference_papers.base.sanitize import preview_html


def test_preview_html_cuts_at_a_word_and_closes_what_is_open():
    html = "<p>One <em>two three</em> four &amp; five</p><p>six</p>"
    assert preview_html(html, 100) == (html, False)
    assert preview_html(html, 11) == ("<p>One <em>two…</em></p>", True)
    assert preview_html(html, 17) == ("<p>One <em>two three</em>…</p>", True)
    assert preview_html(html, 20) == ("<p>One <em>two three</em> four &amp;…</p>", True)
    huge = "<p>" + "word " * 1_000_000 + "</p>"  # 5 MB
    preview, cut = preview_html(huge, 3000)
    assert cut and len(preview) <= 3010 and preview.endswith("word…</p>")
