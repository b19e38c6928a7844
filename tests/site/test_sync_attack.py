"""``sync`` against hand edits and hostile OpenAlex answers (the loopback
server): an edit of any shape survives, a second run changes no byte, an
answer that would put markup, a script address or a path on a page is refused
or cleaned, a broken state file is an error in one line. The hand edits of
every shape held already; the other tests failed before the fix they come
with (the "attack" branch)."""

from __future__ import annotations

import copy

from pelican.plugins.conference_papers import sync
from pelican.plugins.conference_papers.commands import main as cli

from ..openalex_server import OpenAlex, load_works
from . import test_sync
from .test_sync import ICML, snapshot

# The sync tests' fixtures: Ada's member file, the day a count is taken on.
content = test_sync.content
fixed_day = test_sync.fixed_day

NEURIPS = (
    "papers/neural-information-processing-systems-2022/"
    "robust-models-are-less-over-confident.md"
)


def run(content, server, *extra) -> int:
    return cli.main(["sync", str(content), "--openalex-url", server.base, *extra])


def works_with(change) -> list[dict]:
    works = copy.deepcopy(load_works())
    for work in works:
        change(work)
    return works


def robust(change):
    def apply(work):
        if work["id"].endswith("W4300000006"):
            change(work)

    return apply


def more_citations(work):
    work["cited_by_count"] = int(work.get("cited_by_count") or 0) + 50


# --- hand edits ----------------------------------------------------------------


def test_hand_edits_of_every_shape_survive_and_a_rerun_changes_nothing(content, capsys):
    with OpenAlex() as server:
        assert run(content, server) == 0
    path = content / NEURIPS
    lines = path.read_text("utf-8").split("\n")
    header_end = lines.index("")
    header, body = lines[:header_end], lines[header_end:]
    header = [h.replace("Robust Models", "Robust models") for h in header]
    header = header[1:] + header[:1]  # the Title moved to the end by hand
    edited = "\n".join([*header, "", "My own abstract.", ""])
    path.write_text(edited, "utf-8")
    assert body  # the abstract sync wrote, now replaced
    before = snapshot(content)
    with OpenAlex(works_with(robust(more_citations))) as server:
        assert run(content, server) == 0
    text = path.read_text("utf-8")
    assert "Title: Robust models are less Over-Confident" in text
    assert text.endswith("\n\nMy own abstract.\n")
    after = snapshot(content)
    assert after != before  # the count was updated
    with OpenAlex(works_with(robust(more_citations))) as server:
        assert run(content, server) == 0
    assert snapshot(content) == after


def test_crlf_file_keeps_its_line_endings_when_a_field_is_updated(content):
    with OpenAlex() as server:
        assert run(content, server) == 0
    path = content / NEURIPS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    with OpenAlex(works_with(robust(more_citations))) as server:
        assert run(content, server) == 0
    data = path.read_bytes()
    assert b"Citations:" in data
    assert data.count(b"\r\n") == data.count(b"\n"), data


def test_broken_state_file_stops_the_sync_in_one_line(content, capsys):
    with OpenAlex() as server:
        assert run(content, server) == 0
        for broken in ("{not json", '{"papers/x.md": "a string"}', "[1, 2]"):
            (content / sync.STATE_FILE).write_text(broken, "utf-8")
            before = snapshot(content)
            capsys.readouterr()
            code = run(content, server)
            err = capsys.readouterr().err
            assert snapshot(content) == before
            assert code == 1, err
            assert "Traceback" not in err
            assert sync.STATE_FILE in err.strip().splitlines()[-1]


# --- hostile answers -----------------------------------------------------------


def hostile(work):
    work["title"] = work["display_name"] = (
        'Robust <script>alert(1)</script> {{ 7*7 }} {% raw %} <img src=x onerror="x">'
    )
    work["abstract_inverted_index"] = {
        "Huge": [10**12],
        "negative": [-5],
        "<b>bold</b>": [0],
        "fine": [1, 2],
        "text": "not a list",
    }
    work["doi"] = "https://doi.org/10.1234/../../%2F..%2Fescape"
    location = work["primary_location"]
    location["landing_page_url"] = "javascript:alert(1)"
    location["pdf_url"] = "//evil.example/x.pdf"
    work["locations"] = [location]
    many = work["authorships"][1]
    work["authorships"] = [
        {
            "author_position": "middle",
            "author": {"id": f"https://openalex.org/A9{i}", "display_name": f"N{i}"},
            "raw_author_name": f"N{i}",
        }
        for i in range(50_000)
    ] + [many]
    work["ids"]["doi"] = work["doi"]


def test_hostile_work_is_written_as_text_inside_content(content, capsys, tmp_path):
    with OpenAlex(works_with(robust(hostile))) as server:
        assert run(content, server) == 0, capsys.readouterr().err
    inside = {p.resolve() for p in content.rglob("*") if p.is_file()}
    outside = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()} - inside
    assert outside == set()
    files = {p: p.read_text("utf-8") for p in content.rglob("*.md")}
    texts = "\n".join(files.values())
    assert "javascript:" not in texts and "//evil.example" not in texts
    assert "<script" not in texts and "onerror" not in texts
    assert cli.main(["check", str(content)]) == 0, capsys.readouterr().err


def test_file_with_a_byte_order_mark_is_updated_and_keeps_it(content, capsys):
    """Windows editors write a BOM: sync read no key of such a file (a
    traceback), while the build reads it as any other."""
    with OpenAlex() as server:
        assert run(content, server) == 0
    path = content / NEURIPS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"Robust M", b"Rob M"))
    with OpenAlex(works_with(robust(more_citations))) as server:
        assert run(content, server) == 0, capsys.readouterr().err
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfTitle: Rob Models")  # BOM and edit kept
    assert b"\nCitations: 50 (OpenAlex, 2026-12-01)\n" in data
    assert data.count(b"Title:") == 1


def test_a_paper_file_without_a_header_does_not_stop_the_sync(content, capsys):
    empty = content / "papers/preprints/empty.md"
    empty.parent.mkdir(parents=True)
    empty.write_text("\nJust a body, no keys yet.\n", "utf-8")
    with OpenAlex() as server:
        assert run(content, server) == 0, capsys.readouterr().err
    assert (content / NEURIPS).is_file()
    assert empty.read_text("utf-8") == "\nJust a body, no keys yet.\n"


def test_an_abstract_removed_by_hand_stays_removed(content, capsys):
    """A field sync wrote and a hand removed stays removed; the abstract came
    back at each run."""
    with OpenAlex() as server:
        assert run(content, server) == 0
        path = content / ICML
        header, body = path.read_text("utf-8").split("\n\n", 1)
        assert body.strip()  # the abstract sync wrote
        path.write_text(header + "\n", "utf-8")
        capsys.readouterr()
        assert run(content, server) == 0
    assert path.read_text("utf-8") == header + "\n"
    assert f"kept a hand edit: {ICML}: the abstract" in capsys.readouterr().err
