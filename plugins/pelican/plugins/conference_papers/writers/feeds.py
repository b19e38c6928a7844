"""Atom and JSON feeds of new papers: site-wide, per conference, per lab member.

Built on ``feedgenerator``'s Atom writer under our own feed class, which avoids
what Pelican's feeds get wrong: every feed has its own ``<id>``, no empty
``<author>``, control characters are removed rather than fatal, entry ids are
``tag:`` URIs that survive a move to another domain and (with ``Id:``) a renamed
file, and no date comes from the clock, so the same content gives the same bytes.

Partial dates (``Date: 2022``): an entry has no ``published`` (optional in RFC
4287, and a day would be one the file does not give) and keeps the required
``updated`` as the start of what is known (or the ``Modified:`` date), which
stays valid RFC 3339. A paper's kind, ``Presentation`` and each ``Award`` are
categories of its entry, beside its conference, track and tags.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import nh3
from feedgenerator import Atom1Feed
from feedgenerator.django.utils.encoding import iri_to_uri

from .. import grouping
from ..base import kinds
from ..base.sanitize import ATTRIBUTES, MATH_TAGS, TEXT_TAGS
from ..base.urls import LINK_SCHEMES
from ..format.schema import Problem, header_lines
from ..settings import PREFIX, setting
from .catalog import Catalog
from .output import OutputFolder

logger = logging.getLogger(__name__)

#: ``updated`` of a feed with no entries and no conference to date it.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

# Characters XML 1.0 cannot carry (and C1 controls, which it discourages): a
# form feed pasted from a PDF would otherwise make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ABSOLUTE = re.compile(r"^https?://[^/\s]+")
# An address that ``FeedUrls.absolute`` gives back as it is: http(s), a host, a
# path, and only characters that neither urljoin (which takes the address apart
# and puts it together again) nor iri_to_uri (which quotes) change: no query,
# fragment or ``;``, nothing to escape. Most addresses of a feed are such (the
# card is rendered for the absolute site root), and the sanitizer asks for each
# one: the check costs a fraction of the urljoin it spares.
_KEPT_URL = re.compile(
    r"https?://[A-Za-z0-9.~:@!$'()*+,=%_-]+(?:/[A-Za-z0-9.~:@!$'()*+,=%_/-]*)?"
)
# Characters a tag: URI's specific part may hold as they are (RFC 4151: pchar, /, ?).
_TAG_SAFE = "!$&'()*+,;=:@/?"

# The card as feed readers show it: text, figures, links; no classes, no SVG.
_CONTENT_TAGS = TEXT_TAGS | MATH_TAGS | {"article", "div", "h3", "img", "figure"}
_CONTENT_ATTRIBUTES = {
    **ATTRIBUTES,
    "img": {"src", "alt", "width", "height"},
}
#: An inline icon of a card (base/icons.py): no <svg> holds another.
_ICONS = re.compile(r"<svg\b[^>]*>.*?</svg>", re.DOTALL)
_RELATED = ("pdf", "code", "arxiv", "doi")
_LINK_TYPES = {"pdf": "application/pdf"}


def xml_text(value) -> str:
    """``value`` as text XML 1.0 can carry: control characters become spaces."""
    return _NOT_XML.sub(" ", str(value)) if value is not None else ""


def entry_key(paper) -> str:
    """What names a paper in its feed id: ``Id:`` when given, else
    ``<conference>/<slug>``. To keep the id of a renamed file, write the old
    ``<conference>/<slug>`` as its ``Id:``."""
    return paper.id or f"{paper.conference_slug}/{paper.slug}"


def entry_id_problems(papers) -> list[Problem]:
    """Two papers with one feed id: readers would show only one of them."""
    problems, seen = [], {}
    for paper in sorted(papers, key=lambda p: p.relative_source_path):
        key = entry_key(paper)
        if key in seen:
            line = header_lines(paper.source_path).get("id", 1)
            problems.append(
                Problem(
                    paper.relative_source_path,
                    line,
                    f"the feed id '{key}' is also the id of "
                    f"{seen[key].relative_source_path}",
                    "give each paper its own 'Id:' (or remove the line: the id "
                    "then comes from the conference and the file name)",
                )
            )
        else:
            seen[key] = paper
    return problems


# --- where things are ---------------------------------------------------------


def is_absolute(url: str) -> bool:
    return bool(url) and bool(_ABSOLUTE.match(url))


#: Addresses of the author's own machine: no domain to advise for tag: ids.
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})


def joined(root: str, url) -> str:
    """``url`` joined to ``root`` and quoted as an URI: what
    ``FeedUrls.absolute`` gives for any address (it skips the work for the
    addresses this gives back unchanged)."""
    return iri_to_uri(urljoin(root + "/", xml_text(url).strip()))


class FeedUrls:
    """Absolute URLs and tag: URIs for one build.

    The site root is SITEURL when it is absolute, else FEED_DOMAIN, else
    ``CONFERENCE_PAPERS_FEED_FALLBACK_SITEURL`` (the devserver's address, so
    that a development build gives a valid feed whose links work locally).
    The self links use FEED_DOMAIN when set, as Pelican's feeds do.
    """

    def __init__(self, settings, conferences):
        siteurl = (settings.get("SITEURL") or "").rstrip("/")
        domain = (settings.get("FEED_DOMAIN") or "").rstrip("/")
        fallback = setting(settings, "FEED_FALLBACK_SITEURL").rstrip("/")
        self.site = next(u for u in (siteurl, domain, fallback) if is_absolute(u))
        self.feeds = domain if is_absolute(domain) else self.site
        if self.site == fallback and fallback != siteurl:
            logger.info(
                "conference_papers: SITEURL is not absolute; the feeds link to %s "
                "(set SITEURL or FEED_DOMAIN when publishing)",
                fallback,
            )
        self.authority = setting(settings, "TAG_AUTHORITY") or self._authority(
            conferences
        )

    def _authority(self, conferences) -> str:
        years = [c.date.year for c in conferences] or [EPOCH.year]
        host = urlsplit(self.site).hostname or ""
        authority = f"{host},{min(years)}"
        # In development the site is the devserver's address: advise the domain
        # the lab will publish at, never '127.0.0.1,2024'.
        local = host in _LOCAL_HOSTS or not host
        advice = f"your-lab.example.org,{min(years)}" if local else authority
        logger.warning(
            "conference_papers: %sTAG_AUTHORITY is not set; feed entry ids use "
            "'%s' and change when the site moves: set it to the domain you publish "
            "at and a year you held it, e.g. %sTAG_AUTHORITY = '%s'",
            PREFIX,
            authority,
            PREFIX,
            advice,
        )
        return authority

    def absolute(self, url: str, base: str | None = None) -> str:
        """``url`` (relative to the site root, or ``base``) as an absolute URI."""
        if isinstance(url, str) and _KEPT_URL.fullmatch(url):
            return url
        return joined(base or self.site, url)

    def page(self, url: str) -> str:
        return self.absolute(url.lstrip("/"))

    def feed(self, path: str) -> str:
        return iri_to_uri(f"{self.feeds}/{path}")

    def tag(self, *parts: str) -> str:
        """``tag:<authority>:<part>:<part>`` (RFC 4151)."""
        specific = ":".join(quote(xml_text(p), safe=_TAG_SAFE) for p in parts)
        return f"tag:{self.authority}:{specific}"


# --- what goes in an entry ------------------------------------------------------


def feed_html(card_html: str, urls: FeedUrls) -> str:
    """The card as feed readers want it, in one pass of the sanitizer: absolute
    URLs, the folded abstract shown once (its teaser dropped with the icons),
    no classes, the allowlist of a feed."""

    def absolute(tag: str, attribute: str, value: str) -> str:
        return urls.absolute(value) if attribute in ("href", "src") else value

    html = nh3.clean(
        # The icons go first: their path data are 60% of a card's bytes, which
        # the sanitizer parsed only to drop (194 -> 115 us a card). It drops
        # any <svg> this leaves, and the rest is sanitized as before.
        _ICONS.sub("", xml_text(card_html)),
        tags=_CONTENT_TAGS,
        clean_content_tags={"svg", "summary", "script", "style"},
        attributes=_CONTENT_ATTRIBUTES,
        attribute_filter=absolute,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Folded white space keeps the feed small; <pre> is not in a card.
    return re.sub(r">\s+<", "><", html).strip()


@dataclass
class Entry:
    """One paper as the feeds show it, computed once for all its feeds."""

    id: str
    title: str
    url: str
    published: dt.datetime | None  # None for a partial Date: see the docstring
    updated: dt.datetime
    authors: list[tuple[str, str | None]]
    summary: str
    content: str
    image: str | None
    categories: list[tuple[str, str, str]]  # term, scheme, label
    related: list[tuple[str, str, str | None]]  # href, title, type


def _categories(paper, settings, urls: FeedUrls) -> list[tuple[str, str, str]]:
    """The conference and track, or the kind outside a conference; the badges."""
    conference = paper.conference
    if conference is not None:
        categories = [
            (conference.slug, urls.tag("conference"), conference.title),
            (paper.track_slug, urls.tag("track", conference.slug), paper.track),
        ]
    else:
        categories = [(paper.kind, urls.tag("kind"), paper.kind_label)]
    categories += [
        (grouping.slug_of(label, settings) or label, urls.tag(kind), label)
        for kind, label in paper.badges
    ]
    return categories


def make_entry(paper, cards, urls: FeedUrls, members: dict, settings) -> Entry:
    """The feed entry of a paper; ``cards`` renders its card (cards.py)."""
    categories = _categories(paper, settings, urls)
    categories += [
        (grouping.slug_of(tag, settings) or tag, urls.tag("tag"), tag)
        for tag in paper.tags
    ]
    related = [
        (urls.absolute(link.url), link.label, _LINK_TYPES.get(link.kind))
        for kind in _RELATED
        if (link := paper.link(kind))
    ]
    card = cards.card(paper, urls.site)
    image = cards.image(paper, urls.site)
    return Entry(
        id=urls.tag("paper", entry_key(paper)),
        title=xml_text(paper.title),
        url=urls.page(paper.url),
        published=paper.date if paper.date_precision == kinds.DAY else None,
        updated=max(paper.date, paper.updated),
        authors=[
            (
                xml_text(author.name),
                urls.absolute(members[author.name])
                if members.get(author.name)
                else None,
            )
            for author in paper.authors
        ],
        summary=xml_text(paper.summary_text),
        content=feed_html(card, urls),
        image=urls.absolute(image["src"]) if image else None,
        categories=[
            (xml_text(term), scheme, xml_text(label))
            for term, scheme, label in categories
            if term and label
        ],
        related=related,
    )


# --- the feeds ------------------------------------------------------------------


@dataclass
class FeedSpec:
    """One feed: what it is about, where it goes, which papers it holds."""

    key: tuple[str, ...]  # the parts of its tag: id, e.g. ("papers",)
    title: str
    subtitle: str
    atom_path: str
    json_path: str
    home: str  # the page the feed stands for
    papers: list = field(default_factory=list)
    empty_updated: dt.datetime = EPOCH


def rfc3339(date: dt.datetime) -> str:
    return date.isoformat()


class PapersAtomFeed(Atom1Feed):
    """feedgenerator's Atom writer with the elements RFC 4287 asks for and
    nothing from the clock: several authors, categories with scheme and label,
    related links, a text summary and an HTML content per entry."""

    def latest_post_date(self):
        dates = [item["updateddate"] for item in self.items]
        return max(dates) if dates else self.feed["empty_updated"]

    def add_root_elements(self, handler):
        feed = self.feed
        handler.addQuickElement("id", feed["id"])
        handler.addQuickElement("title", feed["title"])
        if feed["subtitle"]:
            handler.addQuickElement("subtitle", feed["subtitle"])
        handler.addQuickElement("updated", rfc3339(self.latest_post_date()))
        handler.addQuickElement(
            "link",
            "",
            {"rel": "self", "href": feed["feed_url"], "type": "application/atom+xml"},
        )
        handler.addQuickElement(
            "link", "", {"rel": "alternate", "href": feed["link"], "type": "text/html"}
        )
        if feed["json_url"]:
            handler.addQuickElement(
                "link",
                "",
                {
                    "rel": "alternate",
                    "href": feed["json_url"],
                    "type": "application/feed+json",
                },
            )
        if feed["author_name"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", feed["author_name"])
            handler.addQuickElement("uri", feed["author_link"])
            handler.endElement("author")
        handler.addQuickElement("generator", "Pelican conference_papers")

    def add_item_elements(self, handler, item):
        entry: Entry = item["entry"]
        handler.addQuickElement("id", entry.id)
        handler.addQuickElement("title", entry.title)
        if entry.published is not None:
            handler.addQuickElement("published", rfc3339(entry.published))
        handler.addQuickElement("updated", rfc3339(entry.updated))
        for name, uri in entry.authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        handler.addQuickElement(
            "link", "", {"rel": "alternate", "href": entry.url, "type": "text/html"}
        )
        for href, title, mime in entry.related:
            attrs = {"rel": "related", "href": href, "title": title}
            if mime:
                attrs["type"] = mime
            handler.addQuickElement("link", "", attrs)
        for term, scheme, label in entry.categories:
            handler.addQuickElement(
                "category", "", {"term": term, "scheme": scheme, "label": label}
            )
        if entry.summary:
            handler.addQuickElement("summary", entry.summary, {"type": "text"})
        handler.addQuickElement("content", entry.content, {"type": "html"})


def atom_bytes(spec: FeedSpec, entries: list[Entry], urls: FeedUrls, settings):
    feed = PapersAtomFeed(
        title=xml_text(spec.title),
        link=spec.home,
        description=None,
        subtitle=xml_text(spec.subtitle),
        language=settings.get("DEFAULT_LANG") or None,
        author_name=xml_text(settings.get("AUTHOR") or "").strip() or None,
        author_link=urls.page(""),
        feed_url=urls.feed(spec.atom_path),
        feed_guid=urls.tag(*spec.key),
        json_url=urls.feed(spec.json_path) if spec.json_path else None,
        empty_updated=spec.empty_updated,
    )
    for entry in entries:
        feed.add_item(
            title=entry.title,
            link=entry.url,
            description=entry.summary,
            pubdate=entry.published,
            updateddate=entry.updated,
            unique_id=entry.id,
            entry=entry,
        )
    return feed.writeString("utf-8").encode("utf-8")


def json_feed_bytes(spec: FeedSpec, entries: list[Entry], urls: FeedUrls, settings):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the same entries."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": xml_text(spec.title),
        "home_page_url": spec.home,
        "feed_url": urls.feed(spec.json_path),
    }
    if spec.subtitle:
        feed["description"] = xml_text(spec.subtitle)
    if settings.get("DEFAULT_LANG"):
        feed["language"] = settings["DEFAULT_LANG"]
    feed["items"] = [
        {
            "id": entry.id,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content,
            **({"summary": entry.summary} if entry.summary else {}),
            **({"image": entry.image} if entry.image else {}),
            **(
                {"date_published": rfc3339(entry.published)}
                if entry.published is not None
                else {}
            ),
            "date_modified": rfc3339(entry.updated),
            "authors": [
                {"name": name, **({"url": uri} if uri else {})}
                for name, uri in entry.authors
            ],
            "tags": [label for _, _, label in entry.categories],
        }
        for entry in entries
    ]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def feed_specs(catalog: Catalog, settings, urls: FeedUrls) -> list[FeedSpec]:
    """Every feed of the site: the papers, each conference, each lab member
    (those a setting of "" turns off are left out)."""
    sitename = settings.get("SITENAME") or "Papers"
    conferences, members = catalog.conferences, catalog.members
    newest_conference = conferences[0].date if conferences else EPOCH
    specs = [
        FeedSpec(
            key=("papers",),
            title=f"{sitename}: new papers",
            subtitle=settings.get("SITESUBTITLE") or "",
            atom_path=setting(settings, "FEED_ATOM"),
            json_path=setting(settings, "FEED_JSON"),
            home=urls.page(""),
            papers=catalog.papers,
            empty_updated=newest_conference,
        )
    ]
    for conference in conferences:
        specs.append(
            FeedSpec(
                key=("conference", conference.slug),
                title=f"{sitename}: papers at {conference.title}",
                subtitle=conference.display_name,
                atom_path=_slug_path(settings, "CONFERENCE_FEED_ATOM", conference.slug),
                json_path=_slug_path(settings, "CONFERENCE_FEED_JSON", conference.slug),
                home=urls.page(conference.url),
                papers=grouping.newest_first(conference.papers),
                empty_updated=conference.date,
            )
        )
    # Each paper once, each author once: not every paper again for every member.
    by_member: dict[str, list] = {name: [] for name in members}
    for paper in catalog.papers:
        for name in dict.fromkeys(members.canonical(a.name) for a in paper.authors):
            if name is not None:
                by_member[name].append(paper)
    for name, page in sorted(members.items()):
        slug = members.slugs.get(name) or grouping.slug_of(name, settings)
        specs.append(
            FeedSpec(
                key=("member", slug),
                title=f"{sitename}: papers by {name}",
                subtitle="",
                atom_path=_slug_path(settings, "MEMBER_FEED_ATOM", slug),
                json_path=_slug_path(settings, "MEMBER_FEED_JSON", slug),
                home=urls.absolute(page) if page else urls.page(""),
                papers=by_member[name],
                empty_updated=newest_conference,
            )
        )
    return [spec for spec in specs if spec.atom_path or spec.json_path]


def feed_count(settings, conferences, members) -> int:
    """How many files the ``FeedWriter`` writes: the feeds ``feed_specs`` lists (one
    for the site, one per conference, one per member), each as Atom and JSON where
    its setting is not "". For the build summary: the feeds may be written in a
    forked process, whose own count does not come back."""
    per = {"": 1, "CONFERENCE_": len(conferences), "MEMBER_": len(members)}
    return sum(
        count
        for kind, count in per.items()
        for form in ("ATOM", "JSON")
        if setting(settings, f"{kind}FEED_{form}")
    )


def _slug_path(settings, name: str, slug: str) -> str:
    pattern = setting(settings, name)
    return pattern.format(slug=slug) if pattern else ""


class FeedWriter:
    """Writes feeds one at a time: the generator writes each conference's feed
    right after its page, which shows the same cards, so that each card is
    rendered once while it is in the card cache (cards.py). ``written``
    counts the files; ``cards`` renders a paper's card."""

    def __init__(self, *, members, settings, cards, urls: FeedUrls, output_path):
        self.members = members
        self.settings = settings
        self.cards = cards
        self.urls = urls
        self.folder = OutputFolder(output_path)
        self.written = 0
        # A paper is in several feeds (the site's, its conference's, its
        # authors'): its entry is made once, and only the recent ones are
        # kept, so memory stays flat.
        self._entry = functools.lru_cache(maxsize=1024)(self._make_entry)

    def _make_entry(self, paper) -> Entry:
        return make_entry(paper, self.cards, self.urls, self.members, self.settings)

    def write(self, spec: FeedSpec) -> None:
        chosen = [self._entry(paper) for paper in feed_papers(spec, self.settings)]
        if spec.atom_path:
            data = atom_bytes(spec, chosen, self.urls, self.settings)
            self.written += self.folder.write(spec.atom_path, data)
        if spec.json_path:
            data = json_feed_bytes(spec, chosen, self.urls, self.settings)
            self.written += self.folder.write(spec.json_path, data)

    def done(self) -> None:
        logger.info("conference_papers: wrote %d feed(s)", self.written)


def feed_papers(spec: FeedSpec, settings) -> list:
    """The papers a feed shows: its newest, up to FEED_MAX_ITEMS."""
    cap = setting(settings, "FEED_MAX_ITEMS")
    return spec.papers[: cap or None]
