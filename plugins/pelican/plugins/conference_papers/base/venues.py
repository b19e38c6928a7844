"""Where a work appeared, read from what a source says: a leaf, above ``text`` only.

Every importer (Jekyll pages, al-folio BibTeX, lab-website-template data) and the
OpenAlex sync meets the same question: is "Proceedings of the IEEE/CVF Winter
Conference on Applications of Computer Vision (WACV)" a conference, which edition
is it, and what is its slug? Each used to guess on its own, and each guessed
differently ("Annual International Conference on 2016" from a name cut at 40
characters, "ICML 24 2024" from a year added twice). One recogniser answers it
once, from whatever the source gives: the venue text, an acronym (LWT's
``publishershort``, al-folio's ``abbr``, a DBLP key ``conf/cvpr/...``), a BibTeX
entry type, a year, and OpenAlex's source type.

Rules the pages rely on:

- Names are kept as the source writes them: never cut, never re-capitalised
  ("eLife" stays "eLife"); only HTML tags, LaTeX braces and the notes that are
  not part of a name ("Oral", "Best Paper Award", "Munich, Germany") come off,
  and those notes are kept in :attr:`Venue.notes`.
- A year comes from the source (the text first, then the year given); a month
  or a day is never made up.
- An edition is ``<acronym>-<yyyy>`` as a slug and ``<acronym> <yy>`` as its
  title, the lab's convention (``neurips-2022``, "NeurIPS 22").
- A conference's workshops are its edition's "Workshop Paper" track, however
  written ("CVPR Workshops", "CVPRW", "... Pattern Recognition Workshops",
  "Workshop on X, CVPR 2021"): the slug is the main track's, the host's name
  loses "Workshops", and a workshop's own name goes to ``workshop``.
- Pure functions and frozen values: nothing here reads a file or the network,
  so the answer for one input never changes and the tests can table it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from .kinds import TYPES
from .text import clean_text, drop_tags, strip_html

#: What a work can be: DESIGN.md's ``Type:`` values, from the one list in kinds.py.
KINDS = TYPES

#: The longest venue text read; a longer one is a problem, not a name (the
#: workshop patterns try each "workshop" in a text: bounded, they stay fast).
MAX_VENUE = 500

#: The track a workshop paper goes to on its conference's page.
WORKSHOP_TRACK = "Workshop Paper"


@dataclass(frozen=True)
class Venue:
    """What :func:`recognise` found. Empty strings where the source says nothing."""

    #: one of :data:`KINDS`, or "" when the source says too little (see ``problem``)
    kind: str
    #: the conference's, journal's, series' or server's name as the source spells it
    name: str = ""
    #: "WACV", "NeurIPS", "USENIX ATC"; for a journal its abbreviation if given
    acronym: str = ""
    #: four digits, from the source only
    year: str = ""
    #: the conference edition's slug ("wacv-2024"); conferences and workshops only
    slug: str = ""
    #: the edition's title as the lab writes it ("WACV 24")
    title: str = ""
    #: a workshop's own name ("eCVX"); "" when the source does not name it
    workshop: str = ""
    #: "Workshop Paper" for workshops, or a track the source names ("Industry Track")
    track: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    #: an arXiv identifier found in the venue text ("arXiv preprint arXiv:2210.05938")
    arxiv: str = ""
    #: what the source adds that is no name: presentation, award, place, dates
    notes: tuple[str, ...] = ()
    #: why this kind was chosen, for a report ("the word 'Conference'")
    reason: str = ""
    #: what is wrong and what to write instead, when ``kind`` is ""
    problem: str = ""

    @property
    def journal(self) -> str:
        return self.name if self.kind == "journal" else ""

    @property
    def server(self) -> str:
        return self.name if self.kind == "preprint" else ""


# --- the words that say what a venue is -----------------------------------------

# Each word ends where no letter follows, not at "\b": after "Conf." a space
# is no word boundary, and "Intl. Conf. on Robotics" was read as a journal.
_CONFERENCE_WORDS = re.compile(
    r"\b(conference|conf\.|symposium|symp\.|congress|colloquium|meeting|summit"
    r"|workshops?|proceedings of (?:the )?\d+(?:st|nd|rd|th))(?!\w)",
    re.I,
)
#: The words that name a host conference, not a workshop: a name with one of
#: them and "Workshops" is the conference's workshops, not a workshop's name.
_HOST_WORDS = re.compile(r"\b(conference|conf\.|symposium|symp\.|congress)(?!\w)", re.I)
_JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|trans\.|letters|magazine|reviews?|reports|bulletin"
    r"|annals|quarterly)(?!\w)",
    re.I,
)
# "Proceedings of the VLDB Endowment", "... of the ACM on Management of Data",
# "... of the National Academy of Sciences": journals whose title starts so.
_PROCEEDINGS = re.compile(r"^proceedings of\b", re.I)
_WORKSHOP_WORD = re.compile(r"\bworkshops?\b", re.I)
_THESIS_WORDS = re.compile(r"\b(thesis|dissertation)\b", re.I)
_REPORT_WORDS = re.compile(r"\b(technical report|tech\. rep\.|white paper)\b", re.I)
_SERIES_WORDS = re.compile(r"\blecture notes in\b", re.I)
# Presentation and award notes, inside parentheses, after a dash, or in bold.
_NOTE_WORDS = re.compile(
    r"\b(oral|spotlight|highlight|poster|award|honou?rable mention|runner[- ]up"
    r"|best (?:student )?paper|invited|accepted|to appear|in press)\b",
    re.I,
)
# Proceedings whose title names no conference, though they are one.
_PROCEEDINGS_TITLES = re.compile(
    r"^advances in neural information processing systems\b", re.I
)
_TRACK_NOTE = re.compile(r"\btrack\b", re.I)
# "CVPR Workshops", "CVPR 2021 Workshops", "ICCV'19 Workshop", "NeurIPS Workshop
# on Robot Learning": a conference's acronym, its workshops, maybe which one.
_ACRONYM_WORKSHOPS = re.compile(
    r"^(?P<acr>[\w&+./-]{2,16})(?:\s*'|\s+)?(?P<y1>(?:19|20)\d{2}|\d{2})?"
    r"\s+workshops?(?:\s*'?(?P<y2>(?:19|20)\d{2}|\d{2}))?(?:\s+(?P<on>on\s.+))?$",
    re.I,
)
# "..., Workshop Proceedings", "... Workshops": what a host's name ends with.
_WORKSHOPS_SUFFIX = re.compile(r",?\s+workshops?(?:\s+proceedings)?$", re.I)
#: Acronyms ending in "W" that are conferences, not a conference's workshops
#: ("CVPRW", "ICCVW" are workshops).
_W_CONFERENCES = {"CSCW", "WWW"}
# "In Proceedings of ...", "In CVPR": the citation's "In", not the venue's name
# (a journal may start with "In": "In Vivo" keeps it).
_CITATION_IN = re.compile(r"^(?i:in):?\s+(?=(?i:proceedings|the)\b|[A-Z]{2})")

#: Preprint servers with their own spelling; others are kept as written.
_SERVERS = {
    "arxiv": "arXiv",
    "biorxiv": "bioRxiv",
    "medrxiv": "medRxiv",
    "chemrxiv": "ChemRxiv",
    "openrxiv": "openRxiv",
    "techrxiv": "TechRxiv",
    "psyarxiv": "PsyArXiv",
    "socarxiv": "SocArXiv",
    "eartharxiv": "EarthArXiv",
    "engrxiv": "engrXiv",
    "ssrn": "SSRN",
    "research square": "Research Square",
    "preprints.org": "Preprints.org",
    "osf preprints": "OSF Preprints",
    "hal": "HAL",
    "zenodo": "Zenodo",
    "corr": "arXiv",  # DBLP's name for arXiv
}
_SERVER = re.compile(
    r"(?<![\w.])([A-Za-z]*[rR][xX][iI][vV]|SSRN|Research Square|Preprints\.org"
    r"|OSF Preprints"
    r"|CoRR)(?![\w])",
)
_ARXIV_ID = re.compile(
    r"(?:arxiv\s*[:/]?\s*|abs/)((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
    re.I,
)

# An acronym token: two capitals at least (CVPR, NeurIPS, eCVX, ECCV-W, RA-L).
_ACRONYM = re.compile(r"^[A-Za-z0-9&+./-]*[A-Z][A-Za-z0-9&+./-]*[A-Z][\w&+./-]*$")
# An acronym and a year: "CVPR 2020", "ICML 24", "CVPR'21", "IJCAI-19".
_ACRONYM_YEAR = re.compile(
    r"^(?P<acr>\S+?(?: \S+?)?)(?:\s*'|\s+|-)(?P<year>(?:19|20)\d{2}|\d{2})$"
)
_YEAR4 = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
_ORDINAL = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety)-?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|fortieth|fiftieth))\s+",
    re.I,
)


def _first_bold(raw: str) -> str:
    """The text of the first ``<b>…</b>``, found with two searches (a lazy regex
    retries from every "<b>" and is quadratic in a run of them)."""
    lower = raw.lower()
    start = lower.find("<b>")
    end = lower.find("</b>", start + 3) if start >= 0 else -1
    return raw[start + 3 : end] if end >= 0 else ""


#: BibTeX entry types that say the kind on their own.
_ENTRY_KINDS = {
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "book": "book",
    "proceedings": "book",
    "incollection": "chapter",
    "inbook": "chapter",
}
_ENTRY_CONFERENCE = {"inproceedings", "conference"}
_ENTRY_JOURNAL = {"article"}
#: OpenAlex source types.
_SOURCE_KINDS = {
    "journal": "journal",
    "conference": "conference",
    "repository": "preprint",
    "book series": "chapter",
    "ebook platform": "book",
}
#: DBLP keys whose venue part is not the acronym the lab writes.
_DBLP_ACRONYMS = {"nips": "NeurIPS", "corr": "CoRR"}


def two_digit_year(year: str) -> str:
    """ "2024" -> "24": the lab's way of writing an edition's year in a title."""
    return year[-2:]


def edition_slug(acronym_or_name: str, year: str) -> str:
    """``wacv-2024``: lower case, one hyphen between words, the year last;
    accents come off ("Tübingen AI Days" is ``tubingen-ai-days``)."""
    ascii_name = unicodedata.normalize("NFKD", acronym_or_name)
    ascii_name = "".join(c for c in ascii_name if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return "-".join(part for part in (words, year) if part)


#: Words a series' name may carry or not from one edition to the next.
_SERIES_NOISE = re.compile(
    r"\b(?:ieee|acm|ifip|cvf|rsj|usenix|annual|the|proceedings of)\b|"
    r"\b(?:19|20)\d{2}\b|\b\d+(?:st|nd|rd|th)\b",
    re.I,
)


def series_key(name: str) -> str:
    """What the editions of one series share in their names, for matching them:
    "Proceedings of the 28th ACM International Conference on Architectural
    Support for ..." and "ACM International Conference on Architectural Support
    for ..." give one key. "" when too little is left to match safely."""
    words = _SERIES_NOISE.sub(" ", _bare_name(clean_text(name or "")).lower())
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", words).split())
    words = " ".join(w for w in words.split() if not _ORDINAL.match(w + " "))
    return words if len(words.split()) >= 3 else ""


