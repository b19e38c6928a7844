"""Imported content must pass ``check`` and build, not only look right as files.

The importers and ``sync`` write journal articles, preprints, theses and
year-only dates; one helper gives each of their tests the same two gates a
lab moving its site over goes through: ``pelican-papers check`` with no error,
then a build with the lab's settings and theme.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pelican.plugins.conference_papers.commands import check

from .conftest import REPO, Site


def errors(content: Path) -> list:
    found = check.find_problems(check.load_settings(None, str(content)))
    return [p for p in found if p.severity == "error"]


def checks_and_builds(content: Path, root: Path) -> Site:
    """``check`` finds no error in ``content`` and the lab's settings build it."""
    found = [f"{p.path}:{p.line}: {p.message}" for p in errors(content)]
    assert not found, "\n".join(found)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copy(REPO / "pelicanconf.py", root / "pelicanconf.py")
    site = Site(root)
    site.content = content
    site.build()
    return site
