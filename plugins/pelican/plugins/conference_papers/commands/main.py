"""``pelican-papers``: the command line, one module per command.

The console script points at :func:`main`. Each command module has
``add_parser(subparsers)``; the order here is the order of ``--help``. The
commands sit on top of the plugin: they import the layers below, nothing below
imports them.
"""

from __future__ import annotations

import argparse
import logging
import sys

from .. import sync
from . import build, check, fetch_timeline, import_, new

# sync sits beside the importers (it is one, from open data), its parser with it.
COMMANDS = (check, build, new, import_, fetch_timeline, sync)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="pelican-papers",
        description="Conference and paper pages for a lab's Pelican site.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
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