def recognise(  # noqa: PLR0913 - keyword-only: a source's fields, each named
    venue: str = "",
    *,
    acronym: str = "",
    entry_type: str = "",
    year: str | int = "",
    source_type: str = "",
    volume: str = "",
    issue: str = "",
    pages: str = "",
) -> Venue:
    """The :class:`Venue` a source describes; see the module docstring."""
    text, bold, notes = _clean(venue)
    if len(text) > MAX_VENUE:
        # No venue's name is this long (DBLP's longest, places and dates
        # included, are under 300): an attacker's file, or a field run together.
        return Venue(
            kind="",
            problem=(
                f"the venue '{text[:60]}...' is {len(text)} characters long, more"
                f" than {MAX_VENUE}; write 'Conference: <slug>', 'Journal: <name>'"
                " or 'Preprint: arXiv'"
            ),
        )
    hint, dblp_kind = _acronym_hint(acronym)
    if not hint and bold and not _NOTE_WORDS.search(bold):
        hint = bold
    given_year = _year_of(year)
    entry = (entry_type or "").strip().lstrip("@").lower()
    source = (source_type or "").strip().lower()

    kind, reason = _kind(text, hint, entry, source, dblp_kind)
    if not kind:
        shown = venue.strip() or "(nothing)"
        return Venue(
            kind="",
            notes=notes,
            problem=(
                f"cannot tell where {shown!r} appeared; write 'Conference: <slug>',"
                " 'Journal: <name>' or 'Preprint: arXiv'"
            ),
        )
    given = _Given(hint, given_year, notes, reason)
    if kind == "preprint":
        return _preprint(text, given)
    if kind in ("conference", "workshop"):
        return _edition(text, given, kind)
    name = text or hint
    short = re.search(r"\s*\(([^()]+)\)$", name)
    if short and _is_short_name(short.group(1), ""):
        name, hint = name[: short.start()], hint or short.group(1)
    found = _YEAR4.search(text)
    return Venue(
        kind=kind,
        name=name,
        acronym=hint if hint != name else "",
        year=found.group(1) if found and kind != "journal" else given_year,
        notes=notes,
        reason=reason,
        **(
            {"volume": _one(volume), "issue": _one(issue), "pages": _one(pages)}
            if kind in ("journal", "chapter", "book")
            else {}
        ),
    )


