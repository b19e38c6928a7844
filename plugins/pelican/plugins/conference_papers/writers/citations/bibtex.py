"""BibTeX: one entry a paper, for the ``.bib`` files and the Cite block.

- Non-ASCII stays UTF-8 (``Müller``, not ``M{\\"u}ller``): biber and pybtex read
  it, BibTeX does with ``inputenc``; converting would lose every script that has
  no LaTeX accent command and make names unreadable in the file.
- Titles: words with inner capitals or digits (``{NeurIPS}``, ``{3D}``) and
  capital runs (``{CNN}s``) are braced so styles that lower-case titles keep
  them; in a title written in sentence case every capitalised word is a name and
  is braced as well. ``& % $ # _ ~ ^ \\`` and braces are escaped.
- Partial dates: ``Date: 2022`` gives ``year`` and no ``month``.
"""

from __future__ import annotations

import re

from ...base import kinds
from ...format.schema import Person
from .common import STOP_WORDS, WORD, joined_utf8

#: BibTeX's month macros, January first.
BIBTEX_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_LATEX = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
}
#: A brace that nothing pairs with, as a command: BibTeX counts ``\{`` as a
#: brace too, so a lone one would end the field.
_LONE_BRACES = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
#: The escapes of text whose braces are all lone: one ``str.translate`` (most
#: titles and names have no brace at all; the loop of ``_escape`` is for those
#: that pair some).
_NO_PAIRS = str.maketrans(_LATEX | _LONE_BRACES)
_PLURAL_CAPS = re.compile(r"([A-Z0-9]*[A-Z][A-Z0-9]*)s")
_AND = re.compile(r"\sand\s", re.IGNORECASE)
_AND_OR_COMMA = re.compile(r"\sand\s|,", re.IGNORECASE)


def _brace_pairs(text: str) -> set[int]:
    """Positions of braces that close or are closed by another one."""
    paired: set[int] = set()
    if "{" not in text or "}" not in text:
        return paired
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def _escape(text: str, start: int, end: int, paired: set[int]) -> str:
    if not paired:
        return text[start:end].translate(_NO_PAIRS)
    out = []
    for index in range(start, end):
        char = text[index]
        if char in "{}":
            out.append("\\" + char if index in paired else _LONE_BRACES[char])
        else:
            out.append(_LATEX.get(char, char))
    return "".join(out)


def latex_escape(text: str) -> str:
    """Plain text as a BibTeX field value: special characters escaped."""
    return _escape(text, 0, len(text), _brace_pairs(text))


def _is_sentence_case(words: list[str]) -> bool:
    significant = [
        w for w in words[1:] if w[0].isalpha() and w.lower() not in STOP_WORDS
    ]
    capitalised = [w for w in significant if w[0].isupper() and not _inner_caps(w)]
    return bool(significant) and len(capitalised) * 2 < len(significant)


def _inner_caps(word: str) -> bool:
    """A capital after the first letter, or digits and letters mixed (``3D``).

    ``word`` is a match of ``WORD`` (letters and digits). The ``islower`` and
    ``isalpha`` tests answer most words at C speed; the loops decide the rest
    (a word of digits, a script without case)."""
    tail = word[1:]
    if not tail.islower() and any(c.isupper() for c in tail):
        return True
    return not word.isalpha() and (
        any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    )


def _protect(word: str, first: bool, sentence_case: bool) -> str:
    plural = _PLURAL_CAPS.fullmatch(word)
    if plural and len(plural.group(1)) > 1:
        return "{" + plural.group(1) + "}s"
    if _inner_caps(word) or (sentence_case and not first and word[0].isupper()):
        return "{" + word + "}"
    return word


def bibtex_title(title: str) -> str:
    """The title escaped, with acronyms and names braced: ``{CNN}s on {NeurIPS}``."""
    paired = _brace_pairs(title)
    matches = list(WORD.finditer(title))
    sentence_case = _is_sentence_case([m.group() for m in matches])
    out, position = [], 0
    for number, match in enumerate(matches):
        out.append(_escape(title, position, match.start(), paired))
        out.append(_protect(match.group(), number == 0, sentence_case))
        position = match.end()
    out.append(_escape(title, position, len(title), paired))
    return "".join(out)


def bibtex_name(person: Person) -> str:
    """``Family, Given``; braced where BibTeX would split it wrongly."""
    family, given = latex_escape(person.family), latex_escape(person.given)
    if _AND.search(f" {family} ") or (not given and " " in family):
        family = "{" + family + "}"  # one name: "{Smith and Sons}"
    if _AND_OR_COMMA.search(f" {given} "):
        given = "{" + given + "}"
    return f"{family}, {given}" if given else family


def bibtex_url(url: str) -> str:
    """URLs and DOIs are verbatim fields: only braces and backslashes must go."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


# --- one entry -------------------------------------------------------------


def fields(cite) -> list[tuple[str, str]]:
    """The entry's fields, in the order they are written."""
    paper = cite.paper
    found = [
        ("author", " and ".join(bibtex_name(a) for a in paper.authors)),
        ("title", bibtex_title(paper.title)),
    ]
    found += _venue_fields(cite)
    found.append(("year", str(cite.date.year)))
    if paper.date_precision != kinds.YEAR:  # never a month the file lacks
        # a macro, unbraced
        found.append(("month", BIBTEX_MONTHS[cite.date.month - 1]))
    if cite.url:
        found.append(("url", bibtex_url(cite.url)))
    if cite.doi:
        found.append(("doi", bibtex_url(cite.doi)))
    if cite.arxiv:
        found.append(("eprint", bibtex_url(cite.arxiv)))
        found.append(("archivePrefix", "arXiv"))
    if paper.tags:
        found.append(("keywords", latex_escape(", ".join(paper.tags))))
    return found


def _venue_fields(cite) -> list[tuple[str, str]]:
    """The fields of the entry type: where the paper appeared."""
    entry, paper = cite.entry_type, cite.paper
    found: list[tuple[str, str]] = []
    if entry == "article":
        found.append(("journal", cite.journal))
        found += [
            (name, getattr(paper, key, ""))
            for name, key in (("volume", "volume"), ("number", "issue"))
        ]
        first, last = cite.pages
        found.append(("pages", f"{first}--{last}" if last else first))
    elif entry in ("inproceedings", "incollection"):
        found.append(("booktitle", cite.booktitle))
        if cite.conference is not None:
            found.append(("address", cite.conference.location))
    elif entry == "misc" and getattr(paper, "preprint", "") and not cite.arxiv:
        found.append(("howpublished", paper.preprint))
    name = {"phdthesis": "school", "techreport": "institution"}.get(entry)
    if name:
        found.append((name, cite.publisher))
    elif entry in ("article", "book", "incollection"):
        found.append(("publisher", cite.publisher))
    return [(name, latex_escape(value)) for name, value in found if value]


def entry(cite, entry_fields: list[tuple[str, str]]) -> str:
    """``@inproceedings{key, …}`` with the values aligned."""
    width = max(len(name) for name, _ in entry_fields)
    lines = [
        f"  {name.ljust(width)} = {value if name == 'month' else '{' + value + '}'}"
        for name, value in entry_fields
    ]
    return f"@{cite.entry_type}{{{cite.key},\n" + ",\n".join(lines) + "\n}\n"


def file(entries: list[str], header: str) -> bytearray:
    """A ``.bib`` file in UTF-8: a comment that says what it holds, then the
    entries."""
    start = f"% {header}\n% Generated by pelican-conference-papers.\n\n"
    return joined_utf8(start, entries, "\n", "")
