"""The Pelican generator: read, validate, group, write.

Read: conference and paper files go through Pelican's own readers (Markdown
extensions, the content cache), with the metadata kept as written so that the
schema can say exactly what is wrong. Validate: ``schema``. Group: ``grouping``.
Write: the pages here; feeds, citations and the timeline in their own modules.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import logging
import os
import posixpath
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

from pelican.generators import Generator

from . import grouping, parallel, reading
from .base import drafts, page_digests, parse_memo, paths
from .base.kinds import IN_CONFERENCE
from .base.names import key_of
from .base.pelican_hooks import (
    builds_once_and_exits,
    content_objects_are_watched,
    may_hold_placeholder_links,
    placeholder_regex,
    raw_body,
    reads_file,
    written_files_are_watched,
    written_in_another_process,
    written_paths,
)
from .base.text import clean_text
from .format import members
from .format.schema import (
    ERROR,
    WARNING,
    Problem,
    RawSource,
    parse_conference,
    parse_paper,
)
from .model import Conference, Paper, body_links, has_placeholder_links
from .settings import apply_defaults, lab_members, setting, what_to_write
from .writers import (
    citations,
    feeds,
    images,
    listing,
    output,
    people,
    timeline,
)
from .writers.cards import CardRenderer
from .writers.catalog import Catalog

logger = logging.getLogger(__name__)


class ContentError(Exception):
    """The content has errors; each was logged with its file and line."""

    exitcode = 1


class _QuietContentErrors(logging.Filter):
    """``pelican`` logs the exception that stops a build with its traceback; for
    content errors, which are listed above it with file and line, it says nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], ContentError):
            record.exc_info = None
            record.exc_text = None
        return True


_QUIET = _QuietContentErrors()

_NONE = object()  # a field the parse did not give


def _source_key(source: RawSource) -> tuple | None:
    """Everything a parse of ``source`` reads of it: the text as read, the
    file's size and mtime (the lines of its problems). With the read cache,
    its stamp of the file's bytes says all of that (read_sources keeps it):
    the file is not read a second time."""
    try:
        stat = os.stat(source.full_path)
    except OSError:
        return None
    read = page_digests.digest(source.body, repr(sorted(source.meta.items())))
    return (stat.st_size, stat.st_mtime_ns, read)


#: The packages whose upgrade may change what a page, feed or citation file
#: holds: escaping, the sanitizer, feeds, slugs, image sizes, Markdown.
_LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "nh3",
    "feedgenerator",
    "unidecode",
    "pillow",
    "markdown",
    "pygments",
)


@functools.cache
def _code_digest() -> str:
    """The plugin's code as this process runs it (and its templates), the
    versions of the packages it renders with, and Python's: after an upgrade
    (a fix of the sanitizer, of Jinja's escaping) every page is rendered again."""
    return page_digests.digest(
        page_digests.tree_digest([_PLUGIN_FOLDER]),
        sys.version,
        *(f"{name} {reading.package_version(name)}" for name in _LIBRARIES),
    )


@dataclass
class _Plan:
    """What a build writes of the plugin's, beyond the edited papers:
    conference pages, feeds, and the papers (in their order) whose page is
    to be rendered (``render``, by ``id``) or who have citation files of
    their own to write (``own``); the other citation files (``collections``),
    all below ``folder``."""

    conferences: list[Conference]
    #: The citation files in place once it is written (the build summary).
    citation_files: int
    feeds: list[feeds.FeedSpec]
    feed_urls: feeds.FeedUrls
    papers: list[Paper]
    render: set[int]
    own: dict[int, list[citations.CitationFile]]
    collections: list[citations.CitationFile]
    folder: output.OutputFolder


