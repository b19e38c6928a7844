"""The plugin's settings: defaults, and a check at start with a clear message."""

from __future__ import annotations

import datetime as dt
import logging
import re

from .base.accounts import check_site_timeline
from .base.names import Directory
from .base.urls import bare_host, url_problem

logger = logging.getLogger(__name__)

PREFIX = "CONFERENCE_PAPERS_"

_SAMPLE_DATE = dt.datetime(2022, 11, 28)

#: Pelican's settings that say where a build writes, not what: another output
#: folder (``pelican-papers build`` stages into a new one each time) reads the
#: same files and renders the same pages.
WHERE_TO_WRITE = frozenset({"OUTPUT_PATH", "CACHE_PATH"})


def what_to_write(settings) -> dict:
    """The settings but ``WHERE_TO_WRITE``: what every cache is keyed by."""
    return {k: v for k, v in settings.items() if k not in WHERE_TO_WRITE}


#: Every setting, its default and what it is for. README lists the same.
DEFAULTS: dict[str, object] = {
    # Where the content lives, relative to PATH.
    "CONFERENCES_PATH": "conferences",
    "PAPERS_PATH": "papers",
    # Member files (one per person: Name, Aliases, Role, Photo, ...), under PATH.
    "MEMBERS_PATH": "members",
    # Where the pages go, in Pelican's ..._URL / ..._SAVE_AS style.
    "CONFERENCE_URL": "conferences/{slug}/",
    "CONFERENCE_SAVE_AS": "conferences/{slug}/index.html",
    "PAPER_URL": "papers/{conference}/{slug}/",
    "PAPER_SAVE_AS": "papers/{conference}/{slug}/index.html",
    "INDEX_URL": "conferences/",
    "INDEX_SAVE_AS": "conferences/index.html",
    # The list of every paper, grouped by year, and a page per filter value
    # ({facet}: kind, year, member, tag or conference; {value}: its slug). Not
    # under papers/: that is where the paper pages are. LIST_SAVE_AS "" writes
    # neither.
    "LIST_URL": "publications/",
    "LIST_SAVE_AS": "publications/index.html",
    "LIST_FILTER_URL": "publications/{facet}/{value}/",
    "LIST_FILTER_SAVE_AS": "publications/{facet}/{value}/index.html",
    # The most papers the main list holds (whole years, newest first); older
    # years are on their year's page. 0: every paper on the main list.
    "LIST_MAX_PAPERS": 1000,
    # A facet of the filter bar with more values than this (500 conferences
    # are ~60 rows of links above the papers) is folded: a <details>, closed
    # but on the pages of its own values. 0: no facet is folded.
    "LIST_FACET_FOLD": 12,
    # The people page and a page per member file.
    "PEOPLE_URL": "people/",
    "PEOPLE_SAVE_AS": "people/index.html",
    "MEMBER_URL": "people/{slug}/",
    "MEMBER_SAVE_AS": "people/{slug}/index.html",
    # The order of the people page's sections by Role; roles not listed follow
    # in alphabetical order, members without a Role last. Former members (with
    # an Until line) have a section of their own at the end.
    "ROLES_ORDER": ["Professor", "Postdoc", "PhD student", "Master student", "Staff"],
    # Add the conference index and the list of every paper to the theme's menu
    # (Pelican's MENUITEMS, which notmyidea, simple and most themes show); False
    # leaves MENUITEMS alone.
    "MENU": True,
    # Lab members without member files: their names are highlighted on cards. A
    # list of names, or a dict of name -> URL of the member's page. Member files
    # (MEMBERS_PATH) add to them and link to the member's page of the site.
    "MEMBERS": [],
    # Abstracts longer than this (in characters) are folded behind "Read more".
    "ABSTRACT_FOLD": 600,
    # Previews of an abstract (cards on the conference and home pages, the feed
    # entries' content and summary) hold at most this many characters of text,
    # cut at a word; the paper's own page shows the whole abstract.
    "SUMMARY_MAX_CHARS": 3000,
    # Track name for papers without a Track when the conference lists none.
    "DEFAULT_TRACK": "Papers",
    # How many of the newest papers the home page shows.
    "HOME_PAPERS": 6,
    # `check` warns about a draft paper unchanged for this many days (0: never).
    "DRAFT_DAYS": 180,
    # Feeds of new papers: Atom, and a JSON Feed 1.1 beside each. A path is relative
    # to the output folder and is also the feed's URL; "" switches a feed off. The
    # conference and member feeds need {slug}. Not feeds/{slug}.atom.xml: that is
    # Pelican's own CATEGORY_FEED_ATOM default.
    "FEED_ATOM": "feeds/papers.atom.xml",
    "FEED_JSON": "feeds/papers.json",
    "CONFERENCE_FEED_ATOM": "feeds/conferences/{slug}.atom.xml",
    "CONFERENCE_FEED_JSON": "feeds/conferences/{slug}.json",
    # One feed per name in MEMBERS (the slug of the name).
    "MEMBER_FEED_ATOM": "feeds/members/{slug}.atom.xml",
    "MEMBER_FEED_JSON": "feeds/members/{slug}.json",
    # The newest papers a feed holds (newest Date first); 0: all of them.
    "FEED_MAX_ITEMS": 50,
    # The authority of the tag: URIs that name feeds and entries (RFC 4151): a
    # domain the lab owned and a year (or date) it owned it in, e.g.
    # "keuperlabs.example.org,2022". Ids then survive a move to another domain.
    # "" derives it from the site's domain and the first conference's year (with a
    # warning: set it before the feed is published).
    "TAG_AUTHORITY": "",
    # Feeds need absolute URLs. They use SITEURL (or FEED_DOMAIN) when absolute;
    # in development (RELATIVE_URLS, SITEURL = "") this address instead, where
    # `make devserver` serves the site, so the links work on the author's machine.
    "FEED_FALLBACK_SITEURL": "http://127.0.0.1:8000",
    # Cards show the paper's image as WebP thumbnails of these widths (px; never
    # wider than the image), linking the full image. An empty list: the image itself.
    "THUMBNAIL_WIDTHS": [480, 960],
    # WebP quality of the thumbnails (1-100).
    "THUMBNAIL_QUALITY": 80,
    # Where thumbnails go in the output: {path} is the image's path under content/
    # without its extension, {width} the thumbnail's width.
    "THUMBNAIL_SAVE_AS": "thumbnails/{path}-{width}w.webp",
    # The <img sizes> of a card's image: how wide the theme shows it.
    "THUMBNAIL_SIZES": "(max-width: 48rem) calc(100vw - 4rem), 26rem",
    # Social timeline (timeline.py). The account of every conference that has a
    # Hashtag but no Timeline line, written like one: "mastodon @you@instance".
    "TIMELINE": "",
    # Where `pelican-papers fetch-timeline` keeps its snapshots and their images,
    # under PATH (the snapshots are data for the pages, never published as files).
    "TIMELINES_PATH": "timelines",
    "TIMELINE_MEDIA_PATH": "images/timeline",
    # How many posts of the snapshot a conference page shows, newest first, and
    # how many the live embed loads after the visitor's click.
    "TIMELINE_POSTS": 10,
    "TIMELINE_LIVE_POSTS": 5,
    # Citation files, in the ..._SAVE_AS style (also their URLs); "" writes none.
    # A paper's file ({conference}, {slug}), a conference's file ({slug}), and one
    # file with every paper of the lab. CSL-JSON is what Zotero and pandoc read.
    "PAPER_BIB_SAVE_AS": "papers/{conference}/{slug}/{slug}.bib",
    "PAPER_CSL_SAVE_AS": "papers/{conference}/{slug}/{slug}.csl.json",
    "CONFERENCE_BIB_SAVE_AS": "conferences/{slug}/{slug}.bib",
    "CONFERENCE_CSL_SAVE_AS": "conferences/{slug}/{slug}.csl.json",
    "LAB_BIB_SAVE_AS": "conferences/papers.bib",
    "LAB_CSL_SAVE_AS": "conferences/papers.csl.json",
    # Processes that share the work (reading the files; writing the feeds and
    # half of the paper pages): 0 = one per CPU when there are 200 papers or
    # more, 1 = everything in Pelican's own process.
    "PROCESSES": 0,
    # Search (search.py): a Pagefind index of the built pages and a box on every
    # page that includes templates/conference_papers/_search.html. False: neither.
    "SEARCH": True,
    # The most pages in one part of the search index: a site with more is indexed
    # in parts of about this size, one a core at once, which the box merges
    # (Pagefind holds ~140 KB a page while it indexes: 1,000 pages ~ 140 MB), and
    # an edit indexes its own part alone. 0: one index, whatever the size.
    "SEARCH_PART_PAGES": 1000,
    # Where the box links when script is off: a page that lists the papers,
    # relative to the site; "" = the list of every paper (LIST_URL), or the
    # conference index (INDEX_URL) when LIST_SAVE_AS is "".
    "SEARCH_FALLBACK_URL": "",
    # Publish SVG files found in the content folder. An SVG opened by itself runs
    # its scripts on the site's address, so they are left out unless True.
    "PUBLISH_SVG": False,
    # Keep what each paper file gave, keyed by the file's bytes and the settings,
    # in memory and in CACHE_PATH, so that rebuilds re-read only changed files
    # (and the compiled templates, keyed by their source).
    "READ_CACHE": False,
    # `pelican-papers sync`: the e-mail address sent to OpenAlex (its "polite
    # pool"); --mailto overrides it, "" sends none.
    "SYNC_MAILTO": "",
}

