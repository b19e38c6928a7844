"""The plugin's settings: defaults, and a check at start with a clear message."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

PREFIX = "CONFERENCE_PAPERS_"

#: Every setting, its default and what it is for. README lists the same.
DEFAULTS: dict[str, object] = {
    # Where the content lives, relative to PATH.
    "CONFERENCES_PATH": "conferences",
    "PAPERS_PATH": "papers",
    # Where the pages go, in Pelican's ..._URL / ..._SAVE_AS style.
    "CONFERENCE_URL": "conferences/{slug}/",
    "CONFERENCE_SAVE_AS": "conferences/{slug}/index.html",
    "PAPER_URL": "papers/{conference}/{slug}/",
    "PAPER_SAVE_AS": "papers/{conference}/{slug}/index.html",
    "INDEX_URL": "conferences/",
    "INDEX_SAVE_AS": "conferences/index.html",
    # Lab members: their names are highlighted on cards. A list of names, or a
    # dict of name -> URL of the member's page.
    "MEMBERS": [],
    # Abstracts longer than this (in characters) are folded behind "Read more".
    "ABSTRACT_FOLD": 600,
    # Track name for papers without a Track when the conference lists none.
    "DEFAULT_TRACK": "Papers",
    # How many of the newest papers the home page shows.
    "HOME_PAPERS": 6,
    # Processes that read paper files: 0 = one per CPU when there are many
    # files (200 or more), 1 = read them all in Pelican's own process.
    "PROCESSES": 0,
    # Keep what each paper file gave in memory, keyed by the file's bytes and
    # the settings, so that the devserver's rebuilds re-read only changed files.
    "READ_CACHE": False,
}

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
            elif name.endswith(("_URL", "_SAVE_AS")) and value.startswith("/"):
                yield f"{key} must be relative to the site root, not {value!r}"
        elif not isinstance(value, (list, tuple, dict)):
            yield f"{key} must be a list of names or a dict of name -> URL"
