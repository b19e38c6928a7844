"""Settings for publishing (make publish): absolute URLs, a clean output folder."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# Where the site is served; `make publish SITEURL=https://…` overrides it.
SITEURL = os.environ.get("SITEURL", "https://keuperlabs.example.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

DELETE_OUTPUT_DIRECTORY = True
