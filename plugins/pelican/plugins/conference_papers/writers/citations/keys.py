"""Citekeys: ``family name + year + first significant title word``.

ASCII, lower case (``grabinski2022robust``); a ``Citekey:`` line wins. On a
clash the oldest paper (by Date, then conference and slug) keeps the bare key
and later ones get ``a``, ``b``, …: publishing a newer paper never changes the
key of an older one that readers already cite. Made once for the whole lab, so
BibTeX, CSL-JSON and the page's Cite block give a paper the same key.
"""

from __future__ import annotations

import functools
import re

from unidecode import unidecode

from ...base.text import clean_text
from ...format.schema import ERROR, WARNING, Problem, header_lines
from .common import STOP_WORDS, WORD

_KEY = re.compile(r"^[A-Za-z0-9_:.+/-]+$")  # what BibTeX and biber take as a key


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


def base_key(paper) -> str:
    """``grabinski2022robust``: first author, year, first significant word."""
    family = paper.authors[0].family if paper.authors else ""
    return _base_key(family, paper.date.year, paper.title)


# Every build keys every paper (a key depends on the others'): remembered by
# what it is made of, a devserver rebuild makes only the edited paper's again.
@functools.lru_cache(maxsize=1 << 16)
def _base_key(family: str, year: int, title: str) -> str:
    family = ascii_word(family)
    words = [w for w in WORD.findall(title) if w.lower() not in STOP_WORDS]
    word = next((ascii_word(w) for w in words if ascii_word(w)), "")
    return f"{family or 'anonymous'}{year}{word}"


def _suffix(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, …"""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _pinned_keys(ordered) -> tuple[dict[int, str], set[str], list[Problem]]:
    """The ``Citekey:`` of each paper that may keep it, the keys taken, and a
    problem for each ``Citekey:`` that cannot be used (taken, or not BibTeX)."""
    keys: dict[int, str] = {}
    owners: dict[str, object] = {}  # key (lower case) -> the paper that has it
    problems: list[Problem] = []
    for paper in ordered:
        wanted = str(getattr(paper, "citekey", "") or "").strip()
        if not wanted:
            continue
        if _KEY.match(wanted) and wanted.lower() not in owners:
            keys[id(paper)] = wanted
            owners[wanted.lower()] = paper
            continue
        owner = owners.get(wanted.lower())
        why = (
            f"is taken by {owner.relative_source_path}"
            if owner is not None
            else "is not a usable BibTeX key"
        )
        # A key that is not BibTeX ("x}, @misc{pwned,") is an error: a made key
        # in its place would hide what was written. A key taken by an older
        # paper is a clash between two honest files: a warning, a key is made.
        problems.append(
            Problem(
                paper.relative_source_path,
                header_lines(paper.source_path).get("citekey", 1),
                f"Citekey '{clean_text(wanted)}' {why}"
                + ("; a key is made instead" if owner is not None else ""),
                "write letters, digits and _ : . + / - only, one key per paper, "
                "e.g. 'Citekey: grabinski2022robust'",
                WARNING if owner is not None else ERROR,
            )
        )
    return keys, set(owners), problems


def _by_date(papers):
    return sorted(papers, key=lambda p: (p.date.timestamp(), p.conference_slug, p.slug))


def citekey_problems(papers) -> list[Problem]:
    """The ``Citekey:`` lines that cannot be used, with file and line (``check``
    and the build report them with every other problem)."""
    return _pinned_keys(_by_date(papers))[2]


def assign_keys(papers) -> dict[int, str]:
    """A stable, unique citekey for each paper (by ``id(paper)``)."""
    ordered = _by_date(papers)
    keys, taken, _problems = _pinned_keys(ordered)  # reported by citekey_problems
    next_suffix: dict[str, int] = {}  # linear even when a thousand keys clash
    for paper in ordered:
        if id(paper) in keys:
            continue
        base = key = base_key(paper)
        while key in taken:  # BibTeX compares keys without case
            number = next_suffix.get(base, 0)
            next_suffix[base] = number + 1
            key = base + _suffix(number)
        keys[id(paper)] = key
        taken.add(key)
    return keys
