"""Paper and Conference: Pelican content objects built from validated fields.

They are ``pelican.contents.Content`` subclasses, so ``{static}`` and
``{filename}`` links in an abstract resolve as in any article, other content can
link to them with ``{filename}papers/…``, and ``url``/``save_as`` come from the
plugin's ``CONFERENCE_PAPERS_<KIND>_URL``/``_SAVE_AS`` settings.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markupsafe import Markup

from .base import kinds
from .base.pelican_hooks import (
    PrefixedURLContent,
    may_hold_placeholder_links,
    placeholder_regex,
    raw_body,
    replace_placeholder,
)
from .base.sanitize import (
    clean_html,
    placeholder_problems,
    plain_text,
    preview_html,
    replaced_url_problem,
)
from .base.text import clean_text, cut_at_word
from .format.schema import Link, Person
from .settings import setting

logger = logging.getLogger(__name__)


#: Attributes of a content object that are the build's, not the object's.
_NOT_OWN = frozenset({"settings", "_context", "_constructed"})


_CONTAINERS = (list, dict, set)


def _container_names(content) -> tuple[str, ...]:
    """The attributes of ``content`` that hold a list, dict or set."""
    return tuple(
        name
        for name, value in vars(content).items()
        if name not in _NOT_OWN and type(value) in _CONTAINERS
    )


def _own_containers(content, names: tuple[str, ...]) -> None:
    """Give ``content`` its own copy of each list, dict and set of its fields
    (``names``: attributes, the metadata among them; one copy where both hold
    the same, as Pelican's constructor leaves them). The originals are the
    parse memo's and what ``renew`` restores: a plugin's
    ``paper.tags.append(…)`` must change this build's object only, never what
    the next build starts from. Only the attributes named: walking all of
    them for 10,000 renewed papers took 0.66 s of each devserver rebuild."""
    copies: dict[int, Any] = {}

    def own(value):
        kind = type(value)
        if kind not in _CONTAINERS:
            return value
        found = copies.get(id(value))
        if found is None:
            if kind is dict:
                found = {k: own(v) for k, v in value.items()}
            else:
                found = kind(own(v) for v in value)
            copies[id(value)] = found
        return found

    attributes = vars(content)
    for name in names:
        attributes[name] = own(attributes[name])


class _PluginContent(PrefixedURLContent):
    """URLs come from the plugin's own, prefixed settings."""

    #: Links the last pass left out of this body (see ``_checked_link``).
    refused_links: frozenset[str] = frozenset()

    def __init__(
        self,
        fields: dict[str, Any],
        settings,
        source_path,
        context,
        renewable: bool = True,
    ):
        """With ``renewable``, what the constructor made is kept for
        ``renew``; a build that keeps no object for another (``make html``:
        ``generator._object_key``) keeps none of it (15 MB at 10,000 papers)."""
        body = fields.pop("_body")
        extra = fields.pop("extra")
        # Unknown keys first, so that a stray key never shadows a known field.
        metadata = {**extra, **fields}
        # Pelican treats a present date as a datetime: leave out the missing ones.
        for key in ("date", "modified"):
            if metadata.get(key) is None:
                metadata.pop(key, None)
        super().__init__(
            clean_html(body), metadata, settings, source_path, context=context
        )
        self.start_grouping()
        # What the constructor left, for ``renew``: the attributes, metadata
        # among them (their values are shared, not copied) but the build's
        # own, which renew replaces and which must not keep a finished build
        # in memory; and which of them hold the lists and dicts that each
        # build's object gets a copy of (``_own_containers``).
        names = _container_names(self)
        if renewable:
            attributes = dict(vars(self))
            del attributes["settings"], attributes["_context"]
            self._constructed = (attributes, names)
        _own_containers(self, names)

    def start_grouping(self) -> None:
        """Empty what grouping fills in (see ``renew``)."""

    def renew(self, settings, context) -> None:
        """This object for another build of the same file, fields and settings
        (the devserver: ``generator._build``): constructing 10,000 of them was
        most of a rebuild after one edit. What Pelican's constructor made of
        the fields stays; the build's settings and context come in. What the
        last build added goes (links refused while rendering, the plain text
        of the abstract, a timeline), what grouping set is emptied, and what
        was set again since (a plugin's ``paper.title += …`` after the read)
        is as constructed: the object is as a new one, which the page digests
        and the pages see."""
        constructed, names = self._constructed
        attributes = vars(self)
        attributes.clear()
        attributes.update(constructed)
        self._constructed = (constructed, names)
        self.settings = settings
        self._context = context
        self.start_grouping()
        _own_containers(self, names)

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        """Pelican's answer, without its four ``abspath`` calls for a file of
        ours (a normalized path below PATH: what Pelican's ``relpath`` gives
        is the part after PATH); asked twice a file per build, it was a tenth
        of the time to reach the edited page in the devserver."""
        path = source_path or self.source_path
        root = self.settings["PATH"]
        if (
            path
            and os.path.isabs(root)
            and path.startswith(os.path.join(root, ""))
            and os.path.normpath(path) == path
            and os.path.normpath(root) == root
        ):
            return path[len(os.path.join(root, "")) :].replace(os.sep, "/")
        return super().get_relative_source_path(source_path)

    def get_static_links(self) -> set[str]:
        """Pelican's answer (the generator adds them to the files to copy),
        without its regex over a body that has no placeholder link."""
        if not may_hold_placeholder_links(raw_body(self), self.settings):
            return set()
        return super().get_static_links()

    def get_content(self, siteurl: str) -> str:
        """The body with ``{filename}`` links for ``siteurl``, sanitized again
        after Pelican replaced them: the last step before any page, card or feed
        holds it (``sanitize`` says why).

        Not memoized as in Pelican, whose cache keeps a copy per page depth of
        every body to the end of the build (tens of MB at 10,000 papers): the
        link substitution is cheap, and cards are cached already.
        """
        body = raw_body(self)
        if not has_placeholder_links(self):
            return body  # sanitized when built, and nothing replaced since
        links = placeholder_regex(self.settings)
        body = links.sub(lambda m: self._checked_link(siteurl, m), body)
        return clean_html(body)

    def _checked_link(self, siteurl: str, match) -> str:
        """Pelican's replacement of one placeholder link, or the attribute
        emptied when what it gives fails the URL rule. The check at load time
        refuses what the file wrote; this is what only the replacement makes (a
        static file's name joined to SITEURL, a setting)."""
        replaced = replace_placeholder(self, siteurl, match)
        markup, quote = match.group("markup"), match.group("quote")
        value = replaced[len(markup) + len(quote) : -len(quote)]
        reason = replaced_url_problem(markup, value)
        if reason is None:
            return replaced
        # The generator fails the build after writing; each link counted once
        # (a body is replaced for its page, its card and its feed entries).
        self.refused_links = self.refused_links | {match.group("path")}
        logger.error(
            "conference_papers: error: %s: the link '%s' became '%s', left out: %s",
            self.relative_source_path,
            clean_text(match.group("path")),
            clean_text(value),
            reason,
        )
        return f"{markup}{quote}{quote}"  # an empty address: clean_html drops it

    @property
    def date_label(self) -> str:
        """The Date as far as the file gives it: ``2022``, ``November 2022``…"""
        return kinds.date_label(self.date, self.date_precision)

    @property
    def date_iso(self) -> str:
        """The same for ``<time datetime>``: ``2022``, ``2022-11``, ``2022-11-28``."""
        return kinds.date_iso(self.date, self.date_precision)

    @property
    def html(self) -> Markup:
        """The Markdown body, sanitized, with ``{static}`` links resolved."""
        return Markup(self.content)


def has_placeholder_links(content: _PluginContent) -> bool:
    """Whether the body has ``{static}``, ``{filename}``… links: Pelican
    replaces them for each page (its prefix to the site root), so the HTML
    differs between pages."""
    body, settings = raw_body(content), content.settings
    if not may_hold_placeholder_links(body, settings):
        return False
    return placeholder_regex(settings).search(body) is not None


def body_links(body: str, settings) -> tuple[list, list]:
    """What the sanitizer refuses of the links in the Markdown ``body`` (HTML),
    as ``(attribute, address, why)`` (left out of the page; the text stays),
    and ``(placeholder, what follows it, why)`` for each ``{static}``,
    ``{filename}``… link whose address would not pass the URL rule once Pelican
    replaced the placeholder (``sanitize.placeholder_problems``), with
    Pelican's own regex of placeholder links (``INTRASITE_LINK_REGEX``)."""
    refused: list[tuple[str, str, str]] = []
    clean = clean_html(body, refused)
    # The sanitized body too: it decoded ``&#123;static&#125;`` to the
    # ``{static}`` that Pelican replaces.
    if not may_hold_placeholder_links(body, settings) and not (
        may_hold_placeholder_links(clean, settings)
    ):
        return refused, []  # no placeholder: most papers
    links = placeholder_regex(settings)
    # The body as written too: a placeholder in a tag the sanitizer drops
    # (``<img src="{static}…">``, ``![x]({attach}…)``) or in an address it
    # refuses (``{author}java&#9;script:``) is still a link the contributor
    # meant, and a wrong one; it must not vanish without a word.
    placeholders = placeholder_problems(clean, links)
    seen = {(p, a) for p, a, _ in placeholders}
    for problem in placeholder_problems(body, links):
        if problem[:2] not in seen:
            seen.add(problem[:2])
            placeholders.append(problem)
    written = {p + a for p, a, _ in placeholders}
    return [r for r in refused if r[1] not in written], placeholders


class Conference(_PluginContent):
    """One edition of a conference: ``content/conferences/<slug>.md``."""

    mandatory_properties = ("title", "date")
    default_template = "conference_papers/conference"
    date_precision: str = kinds.DAY  # set by the schema: ``Date: 2023`` is YEAR

    def __init__(self, fields: dict[str, Any], *args, **kwargs):
        fields = dict(fields, _body=fields.pop("intro"))
        super().__init__(fields, *args, **kwargs)

    def start_grouping(self) -> None:
        super().start_grouping()
        self.papers: list[Paper] = []
        self.tracks: list[Track] = []

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def end_label(self) -> str:
        return kinds.date_label(self.end) if self.end else ""

    @property
    def end_iso(self) -> str:
        return kinds.date_iso(self.end) if self.end else ""

    @property
    def display_name(self) -> str:
        """The long name where there is one: "Conference on … 2022"."""
        return self.name or self.title

    def __repr__(self) -> str:
        return f"<Conference {self.slug}>"


class Paper(_PluginContent):
    """One paper: ``content/papers/<conference>/<slug>.md``."""

    mandatory_properties = ("title",)
    default_template = "conference_papers/paper"

    def __init__(self, fields: dict[str, Any], *args, **kwargs):
        fields = dict(fields, _body=fields.pop("abstract"))
        self.conference_slug: str = fields.pop("conference")
        super().__init__(fields, *args, **kwargs)

    def start_grouping(self) -> None:
        super().start_grouping()
        # Set by grouping: the Conference object and the track's slug.
        self.conference: Conference | None = None
        self.track_slug = ""

    # Declared for readers of the code; Content sets them from the fields.
    title: str
    authors: list[Person]
    track: str
    workshop: str
    date: dt.datetime
    links: list[Link]
    tags: list[str]

    @property
    def url_format(self) -> dict[str, Any]:
        return {**super().url_format, "conference": self.conference_slug}

    @property
    def updated(self) -> dt.datetime:
        return getattr(self, "modified", None) or self.date

    @cached_property
    def abstract_text(self) -> str:
        """The abstract as plain text: meta descriptions, feeds, citations."""
        return plain_text(raw_body(self))

    @property
    def summary_text(self) -> str:
        """The start of the abstract as plain text, bounded (feed summaries)."""
        most = setting(self.settings, "SUMMARY_MAX_CHARS")
        return cut_at_word(self.abstract_text, most)

    def preview(self, siteurl: str) -> tuple[Markup, bool]:
        """The start of the abstract as HTML for ``siteurl``, bounded (cards on
        every page and in the feeds), and whether it was cut; the paper page
        shows the whole abstract."""
        return preview_html(
            self.get_content(siteurl), setting(self.settings, "SUMMARY_MAX_CHARS")
        )

    @property
    def list_kind(self) -> str:
        """The paper's kind on the list of every paper: its ``Type`` when it has
        one, else "conference" (every paper of a conference edition)."""
        return str(getattr(self, "kind", "") or "conference").lower()

    def member_authors(self, members: dict) -> list[str]:
        """The names of the authors who are lab members (``lab_members``), in
        the paper's order, each once."""
        return list(dict.fromkeys(a.name for a in self.authors if a.name in members))

    def link(self, kind: str) -> Link | None:
        return next((link for link in self.links if link.kind == kind), None)

    # what kind of publication (issue 14): the rules are in ``kinds``

    @property
    def kind(self) -> str:
        """conference, workshop, journal, preprint, thesis, book, chapter, report."""
        return kinds.derive_type(
            getattr(self, "written_type", ""),
            getattr(self, "journal", ""),
            getattr(self, "preprint", ""),
            self.workshop,
            self.conference is not None,
        )

    @property
    def kind_label(self) -> str:
        """``Journal article``, ``Preprint``… (cards, the paper page)."""
        return kinds.LABELS[self.kind]

    @property
    def pages_label(self) -> str:
        """``1234–1256`` or ``e1234``."""
        first, last = getattr(self, "first_page", ""), getattr(self, "last_page", "")
        return f"{first}\u2013{last}" if last else first

    @property
    def publication(self) -> str:
        """Where a paper outside a conference appeared, after its kind label:
        ``IEEE TPAMI 45(3), 1234–1256``, ``arXiv``, ``University of Mannheim``."""
        journal = getattr(self, "journal", "")
        if journal:
            text = journal
            volume, issue = getattr(self, "volume", ""), getattr(self, "issue", "")
            if volume:
                text += f" {volume}" + (f"({issue})" if issue else "")
            elif issue:
                text += f", no. {issue}"
            return f"{text}, {self.pages_label}" if self.pages_label else text
        if self.kind == "preprint":
            return getattr(self, "preprint", "")
        if self.kind in kinds.IN_CONFERENCE:
            return ""
        return getattr(self, "publisher", "")

    @property
    def badges(self) -> list[tuple[str, str]]:
        """``[("presentation", "Oral"), ("award", "Best Paper Award")]``."""
        found = [("presentation", self.presentation)] if self.presentation else []
        return found + [("award", award) for award in self.awards]

    # Set by the schema (DESIGN.md's fields); declared for readers of the code.
    date_precision: str = kinds.DAY  # kinds.YEAR, MONTH or DAY
    presentation: str = ""
    awards: list[str] = []  # noqa: RUF012 (never mutated: the schema sets a list)
    featured: bool = False

    def __repr__(self) -> str:
        return f"<Paper {self.conference_slug}/{self.slug}>"


@dataclass
class Track:
    """A section of a conference page: "Full Paper", "Workshop Paper"."""

    name: str
    slug: str
    papers: list[Paper] = field(default_factory=list)