_TAG_AUTHORITY = re.compile(
    r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
    r"|[^@\s,]+@[a-z0-9.-]+),\d{4}(-\d{2}(-\d{2})?)?$",
    re.IGNORECASE,
)


def lab_members(settings, files=()) -> Directory:
    """The lab's members, the one source cards, pages, feeds and citations use:
    ``CONFERENCE_PAPERS_MEMBERS`` as name -> member page (None without one), and
    each member file (``members.Member``: its name, aliases and page of the site).

    A page address that the scheme allowlist refuses is left out, with a warning:
    the name is still highlighted, never linked to it."""
    directory = Directory()
    for member in files:
        directory.add(member.name, member.url, member.aliases, member.slug)
    members = setting(settings, "MEMBERS")
    if not isinstance(members, dict):
        for name in members:
            if name not in directory:
                directory.add(name, None)
        return directory
    for name, url in members.items():
        reason = url_problem(str(url)) if url else None
        if url and not reason and bare_host(str(url)):
            # A path of the site is fine ("/people/keuper/"); "www.uni.de/~k" is
            # a dead link beside every card.
            reason = f"it has no scheme; write https://{url}"
        if reason:
            logger.warning(
                "conference_papers: the member page of %s in "
                "CONFERENCE_PAPERS_MEMBERS is not used: %s",
                name,
                reason,
            )
        if name not in directory:  # a member file says more
            directory.add(name, str(url) if url and not reason else None)
    return directory


