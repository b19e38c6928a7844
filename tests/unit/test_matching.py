"""One paper per work: a preprint and its published version become one record,
and a work already in the content folder is found there, never written twice."""

from __future__ import annotations

import random

import pytest

from pelican.plugins.conference_papers.base.identifiers import (
    arxiv_key,
    arxiv_of_doi,
    doi_key,
)
from pelican.plugins.conference_papers.base.matching import (
    Existing,
    family_name,
    fold,
    group,
)
from pelican.plugins.conference_papers.base.openalex import Author, Work, parse_work

from ..openalex_server import load_works

WORKS = [parse_work(work) for work in load_works()]


def by_id(paper_or_none):
    return sorted(paper_or_none.openalex_ids)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Sparse {GAN}s for \\emph{Everyone}", "Sparse GANs for everyone"),
        (
            "Robust Models: are less Over-Confident!",
            "robust models are less over confident",
        ),
        ("Über Ñandú", "uber nandu"),
        ('Stra\\ss{}e and \\"{o}l', "strae and ol"),
        ("Ｆｕｌｌ width", "full width"),
        ("Line\nbreaks\tand   spaces", "line breaks and spaces"),
        ("Weiß", "weiss"),
    ],
)
def test_titles_fold_to_one_form(left, right):
    assert fold(left) == fold(right)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Margret Keuper", "keuper"),
        ("Keuper, Margret", "keuper"),
        ("Alan Türing", "turing"),
        ("Ludwig van Beethoven", "beethoven"),
        ("van Beethoven, Ludwig", "beethoven"),
        ("  Plato ", "plato"),
        ("", ""),
    ],
)
def test_family_names(name, family):
    assert family_name(name) == family


def test_fixture_works_become_four_papers():
    papers = group(WORKS)
    assert [paper.openalex_ids for paper in papers] == [
        ("W4300000006",),  # conference.json
        ("W4300000005",),  # journal-closed.json
        ("W4300000004", "W4300000003"),  # sparse: the journal first
        ("W4300000002", "W4300000001"),  # tiny: ICML first
    ]  # the erratum and the dataset are no papers


def test_a_preprint_and_its_published_version_become_one_record():
    papers = {paper.work.openalex: paper for paper in group(WORKS)}
    tiny = papers["W4300000002"]
    assert (tiny.work.venue, tiny.work.venue_type) == (
        "International Conference on Machine Learning",
        "conference",
    )
    assert tiny.work.doi == "10.5555/icml.2023.17"
    assert tiny.work.arxiv == "2302.00003"
    assert tiny.work.pages == "101-112"
    assert tiny.work.date == "2023-07-23"
    assert tiny.first_date == "2023-02-01"  # the preprint's: the feed keeps it
    assert tiny.work.cited_by == 40
    # matched by title, author and year (no identifier in common)
    sparse = papers["W4300000004"]
    assert sparse.work.venue == "International Journal of Computer Vision"
    assert sparse.work.arxiv == "2111.09999"
    assert sparse.work.doi == "10.5555/ijcv.2022.42"
    assert sparse.work.pdf == "https://journal.example.org/ijcv/42.pdf"
    assert sparse.work.title == "Sparse GANs for everyone"


def test_grouping_does_not_depend_on_the_order_of_works():
    expected = {paper.openalex_ids: paper.work for paper in group(WORKS)}
    for seed in range(20):
        order = list(WORKS)
        random.Random(seed).shuffle(order)
        assert {p.openalex_ids: p.work for p in group(order)} == expected


def work(openalex, title, author="Ada Lovelace", year=2020, **fields):
    return Work(
        openalex=openalex,
        title=title,
        authors=(Author(author),),
        year=year,
        date=str(year),
        **fields,
    )


A1, A2, ARXIV_DOI = "2101.00001", "2101.00002", "10.48550/arXiv.2101.00001"
D1, D2 = "10.1234/a", "10.1234/b"


@pytest.mark.parametrize(
    ("a", "b", "one"),
    [
        (work("W1", "Same"), work("W2", "same!"), True),
        (work("W1", "Same", year=2020), work("W2", "Same", year=2022), True),
        (work("W1", "Same", year=2020), work("W2", "Same", year=2023), False),
        (work("W1", "Same"), work("W2", "Same", author="Grace Lovelace"), True),
        (work("W1", "Same"), work("W2", "Same", author="Ada Hopper"), False),
        (work("W1", "Same", doi=D1), work("W2", "Same", doi=D2), False),
        (work("W1", "Same", doi=D1), work("W2", "Same"), True),
        (work("W1", "One", doi="10.1234/A"), work("W2", "Other", doi=D1), True),
        (work("W1", "One", arxiv=A1), work("W2", "Other", doi=ARXIV_DOI), True),
        (work("W1", "One", arxiv=A1), work("W2", "Other", arxiv=A2), False),
        (work("W1", "Same", arxiv=A1), work("W2", "Same", arxiv=A2), False),
        (work("W1", "One"), work("W1", "Other", year=1990), True),
        (work("W1", ""), work("W2", ""), False),
        (work("W1", "Same", year=None), work("W2", "Same", year=None), False),
    ],
)  # fmt: skip
def test_when_two_works_are_one_paper(a, b, one):
    assert len(group([a, b])) == (1 if one else 2)


