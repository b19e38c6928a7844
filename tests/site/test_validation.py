"""A careless contributor's files: each mistake is named with its file, line and
what to write instead, by `pelican-papers check` and by the build alike; a build
with errors stops, says so without a traceback and leaves the previous site."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.generator import ContentError

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NEURIPS = "papers/neurips-2022"


def paper(*lines: str, body: str = "An abstract.") -> str:
    return "\n".join(lines) + "\n\n" + body + "\n"


GOOD = ("Title: A Paper", "Authors: Julia Grabinski, Margret Keuper")

# (id, file, text, line, the start of the message, severity)
CASES = [
    (
        "missing-title",
        f"{NEURIPS}/no-title.md",
        paper("Authors: Julia Grabinski", "Track: Full Paper"),
        1,
        "the Title is missing; add a line 'Title: ' with the paper's title",
        "error",
    ),
    (
        "date",
        f"{NEURIPS}/bad-date.md",
        paper(*GOOD, "Date: 11.10.2022"),
        3,
        "Date '11.10.2022' is not a date; write it as YYYY-MM-DD",
        "error",
    ),
    (
        "impossible-date",
        f"{NEURIPS}/bad-day.md",
        paper(*GOOD, "Track: Full Paper", "Date: 2022-02-30"),
        4,
        "Date '2022-02-30' is not a date",
        "error",
    ),
    (
        "unknown-conference",
        f"{NEURIPS}/other.md",
        paper(*GOOD, "Conference: neurips-2023"),
        3,
        "the conference 'neurips-2023' does not exist; did you mean "
        "'Conference: neurips-2022'?",
        "error",
    ),
    (
        "citations-without-source",
        f"{NEURIPS}/cited.md",
        paper(*GOOD, "Citations: about 12"),
        3,
        "Citations 'about 12' is not a count with its source and date",
        "warning",
    ),
    (
        "unlisted-track",
        f"{NEURIPS}/demo.md",
        paper(*GOOD, "Track: Demo"),
        3,
        "the track 'Demo' is not one of the tracks of NeurIPS 22",
        "warning",
    ),
    (
        "link-scheme",
        f"{NEURIPS}/ftp.md",
        paper(*GOOD, "Pdf: ftp://example.org/paper.pdf"),
        3,
        "Pdf 'ftp://example.org/paper.pdf' is not a usable link: the scheme ftp: "
        "is not allowed",
        "error",
    ),
    (
        "link-javascript",
        f"{NEURIPS}/js.md",
        paper(*GOOD, "Code: javascript:alert(1)"),
        3,
        "Code 'javascript:alert(1)' is not a usable link: the scheme javascript:",
        "error",
    ),
    (
        "pdf-without-scheme",
        f"{NEURIPS}/bare-pdf.md",
        paper(*GOOD, "Pdf: www.example.org/paper.pdf"),
        3,
        "Pdf 'www.example.org/paper.pdf' is not a usable link: it has no scheme; "
        "write https://www.example.org/paper.pdf",
        "error",
    ),
    (
        "code-without-scheme",
        f"{NEURIPS}/bare-code.md",
        paper(*GOOD, "Track: Full Paper", "Code: github.com/x"),
        4,
        "Code 'github.com/x' is not a usable link: it has no scheme; "
        "write https://github.com/x",
        "error",
    ),
    (
        "conference-url-without-scheme",
        "conferences/bare-url.md",
        "Title: Bare 23\nDate: 2023-07-23\nUrl: neurips.cc\n",
        3,
        "Url 'neurips.cc' is not a usable link: it has no scheme; write https://neurips.cc",
        "error",
    ),
    (
        "link-without-scheme",
        f"{NEURIPS}/bare-link.md",
        paper(*GOOD, "Links: Poster <example.org/poster.pdf> fa-solid fa-image"),
        3,
        "the link 'Poster' cannot be used: it has no scheme; "
        "write https://example.org/poster.pdf between < and >",
        "error",
    ),
    (
        "relative-pdf",
        f"{NEURIPS}/relative-pdf.md",
        paper(*GOOD, "Pdf: files/paper.pdf"),
        3,
        "Pdf 'files/paper.pdf' is not a usable link: it has no scheme; "
        "write a full https:// address",
        "error",
    ),
    (
        "citekey-unusable",
        f"{NEURIPS}/citekey.md",
        paper(*GOOD, "Citekey: a key, with commas"),
        3,
        "Citekey 'a key, with commas' is not a usable BibTeX key",
        "error",
    ),
    (
        "custom-link",
        f"{NEURIPS}/links.md",
        paper(*GOOD, "Links: Poster https://example.org/poster.pdf"),
        3,
        "the link 'Poster https://example.org/poster.pdf' does not parse; write "
        "'Label <https://…> fa-solid fa-icon'",
        "error",
    ),
    (
        "not-utf8",
        f"{NEURIPS}/latin1.md",
        paper(*GOOD, "Venue: Café").encode("latin-1"),
        3,
        "the file is not UTF-8 (byte 0xe9); save it as UTF-8",
        "error",
    ),
    (
        "missing-image",
        f"{NEURIPS}/no-image.md",
        paper(*GOOD, "Image: images/neurips22/missing.png"),
        3,
        "the image ",
        "warning",
    ),
    (
        "empty-authors",
        f"{NEURIPS}/no-authors.md",
        paper("Title: A Paper", "Authors: , ;"),
        2,
        "the Authors are missing; add a line with its authors, such as 'Authors: ",
        "error",
    ),
    (
        "repeated-key",
        f"{NEURIPS}/twice.md",
        paper(*GOOD, "Date: 2022-10-11", "Date: 2022-10-12"),
        4,
        "Date is written 2 times (lines 3, 4); keep one line",
        "error",
    ),
    (
        "no-metadata",
        f"{NEURIPS}/heading.md",
        "# Robust Models are less Over-Confident\n\nJulia Grabinski\n",
        1,
        "the file has no metadata: its first lines must be 'Key: value' lines",
        "error",
    ),
    (
        "papers-root",
        "papers/stray.md",
        paper(*GOOD),
        1,
        "the paper is not in a conference's folder (papers/); move it to "
        "papers/<conference>/",
        "error",
    ),
    (
        "reserved-key",
        f"{NEURIPS}/reserved.md",
        paper(*GOOD, "Save_as: index.html"),
        3,
        "the key 'Save_As' cannot be used in a paper file",
        "error",
    ),
    (
        "author-for-authors",
        f"{NEURIPS}/author.md",
        paper("Title: A Paper", "Author: Julia Grabinski"),
        2,
        "the key 'Author' cannot be used in a paper file; write 'Authors: ",
        "error",
    ),
    (
        "slug",
        f"{NEURIPS}/robust models.md",
        paper(*GOOD),
        1,
        "the file name 'robust models' cannot be used: it cannot be part of a web "
        "address",
        "error",
    ),
    (
        "status",
        f"{NEURIPS}/status.md",
        paper(*GOOD, "Status: unpublished"),
        3,
        "Status 'unpublished' is not a status; write 'Status: draft'",
        "error",
    ),
    (
        "svg-image",
        f"{NEURIPS}/svg.md",
        paper(*GOOD, "Image: images/neurips22/figure.svg"),
        3,
        "Image 'images/neurips22/figure.svg' cannot be used: it is a .svg file",
        "error",
    ),
    (
        "image-outside-content",
        f"{NEURIPS}/outside.md",
        paper(*GOOD, "Image: ../../secret.png"),
        3,
        "Image '../../secret.png' cannot be used: it points outside content/",
        "error",
    ),
    (
        "icon-path",
        "conferences/icon.md",
        "Title: ICML 23\nDate: 2023-07-23\nIcon: fa-solid fa-../../../x\n",
        3,
        "the icon 'fa-solid fa-../../../x' is not a Font Awesome name",
        "error",
    ),
    (
        "conference-url",
        "conferences/icml-2023.md",
        "Title: ICML 23\nDate: 2023-07-23\nUrl: icml.cc\nUrl: http://icml.cc\n",
        4,
        "Url is written 2 times",
        "error",
    ),
    (
        "family-given-with-commas",
        f"{NEURIPS}/commas.md",
        paper("Title: A Paper", "Authors: Keuper, Margret, Gavrikov, Paul"),
        2,
        "the Authors read as 4 one-word names; for 'Family, Given' names separate "
        "the authors with ';'",
        "warning",
    ),
]


def write(site, relative: str, text: str | bytes) -> Path:
    path = site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run_check(site, capsys) -> tuple[int, list[str]]:
    code = cli.main(
        ["check", str(site.content), "-s", str(site.root / "pelicanconf.py")]
    )
    return code, capsys.readouterr().out.splitlines()


def build_messages(site, caplog) -> tuple[Exception | None, list[str]]:
    """Build in-process as `pelican` does; the plugin's log lines and the error.

    Pelican drops a warning it has logged before in the same process, so each
    warning case here has a message of its own.
    """
    caplog.clear()
    error = None
    with caplog.at_level(logging.WARNING):
        try:
            site.build()
        except ContentError as raised:
            error = raised
    prefix = "conference_papers: "
    return error, [
        r.getMessage().removeprefix(prefix)
        for r in caplog.records
        if r.getMessage().startswith(prefix) and r.levelno >= logging.WARNING
    ]


@pytest.mark.parametrize(
    ("relative", "text", "line", "message", "severity"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_mistake_is_named_by_check_and_build(
    site, capsys, caplog, relative, text, line, message, severity
):
    write(site, relative, text)
    expected = f"{severity}: {relative}:{line}: {message}"

    code, printed = run_check(site, capsys)
    matching = [p for p in printed if p.startswith(expected)]
    assert matching, "\n".join(printed)
    assert code == (1 if severity == "error" else 0)

    error, logged = build_messages(site, caplog)
    assert matching[0] in logged, "the build says the same as check"
    if severity == "error":
        assert error is not None and "error(s) in the content" in str(error)
        assert not site.output.exists(), "nothing was written"
    else:
        assert error is None and (site.output / "index.html").is_file()


def test_two_papers_with_one_slug(site, capsys, caplog):
    write(site, f"{NEURIPS}/a.md", paper(*GOOD, "Slug: robust-models"))
    code, printed = run_check(site, capsys)
    assert code == 1
    # The lab's own robust-models.md is the other one.
    assert any(
        f"{NEURIPS}/" in p
        and "two papers have the slug 'robust-models' in the conference 'neurips-2022'"
        in p
        and "rename one of the files or give it a 'Slug:' line" in p
        for p in printed
    ), printed
    error, logged = build_messages(site, caplog)
    assert error is not None
    assert next(p for p in printed if "two papers" in p) in logged


def test_a_citekey_taken_by_another_paper_is_named_with_both_files(site, capsys):
    write(site, f"{NEURIPS}/a.md", paper(*GOOD, "Citekey: lab2022key"))
    write(
        site,
        f"{NEURIPS}/b.md",
        paper(*GOOD, "Track: Full Paper", "Citekey: LAB2022key"),
    )
    code, printed = run_check(site, capsys)
    assert code == 0
    assert (
        f"warning: {NEURIPS}/b.md:4: Citekey 'LAB2022key' is taken by "
        f"{NEURIPS}/a.md; a key is made instead" in "\n".join(printed)
    ), printed
    site.build()
    bib = site.output / "conferences/neurips-2022/neurips-2022.bib"
    bib = bib.read_text(encoding="utf-8")
    assert bib.count("{lab2022key,") == 1 and "{LAB2022key," not in bib


def test_a_duplicate_slug_points_at_the_slug_line(site, capsys):
    write(
        site,
        f"{NEURIPS}/zz.md",
        paper(*GOOD, "Track: Full Paper", "Slug: robust-models"),
    )
    code, printed = run_check(site, capsys)
    assert code == 1
    assert any(
        p.startswith(
            f"error: {NEURIPS}/zz.md:4: two papers have the slug 'robust-models'"
        )
        for p in printed
    ), printed


def test_warnings_of_a_file_with_errors_are_listed_too(site, capsys):
    write(
        site,
        f"{NEURIPS}/both.md",
        paper(
            "Titel: A Paper",
            "Authors: Julia Grabinski",
            "Date: 11.10.2022",
            "Track: Demo",
        ),
    )
    code, printed = run_check(site, capsys)
    assert code == 1
    mine = [
        p.split(":")[0] + ":" + p.split(":")[2] for p in printed if "/both.md:" in p
    ]
    # The missing Title, the Date; the unknown key, the unlisted Track.
    assert sorted(mine) == ["error:1", "error:3", "warning:1", "warning:4"], printed


def test_two_conferences_with_one_slug(site, capsys):
    write(site, "conferences/copy.md", "Title: Copy\nDate: 2022-11-28\n")
    write(site, "conferences/neurips-22.md", "Title: Copy\nDate: 2022-11-28\n")
    write(site, "conferences/other.md", "Title: X\nDate: 2022-1-1\nSlug: copy\n")
    code, printed = run_check(site, capsys)
    assert code == 1
    assert (
        "error: conferences/other.md:3: two conferences have the slug 'copy' "
        "(the other is conferences/copy.md)" in "\n".join(printed)
    )


def test_a_broken_conference_does_not_make_every_paper_an_error(site, capsys):
    """Its own errors, once; its papers are not each 'unknown conference'."""
    conference = site.content / "conferences/neurips-2022.md"
    text = conference.read_text(encoding="utf-8")
    conference.write_text(text.replace("Date: 2022-11-28", "Date: 28.11.2022"))
    write(site, f"{NEURIPS}/broken.md", paper("Authors: Julia Grabinski"))
    code, printed = run_check(site, capsys)
    assert code == 1
    errors = [p for p in printed if p.startswith("error:")]
    assert errors == [
        "error: conferences/neurips-2022.md:3: Date '28.11.2022' is not a date; "
        "write it as YYYY-MM-DD, e.g. 'Date: 2022-11-28'",
        # A paper's own mistakes are still reported.
        "error: papers/neurips-2022/broken.md:1: the Title is missing; add a line "
        "'Title: ' with the paper's title",
    ]


def test_a_draft_conference_takes_its_papers_with_it(site, capsys):
    conference = site.content / "conferences/neurips-2022.md"
    conference.write_text("Status: draft\n" + conference.read_text(encoding="utf-8"))
    code, printed = run_check(site, capsys)
    assert (code, printed[-1]) == (0, f"0 error(s), 0 warning(s) in {site.content}")
    site.build()
    assert not (site.output / "conferences/neurips-2022").exists()


def test_a_file_pelican_cannot_read_is_a_problem_not_a_crash(site, capsys, caplog):
    """A dangling symlink (a moved file): one error for it, the rest is read."""
    (site.content / NEURIPS / "moved.md").symlink_to(site.root / "nowhere.md")
    write(site, f"{NEURIPS}/no-title.md", paper("Authors: Julia Grabinski"))
    code, printed = run_check(site, capsys)
    assert code == 1
    assert any(
        p.startswith(f"error: {NEURIPS}/moved.md:1: the symbolic link leads nowhere")
        for p in printed
    ), printed
    assert any(p.startswith(f"error: {NEURIPS}/no-title.md:1:") for p in printed)
    error, logged = build_messages(site, caplog)
    assert error is not None
    assert any(f"{NEURIPS}/moved.md:1: the symbolic link leads" in m for m in logged)


def test_continuation_lines_are_kept(site):
    """Pelican keeps the first line of Authors only; every author must show."""
    write(
        site,
        f"{NEURIPS}/long.md",
        "Title: Long Author List\nAuthors: Julia Grabinski, Paul Gavrikov,\n"
        "    Janis Keuper, Margret Keuper\nTrack: Full Paper\n\nx\n",
    )
    site.build()
    page = site.page("papers/neurips-2022/long/")
    assert page.select_one(".paper-authors").get_text() == (
        "Julia Grabinski, Paul Gavrikov, Janis Keuper, Margret Keuper"
    )


def test_status_skip_and_draft_stay_out_of_the_site(site):
    write(site, f"{NEURIPS}/skipped.md", paper(*GOOD, "Status: skip"))
    write(site, f"{NEURIPS}/drafted.md", paper(*GOOD, "Status: Draft"))
    site.build()
    assert not (site.output / "papers/neurips-2022/skipped").exists()
    assert not (site.output / "papers/neurips-2022/drafted").exists()


# --- ten bad files, the real commands ----------------------------------------

TEN = [case for case in CASES if case[5] == "error"][:10]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # COLUMNS: Pelican's rich log handler would wrap lines at 80 columns.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env["COLUMNS"] = "250"
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's bytes (hashed) and modification time."""
    return {
        str(path.relative_to(folder)): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_ten_bad_files_are_all_named_in_one_run(site):
    for _, relative, text, *_ in TEN:
        write(site, relative, text)
    assert len({case[1] for case in TEN}) == 10

    check = run(["pelican-papers", "check", "content"], site.root)
    build = run(["pelican-papers", "build", "content", "-o", "output"], site.root)
    for result in (check, build):
        assert result.returncode == 1
        said = result.stdout + result.stderr
        assert "Traceback" not in said
        for _, relative, *_ in TEN:
            assert relative in said, f"{relative} is not named"
    assert check.stdout.endswith(" error(s), 0 warning(s) in content\n")
    assert "the build failed; output/ was left as it was" in build.stderr
    assert not site.output.exists()


def test_a_failed_build_leaves_yesterdays_output_untouched(site):
    """`pelican-papers build`, `make publish` and plain `pelican` with
    publishconf.py (DELETE_OUTPUT_DIRECTORY = True) all keep the old site."""
    good = run(
        ["pelican-papers", "build", "content", "-s", "publishconf.py"], site.root
    )
    assert good.returncode == 0, good.stderr
    yesterday = snapshot(site.output)
    assert "conferences/neurips-2022/index.html" in yesterday

    write(site, f"{NEURIPS}/bad.md", paper(*GOOD, "Date: tomorrow"))
    make = ["make", "-f", str(REPO / "Makefile"), "publish", f"VENV={sys.prefix}"]
    make += ["-o", f"{sys.prefix}/.deps"]  # the test's own environment is ready
    attempts = {
        "pelican-papers build": ["pelican-papers", "build", "-s", "publishconf.py"],
        "make publish": make,
        "pelican": ["pelican", "content", "-s", "publishconf.py", "-o", "output"],
    }
    if shutil.which("make") is None:
        del attempts["make publish"]
    for name, command in attempts.items():
        result = run(command, site.root)
        said = result.stdout + result.stderr
        assert result.returncode != 0, name
        assert (
            "conference_papers: error: papers/neurips-2022/bad.md:3: Date 'tomorrow' "
            "is not a date; write it as YYYY-MM-DD" in said
        ), said
        assert "Traceback" not in said, name
        assert snapshot(site.output) == yesterday, f"{name} changed the output"
        leftovers = sorted(p.name for p in site.root.iterdir() if p.name[0] == ".")
        assert leftovers == [], f"{name} left {leftovers}"
