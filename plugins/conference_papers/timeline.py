"""Social timelines: snapshot fetch, static render, consent embed (issue 4)."""

from __future__ import annotations


def attach_timelines(generator) -> None:
    """Give each conference its timeline snapshot; called after grouping."""


def add_parser(commands) -> None:
    """``pelican-papers fetch-timeline``."""
