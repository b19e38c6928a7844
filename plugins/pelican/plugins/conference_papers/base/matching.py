"""One paper per work: which OpenAlex works and which files are the same paper.

OpenAlex lists a preprint and its published version as two works (often with
different titles' capitalisation, sometimes with no identifier in common), and
a lab's files already hold papers typed by hand or imported from BibTeX. Sync
must neither write a paper twice nor lose a hand edit, so identity is decided
here, in one place, by the strongest evidence first: a DOI, an arXiv id
(without version), an OpenAlex id; failing those, the same normalised title by
the same first author's family name within two years.

A leaf above ``openalex`` and ``identifiers``: plain records in, plain records out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .identifiers import arxiv_key, arxiv_of_doi, doi_key
from .names import fold
from .openalex import Work, short_id

#: Years a preprint and its published version may lie apart.
YEAR_WINDOW = 2

# Particles that come before a family name: "van der Berg" is "Berg".
_PARTICLES = frozenset(
    "van von der den de del della di da du le la ten ter zu dos das".split()  # noqa: SIM905
)


def family_name(name: str) -> str:
    """The folded family name of ``Margret Keuper`` or ``Keuper, Margret``."""
    name = name.strip()
    words = fold(name.split(",", 1)[0] if "," in name else name).split()
    words = [word for word in words if word not in _PARTICLES] or words
    return words[-1] if words else ""


def split_authors(value: Any) -> list[str]:
    """Authors of a paper file: a list, or Pelican's ``;``-or-``,`` separated string."""
    if isinstance(value, str):
        separator = ";" if ";" in value else ","
        return [name.strip() for name in value.split(separator) if name.strip()]
    if isinstance(value, Iterable):
        return [str(name).strip() for name in value if str(name).strip()]
    return []


@dataclass(frozen=True)
class Identity:
    """What identifies one paper, in the form identifiers are compared in."""

    keys: frozenset[str]  # doi:…, arxiv:…, openalex:W…
    title: str  # folded
    first_author: str  # folded family name
    year: int | None

    def same_title(self, other: Identity) -> bool:
        return bool(
            self.title
            and self.title == other.title
            and self.first_author == other.first_author
            and self.year is not None
            and other.year is not None
            and abs(self.year - other.year) <= YEAR_WINDOW
        )


def _keys(doi: Any, arxiv: Any, openalex: Iterable[Any]) -> frozenset[str]:
    """Identifiers as ``kind:value``; arXiv's own DOI counts as the arXiv id, so
    that a preprint's DOI never "conflicts" with its published version's."""
    keys = set()
    for value in (arxiv, arxiv_of_doi(doi) if isinstance(doi, str) else None):
        if isinstance(value, str) and arxiv_key(value):
            keys.add(f"arxiv:{arxiv_key(value)}")
    if isinstance(doi, str) and doi_key(doi) and not arxiv_of_doi(doi):
        keys.add(f"doi:{doi_key(doi)}")
    keys.update(f"openalex:{short_id(value)}" for value in openalex if short_id(value))
    return frozenset(keys)


def identity_of_work(work: Work) -> Identity:
    return Identity(
        keys=_keys(work.doi, work.arxiv, [work.openalex]),
        title=fold(work.title),
        first_author=family_name(work.authors[0].name) if work.authors else "",
        year=work.year,
    )


def _year_of(fields: Mapping[str, Any]) -> int | None:
    for key in ("year", "date"):
        match = re.match(r"^\s*(\d{4})", str(fields.get(key) or ""))
        if match:
            return int(match.group(1))
    return None


def identity_of_fields(fields: Mapping[str, Any]) -> Identity:
    """The identity of an existing paper file, given as its metadata fields.

    Keys are the content format's, lower case: ``title``, ``authors``, ``date``
    (or ``year``), ``doi``, ``arxiv`` and ``openalex`` (one id or several).
    """
    authors = split_authors(fields.get("authors"))
    openalex = fields.get("openalex") or ""
    ids = split_authors(openalex) if isinstance(openalex, str) else openalex
    return Identity(
        keys=_keys(fields.get("doi"), fields.get("arxiv"), ids),
        title=fold(str(fields.get("title") or "")),
        first_author=family_name(authors[0]) if authors else "",
        year=_year_of(fields),
    )


@dataclass(frozen=True)
class Paper:
    """One paper made of one or more works: ``work`` is the merged record.

    ``works`` holds what it was made of, the version of record first;
    ``first_date`` is the earliest date among them (the preprint's), which a
    paper's feed entry keeps when the published version arrives.
    """

    work: Work
    works: tuple[Work, ...]
    first_date: str

    @property
    def openalex_ids(self) -> tuple[str, ...]:
        return tuple(work.openalex for work in self.works)

    @property
    def identity(self) -> Identity:
        base = identity_of_work(self.work)
        keys = frozenset().union(*(identity_of_work(w).keys for w in self.works))
        return replace(base, keys=keys)


