"""The Pelican generator: read, validate, group, write.

Read: conference and paper files go through Pelican's own readers (Markdown
extensions, the content cache), with the metadata kept as written so that the
schema can say exactly what is wrong. Validate: ``schema``. Group: ``grouping``.
Write: the pages here; feeds, citations and the timeline in their own modules.
"""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Iterator

from pelican.generators import Generator
from pelican.readers import Readers

from . import feeds, grouping, images, reading, scholar, timeline
from .cards import CardRenderer
from .mathml import MathExtension
from .model import Conference, Paper
from .schema import (
    ERROR,
    Problem,
    RawSource,
    parse_conference,
    parse_paper,
)
from .settings import setting

logger = logging.getLogger(__name__)


class ContentError(Exception):
    """The content has errors; each was logged with its file and line."""

    exitcode = 1


def _keep_raw(name, value):
    """Stand-in for a reader's ``process_metadata``: keep the text as written."""
    return value


def paper_readers(settings) -> Readers:
    """Pelican's readers, with math rendering and the metadata left raw."""
    settings = copy.copy(settings)
    markdown = copy.deepcopy(settings["MARKDOWN"])
    markdown.setdefault("extensions", []).append(MathExtension())
    settings["MARKDOWN"] = markdown
    readers = Readers(settings, "ConferencePapersGenerator-Readers")
    reading.reuse_markdown(readers)
    for reader in readers.readers.values():
        reader.process_metadata = _keep_raw
    return readers


class ConferencePapersGenerator(Generator):
    """Conference pages, the conference index and a page per paper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = paper_readers(self.settings)
        # Our pages are rendered with autoescape on: a title is text, never HTML.
        # No template changes during a build (the devserver makes a new generator
        # for each), so Jinja need not stat every template and include per page.
        self.env = self.env.overlay(autoescape=True, auto_reload=False)
        self.conferences: list[Conference] = []
        self.papers: list[Paper] = []
        self.problems: list[Problem] = []
        self.cards = CardRenderer(self)

    # --- read and validate -------------------------------------------------

    def read_sources(self, folder: str) -> Iterator[RawSource]:
        """The files of ``folder`` in order, read as they are asked for (in a
        pool of processes when there are many: see ``reading``)."""
        paths = sorted(self.get_files([folder]))
        reads = reading.read_files(self.readers, self.path, paths, self.settings)
        for path, raw in reads:
            full_path = os.path.join(self.path, path)
            relative = path.replace(os.sep, "/")
            if isinstance(raw, UnicodeDecodeError):
                self.problems.append(_not_utf8(relative, full_path, raw))
                continue
            yield RawSource(relative, full_path, raw.content, raw.metadata)

    def load(self) -> None:
        """Read, validate and group every conference and paper file."""
        timezone = self.settings.get("TIMEZONE") or "UTC"
        conferences: dict[str, Conference] = {}
        for source in self.read_sources(setting(self.settings, "CONFERENCES_PATH")):
            fields, problems = parse_conference(source, timezone)
            self.problems += problems
            if any(p.severity == ERROR for p in problems):
                continue
            conference = Conference(
                fields, self.settings, source.full_path, self.context
            )
            if conference.status == "draft":
                continue
            conferences[conference.slug] = conference

        papers: list[Paper] = []
        for source in self.read_sources(setting(self.settings, "PAPERS_PATH")):
            fields, problems = parse_paper(source, timezone)
            conference = conferences.get(fields["conference"])
            if conference is None:
                problems.append(grouping.unknown_conference(source, fields, conferences))
            self.problems += problems
            if any(p.severity == ERROR for p in problems):
                continue
            # A paper without a Date came out when its conference began.
            fields["date"] = fields["date"] or conference.date
            paper = Paper(fields, self.settings, source.full_path, self.context)
            if paper.status != "draft":
                papers.append(paper)
                if paper.image:
                    self.problems += images.check_image(self, source, paper)

        self.problems += grouping.group(conferences, papers, self.settings)
        self.conferences = grouping.newest_first(conferences.values())
        self.papers = grouping.newest_first(papers)
        timeline.attach_timelines(self)

    def report(self) -> None:
        """Log every problem; stop the build before anything is written."""
        for problem in sorted(self.problems, key=lambda p: (p.path, p.line)):
            log = logger.error if problem.severity == ERROR else logger.warning
            log("conference_papers: %s", problem)
        errors = sum(p.severity == ERROR for p in self.problems)
        if errors:
            raise ContentError(
                f"conference_papers: {errors} error(s) in the content; "
                "nothing was written (run 'pelican-papers check' to list them)"
            )

    def generate_context(self) -> None:
        self.load()
        self.report()
        for paper in self.papers:
            self.add_source_path(paper)
            self.add_static_links(paper)
        for conference in self.conferences:
            self.add_source_path(conference)
            self.add_static_links(conference)
        self.context["conferences"] = self.conferences
        self.context["papers"] = self.papers
        self.context["conference_years"] = grouping.by_year(self.conferences)
        self.context["conference_papers_cards"] = self.cards

    # --- write ---------------------------------------------------------------

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        for conference in self.conferences:
            writer.write_file(
                conference.save_as,
                self.get_template(conference.template),
                self.context,
                relative,
                url=conference.url,
                conference=conference,
                page_name=conference.url,
            )
        writer.write_file(
            setting(self.settings, "INDEX_SAVE_AS"),
            self.get_template("conference_papers/index"),
            self.context,
            relative,
            url=setting(self.settings, "INDEX_URL"),
            page_name="conferences",
        )
        for paper in self.papers:
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
        feeds.write_feeds(self, writer)
        scholar.write_citations(self, writer)


def _not_utf8(path: str, full_path: str, error: UnicodeDecodeError) -> Problem:
    with open(full_path, "rb") as handle:
        line = handle.read()[: error.start].count(b"\n") + 1
    return Problem(
        path,
        line,
        f"the file is not UTF-8 (byte 0x{error.object[error.start]:02x})",
        "save it as UTF-8 in your editor (e.g. 'iconv -f latin1 -t utf-8')",
    )

