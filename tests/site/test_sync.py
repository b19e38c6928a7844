"""``pelican-papers sync`` against the loopback OpenAlex (tests/openalex_server.py).

What a webmaster notices: the members' papers appear under the right venue and
kind, each once; a preprint and its published version are one file; a hand
edit survives; a second run and a failing server change no byte; --dry-run
shows the diff and writes nothing. What sync writes passes ``check`` and
builds (tests/imported.py), journal articles and year-only dates included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pelican.plugins.conference_papers import sync
from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.format import fields as table
from pelican.plugins.conference_papers.importers import doi as crossref_api

from ..imported import checks_and_builds
from ..loopback import Services
from ..openalex_server import FIXTURES, OpenAlex

ORCID = "0000-0002-1825-0097"
ICML = (
    "papers/international-conference-on-machine-learning-2023/tiny-models-big-claims.md"
)


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "members").mkdir(parents=True)
    (folder / "members" / "ada.md").write_text(
        f"Name: Ada Lovelace\nOrcid: {ORCID}\n\nShe writes papers.\n", "utf-8"
    )
    return folder


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    """The day a citation count is taken on, fixed so that files can be compared."""
    monkeypatch.setattr(sync, "today", lambda: "2026-12-01")


@pytest.fixture
def server():
    with OpenAlex() as running:
        yield running


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(content, server, *extra) -> int:
    return cli.main(["sync", str(content), "--openalex-url", server.base, *extra])


def keys_of(path: Path) -> list[str]:
    """The header keys of a written file, in the file's order."""
    header = path.read_text("utf-8").split("\n\n", 1)[0]
    return [line.split(":", 1)[0] for line in header.splitlines() if ":" in line]


def in_table_order(path: Path) -> bool:
    order = [key.name for key in table.PAPER]
    keys = keys_of(path)
    return keys == sorted(keys, key=order.index)


def papers(content: Path) -> list[str]:
    return sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))


def test_new_papers_under_their_venue_and_kind(content, server, capsys, tmp_path):
    assert run(content, server) == 0
    assert papers(content) == [
        "conferences/international-conference-on-machine-learning-2023.md",
        "conferences/neural-information-processing-systems-2022.md",
        "members/ada.md",
        ICML,
        "papers/journals/sparse-gans-for-everyone.md",
        "papers/neural-information-processing-systems-2022/"
        "robust-models-are-less-over-confident.md",
    ]
    icml = (content / ICML).read_text("utf-8")
    # The preprint and the ICML paper: one file, arXiv kept, the DOI gained,
    # the preprint's date (the feed entry's) kept.
    assert "Arxiv: 2302.00003\n" in icml
    assert "Doi: 10.5555/icml.2023.17\n" in icml
    assert "Date: 2023-02-01\n" in icml
    assert "Openalex: W4300000001, W4300000002\n" in icml
    journal = (content / "papers/journals/sparse-gans-for-everyone.md").read_text()
    assert "Journal: International Journal of Computer Vision\n" in journal
    assert "Arxiv: 2111.09999\n" in journal and "Pages: 1234-1256\n" in journal
    conference = content / "conferences/neural-information-processing-systems-2022.md"
    assert "Date: 2022\n" in conference.read_text()  # only the year is known
    # The content format's order, the one the importers write (format/fields.py).
    assert all(in_table_order(content / p) for p in papers(content) if "papers/" in p)
    captured = capsys.readouterr()
    assert (
        "3 added, 2 merged, 0 updated, 0 unchanged, 1 skipped, 2 new conference(s)"
        in captured.out
    )
    assert "it is a dataset, not a paper" in captured.err
    site = checks_and_builds(content, tmp_path / "built")
    meta = site.page("conferences/neural-information-processing-systems-2022/")
    time = meta.select_one(".conference-meta time")
    assert (time["datetime"], time.get_text()) == ("2022", "2022")
    journal = site.page("papers/journals/sparse-gans-for-everyone/")
    assert "International Journal of Computer Vision" in journal.get_text()