class ConferencePapersGenerator(Generator):
    """Conference pages, the conference index and a page per paper."""

    def __init__(self, *args, validate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = reading.paper_readers(self.settings)
        # Our pages are rendered with autoescape on: a title is text, never HTML.
        # No template changes during a build (the devserver makes a new generator
        # for each), so Jinja need not stat every template and include per page.
        self.env = self.env.overlay(autoescape=True, auto_reload=False)
        self.conferences: list[Conference] = []
        self.papers: list[Paper] = []
        self.problems: list[Problem] = []
        # Files under content/ that StaticGenerator must copy (paper images,
        # timeline images), handed to it in generate_context.
        self.static_links: set[str] = set()
        self._files: list[str] = []
        self.read_again: set[str] = set()  # files the read cache did not give
        self.citation_files = 0  # written by generate_output (the build summary)
        self.members = lab_members(self.settings)  # name -> member page or None
        self.people: list[members.Member] = []  # from member files
        self.thumbnails = images.Thumbnails(self.settings, self.path)
        self.memo = _parse_memo(self.settings)
        self._source_keys: dict[str, tuple | None] = {}
        # Full path -> the read cache's digest of the file's bytes (with the
        # settings): the page digests take it instead of reading the file again.
        self.stamps: dict[str, bytes] = {}
        # File -> its memo key and fields as parsed (``_object_key``).
        self._parsed: dict[str, tuple] = {}
        self._objects_watched = content_objects_are_watched()
        # ``make html``: no next build in this process to renew objects for,
        # or to keep the caches in memory for (see ``_keep_nothing_for_later``).
        self._once = builds_once_and_exits()
        logging.getLogger("pelican").addFilter(_QUIET)  # once: filters are a set
        if validate:
            # Here, not in generate_context: Pelican empties the output folder
            # (DELETE_OUTPUT_DIRECTORY) between the two, and a build with errors
            # must leave the previous site where it was.
            with _no_cycle_collection(self._once):
                self.load()
            if self._once:
                self._keep_nothing_for_later()
            self.report()

    def _keep_nothing_for_later(self) -> None:
        """In a build that exits afterwards: the read cache and the parse memo
        written now, right after the read, and let go. Kept to the end, they
        were some 50 MB of the build's peak at 10,000 papers (every body and
        metadata as read, every parse), and writing them there, with all
        else in memory, was the peak itself. Nothing reads them after the
        read; the devserver keeps both for its next build (and writes them
        last, after the edited page)."""
        reading.save_cache(forget=True)
        if self.memo is not None:
            self.memo.save()
            self.memo.forget()
            self.memo = None

    # --- read and validate -------------------------------------------------

    def walk_content(self) -> None:
        """Walk the content folder once, before Pelican's generators walk it: a
        link that loops (Pelican's walk would not end), leaves the folder, or a
        folder or file that cannot be read (Pelican skips it without a word) is
        an error, and the build stops before they walk."""
        files, problems = paths.walk(self.path, self.settings["IGNORE_FILES"])
        self._files = files
        for relative, message, hint in problems:
            self.problems.append(
                Problem(relative.replace(os.sep, "/"), 1, message, hint)
            )

    def folder_files(self, folder: str) -> list[str]:
        """The files of ``folder`` a reader reads, from the one walk above
        (Pelican's ``get_files`` would walk again, following loops)."""
        prefix = os.path.join(folder, "") if folder else ""
        return [
            path
            for path in self._files
            if path.startswith(prefix) and reads_file(self, path)
        ]

    def read_sources(self, folder: str) -> Iterator[RawSource]:
        """The files of ``folder`` in order, read as they are asked for (in a
        pool of processes when there are many: see ``reading``)."""
        files = self.folder_files(folder)
        reads = reading.read_files(self.readers, self.path, files, self.settings)
        for path, raw in reads:
            full_path = os.path.join(self.path, path)
            relative = path.replace(os.sep, "/")
            if isinstance(raw, UnicodeDecodeError):
                self.problems.append(_not_utf8(relative, full_path, raw))
            elif isinstance(raw, Exception):  # one unreadable file stops no other
                self.problems.append(_unreadable(relative, raw))
            elif isinstance(raw, reading.RawRead):  # not "Status: skip" (a stub)
                if not raw.from_cache:
                    self.read_again.add(full_path)
                if raw.stamp is not None:  # the file's key: see ``_source_key``
                    self.stamps[full_path] = raw.stamp
                    self._source_keys[full_path] = (raw.stamp,)
                yield RawSource(relative, full_path, raw.content, raw.metadata)

    def _parse(self, parse, source: RawSource, *args, remember: bool = True):
        """``parse(source, *args)``; a plugin bug becomes a problem of the file.
        Not ``remember`` when the parse reads more than the file (a member's
        photo: the memo is keyed by the file alone)."""
        found = self._remembered(parse.__name__, source, args) if remember else None
        if found is None:
            try:
                fields, problems = parse(source, *args)
            except Exception as error:
                return {}, [_unreadable(source.path, error)]
            if not remember:
                return fields, problems
            found = (dict(fields), list(problems))
            self._remember(parse.__name__, source, args, found)
        key = self._memo_key(source, args)
        if key is not None and not self._once:  # for ``_object_key``
            self._parsed[source.full_path] = (key, found[0])
        fields, problems = found
        return dict(fields), list(problems)

    def _placeholder_links(self, source: RawSource) -> list[Problem]:
        found = self._remembered("links", source, ())
        if found is None:
            found = _placeholder_links(source, self.settings)
            self._remember("links", source, (), list(found))
        return list(found)

    def _near_misses(self, source: RawSource, authors) -> list[Problem]:
        """The authors of ``source`` who look like a member but are none, by
        the file and the lab's members (every spelling of each)."""
        args = (self._members_key,)
        found = self._remembered("near_misses", source, args)
        if found is None:
            found = members.near_miss_problems(source, authors, self.members)
            self._remember("near_misses", source, args, list(found))
        return list(found)

    def _remembered(self, what: str, source: RawSource, args: tuple):
        """What ``what`` gave for this file as it is now, when the parse memo
        (the read cache's companion, see :mod:`.base.parse_memo`) has it: a
        rebuild after one edit parses one file, not all."""
        key = self._memo_key(source, args)
        return self.memo.get(what, source.full_path, key) if key else None

    def _remember(self, what: str, source: RawSource, args: tuple, value) -> None:
        key = self._memo_key(source, args)
        if key:
            self.memo.put(what, source.full_path, key, value)

    def _memo_key(self, source: RawSource, args: tuple) -> tuple | None:
        """The file's key (made once a build) and the arguments."""
        if self.memo is None:
            return None
        if source.full_path not in self._source_keys:
            self._source_keys[source.full_path] = _source_key(source)
        found = self._source_keys[source.full_path]
        return (*found, repr(args)) if found else None

    def _build(self, cls, fields: dict, source: RawSource):
        """A Paper or Conference, or None and a problem when Pelican refuses it.
        The object an earlier build of this process made of the same parse and
        fields is renewed instead (``model._PluginContent.renew``): at 10,000
        papers, constructing them took half the devserver's time to the page."""
        key = self._object_key(cls, fields, source)
        built = self.memo.get_object(source.full_path, key) if key else None
        if built is not None:
            built.renew(self.settings, self.context)
        else:
            try:
                built = cls(
                    fields,
                    self.settings,
                    source.full_path,
                    self.context,
                    renewable=key is not None,
                )
            except Exception as error:
                self.problems.append(_unreadable(source.path, error))
                return None
            if key:
                self.memo.put_object(source.full_path, key, built)
        # Every build: they read the files the links name.
        self.problems += _link_problems(built, source, self.path)
        return built

    def _object_key(self, cls, fields: dict, source: RawSource) -> tuple | None:
        """What the object of ``fields`` is made of: the file's parse (its
        memo key; the memo's version holds the settings and the code) and, by
        value, each field set after it (a paper's Date taken from its
        conference, an image left out). None when objects are not kept:
        without the parse memo, in a build that exits afterwards (no build
        renews them), or when a plugin listens to the signal that Pelican
        sends as each is constructed."""
        parsed = self._parsed.get(source.full_path)
        if parsed is None or self._objects_watched or self._once:
            return None
        key, as_parsed = parsed
        changed = {k: v for k, v in fields.items() if as_parsed.get(k, _NONE) is not v}
        gone = (
            ()
            if len(fields) == len(as_parsed) and not changed
            else as_parsed.keys() - fields.keys()
        )
        return (cls.__name__, key, page_digests.stable(changed), tuple(sorted(gone)))

    def load_conferences(self, timezone: str):
        """Every conference file without an error, by slug, and the slugs of
        those left out: their papers are left out with them, without a second
        error each ("the conference … does not exist")."""
        conferences: dict[str, Conference] = {}
        left_out: dict[str, str] = {}
        for source in self.read_sources(setting(self.settings, "CONFERENCES_PATH")):
            fields, problems = self._parse(parse_conference, source, timezone)
            problems += self._placeholder_links(source)
            slug = (
                fields.get("slug") or os.path.splitext(os.path.basename(source.path))[0]
            )
            if slug in conferences or slug in left_out:
                other = left_out.get(slug) or conferences[slug].relative_source_path
                problems.append(_same_slug(source, slug, other))
            self.problems += problems
            if any(p.severity == ERROR for p in problems):
                left_out.setdefault(slug, source.path)
                continue
            conference = self._build(Conference, fields, source)
            if conference is None or conference.status == "draft":
                left_out[slug] = source.path
                continue
            conferences[conference.slug] = conference
        return conferences, left_out

    def load(self) -> None:
        """Read, validate and group every conference and paper file."""
        self.walk_content()
        timezone = self.settings.get("TIMEZONE") or "UTC"
        conferences, left_out = self.load_conferences(timezone)

        self.people = self.load_members()
        self.members = lab_members(self.settings, self.people)
        directory = self.members
        self._members_key = page_digests.digest(
            page_digests.stable([dict(directory), directory.spellings, directory.slugs])
        )

        papers: list[Paper] = []
        papers_path = setting(self.settings, "PAPERS_PATH")
        for source in self.read_sources(papers_path):
            fields, problems = self._parse(parse_paper, source, timezone, papers_path)
            problems += self._placeholder_links(source)
            problems += grouping.date_problems(source, fields, conferences)
            conference = conferences.get(fields.get("conference"))
            if conference is None and grouping.outside_conferences(source, fields):
                # A journal article, a preprint, a thesis… (issue 14): no conference.
                self.problems += problems
                if not any(p.severity == ERROR for p in problems):
                    self._add_paper(papers, fields, source)
                continue
            self.problems += problems
            self.problems += self._near_misses(source, fields.get("authors") or [])
            if conference is None:
                # Not again when the conference was left out, the folder is not
                # a conference's (reported) or the file could not be parsed.
                if fields.get("conference") and fields["conference"] not in left_out:
                    self.problems.append(
                        grouping.unknown_conference(source, fields, conferences)
                    )
                continue
            if any(p.severity == ERROR for p in problems):
                # Left out, but every mistake is reported at once: its warnings too.
                track = grouping.unlisted_track(
                    source.path,
                    lambda source=source: source.line("track"),
                    fields.get("track"),
                    conference,
                )
                self.problems += [track] if track else []
                continue
            # A paper without a Date came out when its conference began, as far
            # as the conference's Date tells (``Date: 2023`` gives no day).
            if fields["date"] is None:
                fields["date"] = conference.date
                fields["date_precision"] = conference.date_precision
            self._add_paper(papers, fields, source)

        papers, problems = grouping.group(conferences, papers, self.settings)
        self.problems += problems
        placed = [p for p in papers if p.conference or p.kind not in IN_CONFERENCE]
        self.problems += feeds.entry_id_problems(placed)
        self.problems += citations.citekey_problems(placed)
        self.conferences = grouping.newest_first(conferences.values())
        self.papers = grouping.newest_first(papers)
        found = timeline.read_timelines(self.conferences, self.settings, self.path)
        for conference in self.conferences:
            conference.social_timeline = found.by_slug[conference.slug]
        self.problems += found.problems
        self.static_links |= found.media
        if self.memo is not None:
            self.memo.keep_only({os.path.join(self.path, f) for f in self._files})

    def _add_paper(self, papers: list, fields: dict, source: RawSource) -> None:
        image = fields.get("image")
        image_problems = images.check_image(self.path, source, image) if image else []
        if image_problems:  # the card is shown without it
            fields = {**fields, "image": None}
        paper = self._build(Paper, fields, source)
        if paper is not None:
            self.problems += _draft_problems(source, paper.status, self.settings)
        if paper is not None and paper.status != "draft":
            papers.append(paper)
            self.problems += image_problems
            if paper.image:
                self.static_links.add(paper.image)

    def load_members(self) -> list[members.Member]:
        """Every member file that has no error (each problem is reported)."""
        found: dict[str, members.Member] = {}
        names: dict[str, str] = {}  # folded name -> file
        for source in self.read_sources(setting(self.settings, "MEMBERS_PATH")):
            # Whether the photo exists is read at each build (a few files).
            fields, problems = self._parse(
                members.parse_member, source, self.path, remember=False
            )
            slug, name = fields.get("slug"), fields.get("name")
            other = names.setdefault(key_of(name), source.path) if name else None
            if other and other != source.path:
                problems.append(
                    Problem(
                        source.path,
                        source.line("name"),
                        f"two member files name {name} (the other is {other})",
                        "keep one file per person; other spellings go in 'Aliases:'",
                    )
                )
            elif slug in found:
                problems.append(
                    Problem(
                        source.path,
                        source.line("slug"),
                        f"two members have the slug '{slug}' "
                        f"(the other is {found[slug].source_path})",
                        "rename one of the files",
                    )
                )
            self.problems += problems
            if fields and not any(p.severity == ERROR for p in problems):
                found[slug] = members.make_member(fields, source, self.settings)
        return sorted(found.values(), key=lambda m: m.slug)

    def report(self) -> None:
        """Log every problem; stop the build before anything is written."""
        for problem in sorted(self.problems, key=lambda p: (p.path, p.line)):
            log = logger.error if problem.severity == ERROR else logger.warning
            # "error: file:line: …" exactly as `pelican-papers check` prints it.
            log("conference_papers: %s: %s", problem.severity, problem)
        errors = sum(p.severity == ERROR for p in self.problems)
        if errors:
            raise ContentError(
                f"conference_papers: {errors} error(s) in the content; "
                "nothing was written (run 'pelican-papers check' to list them)"
            )

    def generate_context(self) -> None:
        # Encoded now (or found in the cache), copied into the output later.
        self.thumbnails.make_all([p.image for p in self.papers if p.image])
        photos = [m.photo for m in self.people if m.photo]
        self.thumbnails.make_all(photos)
        # StaticGenerator copies them (it runs after every other generator).
        self.context["static_links"].update(self.static_links, photos)
        for paper in self.papers:
            self.add_source_path(paper)
            self.add_static_links(paper)
        for conference in self.conferences:
            self.add_source_path(conference)
            self.add_static_links(conference)
        # What the writers get: the content as read, not the generator.
        self.catalog = Catalog(
            tuple(self.conferences),
            tuple(self.papers),
            self.members,
            tuple(self.people),
        )
        self.context["conferences"] = self.conferences
        self.context["papers"] = self.papers
        self.context["conference_years"] = grouping.by_year(self.conferences)
        self.context["conference_papers_members"] = self.members
        self.cards = CardRenderer(
            self.get_template,
            self.context,
            self.settings,
            self.members,
            self.thumbnails,
        )
        self.context["conference_papers_cards"] = self.cards
        self.context["conference_papers_people"] = self.people
        self.context["conference_papers_photo"] = self.member_photo
        self.context["conference_papers_citations"] = citations.Citations(
            self.settings, self.context, self.catalog
        )
        self.context["search_fallback_url"] = listing.search_fallback(self.settings)

    # --- write ---------------------------------------------------------------

    def _file_digest(self, path: str) -> str:
        """The digest of a file's bytes: the read cache's, for a file it read
        (the settings in it are in every page's digest anyway), not read again."""
        full_path = os.path.join(self.path, path)
        stamp = self.stamps.get(full_path)
        return stamp.hex() if stamp else page_digests.file_digest(full_path)

    def generate_output(self, writer) -> None:
        self._writer = writer
        # The page just saved reaches disk first, before the digests of the
        # rest are made (its file changed: it is rendered in any case).
        edited = self.edited_papers()
        self.write_papers(writer, edited)
        self.states = page_digests.PageStates(
            os.path.join(
                self.settings.get("CACHE_PATH") or "cache", page_digests.STATE_FILE
            ),
            self.output_path,
            # A plugin that listens for written files must see every page.
            skip=not written_files_are_watched(),
        )
        self._digests = _Digests(
            root=self.path,
            files={path: self._file_digest(path) for path in self._files},
            conferences=self.conferences,
            papers=self.papers,
            keys=self.context["conference_papers_citations"].keys,
            settings=self.settings,
            menu=[
                page
                for name in ("pages", "hidden_pages", "articles")
                for page in self.context.get(name) or ()
            ],
            templates=_template_folders(self.env.loader),
        )
        for paper in edited:  # written: their digests are recorded
            self._unchanged(paper.save_as, self._digests.paper(paper))
        plan = self._plan(edited)
        self.citation_files = plan.citation_files
        # With many papers a forked process shares the work: it writes the
        # conference pages and the feeds, which show the same cards (each
        # rendered once), this one the home page, the lists and the citation
        # files of the conferences and the lab, then each takes its turns at
        # the papers (a paper's page and its own citation files). Not when a
        # plugin listens for written files: its receiver must see every page
        # here, and only the feeds are written beside them.
        split = not written_files_are_watched()
        turns = parallel.Turns(len(plan.papers))
        before = written_paths(writer)
        here = os.getpid()

        def beside() -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
            try:
                self._write_feeds(writer, plan, with_conferences=split)
                if split:
                    # Run here (few papers), the collections come after.
                    forget = os.getpid() != here
                    self._write_turns(writer, plan, turns, forget=forget)
            except BaseException:
                turns.stop()  # the build fails: this process takes no more
                raise
            return (
                _refused_links([*self.conferences, *self.papers]),
                written_paths(writer) - before,
            )

        forked = parallel.in_parallel(beside, self.settings, len(self.papers))
        # What this process writes from here on (all of it, when ``beside``
        # ran here already: then the two sets below are its own).
        since = written_paths(writer)
        try:
            thumbnails = self._write_here(writer, plan, turns, conferences=not split)
        except BaseException:
            # Nothing of this build writes once it failed (the devserver's
            # next build would race with it): the forked process takes no
            # more turns and is waited for.
            turns.stop()
            forked.wait()
            raise
        # Links that only Pelican's replacement made unusable, seen (and
        # logged with their files) by either process as it rendered a page,
        # a card or a feed entry: every paper's card is on its conference
        # page and in its feeds.
        refused, elsewhere = forked.join()
        # The pages the forked writer wrote (its conference pages, the paper
        # pages it took): one at a path this process wrote too (a conference
        # or a paper 'publications' under a ..._SAVE_AS '{slug}/index.html')
        # is refused as with one process.
        written_in_another_process(writer, elsewhere, since)
        refused |= _refused_links([*self.conferences, *self.papers])
        self.states.written([*output.take_written(), *thumbnails])
        # Pagefind indexes a part again when it has fewer pages (writers/search.py).
        self.states.remove_gone(self.output_path)
        if refused:
            raise ContentError(
                f"conference_papers: {len(refused)} link(s) were left out after "
                "Pelican replaced their placeholders (listed above); the build failed"
            )
        # Only after a build that went to its end (the refused links above are
        # found while rendering: after a failed build every page renders again).
        self.states.save()
        # Last: the devserver's edit is on disk by now.
        reading.save_cache()
        if self.memo is not None:
            self.memo.save()
        logger.info(
            "conference_papers: %d page(s) not rendered again (nothing they read "
            "changed)",
            self.states.skipped,
        )

    def _write_conference(self, writer, conference: Conference) -> None:
        writer.write_file(
            conference.save_as,
            self.get_template(conference.template),
            self.context,
            self.settings["RELATIVE_URLS"],
            url=conference.url,
            conference=conference,
            page_name=conference.url,
        )

    def _write_feeds(self, writer, plan: _Plan, with_conferences: bool) -> None:
        """The feeds of ``plan``, and with ``with_conferences`` its conference
        pages: each conference's feed right after its page, which shows the
        same cards, so that each is rendered once while the card cache holds
        it (at 10,000 papers the cache holds a tenth of the cards)."""
        feed_writer = feeds.FeedWriter(
            members=self.members,
            settings=self.settings,
            cards=self.cards,
            urls=plan.feed_urls,
            output_path=self.output_path,
        )
        pending = {spec.key: spec for spec in plan.feeds}
        for conference in plan.conferences if with_conferences else ():
            self._write_conference(writer, conference)
            spec = pending.pop(("conference", conference.slug), None)
            if spec is not None:
                feed_writer.write(spec)
        for spec in plan.feeds:
            if spec.key in pending:
                feed_writer.write(spec)
        feed_writer.done()

    def _write_here(
        self, writer, plan: _Plan, turns: parallel.Turns, conferences: bool
    ) -> list[str]:
        """What this process writes beside the forked one (see
        ``generate_output``), the conference pages among it when
        ``conferences``; the thumbnails written."""
        relative = self.settings["RELATIVE_URLS"]
        for conference in plan.conferences if conferences else ():
            self._write_conference(writer, conference)
        index = setting(self.settings, "INDEX_SAVE_AS")
        if not self._unchanged(index, self._digests.everything("index")):
            writer.write_file(
                index,
                self.get_template("conference_papers/index"),
                self.context,
                relative,
                url=setting(self.settings, "INDEX_URL"),
                page_name="conferences",
            )
        people.write_people(
            self.render, self.people, self.papers, self.members, self.settings
        )
        self.write_list()
        output.take_written()  # this build's files from here on
        for file in plan.collections:
            file.write(plan.folder)
        self._write_turns(writer, plan, turns)
        thumbnails = self.thumbnails.write(self.output_path)
        logger.info(
            "conference_papers: %d thumbnail(s) written, %d encoded (others cached)",
            len(thumbnails),
            self.thumbnails.encoded,
        )
        return thumbnails

    def _plan(self, edited: list[Paper]) -> _Plan:
        """What to write, decided here, before the fork: the states of the
        pages and files the other process writes are recorded in this one."""
        conferences = [
            c
            for c in self.conferences
            if not self._unchanged(c.save_as, self._digests.conference(c))
        ]
        papers = [p for p in self.papers if p not in edited] if edited else self.papers
        render = {id(p) for p in self.papers_to_render(papers)}
        urls = feeds.FeedUrls(self.settings, self.conferences)
        changed_feeds = [
            spec
            for spec in feeds.feed_specs(self.catalog, self.settings, urls)
            if not self._feed_unchanged(spec, urls)
        ]
        # The citation files: those to write, when they stay in the output
        # folder (the summary counts the files in place).
        folder = output.OutputFolder(self.output_path)
        own: dict[int, list[citations.CitationFile]] = {}
        collections = []
        in_place = 0
        for file in citations.citation_files(
            self.context["conference_papers_citations"], self.catalog
        ):
            # A refused path (logged) has no state and is never in place: the
            # next build refuses it again, whatever is at it (nothing, a file
            # of the lab's own beside the output).
            if not folder.inside(file.relative):
                continue
            in_place += 1
            if self._file_unchanged(file.relative, *file.reads):
                continue
            if file.paper is None:
                collections.append(file)
            else:
                own.setdefault(id(file.paper), []).append(file)
        return _Plan(
            conferences=conferences,
            citation_files=in_place,
            feeds=changed_feeds,
            feed_urls=urls,
            papers=[p for p in self.papers if id(p) in render or id(p) in own],
            render=render,
            own=own,
            collections=collections,
            folder=folder,
        )

    def _write_turns(
        self, writer, plan: _Plan, turns: parallel.Turns, forget: bool = True
    ) -> None:
        """The papers of ``plan`` this process takes turns at: each one's page,
        when it is to be rendered, and its own citation files. With
        ``forget``, they are the last readers in this process of the
        papers' citation strings (the collections are written before, or by
        the other process), which are let go after each paper, and those of
        the papers the other process took after the last turn."""
        citations = self.context["conference_papers_citations"]
        for number in turns:
            paper = plan.papers[number]
            if id(paper) in plan.render:
                self.write_papers(writer, [paper])
            for file in plan.own.get(id(paper), ()):
                file.write(plan.folder)
            if forget:
                citations.paper(paper).forget_files()
        if forget:
            citations.forget_files()

    def edited_papers(self) -> list[Paper]:
        """The papers whose files changed since the read cache last saw them
        (the devserver: the one just saved), when it gave the others: their
        pages are written before any other, so that the edit shows in the
        browser before the rest of the rebuild is done. None otherwise (a
        cold build reads every file again)."""
        again = self.read_again
        if not again or len(again) >= len(self.papers):
            return []
        return [p for p in self.papers if p.source_path in again]

    def write_list(self) -> list[str]:
        """The list of every paper and its filter pages (listing.py)."""
        return listing.write_list(
            self.papers,
            self.members,
            self.settings,
            self.render,
            forget_cards=self.cards.forget_compact,
            get_template=self.get_template,
        )

    def member_photo(self, member, siteurl: str) -> dict | None:
        """Template global: ``conference_papers_photo(member, SITEURL)``."""
        return people.photo(member, self.thumbnails, siteurl)

    def render(
        self, save_as: str, template: str, url: str, reads=None, **values
    ) -> None:
        """Write one page of ours with the build's context (for the writers),
        unless what it reads is what the page on disk read. ``reads`` names it
        (papers, conferences, texts: see ``_Digests.reading``); without it, the
        page reads the whole content. The ``values`` are not digested: the
        writers make them from the content and settings alone (digesting 1,000
        papers per list page cost more than rendering the page)."""
        if reads is None:
            page = self._digests.everything(template, url, save_as)
        else:
            page = self._digests.reading(f"{template} {url} {save_as}", *reads)
        if self._unchanged(save_as, page):
            return
        self._writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            self.settings["RELATIVE_URLS"],
            url=url,
            page_name=url,
            **values,
        )

    def _unchanged(self, save_as: str, page_digest: str) -> bool:
        """Whether the page at ``save_as`` is on disk as this build would
        render it (see :mod:`.base.page_digests`)."""
        path = os.path.join(self.output_path, save_as)
        return self.states.unchanged(path, page_digest)

    def _feed_unchanged(self, spec: feeds.FeedSpec, urls: feeds.FeedUrls) -> bool:
        """Whether both files of a feed are on disk as this build would write
        them (each is recorded: a feed no longer written is removed)."""
        page = self._digests.feed(spec, urls, feeds.feed_papers(spec, self.settings))
        paths = [path for path in (spec.atom_path, spec.json_path) if path]
        return all([self._unchanged(path, page) for path in paths])

    def _file_unchanged(self, relative: str, *reads) -> bool:
        """Whether a citation file is on disk as the content it reads (papers,
        a conference, the catalog) would give it."""
        return self._unchanged(relative, self._digests.reading(relative, *reads))

    def papers_to_render(self, papers) -> list[Paper]:
        """The papers whose pages something they read changed since the
        last build, or which are not on disk."""
        return [
            p for p in papers if not self._unchanged(p.save_as, self._digests.paper(p))
        ]

    def write_papers(self, writer, papers) -> None:
        relative = self.settings["RELATIVE_URLS"]
        for paper in papers:
            writer.write_file(
                paper.save_as,
                self.get_template(paper.template),
                self.context,
                relative,
                url=paper.url,
                paper=paper,
                conference=paper.conference,
                page_name=paper.url,
            )


