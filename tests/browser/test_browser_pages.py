"""The lab's pages in headless chromium, on a desktop and a phone, as a reader
sees them: cards laid out, nothing wider than the phone, every image loaded, no
console error, nothing fetched from another host, no serious axe violation.

Each page is opened once per view (a session cache); the tests read what the
browser saw. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import functools
from urllib.parse import urljoin

import pytest

from .browser_tools import AXE, RUN_AXE, open_page

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "conferences": "conferences/",
    "neurips-2022": "conferences/neurips-2022/",
    "paper": "papers/neurips-2022/robust-models/",
    "people": "people/",
    "member": "people/margret-keuper/",
}
CARD_PAGES = ["home", "neurips-2022"]
# name: (width, height, color scheme)
VIEWS = {
    "desktop": (1280, 800, "light"),
    "phone": (390, 844, "light"),
    "desktop-dark": (1280, 800, "dark"),
}

# Scroll each (lazy) image into view and wait until it has loaded or failed.
LOAD_IMAGES = """
async () => {
  const settled = (img) => img.complete && img.currentSrc !== "";
  for (const img of document.images) {
    img.scrollIntoView({block: "center"});
    for (let waited = 0; !settled(img) && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  window.scrollTo(0, 0);
  return [...document.images].map((img) => ({
    src: img.getAttribute("src"), srcset: img.getAttribute("srcset"),
    current: img.currentSrc, ratio: window.devicePixelRatio,
    natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
    inCard: img.closest(".paper-card") !== null,
  }));
}
"""

MEASURE_CARDS = """
() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top + scrollY,
            bottom: r.bottom + scrollY, width: r.width};
  };
  return [...document.querySelectorAll(".paper-card.has-image")].map((card) => ({
    id: card.id, card: box(card),
    figure: box(card.querySelector(".paper-card-figure")),
    body: box(card.querySelector(".paper-card-body")),
  }));
}
"""


@pytest.fixture(scope="session")
def seen(browser, site_url, artifacts):
    """``seen(page, view)``: what the browser saw on that page in that view."""

    @functools.cache
    def visit(name: str, view: str) -> dict:
        width, height, scheme = VIEWS[view]
        opened = open_page(browser, site_url + PAGES[name], width, height, scheme)
        page = opened.page
        try:
            images = page.evaluate(LOAD_IMAGES)
            cards = page.evaluate(MEASURE_CARDS)
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            page.screenshot(path=artifacts / f"{name}-{view}.png", full_page=True)
            if (name, view) == ("neurips-2022", "desktop"):
                # The README's picture: the top of the page, as a screen shows it.
                page.screenshot(path=artifacts / "readme-neurips-2022.png")
            violations = None  # without axe-core, only its own test stops
            if AXE.is_file():
                page.add_script_tag(path=str(AXE))
                violations = page.evaluate(RUN_AXE)
        finally:
            page.context.close()
        return {
            "images": images,
            "cards": cards,
            "scroll_width": widths[0],
            "inner_width": widths[1],
            "violations": violations,
            "console_errors": opened.console_errors,
            "offsite_requests": opened.offsite_requests,
            "failed_requests": opened.failed_requests,
        }

    return visit


every_view = pytest.mark.parametrize("view", VIEWS)
every_page = pytest.mark.parametrize("name", PAGES)


@pytest.mark.parametrize("name", CARD_PAGES)
def test_cards_show_image_beside_text_on_desktop(seen, name):
    cards = seen(name, "desktop")["cards"]
    assert cards, "the page shows cards with images"
    for card in cards:
        figure, body = card["figure"], card["body"]
        beside = figure["right"] <= body["left"] or body["right"] <= figure["left"]
        assert beside, f"{card['id']}: the image is not beside the text: {card}"
        assert figure["top"] < body["bottom"] and body["top"] < figure["bottom"]
        assert figure["width"] >= 250, f"{card['id']}: the image is too small"


@pytest.mark.parametrize("name", CARD_PAGES)
def test_cards_stack_image_above_text_on_a_phone(seen, name):
    cards = seen(name, "phone")["cards"]
    assert cards
    for card in cards:
        figure, body = card["figure"], card["body"]
        assert figure["bottom"] <= body["top"], f"{card['id']} is not stacked"
        # The image takes the card's width (less its padding).
        assert figure["width"] >= 0.8 * card["card"]["width"]


def test_sides_alternate_on_desktop(seen):
    cards = seen("neurips-2022", "desktop")["cards"]
    sides = [
        "left" if c["figure"]["left"] < c["body"]["left"] else "right" for c in cards
    ]
    assert sides[:2] == ["left", "right"], sides


@every_page
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_no_sideways_scrolling(seen, name, view):
    page = seen(name, view)
    assert page["scroll_width"] <= page["inner_width"], (
        f"{name} is {page['scroll_width']} px wide in a {page['inner_width']} px window"
    )


@every_page
@every_view
def test_every_image_loads(seen, name, view):
    images = seen(name, view)["images"]
    broken = [i for i in images if i["natural"] == 0]
    assert not broken, f"images that did not load: {broken}"
    if name in CARD_PAGES or name == "paper":
        assert images, "the page shows images"


def chosen_width(image: dict, base: str) -> int:
    """The pixel width of the srcset candidate the browser chose."""
    for candidate in image["srcset"].split(","):
        url, descriptor = candidate.split()
        if urljoin(base, url) == image["current"]:
            return int(descriptor.rstrip("w"))
    raise AssertionError(f"{image['current']} is not in the srcset: {image}")


@pytest.mark.parametrize("name", [*CARD_PAGES, "paper"])
@pytest.mark.parametrize("view", ["desktop", "phone"])
def test_pages_load_a_sharp_webp_thumbnail_not_the_poster(seen, site_url, name, view):
    images = [i for i in seen(name, view)["images"] if i["srcset"]]
    assert images, "the paper images have a srcset"
    base = site_url + PAGES[name]
    for image in images:
        assert image["current"].endswith(".webp"), image
        assert "/thumbnails/" in image["current"], image
        # Sharp: at least as many pixels as the screen shows.
        assert chosen_width(image, base) >= image["shown"] * image["ratio"], image
    if view == "phone":
        assert all(chosen_width(i, base) == 480 for i in images), (
            "a phone loads the small thumbnails"
        )


@every_page
@every_view
def test_no_console_error_and_nothing_from_another_host(seen, name, view):
    page = seen(name, view)
    assert not page["console_errors"]
    assert not page["offsite_requests"], "pages load nothing from another host"
    assert not page["failed_requests"]


@every_page
@every_view
def test_axe_finds_no_serious_or_critical_violation(seen, axe_source, name, view):
    violations = seen(name, view)["violations"]
    assert violations is not None
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in serious
    )