def test_preprint_file_gains_its_published_version(content, server, tmp_path):
    preprint = content / "papers/preprints/tiny.md"
    preprint.parent.mkdir(parents=True)
    preprint.write_text(
        "Title: Tiny Models, Big Claims\nAuthors: Ada Lovelace, Grace Hopper\n"
        "Date: 2023-02-01\nArxiv: 2302.00003\nPreprint: arXiv\n\nOur abstract.\n",
        "utf-8",
    )
    assert run(content, server) == 0
    assert not (content / ICML).exists()  # no second file
    text = preprint.read_text("utf-8")
    assert text.startswith("Title: Tiny Models, Big Claims\n")  # the author's
    assert "Arxiv: 2302.00003\n" in text
    assert "Doi: 10.5555/icml.2023.17\n" in text
    assert "Conference: international-conference-on-machine-learning-2023\n" in text
    assert text.endswith("\nOur abstract.\n")
    conference = (
        content / "conferences/international-conference-on-machine-learning-2023.md"
    )
    assert conference.is_file()
    checks_and_builds(content, tmp_path / "built")


def test_a_paper_in_the_content_is_found_by_its_title(content, server, tmp_path):
    """A hand-made file with no identifier: same title (folded), first author
    and year; it gains its OpenAlex id and stays in its conference."""
    (content / "conferences").mkdir()
    neurips = content / "conferences/neurips-2022.md"
    neurips.write_text("Title: NeurIPS 22\nDate: 2022-11-28\n", "utf-8")
    paper = content / "papers/neurips-2022/robust.md"
    paper.parent.mkdir(parents=True)
    paper.write_text(
        "Title: Robust models are less over-confident\n"
        "Authors: Grace Hopper, Ada Lovelace\nDate: 2022-10-11\n",
        "utf-8",
    )
    assert run(content, server) == 0
    text = paper.read_text("utf-8")
    assert text.startswith(
        "Title: Robust models are less over-confident\n"
        "Authors: Grace Hopper, Ada Lovelace\nDate: 2022-10-11\n"
    )
    assert "Openalex: W4300000006\n" in text and "Conference:" not in text
    assert sorted(p.name for p in (content / "conferences").iterdir()) == [
        "international-conference-on-machine-learning-2023.md",
        "neurips-2022.md",
    ]
    assert not (content / "papers/neural-information-processing-systems-2022").exists()
    checks_and_builds(content, tmp_path / "built")


def test_hand_edit_kept_and_second_run_changes_nothing(
    content, server, capsys, tmp_path
):
    assert run(content, server) == 0
    icml = content / ICML
    icml.write_text(
        icml.read_text("utf-8").replace(
            "Title: Tiny models, big claims", "Title: Tiny Models, Big Claims"
        ),
        "utf-8",
    )
    before = snapshot(content)
    capsys.readouterr()
    assert run(content, server) == 0
    assert snapshot(content) == before
    checks_and_builds(content, tmp_path / "built")
    captured = capsys.readouterr()
    assert "0 added, 0 merged, 0 updated, 3 unchanged" in captured.out
    assert f"kept a hand edit: {ICML}: Title" in captured.err


@pytest.mark.parametrize("failure", ["429", "503", "garbage", "timeout"])
def test_a_failing_server_changes_nothing(
    content, server, capsys, failure, monkeypatch
):
    monkeypatch.setattr(sync, "TIMEOUT", 1.0)
    server.retry_after = "120"  # longer than sync waits
    (content / "papers" / "journals").mkdir(parents=True)
    before = snapshot(content)
    server.fail(failure)
    assert run(content, server) == 1
    assert snapshot(content) == before
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("pelican-papers: sync stopped, content unchanged: ")


def test_a_short_retry_after_is_waited_out(content, server, monkeypatch):
    server.retry_after = "0"
    server.fail("429")
    assert run(content, server) == 0
    assert (content / ICML).is_file()


def test_429_after_429_gives_up_in_one_line(content, server, capsys):
    server.retry_after = "0"
    server.fail("429", "429", "429", "429")  # one more than sync waits out
    before = snapshot(content)
    assert run(content, server) == 1
    assert snapshot(content) == before
    assert len(server.requests) == sync.MAX_RETRIES + 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].endswith("answered 429 Too Many Requests 4 times in a row")


def test_dry_run_prints_the_diff_and_writes_nothing(content, server, capsys):
    assert run(content, server) == 0
    (content / ICML).unlink()
    before = snapshot(content)
    capsys.readouterr()
    assert run(content, server, "--dry-run") == 0
    assert snapshot(content) == before
    out = capsys.readouterr().out
    assert f"--- /dev/null\n+++ b/{ICML}\n" in out
    assert "+Doi: 10.5555/icml.2023.17\n" in out


