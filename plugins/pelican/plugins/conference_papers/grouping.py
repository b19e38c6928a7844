"""Papers to their conference, conferences to tracks, everything in order."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from itertools import groupby

from pelican.utils import slugify

from .base.kinds import IN_CONFERENCE, derive_type
from .format.schema import ERROR, WARNING, Problem, RawSource, header_lines
from .model import Conference, Paper, Track
from .settings import setting


def slug_of(name: str, settings) -> str:
    """A slug by Pelican's rules (SLUG_REGEX_SUBSTITUTIONS): "Full Paper" ->
    "full-paper", never with a space (invalid in an id or a #fragment)."""
    subs = settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    return _slug(name, tuple(tuple(sub) for sub in subs))


@functools.lru_cache(maxsize=4096)
def _slug(name: str, subs: tuple) -> str:
    # The same tags, tracks and names come back for every paper, in the list,
    # its filter pages and the feeds: ~5,000 slugs of a few hundred names at
    # 1,000 papers, at ~50 us each (Unicode normalization, unidecode, regexes).
    return slugify(name, regex_subs=subs)


def newest_first(items: Iterable) -> list:
    """Newest date first; the slug breaks ties so that builds are repeatable."""
    return sorted(items, key=lambda item: (-item.date.timestamp(), item.slug))


def by_year(conferences: list[Conference]) -> list[tuple[int, list[Conference]]]:
    """``[(2022, [NeurIPS 22, …]), (2021, […])]`` from a newest-first list."""
    return [
        (year, list(group)) for year, group in groupby(conferences, lambda c: c.year)
    ]


def unknown_conference(
    source: RawSource, fields: dict, conferences: dict[str, Conference]
) -> Problem:
    slug = fields["conference"]
    close = difflib.get_close_matches(slug, list(conferences), n=1)
    hint = (
        f"did you mean 'Conference: {close[0]}'?"
        if close
        else "write the file name (without .md) of a file in content/conferences/"
    )
    if not conferences:
        hint = "add content/conferences/<slug>.md first (pelican-papers new conference)"
    return Problem(
        source.path,
        source.line("conference"),
        f"the conference '{slug}' does not exist",
        hint,
    )


def outside_conferences(source: RawSource, fields: dict) -> bool:
    """True for a paper of its kind (a journal article, a preprint, a thesis…):
    its folder is no conference's slug and no ``Conference:`` line names one.
    A file that says nothing of its kind stays a conference paper, so a typo in
    a conference's folder is still "the conference … does not exist"."""
    if source.text("conference") or "written_type" not in fields:
        return False
    kind = derive_type(
        fields["written_type"],
        fields.get("journal", ""),
        fields.get("preprint", ""),
        fields.get("workshop", ""),
        in_conference=False,
    )
    return kind not in IN_CONFERENCE


def date_problems(
    source: RawSource, fields: dict, conferences: dict[str, Conference]
) -> list[Problem]:
    """A paper outside a conference has no conference to date it: its Date is
    required (a year is enough)."""
    if fields.get("conference") in conferences or fields.get("date"):
        return []
    if not outside_conferences(source, fields) or source.text("date"):
        return []  # a Date that does not parse is reported by the schema
    return [
        Problem(
            source.path,
            1,
            "the Date is missing (a paper outside a conference has no "
            "conference to date it)",
            "add a line 'Date: 2023' (or '2023-05', or '2023-05-17')",
            ERROR,
        )
    ]


def _paper_order(paper: Paper):
    """``Order:`` first, then the newest, then the title."""
    order = paper.order if getattr(paper, "order", None) is not None else float("inf")
    return (order, -paper.date.timestamp(), paper.title.casefold(), paper.slug)


def group(
    conferences: dict[str, Conference], papers: list[Paper], settings
) -> tuple[list[Paper], list[Problem]]:
    """Attach each paper to its conference and track; return the papers kept
    (each slug once: a second file with a paper's slug is reported and left
    out, so no writer sees it) and the problems found."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Paper] = {}
    # One page a paper: two pages at one path (a PAPER_SAVE_AS without
    # {conference}, a slug in two conferences) would be written by whichever
    # of the two writing processes took the latter. Only the papers of a slug
    # seen before are asked for their page (at 10,000 papers asking every
    # one cost 45 ms of each build).
    first_of_slug: dict[str, Paper] = {}
    pages: dict[str, Paper] = {}
    for paper in papers:
        key = (paper.conference_slug, paper.slug)
        if key not in seen and (clash := _same_page(paper, first_of_slug, pages)):
            problems.append(
                Problem(
                    paper.relative_source_path,
                    _line(paper, "slug"),
                    f"two papers have the page '{paper.save_as}' (the other is "
                    f"{clash.relative_source_path})",
                    "give CONFERENCE_PAPERS_PAPER_SAVE_AS a {conference}, or one of "
                    "the papers a 'Slug:' line",
                )
            )
            continue
        if key in seen:
            problems.append(
                Problem(
                    paper.relative_source_path,
                    _line(paper, "slug"),  # 1 when the slug is the file's name
                    f"two papers have the slug '{paper.slug}' in the conference "
                    f"'{paper.conference_slug}' (the other is "
                    f"{seen[key].relative_source_path})",
                    "rename one of the files or give it a 'Slug:' line",
                )
            )
            continue
        seen[key] = paper
        conference = conferences.get(paper.conference_slug)
        if conference is None:
            continue  # a paper of its kind (outside_conferences)
        paper.conference = conference
        conference.papers.append(paper)

    default_track = setting(settings, "DEFAULT_TRACK")
    for conference in conferences.values():
        listed = list(conference.listed_tracks)
        tracks = {name: Track(name, slug_of(name, settings)) for name in listed}
        for paper in conference.papers:
            paper.track = paper.track or (listed[0] if listed else default_track)
            paper.track_slug = slug_of(paper.track, settings)
            if paper.track not in tracks:
                problem = unlisted_track(
                    paper.relative_source_path,
                    lambda paper=paper: _line(paper, "track"),
                    paper.track,
                    conference,
                )
                if problem:
                    problems.append(problem)
                tracks[paper.track] = Track(paper.track, paper.track_slug)
            tracks[paper.track].papers.append(paper)
        for track in tracks.values():
            track.papers.sort(key=_paper_order)
        # Listed tracks keep their order; empty ones are left out of the page.
        conference.tracks = [t for t in tracks.values() if t.papers]
        conference.papers = [p for t in conference.tracks for p in t.papers]
    return list(seen.values()), problems


def _same_page(
    paper: Paper, first_of_slug: dict[str, Paper], pages: dict[str, Paper]
) -> Paper | None:
    """The paper seen before whose page is ``paper``'s, if any (``pages``: the
    pages asked for so far, by path; ``first_of_slug``: the first paper of
    each slug)."""
    first = first_of_slug.setdefault(paper.slug, paper)
    if first is paper:
        return None
    pages.setdefault(first.save_as, first)
    clash = pages.setdefault(paper.save_as, paper)
    return None if clash is paper else clash


def unlisted_track(path: str, line, track: str, conference) -> Problem | None:
    """The warning for a paper whose ``track`` its conference does not list
    (``line()``: the line of its Track, read only then); the grouping and the
    check of a file with errors (its warnings are reported all the same)."""
    listed = list(conference.listed_tracks)
    if not track or not listed or track in listed:
        return None
    return Problem(
        path,
        line(),
        f"the track '{track}' is not one of the tracks of "
        f"{conference.title} ({'; '.join(listed)}); it comes last",
        f"add it to 'Tracks:' in {conference.relative_source_path}"
        " or correct the Track",
        WARNING,
    )


def _line(paper: Paper, key: str) -> int:
    return header_lines(paper.source_path).get(key, 1)
