"""The list of every paper (``publications/``) and its filter pages.

Why server-rendered filter pages: a visitor without script (or a search engine,
or a reader who shares the address) gets a working filter: each value of the
filter bar (a kind, a year, a member, a tag, a conference) is a plain link to a
page that lists exactly its papers. With script, ``filter.js`` narrows the main
list in place instead and writes the filter into the query string
(``?year=2022&tag=robustness``), so the same links become instant and the
address still says what is shown.

Why a cap on the main list (``LIST_MAX_PAPERS``): a compact card is ~0.9 KB of
HTML (its buttons carry no inline icon: those were 2.4 KB of a 3.2 KB entry).
Measured on bench/lab.py's write_lab with the lab theme, the main list is
0.91 MB at 1,000 papers and 9.0 MB at 10,000 (and the 332 filter pages 79 MB in
all), which a phone should not load to show its first screen. Up to the cap the
main list holds
every paper (and filter.js narrows it); beyond it, it holds the newest years up
to the cap and links the older years' pages, and the filter links lead to their
server-rendered pages, which carry the rest. Per-year pages are the natural
pagination: a year is what a reader asks for ("the 2019 papers"), and its
address never changes when a paper is added, unlike "page 7 of 12".

Why long facets fold (``LIST_FACET_FOLD``): with 500 conference editions the
Conference facet alone is ~60 rows of links, which a reader scrolls past
before the first paper. A facet of more values than the setting is a native
``<details>`` (no script; a keyboard and a screen reader open it as any
disclosure), closed on every page but those of its own values, where it is
open so that the reader sees which one is shown.

This module takes DATA (the papers, the lab's members, the settings) and two
functions from the generator (one renders a page, one a compact card); it
returns what it wrote and reaches into nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby

from jinja2 import pass_context
from markupsafe import Markup, escape

from ..grouping import slug_of
from ..settings import setting
from .cards import PREFIX, own_templates

#: The filter bar's groups, in order, with the label of each.
FACETS = {
    "kind": "Kind",
    "year": "Year",
    "member": "Member",
    "tag": "Tag",
    "conference": "Conference",
}

#: How a kind is named in the filter bar (others: their name, capitalized).
KIND_LABELS = {
    "conference": "Conference papers",
    "workshop": "Workshop papers",
    "journal": "Journal articles",
    "preprint": "Preprints",
    "thesis": "Theses",
    "book": "Books",
    "chapter": "Book chapters",
    "report": "Reports",
}


@dataclass(frozen=True)
class Entry:
    """One paper on the list, with the values it is filtered by (slugs)."""

    paper: object
    year: int
    kind: str
    tags: tuple[str, ...]
    members: tuple[str, ...]
    conference: str

    def values(self, facet: str) -> tuple[str, ...]:
        """The slugs of ``facet`` ("tag", "year"…) this paper is listed under."""
        if facet == "tag":
            return self.tags
        if facet == "member":
            return self.members
        value = str(getattr(self, facet))
        return (value,) if value else ()


@dataclass(frozen=True)
class Choice:
    """One link of the filter bar: ``facet``=``value`` (a slug), its label, how
    many papers it has and the address of its page (relative to the site)."""

    facet: str
    value: str
    label: str
    count: int
    url: str


@dataclass
class ListPage:
    """The main list (``facet`` None) or one filter page."""

    save_as: str
    url: str
    title: str
    facet: str | None = None
    value: str | None = None
    years: list[tuple[int, list[Entry]]] = field(default_factory=list)
    #: Every paper of the lab is on this page: filter.js may narrow it in place.
    complete: bool = True
    #: On a capped main list: the years left out, each a link to its page.
    older: list[Choice] = field(default_factory=list)
    total: int = 0


def _slug(name: str, settings) -> str:
    """``name``'s slug as a filter value, or "" when it cannot be one: it names
    a folder of the output (a site may set SLUG_REGEX_SUBSTITUTIONS to keep
    "/" or ".."), so it stays one folder inside publications/<facet>/."""
    slug = slug_of(name, settings)
    if not slug or slug in (".", "..") or "/" in slug or "\\" in slug:
        return ""
    return slug


def entries(papers: Iterable, members: dict, settings) -> list[Entry]:
    """Each paper (newest first, as given) with its filter values."""
    made = []
    for paper in papers:
        conference = getattr(paper, "conference", None)
        made.append(
            Entry(
                paper=paper,
                year=paper.date.year,
                kind=paper.list_kind,
                tags=tuple(_slug(tag, settings) for tag in paper.tags or ()),
                members=tuple(
                    _slug(name, settings) for name in paper.member_authors(members)
                ),
                conference=conference.slug if conference is not None else "",
            )
        )
    return made


def _labels(entry: Entry, facet: str, members: dict, settings) -> dict[str, str]:
    """slug -> label of ``entry``'s values of ``facet``."""
    paper = entry.paper
    if facet == "year":
        return {str(entry.year): str(entry.year)}
    if facet == "kind":
        return {entry.kind: KIND_LABELS.get(entry.kind, entry.kind.capitalize())}
    if facet == "tag":
        return dict(zip(entry.tags, paper.tags or (), strict=True))
    if facet == "member":
        return dict(zip(entry.members, paper.member_authors(members), strict=True))
    if entry.conference:
        return {entry.conference: paper.conference.title}
    return {}


