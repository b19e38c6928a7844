"""``pelican-papers import``: bring an existing lab site over (issue 6)."""

from __future__ import annotations


def add_parser(commands) -> None:
    """``pelican-papers import jekyll|lwt|bibtex|arxiv|doi``."""
