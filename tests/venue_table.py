"""Print what the venue recogniser makes of every venue in a folder of real sites.

Not a test (pytest does not collect it): a table for a person to read, run
against /work/shared/fixtures/real-sites/ or any folder laid out like it. It
finds the venue strings the importers would meet: ``publisher`` (and
``publishershort``) in lab-website-template YAML, ``booktitle``/``journal`` with
``abbr`` and the entry type in BibTeX, and Hugo Academic's ``publication`` with
its ``publication_types``. Quirks found here become cases of our own in
tests/unit/test_venues.py; the sites' data is never copied into the project.

    .venv/bin/python tests/venue_table.py /work/shared/fixtures/real-sites
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

import bibtexparser
import yaml

from pelican.plugins.conference_papers.base.venues import recognise

# Hugo Academic's publication_types, as BibTeX entry types.
_HUGO_TYPES = {
    "1": "inproceedings",
    "2": "article",
    "3": "misc",
    "4": "techreport",
    "5": "book",
    "6": "incollection",
    "7": "phdthesis",
}


def _yaml_rows(path: Path):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and item.get("publisher"):
            yield {
                "venue": str(item["publisher"]),
                "acronym": str(item.get("publishershort") or ""),
                "year": str(item.get("date") or "")[:4],
            }


def _bib_rows(path: Path):
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    for entry in library.entries:
        fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
        venue = fields.get("booktitle") or fields.get("journal") or ""
        key = entry.key if entry.key.startswith(("DBLP:", "conf/", "journals/")) else ""
        yield {
            "venue": re.sub(r"\s+", " ", str(venue)),
            "acronym": fields.get("abbr") or key,
            "entry_type": entry.entry_type,
            "year": str(fields.get("year") or ""),
            "volume": str(fields.get("volume") or ""),
            "issue": str(fields.get("number") or ""),
            "pages": str(fields.get("pages") or ""),
        }


def _hugo_rows(path: Path):
    text = path.read_text(encoding="utf-8")
    venue = re.search(r'^publication:\s*"(.*)"\s*$', text, re.M)
    if not venue:
        return
    types = re.search(r'^publication_types:\s*\["(\d+)"\]', text, re.M)
    year = re.search(r"^date:\s*(\d{4})", text, re.M)
    yield {
        "venue": venue.group(1),
        "entry_type": _HUGO_TYPES.get(types.group(1) if types else "", ""),
        "year": year.group(1) if year else "",
    }


def rows(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.name != "coauthors.yml":
            found = _yaml_rows(path)
        elif path.suffix == ".bib":
            found = _bib_rows(path)
        elif path.name == "index.md" and "publication" in path.parts:
            found = _hugo_rows(path)
        else:
            continue
        for row in found:
            yield path.relative_to(folder), row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    kinds = collections.Counter()
    unrecognised = []
    seen = set()
    for path, row in rows(args.folder):
        venue = recognise(**row)
        kinds[venue.kind or "(none)"] += 1
        if not venue.kind:
            unrecognised.append((path, row))
        line = (
            f"{venue.kind or '-':10} | {venue.slug or '-':28} | {venue.title or '-':22}"
            f" | {venue.workshop or venue.name or '-'}"
            f"{' | track: ' + venue.track if venue.track else ''}"
            f"{' | notes: ' + '; '.join(venue.notes) if venue.notes else ''}"
            f"  <= {row['venue']!r}"
            f"{' [' + row['acronym'] + ']' if row.get('acronym') else ''}"
            f"{' @' + row['entry_type'] if row.get('entry_type') else ''}"
        )
        if line not in seen:
            seen.add(line)
            print(line)
    total = sum(kinds.values())
    print(f"\n{total} venues ({len(seen)} distinct rows):", end=" ")
    print(", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    for path, row in unrecognised:
        print(f"unrecognised: {path}: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