def choices(made: list[Entry], members: dict, settings) -> dict[str, list[Choice]]:
    """The filter bar: facet -> its values, each with a count and its page.
    Years newest first, kinds by how many, the rest by label."""
    pattern = setting(settings, "LIST_FILTER_URL")
    found: dict[str, dict[str, list]] = {facet: {} for facet in FACETS}
    for entry in made:
        for facet in FACETS:
            for value, label in _labels(entry, facet, members, settings).items():
                if not value:  # a tag or name without a usable slug: no filter
                    continue
                found[facet].setdefault(value, [label, 0])[1] += 1
    bar: dict[str, list[Choice]] = {}
    for facet, values in found.items():
        listed = [
            Choice(facet, value, label, count, pattern.format(facet=facet, value=value))
            for value, (label, count) in values.items()
        ]
        if facet == "year":
            listed.sort(key=lambda c: -int(c.value))
        elif facet == "kind":
            listed.sort(key=lambda c: (-c.count, c.label))
        else:
            listed.sort(key=lambda c: c.label.casefold())
        bar[facet] = listed
    return bar


def _by_year(made: list[Entry]) -> list[tuple[int, list[Entry]]]:
    return [(year, list(group)) for year, group in groupby(made, lambda e: e.year)]


def list_pages(made: list[Entry], bar: dict[str, list[Choice]], settings) -> list:
    """The main list, then one page per value of the filter bar."""
    most = setting(settings, "LIST_MAX_PAPERS")
    years = _by_year(made)
    shown: list[tuple[int, list[Entry]]] = []
    count = 0
    for year, group in years:
        # Whole years only; the newest year is always shown.
        if most and shown and count + len(group) > most:
            break
        shown.append((year, group))
        count += len(group)
    complete = len(shown) == len(years)
    older_years = {str(year) for year, _ in years[len(shown) :]}
    pages = [
        ListPage(
            save_as=setting(settings, "LIST_SAVE_AS"),
            url=setting(settings, "LIST_URL"),
            title="Publications",
            years=shown,
            complete=complete,
            older=[c for c in bar["year"] if c.value in older_years],
            total=len(made),
        )
    ]
    save_as = setting(settings, "LIST_FILTER_SAVE_AS")
    # Each page's papers in one pass (in order), not a pass over every paper
    # for every value of the bar.
    under: dict[tuple[str, str], list[Entry]] = {}
    for entry in made:
        for facet in bar:
            for value in dict.fromkeys(entry.values(facet)):
                under.setdefault((facet, value), []).append(entry)
    for facet, listed in bar.items():
        for choice in listed:
            chosen = under.get((facet, choice.value), [])
            pages.append(
                ListPage(
                    save_as=save_as.format(facet=facet, value=choice.value),
                    url=choice.url,
                    title=f"Publications · {FACETS[facet]}: {choice.label}",
                    facet=facet,
                    value=choice.value,
                    years=_by_year(chosen),
                    complete=False,
                    total=len(chosen),
                )
            )
    return pages


