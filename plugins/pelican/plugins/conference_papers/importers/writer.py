"""The one writer behind every importer: records -> Markdown files under DIR.

Importers only parse; they hand :class:`ConferenceRecord` and :class:`PaperRecord`
objects to :class:`ImportWriter`, which slugs the file names, renders the keys
in the order and under the names of the content format's table
(``format.fields``), copies images, and writes nothing at all when a file that
is already there would change (unless ``--force``). Same input, same files.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican.utils import slugify

from ..base import paths
from ..base.text import clean_text
from ..base.urls import field_url_problem
from ..format import fields as table

#: Folders of content/papers/ for the kinds that have no conference edition
#: (DESIGN.md: "the folder is no conference's slug"); ``unsorted`` holds papers
#: whose venue the source does not tell, for ``check`` to name.
KIND_FOLDERS = {
    "journal": "journals",
    "preprint": "preprints",
    "thesis": "theses",
    "book": "books",
    "chapter": "chapters",
    "report": "reports",
    "": "unsorted",
}
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# The longest slug of a file name; longer titles are cut at a word.
SLUG_LENGTH = 60


class ImportFailure(Exception):
    """Bad input: one line for the user, the command exits 1."""


@dataclass(frozen=True, order=True)
class Warning_:
    """Something the importer changed, guessed or could not map."""

    where: str  # "FILE:LINE" of the input, or a written file
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ConferenceRecord:
    slug: str
    title: str
    date: str  # YYYY-MM-DD
    name: str = ""
    end: str = ""
    location: str = ""
    url: str = ""
    icon: str = ""
    tracks: list[str] = field(default_factory=list)
    hashtag: str = ""
    timeline: str = ""
    intro: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    existing: bool = False  # already in the content folder: not written again


@dataclass
class PaperRecord:
    title: str
    authors: list[str]
    conference: str  # a ConferenceRecord slug
    track: str = ""
    workshop: str = ""
    order: int | None = None  # place in its track, when the source has an order
    date: str = ""
    image: str = ""  # path under the content dir, once copied
    image_source: Path | None = None  # a local file to copy to ``image``
    pdf: str = ""
    code: str = ""
    arxiv: str = ""
    doi: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)  # label,url,icon
    tags: list[str] = field(default_factory=list)
    venue: str = ""
    abstract: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    slug: str = ""
    origin: str = ""  # "FILE:LINE" of the input, for warnings


def make_slug(text: str, fallback: str = "paper") -> str:
    """A file-name slug of at most SLUG_LENGTH characters, cut at a hyphen."""
    text = re.sub(r"[./:_]+", " ", text or "")
    slug = slugify(text, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])
    slug = re.sub(r"[^a-z0-9-]", "", slug.lower()).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0]
    return slug or fallback


def _one_line(value: str) -> str:
    return clean_text(str(value))


def _join(values: list[str]) -> str:
    """Pelican's rule read backwards: ``;`` when an item holds a comma."""
    items = [_one_line(v) for v in values if _one_line(v)]
    separator = "; " if any("," in item or ";" in item for item in items) else ", "
    return separator.join(item.replace(";", ",") for item in items)


def _link_label(label: str) -> str:
    """A label that ``Links`` splits and parses back as one link."""
    label = re.sub(r"[;,<>]", " ", _one_line(label))
    return " ".join(label.split()) or "Link"


def _render(pairs: list[tuple[str, str]], body: str) -> str:
    lines = [f"{key}: {value}" for key, value in pairs if value]
    text = "\n".join(lines) + "\n"
    body = body.strip("\n")
    if body.strip():
        text += "\n" + body + "\n"
    return text


def _pairs(
    kind: str, values: dict[str, str], extra: dict[str, str]
) -> list[tuple[str, str]]:
    """Every key of the table, in its order and under its name: the record's
    value, or an extra of that name (``Journal`` from an importer); then the
    other extras, sorted. A record's own field wins over an extra of its name."""
    extras = {key.lower(): value for key, value in extra.items() if _KEY.match(key)}
    pairs = [
        (entry.name, values.get(entry.id, _one_line(extras.get(entry.id, ""))))
        for entry in table.TABLE[kind]
    ]
    known = table.names(kind)
    return pairs + [
        (key, _one_line(value))
        for key, value in sorted(extra.items())
        if _KEY.match(key) and key.lower() not in known and _one_line(value)
    ]