# --- steps ----------------------------------------------------------------------


def _one(value) -> str:
    return clean_text(str(value or ""))


def _year_of(value: str | int) -> str:
    """A year given beside the venue: ``2022``, ``"2022"`` or ``"2022-10-11"``."""
    match = re.match(r"^\s*((?:19|20)\d{2})(?:-\d{1,2}(?:-\d{1,2})?)?\s*$", str(value))
    return match.group(1) if match else ""


def _clean(venue: str) -> tuple[str, str, tuple[str, ...]]:
    """``(text, bold, notes)``: the name without markup, its bold part, its notes."""
    raw = html.unescape(str(venue or ""))
    notes: list[str] = []
    bold = clean_text(drop_tags(_first_bold(raw)))
    text = drop_tags(raw)
    text = text.replace("\\&", "&").replace("{", "").replace("}", "")
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", clean_text(text))).strip(" *_")
    # A leading bold award ("<b>Best Paper Award-Honorable Mention!</b> Symposium on").
    if bold and _NOTE_WORDS.search(bold) and text.startswith(bold):
        notes.append(bold.rstrip("!"))
        text = text[len(bold) :].strip()
    # "(CVPR - Oral)": the note inside the acronym's parentheses.
    text = re.sub(
        r"\(([^()]*?)\s+-\s+([^()]*)\)",
        lambda m: _split_note(m, notes),
        text,
    )
    # "(Best Paper Award)", "(Oral)": parentheses that are only a note.
    for match in list(re.finditer(r"\(([^()]*)\)", text)):
        if _NOTE_WORDS.search(match.group(1)):
            notes.append(match.group(1).strip())
            text = text.replace(match.group(0), " ")
    # "... (ECCV) and CLVision Workshop at CVPR": the first venue is the one.
    also = re.match(r"^(.*\([^()]+\))\s+and\s+(.+)$", text)
    if also and _CONFERENCE_WORDS.search(also.group(1)):
        text = also.group(1)
        notes.append(also.group(2))
    text = clean_text(text).strip(" ,;:-")
    text = _CITATION_IN.sub("", text)
    return text, re.sub(r"\s+-\s+.*$", "", bold).strip(), tuple(notes)


