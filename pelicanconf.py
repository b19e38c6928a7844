"""Settings for building the lab's site during development (make html, devserver)."""

AUTHOR = "Keuper Labs"
SITENAME = "Keuper Labs"
SITESUBTITLE = "Papers of the Keuper research groups"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
THEME = "themes/lab"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"

# The full name loads the plugin from an editable install (`pip install -e .`)
# as well as from a wheel; Pelican's short-name lookup sees only the latter.
PLUGINS = ["pelican.plugins.conference_papers"]
STATIC_PATHS = ["images"]
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]

# The lab's members: their names are highlighted on every card.
CONFERENCE_PAPERS_MEMBERS = [
    "Margret Keuper",
    "Janis Keuper",
    "Julia Grabinski",
    "Paul Gavrikov",
]

# Feeds are a feature: readers subscribe to new papers. The plugin writes them
# (feeds/papers.atom.xml, feeds/conferences/<slug>.atom.xml, feeds/members/…; see
# CONFERENCE_PAPERS_FEED_* in the README). Entry ids are tag: URIs under this
# authority, so they stay the same when the site moves to another domain.
CONFERENCE_PAPERS_TAG_AUTHORITY = "keuperlabs.example.org,2022"
# Rebuilds (devserver, make html, make bench) re-read only the files that changed:
# what each file gave is kept in cache/, keyed by its bytes and the settings.
CONFERENCE_PAPERS_READ_CACHE = True
FEED_DOMAIN = SITEURL
# Pelican's own feeds (of news articles) stay off: they give every feed one <id>
# and the site has no news yet. The papers' feeds above are the site's feeds.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The lab theme has no pages for these; Pelican would write them anyway.
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""

DEFAULT_PAGINATION = False
