"""The catalog holds each paper once (issue 13): a second file with a paper's
slug is reported and left out, so nothing downstream sees it twice."""

from __future__ import annotations

import pytest

from pelican.plugins.conference_papers.generator import ContentError, load_content
from pelican.plugins.conference_papers.writers.catalog import Catalog
from pelican.plugins.conference_papers.writers.citations import (
    Citations,
    citation_files,
)
from pelican.plugins.conference_papers.writers.output import OutputFolder

ARTICLE = """
    Title: Aliasing and Adversarial Robustness {n}
    Authors: Julia Grabinski
    Journal: Journal of Imaginary Computing
    Date: 2023-05
    Slug: aliasing

    An abstract.
    """


@pytest.mark.parametrize("folder", ["journals", "neurips-2022"])
def test_a_second_paper_with_a_slug_is_reported_once_and_left_out(site, folder):
    for n in (1, 2):
        site.write(f"papers/{folder}/aliasing-{n}.md", ARTICLE.format(n=n))
    generator = load_content(site.settings())
    errors = [str(p) for p in generator.problems if p.severity == "error"]
    assert len(errors) == 1, errors
    assert f"papers/{folder}/aliasing-2.md" in errors[0]
    assert "two papers have the slug 'aliasing'" in errors[0]
    ours = [p for p in generator.papers if p.slug == "aliasing"]
    assert [p.title for p in ours] == ["Aliasing and Adversarial Robustness 1"]


def test_a_build_with_two_papers_of_one_slug_writes_nothing(site):
    for n in (1, 2):
        site.write(f"papers/journals/aliasing-{n}.md", ARTICLE.format(n=n))
    with pytest.raises(ContentError):
        site.build()
    assert not site.output.exists()


def test_the_citations_of_a_catalog_hold_the_duplicate_once(site, tmp_path):
    """The writers need no generator: the catalog of a content folder with a
    duplicate, written as citations, cites the paper once."""
    for n in (1, 2):
        site.write(f"papers/journals/aliasing-{n}.md", ARTICLE.format(n=n))
    generator = load_content(site.settings())
    catalog = Catalog(
        tuple(generator.conferences), tuple(generator.papers), generator.members
    )
    output = tmp_path / "output"
    folder = OutputFolder(str(output))
    cited = Citations(generator.settings, {}, catalog)
    written = sum(file.write(folder) for file in citation_files(cited, catalog))
    assert written == len([p for p in output.rglob("*") if p.is_file()])
    lab = (output / "conferences/papers.bib").read_text(encoding="utf-8")
    assert lab.count("Aliasing and Adversarial Robustness") == 1, lab
    assert "Robustness 2" not in lab
