"""Importers: a lab moving its site over, from a Jekyll page, LWT data, BibTeX,
arXiv and Crossref, into files that pass ``check`` and build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from pelican.plugins.conference_papers.commands import check
from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.importers import arxiv, bibtex, doi, jekyll, lwt
from pelican.plugins.conference_papers.importers.remote import FetchError
from pelican.plugins.conference_papers.importers.writer import (
    ImportFailure,
    ImportWriter,
)

from ..imported import checks_and_builds
from ..loopback import Services

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def problems(content: Path):
    found = check.find_problems(check.load_settings(None, str(content)))
    return [p for p in found if p.severity == "error"], found


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def png(path: Path, color=(200, 30, 30)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 6), color).save(path)


@pytest.fixture
def page(tmp_path) -> Path:
    """The conference page in an old Jekyll site, with the one image it has."""
    old = tmp_path / "old-site" / "conferences"
    old.mkdir(parents=True)
    shutil.copy(FIXTURES / "conference-page.md", old / "icml23.md")
    png(tmp_path / "old-site" / "images" / "teaser.png")
    return old / "icml23.md"


# --- jekyll ------------------------------------------------------------------


def test_jekyll_page_builds_into_the_same_sections_titles_authors_links(
    capsys, page, empty_site, monkeypatch
):
    monkeypatch.chdir(empty_site.root.parent)  # no pelicanconf.py here
    code, out, err = run(capsys, "import", "jekyll", page, "--into", empty_site.content)
    assert code == 0, err
    assert "imported 3 paper(s) in 1 conference(s)" in out
    # What the importer could not map is named with its line, not dropped silently.
    assert "icml23.md:50: '{% include youtube.html" in err
    assert "icml23.md:68: the Kramdown attribute '{:.center}'" in err
    assert "images/missing.png' was not found" in err

    conference = (empty_site.content / "conferences" / "icml-2023.md").read_text()
    assert conference.splitlines()[:6] == [
        "Title: ICML 23",
        "Date: 2023-07-23",
        "Icon: fas fa-robot",
        "Tracks: Main Track; Workshop Paper (non-archival)",
        "Hashtag: ICML2023",
        "Timeline: x @ExampleLab",
    ]
    assert conference.count("non-archival") == 1, "the heading kept whole, once"
    sparse = (
        empty_site.content / "papers/icml-2023/sparse-kernels-for-tiny-graphs.md"
    ).read_text()
    assert "Authors: Ada Lovelace, Alan Turing, Grace Hopper\n" in sparse
    assert (
        "We study sparse kernels for tiny graphs and show that they are fast." in sparse
    )
    assert "Image: images/icml-2023/sparse-kernels-for-tiny-graphs.png" in sparse
    dense = empty_site.content / "papers/icml-2023/dense-kernels-for-huge-graphs.md"
    assert '{% include youtube.html id="abc123" %}' in dense.read_text()

    errors, _ = problems(empty_site.content)
    assert errors == []
    empty_site.build()
    soup = empty_site.page("conferences/icml-2023/")
    assert soup.h1.get_text(strip=True) == "ICML 23"
    tracks = soup.select("section.track")
    assert [t.h2.get_text(strip=True) for t in tracks] == [
        "Main Track",
        "Workshop Paper (non-archival)",
    ]
    titles = [[c.h3.get_text(strip=True) for c in t.select("article")] for t in tracks]
    assert titles == [
        ["Sparse Kernels for Tiny Graphs", "Dense Kernels for Huge Graphs"],
        ["Kernels in the Wild"],
    ]
    first = tracks[0].select("article")[0]
    assert first.select_one(".paper-card-authors").get_text() == (
        "Ada Lovelace, Alan Turing, Grace Hopper"
    )
    links = {
        a.get_text(strip=True): a["href"] for a in first.select(".paper-card-links a")
    }
    assert links["PDF"] == "https://arxiv.org/pdf/2301.00001.pdf"
    assert links["Code"] == "https://github.com/example-lab/sparse-kernels"
    assert links["Poster"] == "https://example.org/posters/sparse.png"
    assert links["arXiv"] == "https://arxiv.org/abs/2301.00001"
    assert first.img is not None, "the image was copied and shown"
    workshop = tracks[1].select_one("article")
    assert "GraphML Workshop" in workshop.get_text()
    assert workshop.select_one('a[href="https://doi.org/10.5555/12345678"]')


def test_second_run_gives_the_same_files_and_never_overwrites_without_force(
    capsys, page, tmp_path
):
    into = tmp_path / "content"
    assert run(capsys, "import", "jekyll", page, "--into", into)[0] == 0
    before = files(into)
    code, out, _ = run(capsys, "import", "jekyll", page, "--into", into)
    assert code == 0 and "0 file(s) written" in out
    assert files(into) == before

    edited = into / "papers/icml-2023/kernels-in-the-wild.md"
    edited.write_text(edited.read_text() + "\nMy own notes.\n")
    code, out, err = run(capsys, "import", "jekyll", page, "--into", into)
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("pelican-papers: error: 1 file(s)")
    assert "--force" in err and "Traceback" not in err
    assert "My own notes." in edited.read_text()

    assert run(capsys, "import", "jekyll", page, "--into", into, "--force")[0] == 0
    assert files(into) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some text\n", "no papers found"),
        ("---\ntitle: [unclosed\n---\n### P\n", "front matter is not YAML"),
        ("### A paper\n#### Someone\n", "no conference title"),
        ("---\ntitle: Workshop\n---\n### A paper\n", "pass --date"),
    ],
)
def test_bad_jekyll_page_is_one_line_and_exit_1(capsys, tmp_path, text, message):
    bad = tmp_path / "bad.md"
    bad.write_text(text)
    code, _, err = run(capsys, "import", "jekyll", bad, "--into", tmp_path / "c")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and message in err
    assert not (tmp_path / "c").exists()


def test_missing_and_non_utf8_files_are_one_line(capsys, tmp_path):
    code, _, err = run(
        capsys, "import", "lwt", tmp_path / "nope.yaml", "--into", tmp_path
    )
    assert (
        code == 1
        and err.strip() == f"pelican-papers: error: {tmp_path}/nope.yaml: no such file"
    )
    latin = tmp_path / "papers.bib"
    latin.write_bytes("@misc{a, title={Caf\xe9}}".encode("latin-1"))
    code, _, err = run(capsys, "import", "bibtex", latin, "--into", tmp_path)
    assert code == 1 and "not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_jekyll_authors_and_timeline_details():
    assert jekyll.split_authors(
        " Ada Lovelace1,2 , Alan Turing*  and Grace Hopper3"
    ) == [
        "Ada Lovelace",
        "Alan Turing",
        "Grace Hopper",
    ]
    assert jekyll.parse_timeline("https://twitter.com/ExampleLab") == ("ExampleLab", "")
    assert jekyll.parse_timeline(
        "https://twitter.com/search?q=%23NeurIPS2022%20from%3AKeuperLabs"
    ) == ("KeuperLabs", "NeurIPS2022")


# --- lab-website-template -------------------------------------------------------


@pytest.fixture
def lwt_site(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "lwt-site", tmp_path / "lwt-site")
    png(tmp_path / "lwt-site" / "images" / "seeing.png")
    return tmp_path / "lwt-site" / "_data" / "sources.yaml"


def test_lwt_import_resolves_bare_ids_from_the_services(capsys, lwt_site, tmp_path):
    into = tmp_path / "content"
    with Services() as services:
        code, out, err = run(
            capsys, "import", "lwt", lwt_site, "--into", into,
            "--arxiv-api", f"{services.base}/arxiv/query",
            "--crossref-api", f"{services.base}/crossref/works",
        )  # fmt: skip
        assert code == 0, err
        asked = len(services.requests)
    assert "imported 5 paper(s) in 2 conference(s)" in out
    conferences = sorted(p.name for p in (into / "conferences").iterdir())
    assert conferences == ["cvpr-2020.md", "icml-2023.md"]
    cvpr = (into / "conferences" / "cvpr-2020.md").read_text()
    assert cvpr == (
        "Title: CVPR 20\nName: Computer Vision and Pattern Recognition\nDate: 2020\n"
    ), "the data says the year of the conference, not its day"
    seeing = (into / "papers/cvpr-2020/seeing-things-a-study.md").read_text()
    for line in [
        "Date: 2020-06-01",
        "Image: images/cvpr-2020/seeing-things-a-study.png",
        "Code: https://github.com/example-lab/seeing",
        "Arxiv: 2001.00002",
        "Doi: 10.5555/cvpr.2020.7",
        "Links: Video <https://www.youtube.com/watch?v=dQw4w9WgXcQ> "
        "fa-brands fa-youtube",
        "Tags: vision, study",
    ]:
        assert line + "\n" in seeing
    stars = (into / "papers/journals/counting-stars-in-journals.md").read_text()
    assert "Journal: The Astrophysical Journal\n" in stars, "a journal, not a venue"
    assert "Code: https://github.com/example-lab/stars\n" in stars
    assert "Links: Talk slides <https://example.org/stars-slides.pdf>" in stars
    tiny = (into / "papers/icml-2023/tiny-models-big-claims.md").read_text()
    assert "Authors: Ada Lovelace, Grace Hopper\n" in tiny
    assert "We train tiny models and make big claims." in tiny
    answers = (into / "papers/journals/forty-two-answers.md").read_text()
    assert "Journal: Journal of Imaginary Computing\n" in answers
    assert "Authors: Alan Turing, The Lab\n" in answers
    assert "\n\nWe answer everything.\n" in answers  # no space before the "."
    checks_and_builds(into, tmp_path / "built")

    # The answers were cached: the same import again asks nothing.
    with Services() as services:
        code, out, _ = run(
            capsys, "import", "lwt", lwt_site, "--into", into,
            "--arxiv-api", f"{services.base}/arxiv/query",
            "--crossref-api", f"{services.base}/crossref/works",
        )  # fmt: skip
        assert code == 0 and services.requests == []
    assert asked == 2 and "0 file(s) written" in out


def test_lwt_offline_writes_unresolved_entries_so_that_check_names_them(
    capsys, lwt_site, tmp_path
):
    into = tmp_path / "content"
    code, _, err = run(capsys, "import", "lwt", lwt_site, "--into", into, "--offline")
    assert code == 0
    assert "arxiv:2302.00003 was not looked up" in err
    errors, _ = problems(into)
    named = {Path(p.path).name for p in errors}
    assert named == {"arxiv-2302-00003.md", "doi-10-5555-journal-2019-42.md"}
    assert "'2302.00003': cannot tell where" in err, "no venue: warned, not invented"
    assert all(
        "missing" in p.message or "'unsorted' does not exist" in p.message
        for p in errors
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- title: [unclosed\n", "sources.yaml:2: this is not valid YAML"),
        ("title: not a list\n", "expected a list of entries"),
        ("- just a string\n", "sources.yaml:1: an entry is not a mapping"),
    ],
)
def test_bad_lwt_file_is_one_line(capsys, tmp_path, text, message):
    bad = tmp_path / "sources.yaml"
    bad.write_text(text)
    code, _, err = run(capsys, "import", "lwt", bad, "--into", tmp_path / "c")
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


# --- bibtex --------------------------------------------------------------------


def test_al_folio_buttons_become_links_the_image_and_featured(
    capsys, tmp_path, empty_site
):
    """Each al-folio field is a link with its label (relative files under the
    folder al-folio's bib.liquid gives them), the preview image, ``Featured``,
    or dropped: ``bibtex_show``, since every paper page shows its BibTeX."""
    old = tmp_path / "old-site"
    (old / "_bibliography").mkdir(parents=True)
    bib = old / "_bibliography" / "papers.bib"
    shutil.copy(FIXTURES / "al-folio-buttons.bib", bib)
    png(old / "assets/img/publication_preview/buttons.png")
    code, _, err = run(
        capsys, "import", "bibtex", bib,
        "--into", empty_site.content, "--base-url", "https://lab.example.org/",
    )  # fmt: skip
    assert code == 0, err
    papers = empty_site.content / "papers"
    text = (papers / "icml-2023/every-button-of-a-publication.md").read_text()
    site = "https://lab.example.org/assets"
    for line in [
        "Featured: yes",
        f"Pdf: {site}/pdf/buttons.pdf",
        "Code: https://github.com/example-lab/buttons",
        "Image: images/icml-2023/every-button-of-a-publication.png",
        "Links: "
        f"HTML <{site}/html/buttons.html> fa-solid fa-globe; "
        "Website <https://example.org/buttons> fa-solid fa-globe; "
        "Video <https://video.example.org/buttons> fa-solid fa-video; "
        "Poster <https://example.org/buttons-poster.pdf> fa-solid fa-image; "
        f"Slides <{site}/pdf/talks/buttons-slides.pdf> fa-solid fa-person-chalkboard; "
        f"Supplement <{site}/pdf/buttons-supp.zip> fa-solid fa-paperclip",
    ]:
        assert "\n" + line + "\n" in text
    for gone in ("Selected:", "Bibtex", "Abbr:", "Preview:", "Supp:", "Html:"):
        assert gone not in text
    assert "Featured:" not in (papers / "journals/a-paper-not-selected.md").read_text()
    maybe = (papers / "journals/a-paper-maybe-selected.md").read_text()
    assert "Featured:" not in maybe and "Selected:" not in maybe
    assert "selected 'sometimes' is neither true nor false" in err
    built = checks_and_builds(empty_site.content, tmp_path / "built")
    home = (built.output / "index.html").read_text(encoding="utf-8")
    selected = home.partition('id="selected-papers"')[2].partition("</section>")[0]
    assert "Every Button of a Publication" in selected
    assert "A Paper Not Selected" not in selected


def test_bibtex_import_decodes_latex_merges_duplicates_and_builds(
    capsys, tmp_path, empty_site
):
    old = tmp_path / "old-site"
    (old / "_bibliography").mkdir(parents=True)
    shutil.copy(FIXTURES / "papers.bib", old / "_bibliography" / "papers.bib")
    png(old / "assets/img/publication_preview/engines.png")
    code, out, err = run(
        capsys, "import", "bibtex", old / "_bibliography/papers.bib",
        "--into", empty_site.content, "--base-url", "https://lab.example.org/",
    )  # fmt: skip
    assert code == 0, err
    assert "imported 2 paper(s) in 1 conference(s)" in out
    assert "papers.bib:25: 'Compilers" not in err
    assert "is also at line 5; the two entries were merged" in err
    assert "papers.bib:39: not understood" in err
    engines = (
        empty_site.content
        / "papers/neurips-2022/analytical-engines-for-schodingers-cat.md"
    ).read_text()
    for line in [
        "Title: Analytical Engines for Schödinger's Cat",
        "Authors: Ada Lovelace, Alan Turing",
        "Date: 2022-11",
        "Pdf: https://lab.example.org/assets/pdf/engines.pdf",
        "Code: https://github.com/example-lab/engines",
        "Arxiv: 2211.00004",
        "Tags: engines, cats",
        "Award: Outstanding Paper",
        "Featured: yes",
    ]:
        assert line + "\n" in engines
    assert (
        "Links: HTML <https://example.org/engines> fa-solid fa-globe; Paper " in engines
    )
    assert "We compute $\\alpha + \\beta$ with engines at 50% cost – fast." in engines
    conference = (empty_site.content / "conferences/neurips-2022.md").read_text()
    assert conference == (
        "Title: NeurIPS 22\n"
        "Name: Advances in Neural Information Processing Systems\n"
        "Date: 2022\n"
    ), "month = nov is the paper's month; the conference's own date is not known"
    journal = (
        empty_site.content / "papers/journals/compilers-for-ecole-polytechnique.md"
    ).read_text()
    assert journal.startswith("Title: Compilers for École Polytechnique\n")
    assert "Date: 2021\n" in journal and "Journal: Journal of Imaginary Computing\n"
    checks_and_builds(empty_site.content, tmp_path / "built")


def test_bibtex_without_entries_is_one_line(capsys, tmp_path):
    bad = tmp_path / "papers.bib"
    bad.write_text("% nothing here\n")
    code, _, err = run(capsys, "import", "bibtex", bad, "--into", tmp_path / "c")
    assert code == 1 and "no BibTeX entries found" in err


# --- arXiv and Crossref ----------------------------------------------------------


def test_import_arxiv_into_a_conference_then_cached(capsys, site, monkeypatch):
    cache = site.root / "cache-dir"
    with Services() as services:
        monkeypatch.setenv("PELICAN_PAPERS_ARXIV_API", f"{services.base}/arxiv/query")
        code, out, err = run(
            capsys, "import", "arxiv", "arXiv:2210.05938", "2302.00003",
            "--into", site.content, "--conference", "neurips-2022", "--cache", cache,
        )  # fmt: skip
        assert code == 0, err
        assert len(services.requests) == 2
    assert "imported 2 paper(s) in 1 conference(s)" in out
    assert not (site.content / "conferences" / "icml-2023.md").exists()
    paper = (
        site.content / "papers/neurips-2022/robust-models-are-less-over-confident.md"
    ).read_text()
    assert paper.startswith(
        "Title: Robust Models are less Over-Confident\n"
        "Authors: Julia Grabinski, Paul Gavrikov, Janis Keuper, Margret Keuper\n"
        "Date: 2022-10-11\nPdf: http://arxiv.org/pdf/2210.05938v1\nArxiv: 2210.05938\n"
    )
    # The lab's own robust-models.md has the same title: both stay, with their slugs.
    assert problems(site.content)[0] == []

    with Services() as services:
        monkeypatch.setenv("PELICAN_PAPERS_ARXIV_API", f"{services.base}/arxiv/query")
        code, out, _ = run(
            capsys, "import", "arxiv", "2210.05938", "2302.00003",
            "--into", site.content, "--conference", "neurips-2022", "--cache", cache,
        )  # fmt: skip
        assert code == 0 and services.requests == [], "the second run asks nothing"


@pytest.mark.parametrize(
    ("jats", "expected"),
    [
        ("<jats:p>We <jats:italic>answer</jats:italic>.</jats:p>", "We answer."),
        ("<jats:p>H<jats:sub>2</jats:sub>O, <jats:bold>fast</jats:bold>!</jats:p>",
         "H2O, fast!"),
        ("<jats:title>Abstract</jats:title><jats:p>One.</jats:p><jats:p>Two"
         "<jats:break/>lines.</jats:p>", "One.\n\nTwo lines."),
        ("<jats:sec><jats:title>Aim</jats:title>We <jats:italic>go</jats:italic>."
         "</jats:sec>", "Aim We go."),
    ],
)  # fmt: skip
def test_a_crossref_abstract_reads_as_written(jats, expected):
    """Inline tags add no space before the punctuation that follows them; a
    paragraph, a title and a line break still part words."""
    answer = {"message": {"title": ["T"], "abstract": jats}}
    work = doi.parse_work(json.dumps(answer).encode(), "10.5555/x")
    assert work["abstract"] == expected


def test_import_doi_makes_a_venue_and_unknown_ids_fail_clearly(capsys, tmp_path):
    into = tmp_path / "content"
    with Services() as services:
        api = ("--crossref-api", f"{services.base}/crossref/works",
               "--arxiv-api", f"{services.base}/arxiv/query")  # fmt: skip
        code, _out, err = run(
            capsys, "import", "doi", "https://doi.org/10.5555/journal.2019.42",
            "10.5555/unknown", "--into", into, *api,
        )  # fmt: skip
        assert code == 0
        assert "Crossref knows no DOI 10.5555/unknown" in err
        code, _, err = run(
            capsys, "import", "doi", "10.5555/unknown", "--into", into, *api
        )
        assert code == 1 and len(err.strip().splitlines()) == 1
        code, _, err = run(capsys, "import", "doi", "not-a-doi", "--into", into, *api)
        assert code == 1 and "is not a DOI" in err
    assert not (into / "conferences").exists(), "a journal is no conference"
    answers = (into / "papers/journals/forty-two-answers.md").read_text()
    assert "Date: 2019-05-01\n" in answers
    assert "Journal: Journal of Imaginary Computing\n" in answers
    checks_and_builds(into, tmp_path / "built")


def test_unreachable_service_is_one_line(capsys, tmp_path):
    code, _, err = run(
        capsys, "import", "arxiv", "2210.05938", "--into", tmp_path,
        "--arxiv-api", "http://127.0.0.1:9/api/query",
    )  # fmt: skip
    assert code == 1
    assert err.startswith("pelican-papers: error: cannot reach 127.0.0.1:9")


# --- any input: files or a clear error, never another exception --------------------

texts = st.text(
    alphabet=st.sampled_from(list("#{}%<>()[]:;,-_=\"'\n /\\$@&ab1AB2é\t"))
    | st.characters(exclude_categories=("Cs",)),  # no lone surrogates: not UTF-8
    max_size=300,
)


@FAST
@given(
    text=texts,
    extra=st.sampled_from(["", "### T\n#### A1, B\n", '# <i class="x"></i>T 22\n']),
)
def test_jekyll_parser_never_raises_anything_else(text, extra):
    try:
        parsed = jekyll.parse_page(extra + text, "page.md")
    except ImportFailure:
        return
    assert parsed.papers and parsed.conference.date


@FAST
@given(text=texts)
def test_lwt_parser_never_raises_anything_else(tmp_path_factory, text):
    writer = ImportWriter(tmp_path_factory.mktemp("lwt"))
    try:
        entries = lwt.load_entries(text, "sources.yaml")
    except ImportFailure:
        return
    importer = lwt.LwtImport(writer, "sources.yaml")
    for line, entry in entries:
        importer.add(line, entry)
    importer.finish()
    writer.plan()


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@FAST
@given(
    entry=st.fixed_dictionaries(
        {},
        optional={
            k: yaml_values
            for k in (
                "title",
                "authors",
                "publisher",
                "date",
                "id",
                "image",
                "tags",
                "buttons",
                "extra-links",
                "link",
                "repo",
                "description",
            )
        },
    )
)
def test_lwt_entries_of_any_shape_never_raise(tmp_path_factory, entry):
    writer = ImportWriter(tmp_path_factory.mktemp("lwt"))
    importer = lwt.LwtImport(writer, "sources.yaml", resolve=None)
    importer.add(1, entry)
    importer.finish()
    writer.plan()


@FAST
@given(text=texts, head=st.sampled_from(["", "@article{k, title={T}, year={2020},\n"]))
def test_bibtex_parser_never_raises_anything_else(tmp_path_factory, text, head):
    writer = ImportWriter(tmp_path_factory.mktemp("bib"))
    try:
        entries, _ = bibtex.parse_library(head + text, "papers.bib")
    except ImportFailure:
        return
    importer = bibtex.BibtexImport(writer, "papers.bib", None)
    for entry in entries:
        importer.add(entry)
    importer.finish()
    writer.plan()


@FAST
@given(data=st.binary(max_size=200) | texts.map(str.encode))
def test_service_answers_of_any_kind_give_metadata_or_fetch_error(data):
    for parse, wanted in ((arxiv.parse_feed, "2210.05938"), (doi.parse_work, "10.1/x")):
        try:
            meta = parse(data, wanted)
        except FetchError:
            continue
        assert isinstance(meta["title"], str)


# --- one edition, whichever importer names it ---------------------------------


def _jekyll_page(path: Path, title: str, date: str, paper: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\ndate: {date}\n---\n\n# {title}\n\n## Main Track\n\n"
        f"### {paper}\n#### Ada Lovelace, Alan Turing\n",
        encoding="utf-8",
    )
    return path


def test_a_jekyll_page_and_a_bibtex_entry_of_one_edition_meet(
    capsys, tmp_path, empty_site
):
    """'NeurIPS 22' (a page) and '... (NeurIPS)' of 2022 (BibTeX) are one edition."""
    page = _jekyll_page(
        tmp_path / "old" / "neurips.md", "NeurIPS 22", "2022-11-28", "Cats"
    )
    bib = tmp_path / "old" / "papers.bib"
    bib.write_text(
        "@inproceedings{dogs, title={Dogs}, author={Lovelace, Ada},"
        " booktitle={Neural Information Processing Systems (NeurIPS)}, year={2022}}\n"
        "@inproceedings{owls, title={Owls}, author={Lovelace, Ada},"
        " booktitle={CVPR Workshops}, year={2022}}\n",
        encoding="utf-8",
    )
    content = empty_site.content
    assert run(capsys, "import", "jekyll", page, "--into", content)[0] == 0
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", content)
    assert code == 0, err
    assert sorted(p.stem for p in (content / "conferences").glob("*.md")) == [
        "cvpr-2022",
        "neurips-2022",
    ]
    assert sorted(p.stem for p in (content / "papers/neurips-2022").glob("*.md")) == [
        "cats",
        "dogs",
    ]
    assert "conferences/neurips-2022.md: the conference exists: kept" in err
    kept = (content / "conferences/neurips-2022.md").read_text(encoding="utf-8")
    assert "Date: 2022-11-28\n" in kept, "the page's conference, not BibTeX's"
    owls = (content / "papers/cvpr-2022/owls.md").read_text(encoding="utf-8")
    assert "Track: Workshop Paper\n" in owls and "Type: workshop\n" in owls
    site = checks_and_builds(content, tmp_path / "built")
    listing = (site.output / "publications/index.html").read_text(encoding="utf-8")
    assert 'Workshop papers</a> <span class="count">(1)</span>' in listing


def test_a_jekyll_workshop_page_goes_to_its_conferences_workshop_track(
    capsys, tmp_path, empty_site
):
    page = _jekyll_page(
        tmp_path / "old" / "ecvx.md", "eCVX Workshop at ECCV 24", "2024-09-30", "Bats"
    )
    code, _, err = run(capsys, "import", "jekyll", page, "--into", empty_site.content)
    assert code == 0, err
    assert "ecvx.md:1: 'eCVX Workshop at ECCV 24' is a workshop of ECCV 24" in err
    bats = (empty_site.content / "papers/eccv-2024/bats.md").read_text()
    assert "Track: Workshop Paper\n" in bats and "Workshop: eCVX\n" in bats
    conference = (empty_site.content / "conferences/eccv-2024.md").read_text()
    assert conference.startswith("Title: ECCV 24\n")
    checks_and_builds(empty_site.content, tmp_path / "built")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Lab Retreat '22", "lab-retreat-2022"),
        ("Tübingen AI Days 2022", "tubingen-ai-days-2022"),
        ("Journal Club", "journal-club-2022"),
    ],
)
def test_a_jekyll_page_that_names_no_known_conference_is_one(title, slug):
    parsed = jekyll.parse_page(
        f'---\ntitle: "{title}"\ndate: 2022-05-02\n---\n\n### A talk\n#### Ada\n'
    )
    assert parsed.conference.slug == slug
    assert parsed.conference.title == title


def test_a_named_workshop_without_abstract_reads_right_on_its_pages(
    capsys, tmp_path, empty_site
):
    """No "Workshop on X Workshop" on the card, no empty "Abstract" heading."""
    bib = tmp_path / "papers.bib"
    bib.write_text(
        "@inproceedings{cars, title={Cars}, author={Lovelace, Ada}, year={2021},"
        " booktitle={Workshop on Autonomous Driving, CVPR 2021}}\n",
        encoding="utf-8",
    )
    assert run(capsys, "import", "bibtex", bib, "--into", empty_site.content)[0] == 0
    cars = (empty_site.content / "papers/cvpr-2021/cars.md").read_text()
    assert "Workshop: Workshop on Autonomous Driving\n" in cars
    site = checks_and_builds(empty_site.content, tmp_path / "built")
    card = (site.output / "conferences/cvpr-2021/index.html").read_text()
    assert "Workshop on Autonomous Driving</p>" in card
    assert "Driving Workshop" not in card
    page = (site.output / "papers/cvpr-2021/cars/index.html").read_text()
    assert 'id="abstract"' not in page and "Cite" in page


def test_an_edition_without_acronym_takes_the_one_its_series_has(
    capsys, tmp_path, empty_site
):
    bib = tmp_path / "papers.bib"
    entry = (
        "@inproceedings{{{key}, title={{{key}}}, author={{Lovelace, Ada}},"
        " year={{{year}}}, booktitle={{{venue}}}}}\n"
    )
    bib.write_text(
        entry.format(
            key="Old",
            year=2023,
            venue="Proceedings of the 28th ACM International Conference on"
            " Architectural Support for Programming Languages and Operating Systems",
        )
        + entry.format(
            key="New",
            year=2026,
            venue="International Conference on Architectural Support for"
            " Programming Languages and Operating Systems (ASPLOS)",
        )
        # one name, two acronyms: nothing is adopted
        + entry.format(key="A", year=2020, venue="Conference on Vision Things (CVT)")
        + entry.format(key="B", year=2021, venue="Conference on Vision Things (VTC)")
        + entry.format(key="C", year=2022, venue="Conference on Vision Things"),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", "bibtex", bib, "--into", empty_site.content)
    assert code == 0, err
    assert sorted(p.stem for p in (empty_site.content / "conferences").glob("*")) == [
        "asplos-2023",
        "asplos-2026",
        "conference-on-vision-things-2022",
        "cvt-2020",
        "vtc-2021",
    ]
    old = (empty_site.content / "conferences/asplos-2023.md").read_text()
    assert old.startswith("Title: ASPLOS 23\nName: Proceedings of the 28th ACM")
    assert "is written ASPLOS (asplos-2023), as the other entries" in err
    assert (empty_site.content / "papers/asplos-2023/old.md").is_file()


def test_lwt_citations_yaml_padding_is_no_day(capsys, tmp_path, empty_site):
    """The template's citations.yaml pads a year-only date to YYYY-01-01 and a
    month to YYYY-MM-01; a page must not claim the first of January."""
    data = tmp_path / "site" / "_data"
    data.mkdir(parents=True)
    entry = (
        "- title: {t}\n  authors: [Ada Lovelace]\n  publisher: Nature\n  date: '{d}'\n"
    )
    (data / "citations.yaml").write_text(
        entry.format(t="Year", d="2022-01-01")
        + entry.format(t="Month", d="2021-10-01")
        + entry.format(t="Day", d="2021-10-12"),
        encoding="utf-8",
    )
    (data / "sources.yaml").write_text(entry.format(t="Own", d="2021-10-01"))
    content = empty_site.content
    assert (
        run(capsys, "import", "lwt", data / "citations.yaml", "--into", content)[0] == 0
    )
    journals = content / "papers/journals"
    assert "Date: 2022\n" in (journals / "year.md").read_text()
    assert "Date: 2021-10\n" in (journals / "month.md").read_text()
    assert "Date: 2021-10-12\n" in (journals / "day.md").read_text()
    assert (
        run(capsys, "import", "lwt", data / "sources.yaml", "--into", content)[0] == 0
    )
    assert "Date: 2021-10-01\n" in (journals / "own.md").read_text(), "the lab's own"
