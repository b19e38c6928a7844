"""Citations: Highwire tags, JSON-LD, COinS, BibTeX and CSL-JSON (issue 5).

One :class:`Citations` object per build (``generate_context`` puts it into the
template context as ``conference_papers_citations``) gives every paper a
:class:`PaperCitation`: the ``<head>`` tags of its page, its "Cite" block and its
entries in the ``.bib`` and ``.csl.json`` files that :func:`write_citations` writes.

Choices (the README's "Citations" section says the same):

- Entry type: the paper's kind (``kinds``: ``Type:``, else ``Journal:`` ->
  ``@article``, ``Preprint:`` -> ``@misc`` with ``eprint``, thesis ->
  ``@phdthesis``, ``@book``, ``@incollection``, ``@techreport``); a conference
  paper whose ``Track`` or ``Venue`` names a preprint (``Preprint``, ``arXiv``)
  is ``@misc`` as well; every other paper is ``@inproceedings`` of its
  conference. A paper with a venue and a preprint cites the venue.
- Partial dates: ``Date: 2022`` gives ``year`` and no ``month``, CSL
  ``date-parts`` ``[[2022]]``, ``citation_publication_date`` ``2022``.
- Non-ASCII stays UTF-8 (``Müller``, not ``M{\\"u}ller``): biber and pybtex read it,
  BibTeX does with ``inputenc``; converting would lose every script that has no
  LaTeX accent command and make names unreadable in the file.
- Titles: words with inner capitals or digits (``{NeurIPS}``, ``{3D}``) and
  capital runs (``{CNN}s``) are braced so styles that lower-case titles keep
  them; in a title written in sentence case every capitalised word is a name and
  is braced as well. ``& % $ # _ ~ ^ \\`` and braces are escaped.
- Citekeys: ``family name + year + first significant title word``, ASCII,
  lower case (``grabinski2022robust``); a ``Citekey:`` line wins. On a clash the
  oldest paper (by Date, then conference and slug) keeps the bare key and later
  ones get ``a``, ``b``, …: publishing a newer paper never changes the key of an
  older one that readers already cite (a ``Citekey:`` line pins any key).
- Absolute URLs (canonical, ``og:url``, ``og:image``, the JSON-LD ``url``)
  need ``SITEURL``. When it is empty (development builds) they are left out
  rather than written as relative URLs, which Open Graph and Scholar reject.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cached_property
from urllib.parse import quote, urlencode

from markupsafe import Markup
from unidecode import unidecode

from ..base import kinds
from ..base.text import clean_text
from ..format.schema import ERROR, WARNING, Person, Problem, header_lines
from ..settings import setting
from .output import write_output_file

logger = logging.getLogger(__name__)

#: Words that do not make a citekey or a capitalised title word.
_STOP_WORDS = """a an the and or but nor of on in at to for from by with without
    into onto over under about as via vs is are was were be been do does did can
    could how what why when which who whose where towards toward not no its it
    this that these those we our"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_PREPRINT = re.compile(r"\b(pre-?print|arxiv)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")  # letters and digits
_KEY = re.compile(r"^[A-Za-z0-9_:.+/-]+$")  # what BibTeX and biber take as a key
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


# --- BibTeX text -----------------------------------------------------------


def _brace_pairs(text: str) -> set[int]:
    """Positions of braces that close or are closed by another one."""
    paired: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def _escape(text: str, start: int, end: int, paired: set[int]) -> str:
    out = []
    for index in range(start, end):
        char = text[index]
        if char in "{}":
            # BibTeX counts \{ as a brace too: a lone one would end the field.
            if index in paired:
                out.append("\\" + char)
            else:
                out.append(r"\textbraceleft{}" if char == "{" else r"\textbraceright{}")
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
    return any(c.isupper() for c in word[1:]) or (
        any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    )


def _protect(word: str, first: bool, sentence_case: bool) -> str:
    plural = re.fullmatch(r"([A-Z0-9]*[A-Z][A-Z0-9]*)s", word)
    if plural and len(plural.group(1)) > 1:
        return "{" + plural.group(1) + "}s"
    if _inner_caps(word) or (sentence_case and not first and word[0].isupper()):
        return "{" + word + "}"
    return word


def bibtex_title(title: str) -> str:
    """The title escaped, with acronyms and names braced: ``{CNN}s on {NeurIPS}``."""
    paired = _brace_pairs(title)
    matches = list(_WORD.finditer(title))
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
    if re.search(r"\sand\s", f" {family} ", re.IGNORECASE) or (
        not given and " " in family
    ):
        family = "{" + family + "}"  # one name: "{Smith and Sons}"
    if re.search(r"\sand\s|,", f" {given} ", re.IGNORECASE):
        given = "{" + given + "}"
    return f"{family}, {given}" if given else family