def _split_note(match: re.Match, notes: list[str]) -> str:
    if _NOTE_WORDS.search(match.group(2)):
        notes.append(match.group(2).strip())
        return f"({match.group(1)})"
    return match.group(0)


def _acronym_hint(acronym: str) -> tuple[str, str]:
    """``(acronym, kind)`` of a short name or a DBLP key ("conf/cvpr/X21")."""
    value = strip_html(acronym).strip("{} ")
    dblp = re.match(r"^(?:DBLP:)?(conf|journals)/([\w-]+)(?:/|$)", value)
    if dblp:
        part = dblp.group(2)
        kind = "conference" if dblp.group(1) == "conf" else "journal"
        if part == "corr":
            return "arXiv", "preprint"
        return _DBLP_ACRONYMS.get(part, part.upper()), kind
    return value, ""


def _kind(text: str, hint: str, entry: str, source: str, dblp: str) -> tuple[str, str]:
    """``(kind, reason)``: the text first where it is clear, then the source's types."""
    if entry in _ENTRY_KINDS:
        return _ENTRY_KINDS[entry], f"the entry type @{entry}"
    if _is_preprint(text, hint) or dblp == "preprint" or source == "repository":
        return "preprint", "a preprint server's name"
    return (
        _kind_by_words(text, hint)
        or _kind_by_source(entry, source, dblp)
        or _kind_by_shape(text, hint)
    )


