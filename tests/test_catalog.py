"""The catalog holds each paper once (issue 13): a second file with a paper's
slug is reported and left out, so nothing downstream sees it twice."""

from __future__ import annotations

import pytest

from pelican.plugins.conference_papers.generator import ContentError, load_content

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
