"""``pelican-papers new paper|conference``: a valid file with every field (issue 6)."""

from __future__ import annotations


def add_parser(commands) -> None:
    """``pelican-papers new``."""
