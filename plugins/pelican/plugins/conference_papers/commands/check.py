"""``pelican-papers check``: everything the build validates, without writing.

Also the settings loader the other commands share: Pelican's own read_settings,
with the content folder given on the command line.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from pelican.settings import read_settings

from ..format.schema import ERROR, Problem
from ..generator import load_content
from ..settings import SettingsError


def load_settings(settings_file: str | None, content: str | None) -> dict:
    """Pelican's settings for ``content`` (from pelicanconf.py when there is one)."""
    if settings_file is None and Path("pelicanconf.py").is_file():
        settings_file = "pelicanconf.py"
    override = {"PATH": os.path.abspath(content)} if content else {}
    return read_settings(settings_file, override=override)


def find_problems(settings: dict) -> list[Problem]:
    """Everything the build validates, without writing a file."""
    problems = load_content(settings).problems
    return sorted(problems, key=lambda p: (p.path, p.line))


def check(args) -> int:
    if not Path(args.content).is_dir():
        print(f"pelican-papers: no content folder at {args.content}", file=sys.stderr)
        return 2
    if args.settings and not Path(args.settings).is_file():
        print(f"pelican-papers: no settings file at {args.settings}", file=sys.stderr)
        return 2
    # Pelican warns about feed settings while reading them: not the user's question.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    try:
        settings = load_settings(args.settings, args.content)
    except Exception as error:  # the settings file is Python: anything can go wrong
        print(
            f"pelican-papers: the settings file failed: {type(error).__name__}: "
            f"{error}",
            file=sys.stderr,
        )
        return 2
    try:
        problems = find_problems(settings)
    except SettingsError as error:
        print(f"pelican-papers: {error}", file=sys.stderr)
        return 2
    errors = sum(p.severity == ERROR for p in problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        for problem in problems:
            print(f"{problem.severity}: {problem}")
        warnings = len(problems) - errors
        print(f"{errors} error(s), {warnings} warning(s) in {args.content}")
    return 1 if errors else 0


def add_parser(commands) -> None:
    """``pelican-papers check``."""
    sub = commands.add_parser("check", help="validate the content without building")
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.add_argument("--format", choices=["text", "json"], default="text")
    sub.set_defaults(func=check)
