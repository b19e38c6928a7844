"""Light pages: cards show WebP thumbnails (srcset) made at build time and link
the full image; thumbnails are cached and the same bytes on every build; the
conference page's HTML, CSS and scripts stay under 100 KB."""

from __future__ import annotations

import logging
from pathlib import Path
from random import Random
from urllib.parse import urljoin, urlsplit

import pytest
from PIL import Image

from pelican.plugins.conference_papers.generator import ContentError

NEURIPS = "conferences/neurips-2022/"
BUDGET = 100_000  # bytes of HTML + CSS + script, before compression


def local_file(output: Path, page: str, url: str) -> Path:
    """The output file a relative URL on ``page`` points at."""
    path = urlsplit(urljoin("https://site.invalid/" + page, url)).path
    target = output / path.lstrip("/")
    return target / "index.html" if target.is_dir() else target


def page_weight(site, page: str) -> dict[str, int]:
    """Bytes of a page's HTML and of the stylesheets and scripts it loads."""
    soup = site.page(page)
    sizes = {page: (site.output / page / "index.html").stat().st_size}
    for node in soup.select('link[rel~="stylesheet"][href], script[src]'):
        url = node.get("href") or node.get("src")
        assert not urlsplit(url).netloc, f"{url} is on another host"
        sizes[url] = local_file(site.output, page, url).stat().st_size
    return sizes


def test_conference_page_html_css_and_script_stay_under_100_kb(built_site):
    sizes = page_weight(built_site, NEURIPS)
    assert len(sizes) >= 2, "the page's stylesheet is counted"
    assert sum(sizes.values()) < BUDGET, sizes


def test_cards_show_webp_thumbnails_and_link_the_full_image(built_site):
    page = built_site.page(NEURIPS)
    cards = page.select("article.paper-card.has-image")
    assert len(cards) == 3
    for card in cards:
        link = card.select_one("a.paper-card-figure")
        full = local_file(built_site.output, NEURIPS, link["href"])
        assert full.suffix == ".png" and full.is_file()
        with Image.open(full) as image:
            full_size = image.size
        img = link.img
        assert img["sizes"]
        candidates = [entry.split() for entry in img["srcset"].split(",")]
        assert [w for _, w in candidates] == ["480w", "960w"]
        assert img["src"] == candidates[0][0]
        for url, descriptor in candidates:
            thumbnail = local_file(built_site.output, NEURIPS, url)
            with Image.open(thumbnail) as image:
                assert image.format == "WEBP"
                assert image.width == int(descriptor[:-1])
                # The same shape as the full image (to a pixel of rounding).
                expected = image.width * full_size[1] / full_size[0]
                assert abs(image.height - expected) <= 1
        assert (int(img["width"]), int(img["height"])) == full_size
        # The small thumbnail is a fraction of the full image.
        small = local_file(built_site.output, NEURIPS, candidates[0][0])
        assert small.stat().st_size < full.stat().st_size / 2


def test_paper_page_shows_a_thumbnail_linking_the_full_image(built_site):
    figure = built_site.page("papers/neurips-2022/robust-models/").select_one(
        ".paper-figure"
    )
    assert figure.a["href"].endswith("images/neurips22/robust-models.png")
    assert figure.img["srcset"].endswith("robust-models-960w.webp 960w")


