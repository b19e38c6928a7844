"""A site as ``pelican-quickstart`` makes one (tests/fixtures/quickstart), built
with a given theme in a fresh ``pelican`` process, as a lab outside ours builds it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "tests" / "fixtures" / "quickstart"
PELICAN = Path(sys.executable).with_name("pelican")
SHORT_PLUGINS = 'PLUGINS = ["conference_papers"]'
FULL_PLUGINS = 'PLUGINS = ["pelican.plugins.conference_papers"]'


def example_figure(path: Path) -> None:
    """A small bar chart, so that a card has an image to lay out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (800, 500), "white")
    draw = ImageDraw.Draw(image)
    for i, height in enumerate((300, 220, 380, 160)):
        draw.rectangle((80 + i * 170, 450 - height, 200 + i * 170, 450), fill="#4a7ab5")
    draw.line((60, 450, 760, 450), fill="black", width=3)
    image.save(path)


def quickstart_site(
    root: Path, theme: str | None = None, *, installed: bool = False
) -> Path:
    """Copy the quickstart site to ``root``, with ``THEME = theme`` (Pelican's
    ``notmyidea`` when None) and an image on one paper; return ``root``.
    ``installed``: built with an installed wheel, so the short name stays."""
    shutil.copytree(QUICKSTART, root)
    example_figure(root / "content" / "images" / "sparse-attention.png")
    paper = root / "content" / "papers" / "iclr-2024" / "sparse-attention.md"
    text = paper.read_text(encoding="utf-8")
    paper.write_text(
        text.replace("Track:", "Image: images/sparse-attention.png\nTrack:", 1),
        encoding="utf-8",
    )
    # The fixture names the plugin as a lab that installs the wheel does
    # (PLUGINS = ["conference_papers"]); tests/site/test_packaging.py builds it so.
    # Pelican's short-name discovery looks only in its own pelican/plugins/
    # folder, which an editable install of the working tree is not in: these
    # sites are built from the working tree, so they name it in full.
    conf_path = root / "pelicanconf.py"
    conf_text = conf_path.read_text(encoding="utf-8")
    assert SHORT_PLUGINS in conf_text, "the quickstart fixture lost its PLUGINS line"
    if not installed:
        conf_text = conf_text.replace(SHORT_PLUGINS, FULL_PLUGINS)
        conf_path.write_text(conf_text, encoding="utf-8")
    if theme:
        with open(conf_path, "a", encoding="utf-8") as conf:
            conf.write(f"THEME = {theme!r}\n")
    return root


def build(root: Path, *extra: str, pelican: Path = PELICAN):
    """``pelican content -o output`` in ``root``; the finished process."""
    return subprocess.run(
        [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output", *extra],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "HOME": str(root)},
    )
