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
# Kept when the output is replaced: a GitHub Pages checkout (output/ as a clone of
# the gh-pages branch), its custom domain, and the file that turns Jekyll off.
OUTPUT_RETENTION = [".git", "CNAME", ".nojekyll"]