def render_conference(record: ConferenceRecord) -> str:
    values = {
        "title": _one_line(record.title),
        "name": _one_line(record.name),
        "date": record.date,
        "end": record.end,
        "location": _one_line(record.location),
        "url": _one_line(record.url),
        "icon": _one_line(record.icon),
        "tracks": "; ".join(_one_line(t).replace(";", ",") for t in record.tracks),
        "hashtag": _one_line(record.hashtag),
        "timeline": _one_line(record.timeline),
    }
    return _render(_pairs("conference", values, record.extra), record.intro)


def render_paper(record: PaperRecord) -> str:
    links = "; ".join(
        f"{_link_label(label)} <{url}> {icon}".rstrip()
        for label, url, icon in record.links
    )
    values = {
        "title": _one_line(record.title),
        "authors": _join(record.authors),
        "track": _one_line(record.track),
        "workshop": _one_line(record.workshop),
        "order": "" if record.order is None else str(record.order),
        "date": record.date,
        "image": record.image,
        "pdf": record.pdf,
        "code": record.code,
        "arxiv": record.arxiv,
        "doi": record.doi,
        "links": links,
        "tags": _join(record.tags),
        "venue": _one_line(record.venue),
    }
    return _render(_pairs("paper", values, record.extra), record.abstract)


def keep_unlinkable(record: PaperRecord) -> list[str]:
    """Move the addresses that ``check`` refuses in ``Pdf``/``Code``/``Links``
    (a path of the old site such as ``assets/pdf/x.pdf`` when no --base-url was
    given) to ``Original-Pdf``… keys: kept in the file for a person to fix,
    never a field that fails the build. The rule is the schema's own
    (urls.field_url_problem); returns one warning per address moved."""
    moved: dict[str, list[str]] = {}
    if record.pdf and field_url_problem(record.pdf):
        moved.setdefault("Pdf", []).append(record.pdf)
        record.pdf = ""
    if record.code and field_url_problem(record.code):
        moved.setdefault("Code", []).append(record.code)
        record.code = ""
    kept = []
    for label, url, icon in record.links:
        if field_url_problem(url):
            moved.setdefault("Links", []).append(f"{_link_label(label)} <{url}>")
        else:
            kept.append((label, url, icon))
    record.links = kept
    messages = []
    for key, values in moved.items():
        record.extra[f"Original-{key}"] = "; ".join(values)
        for value in values:
            reason, _ = field_url_problem(value.rpartition("<")[2].rstrip(">"))
            messages.append(
                f"{key} '{value[:60]}' is not linked ({reason}): kept as "
                f"'Original-{key}:'; pass --base-url https://the-old-site/ to link it"
            )
    return messages


def sorted_warnings(warnings: list[Warning_]) -> list[Warning_]:
    """Once each, by file and then line number."""

    def key(warning: Warning_):
        path, _, line = warning.where.rpartition(":")
        if line.isdigit():
            return (path, int(line), warning.message)
        return (warning.where, 0, warning.message)

    return sorted(set(warnings), key=key)