def test_offline_uses_the_cache_alone(content, server, capsys):
    assert run(content, server) == 0
    (content / ICML).unlink()
    asked = len(server.requests)
    assert run(content, server, "--offline") == 0
    assert len(server.requests) == asked
    assert (content / ICML).is_file()


def test_mailto_is_sent_and_left_out_of_the_cache(content, server):
    assert run(content, server, "--mailto", "lab@example.org") == 0
    assert all("mailto=lab%40example.org" in path for path in server.requests)
    (content / ICML).unlink()
    assert run(content, server, "--offline") == 0  # the cache key has no mailto
    assert (content / ICML).is_file()


def _sheep(name: str) -> dict:
    return json.loads((FIXTURES / "sync" / f"{name}.json").read_text("utf-8"))


def test_a_preprint_published_later_keeps_its_file(content, tmp_path):
    """March: a preprint, written to papers/preprints/. Later: published at WACV;
    the same file gains the conference and the DOI, keeps its arXiv id and date."""
    with OpenAlex(works=[_sheep("sheep-preprint")]) as server:
        assert run(content, server) == 0
    preprint = content / "papers/preprints/counting-sheep-in-the-dark.md"
    assert preprint.read_text("utf-8") == (
        "Title: Counting Sheep in the Dark\nAuthors: Ada Lovelace\nDate: 2023-03-01\n"
        "Pdf: http://arxiv.org/pdf/2303.00042v1\nArxiv: 2303.00042\n"
        "Preprint: arXiv\nOpenalex: W4300000101\n"
        "Citations: 1 (OpenAlex, 2026-12-01)\n\nWe count sheep.\n"
    )
    checks_and_builds(content, tmp_path / "march")
    with OpenAlex(works=[_sheep("sheep-preprint"), _sheep("sheep-wacv")]) as server:
        assert run(content, server) == 0
    assert papers(content) == [
        "conferences/wacv-2024.md",
        "members/ada.md",
        "papers/preprints/counting-sheep-in-the-dark.md",
    ]
    text = preprint.read_text("utf-8")
    assert "Preprint:" not in text  # sync wrote it, so sync may take it back
    for line in (
        "Arxiv: 2303.00042",
        "Date: 2023-03-01",
        "Doi: 10.5555/wacv.2024.42",
        "Conference: wacv-2024",
        "Pages: 420-429",
        "Openalex: W4300000101, W4300000102",
    ):
        assert f"\n{line}\n" in text
    # The keys it gained sit where the table puts them, not after the others.
    assert keys_of(preprint)[:5] == ["Title", "Authors", "Conference", "Date", "Pdf"]
    assert in_table_order(preprint)
    assert "Date: 2024\n" in (content / "conferences/wacv-2024.md").read_text()
    checks_and_builds(content, tmp_path / "later")


def test_orcid_entries_of_sources_yaml(tmp_path, server, capsys):
    content = tmp_path / "content"
    content.mkdir()
    (content / "sources.yaml").write_text(f"- orcid: {ORCID}\n", "utf-8")
    assert run(content, server) == 0
    assert (content / ICML).is_file()
    checks_and_builds(content, tmp_path / "built")


@pytest.fixture
def crossref(monkeypatch):
    with Services() as services:
        monkeypatch.setenv(crossref_api.ENV_API, f"{services.base}/crossref/works")
        yield services