def poster(path: Path, size: tuple[int, int], seed: int = 0) -> Path:
    """A poster-like PNG: colour blocks and fine lines (WebP compresses it)."""
    image = Image.new("RGB", size, (250, 250, 245))
    pixels = image.load()
    for y in range(0, size[1], 7):
        for x in range(size[0]):
            pixels[x, y] = ((x * 7 + seed) % 256, (y * 3) % 256, 90)
    image.paste(
        (30, 60, 120), (size[0] // 10, size[1] // 10, size[0] // 2, size[1] // 3)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def add_paper_with_poster(site, size=(1600, 1200), seed=0) -> Path:
    site.write(
        "papers/neurips-2022/poster.md",
        """
        Title: A Poster
        Authors: Ada Lovelace
        Track: Full Paper
        Image: images/posters/poster.png
        """,
    )
    return poster(site.content / "images/posters/poster.png", size, seed)


def thumbnails(output: Path) -> dict[str, bytes]:
    folder = output / "thumbnails"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*.webp"))
    }


def test_thumbnails_are_the_same_bytes_when_encoded_again(site, tmp_path):
    add_paper_with_poster(site)
    first = thumbnails(site.build(CACHE_PATH=str(tmp_path / "cache-a")))
    # A fresh cache: every thumbnail is encoded again.
    second = thumbnails(site.build(CACHE_PATH=str(tmp_path / "cache-b")))
    assert "images/posters/poster-960w.webp" in first
    assert first == second


def test_a_rebuild_takes_thumbnails_from_the_cache(site, caplog):
    source = add_paper_with_poster(site)
    site.build()
    before = thumbnails(site.output)
    with caplog.at_level(logging.INFO, logger="pelican.plugins.conference_papers"):
        site.build()
    assert "thumbnail(s) written, 0 encoded" in caplog.text
    assert thumbnails(site.output) == before
    # A changed image is encoded again.
    caplog.clear()
    poster(source, (1600, 1200), seed=99)
    with caplog.at_level(logging.INFO, logger="pelican.plugins.conference_papers"):
        site.build()
    assert "written, 2 encoded" in caplog.text
    after = thumbnails(site.output)
    assert (
        after["images/posters/poster-480w.webp"]
        != (before["images/posters/poster-480w.webp"])
    )


def test_a_multi_megabyte_poster_becomes_light_thumbnails(site):
    source = add_paper_with_poster(site)
    # A photo-like poster: seeded noise over a gradient (PNG cannot shrink it).
    width, height = 1600, 1200
    noise = Image.frombytes("L", (width, height), Random(1).randbytes(width * height))
    gradient = Image.linear_gradient("L").resize((width, height))
    Image.merge("RGB", (gradient, Image.blend(gradient, noise, 0.25), noise)).save(
        source
    )
    assert source.stat().st_size > 2_000_000
    site.build()
    card = site.page(NEURIPS).select_one("#poster")
    sizes = {
        w: (site.output / f"thumbnails/images/posters/poster-{w}w.webp").stat().st_size
        for w in (480, 960)
    }
    assert sizes[480] < 100_000 and sizes[960] < 300_000, sizes
    with Image.open(
        site.output / "thumbnails/images/posters/poster-480w.webp"
    ) as image:
        assert image.size == (480, 360)
    assert card.img["width"] == "960" and card.img["height"] == "720"
    assert card.a["href"].endswith("images/posters/poster.png")


def test_a_small_image_is_never_enlarged(site):
    add_paper_with_poster(site, size=(300, 200))
    site.build()
    img = site.page(NEURIPS).select_one("#poster img")
    assert img["srcset"].endswith("poster-300w.webp 300w")
    assert "480w" not in img["srcset"]
    assert (img["width"], img["height"]) == ("300", "200")


def test_an_unreadable_image_is_shown_as_it_is_with_a_warning(site, caplog):
    add_paper_with_poster(site)
    (site.content / "images/posters/poster.png").write_bytes(b"not a png")
    with caplog.at_level(logging.WARNING):
        site.build()
    assert "poster.png: no thumbnail" in caplog.text
    img = site.page(NEURIPS).select_one("#poster img")
    assert img["src"].endswith("images/posters/poster.png")
    assert not img.get("srcset")


def test_thumbnails_can_be_turned_off(site):
    site.build(CONFERENCE_PAPERS_THUMBNAIL_WIDTHS=[])
    img = site.page(NEURIPS).select_one("#robust-models img")
    assert img["src"].endswith("images/neurips22/robust-models.png")
    assert not (site.output / "thumbnails").exists()


def test_an_image_outside_the_content_folder_is_refused(site, caplog):
    poster(site.root / "outside.png", (100, 100))
    site.write(
        "papers/neurips-2022/escape.md",
        """
        Title: Escape
        Authors: Ada Lovelace
        Track: Full Paper
        Image: ../outside.png
        """,
    )
    with caplog.at_level(logging.WARNING), pytest.raises(ContentError):
        site.build()
    assert "escape.md:4: Image '../outside.png' cannot be used" in caplog.text
    assert not site.output.exists(), "nothing is written"
    assert not list(site.root.rglob("outside-*w.webp"))