def test_works_that_are_no_papers_are_left_out():
    erratum = work("W1", "Same", skip_reason="it is an erratum")
    assert group([erratum]) == []
    assert [p.openalex_ids for p in group([erratum, work("W2", "Same")])] == [("W2",)]


FILES = [
    {"path": "papers/icml-2023/tiny.md", "title": "Tiny", "arxiv": "2302.00003v1"},
    {
        "path": "papers/journals/sparse.md",
        "title": "Sparse GANs",
        "doi": "10.5555/IJCV.2022.42",
    },
    {
        "path": "papers/neurips-2022/robust.md",
        "title": "Robust models are less over-confident",
        "authors": "Hopper, Grace; Lovelace, Ada",
        "date": "2022-11",
    },
    {
        "path": "papers/journals/answers.md",
        "title": "Forty-Two Answers",
        "authors": ["Grace Hopper"],
        "date": "2019",
        "doi": "10.9999/some-other-paper",  # same title, another paper
    },
    {"path": "papers/x/by-id.md", "title": "?", "openalex": "W9, W4300000005"},
]


def test_existing_files_are_found_for_each_paper():
    existing = Existing.of(FILES)
    found = {p.work.openalex: existing.find(p) for p in group(WORKS)}
    assert found == {
        "W4300000002": ("papers/icml-2023/tiny.md",),  # arXiv id, any version
        "W4300000004": ("papers/journals/sparse.md",),  # DOI, any case
        "W4300000006": ("papers/neurips-2022/robust.md",),  # title, author, year
        "W4300000005": ("papers/x/by-id.md",),  # OpenAlex id; not the other DOI
    }


def test_a_preprint_finds_the_file_of_its_published_version():
    existing = Existing.of(FILES)
    preprint = next(w for w in WORKS if w.openalex == "W4300000001")
    assert existing.find(preprint) == ("papers/icml-2023/tiny.md",)


def test_two_files_of_one_paper_are_both_named():
    existing = Existing.of([
        {"path": "b.md", "title": "Tiny", "doi": "10.5555/icml.2023.17"},
        {"path": "a.md", "title": "Tiny", "arxiv": "2302.00003"},
        {"path": "c.md", "title": "Tiny models, big claims", "date": "2023",
         "authors": "Ada Lovelace"},
    ])  # fmt: skip
    tiny = next(p for p in group(WORKS) if p.work.openalex == "W4300000002")
    # identifiers first; the title match is not needed then
    assert existing.find(tiny) == ("a.md", "b.md")


def test_a_new_paper_finds_no_file():
    assert Existing.of(FILES).find(work("W5", "Brand New")) == ()
    assert Existing.of([]).find(work("W5", "Brand New")) == ()


def test_a_file_under_the_preprint_title_is_found_after_a_rename():
    published = work("W1", "Final Title", doi=D1, arxiv=A1, venue="J", year=2021)
    preprint = work("W2", "Working Title", arxiv=A1, venue_type="repository")
    [paper] = group([published, preprint])
    assert paper.work.title == "Final Title"
    existing = Existing.of([
        {"path": "p.md", "title": "Working title", "authors": "Lovelace, Ada"},
        {"path": "q.md", "title": "Working title", "authors": "Ada Lovelace",
         "date": "2020", "doi": D2},
    ])  # fmt: skip
    assert existing.find(paper) == ()  # p.md has no year, q.md another DOI
    existing = Existing.of(
        [{"path": "p.md", "title": "Working title", "authors": "Lovelace, Ada",
          "date": "2020-05"}]
    )  # fmt: skip
    assert existing.find(paper) == ("p.md",)


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (arxiv_key, "2210.05938v3", "2210.05938"),
        (arxiv_key, "arXiv:2210.05938", "2210.05938"),
        (arxiv_key, "https://arxiv.org/pdf/2210.05938v2.pdf", "2210.05938"),
        (arxiv_key, "HTTPS://ARXIV.ORG/abs/2210.05938", "2210.05938"),
        (arxiv_key, "math.GT/0309136v1", "math.GT/0309136"),
        (arxiv_key, "math/0309136v1", "math/0309136"),
        (arxiv_key, "2210.059", None),
        (arxiv_key, "MATH/0309136", None),  # archive names are lower case
        (arxiv_of_doi, "10.48550/ARXIV.2210.05938", "2210.05938"),
        (arxiv_of_doi, "10.5555/arxiv.2210.05938", None),
        (doi_key, "https://doi.org/10.1007/S11263-023-0", "10.1007/s11263-023-0"),
        (doi_key, "doi: 10.1234/ABC", "10.1234/abc"),
        (doi_key, "10.12/short-registrant", None),
        (doi_key, "https://example.org/10.1234/abc", None),
    ],
)  # fmt: skip
def test_identifiers_compare_in_one_form(function, value, expected):
    assert function(value) == expected
