"""The writing of citation and feed files (writers/output.py, base/unchanged.py)
and the BibTeX escapes (writers/citations/bibtex.py) on their own.

The writer resolves each folder once per batch instead of asking ``realpath``
about every file, and compares bytes through a descriptor; the escapes take
``str.translate`` where a text pairs no brace. Each shortcut must give what
the long way gives: no file outside the output folder, no stale file kept,
the same BibTeX for every text.
"""

from __future__ import annotations

import logging
import os
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pelican.plugins.conference_papers.base.unchanged import same_bytes
from pelican.plugins.conference_papers.writers.citations import bibtex
from pelican.plugins.conference_papers.writers.citations.common import WORD
from pelican.plugins.conference_papers.writers.output import OutputFolder

FAST = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# --- the output folder -------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    """output/ with a folder, a link out of it, a link that stays inside and a
    file that is a link out."""
    out = tmp_path / "output"
    (out / "papers" / "inside").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (out / "papers" / "out").symlink_to(tmp_path / "outside")
    (out / "papers" / "alias").symlink_to(out / "papers" / "inside")
    (tmp_path / "outside" / "secret.bib").write_text("secret\n")
    (out / "papers" / "inside" / "leak.bib").symlink_to(
        tmp_path / "outside" / "secret.bib"
    )
    return out


@pytest.mark.parametrize(
    "relative",
    [
        "papers/out/x.bib",  # a folder that is a link out
        "papers/out/new/x.bib",  # a folder to make below it
        "papers/inside/leak.bib",  # the file itself a link out
        "papers/inside/../../../outside/x.bib",
        "../outside/x.bib",
    ],
)
def test_nothing_is_written_outside_the_output_folder(site, relative, caplog):
    folder = OutputFolder(str(site))
    # A folder resolved first must not let a later file through.
    assert folder.write("papers/inside/a.bib", "a\n")
    with caplog.at_level(logging.ERROR):
        assert not folder.write(relative, "written\n")
    assert "leaves the output folder" in caplog.text
    outside = site.parent / "outside"
    assert sorted(p.name for p in outside.rglob("*")) == ["secret.bib"]
    assert (outside / "secret.bib").read_text() == "secret\n"


def test_a_link_that_stays_inside_is_followed(site):
    folder = OutputFolder(str(site))
    assert folder.write("papers/alias/b.bib", "b\n")
    assert folder.write("papers/alias/deeper/c.bib", "c\n")
    assert (site / "papers" / "inside" / "b.bib").read_text() == "b\n"
    assert (site / "papers" / "inside" / "deeper" / "c.bib").read_text() == "c\n"


def test_a_file_is_rewritten_only_when_its_bytes_change(site):
    path = site / "papers" / "inside" / "a.bib"
    OutputFolder(str(site)).write("papers/inside/a.bib", "Müller\n")
    os.utime(path, (1_000_000, 1_000_000))
    OutputFolder(str(site)).write("papers/inside/a.bib", "Müller\n")
    assert path.stat().st_mtime == 1_000_000, "the same bytes: left alone"
    # Same length, other bytes: a stale citation must not survive a rebuild.
    OutputFolder(str(site)).write("papers/inside/a.bib", "Muller!\n")
    assert path.read_text() == "Muller!\n"
    assert path.stat().st_mtime != 1_000_000


def test_same_bytes_reads_the_whole_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100_000)
    assert same_bytes(str(path), b"x" * 100_000)
    assert not same_bytes(str(path), b"x" * 99_999 + b"y")
    assert not same_bytes(str(path), b"x" * 99_999)
    assert not same_bytes(str(tmp_path / "missing"), b"")
    assert not same_bytes(str(tmp_path), b"")  # a folder


# --- the BibTeX escapes ------------------------------------------------------

# Any text, with braces, the specials and words that get braced made common.
TEXT = st.lists(
    st.one_of(
        st.sampled_from([*"{}&%$#_~^\\ -:'s", "CNN", "3D", "NeurIPS", "é"]),
        st.characters(),
    ),
    max_size=30,
).map("".join)


def _reference_escape(text: str) -> str:
    """The rule, a character at a time: paired braces as ``\\{``, lone ones
    as commands, the specials of ``bibtex._LATEX``."""
    paired, opened = set(), []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    out = []
    for index, char in enumerate(text):
        if char in "{}" and index in paired:
            out.append("\\" + char)
        elif char == "{":
            out.append(r"\textbraceleft{}")
        elif char == "}":
            out.append(r"\textbraceright{}")
        else:
            out.append(bibtex._LATEX.get(char, char))
    return "".join(out)


@FAST
@given(text=TEXT)
@example(text="}{ & {a} {")
@example(text="100% of $x_1$ {")
def test_latex_escape_follows_the_rule(text):
    assert bibtex.latex_escape(text) == _reference_escape(text)


@FAST
@given(word=st.text(st.characters(), min_size=1, max_size=12))
@example(word="3D")
@example(word="NeurIPS")
@example(word="ǅemal")
@example(word="x²")
def test_inner_capitals_and_digits_are_found_in_any_script(word):
    for found in WORD.findall(word):
        expected = any(c.isupper() for c in found[1:]) or (
            any(c.isdigit() for c in found) and any(c.isalpha() for c in found)
        )
        assert bibtex._inner_caps(found) == expected, found


def test_acronyms_and_names_are_braced():
    title = "Robust {CNN}s & ResNets: 3D vision at 100% of GPUs_x"
    assert bibtex.bibtex_title(title) == (
        r"Robust \{{CNN}\}s \& {ResNets}: {3D} vision at 100\% of {GPU}s\_x"
    )
    sentence = "a sentence-case title about Berlin and the NeurIPS data"
    assert bibtex.bibtex_title(sentence) == (
        "a sentence-case title about {Berlin} and the {NeurIPS} data"
    )
    assert bibtex.latex_escape("a } b ~") == (
        r"a \textbraceright{} b \textasciitilde{}"
    )
    assert string.ascii_letters == bibtex.latex_escape(string.ascii_letters)
