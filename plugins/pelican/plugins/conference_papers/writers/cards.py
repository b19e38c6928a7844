"""A paper's card, rendered once and reused everywhere it shows.

The conference page, the home page and the feed show the same card, and the
list of every paper and its filter pages the same compact card; with relative
URLs only the prefix to the site root differs between pages. The plugin's own
card templates use SITEURL only as that prefix, so a card is rendered once with
a stand-in for it, and the stand-in is replaced for each page: one rendering per
paper, not one per page depth (at 1,000 papers, 1,000 cards instead of 2,006 for
the conference pages, the home page and the feeds, and 1,000 compact cards
instead of 2,000 for the list and its filter pages). A theme's card template
may do anything with SITEURL, and a body with ``{static}`` links is replaced
for each page: those cards are rendered once for each prefix, as before.
"""

from __future__ import annotations

import os
import uuid

from jinja2 import meta, pass_context
from markupsafe import Markup, escape

from ..model import has_placeholder_links
from ..settings import setting
from . import TEMPLATES
from .images import image_size

#: Cards kept for reuse (least recently shown dropped first).
CACHED_CARDS = 1024

CARD = "conference_papers/card"
COMPACT = "conference_papers/card_compact"

#: Where a card shared by every page depth has the prefix to the site root; no
#: text of a file holds it (random, with control characters).
PREFIX = f"\x00{uuid.uuid4().hex}\x00"


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
        # (id(paper), the prefix, or None for a card shared by every prefix)
        self._cards: dict[tuple[int, str | None], str] = {}
        self._compact: dict[tuple[int, str | None], str] = {}
        self._compact_prefix: str | None = None
        self._own: dict[str, bool] = {}
        self._varies: dict[int, bool] = {}

    def card(self, paper, siteurl: str) -> Markup:
        shared = self.shared(CARD, paper, siteurl)
        key = (id(paper), None if shared else siteurl)
        card = self._cards.pop(key, None)
        if card is None:
            template = self.get_template(CARD)
            prefix = PREFIX if shared else siteurl
            card = template.render(self.card_context(paper, prefix))
        # The most recently shown cards are kept: the same papers come back on
        # the home page and in the feeds, while keeping every card would hold
        # ~6 KB per paper to the end of the build. Rendering is deterministic,
        # so a card rendered twice is the same card.
        self._cards[key] = card
        if len(self._cards) > CACHED_CARDS:
            del self._cards[next(iter(self._cards))]
        return Markup(card.replace(PREFIX, siteurl) if shared else card)

    def compact(self, paper, siteurl: str) -> Markup:
        """The paper's compact card (the list of every paper and its filter
        pages): title, authors, venue, badges, buttons; no abstract, no image.
        Kept until ``forget_compact``: a paper is on the main list and on
        several filter pages (listing.py). Cards of a theme's template are kept
        for one prefix at a time: the filter pages are all at one depth."""
        shared = self.shared(COMPACT, paper, siteurl)
        if not shared and siteurl != self._compact_prefix:
            self._compact = {k: v for k, v in self._compact.items() if k[1] is None}
            self._compact_prefix = siteurl
        key = (id(paper), None if shared else siteurl)
        card = self._compact.get(key)
        if card is None:
            template = self.get_template(COMPACT)
            context = {
                **self.context,
                "SITEURL": PREFIX if shared else siteurl,
                "paper": paper,
                "members": self.members,
            }
            card = self._compact[key] = template.render(context)
        return Markup(card.replace(PREFIX, siteurl) if shared else card)

    def forget_compact(self) -> None:
        self._compact.clear()
        self._compact_prefix = None

    def shared(self, name: str, paper, siteurl: str) -> bool:
        """Whether one rendering of the card ``name`` of ``paper`` serves every
        page: the template and all it includes are ours, the paper's body is
        the same on every page, and ``siteurl`` reads the same escaped."""
        if name not in self._own:
            self._own[name] = own_templates(self.get_template(name))
        if id(paper) not in self._varies:  # asked again on every filter page
            self._varies[id(paper)] = has_placeholder_links(paper)
        return (
            self._own[name]
            and not self._varies[id(paper)]
            and str(escape(siteurl)) == siteurl
        )

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


def own_templates(template) -> bool:
    """Whether ``template`` and every template it includes, imports or extends
    are the plugin's own (not a theme's file of the same name)."""
    env = template.environment
    seen: set[str] = set()
    names = [template.name]
    while names:
        name = names.pop()
        if name in seen:
            continue
        seen.add(name)
        source, filename, _ = env.loader.get_source(env, name)
        if not filename or os.path.commonpath([TEMPLATES, filename]) != TEMPLATES:
            return False
        for included in meta.find_referenced_templates(env.parse(source)):
            if included is None:  # a name computed as the page renders
                return False
            names.append(included)
    return True