#: The plugin's own code, templates and static files: a page of an older
#: plugin is rendered again.
_PLUGIN_FOLDER = os.path.dirname(os.path.abspath(__file__))


class _Digests:
    """What each page of ours reads, as a digest (see :mod:`.base.page_digests`).

    - Every page: the site (settings, the template files of every folder the
      templates come from, the plugin's code and the versions of the packages
      it renders with (``_code_digest``), the menu of Pelican's pages and
      articles, the member files, which give the authors' links and the People
      link).
    - A paper page: its file, its conference's file, what grouping derived
      (track, date, URL: the plain fields of both objects), its citation key
      (which depends on the other papers), its image's bytes; when its text has
      ``{filename}``-like links, every file's path and every page's URL.
    - A conference page: its file, its timeline, its tracks and the digest of
      each paper on it (its cards).
    - A feed: its fields, the feed URLs and tag: authority, the digest of each
      paper it shows. A citation file: the digest of the papers, conference
      or whole catalog it cites.
    - Every other page (the index, lists, people): the digest of every file of
      the content, every URL and citation key, and the values it is given.
    """

    def __init__(  # noqa: PLR0913 (keyword-only: what the digests are made of)
        self,
        *,
        root: str,
        files: dict[str, str],
        conferences: list[Conference],
        papers: list[Paper],
        keys: dict[int, str],
        settings,
        menu: list,
        templates: list[str],
    ):
        """``files``: each file of the content (relative path) and the digest
        of its bytes; ``keys``: each paper's citation key, by ``id``;
        ``menu``: Pelican's pages and articles; ``templates``: the folders
        the templates come from."""
        self.root = root
        self.files = files
        self.conferences = conferences
        self.papers = papers
        self.keys = keys
        self._papers: dict[int, str] = {}
        self._conferences: dict[int, str] = {}
        self._conference_fields: dict[int, str] = {}
        self._everything = ""
        self.links = page_digests.digest(
            page_digests.stable(sorted(files)),
            *(f"{c.source_path} {c.url} {c.save_as}" for c in [*conferences, *papers]),
        )
        members = os.path.join(setting(settings, "MEMBERS_PATH"), "")
        self.site = page_digests.digest(
            page_digests.stable(what_to_write(settings)),
            page_digests.tree_digest(templates),
            _code_digest(),
            page_digests.stable([page_digests.plain_fields(page) for page in menu]),
            *(
                f"{path} {digest}"
                for path, digest in sorted(files.items())
                if path.startswith(members)
            ),
        )

    def _file(self, path: str) -> str:
        relative = os.path.relpath(path, self.root)
        return self.files.get(relative) or page_digests.file_digest(path)

    def _fields(self, conference: Conference) -> str:
        """A conference's plain fields, once (each of its papers reads them)."""
        if id(conference) not in self._conference_fields:
            fields = page_digests.plain_fields(conference)
            self._conference_fields[id(conference)] = fields
        return self._conference_fields[id(conference)]

    def paper(self, paper: Paper) -> str:
        if id(paper) in self._papers:
            return self._papers[id(paper)]
        conference = paper.conference
        parts = [
            self.site,
            "paper",
            paper.template,
            self._file(paper.source_path),
            page_digests.plain_fields(paper),
            str(self.keys.get(id(paper))),
        ]
        if conference is not None:
            parts += [self._file(conference.source_path), self._fields(conference)]
        if paper.image:
            parts.append(self._file(os.path.join(self.root, paper.image)))
        if has_placeholder_links(paper):
            parts.append(self.links)
        self._papers[id(paper)] = page_digests.digest(*parts)
        return self._papers[id(paper)]

    def conference(self, conference: Conference) -> str:
        if id(conference) in self._conferences:
            return self._conferences[id(conference)]
        parts = [
            self.site,
            "conference",
            conference.template,
            self._file(conference.source_path),
            self._fields(conference),
            page_digests.stable(conference.social_timeline),
        ]
        if has_placeholder_links(conference):
            parts.append(self.links)
        for track in conference.tracks:
            parts.append(page_digests.plain_fields(track))
            parts += [self.paper(paper) for paper in track.papers]
        self._conferences[id(conference)] = page_digests.digest(*parts)
        return self._conferences[id(conference)]

    def feed(self, spec, urls, papers) -> str:
        """A feed: the site, its own fields, the URLs of the feeds and the
        digest of each paper it shows (their entries are their cards)."""
        fields = {k: v for k, v in vars(spec).items() if k != "papers"}
        return page_digests.digest(
            self.site,
            "feed",
            page_digests.stable(fields),
            urls.site,
            urls.feeds,
            urls.authority,
            *(self.paper(paper) for paper in papers),
        )

    def reading(self, name: str, *reads) -> str:
        """A page or file named ``name`` made of ``reads``: papers,
        conferences, texts (what else it shows, as the writer describes it),
        or the whole catalog (anything else)."""
        parts = []
        for read in reads:
            if isinstance(read, Paper):
                parts.append(self.paper(read))
            elif isinstance(read, Conference):
                parts.append(self.conference(read))
            elif isinstance(read, str):
                parts.append(read)
            else:
                parts.append(self.everything())
        return page_digests.digest(self.site, name, *parts)

    def everything(self, *page: str) -> str:
        if not self._everything:
            keys = [str(self.keys.get(id(p))) for p in self.papers]
            self._everything = page_digests.digest(
                self.site,
                self.links,
                *(f"{path} {digest}" for path, digest in sorted(self.files.items())),
                *(self.conference(c) for c in self.conferences),
                *(self.paper(p) for p in self.papers),
                *keys,
            )
        return page_digests.digest(self._everything, *page)


