"""Importers on the quirks of real lab sites (issue 15), each in a fixture of ours:
what a reader of the imported site would see wrong is asserted on the files.

Every import here must also pass ``check`` and build (tests/imported.py): a
journal article, a preprint, a thesis and a year-only Date reach their pages.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.importers import jekyll
from pelican.plugins.conference_papers.importers.writer import ImportFailure

from ..imported import checks_and_builds


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def read(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*.md"))
    }


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())
    return path


# --- lab-website-template data ----------------------------------------------------


LWT = """
- title: One Link Three Buttons
  authors: [Ada Lovelace]
  publisher: International Conference on Machine Learning (ICML)
  date: '2024-07-21'
  link: https://example.org/one.pdf
  buttons:
    - type: paper
      link: https://example.org/one.pdf
    - type: preprint
      link: https://example.org/one.pdf
    - type: poster
      link: https://example.org/one-poster.png
- title: Short Name Given
  authors: [Alan Turing]
  publisher: The Twelfth International Conference on Learning Representations
  publishershort: ICLR
  date: '2024-05-07'
- title: At A Workshop
  authors: [Grace Hopper]
  publisher: eCVX Workshop at ECCV 24
  date: '2024-09-30'
- title: A Journal Article
  authors: [Ada Lovelace]
  publisher: eLife
  date: '2023-02-01'
- title: A Preprint
  authors: [Alan Turing]
  publisher: arXiv preprint
  date: '2025-01-15'
"""


@pytest.fixture
def lwt_content(capsys, tmp_path) -> tuple[dict[str, str], str]:
    sources = write(tmp_path / "old" / "_data" / "sources.yaml", LWT)
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", sources, "--into", into)
    assert code == 0, err
    return read(into), err


def test_lwt_card_gets_one_button_per_address(lwt_content):
    files, _ = lwt_content
    one = files["papers/icml-2024/one-link-three-buttons.md"]
    assert one.count("https://example.org/one.pdf") == 1, one
    assert "Pdf: https://example.org/one.pdf\n" in one
    assert "Links: Poster <https://example.org/one-poster.png>" in one


def test_lwt_venues_kinds_and_names_as_the_source_wrote_them(lwt_content):
    files, _ = lwt_content
    assert files["conferences/iclr-2024.md"].startswith("Title: ICLR 24\n"), (
        "publishershort names the edition"
    )
    assert "papers/iclr-2024/short-name-given.md" in files
    workshop = files["papers/eccv-2024/at-a-workshop.md"]
    assert "Track: Workshop Paper\nWorkshop: eCVX\n" in workshop
    assert "conferences/ecvx-2024.md" not in files, "no page of its own"
    journal = files["papers/journals/a-journal-article.md"]
    assert "Journal: eLife\n" in journal, "not re-capitalised to 'ELife'"
    preprint = files["papers/preprints/a-preprint.md"]
    assert "Preprint: arXiv\n" in preprint
    assert not any(name.startswith("conferences/elife") for name in files)


def test_lwt_dates_are_never_invented(lwt_content):
    files, err = lwt_content
    assert files["conferences/icml-2024.md"].splitlines()[1:] == [
        "Name: International Conference on Machine Learning",
        "Date: 2024",
    ]
    assert "-01-01" not in "".join(files.values())
    assert "-06-01" not in "".join(files.values())
    assert "January 1st" not in err


def test_lwt_import_checks_and_builds_without_inventing_a_day(lwt_content, tmp_path):
    site = checks_and_builds(tmp_path / "content", tmp_path / "built")
    meta = site.page("conferences/icml-2024/").select_one(".conference-meta time")
    assert (meta["datetime"], meta.get_text()) == ("2024", "2024")
    journal = site.page("papers/journals/a-journal-article/")
    assert "eLife" in journal.get_text(" ", strip=True)
    every = site.page("publications/").get_text(" ", strip=True)
    for title in ("A Preprint", "A Journal Article", "At A Workshop"):
        assert title in every


# --- BibTeX -------------------------------------------------------------------------


BIB = r"""
@proceedings{eccv24,
  title     = {Computer Vision -- ECCV 2024},
  booktitle = {European Conference on Computer Vision (ECCV)},
  year      = {2024},
  publisher = {Springer}
}