def setting(settings, name: str):
    """The value of ``CONFERENCE_PAPERS_<name>``, or its default."""
    return settings.get(PREFIX + name, DEFAULTS[name])


class SettingsError(Exception):
    """A setting has a value the plugin cannot use."""


def apply_defaults(settings) -> None:
    """Fill in every missing setting, then check them all, once per build."""
    for name, default in DEFAULTS.items():
        settings.setdefault(PREFIX + name, default)
    problems = list(_check(settings))
    unknown = sorted(
        key[len(PREFIX) :]
        for key in settings
        if key.startswith(PREFIX) and key[len(PREFIX) :] not in DEFAULTS
    )
    for name in unknown:
        logger.warning(
            "conference_papers: unknown setting %s%s (known: see the README)",
            PREFIX,
            name,
        )
    if problems:
        raise SettingsError("conference_papers: " + "; ".join(problems))


def _check(settings):
    for name, default in DEFAULTS.items():
        key, value = PREFIX + name, settings[PREFIX + name]
        if isinstance(default, bool):
            if not isinstance(value, bool):
                yield f"{key} must be True or False, not {value!r}"
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                yield f"{key} must be a whole number >= 0, not {value!r}"
        elif isinstance(default, str):
            if not isinstance(value, str):
                yield f"{key} must be a string, not {value!r}"
        elif not isinstance(value, (list, tuple, dict)):
            yield f"{key} must be a list of names or a dict of name -> URL"
        elif name == "ROLES_ORDER" and not all(isinstance(v, str) for v in value):
            yield f"{key} must be a list of roles, e.g. {default!r}"
    most = settings[PREFIX + "SUMMARY_MAX_CHARS"]
    if isinstance(most, int) and not isinstance(most, bool) and 0 <= most < 100:
        yield f"{PREFIX}SUMMARY_MAX_CHARS must be at least 100, not {most!r}"
    yield from _check_paths(settings)
    yield from _check_feeds(settings)
    reason = check_site_timeline(str(settings[PREFIX + "TIMELINE"]))
    if reason:
        yield f"{PREFIX}TIMELINE: {reason}"


