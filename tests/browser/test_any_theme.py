"""The plugin's default templates in Pelican's own themes (``notmyidea``,
``simple``) and in the lab theme, measured in chromium: the plugin's content
starts in the theme's column, its link pills show their whole label, and a phone
never scrolls sideways (issue 18). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest

from ..any_site import REPO, build, quickstart_site
from ..browser_support import serve

pytestmark = pytest.mark.browser

#: theme -> (THEME value, the element that is the theme's column).
THEMES = {
    "notmyidea": ("notmyidea", "#banner"),
    "simple": ("simple", "body > header"),
    "lab": (str(REPO / "themes" / "lab"), ".site-header .wrap"),
}
PAGES = {
    "conference": "conferences/iclr-2024/",
    "paper": "papers/iclr-2024/sparse-attention/",
    "index": "conferences/",
}

MEASURE = """(column) => {
  const box = (e) => e.getBoundingClientRect();
  const content = box(document.querySelector('#content'));
  // The column is the theme element's content box (inside its padding).
  const element = document.querySelector(column), style = getComputedStyle(element);
  const outer = box(element);
  const theme = {left: outer.left + parseFloat(style.paddingLeft),
                 right: outer.right - parseFloat(style.paddingRight)};
  const pills = [...document.querySelectorAll('a.button')].map((a) => ({
    label: a.textContent.trim(),
    clipped: a.scrollWidth > a.clientWidth + 1,
    padding: parseFloat(getComputedStyle(a).paddingLeft),
    text: box(a.querySelector('span')), pill: box(a),
  }));
  const images = [...document.images].map((i) => ({src: i.currentSrc,
    loaded: i.complete && i.naturalWidth > 0, width: box(i).width}));
  return {content: [content.left, content.right],
          theme: [theme.left, theme.right],
          scroll: document.documentElement.scrollWidth, width: innerWidth,
          pills, images};
}"""


@pytest.fixture(scope="module", params=list(THEMES))
def themed_site(request, tmp_path_factory):
    name = request.param
    root = quickstart_site(tmp_path_factory.mktemp(name) / "site", THEMES[name][0])
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "output") as origin:
        yield name, origin


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("page", list(PAGES))
def test_plugin_pages_sit_in_the_themes_column(
    themed_site, page, width, new_context, artifacts
):
    name, origin = themed_site
    tab = new_context(viewport={"width": width, "height": 900}).new_page()
    tab.goto(f"{origin}/{PAGES[page]}", wait_until="load")
    tab.evaluate(
        "Promise.all([...document.images].map((i) => i.decode().catch(() => 0)))"
    )
    seen = tab.evaluate(MEASURE, THEMES[name][1])
    tab.screenshot(path=str(artifacts / f"any-theme-{name}-{page}-{width}.png"))

    left, right = seen["content"]
    theme_left, theme_right = seen["theme"]
    # The content box lines up with the theme's header (within a pixel or two),
    # never flush left while the theme is centred.
    assert abs(left - theme_left) <= 2, seen
    assert right <= theme_right + 2, seen
    assert seen["scroll"] <= seen["width"], f"scrolls sideways: {seen}"
    for pill in seen["pills"]:
        assert not pill["clipped"], pill
        assert pill["padding"] >= 4, f"the label touches the border: {pill}"
        assert pill["text"]["right"] < pill["pill"]["right"] - 3, pill
    for image in seen["images"]:
        assert image["loaded"], f"an image does not load: {image}"
        # Sized like a card's image, never a block that fills the page.
        assert image["width"] <= min(520, theme_right - theme_left) + 1, image
    if page != "index":
        assert seen["pills"], "a paper's links are pills"