def _kind_by_words(text: str, hint: str) -> tuple[str, str] | None:
    """The words of the venue's name: 'thesis', 'Conference', 'Journal', ..."""
    if _THESIS_WORDS.search(text):
        return "thesis", "the word 'thesis'"
    if _REPORT_WORDS.search(text):
        return "report", "the words 'technical report'"
    conference = _CONFERENCE_WORDS.search(text)
    journal = _JOURNAL_WORDS.search(text)
    if conference and _WORKSHOP_WORD.search(text):
        return "workshop", "the word 'Workshop'"
    if conference and not journal:
        return "conference", f"the word {conference.group(1)!r}"
    if journal and not conference:
        return "journal", f"the word {journal.group(1)!r}"
    return _kind_by_title(text, hint)


def _kind_by_title(text: str, hint: str) -> tuple[str, str] | None:
    """Names that are a venue's without a conference word."""
    if _PROCEEDINGS_TITLES.match(text):
        return "conference", "the title of NeurIPS' proceedings"
    if _workshop_acronym(text) or _workshop_acronym(hint):
        return "workshop", "a workshop's acronym (-W, @)"
    return None


def _kind_by_source(entry: str, source: str, dblp: str) -> tuple[str, str] | None:
    """The type the source gives (OpenAlex's, DBLP's key, the entry type)."""
    typed = (
        _SOURCE_KINDS.get(source)
        or dblp
        or ("conference" if entry in _ENTRY_CONFERENCE else "")
        or ("journal" if entry in _ENTRY_JOURNAL else "")
    )
    return (typed, "the source's type") if typed else None


def _kind_by_shape(text: str, hint: str) -> tuple[str, str]:
    """The last resort: how the name is written; ``("", "")`` when it tells nothing."""
    if re.search(r"\([^()]{1,30}\)(?:\s*-\s*[^()]*\btrack)?$", text, re.I):
        return "conference", "a name with its acronym (the lab-website-template way)"
    if _SERIES_WORDS.search(text):
        return "chapter", "a book series ('Lecture Notes in')"
    if _PROCEEDINGS.match(text):
        return "journal", "a 'Proceedings of' without a conference word"
    if _leading_acronym(text) or (not text and hint):
        return "conference", "an acronym alone (the lab-website-template convention)"
    if text:
        return "journal", "a name without a conference word"
    return "", ""


def _is_preprint(text: str, hint: str) -> bool:
    found = _SERVER.search(text)
    if found and (found.start() == 0 or re.search(r"\bpreprint\b", text, re.I)):
        return True
    if re.match(r"^(?:[\w ]+ )?preprint\b", text, re.I):
        return True
    return hint.lower() in _SERVERS and not text


def _workshop_acronym(text: str) -> bool:
    """ "ECCV-W", "NeurIPS-W", "LBD@ISMIR", "ICCVW" beside 'Workshop'."""
    return any(
        token.endswith("-W") or ("@" in token and len(token) > 2)
        for token in re.split(r"[\s,()]+", text)
    )


def _leading_acronym(text: str) -> str:
    """The acronym a short text is: "BMVC", "NeurIPS 2022", "ICML 24", "CVPR'21"."""
    match = _ACRONYM_YEAR.match(text)
    candidate = match.group("acr") if match else text
    tokens = candidate.split()
    if 1 <= len(tokens) <= 2 and all(
        len(t) <= 16 and _ACRONYM.match(t) for t in tokens
    ):
        return candidate
    return ""