def _template_folders(loader) -> list[str]:
    """The folders of every file-system loader in ``loader`` (Pelican's
    ChoiceLoader of the theme, the simple templates, EXTRA_TEMPLATES_PATHS)."""
    folders = list(getattr(loader, "searchpath", None) or [])
    for inner in getattr(loader, "loaders", None) or []:
        folders += _template_folders(inner)
    for inner in (getattr(loader, "mapping", None) or {}).values():
        folders += _template_folders(inner)
    return list(dict.fromkeys(folders))


def _parse_memo(settings) -> parse_memo.ParseMemo | None:
    """The parse memo of this code and these settings, with the read cache."""
    if not setting(settings, "READ_CACHE"):
        return None
    version = page_digests.digest(
        _code_digest(), page_digests.stable(what_to_write(settings))
    )
    return parse_memo.ParseMemo.open(settings.get("CACHE_PATH") or "cache", version)


@contextlib.contextmanager
def _no_cycle_collection(paused: bool):
    """With ``paused``, no collection of reference cycles while the content
    is read, in a build that exits afterwards (``make html``).

    Reading makes the build's content, some millions of objects at 10,000
    papers that nearly all live to the end, and each full collection while it
    grows walked everything read so far: 1.2 to 1.7 s of this process's CPU
    at 10,000 papers (three builds each way), in the slowest process of the
    reading phase. What reading drops is freed by reference counting; its
    few cycles wait for the collector (8 MB more at the peak; the pool's
    workers, forked meanwhile, read without it too: 3 MB more). Right after,
    ``freeze_the_content`` takes what was read out of the collector's walks.
    Not in the devserver, which freezes nothing: there the first full
    collection after reading would come before the edited page is written."""
    if not paused or not gc.isenabled():  # someone else's choice stays
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _refused_links(objects) -> frozenset[tuple[str, str]]:
    """The links rendering left out of ``objects`` (``model._checked_link``),
    as (file, link): the forked process sends its own back, and a link seen by
    both processes (on a paper's page and in its card) is counted once."""
    return frozenset(
        (content.source_path, link)
        for content in objects
        for link in content.refused_links
    )


