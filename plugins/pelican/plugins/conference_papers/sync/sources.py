"""What sync reads of the content folder: the headers of its files, the members
(whose works it asks for and whose names it writes), lab-website-template's
``sources.yaml`` and the papers already there.

Why apart from the planning: these readers answer "what is there" and never
decide what changes; a fault in them (a sources.yaml that is not YAML) stops
the run before anything is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..base import identifiers, matching, openalex
from ..base.names import Directory
from ..base.text import clean_text
from ..format.schema import scan_header, split_list
from ..importers.yaml_data import load_yaml


class SyncFailure(Exception):
    """A fault that stops the sync before anything is written: one line."""


# --- reading the content folder ----------------------------------------------


def read_header(text: str) -> tuple[list[str], dict[str, tuple[int, int, str]]]:
    """The file's lines and, per lower-case key, (first line, end line, value):
    the lines ``schema.scan_header`` finds as metadata, continuation lines joined."""
    lines = text.split("\n")
    keys = scan_header(text)
    found: dict[str, tuple[int, int, str]] = {}
    if not keys:  # an empty file, or one that starts with its body
        return lines, found
    ends = [number for _, number in keys[1:]]
    header_end = _header_end(lines, keys)
    for (key, number), following in zip(keys, [*ends, header_end + 1], strict=True):
        start = number - 1
        value = lines[start].split(":", 1)[1].strip()
        more = [line.strip() for line in lines[start + 1 : following - 1]]
        value = " ".join([value, *more]).strip()
        found.setdefault(key, (start, following - 1, value))
    return lines, found


def _header_end(lines: list[str], keys: list[tuple[str, int]]) -> int:
    """The index (0-based) of the first line after the header."""
    if not keys:
        return 0
    index = keys[-1][1]
    while (
        index < len(lines) and lines[index].startswith("    ") and lines[index].strip()
    ):
        index += 1
    return index


def _values(path: Path) -> dict[str, str]:
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    return {key: value for key, (_, _, value) in read_header(text)[1].items()}


@dataclass
class Lab:
    """The members as a synced author list must name them: a work's author with
    a member's ORCID iD or OpenAlex id, else with her name or an alias (names.py's
    rule, the one the pages link by), is written with the member's Name, so that
    her page lists the paper."""

    by_orcid: dict[str, str] = field(default_factory=dict)
    by_openalex: dict[str, str] = field(default_factory=dict)
    names: Directory = field(default_factory=Directory)

    def name_of(self, author: openalex.Author) -> str:
        return (
            self.by_orcid.get(author.orcid)
            or self.by_openalex.get(author.openalex)
            or self.names.canonical(author.name)
            or author.name
        )


def lab_members(content: Path) -> Lab:
    lab = Lab()
    for path in sorted((content / "members").glob("*.md")):
        try:
            header = read_header(path.read_text("utf-8-sig"))[1]
        except (OSError, UnicodeDecodeError):
            continue  # the build reports a file it cannot read
        name = header.get("name", (0, 0, ""))[2]
        if not name:
            continue
        aliases = split_list(header.get("aliases", (0, 0, ""))[2])
        lab.names.add(name, None, aliases)
        for value in split_list(header.get("orcid", (0, 0, ""))[2]):
            orcid = identifiers.normalize_orcid(value)
            if orcid:
                lab.by_orcid.setdefault(orcid, name)
        for value in split_list(header.get("openalex", (0, 0, ""))[2]):
            if openalex.short_id(value):
                lab.by_openalex.setdefault(openalex.short_id(value), name)
    return lab


def member_authors(content: Path) -> list[tuple[str, str]]:
    """("FILE:LINE", ORCID iD or OpenAlex author id) of every member file."""
    found = []
    for path in sorted((content / "members").glob("*.md")):
        try:
            header = read_header(path.read_text("utf-8-sig"))[1]
        except (OSError, UnicodeDecodeError):
            continue  # the build reports a file it cannot read
        for key in ("orcid", "openalex"):
            start, _, values = header.get(key, (0, 0, ""))
            for value in values.replace(";", ",").split(","):
                if value.strip():
                    found.append((f"{path}:{start + 1}", value.strip()))
    return found


def source_entries(
    content: Path,
) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]], list[str]]:
    """lab-website-template's sources.yaml: its ``orcid:`` entries (whose works
    are asked for), its ``id: doi:…|arxiv:…|pmid:…`` entries as (where, kind,
    value), and notes for entries sync cannot use."""
    path = content / "sources.yaml"
    if not path.is_file():
        return [], [], []
    try:
        _, data = load_yaml(path.read_text("utf-8"))
    except Exception as error:  # yaml.YAMLError, UnicodeDecodeError
        raise SyncFailure(f"{path}: cannot be read as YAML ({error})") from None
    found, ids, notes = [], [], []
    for entry in data if isinstance(data, list) else []:
        if not isinstance(entry, dict):
            continue
        if entry.get("orcid"):
            found.append((str(path), str(entry["orcid"])))
        if entry.get("id"):
            value = clean_text(str(entry["id"]))
            kind, _, rest = value.partition(":")
            kind = kind.strip().lower()
            identifier = _identifier(kind, rest.strip())
            if identifier:
                ids.append((str(path), *identifier))
            else:
                notes.append(
                    f"{path}: 'id: {value[:60]}' is not a DOI, arXiv id or PubMed "
                    "id sync can ask for (write e.g. 'id: doi:10.1109/CVPR.2020.1', "
                    "'id: arxiv:2210.05938' or 'id: pmid:29456894')"
                )
    return found, ids, notes


def _identifier(kind: str, value: str) -> tuple[str, str] | None:
    """("doi", DOI), ("arxiv", id) or ("pmid", digits) from a sources.yaml id."""
    if kind == "doi" and identifiers.normalize_doi(value):
        doi = identifiers.normalize_doi(value)
        arxiv = identifiers.arxiv_of_doi(doi)
        return ("arxiv", arxiv) if arxiv else ("doi", doi)
    if kind == "arxiv" and identifiers.arxiv_key(value):
        return "arxiv", identifiers.arxiv_key(value)
    if kind == "pmid" and value.isdigit():
        return "pmid", value
    return None


def existing_papers(content: Path) -> tuple[matching.Existing, dict[str, Path]]:
    entries, files = [], {}
    for path in sorted((content / "papers").rglob("*.md")):
        values = _values(path)
        relative = path.relative_to(content).as_posix()
        values["path"] = relative
        entries.append(values)
        files[relative] = path
    return matching.Existing.of(entries), files


def existing_conferences(content: Path) -> set[str]:
    return {path.stem for path in (content / "conferences").glob("*.md")}