@dataclass(frozen=True)
class _Given:
    """What a source gives beside the venue's text."""

    hint: str  # the acronym (al-folio's abbr, a DBLP key's, a bold part)
    year: str
    notes: tuple[str, ...]
    reason: str  # why the venue is of its kind


def _preprint(text: str, given: _Given) -> Venue:
    hint = given.hint
    found = _SERVER.search(text) or _SERVER.search(hint)
    written = found.group(1) if found else (text or hint)
    canonical = _SERVERS.get(written.lower(), "")
    if written.islower() or written.isupper() or written == "CoRR":
        written = canonical or written
    arxiv = _ARXIV_ID.search(text)
    year = _YEAR4.search(re.sub(_ARXIV_ID, "", text))
    return Venue(
        kind="preprint",
        name=written or "arXiv",
        year=year.group(1) if year else given.year,
        arxiv=arxiv.group(1) if arxiv else "",
        notes=given.notes,
        reason=given.reason,
    )


def _edition(text: str, given: _Given, kind: str) -> Venue:
    """A conference edition, or a workshop and the edition it was part of."""
    notes_list = list(given.notes)
    text, kind, workshop = _edition_text(text, kind, notes_list)
    name, acronym, year, track = _name_acronym_year(text, notes_list)
    if not acronym and given.hint and given.hint.lower() != name.lower():
        acronym = given.hint
    base = _workshop_base(acronym, kind, text)
    if base:
        kind, acronym = "workshop", base
    if _WORKSHOP_WORD.search(name) and workshop is None:
        kind = "workshop"
        workshop, name = _workshop_of_name(name, acronym)
    if kind == "workshop" and _HOST_WORDS.search(name):
        # "European Conference on Computer Vision, Workshop Proceedings": the host
        name = _WORKSHOPS_SUFFIX.sub("", name)
    year = year or given.year
    slug, title = _edition_slug_title(name, acronym, year)
    if kind == "workshop":
        track = track or WORKSHOP_TRACK
    problem = ""
    if not year:
        slug = ""
        problem = (
            f"the year of {title or name!r} is not known; give the paper a"
            " 'Date: YYYY' or write its conference as 'Conference: <acronym>-<yyyy>'"
        )
    return Venue(
        kind=kind,
        name=name if name != acronym else "",
        acronym=acronym,
        year=year,
        slug=slug,
        title=title,
        workshop=(workshop or "") if kind == "workshop" else "",
        track=track,
        notes=tuple(notes_list),
        reason=given.reason,
        problem=problem,
    )


def _edition_text(
    text: str, kind: str, notes: list[str]
) -> tuple[str, str, str | None]:
    """``(text, kind, workshop)``: the edition's text without its volume (a
    note) and, for a workshop, without the workshop's name (None: no workshop
    named, "": the conference's workshops)."""
    text = text.rstrip(" .")
    volume = re.search(r",\s*(Volume \d+)$", text)
    if volume:
        notes.append(volume.group(1))
        text = text[: volume.start()]
    workshop, host = _workshop_parts(text)
    if workshop is not None:
        return host, "workshop", workshop
    short = _ACRONYM_WORKSHOPS.match(text)
    if short and _leading_acronym(short.group("acr")):
        # "CVPR Workshops 2016": the edition is CVPR 2016's; "... on X" names one.
        workshop = ("Workshop " + short.group("on")) if short.group("on") else ""
        text = " ".join(
            part
            for part in (short.group("acr"), short.group("y1") or short.group("y2"))
            if part
        )
        return text, "workshop", workshop
    return text, kind, None


def _workshop_base(acronym: str, kind: str, text: str) -> str:
    """The conference's acronym of a workshop's ("CVPRW", "ECCV-W"), or ""."""
    for suffix in ("-W", "W"):
        base = acronym[: -len(suffix)]
        if (
            acronym.endswith(suffix)
            and len(base) >= (3 if suffix == "W" else 2)
            and _w_is_workshop(suffix, acronym, kind, text)
        ):
            return base
    return ""


