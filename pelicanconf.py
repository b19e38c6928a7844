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

PLUGINS = ["conference_papers"]
STATIC_PATHS = ["images"]
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]

# The lab's members: their names are highlighted on every card.
CONFERENCE_PAPERS_MEMBERS = ["Margret Keuper", "Janis Keuper", "Julia Grabinski", "Paul Gavrikov"]

# Feeds are a feature: readers subscribe to new papers.
FEED_DOMAIN = SITEURL
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