def _rank(work: Work) -> tuple:
    """Version of record first: no preprint, a DOI that is not arXiv's, pages."""
    return (
        work.is_preprint,
        not work.doi or work.doi.lower().startswith("10.48550/"),
        not work.pages,
        -(work.year or 0),
        work.openalex,
    )


def merge(works: Sequence[Work]) -> Paper:
    """One record of works that are one paper: the published version's venue, DOI
    and pages, the preprint's arXiv id, an open PDF from whichever has one."""
    ordered = sorted(works, key=_rank)
    best = ordered[0]

    def first(attribute: str) -> Any:
        for work in ordered:
            if getattr(work, attribute):
                return getattr(work, attribute)
        return getattr(best, attribute)

    merged = replace(
        best,
        arxiv=first("arxiv"),
        doi=best.doi or first("doi"),
        pdf=first("pdf"),
        landing=first("landing"),
        abstract=max((w.abstract for w in ordered), key=len),
        authors=best.authors or first("authors"),
        cited_by=max(w.cited_by for w in ordered),
        problems=tuple(p for w in ordered for p in w.problems),
    )
    dates = sorted(w.date for w in ordered if w.date)
    return Paper(
        work=merged, works=tuple(ordered), first_date=dates[0] if dates else ""
    )


def group(works: Iterable[Work]) -> list[Paper]:
    """Works as papers: one :class:`Paper` per paper, works with a skip_reason left out.

    Works sharing any identifier are one paper (transitively: a preprint, its
    arXiv DOI and the published version's arXiv location); works left apart
    are joined by title, first author and year. Papers come in the order of
    their first work, so a second run gives the same order.
    """
    works = [work for work in works if not work.skip_reason]
    sets = _Sets(len(works))
    identities = [identity_of_work(work) for work in works]
    holder: dict[str, int] = {}
    for i, identity in enumerate(identities):
        for key in sorted(identity.keys):
            sets.join(i, holder.setdefault(key, i))
    _join_by_title(identities, sets)
    groups: dict[int, list[Work]] = {}
    for i, work in enumerate(works):
        groups.setdefault(sets.root(i), []).append(work)
    return [merge(groups[key]) for key in sorted(groups)]


class _Sets:
    """Indices joined into sets (union-find); a set's root is its lowest index,
    so the papers keep the order of their first work."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.root(i), self.root(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _join_by_title(identities: list[Identity], sets: _Sets) -> None:
    """Works of one title and first author are one paper, unless they conflict."""
    by_title: dict[tuple[str, str], list[int]] = {}
    for i, identity in enumerate(identities):
        if identity.title:
            by_title.setdefault((identity.title, identity.first_author), []).append(i)
    for members in by_title.values():
        for n, i in enumerate(members):
            for j in members[:n]:
                a, b = identities[i], identities[j]
                if a.same_title(b) and not _conflict(a, b):
                    sets.join(i, j)


class Existing:
    """The papers already in the content folder, indexed once for many look-ups:
    by each identifier and by (title, first author), so that a look-up costs
    the files it could match, not every file."""

    def __init__(self, entries: Iterable[tuple[str, Identity]]):
        self.entries = tuple(entries)  # (file path, identity)
        self._by_key: dict[str, list[int]] = {}
        self._by_title: dict[tuple[str, str], list[int]] = {}
        for n, (_, identity) in enumerate(self.entries):
            for key in identity.keys:
                self._by_key.setdefault(key, []).append(n)
            if identity.title:
                title = (identity.title, identity.first_author)
                self._by_title.setdefault(title, []).append(n)

    @classmethod
    def of(cls, papers: Iterable[Mapping[str, Any]]) -> Existing:
        """From dicts of a file's fields plus ``path`` (the file)."""
        return cls(
            (str(fields["path"]), identity_of_fields(fields)) for fields in papers
        )

    def find(self, paper: Paper | Work) -> tuple[str, ...]:
        """The files that hold ``paper``: none (a new paper), one (update it in
        place) or more (the files are duplicates of each other: say so, write
        nothing). An identifier in common decides; only when no file shares one
        does the title rule, with the title of any of the paper's works."""
        works = paper.works if isinstance(paper, Paper) else (paper,)
        whole = paper.identity if isinstance(paper, Paper) else identity_of_work(paper)
        by_key = {n for key in whole.keys for n in self._by_key.get(key, ())}
        if by_key:
            return tuple(sorted(self.entries[n][0] for n in by_key))
        found = set()
        for identity in map(identity_of_work, works):
            for n in self._by_title.get((identity.title, identity.first_author), ()):
                other = self.entries[n][1]
                if identity.same_title(other) and not _conflict(whole, other):
                    found.add(self.entries[n][0])
        return tuple(sorted(found))


def _conflict(a: Identity, b: Identity) -> bool:
    """Two records with different DOIs (or arXiv ids) are different papers, whatever
    their titles say; a DOI on one side only is no conflict."""
    for prefix in ("doi:", "arxiv:"):
        left = {key for key in a.keys if key.startswith(prefix)}
        right = {key for key in b.keys if key.startswith(prefix)}
        if left and right and not left & right:
            return True
    return False