@inproceedings{crossed,
  title    = {A Paper That Cross-References},
  author   = {Lovelace, Ada and Mario Fernandez,},
  crossref = {eccv24},
  abstract = {Code is available at \url{https://github.com/example-lab/x_y}
              and the data \href{https://example.org/data}{here}.}
}

@article{journal,
  title   = {A Journal Paper},
  author  = {Hopper, Grace},
  journal = {International Journal of Computer Vision},
  volume  = {132},
  number  = {4},
  pages   = {1234--1256},
  year    = {2024}
}

@misc{preprint,
  title         = {A Preprint Only},
  author        = {Turing, Alan},
  eprint        = {2401.00001},
  archiveprefix = {arXiv},
  year          = {2024},
  month         = jan
}

@inproceedings{macro,
  title     = {Venue By Macro},
  author    = {Turing, Alan},
  booktitle = cvpr,
  year      = {2023}
}

@article{arxivjournal,
  title   = {An arXiv Journal},
  author  = {Turing, Alan},
  journal = {arXiv preprint arXiv:2306.00001},
  url     = {https://arxiv.org/abs/2306.00001},
  year    = {2023}
}

@phdthesis{thesis,
  title  = {A Thesis},
  author = {Lovelace, Ada},
  school = {University of Somewhere},
  year   = {2021}
}
"""


@pytest.fixture
def bib_content(capsys, tmp_path) -> tuple[dict[str, str], str]:
    bib = write(tmp_path / "old" / "_bibliography" / "papers.bib", BIB)
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    return read(into), err


def test_bibtex_import_checks_and_builds_every_kind(bib_content, tmp_path):
    site = checks_and_builds(tmp_path / "content", tmp_path / "built")
    every = site.page("publications/").get_text(" ", strip=True)
    for title in ("A Journal Paper", "A Preprint Only", "A Thesis", "Venue By Macro"):
        assert title in every


def test_bibtex_crossref_and_proceedings_are_the_venue_not_a_paper(bib_content):
    files, err = bib_content
    crossed = files["papers/eccv-2024/a-paper-that-cross-references.md"]
    assert "Authors: Ada Lovelace, Mario Fernandez\n" in crossed, "a person, no comma"
    assert "Date: 2024\n" in crossed
    assert not any("computer-vision" in name for name in files), "@proceedings no paper"
    assert "crossref '" not in err and "@proceedings{" not in err


def test_bibtex_keeps_url_commands_as_links(bib_content):
    files, _ = bib_content
    crossed = files["papers/eccv-2024/a-paper-that-cross-references.md"]
    url = "https://github.com/example-lab/x_y"
    assert f"available at [{url}]({url}) and" in crossed
    assert "the data [here](https://example.org/data)." in crossed


def test_bibtex_entry_types_are_kept(bib_content):
    files, _ = bib_content
    journal = files["papers/journals/a-journal-paper.md"]
    for line in ("Journal: International Journal of Computer Vision", "Volume: 132",
                 "Issue: 4", "Pages: 1234–1256", "Date: 2024"):  # fmt: skip
        assert line + "\n" in journal
    preprint = files["papers/preprints/a-preprint-only.md"]
    assert "Preprint: arXiv\n" in preprint and "Arxiv: 2401.00001\n" in preprint
    assert "Date: 2024-01\n" in preprint, "the month given, no day"
    arxiv = files["papers/preprints/an-arxiv-journal.md"]
    assert "Arxiv: 2306.00001\n" in arxiv and "Links:" not in arxiv, "one button"
    thesis = files["papers/theses/a-thesis.md"]
    assert "Type: thesis\n" in thesis and "Publisher: University of Somewhere\n"


def test_bibtex_undefined_macro_is_named_with_its_line(bib_content):
    _, err = bib_content
    assert "papers.bib:35: booktitle = cvpr uses a macro that no @string defines" in err


# --- Jekyll pages -------------------------------------------------------------------


PAGE = """
---
title: NeurIPS 22
date: 2022-11-28
---

# NeurIPS 22

## Full Paper (in the Main Conference Proceedings)

### First Paper
#### Ada Lovelace
{% capture text %}
The first abstract.
{% include link.html link="https://example.org/first.pdf" text="PDF" %}
{% endcapture %}
{% include figure.html image="a.png" link="https://example.org/second.pdf" %}

{% comment %}
### Commented Paper
#### Nobody
{% endcomment %}

### Second Paper
#### Alan Turing
{% capture text %}
The second abstract.
{% include link.html link="https://example.org/second.pdf" text="PDF" %}
{% endcapture %}
{% include figure.html image="b.png" link="https://example.org/second.pdf" %}
Hard-wrapped text after the figure
that runs over three lines
of the page.

## Workshop Paper

<p>A note under the track heading.</p>

### Some Workshop (non-archival)
#### Grace Hopper
"""


def test_jekyll_each_paper_gets_its_own_links(tmp_path):
    parsed = jekyll.parse_page(textwrap.dedent(PAGE).lstrip(), "page.md")
    first, second, workshop = parsed.papers
    assert first.pdf == "https://example.org/first.pdf", "the button wins"
    assert second.pdf == "https://example.org/second.pdf" and second.links == []
    messages = [str(w) for w in parsed.warnings]
    assert any(
        "page.md:10: the figure links to https://example.org/second.pdf but the PDF "
        "button to https://example.org/first.pdf" in m
        for m in messages
    ), messages
    assert [p.title for p in parsed.papers] == [
        "First Paper", "Second Paper", "Some Workshop (non-archival)"
    ]  # fmt: skip
    assert "A note under the track heading" not in second.abstract
    assert sum("outside the abstract" in m for m in messages) == 1
    assert any("page.md:38: 'Some Workshop" in m and "workshop's name" in m
               for m in messages)  # fmt: skip
    assert parsed.conference.tracks == [
        "Full Paper (in the Main Conference Proceedings)", "Workshop Paper"
    ]  # fmt: skip
    assert workshop.track == "Workshop Paper"


def test_jekyll_unclosed_capture_is_an_error_with_its_line():
    page = (
        textwrap.dedent(PAGE)
        .lstrip()
        .replace(
            'The first abstract.\n{% include link.html link="https://example.org/first'
            '.pdf" text="PDF" %}\n{% endcapture %}',
            "The first abstract.",
        )
    )
    with pytest.raises(ImportFailure, match=r"page\.md:12: this '\{% capture %\}'"):
        jekyll.parse_page(page, "page.md")


def test_jekyll_unclosed_comment_is_an_error_with_its_line():
    page = textwrap.dedent(PAGE).lstrip().replace("{% endcomment %}\n", "")
    with pytest.raises(ImportFailure, match=r"page\.md:18: '\{% comment %\}' is never"):
        jekyll.parse_page(page, "page.md")


def test_jekyll_title_year_stays_a_year(capsys, tmp_path):
    page = write(tmp_path / "icml23.md", "---\ntitle: ICML 23\n---\n### A\n#### B\n")
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "jekyll", page, "--into", into)
    assert code == 0, err
    assert "Date: 2023\n" in (into / "conferences/icml-2023.md").read_text()
    assert err.count("Date 2023 is the title's year") == 1
    site = checks_and_builds(into, tmp_path / "built")
    meta = site.page("conferences/icml-2023/").select_one(".conference-meta time")
    assert (meta["datetime"], meta.get_text()) == ("2023", "2023")
    paper = site.page("papers/icml-2023/a/").get_text(" ", strip=True)
    assert "2023" in paper and "January" not in paper, "no month the file lacks"


TWEET_PAGE = """
---
title: NeurIPS 22
date: 2022-11-28
---

# NeurIPS 22

## Full Paper

### A Paper
#### Ada Lovelace
{% capture text %}
Its abstract.
{% endcapture %}

## Workshop Paper

<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Our poster is up at
<a href="https://twitter.com/hashtag/NeurIPS2022?src=hash&amp;ref_src=twsrc%5Etfw">#NeurIPS2022</a>
<a href="javascript:alert(1)">click</a></p>&mdash; Example Lab (@ExampleLab)
<a href="https://twitter.com/ExampleLab/status/1597000000000000001?ref_src=t"
>November 29, 2022</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>

### A Workshop Paper
#### Alan Turing
"""


def test_jekyll_embedded_posts_become_a_static_timeline(
    capsys, tmp_path, empty_site, monkeypatch
):
    monkeypatch.chdir(empty_site.root.parent)
    page = write(tmp_path / "neurips22.md", TWEET_PAGE)
    content = empty_site.content
    code, _, err = run(capsys, "import", "jekyll", page, "--into", content)
    assert code == 0, err
    conference = (content / "conferences/neurips-2022.md").read_text()
    assert "Hashtag: NeurIPS2022\nTimeline: x @ExampleLab\n" in conference
    assert "twitter" not in conference and "<script" not in conference
    paper = (content / "papers/neurips-2022/a-paper.md").read_text()
    assert "poster" not in paper, "the post is not part of the paper above it"
    snapshot = (content / "timelines/neurips-2022.json").read_text()
    assert '"url": "https://x.com/ExampleLab/status/1597000000000000001"' in snapshot
    assert "javascript" not in snapshot

    empty_site.build()
    soup = empty_site.page("conferences/neurips-2022/")
    text = soup.get_text(" ", strip=True)
    assert "Our poster is up at" in text
    assert not soup.find("script", src=lambda s: s and "widgets.js" in s)
    assert soup.find("a", href="https://x.com/ExampleLab/status/1597000000000000001")


# --- addresses of the old site, without --base-url ------------------------------


def test_old_site_paths_are_kept_aside_and_the_import_builds(capsys, tmp_path):
    """al-folio's ``pdf = {x.pdf}`` and LWT's relative buttons, imported without
    --base-url: not a Pdf/Links line that check refuses, but kept in the file."""
    bib = write(
        tmp_path / "old" / "_bibliography" / "papers.bib",
        """
        @inproceedings{rel,
          title     = {Relative Files},
          author    = {Lovelace, Ada},
          booktitle = {International Conference on Machine Learning (ICML)},
          year      = {2023},
          pdf       = {rel.pdf},
          poster    = {posters/rel.png}
        }
        """,
    )
    sources = write(
        tmp_path / "old" / "_data" / "sources.yaml",
        """
        - title: Relative Slides
          authors: [Alan Turing]
          publisher: International Conference on Machine Learning (ICML)
          date: '2023-07-23'
          buttons:
            - type: slides
              link: files/slides.pdf
        """,
    )
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", into)
    assert code == 0, err
    assert "Pdf 'assets/pdf/rel.pdf' is not linked (it has no scheme)" in err
    code, _, err = run(capsys, "import", "lwt", sources, "--into", into)
    assert code == 0, err
    assert "kept as 'Original-Links:'; pass --base-url" in err
    files = read(into)
    bibbed = files["papers/icml-2023/relative-files.md"]
    assert "\nOriginal-Pdf: assets/pdf/rel.pdf\n" in bibbed
    assert "\nPdf:" not in bibbed
    slides = files["papers/icml-2023/relative-slides.md"]
    assert "\nOriginal-Links: Slides <files/slides.pdf>\n" in slides
    assert "\nLinks:" not in slides
    checks_and_builds(into, tmp_path / "built")
