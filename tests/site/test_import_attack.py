"""Hostile and broken inputs to the importers and ``sync``, each in a fixture
of ours: what must happen is a clear error or warning with file and line, a
file that ``check`` accepts, nothing lost and no traceback.

Each test here failed before the fix it comes with (the "attack" branch).
"""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from pelican.plugins.conference_papers.commands import main as cli


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# --- YAML that PyYAML reads into an exception of its own -----------------------


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("2020-13-45", "'2020-13-45' cannot be read (month must be in 1..12)"),
        ("1" * 5000, "'1111111111"),
    ],
)
def test_lwt_value_pyyaml_cannot_construct_is_an_error_at_its_line(
    capsys, tmp_path, value, said
):
    data = write(
        tmp_path / "citations.yaml",
        f"""
        - title: Fine
          authors: [Ada Lovelace]
          date: '2020-05-05'
        - title: Broken
          authors: [Alan Turing]
          date: {value}
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", data, "--into", into)
    assert code == 1
    assert f"citations.yaml:6: this is not valid YAML ({said}" in err
    assert "put it in quotes" in err
    assert "Traceback" not in err and not into.exists()


def test_jekyll_front_matter_date_pyyaml_cannot_construct_is_an_error(capsys, tmp_path):
    page = write(tmp_path / "p.md", "---\ntitle: ICML 23\ndate: 2023-02-30\n---\n")
    code, _, err = run(capsys, "import", "jekyll", page, "--into", tmp_path / "c")
    assert code == 1
    assert "p.md:3: the front matter is not YAML ('2023-02-30' cannot be read" in err


def test_lwt_nul_character_is_named_with_its_line(capsys, tmp_path):
    data = tmp_path / "citations.yaml"
    data.write_text("- title: Fine\n  authors: [A]\n- title: N\x00ul\n  authors: [B]\n")
    code, _, err = run(capsys, "import", "lwt", data, "--into", tmp_path / "c")
    assert code == 1
    assert "citations.yaml:3: this is not valid YAML (the character #x0000" in err


# --- fields the importer does not map, named like a key that means something ----


def test_bibtex_fields_named_like_pelican_keys_are_kept_not_obeyed(capsys, tmp_path):
    bib = write(
        tmp_path / "papers.bib",
        """
        @inproceedings{k1, title={Kept Not Obeyed}, author={Ada Lovelace},
          booktitle={CVPR}, year=2020, status={hidden}, slug={../../up},
          save_as={../../../evil.html}, template={x}, lang={xx}, type={Oral},
          day={31}, note={a note}}
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    text = (into / "papers/cvpr-2020/kept-not-obeyed.md").read_text()
    for line in (
        "Bibtex-Status: hidden",
        "Bibtex-Slug: ../../up",
        "Bibtex-Save_As: ../../../evil.html",
        "Bibtex-Template: x",
        "Bibtex-Lang: xx",
        "Bibtex-Type: Oral",
        "Note: a note",
    ):
        assert f"\n{line}\n" in text
    assert "\nStatus:" not in text and "\nSlug:" not in text and "Day:" not in text
    assert run(capsys, "check", into)[0] == 0


def test_lwt_fields_named_like_pelican_keys_are_kept_not_obeyed(capsys, tmp_path):
    data = write(
        tmp_path / "citations.yaml",
        """
        - title: Kept Not Obeyed
          authors: [Ada Lovelace]
          publisher: CVPR
          date: '2020-05-05'
          status: hidden
          slug: ../x
          save_as: ../../evil.html
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", data, "--into", into)
    assert code == 0, err
    text = (into / "papers/cvpr-2020/kept-not-obeyed.md").read_text()
    assert "\nLwt-Status: hidden\n" in text and "\nLwt-Slug: ../x\n" in text
    assert "\nLwt-Save_As: ../../evil.html\n" in text
    assert run(capsys, "check", into)[0] == 0


def test_bibtex_year_that_is_no_year_is_named_not_cut(capsys, tmp_path):
    bib = write(
        tmp_path / "papers.bib",
        "@article{k1, title={T}, author={A B}, journal={Nature}, "
        "year={99999999999999999999}}\n",
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    assert "papers.bib:1: year = {99999999999999999999} is not a year" in err
    assert "Date: 9999" not in (into / "papers/journals/t.md").read_text()


# --- Jekyll pages --------------------------------------------------------------


NESTED = """
---
title: NeurIPS 22
date: 2022-11-28
---

## Full Paper

{% comment %}
{% comment %}
### Hidden Inner
#### Nobody
{% endcomment %}
### Hidden Outer
#### Nobody Either
{% endcomment %}
### Shown
#### Ada Lovelace
"""


def test_jekyll_nested_comments_hide_everything_up_to_the_outer_end(capsys, tmp_path):
    page = write(tmp_path / "neurips22.md", NESTED)
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "jekyll", page, "--into", into)
    assert code == 0, err
    assert sorted(p.name for p in (into / "papers/neurips-2022").iterdir()) == [
        "shown.md"
    ]
    assert "not understood" not in err


def test_jekyll_nested_comment_left_open_is_an_error_at_the_outer_one(capsys, tmp_path):
    page = write(
        tmp_path / "p.md", NESTED.replace("{% endcomment %}\n### Shown", "### Shown")
    )
    code, _, err = run(capsys, "import", "jekyll", page, "--into", tmp_path / "c")
    assert code == 1
    assert "p.md:8: '{% comment %}' is never closed" in err


# --- BibTeX --------------------------------------------------------------------


def test_bibtex_refused_url_command_is_named_and_kept_as_text(capsys, tmp_path):
    bib = write(
        tmp_path / "papers.bib",
        r"""
        @article{k1, title={T}, author={A B}, journal={Nature}, year=2020,
          abstract={See \url{javascript:alert(1)} and \href{data:text/html,x}{here}
          or \url{https://ok.example/a}.}}
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    assert "papers.bib:1: abstract: the address 'javascript:alert(1)' is not" in err
    assert "papers.bib:1: abstract: the address 'data:text/html,x' is not" in err
    assert "ok.example" not in err
    text = (into / "papers/journals/t.md").read_text()
    assert "See javascript:alert(1) and here or [https://ok.example/a](" in text
    assert "](javascript" not in text and "](data" not in text


def test_bibtex_crossref_to_itself_is_named(capsys, tmp_path):
    bib = write(
        tmp_path / "papers.bib",
        "@inproceedings{self, title={Self Made}, author={A B}, crossref={self}, "
        "year=2020}\n",
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    assert "papers.bib:1: crossref 'self' names the entry itself" in err
    assert not (into / "conferences").exists()  # not a conference "Self Made 2020"


def test_bibtex_ten_thousand_authors_import_in_bounded_time(capsys, tmp_path):
    """Each author went through pylatexenc (1 ms each, 25 s in all); plain
    names now skip it, and an accent still decodes."""
    names = " and ".join(f"Author{i} Family{i}" for i in range(10_000))
    bib = write(
        tmp_path / "papers.bib",
        '@article{k1, title={Many}, author={M{\\"u}ller, J{\\"o}rg and '
        + names
        + "}, journal={Nature}, year=2020}\n",
    )
    into = tmp_path / "content"
    started = time.perf_counter()
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    assert time.perf_counter() - started < 6
    text = (into / "papers/journals/many.md").read_text()
    assert "Authors: Jörg Müller, Author0 Family0, " in text
    assert text.count("Family") == 10_000


def test_bibtex_author_markup_is_dropped_as_in_the_title(capsys, tmp_path):
    bib = write(
        tmp_path / "papers.bib",
        "@article{k1, title={<b>Bold</b> Title}, author={<img src=x onerror=alert(1)>"
        " and <b>Ada</b> Lovelace}, journal={Nature}, year=2020}\n",
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    text = (into / "papers/journals/bold-title.md").read_text()
    assert "Title: Bold Title\nAuthors: Ada Lovelace\n" in text


def test_jekyll_inline_liquid_is_named_with_its_line(capsys, tmp_path):
    page = write(
        tmp_path / "neurips22.md",
        """
        ---
        title: NeurIPS 22
        date: 2022-11-28
        ---

        ## Full Paper

        ### A Paper
        #### Ada Lovelace
        {% capture text %}
        We thank {{ site.lab_name }} for the GPUs.
        {% endcapture %}
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "jekyll", page, "--into", into)
    assert code == 0, err
    assert (
        "neurips22.md:11: the Liquid '{{ site.lab_name }}' is not evaluated by the "
        "import; kept as text" in err
    )


# --- lab-website-template data ------------------------------------------------


@pytest.mark.parametrize("name", ["citations.yaml", "sources.yaml"])
def test_lwt_year_or_month_alone_stays_as_written(capsys, tmp_path, name):
    """``date: 2020`` (a number to YAML) was "not a date; left out"."""
    data = write(
        tmp_path / name,
        """
        - title: Year Alone
          authors: [Ada Lovelace]
          publisher: International Conference on Machine Learning (ICML)
          date: 2020
        - title: Month Alone
          authors: [Ada Lovelace]
          publisher: International Conference on Machine Learning (ICML)
          date: 2020-06
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", data, "--into", into)
    assert code == 0, err
    assert "not a date" not in err
    year = (into / "papers/icml-2020/year-alone.md").read_text()
    month = (into / "papers/icml-2020/month-alone.md").read_text()
    assert "\nDate: 2020\n" in year and "\nDate: 2020-06\n" in month


def test_lwt_mapping_where_text_belongs_is_named_not_written_as_python(
    capsys, tmp_path
):
    data = write(
        tmp_path / "citations.yaml",
        """
        - title: Mapped
          authors: {first: Ada, last: Lovelace}
          publisher: {name: CVPR}
          date: '2020-05-05'
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", data, "--into", into)
    assert code == 0, err
    assert "citations.yaml:1: authors: a mapping ('key: value' lines)" in err
    assert "citations.yaml:1: publisher: a mapping" in err
    texts = "".join(p.read_text() for p in into.rglob("*.md"))
    assert "{" not in texts and "'name'" not in texts