def test_ids_of_sources_yaml_are_asked_one_by_one(tmp_path, server, crossref, capsys):
    """doi:, arxiv: (as arXiv's DOI) and pmid: entries, each one work of
    OpenAlex's; a DOI OpenAlex does not know is no paper and says so."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "sources.yaml").write_text(
        "- id: doi:10.5555/JOURNAL.2019.42\n"  # DOIs are case-insensitive
        "- id: arxiv:2302.00003\n"
        "- id: doi:https://doi.org/10.5555/icml.2023.17\n"
        "- id: pmid:29456894\n"
        "- id: doi:10.5555/nobody.knows\n"
        "- id: isbn:978-3-16-148410-0\n",
        "utf-8",
    )
    assert run(content, server) == 0
    assert papers(content) == [
        "conferences/international-conference-on-machine-learning-2023.md",
        ICML,  # the arXiv id and the DOI: one paper
        "papers/journals/forty-two-answers.md",
        "papers/journals/sparse-gans-for-everyone.md",  # by its PubMed id
    ]
    assert "Openalex: W4300000001, W4300000002\n" in (content / ICML).read_text()
    assert any(p.endswith("/works/pmid:29456894") for p in server.requests)
    err = capsys.readouterr().err
    assert "neither OpenAlex nor Crossref knows doi:10.5555/nobody.knows" in err
    assert "'id: isbn:978-3-16-148410-0' is not a DOI, arXiv id or PubMed id" in err
    assert crossref.requests == ["/crossref/works/10.5555%2Fnobody.knows"]
    checks_and_builds(content, tmp_path / "built")


def test_a_doi_only_crossref_knows(tmp_path, crossref, capsys):
    content = tmp_path / "content"
    content.mkdir()
    (content / "sources.yaml").write_text("- id: doi:10.5555/journal.2019.42\n")
    with OpenAlex(works=[]) as server:
        assert run(content, server) == 0
        paper = content / "papers/journals/forty-two-answers.md"
        assert paper.read_text("utf-8") == (
            "Title: Forty-Two Answers\nAuthors: Alan Turing, The Lab\n"
            "Date: 2019-05\nPdf: https://example.org/42.pdf\n"
            "Doi: 10.5555/journal.2019.42\n"
            "Journal: Journal of Imaginary Computing\n\nWe answer everything.\n"
        )
        checks_and_builds(content, tmp_path / "built")
        before = snapshot(content)
        assert run(content, server) == 0
        assert snapshot(content) == before
        (content / "papers/journals/forty-two-answers.md").unlink()
        asked = len(crossref.requests)
        assert run(content, server, "--offline") == 0  # the cache holds Crossref's
        assert len(crossref.requests) == asked
    assert paper.is_file()


def test_no_author_to_ask_for_is_one_line(tmp_path, server, capsys):
    content = tmp_path / "content"
    (content / "members").mkdir(parents=True)
    (content / "members" / "bob.md").write_text("Name: Bob\n", "utf-8")
    assert run(content, server) == 1
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith(
            "has an Orcid: or Openalex: line (write e.g. 'Orcid: 0000-0002-1825-0097')"
        )
    )
    assert server.requests == []


def test_a_workshop_paper_keeps_its_track_on_the_next_run(content, tmp_path):
    with OpenAlex(works=[_sheep("owls-cvprw")]) as server:
        assert run(content, server) == 0
        paper = content / "papers/cvpr-2022/owls-see-better.md"
        text = paper.read_text("utf-8")
        assert "\nTrack: Workshop Paper\n" in text and "\nPages: 7-12\n" in text
        assert "Conference:" not in text  # the folder names it
        # "CVPR Workshops" names no workshop: without Type: workshop it would be
        # a main-track paper of CVPR (the importers' rule, common.edition_type).
        assert "\nType: workshop\n" in text
        before = snapshot(content)
        assert run(content, server) == 0
    assert snapshot(content) == before
    checks_and_builds(content, tmp_path / "built")


def test_a_wrong_orcid_is_named_with_its_file_and_line(content, server, capsys):
    (content / "members" / "bob.md").write_text(
        "Name: Bob\nRole: Student\nOrcid: 1234\n", "utf-8"
    )
    assert run(content, server) == 0
    err = capsys.readouterr().err
    assert f"{content / 'members' / 'bob.md'}:3: '1234' is neither an ORCID" in err
    assert (content / ICML).is_file()  # Ada's papers all the same


def _work(name: str, **changes) -> dict:
    work = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    work.update(changes)
    return work


def _index(text: str) -> dict:
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


def _body(path: Path) -> str:
    return path.read_text("utf-8").split("\n\n", 1)[1]


def test_the_abstract_follows_openalex_until_a_hand_writes_it(content, capsys):
    """A file without a body gains OpenAlex's abstract; an abstract sync wrote
    follows OpenAlex's; one a hand rewrote stays, and the run says so."""
    paper = content / "papers/journals/tiny.md"
    paper.parent.mkdir(parents=True)
    paper.write_text(
        "Title: Tiny models, big claims\nAuthors: Ada Lovelace, Grace Hopper\n"
        "Date: 2023-07-23\nJournal: Tiny Letters\nDoi: 10.5555/icml.2023.17\n",
        "utf-8",
    )
    works = [_work("tiny-preprint"), _work("tiny-icml")]
    with OpenAlex(works=works) as server:
        assert run(content, server) == 0
    assert _body(paper) == "We train tiny models and make big claims.\n"
    assert paper.read_text("utf-8").startswith("Title: Tiny models, big claims\n")
    newer = "We train tiny models and make bigger claims."
    works[1]["abstract_inverted_index"] = _index(newer)
    works[0]["abstract_inverted_index"] = None
    with OpenAlex(works=works) as server:
        assert run(content, server) == 0
        assert _body(paper) == newer + "\n"  # the cache did not answer for OpenAlex
        paper.write_text(paper.read_text("utf-8").replace("bigger", "modest"))
        before = snapshot(content)
        works[1]["abstract_inverted_index"] = _index("Something else entirely.")
        capsys.readouterr()
        assert run(content, server) == 0
    assert paper.read_bytes() == before["papers/journals/tiny.md"]
    assert "kept a hand edit: papers/journals/tiny.md: the abstract" in (
        capsys.readouterr().err
    )


