"""Member files: the format of ``content/members/<slug>.md`` and the Member model.

The keys are :mod:`.fields`'s (Name, Aliases, Role, Photo, Orcid, Openalex,
Website, Since, Until, and a bio). A member is the one record the people page, her own
page, her feed and every author list that names her read: each spelling she
publishes under is written in her file (``Aliases``), so a page never guesses
that ``M. Keuper`` is her; a spelling that merely looks like hers is reported
(``near_miss_problems``) with the line of the paper to fix.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from ..base import paths
from ..base.identifiers import normalize_orcid
from ..base.names import Directory, fold, split_name
from ..base.openalex import short_id
from ..base.sanitize import clean_html
from ..base.text import clean_text
from ..base.urls import field_url_problem
from ..settings import setting
from . import fields as table
from .fields import MEMBER_KEYS
from .header import WARNING, Collector, Problem, RawSource
from .values import image_path, split_list

_YEAR = re.compile(r"^\d{4}$")
#: The heading of members without a Role, and of former members.
NO_ROLE = "Members"
FORMER = "Former members"


@dataclass
class Member:
    """One person of the lab, from her member file."""

    slug: str
    name: str
    source_path: str
    aliases: list[str] = field(default_factory=list)
    role: str = ""
    photo: str | None = None
    orcid: str | None = None
    openalex: str | None = None
    website: str | None = None
    since: int | None = None
    until: int | None = None
    bio: Markup = field(default_factory=Markup)
    url: str = ""
    save_as: str = ""
    feed_atom: str = ""
    feed_json: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def former(self) -> bool:
        return self.until is not None

    @property
    def family(self) -> str:
        return split_name(self.name)[1]

    @property
    def orcid_url(self) -> str | None:
        return f"https://orcid.org/{self.orcid}" if self.orcid else None

    @property
    def openalex_url(self) -> str | None:
        return f"https://openalex.org/{self.openalex}" if self.openalex else None

    @property
    def years(self) -> str:
        """``2015–2023``, ``since 2015``, or ""."""
        if self.since and self.until:
            return f"{self.since}–{self.until}"
        if self.until:
            return f"until {self.until}"
        return f"since {self.since}" if self.since else ""


def _year(source: RawSource, problems: Collector, key: str) -> int | None:
    value = source.text(key)
    if not value:
        return None
    if not _YEAR.match(value):
        problems.error(
            key,
            f"{key.title()} '{clean_text(value)}' is not a year",
            f"write the year only, e.g. '{key.title()}: 2019'",
        )
        return None
    return int(value)


def _aliases(source: RawSource, problems: Collector) -> list[str]:
    value = source.text("aliases")
    aliases = [clean_text(a) for a in split_list(value)] if value else []
    if len(aliases) > 1 and ";" not in value and any(" " not in a for a in aliases):
        problems.warn(
            "aliases",
            f"the Aliases read as {len(aliases)} names, some of one word",
            "separate the aliases with ';': 'Aliases: M. Keuper; Keuper, M.'",
        )
    return aliases


def _photo(source: RawSource, problems: Collector, root: str) -> str | None:
    value = source.text("photo")
    if not value:
        return None
    path, reason = image_path(value)
    if path:
        _, reason = paths.resolve(root, path, "content/")
    if reason:
        problems.error(
            "photo",
            f"Photo '{clean_text(value)}' cannot be used: {reason}",
            "put the photo under content/images/ and write its path, "
            "e.g. 'Photo: images/members/margret-keuper.jpg'",
        )
        return None
    if not os.path.isfile(os.path.join(root, path)):
        problems.warn(
            "photo",
            f"the photo '{path}' does not exist",
            "put the file there or correct the path (it is relative to content/)",
        )
        return None
    return path


def _identifiers(source: RawSource, problems: Collector) -> dict:
    found: dict = {"orcid": None, "openalex": None, "website": None}
    orcid = source.text("orcid")
    if orcid:
        found["orcid"] = normalize_orcid(orcid)
        if not found["orcid"]:
            problems.error(
                "orcid",
                f"Orcid '{clean_text(orcid)}' is no ORCID iD (its form or checksum)",
                "copy the iD from orcid.org, e.g. 'Orcid: 0000-0002-8437-7993'",
            )
    openalex = source.text("openalex")
    if openalex:
        found["openalex"] = short_id(openalex) or None
        if not (found["openalex"] or "").startswith("A"):
            found["openalex"] = None
            problems.error(
                "openalex",
                f"Openalex '{clean_text(openalex)}' is no OpenAlex author id",
                "write the id of the author's openalex.org page, e.g. 'A5012345678'",
            )
    website = source.text("website")
    if website:
        reason = field_url_problem(website)
        if reason:
            problems.error(
                "website", f"Website '{clean_text(website)}': {reason[0]}", reason[1]
            )
        else:
            found["website"] = website
    return found


def parse_member(source: RawSource, root: str) -> tuple[dict, list[Problem]]:
    """The fields of a member file, and every problem in it."""
    problems = Collector(source)
    own = posixpath.splitext(posixpath.basename(source.path))[0]
    slug = source.text("slug") or own
    reason = paths.slug_problem(slug)
    if reason:
        problems.error(
            "slug" if source.text("slug") else None,
            f"the slug '{clean_text(slug)}' cannot be used: {reason}",
            "name the file like 'margret-keuper.md'",
        )
    name = clean_text(source.text("name"))
    if not name:
        problems.error("name", *table.missing("member", "name"))
    fields = {
        "slug": slug,
        "name": name,
        "aliases": _aliases(source, problems),
        "role": clean_text(source.text("role")),
        "photo": _photo(source, problems, root),
        "since": _year(source, problems, "since"),
        "until": _year(source, problems, "until"),
        **_identifiers(source, problems),
        "extra": {k: v for k, v in source.meta.items() if k not in MEMBER_KEYS},
    }
    if fields["since"] and fields["until"] and fields["until"] < fields["since"]:
        problems.error(
            "until",
            f"Until {fields['until']} is before Since {fields['since']}",
            "write the year the member left, after the year they came",
        )
    return fields, problems.problems


def make_member(fields: dict, source: RawSource, settings) -> Member:
    """A Member with its page and feed paths from the settings."""
    slug = fields["slug"]

    def path(name: str) -> str:
        pattern = setting(settings, name)
        return pattern.format(slug=slug) if pattern else ""

    return Member(
        source_path=source.path,
        bio=clean_html(source.body),
        url=path("MEMBER_URL"),
        save_as=path("MEMBER_SAVE_AS"),
        feed_atom=path("MEMBER_FEED_ATOM"),
        feed_json=path("MEMBER_FEED_JSON"),
        **fields,
    )


def people_sections(members: list[Member], order) -> list[tuple[str, list[Member]]]:
    """The people page's sections: current members by Role in ``order`` (other
    roles alphabetically after, no role last), then former members; in each,
    by family name."""
    rank = {fold(role): i for i, role in enumerate(order)}
    # "phd student" is the setting's "PhD student"; other roles as first written.
    spelled = {fold(role): role for role in reversed(order)}
    current: dict[str, list[Member]] = {}
    for member in members:
        if not member.former:
            role = spelled.setdefault(fold(member.role), member.role) or NO_ROLE
            current.setdefault(role, []).append(member)

    def role_key(role: str):
        known = rank.get(fold(role))
        return (known is None, role == NO_ROLE, known or 0, fold(role))

    def by_name(people):
        return sorted(people, key=lambda m: (fold(m.family), fold(m.name)))

    sections = [
        (role, by_name(current[role])) for role in sorted(current, key=role_key)
    ]
    former = [m for m in members if m.former]
    if former:
        sections.append((FORMER, by_name(former)))
    return sections


def papers_of(name: str, papers, directory: Directory) -> list:
    """The papers with ``name`` (a member) among their authors, in any spelling."""
    return [
        paper
        for paper in papers
        if any(directory.canonical(a.name) == name for a in paper.authors)
    ]


def by_year(papers) -> list[tuple[int, list]]:
    """(year, papers) newest year first; the papers keep their order."""
    years: dict[int, list] = {}
    for paper in papers:
        years.setdefault(paper.date.year, []).append(paper)
    return sorted(years.items(), reverse=True)


def near_miss_problems(
    source: RawSource, authors, directory: Directory
) -> list[Problem]:
    """A warning for each author that is no member but looks like one."""
    problems = []
    for author in authors:
        if author.name in directory:
            continue
        found = directory.looks_like(author.given, author.family)
        if found:
            name, why = found
            where = directory.slugs.get(name)
            fix = (
                f"add 'Aliases: {author.name}' to the member's file ({where}.md)"
                if where
                else f"add '{author.name}' to CONFERENCE_PAPERS_MEMBERS"
            )
            problems.append(
                Problem(
                    source.path,
                    source.line("authors"),
                    f"the author '{author.name}' looks like the member {name} "
                    f"({why}) but is not linked to the member's page",
                    f"if it is the member, {fix}; else correct the spelling",
                    WARNING,
                )
            )
    return problems
