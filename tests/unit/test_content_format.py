"""The one table of content keys (format/fields.py) is what the parsers, the
importers' writer, ``pelican-papers new`` and docs/content-format.md all say."""

from __future__ import annotations

from pathlib import Path

import pytest

from pelican.plugins.conference_papers.format import fields, members, schema
from pelican.plugins.conference_papers.format.header import RawSource, scan_header
from pelican.plugins.conference_papers.importers.writer import (
    PaperRecord,
    render_paper,
)

from ..conftest import REPO
from ..content_format import DOC

PATHS = {
    "conference": "conferences/neurips-2022.md",
    "paper": "papers/neurips-2022/robust-models.md",
    "member": "members/margret-keuper.md",
}


def parse(kind: str, meta: dict[str, str], root: Path):
    source = RawSource(PATHS[kind], str(root / "missing.md"), "<p>Text.</p>", meta)
    if kind == "conference":
        return schema.parse_conference(source, "UTC")
    if kind == "paper":
        return schema.parse_paper(source, "UTC")
    return members.parse_member(source, str(root))


@pytest.fixture
def root(tmp_path):
    photo = tmp_path / fields.key("member", "photo").example
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"")
    return tmp_path


def examples(kind: str) -> dict[str, str]:
    return {entry.id: entry.example for entry in fields.TABLE[kind]}


def test_the_committed_reference_is_the_tables():
    assert DOC.read_text(encoding="utf-8") == fields.markdown(), (
        f"docs/content-format.md is out of date. {fields.REGENERATE}"
    )


@pytest.mark.parametrize("kind", fields.TABLE)
def test_every_example_of_the_table_parses_as_a_known_key(kind, root):
    found, problems = parse(kind, examples(kind), root)
    assert [str(p) for p in problems] == []
    assert found["extra"] == {}, "each key of the table is known to its parser"


@pytest.mark.parametrize(
    ("kind", "name"),
    [(kind, e.name) for kind, keys in fields.TABLE.items() for e in keys if e.required],
)
def test_a_missing_required_key_is_an_error_with_the_tables_words(kind, name, root):
    meta = examples(kind)
    del meta[name.lower()]
    _, problems = parse(kind, meta, root)
    message, hint = fields.missing(kind, name)
    assert [(p.message, p.hint, p.severity) for p in problems] == [
        (message, hint, "error")
    ]
    assert f"'{name}: " in hint, "the hint says which line to write"


def test_citekey_and_openalex_are_known_a_near_spelling_is_a_warning(root):
    meta = {**examples("paper"), "citkey": "x"}
    found, problems = parse("paper", meta, root)
    assert found["citekey"] == "grabinski2022robust"
    assert found["openalex"] == "W4300000101"
    assert [(p.message.split(" (")[0], p.hint) for p in problems] == [
        ("the key 'Citkey' is not one the plugin knows", "did you mean 'Citekey:'?")
    ]


def test_the_writer_writes_the_tables_order_and_reads_back(root):
    record = PaperRecord(
        title="Robust Models", authors=["Julia Grabinski", "Margret Keuper"],
        conference="neurips-2022", track="Full Paper", order=2, date="2022-10-11",
        pdf="https://example.org/a.pdf", arxiv="2210.05938", tags=["robustness"],
        venue="Oral", abstract="An abstract.",
        extra={"Type": "journal", "Volume": "132", "Journal": "IJCV",
               "Original-Image": "old/a.png", "title": "never written twice"},
    )  # fmt: skip
    text = render_paper(record)
    header = text.split("\n\n")[0].split("\n")
    assert [line.split(":")[0] for line in header] == [
        "Title", "Authors", "Track", "Order", "Date", "Pdf", "Arxiv", "Tags",
        "Venue", "Journal", "Volume", "Type", "Original-Image",
    ]  # fmt: skip
    meta = {line.split(": ")[0].lower(): line.split(": ", 1)[1] for line in header}
    found, problems = parse("paper", meta, root)
    assert [str(p) for p in problems] == []
    assert (found["journal"], found["volume"], found["order"]) == ("IJCV", "132", 2)
    assert found["extra"] == {"original-image": "old/a.png"}


#: The keys of the content format's design, by kind of file (our own list).
DESIGNED = {
    "conference": "Title Name Date End Location Url Icon Tracks Hashtag Timeline",
    "paper": "Title Authors Conference Track Workshop Date Modified Image Pdf Code "
    "Arxiv Doi Links Tags Journal Volume Issue Pages Publisher Preprint Type "
    "Presentation Award Featured",
    "member": "Name Aliases Role Photo Orcid Openalex Website Since Until",
}


@pytest.mark.parametrize("kind", fields.TABLE)
def test_every_designed_key_is_in_the_table(kind):
    assert set(DESIGNED[kind].lower().split()) <= fields.names(kind)


@pytest.mark.parametrize(
    ("kind", "folder"),
    [("conference", "conferences"), ("paper", "papers"), ("member", "members")],
)
def test_the_example_site_writes_only_keys_of_the_table(kind, folder):
    files = sorted((REPO / "content" / folder).rglob("*.md"))
    assert files
    for path in files:
        keys = {key for key, _ in scan_header(path.read_text(encoding="utf-8"))}
        assert keys <= fields.names(kind), (path, sorted(keys - fields.names(kind)))