def _w_is_workshop(suffix: str, acronym: str, kind: str, text: str) -> bool:
    """Whether the W an acronym ends with means 'Workshop'."""
    return bool(
        suffix == "-W"
        or kind == "workshop"
        or _WORKSHOP_WORD.search(text)
        # "CVPRW" alone; "CSCW" is a conference
        or (acronym.upper() not in _W_CONFERENCES and acronym[-2:-1] != "W")
    )


def _workshop_of_name(name: str, acronym: str) -> tuple[str, str]:
    """``(workshop, name)`` of a name with the word 'Workshop'."""
    if _HOST_WORDS.search(name) or re.search(r"\bworkshops\b", name, re.I):
        # "2016 IEEE Conference on ... Workshops": the conference's workshops,
        # no workshop's name; the edition is the conference's own.
        return "", _WORKSHOPS_SUFFIX.sub("", name)
    # "Workshop on Autonomous Driving, CVPR 2021": the workshop's name;
    # the edition's name is its host's, which this text does not give.
    return name, "" if acronym else name


def _edition_slug_title(name: str, acronym: str, year: str) -> tuple[str, str]:
    """``(slug, title)`` of an edition: "CVPR 22", or the bare name and year."""
    label = acronym or _bare_name(name, year)
    slug = edition_slug(label, year) if label else ""
    title = f"{label} {two_digit_year(year)}" if acronym and year else label
    if not acronym and year:
        title = f"{label} {year}"
    return slug, title


def _workshop_parts(text: str) -> tuple[str | None, str]:
    """``(workshop name, host conference text)``, or ``(None, text)``."""
    patterns = (
        # "eCVX Workshop at ECCV 24", "ADMS workshop @VLDB", "X Workshop co-located
        # with Y"
        r"^(?P<ws>.+?)\s+workshops?\s*(?:at|@|in conjunction with|co-located with)\s*"
        r"(?P<host>.+)$",
        # "MLMI 2020, Held in Conjunction with MICCAI 2020"
        r"^(?P<ws>.+?),?\s+held in conjunction with\s+(?P<host>.+)$",
        # "LBD@ISMIR"
        r"^(?P<ws>[^@\s]+)\s*@\s*(?P<host>\S+(?:\s+'?\d{2,4})?)$",
        # "Continual Learning in Computer Vision Workshop, CVPR-W"
        r"^(?P<ws>[^,]+?\bworkshop)\s*,\s*(?P<host>.+)$",
        # "First International Workshop On X, European Conference on ... (ECCV-W)"
        r"^(?P<ws>[^,]*\bworkshop on\b[^,]+),\s*(?P<host>.*\bconference\b.*)$",
    )
    for pattern in patterns:
        match = re.match(pattern, text, re.I)
        if match:
            name = re.sub(r"\s+workshops?$", "", match.group("ws"), flags=re.I)
            name = re.sub(r",?\s+(?:19|20)\d{2}$", "", name)
            # "Machine Learning in Medical Imaging - 11th International Workshop,
            # MLMI 2020": the name is the first part
            parts = [p.strip() for p in re.split(r",|\s+-\s+", name)]
            short = [p for p in parts if _ACRONYM_YEAR.match(p) or _leading_acronym(p)]
            name = parts[0] if len(parts) > 1 and short else name
            return name.strip(), match.group("host").strip()
    return None, text


def _name_acronym_year(text: str, notes: list[str]) -> tuple[str, str, str, str]:
    """``(name, acronym, year, track)`` of a conference text."""
    return (
        _from_parentheses(text, notes)
        or _from_pieces(text, notes)
        or _from_acronym(text)
        or _from_name(text)
    )


def _from_parentheses(text: str, notes: list[str]) -> tuple[str, str, str, str] | None:
    """An acronym in parentheses: "... (WACV)", "(CVPR 2020)", "(ICCVW)",
    "(Big Data)", "(DSN) - Industry Track"."""
    for match in reversed(list(re.finditer(r"\(([^()]*)\)", text))):
        inside = match.group(1).strip()
        before = text[: match.start()].strip()
        after = text[match.end() :].strip(" ,.-–")
        acronym, inside_year = _split_year(inside)
        if not _is_short_name(acronym, before):
            continue
        separated = re.match(r"^(?:[,.]|-|–|and\b)", text[match.end() :].strip())
        if after and not separated and not _TRACK_NOTE.search(after):
            continue
        track = ""
        if after:
            if _TRACK_NOTE.search(after):
                track = after
            else:
                notes.append(after)
        found = _YEAR4.search(before)
        year = inside_year or (found.group(1) if found else "")
        return before.strip(" ,.-"), acronym, year, track
    return None