def test_a_hand_written_body_is_never_replaced(content, server):
    paper = content / "papers/journals/tiny.md"
    paper.parent.mkdir(parents=True)
    paper.write_text(
        "Title: Tiny models, big claims\nAuthors: Ada Lovelace\nDate: 2023-07-23\n"
        "Journal: Tiny Letters\nDoi: 10.5555/icml.2023.17\n\nOur own words.\n",
        "utf-8",
    )
    assert run(content, server) == 0
    assert _body(paper) == "Our own words.\n"


def test_members_are_written_as_their_files_name_them(content, tmp_path):
    """By ORCID iD whatever OpenAlex calls her, else by a name or alias of a
    member file; her page then lists the paper."""
    (content / "members" / "grace.md").write_text(
        "Name: Grace Hopper\nAliases: G. M. Hopper\n\nShe writes compilers.\n"
    )
    icml = _work("tiny-icml")
    icml["authorships"][0]["author"]["display_name"] = "A. King"  # her ORCID
    icml["authorships"][1]["author"]["display_name"] = "G. M. Hopper"
    icml["authorships"].append(
        {"author": {"display_name": "G. Hopper", "orcid": None}}  # not her alias
    )
    with OpenAlex(works=[icml]) as server:
        assert run(content, server) == 0
    paper = content / ICML
    assert "Authors: Ada Lovelace, Grace Hopper, G. Hopper\n" in paper.read_text()
    site = checks_and_builds(content, tmp_path / "built")
    for member in ("ada", "grace"):
        page = site.page(f"people/{member}/")
        titles = [a.get_text() for a in page.select("section h3 a")]
        assert "Tiny models, big claims" in titles, member


def test_citation_counts_are_a_dated_snapshot_never_lowered(
    content, tmp_path, monkeypatch
):
    icml = _work("tiny-icml", cited_by_count=12)
    with OpenAlex(works=[icml]) as server:
        assert run(content, server) == 0
        paper = content / ICML
        assert "\nCitations: 12 (OpenAlex, 2026-12-01)\n" in paper.read_text()
        site = checks_and_builds(content, tmp_path / "built")
        page = site.page(ICML.removesuffix(".md") + "/")
        cited = page.select_one(".paper-citations").get_text()
        assert cited == "Cited by 12 · OpenAlex, 2026-12-01"
        monkeypatch.setattr(sync, "today", lambda: "2027-01-05")
        before = paper.read_bytes()
        icml["cited_by_count"] = 9  # OpenAlex merged two records: a dip
        assert run(content, server) == 0
        assert paper.read_bytes() == before
        icml["cited_by_count"] = 12  # the same count: its date stays
        assert run(content, server) == 0
        assert paper.read_bytes() == before
        icml["cited_by_count"] = 15
        assert run(content, server) == 0
    assert "\nCitations: 15 (OpenAlex, 2027-01-05)\n" in paper.read_text()