# The {fields} each path setting may use: a page or file per paper, conference or
# member needs its {slug}; one file for the whole site needs none.
_PATH_FIELDS = {
    "PAPER_": {"conference": "c", "slug": "s", "lang": "en", "date": _SAMPLE_DATE},
    "CONFERENCE_": {"slug": "s", "lang": "en", "date": _SAMPLE_DATE},
    "MEMBER_": {"slug": "s"},
    "PEOPLE_": {},
    "THUMBNAIL_": {"path": "p", "width": 480},
    "LIST_FILTER_": {"facet": "year", "value": "2022"},
}


def _path_settings():
    """The settings that name a URL or a file of the output."""
    return [n for n in DEFAULTS if n.endswith(("_URL", "_SAVE_AS", "_ATOM", "_JSON"))]


def _check_paths(settings):
    for name in _path_settings():
        key, value = PREFIX + name, settings[PREFIX + name]
        if not isinstance(value, str) or not value:
            continue  # "" switches a file off; the type was checked above
        if value.startswith("/"):
            yield f"{key} must be relative to the output folder, not {value!r}"
        kind = next((k for k in _PATH_FIELDS if name.startswith(k)), None)
        fields = _PATH_FIELDS.get(kind, {})
        if kind in ("PAPER_", "CONFERENCE_", "MEMBER_") and "{slug" not in value:
            yield f"{key} must hold {{slug}}, e.g. {DEFAULTS[name]!r}"
        if kind == "LIST_FILTER_" and not ("{facet" in value and "{value" in value):
            yield f"{key} must hold {{facet}} and {{value}}, e.g. {DEFAULTS[name]!r}"
        try:
            value.format(**fields)
        except (KeyError, IndexError, ValueError, AttributeError):
            allowed = ", ".join(f"{{{f}}}" for f in fields) or "no {…}"
            yield f"{key} may hold {allowed}, not {value!r}"


def _check_feeds(settings):
    authority = settings[PREFIX + "TAG_AUTHORITY"]
    if isinstance(authority, str) and authority and not _TAG_AUTHORITY.match(authority):
        yield (
            f"{PREFIX}TAG_AUTHORITY must be a domain and a year, "
            f"e.g. 'keuperlabs.example.org,2022', not {authority!r}"
        )
    fallback = settings[PREFIX + "FEED_FALLBACK_SITEURL"]
    if isinstance(fallback, str) and not re.match(r"^https?://[^/\s]+", fallback):
        yield (
            f"{PREFIX}FEED_FALLBACK_SITEURL must be an absolute http(s) address, "
            f"e.g. 'http://127.0.0.1:8000', not {fallback!r}"
        )
