"""The one rule for comparing people's names: a leaf, nothing of ours.

A member's page must catch every spelling of her name in the lab's author lists
(``Margret Keuper``, ``Keuper, Margret``, ``Margret Keuper`` with a stray
accent), and the importers must find the same first author in two records, so
the folding lives here once. Matching is deliberately strict: ``M. Keuper`` is
the member only when her file lists it as an alias (two Keupers in one field
are common); what merely looks like her is reported by ``near_miss`` as a
warning, never linked silently.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# \emph{x} -> x, \"o -> o, {GAN}s -> GANs: the command and braces, not the text.
_LATEX_COMMAND = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])\s*")
_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, no accents, no LaTeX, no punctuation, single spaces.

    Kept for the last 65,536 texts: a build folds each author of each paper
    some 140 times over (cards, member pages, near-miss checks), the same few
    thousand names; it was 8 % of a build at 1,000 papers."""
    text = _LATEX_COMMAND.sub("", text).replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def name_key(given: str, family: str) -> str:
    """The form two names are compared in: ``given family``, folded; the
    caller has split ``Family, Given`` already (``schema.parse_person``)."""
    return fold(f"{given} {family}")


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one letter replaced, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def _initials_fit(given: str, full_given: str) -> bool:
    """``M.``, ``M``, ``M. J.`` are initials of ``Margret Julia``."""
    words = fold(given).split()
    full = fold(full_given).split()
    if not words or not full or any(len(w) > 1 for w in words):
        return False
    return len(words) <= len(full) and all(
        w == f[0] for w, f in zip(words, full, strict=False)
    )


def near_miss(given: str, family: str, member_given: str, member_family: str) -> str:
    """Why an author that is not the member looks like her ("" when not):
    one letter off in the whole name, or initials of her given names."""
    key, member = name_key(given, family), name_key(member_given, member_family)
    if not key or key == member:
        return ""
    if len(member) > 4 and _one_edit(key, member):
        return "one letter off"
    if fold(family) == fold(member_family) and _initials_fit(given, member_given):
        return "initials that fit"
    return ""


@functools.lru_cache(maxsize=1 << 16)
def split_name(name: str) -> tuple[str, str]:
    """(given, family) of ``Family, Given`` or ``Given [particles] Family``.

    Kept like ``fold``: the near-miss check splits each member's spellings
    once per author of every paper."""
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    words = name.split()
    if len(words) < 2:
        return "", name.strip()
    # Lower-case particles belong to the family name: "Ludwig van Beethoven".
    cut = len(words) - 1
    while cut > 1 and words[cut - 1][:1].islower():
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


@functools.lru_cache(maxsize=1 << 16)
def key_of(name: str) -> str:
    """The compared form of any written name, ``Family, Given`` or not.

    Kept like ``fold``: every ``name in members`` of every card and feed asks
    it again for the same few thousand names (66,000 calls at 1,000 papers)."""
    return name_key(*split_name(name))


class Directory(dict):
    """The lab's members as ``name -> member page`` (None: highlighted only),
    found by any of their spellings.

    A dict so that templates and feeds keep writing ``author.name in members``
    and ``members[author.name]``; its keys are the members' own names (one feed
    each), while a lookup also takes every alias and the ``Family, Given`` form.
    """

    def __init__(self):
        super().__init__()
        self._keys: dict[str, str] = {}  # folded spelling -> name
        self.slugs: dict[str, str] = {}  # name -> slug of a member file
        self.spellings: dict[str, list[str]] = {}  # name -> name and aliases
        self._near: dict[tuple[str, str], tuple[str, str] | None] = {}

    def add(self, name: str, page: str | None, aliases=(), slug: str = "") -> None:
        self._near.clear()
        dict.__setitem__(self, name, page)
        self.spellings[name] = [name, *aliases]
        for spelling in self.spellings[name]:
            self._keys.setdefault(key_of(spelling), name)
        if slug:
            self.slugs[name] = slug

    def looks_like(self, given: str, family: str) -> tuple[str, str] | None:
        """``(member, why)`` for the first member an author who is none looks
        like (``near_miss``), or None; kept: the same authors come back on
        paper after paper, each held against every spelling."""
        key = (given, family)
        if key not in self._near:
            self._near[key] = next(
                (
                    (name, why)
                    for name, spellings in self.spellings.items()
                    for spelling in spellings
                    if (why := near_miss(given, family, *split_name(spelling)))
                ),
                None,
            )
        return self._near[key]

    def canonical(self, name: str) -> str | None:
        """The member's own name for ``name`` as an author list writes it."""
        if dict.__contains__(self, name):
            return name
        return self._keys.get(key_of(name)) if isinstance(name, str) else None

    def __contains__(self, name) -> bool:
        return self.canonical(name) is not None

    def __getitem__(self, name):
        return dict.__getitem__(self, self.canonical(name) or name)

    def get(self, name, default=None):
        found = self.canonical(name)
        return dict.get(self, found, default) if found else default

    def href(self, name: str, siteurl: str) -> str | None:
        """The member page's address as a page at ``siteurl`` links it: a page of
        a member file is relative to the site, an address from the settings is
        used as written."""
        page = self.get(name)
        if not page or "://" in page or page.startswith(("/", "mailto:")):
            return page
        return f"{siteurl}/{page}"