def _not_utf8(path: str, full_path: str, error: UnicodeDecodeError) -> Problem:
    with open(full_path, "rb") as handle:
        line = handle.read()[: error.start].count(b"\n") + 1
    return Problem(
        path,
        line,
        f"the file is not UTF-8 (byte 0x{error.object[error.start]:02x})",
        "save it as UTF-8 in your editor (e.g. 'iconv -f latin1 -t utf-8')",
    )


def _describe(error: Exception) -> str:
    if isinstance(error, reading.ReadError):  # already "Kind: message"
        return str(error)
    return f"{type(error).__name__}: {error}"


def _unreadable(path: str, error: Exception) -> Problem:
    """A file Pelican (or a bug of the plugin) could not read; ``-D`` shows more."""
    logger.debug("conference_papers: reading %s failed", path, exc_info=error)
    return Problem(
        path,
        1,
        f"the file could not be read ({_describe(error)})",
        "correct or remove the file; 'pelican -D' shows where it failed",
    )


def _link_problems(content, source: RawSource, root: str) -> list[Problem]:
    """Each ``{static}``, ``{attach}`` or ``{filename}`` link of the body that
    names no file of content/ (found as Pelican finds them, in the body as
    written and in the sanitized body Pelican will rewrite)."""
    # The body as written first: a tag the sanitizer drops (``<img>``) may still
    # name a file outside content/, and its value is what the file holds (the
    # line is found by it). Each link once, as a browser (and, after the
    # sanitizer, Pelican) reads it: character references decoded.
    bodies = [
        body
        for body in (source.body, raw_body(content))
        if may_hold_placeholder_links(body, content.settings)
    ]
    if not bodies:
        return []  # most papers
    problems = []
    folder = posixpath.dirname(source.path)
    regex = placeholder_regex(content.settings)
    seen: set[str] = set()
    for match in [match for body in bodies for match in regex.finditer(body)]:
        if match.group("what") not in paths.FILE_PLACEHOLDERS:
            continue
        if html.unescape(match.group("path")) in seen:
            continue
        seen.add(html.unescape(match.group("path")))
        parts = urlparse(html.unescape(match.group("value")))
        if parts.scheme:  # "{static}javascript:…": the URL rule reports it
            continue
        target = parts.path
        written = clean_text(html.unescape(match.group("path")))[:120]
        _, reason = paths.link_target(root, folder, target)
        if reason:
            problems.append(
                Problem(
                    source.path,
                    _first_line_with(source.full_path, match.group("value")),
                    f"the link '{written}' cannot be used: {reason}",
                    "link a file under content/, e.g. '{static}/images/poster.pdf' "
                    "(from content/) or '{static}poster.pdf' (beside this file)",
                )
            )
    return problems


