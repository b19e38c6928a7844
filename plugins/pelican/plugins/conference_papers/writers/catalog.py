"""The catalog: what a build read, loaded once and handed to every writer.

The generator reads, checks and groups the content; the writers only write it.
Giving them this value instead of the generator keeps that one-way: a writer
sees the conferences, papers and members, and has no generator to change (a
writer returns what it wrote; problems are found before anything is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Catalog:
    """The build's content, newest first, each paper once."""

    conferences: tuple  # of model.Conference, each with its papers
    papers: tuple  # of model.Paper: every published paper
    members: Any  # settings.lab_members: name -> member page or None
    people: tuple = ()  # of members.Member: the member files
