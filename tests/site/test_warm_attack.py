"""Edits and settings between two builds that share an output and a cache
folder: the warm rebuild must write what a cold build of the same content
writes, and say what it says (see test_warm.py for the edits it covers)."""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image

from bench.lab import write_lab
from pelican.plugins.conference_papers import generator

from ..fingerprint import fingerprint
from .test_warm import _build


def _fresh(root: Path, content: Path, **override) -> dict:
    """A cold build: an empty output folder and an empty cache folder."""
    output = root / f"cold-{len(list(root.glob('cold-*')))}"
    return fingerprint(_build(root, content, output, **override))


def test_our_pages_are_escaped_with_the_template_cache(tmp_path):
    """Pelican's own pages and ours compile the same base.html, ours with
    autoescape: one compiled template in the cache must not serve both."""
    content = write_lab(tmp_path, 4, 2)
    settings = {"SITENAME": "Lab <b>x</b> & Co"}
    cached = fingerprint(
        _build(tmp_path, content, tmp_path / "out", read_cache=True, **settings)
    )
    page = next((tmp_path / "out" / "papers").rglob("index.html"))
    assert "Lab &lt;b&gt;x&lt;/b&gt; &amp; Co" in page.read_text(encoding="utf-8")
    assert cached == _fresh(tmp_path, content, **settings)


def test_a_jinja_option_changed_between_builds_compiles_again(tmp_path):
    content = write_lab(tmp_path, 4, 2)
    output = tmp_path / "out"
    _build(tmp_path, content, output, read_cache=True)
    options = {"JINJA_ENVIRONMENT": {"trim_blocks": False, "lstrip_blocks": False}}
    warm = fingerprint(_build(tmp_path, content, output, read_cache=True, **options))
    assert warm == _fresh(tmp_path, content, **options)


def test_a_removed_member_photo_is_reported_again(tmp_path, caplog):
    """The parse of a member file checks that its photo exists: the memo of
    that parse must not outlive the photo."""
    content = write_lab(tmp_path, 4, 2)
    photo = content / "images" / "members" / "wei.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 64), "teal").save(photo)
    (content / "members").mkdir(exist_ok=True)
    (content / "members" / "wei.md").write_text(
        "Name: Wei Grabinski\nPhoto: images/members/wei.png\n\nA member.\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    _build(tmp_path, content, output, read_cache=True)
    photo.unlink()
    with caplog.at_level(logging.WARNING):
        warm = fingerprint(_build(tmp_path, content, output, read_cache=True))
    said = [r.getMessage() for r in caplog.records]
    assert any("the photo 'images/members/wei.png' does not exist" in m for m in said)
    # Its thumbnail goes with it; the copy of the photo is Pelican's to remove
    # (its static files are not ours).
    assert warm.pop("images/members/wei.png")
    assert warm == _fresh(tmp_path, content)


def test_two_output_folders_sharing_a_cache_folder(tmp_path):
    """The states of the last build are of its output folder: a build into
    another one in between must not make the next build keep a removed
    paper's page (nor the search index that finds it)."""
    content = write_lab(tmp_path, 6, 2)
    cache = {"CACHE_PATH": str(tmp_path / "cache")}
    first, second = tmp_path / "first", tmp_path / "second"
    _build(tmp_path, content, first, read_cache=True, **cache)
    _build(tmp_path, content, second, read_cache=True, **cache)
    paper = sorted((content / "papers").rglob("paper-*.md"))[0]
    paper.unlink()
    warm = fingerprint(_build(tmp_path, content, first, read_cache=True, **cache))
    assert warm == _fresh(tmp_path, content)


def test_an_output_page_changed_by_hand_is_written_again(tmp_path):
    """A page of the output folder that is not what the last build wrote (an
    edit, another tool, a half-copied deploy) is not taken for it."""
    content = write_lab(tmp_path, 4, 2)
    output = tmp_path / "out"
    _build(tmp_path, content, output, read_cache=True)
    page = next((output / "papers").rglob("index.html"))
    page.write_text("<p>defaced</p>\n", encoding="utf-8")
    warm = fingerprint(_build(tmp_path, content, output, read_cache=True))
    assert warm == _fresh(tmp_path, content)


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    """A compiled template cut short (a full disk, a copied cache) is a miss,
    not a build that stops at every run until cache/ is deleted."""
    content = write_lab(tmp_path, 4, 2)
    output = tmp_path / "out"
    _build(tmp_path, content, output, read_cache=True)
    compiled = list((tmp_path / "cache-out" / "jinja").glob("*.cache"))
    assert compiled
    for path in compiled:  # past Jinja's magic, into the checksum
        path.write_bytes(path.read_bytes()[:25])
    warm = fingerprint(_build(tmp_path, content, output, read_cache=True))
    assert warm == _fresh(tmp_path, content)


def test_an_upgraded_library_renders_every_page_again(tmp_path, monkeypatch, caplog):
    """A new Jinja (or sanitizer, or Pillow…) may write other bytes for the
    same content: pages of the old one are not kept."""
    content = write_lab(tmp_path, 4, 2)
    output = tmp_path / "out"
    _build(tmp_path, content, output, read_cache=True)
    upgraded = generator.reading.package_version
    monkeypatch.setattr(
        generator.reading,
        "package_version",
        lambda name: "99.0" if name == "jinja2" else upgraded(name),
    )
    generator._code_digest.cache_clear()
    try:
        with caplog.at_level(logging.INFO):
            _build(tmp_path, content, output, read_cache=True)
    finally:
        monkeypatch.undo()
        generator._code_digest.cache_clear()
    said = [r.getMessage() for r in caplog.records]
    assert "conference_papers: 0 page(s) not rendered again" in " ".join(said)
