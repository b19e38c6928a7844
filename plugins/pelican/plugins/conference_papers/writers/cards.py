"""A paper's card, rendered once per page depth and reused everywhere it shows.

The conference page, the home page and the feed show the same card; with
relative URLs only the prefix to the site root differs between pages, so a card
is rendered once for each prefix and kept for the rest of the build.
"""

from __future__ import annotations

import os

from jinja2 import pass_context
from markupsafe import Markup

from ..settings import setting
from .images import image_size

#: Cards kept for reuse (least recently shown dropped first).
CACHED_CARDS = 1024


class CardRenderer:
    """The cards of one build. ``get_template`` is the generator's (the theme's
    templates, then ours), ``context`` the build's template context (read as
    each card is rendered: the static files are known only then)."""

    def __init__(self, get_template, context, settings, members, thumbnails):
        self.get_template = get_template
        self.context = context
        self.settings = settings
        self.members = members
        self.thumbnails = thumbnails
        self._cards: dict[tuple[int, str], Markup] = {}
        self._compact: dict[tuple[int, str], Markup] = {}

    def card(self, paper, siteurl: str) -> Markup:
        key = (id(paper), siteurl)
        card = self._cards.pop(key, None)
        if card is None:
            template = self.get_template("conference_papers/card")
            card = Markup(template.render(self.card_context(paper, siteurl)))
        # The most recently shown cards are kept: the same papers come back on
        # the home page and in the feeds, while keeping every card would hold
        # ~6 KB per paper to the end of the build. Rendering is deterministic,
        # so a card rendered twice is the same card.
        self._cards[key] = card
        if len(self._cards) > CACHED_CARDS:
            del self._cards[next(iter(self._cards))]
        return card

    def compact(self, paper, siteurl: str) -> Markup:
        """The paper's compact card (the list of every paper and its filter
        pages): title, authors, venue, badges, buttons; no abstract, no image.
        Kept until ``forget_compact``: a paper is on the main list and on
        several filter pages, all at one depth (listing.py)."""
        key = (id(paper), siteurl)
        card = self._compact.get(key)
        if card is None:
            template = self.get_template("conference_papers/card_compact")
            context = {
                **self.context,
                "SITEURL": siteurl,
                "paper": paper,
                "members": self.members,
            }
            card = self._compact[key] = Markup(template.render(context))
        return card

    def forget_compact(self) -> None:
        self._compact.clear()

    def card_context(self, paper, siteurl: str) -> dict:
        # A bounded preview: the card is on the conference page, the home page
        # and in every feed; the paper's page has the whole abstract.
        abstract, cut = paper.preview(siteurl)
        return {
            **self.context,
            "SITEURL": siteurl,
            "paper": paper,
            "abstract": abstract,
            "abstract_cut": cut,
            "image": self.image(paper, siteurl),
            "members": self.members,
            "fold": setting(self.settings, "ABSTRACT_FOLD"),
        }

    def image(self, paper, siteurl: str, sizes: str | None = None) -> dict | None:
        """What a template needs to show the paper's image, or None:
        ``src``/``srcset``/``width``/``height`` of the thumbnails (the image itself
        when there are none), ``sizes`` (the card's unless given: how wide the
        page shows it), ``href`` of the full image, ``alt``. The paper page uses
        it too: ``conference_papers_cards.image(paper, SITEURL, sizes=…)``."""
        if not paper.image:
            return None
        # As the templates write {{ SITEURL }}/…: with SITEURL "" (and absolute
        # URLs) that is "/…" from the site root, never relative to the page.
        prefix = f"{siteurl}/"
        static = self.context["static_content"].get(paper.image)
        full = prefix + (static.url if static else paper.image)
        alt = f"Figure of “{paper.title}”"
        thumbnails = self.thumbnails.make(paper.image)
        if not thumbnails:
            size = image_size(os.path.join(self.thumbnails.content_path, paper.image))
            width, height = size or (None, None)
            return {
                "src": full,
                "href": full,
                "srcset": None,
                "sizes": None,
                "width": width,
                "height": height,
                "alt": alt,
            }
        largest = thumbnails[-1]
        return {
            "src": prefix + thumbnails[0].save_as,
            "srcset": ", ".join(f"{prefix}{t.save_as} {t.width}w" for t in thumbnails),
            "sizes": sizes or setting(self.settings, "THUMBNAIL_SIZES"),
            "width": largest.width,
            "height": largest.height,
            "href": full,
            "alt": alt,
        }


@pass_context
def paper_card(context, paper) -> Markup:
    """Template global: ``{{ paper_card(paper) }}`` on any page of the site."""
    return context["conference_papers_cards"].card(paper, context.get("SITEURL", ""))
