"""Conference pages, paper pages, citations and feeds for a research lab's site.

Add ``"conference_papers"`` to ``PLUGINS``; see the README for the settings.

Here the plugin meets Pelican: the signals it listens to, the templates every
theme finds, the theme's menu (through Pelican's own ``MENUITEMS``, which
``notmyidea``, ``simple`` and most themes show, so no theme needs editing) and
the one line at the end of a build that says what the plugin made: Pelican's own
"Processed 0 articles" says nothing about papers.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from importlib.resources import files

from jinja2 import FileSystemBytecodeCache, FileSystemLoader
from pelican import signals
from pelican.log import console

from .base.icons import icon_svg
from .base.page_digests import stable
from .base.pelican_hooks import (
    builds_once_and_exits,
    forget_content_memo,
    report_warnings_again,
    same_bytes_writer,
    wait_after_a_failed_build,
)
from .generator import ConferencePapersGenerator
from .settings import apply_defaults, setting
from .writers import TEMPLATES, feeds
from .writers.cards import paper_card
from .writers.images import withhold_svg
from .writers.search import build_index, check_search

logger = logging.getLogger(__name__)

STATIC = str(files(__name__) / "static")


def initialized(pelican) -> None:
    """Once per Pelican instance: check the settings, keep our folders to us."""
    settings = pelican.settings
    apply_defaults(settings)
    # Pelican would read every paper as an article (or page) otherwise.
    ours = [
        setting(settings, name)
        for name in ("CONFERENCES_PATH", "PAPERS_PATH", "MEMBERS_PATH")
    ]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        settings[key] = [
            *settings.get(key, []),
            *(p for p in ours if p not in settings.get(key, [])),
        ]
    # Timeline snapshots are data for the conference pages, not files to publish.
    snapshots = setting(settings, "TIMELINES_PATH")
    if snapshots not in settings.get("STATIC_EXCLUDES", []):
        settings["STATIC_EXCLUDES"] = [*settings.get("STATIC_EXCLUDES", []), snapshots]
    # Our scripts (timeline.js, cite.js) reach every theme's output, next to the
    # theme's own files.
    theme_static = settings.get("THEME_STATIC_PATHS", ["static"])
    if STATIC not in theme_static:
        settings["THEME_STATIC_PATHS"] = [*theme_static, STATIC]
    wait_after_a_failed_build(pelican)
    if setting(settings, "MENU"):
        settings["MENUITEMS"] = menu_items(settings)


def menu_items(settings) -> tuple:
    """``MENUITEMS`` with the list of every paper and the conference index
    added (each once: not when an item already links it or has its title).

    A menu item is one fixed address for every page, so it cannot follow
    ``RELATIVE_URLS``: it is absolute with an absolute ``SITEURL`` (``make
    publish``), else root-relative, which the devserver serves."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    prefix = siteurl if siteurl.startswith(("http://", "https://")) else ""
    ours = [(MENU_TITLE, setting(settings, "INDEX_URL"))]
    if setting(settings, "LIST_SAVE_AS"):
        ours.insert(0, (LIST_MENU_TITLE, setting(settings, "LIST_URL")))
    items = tuple(settings.get("MENUITEMS") or ())
    for title, url in ours:
        link = f"{prefix}/{url}"
        if not any(t == title or u == link for t, u in items):
            items = (*items, (title, link))
    return items


MENU_TITLE = "Conferences"
LIST_MENU_TITLE = "Publications"

#: The build under way (devserver rebuilds start again): when it began and our
#: generator, for the summary at its end.
_build: dict = {}


def get_generators(pelican):
    # Every build starts here: what an earlier build of this process froze
    # (``freeze_the_content``, one that failed) may be collected again.
    gc.unfreeze()
    forget_content_memo()
    report_warnings_again()
    _build.clear()
    _build["start"] = time.perf_counter()
    return ConferencePapersGenerator


def keep_generator(generators) -> None:
    for generator in generators:
        if isinstance(generator, ConferencePapersGenerator):
            _build["generator"] = generator