def _from_pieces(text: str, notes: list[str]) -> tuple[str, str, str, str] | None:
    """DBLP: "IEEE Conference on ..., CVPR 2021, virtual, June 19-25, 2021" and
    "Computer Vision - ECCV 2022 - 17th European Conference, Tel Aviv, ..."."""
    pieces = list(re.finditer(r"[^,:\u2013]+?(?=\s*(?:,|:\s|\s-\s|\u2013|$))", text))
    if len(pieces) <= 1:
        return None
    for index, piece in enumerate(pieces):
        part = piece.group(0).strip(" -")
        plain = re.sub(r"\s+workshops?\b", "", part, flags=re.I)
        acronym, part_year = _split_year(plain)
        last = index == len(pieces) - 1
        if (
            (index == 0 and not part_year)
            or not (part_year or last)
            or _leading_acronym(acronym) != acronym
        ):
            continue
        before = text[: piece.start()]
        # The name ends with the first piece that says 'Conference'.
        named = [p for p in pieces if _CONFERENCE_WORDS.search(p.group(0))]
        end = max(named[0].end() if named else 0, len(before.rstrip(" ,:-\u2013")))
        name = text[:end].strip(" ,:-\u2013")
        if piece.end() >= end:
            end = piece.end()
        rest = text[end:].strip(" ,:-\u2013.")
        if rest:
            notes.append(rest)
        return name, acronym, part_year, ""
    return None


def _from_acronym(text: str) -> tuple[str, str, str, str] | None:
    """An acronym alone: "NeurIPS 2022", "ICML 24", "BMVC", "IJCAI-19"."""
    short = _leading_acronym(text)
    if not short:
        return None
    acronym, short_year = _split_year(text)
    if short_year:
        return "", acronym, short_year, ""
    return "", short, "", ""


def _from_name(text: str) -> tuple[str, str, str, str]:
    """A name alone, a year before or after it: "2016 Design, Automation and
    Test in Europe Conference", "... Systems 2022"."""
    found = re.match(r"^((?:19|20)\d{2})\s+", text) or re.search(
        r"\s((?:19|20)\d{2})$", text
    )
    return text, "", found.group(1) if found else "", ""


def _split_year(text: str) -> tuple[str, str]:
    """``(acronym, year)``: "CVPR 2020" -> ("CVPR", "2020"), "ICML 24" -> 2024."""
    match = _ACRONYM_YEAR.match(text.strip())
    if not match:
        return text.strip(), ""
    digits = match.group("year")
    if len(digits) == 2:
        digits = f"{'19' if int(digits) >= 70 else '20'}{digits}"
    return match.group("acr"), digits


def _is_short_name(inside: str, before: str) -> bool:
    """An acronym ("WACV", "USENIX ATC") or words of the name before it ("Big Data")."""
    tokens = inside.split()
    if not tokens or len(tokens) > 3:
        return False
    if all(len(t) <= 16 and _ACRONYM.match(t) for t in tokens):
        return True
    return all(t[:1].isupper() for t in tokens) and inside.lower() in before.lower()


def _bare_name(name: str, year: str = "") -> str:
    """A conference's name without its 'Proceedings of the', ordinal and years
    ("Lab Retreat 22" of 2022 is "Lab Retreat"; "... Systems 35" keeps its 35)."""
    bare, previous = name, None
    while bare != previous:
        previous = bare
        bare = re.sub(
            r"^(?:proceedings of|the|(?:19|20)\d{2})\s+", "", bare, flags=re.I
        )
        bare = _ORDINAL.sub("", bare)
    bare = re.sub(r"\s+(?:19|20)\d{2}$", "", bare)
    if year:
        bare = re.sub(rf"(?:\s'?|'){year[-2:]}$", "", bare)
    return bare.strip(" ,.")
