"""``pelican-papers check`` and ``new``: what a lab member types, what they see."""

from __future__ import annotations

import json
import os
import time

import pytest

from pelican.plugins.conference_papers.commands import main as cli


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A content folder with no pelicanconf.py anywhere near it."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    (content / "conferences").mkdir(parents=True)
    (content / "conferences" / "cvpr-2024.md").write_text(
        "Title: CVPR 24\nDate: 2024-06-17\n"
    )
    (content / "papers" / "cvpr-2024").mkdir(parents=True)
    return content


def test_check_works_on_any_folder_with_pelicans_and_the_plugins_defaults(capsys, bare):
    (bare / "papers/cvpr-2024/a.md").write_text("Title: A\nAuthors: Ada Lovelace\n")
    code, out, err = run(capsys, "check", bare)
    assert (code, out.strip(), err) == (0, f"0 error(s), 0 warning(s) in {bare}", "")


def test_check_lists_every_problem_with_file_and_line_and_exits_1(capsys, bare):
    (bare / "papers/cvpr-2024/a.md").write_text(
        "Title: A\nAuthors: Ada Lovelace\nDate: 2024-02-30\nPdf: javascript:alert(1)\n"
    )
    (bare / "papers/cvpr-2024/b.md").write_bytes(b"Title: B\xff\n")
    code, out, _ = run(capsys, "check", bare)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("error: papers/cvpr-2024/a.md:3: Date '2024-02-30'")
    assert lines[1].startswith("error: papers/cvpr-2024/a.md:4: Pdf 'javascript:")
    assert lines[2].startswith("error: papers/cvpr-2024/b.md:1: the file is not UTF-8")
    assert lines[-1] == f"3 error(s), 0 warning(s) in {bare}"

    code, out, _ = run(capsys, "check", bare, "--format", "json")
    found = json.loads(out)
    assert code == 1
    assert [(p["path"], p["line"], p["severity"]) for p in found] == [
        ("papers/cvpr-2024/a.md", 3, "error"),
        ("papers/cvpr-2024/a.md", 4, "error"),
        ("papers/cvpr-2024/b.md", 1, "error"),
    ]
    assert all(p["hint"] for p in found), "each problem says what to write instead"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (None, "no settings file at"),
        ("import not_a_module\n", "the settings file failed: ModuleNotFoundError"),
        ("CONFERENCE_PAPERS_HOME_PAPERS = -1\n", "HOME_PAPERS must be a whole number"),
    ],
)
def test_check_with_bad_settings_is_one_line(capsys, bare, tmp_path, settings, message):
    path = tmp_path / "conf.py"
    if settings is not None:
        path.write_text(settings)
    code, out, err = run(capsys, "check", bare, "-s", path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_check_without_a_folder_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "check", tmp_path / "nope")
    assert (
        code == 2
        and err.strip() == f"pelican-papers: no content folder at {tmp_path}/nope"
    )


def test_new_files_show_every_field_pass_check_and_build(capsys, empty_site):
    content = empty_site.content
    code, out, _ = run(
        capsys, "new", "conference", "--slug", "eccv-2024", "--title", "ECCV 24",
        "--date", "2024-09-29", "--into", content,
    )  # fmt: skip
    assert code == 0 and out.strip() == f"{content}/conferences/eccv-2024.md"
    code, out, _ = run(
        capsys, "new", "paper", "--conference", "eccv-2024",
        "--title", "Seeing in the Dark", "--into", content,
    )  # fmt: skip
    paper = content / "papers/eccv-2024/seeing-in-the-dark.md"
    assert code == 0 and out.strip() == str(paper)
    keys = [
        line.split(":")[0] for line in paper.read_text().split("\n\n")[0].split("\n")
    ]
    assert keys == [
        "Title", "Authors", "Track", "Workshop", "Date", "Image", "Pdf", "Code",
        "Arxiv", "Doi", "Links", "Tags", "Status",
    ]  # fmt: skip
    assert "Status: draft\n\n<!-- pelican-papers new: fill in" in paper.read_text()
    conference = (content / "conferences/eccv-2024.md").read_text()
    assert [line.split(":")[0] for line in conference.split("\n\n")[0].split("\n")] == [
        "Title", "Name", "Date", "End", "Location", "Url", "Icon", "Tracks",
        "Hashtag", "Timeline",
    ]  # fmt: skip

    assert run(capsys, "check", content)[0] == 0
    empty_site.build()
    page = empty_site.page("conferences/eccv-2024/")
    assert page.select_one("article") is None, "the placeholder is not published"

    # Publishing it without filling it in: check names both placeholders.
    paper.write_text(paper.read_text().replace("Status: draft\n", ""))
    code, out, _ = run(capsys, "check", content)
    assert code == 0, "a warning, not an error"
    assert "seeing-in-the-dark.md:2: the placeholder 'First Author" in out
    assert "the placeholder 'The abstract, in Markdown' of pelican-papers new" in out
    empty_site.build()
    card = empty_site.page("conferences/eccv-2024/").select_one("article")
    assert card.h3.get_text(strip=True) == "Seeing in the Dark"


def test_check_warns_about_a_draft_left_for_half_a_year(capsys, empty_site):
    content = empty_site.content
    run(
        capsys, "new", "conference", "--slug", "eccv-2024", "--title", "ECCV 24",
        "--date", "2024-09-29", "--into", content,
    )  # fmt: skip
    run(
        capsys, "new", "paper", "--conference", "eccv-2024",
        "--title", "Forgotten", "--authors", "Ada Lovelace", "--into", content,
    )  # fmt: skip
    paper = content / "papers/eccv-2024/forgotten.md"
    code, out, _ = run(capsys, "check", content)
    assert "has not changed" not in out, "a new draft is fine"
    year_ago = time.time() - 200 * 86_400
    os.utime(paper, (year_ago, year_ago))
    code, out, _ = run(capsys, "check", content)
    assert code == 0
    assert "forgotten.md:13: this draft has not changed for 200 days" in out


def test_new_never_overwrites_without_force(capsys, tmp_path):
    args = ["new", "paper", "--conference", "x", "--title", "T", "--into", tmp_path]
    assert run(capsys, *args)[0] == 0
    path = tmp_path / "papers/x/t.md"
    path.write_text("Title: T\nAuthors: Mine\n")
    code, _, err = run(capsys, *args)
    assert code == 1 and "exists; pass --force" in err
    assert path.read_text() == "Title: T\nAuthors: Mine\n"
    assert run(capsys, *args, "--force")[0] == 0
    assert "Authors: First Author" in path.read_text()


def test_new_rejects_a_bad_date_in_one_line(capsys, tmp_path):
    code, _, err = run(
        capsys, "new", "conference", "--slug", "a", "--title", "A",
        "--date", "next week", "--into", tmp_path,
    )  # fmt: skip
    assert (
        code == 1 and err.strip() == "pelican-papers: error: write dates as YYYY-MM-DD"
    )
    assert not (tmp_path / "conferences").exists()