class Progress:
    """A bar on stderr for long inputs (a counter when stderr is not a terminal)."""

    def __init__(self, total: int, label: str, threshold: int = 20):
        self.total, self.label = total, label
        self.shown = total >= threshold
        self.tty = sys.stderr.isatty()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if not self.shown:
            return
        if self.tty:
            filled = 30 * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (30 - filled)
            end = "\n" if self.done == self.total else ""
            print(
                f"\r{self.label} [{bar}] {self.done}/{self.total}",
                end=end,
                file=sys.stderr,
                flush=True,
            )
        elif self.done == self.total or self.done % max(self.total // 4, 1) == 0:
            print(f"{self.label}: {self.done}/{self.total}", file=sys.stderr)


def site_file(site: Path, relative: str) -> tuple[Path | None, str | None]:
    """(the file, None) that ``relative`` names in the old site's folder
    ``site``, (None, None) when there is none, or (None, why it is refused).

    A ``/`` in front means the site's root, as it does on the old site. A path
    that climbs out (``../../.ssh/id_rsa``), names another file by an absolute
    path or leads out through a link is refused: an import copies the file into
    content/, and from there the build publishes it.
    """
    where = f"the old site's folder {site}"
    normal, reason = paths.resolve(str(site), relative.strip().lstrip("/"), where)
    if reason:
        return None, reason if where in reason else f"{reason} (in {where})"
    candidate = site / normal
    return (candidate if candidate.is_file() else None), None


def slug_failure(slug: str, what: str) -> ImportFailure | None:
    """The failure to raise when ``slug`` cannot be a file name of content/."""
    reason = paths.slug_problem(slug)
    if reason is None:
        return None
    suggestion = make_slug(slug, fallback="neurips-2022")
    return ImportFailure(
        f"{what} '{clean_text(slug)[:80]}' cannot be used: {reason}; "
        f"write e.g. '{suggestion}'"
    )


class ImportWriter:
    """Collects records, then writes them all or nothing."""

    def __init__(self, content: Path, force: bool = False):
        self.content = Path(content)
        self.force = force
        self.conferences: dict[str, ConferenceRecord] = {}
        self.papers: list[PaperRecord] = []
        self.warnings: list[Warning_] = []
        #: other content files, by path under the content folder (a timeline
        #: snapshot of imported posts): written with the rest, or not at all
        self.files: dict[str, str] = {}

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Warning_(where, message))

    def add_conference(self, record: ConferenceRecord) -> ConferenceRecord:
        """The conference of that slug (the first one given wins)."""
        return self.conferences.setdefault(record.slug, record)

    def add_paper(self, record: PaperRecord) -> None:
        for message in keep_unlinkable(record):
            self.warn(record.origin or record.title, message)
        self.papers.append(record)

    # --- planning ------------------------------------------------------------

    def plan(self) -> dict[Path, bytes | Path]:
        """Every file to write: its text, or the image file to copy."""
        files: dict[Path, bytes | Path] = {
            self.content / relative: text.encode("utf-8")
            for relative, text in sorted(self.files.items())
        }
        for slug in sorted(self.conferences):
            # A conference's slug names a file and a folder under content/.
            failure = slug_failure(slug, "the conference slug")
            if failure:
                raise failure
            record = self.conferences[slug]
            if record.existing:
                continue
            path = self.content / "conferences" / f"{slug}.md"
            text = render_conference(record).encode("utf-8")
            if path.is_file() and not self.force and path.read_bytes() != text:
                # An edition another import (or the lab) wrote: its page stays.
                self.warn(
                    f"conferences/{slug}.md",
                    "the conference exists: kept as it is, the papers are added "
                    "to it (pass --force to replace it)",
                )
                continue
            files[path] = text
        taken: dict[str, set[str]] = {}
        for paper in self.papers:
            if (
                paper.conference not in self.conferences
                and paper.conference not in KIND_FOLDERS.values()
            ):
                raise ImportFailure(
                    f"internal: paper '{paper.title}' has no conference record"
                )
            used = taken.setdefault(paper.conference, set())
            base = make_slug(paper.slug or paper.title)
            slug, number = base, 2
            while slug in used:
                slug, number = f"{base}-{number}", number + 1
            used.add(slug)
            paper.slug = slug
            if paper.image_source is not None:
                suffix = paper.image_source.suffix.lower() or ".png"
                paper.image = f"images/{paper.conference}/{slug}{suffix}"
                files[self.content / paper.image] = paper.image_source
            path = self.content / "papers" / paper.conference / f"{slug}.md"
            files[path] = render_paper(paper).encode("utf-8")
        return files

    def write(self, label: str = "writing") -> dict[str, int]:
        """Write every file, or none when one would overwrite a changed file."""
        files = self.plan()
        blocked, unchanged = [], 0
        for path, data in files.items():
            if not path.exists():
                continue
            new = data.read_bytes() if isinstance(data, Path) else data
            if path.read_bytes() == new:
                unchanged += 1
            elif not self.force:
                blocked.append(path)
        if blocked:
            shown = ", ".join(str(p) for p in blocked[:3])
            more = f" and {len(blocked) - 3} more" if len(blocked) > 3 else ""
            raise ImportFailure(
                f"{len(blocked)} file(s) exist with other content ({shown}{more}); "
                "nothing was written; pass --force to replace them"
            )
        progress = Progress(len(files), label)
        written = 0
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Path):
                if not (path.exists() and path.read_bytes() == data.read_bytes()):
                    shutil.copyfile(data, path)
                    written += 1
            elif not (path.exists() and path.read_bytes() == data):
                path.write_bytes(data)
                written += 1
            progress.step()
        return {
            "papers": len(self.papers),
            "conferences": len(self.conferences),
            "warnings": len(set(self.warnings)),
            "written": written,
            "unchanged": unchanged,
        }

    def report(self, counts: dict[str, int], out=None) -> None:
        """Warnings (stderr), then the summary line (stdout)."""
        for warning in sorted_warnings(self.warnings):
            print(f"warning: {warning}", file=sys.stderr)
        print(
            f"imported {counts['papers']} paper(s) in {counts['conferences']} "
            f"conference(s) into {self.content}: {counts['written']} file(s) written, "
            f"{counts['unchanged']} unchanged, {counts['warnings']} warning(s)",
            file=out or sys.stdout,
        )