def bibtex_url(url: str) -> str:
    """URLs and DOIs are verbatim fields: only braces and backslashes must go."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unidecode(text).lower())


def base_key(paper) -> str:
    """``grabinski2022robust``: first author, year, first significant word."""
    family = ascii_word(paper.authors[0].family) if paper.authors else ""
    words = [w for w in _WORD.findall(paper.title) if w.lower() not in STOP_WORDS]
    word = next((ascii_word(w) for w in words if ascii_word(w)), "")
    return f"{family or 'anonymous'}{paper.date.year}{word}"


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


def short_venue(conference) -> str:
    """``NeurIPS 22`` -> ``NeurIPS 2022``; a title without a year gets one."""
    title, year = conference.title, str(conference.year)
    match = re.search(r"\s*['’]?(\d{4}|\d{2})$", title)
    if match and year.endswith(match.group(1)):
        return f"{title[: match.start()]} {year}".strip()
    return title if year in title else f"{title} {year}"


def _json_for_script(data) -> Markup:
    """JSON that cannot end its ``<script>``: ``<``, ``>`` and ``&`` as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


# --- one paper -------------------------------------------------------------


class PaperCitation:
    """Everything a paper's page, its card and the citation files say about it."""

    def __init__(self, citations: Citations, paper, key: str):
        self.citations = citations
        self.paper = paper
        self.key = key
        self.conference = paper.conference

    # what kind of publication

    @cached_property
    def journal(self) -> str:
        return str(getattr(self.paper, "journal", "") or "").strip()

    @cached_property
    def kind(self) -> str:
        return self.paper.kind

    @cached_property
    def entry_type(self) -> str:
        entry = kinds.BIBTEX_TYPES[self.kind]
        if entry == "inproceedings" and _PREPRINT.search(
            f"{self.paper.track} {getattr(self.paper, 'venue', '')}"
        ):
            return "misc"
        return entry

    @cached_property
    def publisher(self) -> str:
        """The Publisher: a thesis's school, a report's institution."""
        return getattr(self.paper, "publisher", "")

    @cached_property
    def pages(self) -> tuple[str, str]:
        return (
            getattr(self.paper, "first_page", ""),
            getattr(self.paper, "last_page", ""),
        )

    @cached_property
    def venue(self) -> str:
        """``NeurIPS 2022``; outside a conference, where the paper appeared."""
        if self.conference is None:
            paper = self.paper
            where = paper.publication
            return f"{paper.kind_label}, {where}" if where else paper.kind_label
        return short_venue(self.conference)

    @cached_property
    def workshop(self) -> str:
        """``MedNeurIPS Workshop`` (never "Workshop Workshop")."""
        name = self.paper.workshop
        if not name or re.search(r"\bworkshop\b", name, re.IGNORECASE):
            return name
        return f"{name} Workshop"

    @cached_property
    def booktitle(self) -> str:
        if self.conference is None:  # a chapter: the book is its Venue
            return getattr(self.paper, "venue", "")
        name = self.conference.display_name
        return f"{self.workshop}, {name}" if self.workshop else name

    @property
    def date(self):
        return self.paper.date

    @cached_property
    def arxiv(self) -> str | None:
        return getattr(self.paper, "arxiv", None)

    @cached_property
    def doi(self) -> str | None:
        return getattr(self.paper, "doi", None)

    @cached_property
    def pdf_url(self) -> str | None:
        link = self.paper.link("pdf")
        if link:
            return link.url
        return f"https://arxiv.org/pdf/{self.arxiv}" if self.arxiv else None

    @cached_property
    def same_as(self) -> list[str]:
        urls = []
        if self.doi:
            urls.append(f"https://doi.org/{self.doi}")
        if self.arxiv:
            urls.append(f"https://arxiv.org/abs/{self.arxiv}")
        return urls

    # URLs

    @cached_property
    def page_url(self) -> str | None:
        return self.citations.absolute(self.paper.url)

    @cached_property
    def image_url(self) -> str | None:
        if not self.paper.image:
            return None
        static = self.citations.context.get("static_content", {}).get(self.paper.image)
        return self.citations.absolute(static.url if static else self.paper.image)

    @cached_property
    def url(self) -> str | None:
        """The one URL of a reference: the page, else the PDF or arXiv."""
        return self.page_url or self.pdf_url or next(iter(self.same_as), None)

    def _file(self, name: str) -> str:
        pattern = setting(self.citations.settings, name)
        return pattern.format(
            conference=self.paper.conference_slug, slug=self.paper.slug
        )

    @cached_property
    def bib_url(self) -> str:
        return self._file("PAPER_BIB_SAVE_AS")

    @cached_property
    def csl_url(self) -> str:
        return self._file("PAPER_CSL_SAVE_AS")

    # BibTeX and CSL-JSON

    @cached_property
    def bibtex_fields(self) -> list[tuple[str, str]]:
        paper = self.paper
        fields = [
            ("author", " and ".join(bibtex_name(a) for a in paper.authors)),
            ("title", bibtex_title(paper.title)),
        ]
        fields += self._venue_fields()
        fields.append(("year", str(self.date.year)))
        if paper.date_precision != kinds.YEAR:  # never a month the file lacks
            # a macro, unbraced
            fields.append(("month", BIBTEX_MONTHS[self.date.month - 1]))
        if self.url:
            fields.append(("url", bibtex_url(self.url)))
        if self.doi:
            fields.append(("doi", bibtex_url(self.doi)))
        if self.arxiv:
            fields.append(("eprint", bibtex_url(self.arxiv)))
            fields.append(("archivePrefix", "arXiv"))
        if paper.tags:
            fields.append(("keywords", latex_escape(", ".join(paper.tags))))
        return fields

    def _venue_fields(self) -> list[tuple[str, str]]:
        """The fields of the entry type: where the paper appeared."""
        entry, paper = self.entry_type, self.paper
        fields: list[tuple[str, str]] = []
        if entry == "article":
            fields.append(("journal", self.journal))
            fields += [
                (name, getattr(paper, key, ""))
                for name, key in (("volume", "volume"), ("number", "issue"))
            ]
            first, last = self.pages
            fields.append(("pages", f"{first}--{last}" if last else first))
        elif entry in ("inproceedings", "incollection"):
            fields.append(("booktitle", self.booktitle))
            if self.conference is not None:
                fields.append(("address", self.conference.location))
        elif entry == "misc" and getattr(paper, "preprint", "") and not self.arxiv:
            fields.append(("howpublished", paper.preprint))
        name = {"phdthesis": "school", "techreport": "institution"}.get(entry)
        if name:
            fields.append((name, self.publisher))
        elif entry in ("article", "book", "incollection"):
            fields.append(("publisher", self.publisher))
        return [(name, latex_escape(value)) for name, value in fields if value]

    @cached_property
    def bibtex(self) -> str:
        width = max(len(name) for name, _ in self.bibtex_fields)
        lines = [
            f"  {name.ljust(width)} = {value if name == 'month' else '{' + value + '}'}"
            for name, value in self.bibtex_fields
        ]
        return f"@{self.entry_type}{{{self.key},\n" + ",\n".join(lines) + "\n}\n"

    @cached_property
    def csl(self) -> dict:
        paper = self.paper
        item: dict = {
            "id": self.key,
            "type": "article"
            if self.entry_type == "misc"
            else kinds.CSL_TYPES[self.kind],
            "title": paper.title,
            "author": [
                {"family": a.family, "given": a.given}
                if a.given
                else {"literal": a.family}
                for a in paper.authors
            ],
            "issued": {
                "date-parts": [kinds.date_parts(self.date, paper.date_precision)]
            },
        }
        if self.entry_type == "article":
            item["container-title"] = self.journal
            for name, key in (("volume", "volume"), ("issue", "issue")):
                if getattr(paper, key, ""):
                    item[name] = getattr(paper, key)
            if paper.pages_label:
                item["page"] = paper.pages_label.replace("\u2013", "-")
        elif self.entry_type in ("phdthesis", "techreport", "book"):
            if self.publisher:
                item["publisher"] = self.publisher
        elif self.entry_type == "incollection":
            if self.booktitle:
                item["container-title"] = self.booktitle
        elif self.entry_type == "inproceedings":
            item["container-title"] = self.booktitle
            item["event-title"] = self.conference.display_name
            if self.conference.location:
                item["event-place"] = self.conference.location
        elif self.arxiv:
            item["publisher"] = "arXiv"
            item["number"] = f"arXiv:{self.arxiv}"
        elif getattr(paper, "preprint", ""):
            item["publisher"] = paper.preprint
        if self.doi:
            item["DOI"] = self.doi
        if self.url:
            item["URL"] = self.url
        if paper.abstract_text:
            item["abstract"] = paper.abstract_text
        if paper.tags:
            item["keyword"] = ", ".join(paper.tags)
        return item

    @cached_property
    def text(self) -> str:
        """A plain reference: ``A, B and C. Title. In Venue, October 2022.``"""
        names = [a.name for a in self.paper.authors]
        authors = (
            ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        )
        title = self.paper.title
        title += "" if title.endswith(("?", "!", ".")) else "."
        # English month names whatever the build machine's locale is.
        precision = self.paper.date_precision
        when = kinds.date_label(
            self.date, kinds.MONTH if precision == kinds.DAY else precision
        )
        if self.entry_type == "article":
            where = f"{self.paper.publication}, {when}."
        elif self.entry_type == "misc":
            where = (
                f"Preprint arXiv:{self.arxiv}, {when}." if self.arxiv else f"{when}."
            )
        elif self.entry_type == "inproceedings":
            where = f"In {self.booktitle} ({self.venue}), {when}."
        else:
            where = f"{self.venue}, {when}."
        text = f"{authors}. {title} {where}"
        if self.doi:
            text += f" https://doi.org/{self.doi}"
        elif self.arxiv and self.entry_type != "misc":
            text += f" arXiv:{self.arxiv}."
        return text

    # the page's head

    @cached_property
    def highwire(self) -> list[tuple[str, str]]:
        """Google Scholar's ``citation_*`` tags, in its documented order."""
        paper = self.paper
        tags = [("citation_title", paper.title)]
        for author in paper.authors:
            name = f"{author.family}, {author.given}" if author.given else author.family
            tags.append(("citation_author", name))
        tags.append(
            (
                "citation_publication_date",
                kinds.highwire_date(self.date, paper.date_precision),
            )
        )
        tags += self._highwire_venue()
        if self.pdf_url:
            tags.append(("citation_pdf_url", self.pdf_url))
        if self.doi:
            tags.append(("citation_doi", self.doi))
        if self.arxiv:
            tags.append(("citation_arxiv_id", self.arxiv))
        if self.page_url:
            tags.append(("citation_abstract_html_url", self.page_url))
        tags += [("citation_keywords", tag) for tag in paper.tags]
        return tags

    def _highwire_venue(self) -> list[tuple[str, str]]:
        """The ``citation_*`` tags of the kind (Google Scholar's inclusion guide)."""
        entry, paper = self.entry_type, self.paper
        tags: list[tuple[str, str]] = []
        if entry == "article":
            first, last = self.pages
            tags += [
                ("citation_journal_title", self.journal),
                ("citation_volume", getattr(paper, "volume", "")),
                ("citation_issue", getattr(paper, "issue", "")),
                ("citation_firstpage", first),
                ("citation_lastpage", last),
                ("citation_publisher", self.publisher),
            ]
        elif entry == "inproceedings" and self.conference is not None:
            tags.append(("citation_conference_title", self.conference.display_name))
        elif entry == "phdthesis":
            tags.append(("citation_dissertation_institution", self.publisher))
        elif entry == "techreport":
            tags.append(("citation_technical_report_institution", self.publisher))
        elif entry in ("book", "incollection"):
            tags += [
                ("citation_inbook_title", self.booktitle),
                ("citation_publisher", self.publisher),
            ]
        return [(name, value) for name, value in tags if value]

    @cached_property
    def description(self) -> str:
        text = self.paper.abstract_text
        return text if len(text) <= 300 else text[:299].rsplit(" ", 1)[0] + "…"

    @cached_property
    def open_graph(self) -> list[tuple[str, str]]:
        tags = [
            ("og:type", "article"),
            ("og:title", self.paper.title),
            ("og:site_name", self.citations.site_name),
        ]
        if self.description:
            tags.append(("og:description", self.description))
        if self.page_url:
            tags.append(("og:url", self.page_url))
        if self.image_url:
            tags += [
                ("og:image", self.image_url),
                ("og:image:alt", f"Figure of “{self.paper.title}”"),
            ]
        tags.append(("article:published_time", self.paper.date_iso))
        return tags

    @cached_property
    def twitter(self) -> list[tuple[str, str]]:
        card = "summary_large_image" if self.image_url else "summary"
        tags = [("twitter:card", card), ("twitter:title", self.paper.title)]
        if self.description:
            tags.append(("twitter:description", self.description))
        if self.image_url:
            tags += [
                ("twitter:image", self.image_url),
                ("twitter:image:alt", f"Figure of “{self.paper.title}”"),
            ]
        return tags

    @cached_property
    def json_ld_data(self) -> dict:
        paper = self.paper
        authors = []
        for author in paper.authors:
            person = {"@type": "Person", "name": author.name}
            if author.given:
                person["givenName"] = author.given
            person["familyName"] = author.family
            member = self.citations.member_url(author.name)
            if member and _is_absolute(member):
                person["url"] = member
            authors.append(person)
        part_of = self._json_ld_part_of()
        data: dict = {
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "name": paper.title,
            "headline": paper.title[:110],
            "author": authors,
            "datePublished": paper.date_iso,
        }
        if paper.abstract_text:
            data["abstract"] = paper.abstract_text
        if self.page_url:
            data["url"] = self.page_url
        if self.image_url:
            data["image"] = self.image_url
        if part_of:
            data["isPartOf"] = part_of
        first, last = self.pages
        if self.entry_type == "article" and first:
            data["pageStart"] = first
            if last:
                data["pageEnd"] = last
        if self.publisher and self.entry_type != "inproceedings":
            key = (
                "sourceOrganization"
                if self.kind in ("thesis", "report")
                else "publisher"
            )
            data[key] = {"@type": "Organization", "name": self.publisher}
        if self.same_as:
            data["sameAs"] = self.same_as
        if self.pdf_url:
            data["encoding"] = {
                "@type": "MediaObject",
                "contentUrl": self.pdf_url,
                "encodingFormat": "application/pdf",
            }
        if paper.tags:
            data["keywords"] = list(paper.tags)
        return data

    def _json_ld_part_of(self) -> dict | None:
        """The conference (a CreativeWork), or the journal as schema.org nests
        it: PublicationIssue in PublicationVolume in Periodical."""
        paper, conference = self.paper, self.conference
        if self.entry_type == "article":
            part: dict = {"@type": "Periodical", "name": self.journal}
            if self.publisher:
                part["publisher"] = {"@type": "Organization", "name": self.publisher}
            if getattr(paper, "volume", ""):
                part = {
                    "@type": "PublicationVolume",
                    "volumeNumber": paper.volume,
                    "isPartOf": part,
                }
            if getattr(paper, "issue", ""):
                part = {
                    "@type": "PublicationIssue",
                    "issueNumber": paper.issue,
                    "isPartOf": part,
                }
            return part
        if conference is None:
            return None
        part_of: dict = {
            "@type": "CreativeWork",
            "name": self.booktitle,
            "alternateName": self.venue,
        }
        conference_url = self.citations.absolute(conference.url)
        if conference_url:
            part_of["url"] = conference_url
        return part_of

    @cached_property
    def json_ld(self) -> Markup:
        return _json_for_script(self.json_ld_data)

    @cached_property
    def coins(self) -> Markup:
        """A COinS span (OpenURL 1.0 KEV) that Zotero finds on a list of papers."""
        pairs = [("ctx_ver", "Z39.88-2004"), *self._coins_venue()]
        pairs.append(("rft.date", self.paper.date_iso))
        if self.paper.authors:
            first = self.paper.authors[0]
            pairs.append(("rft.aulast", first.family))
            if first.given:
                pairs.append(("rft.aufirst", first.given))
        pairs += [("rft.au", a.name) for a in self.paper.authors]
        if self.doi:
            pairs.append(("rft_id", f"info:doi/{self.doi}"))
        if self.arxiv:
            pairs.append(("rft_id", f"info:arxiv/{self.arxiv}"))
        if self.url:
            pairs.append(("rft_id", self.url))
        title = urlencode(pairs, quote_via=quote)
        return Markup('<span class="Z3988" title="{}"></span>').format(title)

    def _coins_venue(self) -> list[tuple[str, str]]:
        """The OpenURL format and genre of the kind, with its venue's keys."""
        entry, title = self.entry_type, self.paper.title
        book = "info:ofi/fmt:kev:mtx:book"
        if entry == "inproceedings":
            return [
                ("rft_val_fmt", book),
                ("rft.genre", "proceeding"),
                ("rft.atitle", title),
                ("rft.btitle", self.booktitle),
            ]
        if entry == "phdthesis":
            pairs = [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation")]
            pairs += [("rft.title", title), ("rft.inst", self.publisher)]
        elif entry in ("book", "incollection", "techreport"):
            genre = {"book": "book", "incollection": "bookitem"}.get(entry, "report")
            pairs = [("rft_val_fmt", book), ("rft.genre", genre)]
            pairs += [("rft.btitle" if entry == "book" else "rft.atitle", title)]
            pairs += [("rft.pub", self.publisher)]
        else:
            first, last = self.pages
            pairs = [
                ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
                ("rft.genre", "article" if self.journal else "preprint"),
                ("rft.atitle", title),
                ("rft.jtitle", self.journal),
                ("rft.volume", getattr(self.paper, "volume", "")),
                ("rft.issue", getattr(self.paper, "issue", "")),
                ("rft.spage", first),
                ("rft.epage", last),
            ]
        return [(key, value) for key, value in pairs if value]


def _is_absolute(url: str) -> bool:
    """True for an http(s) URL with a host (JSON-LD wants absolute ones)."""
    return url.startswith(("https://", "http://"))


# --- the whole lab ---------------------------------------------------------


class Citations:
    """The citations of one build; keys are made once for the whole lab."""

    def __init__(self, generator):
        self.generator = generator
        self.settings = generator.settings
        self.context = generator.context
        self.siteurl = str(self.settings.get("SITEURL") or "").rstrip("/")
        self.site_name = re.sub(r"<[^>]*>", "", str(self.settings.get("SITENAME", "")))
        self._papers: dict[int, PaperCitation] = {}

    @cached_property
    def keys(self) -> dict[int, str]:
        return assign_keys(self.generator.papers)

    def paper(self, paper) -> PaperCitation:
        if id(paper) not in self._papers:
            # A paper outside the build's list (a theme's own use) gets its base key.
            key = self.keys.get(id(paper)) or base_key(paper)
            self._papers[id(paper)] = PaperCitation(self, paper, key)
        return self._papers[id(paper)]

    def coins(self, paper) -> Markup:
        return self.paper(paper).coins

    def venue(self, conference) -> str:
        return short_venue(conference)

    def absolute(self, url: str) -> str | None:
        """An absolute URL on this site, or None while SITEURL is empty."""
        return f"{self.siteurl}/{url}" if self.siteurl else None

    def member_url(self, name: str) -> str | None:
        """The member page of an author, where MEMBERS maps names to URLs."""
        return self.generator.members.get(name)

    def conference_file(self, conference, name: str) -> str:
        return setting(self.settings, name).format(slug=conference.slug)

    # files

    def bibtex_file(self, papers, header: str) -> str:
        entries = "\n".join(self.paper(p).bibtex for p in papers)
        return f"% {header}\n% Generated by pelican-conference-papers.\n\n{entries}"

    @staticmethod
    def csl_file(items) -> str:
        # One citation a line: readable, and json's fast C encoder (indent is not).
        lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
        return f"[\n{lines}\n]\n" if items else "[]\n"


def citations_of(generator) -> Citations:
    found = generator.context.get("conference_papers_citations")
    return found if isinstance(found, Citations) else Citations(generator)


def write_citations(generator) -> int:
    """Write the BibTeX and CSL-JSON files (the generator calls it after the pages);
    how many were written."""
    citations = citations_of(generator)
    settings = generator.settings
    site = citations.site_name or "the lab"
    written = 0

    def put(relative: str, text: str) -> None:
        nonlocal written
        if relative:  # "" in a ..._SAVE_AS setting: not wanted
            written += write_output_file(generator.output_path, relative, text)

    for paper in generator.papers:
        cite = citations.paper(paper)
        put(cite.bib_url, citations.bibtex_file([paper], paper.title))
        put(cite.csl_url, citations.csl_file([cite.csl]))
    for conference in generator.conferences:
        header = f"Papers of {site} at {conference.display_name}"
        put(
            citations.conference_file(conference, "CONFERENCE_BIB_SAVE_AS"),
            citations.bibtex_file(conference.papers, header),
        )
        put(
            citations.conference_file(conference, "CONFERENCE_CSL_SAVE_AS"),
            citations.csl_file([citations.paper(p).csl for p in conference.papers]),
        )
    # Conference papers in the order of their pages, then every other paper.
    everything = [p for c in generator.conferences for p in c.papers]
    everything += [p for p in generator.papers if p.conference is None]
    put(
        setting(settings, "LAB_BIB_SAVE_AS"),
        citations.bibtex_file(everything, f"Papers of {site}"),
    )
    put(
        setting(settings, "LAB_CSL_SAVE_AS"),
        citations.csl_file([citations.paper(p).csl for p in everything]),
    )
    logger.info("conference_papers: wrote %d BibTeX and CSL-JSON files", written)
    return written
