"""``pelican-papers``: check, build, scaffold, import and fetch, from the shell."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .schema import ERROR, Problem
from .settings import SettingsError

# Modules with ``add_parser(subparsers)``: each adds one command.
COMMAND_MODULES = ["scaffold", "importers", "timeline"]


def load_settings(settings_file: str | None, content: str | None) -> dict:
    """Pelican's settings for ``content`` (from pelicanconf.py when there is one)."""
    from pelican.settings import read_settings

    if settings_file is None and Path("pelicanconf.py").is_file():
        settings_file = "pelicanconf.py"
    override = {"PATH": os.path.abspath(content)} if content else {}
    return read_settings(settings_file, override=override)


def find_problems(settings: dict) -> list[Problem]:
    """Everything the build validates, without writing a file."""
    from .generator import load_content

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


def build(args) -> int:
    """Build into a temporary folder; replace the output only when it worked."""
    output = Path(args.output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a web server must read it
    command = [sys.executable, "-m", "pelican", args.content, "-o", str(staging)]
    if args.settings:
        command += ["-s", args.settings]
    if not sys.stderr.isatty():
        # In a log file or CI, one line per problem (rich wraps at 80 columns).
        command += ["--log-handler", "plain"]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(
            f"pelican-papers: the build failed; {args.output}/ was left as it was",
            file=sys.stderr,
        )
        return result.returncode
    previous = output.with_name(f".{output.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="pelican-papers",
        description="Conference and paper pages for a lab's Pelican site.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub = commands.add_parser("check", help="validate the content without building")
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.add_argument("--format", choices=["text", "json"], default="text")
    sub.set_defaults(func=check)

    sub = commands.add_parser(
        "build", help="run pelican; keep the previous output when the build fails"
    )
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-o", "--output", default="output", help="output folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.set_defaults(func=build)

    for name in COMMAND_MODULES:
        module = __import__(f"{__package__}.{name}", fromlist=["add_parser"])
        module.add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
