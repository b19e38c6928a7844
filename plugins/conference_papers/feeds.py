"""Atom feeds of new papers, site-wide and per conference (issue 3)."""

from __future__ import annotations


def write_feeds(generator, writer) -> None:
    """Write every feed of papers; called by the generator after the pages."""