FILTERS = "conference_papers/_list_filters"

#: The ``list_page`` the shared filter bar is rendered for: on no facet, so
#: no link is marked; each page marks its own.
_NO_PAGE = ListPage(save_as="", url="", title="", facet=PREFIX, value=PREFIX)


class FilterBar:
    """The filter bar, ``list_filters()`` in the list's template: the same
    links on every list page but one marked ``aria-current``, the folded
    facet of that link open (``LIST_FACET_FOLD``), and with relative URLs
    another prefix to the site root. Rendered once (with ``cards.PREFIX`` for
    the prefix, no link marked and no facet open), then marked, opened and
    prefixed for each page: with 500 conferences it has 650 links, on 545
    pages. A theme's template is rendered on each page, with its context."""

    def __init__(self, get_template):
        self.template = get_template(FILTERS)
        self.own = own_templates(self.template)  # once, not once a page
        self._shared: str | None = None

    @pass_context
    def __call__(self, context) -> Markup:
        template = self.template
        siteurl, page = context["SITEURL"], context["list_page"]
        if not self.own or str(escape(siteurl)) != siteurl:
            return Markup(template.render(context.get_all()))
        if self._shared is None:
            values = {**context.get_all(), "SITEURL": PREFIX, "list_page": _NO_PAGE}
            self._shared = template.render(values)
        bar = self._shared
        if page.facet:
            link = (
                f'data-facet="{escape(page.facet)}" data-value="{escape(page.value)}"'
            )
            # Its facet, when folded, is open (the template's `open`); no other is.
            fold = f'data-fold="{escape(page.facet)}"'
            bar = bar.replace(f"{fold}>", f"{fold} open>", 1)
        else:
            link = "data-filter-all"
        bar = bar.replace(f"{link}>", f'{link} aria-current="page">', 1)
        return Markup(bar.replace(PREFIX, siteurl))


#: render(save_as, template, url, reads=…, **context) writes one page (as
#: people.py's); ``reads`` is what the page shows (see generator.render).
Render = Callable[..., None]


def write_list(  # noqa: PLR0913 (keyword-only: how the pages are rendered)
    papers: list,
    members: dict,
    settings,
    render: Render,
    *,
    forget_cards: Callable,
    get_template: Callable,
) -> list[str]:
    """Write the list of every paper and its filter pages; the files written.

    Each paper's compact card is rendered once for all of them (cards.py), and
    ``forget_cards`` is called when they are written; the filter bar once
    (``FilterBar``, from ``get_template``'s template)."""
    if not setting(settings, "LIST_SAVE_AS"):
        return []
    made = entries(papers, members, settings)
    bar = choices(made, members, settings)
    bar_read = repr(bar)  # in what each page reads: once, not once a page
    filters = FilterBar(get_template)
    written = []
    for page in list_pages(made, bar, settings):
        shown = [entry.paper for _, group in page.years for entry in group]
        render(
            page.save_as,
            "conference_papers/publications",
            page.url,
            # What the page shows: its papers' cards, the filter bar, its own
            # title and links (an edit renders only the pages with the paper).
            reads=(repr(replace(page, years=[])), bar_read, *shown),
            list_page=page,
            list_filters=filters,
            list_choices=bar,
            list_facets=FACETS,
            list_url=setting(settings, "LIST_URL"),
        )
        written.append(page.save_as)
    forget_cards()
    return written


def search_fallback(settings) -> str:
    """Where the search box links without script: the setting, else the list
    of every paper, else the conference index."""
    return (
        setting(settings, "SEARCH_FALLBACK_URL")
        or (setting(settings, "LIST_URL") if setting(settings, "LIST_SAVE_AS") else "")
        or setting(settings, "INDEX_URL")
    )