def freeze_the_content(generators) -> None:
    """When every generator has read its content, in a process that builds
    once and exits (``make html``): what is alive now (the papers, the
    context, the caches) lives to the end, so later collections need not walk
    it. At 10,000 papers each full collection while writing took 0.6 to 1.5 s,
    three of them in this process and more in the forked one, whose walk also
    copies the pages it shares with this one. Not in the devserver: after
    ``gc.unfreeze`` the collector counts none of it as long-lived and walks
    the whole heap again soon (1.1 s at 10,000 papers, before the edited
    page), a cost every rebuild would pay."""
    if builds_once_and_exits():
        gc.freeze()


def summarize(pelican) -> None:
    """One line after the build: what the plugin wrote, and how long it took.

    Printed the way Pelican prints its own "Done: Processed …" line (just before
    it), so it shows without ``-v`` as that one does."""
    generator = _build.get("generator")
    if generator is None:
        return
    settings = generator.settings
    console.print(
        "conference_papers: built "
        f"{len(generator.papers)} paper(s) in {len(generator.conferences)} "
        f"conference(s), {len(generator.members)} member(s), "
        f"{feeds.feed_count(settings, generator.conferences, generator.members)} "
        f"feed(s), {generator.citation_files} citation file(s) in "
        f"{time.perf_counter() - _build['start']:.2f} seconds",
        markup=False,
        highlight=False,
    )


def add_templates(generator) -> None:
    """Every generator finds our default templates (a theme may override each)
    and the ``paper_card`` and ``icon`` helpers, so any theme page can use them."""
    generator.env.loader.loaders.append(FileSystemLoader(TEMPLATES))
    generator.env.globals.update(paper_card=paper_card, icon=icon_svg)
    if setting(generator.settings, "READ_CACHE"):
        # Compiling the templates is some 0.3 s of every build; Jinja keys
        # each compiled template by its name and source, so an edited one is
        # compiled again (and by the options it was compiled with: see below).
        folder = os.path.join(generator.settings.get("CACHE_PATH") or "cache", "jinja")
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:  # an unwritable cache: compile as a cold build does
            return
        generator.env.bytecode_cache = _CompiledTemplates(folder)


#: The options of a Jinja environment that change the code a template compiles
#: to (its syntax, its whitespace, whether and how values are escaped).
_COMPILE_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "finalize",
    "is_async",
)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, keyed by the environment's compile
    options too: Jinja keys only by name and source, yet Pelican's pages and
    ours compile the same ``base.html`` (ours with autoescape), and the lab may
    change ``JINJA_ENVIRONMENT`` between builds; either would run code compiled
    for another environment (our pages unescaped, or Pelican's escaped twice)."""

    def get_bucket(self, environment, name, filename, source):
        autoescape = environment.autoescape
        options = [getattr(environment, option) for option in _COMPILE_OPTIONS]
        options += [
            autoescape(name) if callable(autoescape) else autoescape,
            sorted(environment.extensions),
        ]
        keyed = f"{name}\0{stable(options)}"
        return super().get_bucket(environment, keyed, filename, source)

    def load_bytecode(self, bucket) -> None:
        # Jinja reads a file cut short within its checksum with pickle and
        # lets the error stop the build (every build, until cache/ is
        # deleted); here a damaged file is a miss, compiled and written again.
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()


def index_search(pelican) -> None:
    """At the end of a build: the search index of the output folder."""
    build_index(pelican.settings, pelican.output_path)


def let_the_process_end(pelican) -> None:
    """Last at ``finalized``, when the process ends after this one build: no
    more garbage collections of what the build leaves in memory.

    At exit Python collects again while it tears the modules down, walking
    every object the build left (the papers, the caches, the templates): 0.4
    to 0.7 s of a 1.5 s warm build at 1,000 papers, measured, for memory the
    system takes back anyway. Frozen objects are still freed, only not walked.
    Not in the devserver, whose next build needs the garbage collected."""
    if builds_once_and_exits():
        gc.freeze()


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_templates)
    signals.static_generator_finalized.connect(withhold_svg)
    signals.initialized.connect(check_search)
    signals.all_generators_finalized.connect(keep_generator)
    signals.all_generators_finalized.connect(freeze_the_content)
    signals.get_writer.connect(same_bytes_writer)
    signals.finalized.connect(index_search)  # before the summary, which counts it
    signals.finalized.connect(summarize)
    signals.finalized.connect(let_the_process_end)  # connected last: runs last