def _first_line_with(full_path: str, text: str) -> int:
    """The first line of the file that holds ``text`` (1 when none does)."""
    try:
        with open(full_path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if text in line:
                    return number
    except OSError:
        pass
    return 1


def _placeholder_links(source: RawSource, settings) -> list[Problem]:
    """A problem for each link of the text that the sanitizer leaves out (a
    warning: the text stays) and each ``{static}``/``{filename}``… link whose
    address the URL rule refuses (an error: Pelican's replacement would keep
    it), at the line that writes it."""
    refused, placeholders = body_links(source.body, settings)
    if not refused and not placeholders:
        return []
    with open(source.full_path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    body_start = text.find("\n\n")
    problems: list[Problem] = []
    start = max(body_start, 0)
    for placeholder, address, reason in placeholders:
        # The first occurrence after the previous one, as written or just the
        # placeholder (the address may be written with character references).
        line, start = _line_of(text, (placeholder + address, placeholder), start)
        hint = (
            "after a placeholder write a path under content/ "
            "('{static}images/figure.png', '{filename}other-paper.md'); "
            "an address on the web needs no placeholder: write https://…"
        )
        host = paths.placeholder_host(placeholder, address)
        if host:
            reason = (
                f"after '{placeholder}' Pelican reads '//{clean_text(host)}' as a "
                "host name, not a folder of content/"
            )
            hint = (
                f"write one slash: '{placeholder}/{clean_text(address.lstrip('/'))}'"
                " names that path from content/; an address on the web needs no "
                "placeholder: write https://…"
            )
        problems.append(
            Problem(
                source.path,
                line,
                f"the link '{clean_text(placeholder + address)}' in the text cannot "
                f"be used: {reason}",
                hint,
            )
        )
    start = max(body_start, 0)
    for attribute, address, reason in refused:
        # As written, or up to where a character reference may stand for it.
        written = re.match(r"[^&\s]*", address).group()
        line, start = _line_of(text, (address, written + "&", written), start)
        problems.append(
            Problem(
                source.path,
                line,
                f"the address {attribute}='{clean_text(address)}' in the text is left "
                f"out of the page: {reason}",
                "write an http://, https:// or mailto: address, or a path of the site",
                WARNING,
            )
        )
    return problems


def _line_of(text: str, needles, start: int) -> tuple[int, int]:
    """The line of the first of ``needles`` found in ``text`` from ``start``
    (else the first line of the body), and where to look for the next one."""
    # From ``start`` first (the same link written twice), then from the top
    # (a link only the written body holds comes after those of the clean one).
    for begin in (start, 0):
        for needle in needles:
            at = text.find(needle, begin) if needle else -1
            if at >= 0:
                return text.count("\n", 0, at) + 1, max(at + 1, start)
    return text.count("\n", 0, max(text.find("\n\n"), 0)) + 2, start


def _same_slug(source: RawSource, slug: str, other: str) -> Problem:
    return Problem(
        source.path,
        source.line("slug"),
        f"two conferences have the slug '{slug}' (the other is {other})",
        "rename one of the files or give it another 'Slug:' line",
    )


def load_content(settings) -> ConferencePapersGenerator:
    """Read and validate a content folder without building anything (for
    ``pelican-papers check`` and ``fetch-timeline``); problems are on the result."""
    apply_defaults(settings)
    context = {
        **settings,
        "generated_content": {},
        "static_content": {},
        "static_links": set(),
    }
    generator = ConferencePapersGenerator(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=tempfile.gettempdir(),
        validate=False,
    )
    generator.load()
    reading.save_cache()
    if generator.memo is not None:
        generator.memo.save()
    return generator


def _draft_problems(source, status: str, settings) -> list[Problem]:
    """A draft nobody touched for DRAFT_DAYS, or placeholder text of
    ``pelican-papers new`` in a published paper (see :mod:`.drafts`)."""
    if status == "draft":
        days = setting(settings, "DRAFT_DAYS")
        try:
            age = drafts.draft_age(os.stat(source.full_path).st_mtime, time.time())
        except OSError:
            return []
        if not days or age < days:
            return []
        return [
            Problem(
                source.path,
                source.line("status"),
                f"this draft has not changed for {age} days",
                "finish it and delete the 'Status: draft' line, or delete the file",
                WARNING,
            )
        ]
    return [
        Problem(
            source.path,
            source.line(key or None),
            f"the placeholder '{text}' of pelican-papers new is published",
            f"write the paper's {key or 'abstract'} instead",
            WARNING,
        )
        for key, text in drafts.placeholders(source.text("authors"), source.body)
    ]
