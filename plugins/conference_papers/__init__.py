"""Conference pages, paper pages, citations and feeds for a research lab's site.

Add ``"conference_papers"`` to ``PLUGINS``; see the README for the settings.
"""

from __future__ import annotations

from importlib.resources import files

from jinja2 import FileSystemLoader
from pelican import signals

from .cards import paper_card
from .generator import ConferencePapersGenerator
from .icons import icon_svg
from .model import forget_previous_build
from .search import build_index, check_search
from .settings import apply_defaults, setting

TEMPLATES = str(files(__name__) / "templates")
STATIC = str(files(__name__) / "static")


def initialized(pelican) -> None:
    """Once per Pelican instance: check the settings, keep our folders to us."""
    settings = pelican.settings
    apply_defaults(settings)
    # Pelican would read every paper as an article (or page) otherwise.
    ours = [setting(settings, "CONFERENCES_PATH"), setting(settings, "PAPERS_PATH")]
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


def get_generators(pelican):
    forget_previous_build()  # every build starts here, devserver rebuilds too
    return ConferencePapersGenerator


def add_templates(generator) -> None:
    """Every generator finds our default templates (a theme may override each)
    and the ``paper_card`` and ``icon`` helpers, so any theme page can use them."""
    generator.env.loader.loaders.append(FileSystemLoader(TEMPLATES))
    generator.env.globals.update(paper_card=paper_card, icon=icon_svg)


def register() -> None:
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_templates)
    signals.initialized.connect(check_search)
    signals.finalized.connect(build_index)
