"""OpenAlex works read into records, and paging through an author's works:
what ``sync`` will write comes from here, so every field a paper file shows is
checked against the fixture it came from."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican.plugins.conference_papers.base.identifiers import normalize_orcid
from pelican.plugins.conference_papers.base.openalex import (
    NOT_PAPERS,
    OpenAlexError,
    abstract_text,
    author_filter,
    iter_works,
    parse_work,
    works_url,
)

from ..openalex_server import FIXTURES, OpenAlex

ADA = "0000-0002-1825-0097"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "tiny-preprint",
            {
                "openalex": "W4300000001",
                "title": "Tiny Models, Big Claims",
                "type": "preprint",
                "date": "2023-02-01",
                "year": 2023,
                "doi": "10.48550/arxiv.2302.00003",
                "arxiv": "2302.00003",
                "venue": "arXiv (Cornell University)",
                "venue_type": "repository",
                "pdf": "http://arxiv.org/pdf/2302.00003v2",
                "abstract": "We train tiny models and make big claims.",
                "is_preprint": True,
                "skip_reason": "",
            },
        ),
        (
            "tiny-icml",
            {
                "venue": "International Conference on Machine Learning",
                "venue_type": "conference",
                "doi": "10.5555/icml.2023.17",
                "arxiv": "2302.00003",  # from the arXiv location, version dropped
                "volume": "202",
                "pages": "101-112",
                "landing": "https://proceedings.example.org/icml/2023/17",
                "pdf": "http://arxiv.org/pdf/2302.00003v2",  # the open copy
                "is_preprint": False,
                "cited_by": 40,
            },
        ),
        (
            "journal-closed",
            {
                "venue": "Journal of Imaginary Computing",
                "publisher": "Imaginary Press",
                "volume": "7",
                "issue": "2",
                "pages": "42",
                "pdf": "",  # not open access: no PDF link, even though one is given
                "arxiv": "",
                "date": "2019-05-01",
            },
        ),
        ("sparse-preprint", {"title": "Sparse {GAN}s for \\emph{Everyone}"}),
        ("erratum", {"skip_reason": "it is an erratum (a correction of another work)"}),
        ("dataset", {"skip_reason": "it is a dataset, not a paper"}),
    ],
)
def test_fixture_works_read_into_records(name, expected):
    work = parse_work(fixture(name))
    assert {key: getattr(work, key) for key in expected} == expected
    assert work.problems == ()


def test_authors_keep_names_orcids_and_ids():
    work = parse_work(fixture("tiny-preprint"))
    assert [(a.name, a.orcid, a.openalex) for a in work.authors] == [
        ("Ada Lovelace", ADA, "A5000000001"),
        ("Grace Hopper", "", "A5000000002"),
    ]


BASE = {"id": "https://openalex.org/W1", "title": "A Paper", "type": "article"}


@pytest.mark.parametrize(
    ("extra", "field", "expected"),
    [
        # dates: only as precise as given
        ({"publication_year": 2021}, "date", "2021"),
        (
            {"publication_year": 2021, "publication_date": "2021-03-04"},
            "date",
            "2021-03-04",
        ),
        ({"publication_year": 2021, "publication_date": "2020-12-31"}, "date", "2021"),
        ({"publication_date": "2019-07-01"}, "year", 2019),
        ({"publication_year": "2021"}, "year", None),
        # titles: plain text, entities decoded before tags are dropped
        (
            {"title": "<i>Deep</i> Nets &lt;script&gt;alert(1)&lt;/script&gt;"},
            "title",
            "Deep Nets alert(1)",
        ),
        ({"title": "Line\x0cbreak\x00s"}, "title", "Line break s"),
        (
            {"title": None, "display_name": "From display_name"},
            "title",
            "From display_name",
        ),
        ({"title": "", "display_name": ""}, "skip_reason", "it has no title"),
        # not papers
        ({"type": "peer-review"}, "skip_reason", "it is a peer review, not a paper"),
        ({"is_paratext": True}, "skip_reason", NOT_PAPERS["paratext"]),
        ({"type": "paratext"}, "skip_reason", NOT_PAPERS["paratext"]),
        # identifiers
        ({"doi": "https://doi.org/10.48550/arXiv.2210.05938"}, "arxiv", "2210.05938"),
        ({"doi": "not a doi"}, "doi", ""),
        (
            {
                "locations": [
                    {"landing_page_url": "https://arxiv.org/abs/hep-th/9901001v3"}
                ]
            },
            "arxiv",
            "hep-th/9901001",
        ),
        ({"id": "W77", "ids": {}}, "openalex", "W77"),
        (
            {"id": None, "ids": {"openalex": "https://openalex.org/W78"}},
            "openalex",
            "W78",
        ),
        # authors: raw name when OpenAlex has no display name
        (
            {"authorships": [{"author": {}, "raw_author_name": "M. Keuper"}]},
            "authors",
            "M. Keuper",
        ),
        (
            {
                "authorships": [
                    {"author": {"display_name": "X", "orcid": "0000-0002-1825-0098"}}
                ]
            },
            "authors",
            "X",
        ),
        ({"cited_by_count": -4}, "cited_by", 0),
        ({"biblio": {"first_page": 12, "last_page": None}}, "pages", "12"),
    ],
)
def test_fields_from_odd_work_objects(extra, field, expected):
    work = parse_work({**BASE, **extra})
    value = getattr(work, field)
    if field == "authors":
        assert [a.name for a in value] == [expected]
        assert all(a.orcid == "" for a in value)  # a bad checksum is no ORCID
    else:
        assert value == expected


@pytest.mark.parametrize(
    ("location", "field", "problem"),
    [
        ({"is_oa": True, "pdf_url": "javascript:alert(1)"}, "pdf", "scheme javascript"),
        ({"is_oa": True, "pdf_url": "ftp://example.org/a.pdf"}, "pdf", "scheme ftp"),
        ({"landing_page_url": "http://[::1"}, "landing", "not a valid web address"),
        ({"landing_page_url": "https://ex.org/a b"}, "landing", "spaces"),
        ({"landing_page_url": "/relative/path"}, "landing", "not an http(s) address"),
    ],
)
def test_unsafe_links_are_left_out_and_said_so(location, field, problem):
    work = parse_work({**BASE, "primary_location": location})
    assert getattr(work, field) == ""
    assert len(work.problems) == 1
    note = work.problems[0]
    assert note.source == "https://openalex.org/W1"
    assert problem in note.message and "add a link by hand" in note.hint
    assert str(note).startswith("https://openalex.org/W1: its ")


def test_a_work_without_an_id_is_refused():
    with pytest.raises(OpenAlexError, match="no OpenAlex id"):
        parse_work({"title": "Orphan", "id": "https://openalex.org/A123"})
    with pytest.raises(OpenAlexError, match="not a JSON object"):
        parse_work(["W1"])


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ({"world": [1], "Hello": [0]}, "Hello world"),
        ({"a": [0, 2], "rose": [1, 3]}, "a rose a rose"),
        ({"gap": [0], "here": [3]}, "gap here"),  # missing positions are skipped
        ({"<p>Tagged": [0], "text</p>": [1]}, "Tagged text"),
        ({"&lt;b&gt;bold&lt;/b&gt;": [0]}, "bold"),
        ({"ok": [0], "bad": ["1", None, -1, 1.0, True]}, "ok"),
        ({"far": [10**12]}, ""),  # no list of a trillion slots
        ({}, ""),
        (None, ""),
        ("not an index", ""),
    ],
)
def test_abstracts_rebuilt_from_the_inverted_index(index, expected):
    assert abstract_text(index) == expected


def test_a_long_abstract_is_rebuilt_in_linear_time():
    words = [f"w{i}" for i in range(4000)]
    index = {word: [i] for i, word in enumerate(reversed(words))}
    started = time.perf_counter()
    text = abstract_text(index)
    assert text.split() == list(reversed(words))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        (ADA, f"author.orcid:{ADA}"),
        (f"https://orcid.org/{ADA}", f"author.orcid:{ADA}"),
        ("0000000218250097", f"author.orcid:{ADA}"),
        ("0000-0002-1694-233x", "author.orcid:0000-0002-1694-233X"),
        ("A5012345678", "author.id:A5012345678"),
        ("https://openalex.org/a5012345678", "author.id:A5012345678"),
    ],
)
def test_author_filters(author, expected):
    assert author_filter(author) == expected


@pytest.mark.parametrize("author", ["0000-0002-1825-0098", "W123", "keuper", ""])
def test_a_wrong_author_id_says_what_to_write(author):
    with pytest.raises(ValueError, match="Orcid: 0000-0002-1825-0097"):
        author_filter(author)


def test_orcid_checksum():
    assert normalize_orcid("0000-0002-1825-0097") == ADA
    assert normalize_orcid("0000-0002-1825-0091") is None


def test_works_url_asks_for_cursor_paging():
    url = works_url(ADA, mailto="lab@example.org")
    assert url == (
        "https://api.openalex.org/works?filter=author.orcid:0000-0002-1825-0097"
        "&per-page=200&cursor=*&mailto=lab%40example.org"
    )
    assert "cursor=abc%3D%3D" in works_url(ADA, "abc==", base="http://127.0.0.1:9/")


@pytest.mark.parametrize(
    "base", ["http://api.openalex.org", "file:///etc", "javascript:x", "https://"]
)
def test_works_url_refuses_other_servers(base):
    with pytest.raises(ValueError, match="cannot be used"):
        works_url(ADA, base=base)


def pages(*answers):
    """A fetch_json that gives these answers in turn and records the URLs."""
    asked: list[str] = []
    queue = list(answers)

    def fetch_json(url):
        asked.append(url)
        return queue.pop(0)

    return fetch_json, asked


def test_pager_follows_next_cursor_to_the_end():
    fetch, asked = pages(
        {"meta": {"next_cursor": "c1"}, "results": [{"id": 1}, {"id": 2}]},
        {"meta": {"next_cursor": "c2"}, "results": [{"id": 3}]},
        {"meta": {"next_cursor": None}, "results": []},
    )
    assert [w["id"] for w in iter_works(fetch, ADA)] == [1, 2, 3]
    assert [url.rsplit("cursor=", 1)[1] for url in asked] == ["*", "c1", "c2"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            [
                {"meta": {"next_cursor": "c1"}, "results": [{}]},
                {"meta": {"next_cursor": "c1"}, "results": [{}]},
            ],
            "sent the cursor 'c1' twice",
        ),
        ([{"meta": {"next_cursor": "*"}, "results": [{}]}], "twice"),
        ([{"meta": {"next_cursor": 7}, "results": [{}]}], "twice"),
        ([{"error": "Invalid query"}], "not a list of works"),
        ([["not", "a", "page"]], "not a list of works"),
    ],
)
def test_pager_stops_a_server_going_round_in_circles(answers, message):
    fetch, _ = pages(*answers)
    with pytest.raises(OpenAlexError, match=message):
        list(iter_works(fetch, ADA))


def test_pager_gives_up_after_the_page_cap():
    def endless(url):
        endless.n += 1
        return {"meta": {"next_cursor": f"c{endless.n}"}, "results": [{}]}

    endless.n = 0
    with pytest.raises(OpenAlexError, match="more than 3 pages of 200 works"):
        list(iter_works(endless, ADA, max_pages=3))
    assert endless.n == 3


def urllib_json(url: str, timeout: float = 5.0):
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return json.load(answer)


def test_paging_through_the_loopback_server():
    with OpenAlex() as server:
        works = [
            parse_work(work)
            for work in iter_works(urllib_json, ADA, base=server.base, per_page=2)
        ]
        by_id = [
            parse_work(work)
            for work in iter_works(urllib_json, "A5000000001", base=server.base)
        ]
    ids = sorted(work.openalex for work in works)
    assert ids == sorted(work.openalex for work in by_id)
    assert ids == [
        "W4300000001",
        "W4300000002",
        "W4300000003",
        "W4300000004",
        "W4300000006",
        "W4300000008",
    ]
    # three pages of two, then the empty page that ends the list, then by id
    first = parse_qs(urlsplit(server.requests[0]).query)
    assert first["cursor"] == ["*"] and first["per-page"] == ["2"]
    assert first["filter"] == [f"author.orcid:{ADA}"]
    assert len(server.requests) == 4 + 2


def test_loopback_server_fails_on_demand():
    with OpenAlex(timeout=3) as server:
        url = works_url(ADA, base=server.base)
        server.fail("429", "503", "garbage", "timeout")
        with pytest.raises(urllib.error.HTTPError) as busy:
            urllib_json(url)
        assert busy.value.code == 429
        assert busy.value.headers["Retry-After"] == "2"
        with pytest.raises(urllib.error.HTTPError) as down:
            urllib_json(url)
        assert down.value.code == 503
        with pytest.raises(json.JSONDecodeError):
            urllib_json(url)
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            urllib_json(url, timeout=0.3)
        assert urllib_json(url)["meta"]["count"] == 6  # then normal again
        server.fail("loop")
        with pytest.raises(OpenAlexError, match="twice"):
            list(iter_works(urllib_json, ADA, base=server.base, per_page=2))
        assert urllib_json(f"{server.base}/works/W4300000005")["title"] == (
            "Forty-Two Answers"
        )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "doi",
    "title",
    "display_name",
    "publication_year",
    "publication_date",
    "type",
    "authorships",
    "primary_location",
    "locations",
    "best_oa_location",
    "biblio",
    "ids",
    "abstract_inverted_index",
    "cited_by_count",
    "is_paratext",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(KEYS, JSON)), st.data())
def test_any_json_in_any_field_gives_a_record(work, data):
    """What a broken or hostile server sends never crashes the reader."""
    work["id"] = "https://openalex.org/W1"
    if "locations" in work and data.draw(st.booleans()):
        work["locations"] = [{"source": work["locations"], "pdf_url": "x"}]
    record = parse_work(work)
    assert record.openalex == "W1"
    for value in (record.title, record.abstract, record.venue, record.pdf):
        assert isinstance(value, str) and "<" not in value.replace("< ", "")
