"""The venue recogniser: what an importer or the sync will write for a source's venue.

Each case is our own, written after a quirk of a real lab site (lab-website-template
``publisher`` strings, al-folio ``booktitle`` with ``<b>`` acronyms and coloured
notes, DBLP booktitles with places and dates, Hugo Academic ``publication``).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pelican.plugins.conference_papers.base.venues import (
    KINDS,
    MAX_VENUE,
    Venue,
    recognise,
    series_key,
)

# (venue text, keyword arguments, expected fields)
EDITIONS = [
    (
        "Proceedings of the IEEE/CVF Winter Conference on Applications of Computer"
        " Vision (WACV)",
        {"year": "2024", "entry_type": "inproceedings"},
        {
            "kind": "conference",
            "acronym": "WACV",
            "slug": "wacv-2024",
            "title": "WACV 24",
        },
    ),
    ("NeurIPS 2022", {}, {"slug": "neurips-2022", "title": "NeurIPS 22", "name": ""}),
    ("NeurIPS 22", {}, {"slug": "neurips-2022", "title": "NeurIPS 22"}),
    # never doubled: the year in the text and the year given agree
    (
        "ICML 24",
        {"year": 2024},
        {"slug": "icml-2024", "title": "ICML 24", "year": "2024"},
    ),
    ("ACL 25", {"year": "2025-07-27"}, {"title": "ACL 25", "year": "2025"}),
    ("CVPR'21", {}, {"slug": "cvpr-2021", "year": "2021"}),
    ("Computer Vision and Pattern Recognition (CVPR 2020)", {}, {"year": "2020"}),
    # the text's year names the edition; the year given is the fallback
    ("BMVC", {"year": "2022"}, {"kind": "conference", "slug": "bmvc-2022"}),
    (
        "Dependable Systems and Networks (DSN) - Industry Track",
        {"year": "2023"},
        {"kind": "conference", "acronym": "DSN", "track": "Industry Track"},
    ),
    (
        "USENIX Annual Technical Conference (USENIX ATC)",
        {"year": "2021"},
        {"slug": "usenix-atc-2021", "title": "USENIX ATC 21"},
    ),
    (
        "2017 IEEE International Conference on Big Data (Big Data)",
        {},
        {"acronym": "Big Data", "year": "2017", "slug": "big-data-2017"},
    ),
    (
        "2023 Design, Automation &amp; Test in Europe Conference &amp;"
        " Exhibition (DATE)",
        {},
        {
            "name": "2023 Design, Automation & Test in Europe Conference & Exhibition",
            "slug": "date-2023",
        },
    ),
    # no acronym: the whole name, never cut at 40 characters
    (
        "Proceedings of the 16th Annual International Conference on Mobile Systems,"
        " Applications, and Services",
        {"year": "2018"},
        {
            "acronym": "",
            "title": "Annual International Conference on Mobile Systems, Applications,"
            " and Services 2018",
            "slug": "annual-international-conference-on-mobile-systems-applications-and"
            "-services-2018",
        },
    ),
    (
        "The Twelfth International Conference on Learning Representations",
        {"acronym": "ICLR", "year": "2024", "entry_type": "inproceedings"},
        {"slug": "iclr-2024", "title": "ICLR 24"},
    ),
    # al-folio: the acronym in bold, a coloured note inside its parentheses
    (
        "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern"
        ' Recognition (<b>CVPR - <FONT COLOR="#ff0000"> Oral</FONT></b>)',
        {"year": "2021"},
        {"acronym": "CVPR", "notes": ("Oral",), "slug": "cvpr-2021"},
    ),
    (
        "<b>Best Paper Award-Honorable Mention!</b> International Symposium on"
        " High-Performance Computer Architecture (HPCA)",
        {"year": "2024"},
        {"acronym": "HPCA", "notes": ("Best Paper Award-Honorable Mention",)},
    ),
    ("PACT (Best Paper Award)", {"year": "2022"}, {"notes": ("Best Paper Award",)}),
    (
        "IEEE/RSJ International Conference on Intelligent Robots and Systems,"
        " <b>IROS</b>",
        {"year": "2022"},
        {
            "acronym": "IROS",
            "name": "IEEE/RSJ International Conference on Intelligent Robots and"
            " Systems",
        },
    ),
    (
        "Proceedings of the European Conference on Computer Vision (<b>ECCV</b>) and"
        " DemoVision Workshop at CVPR",
        {"year": "2022"},
        {
            "kind": "conference",
            "slug": "eccv-2022",
            "notes": ("DemoVision Workshop at CVPR",),
        },
    ),
    # DBLP: acronym and year in a segment, place and dates kept as one note
    (
        "IEEE Conference on Computer Vision and Pattern Recognition, CVPR\n2021,"
        " virtual, June 19-25, 2021",
        {},
        {
            "name": "IEEE Conference on Computer Vision and Pattern Recognition",
            "slug": "cvpr-2021",
            "notes": ("virtual, June 19-25, 2021",),
        },
    ),
    (
        "Computer Vision - ECCV 2020 - 16th European Conference, Glasgow, UK, August"
        " 23-28, 2020, Proceedings, Part XXIX",
        {"acronym": "DBLP:conf/eccv/X20"},
        {
            "name": "Computer Vision - ECCV 2020 - 16th European Conference",
            "slug": "eccv-2020",
        },
    ),
    (
        "Computer Vision--ECCV 2022: 17th European Conference, Tel Aviv, Israel,"
        " October 23--27, 2022",
        {},
        {
            "name": "Computer Vision\u2013ECCV 2022: 17th European Conference",
            "year": "2022",
        },
    ),
    (
        "Advances in Neural Information Processing Systems 34: Annual Conference on"
        " Neural Information Processing Systems 2021, NeurIPS 2021, December 6-14,"
        " 2021, virtual",
        {},
        {"slug": "neurips-2021", "title": "NeurIPS 21"},
    ),
    (
        "Advances in Neural Information Processing Systems",
        {"acronym": "NeurIPS", "entry_type": "article", "year": "2023"},
        {"kind": "conference", "slug": "neurips-2023"},
    ),
    (
        "NeurIPS",
        {"acronym": "DBLP:conf/nips/ABC22", "year": "2022"},
        {"slug": "neurips-2022"},
    ),
    (
        "*NeurIPS*",
        {"entry_type": "inproceedings", "year": "2022"},
        {"slug": "neurips-2022"},
    ),
    (
        "Proceedings of the Twenty-Eighth International Joint Conference on\n"
        "Artificial Intelligence, {IJCAI-19}",
        {},
        {"acronym": "IJCAI", "year": "2019", "slug": "ijcai-2019"},
    ),
]

WORKSHOPS = [
    (
        "eCVX Workshop at ECCV 24",
        {},
        {"workshop": "eCVX", "slug": "eccv-2024", "title": "ECCV 24"},
    ),
    (
        "ADMS workshop @VLDB",
        {"year": "2017"},
        {"workshop": "ADMS", "slug": "vldb-2017"},
    ),
    ("LBD@ISMIR", {"year": "2020"}, {"workshop": "LBD", "slug": "ismir-2020"}),
    (
        "Continual Learning in Vision Workshop, <b>CVPR-W</b>",
        {"year": "2021"},
        {"workshop": "Continual Learning in Vision", "slug": "cvpr-2021"},
    ),
    (
        "Learning with few labels Workshop, International Conference on Machine"
        " Learning (<b>ICML-W</b>), Stockholm, Sweden.",
        {"year": "2018"},
        {
            "workshop": "Learning with few labels",
            "slug": "icml-2018",
            "notes": ("Stockholm, Sweden",),
        },
    ),
    (
        "2021 IEEE/CVF International Conference on Computer Vision Workshops (ICCVW)",
        {},
        {"workshop": "", "acronym": "ICCV", "slug": "iccv-2021"},
    ),
    (
        "European Conference on Computer Vision, Workshop Proceedings (<b>ECCV-W</b>)",
        {"year": "2018"},
        {"acronym": "ECCV", "slug": "eccv-2018"},
    ),
    (
        "2016 IEEE Conference on Computer Vision and Pattern Recognition Workshops,"
        " CVPR Workshops 2016, Las Vegas, NV, USA",
        {},
        {"acronym": "CVPR", "slug": "cvpr-2016", "notes": ("Las Vegas, NV, USA",)},
    ),
    (
        "Imaging for Medicine - 3rd International Workshop, IMED 2020, Held in"
        " Conjunction with MICCAI 2020, Lima, Peru",
        {},
        {"workshop": "Imaging for Medicine", "slug": "miccai-2020", "year": "2020"},
    ),
    (
        "Proceedings of the Sixth International Workshop on Network Architectures",
        {"year": "2013"},
        {
            "workshop": "Proceedings of the Sixth International Workshop on Network"
            " Architectures",
            "title": "International Workshop on Network Architectures 2013",
        },
    ),
]

JOURNALS = [
    (
        "International Journal of Computer Vision",
        {},
        {"name": "International Journal of Computer Vision"},
    ),
    (
        "eLife",
        {"volume": "12", "pages": "e8"},
        {"name": "eLife", "volume": "12", "pages": "e8"},
    ),
    ("iScience", {}, {"name": "iScience"}),
    ("npj Microgravity", {}, {"name": "npj Microgravity"}),
    (
        "IEEE transactions on image processing",
        {},
        {"name": "IEEE transactions on image processing"},
    ),
    # DBLP's abbreviation keeps its final dot
    (
        "IEEE Trans. Pattern Anal. Mach. Intell.",
        {"acronym": "journals/pami"},
        {"name": "IEEE Trans. Pattern Anal. Mach. Intell."},
    ),
    (
        "The Astrophysical Journal (ApJ)",
        {},
        {"name": "The Astrophysical Journal", "acronym": "ApJ"},
    ),
    # a mid-name parenthesis is part of the name
    (
        "IEEE Transactions on Very Large Scale Integration (VLSI) Systems",
        {},
        {"name": "IEEE Transactions on Very Large Scale Integration (VLSI) Systems"},
    ),
    # a journal in a booktitle (al-folio)
    (
        "IEEE Transactions on Pattern Analysis and Machine Intelligence (<b>TPAMI</b>)",
        {"entry_type": "inproceedings"},
        {
            "acronym": "TPAMI",
            "name": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        },
    ),
    (
        "Proceedings of the VLDB Endowment",
        {},
        {"name": "Proceedings of the VLDB Endowment"},
    ),
    (
        "Accident Analysis \\& Prevention",
        {"entry_type": "article"},
        {"name": "Accident Analysis & Prevention"},
    ),
    ("Cerebral Cortex", {"source_type": "journal", "issue": "4"}, {"issue": "4"}),
]

PREPRINTS = [
    (
        "arXiv preprint arXiv:2210.05938",
        {"entry_type": "article"},
        {"name": "arXiv", "arxiv": "2210.05938"},
    ),
    ("bioRxiv", {}, {"name": "bioRxiv"}),
    ("medRxiv", {"year": "2021"}, {"name": "medRxiv", "year": "2021"}),
    ("openRxiv", {"source_type": "repository"}, {"name": "openRxiv"}),
    ("biorxiv", {}, {"name": "bioRxiv"}),
    ("arXiv preprint", {}, {"name": "arXiv"}),
    ("CoRR", {"acronym": "DBLP:journals/corr/abs-2303-06493"}, {"name": "arXiv"}),
    ("", {"acronym": "arXiv", "year": "2023"}, {"name": "arXiv", "year": "2023"}),
    ("Zenodo", {"source_type": "repository"}, {"name": "Zenodo"}),
]

OTHERS = [
    (
        "University of Freiburg",
        {"entry_type": "phdthesis"},
        {"kind": "thesis", "name": "University of Freiburg"},
    ),
    ("Master's thesis, University of Mannheim", {}, {"kind": "thesis"}),
    ("Technical Report TR-12", {}, {"kind": "report"}),
    (
        "",
        {"entry_type": "techreport", "year": "2020"},
        {"kind": "report", "year": "2020"},
    ),
    ("Springer", {"entry_type": "book"}, {"kind": "book"}),
    (
        "Handbook of Vision",
        {"entry_type": "incollection"},
        {"kind": "chapter", "name": "Handbook of Vision"},
    ),
    ("Lecture Notes in Computer Science", {}, {"kind": "chapter"}),
    (
        "Lecture Notes in Computer Science",
        {"source_type": "book series"},
        {"kind": "chapter"},
    ),
]


# A conference's workshops go to the conference's own edition, however written:
# (workshop venue, keyword arguments, the main track's venue, expected fields).
CONFERENCE_WORKSHOPS = [
    ("CVPR Workshops", {"year": "2021"}, "CVPR", {"slug": "cvpr-2021", "workshop": ""}),
    ("CVPRW", {"year": "2021"}, "CVPR", {"slug": "cvpr-2021", "title": "CVPR 21"}),
    ("CVPRW 2021", {}, "CVPR 2021", {"slug": "cvpr-2021"}),
    ("CVPR 2021 Workshops", {}, "CVPR 2021", {"slug": "cvpr-2021"}),
    ("ICCV'19 Workshops", {}, "ICCV'19", {"slug": "iccv-2019"}),
    ("In CVPR Workshops", {"year": "2019"}, "CVPR", {"slug": "cvpr-2019"}),
    (
        "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern"
        " Recognition Workshops",
        {"year": "2022", "acronym": "CVPRW", "entry_type": "inproceedings"},
        "CVPR",
        {
            "slug": "cvpr-2022",
            "workshop": "",
            "name": "Proceedings of the IEEE/CVF Conference on Computer Vision and"
            " Pattern Recognition",
        },
    ),
    # no acronym: the slug is the main conference's, not "...-workshops-2022"
    (
        "IEEE Conference on Computer Vision and Pattern Recognition Workshops",
        {"year": "2022"},
        "IEEE Conference on Computer Vision and Pattern Recognition",
        {"workshop": ""},
    ),
    (
        "NeurIPS Workshop on Robot Learning",
        {"year": "2020"},
        "NeurIPS",
        {"slug": "neurips-2020", "workshop": "Workshop on Robot Learning"},
    ),
    # the workshop's name is kept, and is not the edition's name
    (
        "Workshop on Autonomous Driving, CVPR 2021",
        {},
        "CVPR 2021",
        {"slug": "cvpr-2021", "workshop": "Workshop on Autonomous Driving", "name": ""},
    ),
]


@pytest.mark.parametrize(("text", "kwargs", "main", "expected"), CONFERENCE_WORKSHOPS)
def test_a_conferences_workshops_are_its_editions_workshop_track(
    text, kwargs, main, expected
):
    venue = recognise(text, **kwargs)
    assert (venue.kind, venue.track) == ("workshop", "Workshop Paper")
    _check(venue, expected)
    assert venue.slug and recognise(main, **kwargs).slug == venue.slug


@pytest.mark.parametrize(
    ("text", "kind", "slug"),
    [
        # "Conf." followed by a space: the abbreviation, not a journal
        ("Intl. Conf. on Robotics and Automation", "conference", "intl-conf-on-"),
        ("IEEE Int. Conf. on Robotics and Automation (ICRA)", "conference", "icra-"),
        ("Proc. IEEE Conf. Computer Vision and Pattern Recognition", "conference", ""),
        ("Int. Symp. on Robotics Research", "conference", "int-symp-"),
        ("IEEE Trans. Pattern Anal. Mach. Intell.", "journal", ""),
        # conferences whose acronym ends in W
        ("Computer Supported Cooperative Work (CSCW)", "conference", "cscw-"),
        ("WWW", "conference", "www-"),
        # "In" of a citation goes, a journal's own "In" stays
        ("In Proceedings of the Conference on X (CX)", "conference", "cx-"),
    ],
)
def test_abbreviated_and_w_ending_venues(text, kind, slug):
    venue = recognise(text, year="2020")
    assert venue.kind == kind, venue
    assert venue.slug.startswith(slug) and (venue.slug == "") == (kind == "journal")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "Proceedings of the 49th Annual International Symposium on Computer"
            " Architecture",
            "IEEE International Symposium on Computer Architecture",
        ),
        (
            "2013 18th Asia and South Pacific Design Automation Conference",
            "The 20th Asia and South Pacific Design Automation Conference",
        ),
        (
            "Proceedings of the Twenty-Eighth International Joint Conference on AI",
            "International Joint Conference on AI",
        ),
    ],
)
def test_editions_of_one_series_share_a_key(one, other):
    assert series_key(one) == series_key(other) != ""


def test_a_short_name_has_no_series_key():
    """ "Vision Conference" of two labs is no evidence of one series."""
    assert series_key("BMVC") == series_key("IEEE Vision Conference") == ""


def test_a_venue_longer_than_any_name_is_a_problem_not_a_name():
    venue = recognise("Workshop on Things, " * 40 + "CVPR 2021")
    assert venue.kind == "" and venue.slug == ""
    assert "characters long" in venue.problem and "Conference:" in venue.problem


def test_a_journal_may_start_with_in():
    assert recognise("In Vivo").name == "In Vivo"


def _check(venue: Venue, expected: dict) -> None:
    for key, value in expected.items():
        assert getattr(venue, key) == value, (key, venue)


@pytest.mark.parametrize(("text", "kwargs", "expected"), EDITIONS)
def test_conference_editions(text, kwargs, expected):
    venue = recognise(text, **kwargs)
    assert venue.kind == expected.get("kind", "conference")
    _check(venue, expected)
    assert not venue.problem


@pytest.mark.parametrize(("text", "kwargs", "expected"), WORKSHOPS)
def test_workshops_go_to_their_conference_edition(text, kwargs, expected):
    venue = recognise(text, **kwargs)
    assert venue.kind == "workshop"
    assert venue.track == "Workshop Paper"
    _check(venue, expected)


@pytest.mark.parametrize(("text", "kwargs", "expected"), JOURNALS)
def test_journals_keep_their_spelling(text, kwargs, expected):
    venue = recognise(text, **kwargs)
    assert venue.kind == "journal"
    assert venue.journal == venue.name
    assert venue.slug == ""
    _check(venue, expected)


@pytest.mark.parametrize(("text", "kwargs", "expected"), PREPRINTS)
def test_preprints_name_their_server(text, kwargs, expected):
    venue = recognise(text, **kwargs)
    assert venue.kind == "preprint"
    assert venue.server == venue.name
    _check(venue, expected)


@pytest.mark.parametrize(("text", "kwargs", "expected"), OTHERS)
def test_theses_reports_books_chapters(text, kwargs, expected):
    _check(recognise(text, **kwargs), expected)


def test_every_kind_is_one_of_the_design_types():
    cases = EDITIONS + WORKSHOPS + JOURNALS + PREPRINTS + OTHERS
    assert {recognise(t, **k).kind for t, k, _ in cases} == set(KINDS)


@pytest.mark.parametrize("year", ["", "11.10.2022", "spring"])
def test_no_year_no_edition_and_no_invented_year(year):
    venue = recognise("International Conference on Machine Learning (ICML)", year=year)
    assert venue.kind == "conference"
    assert venue.year == "" and venue.slug == ""
    assert "Date: YYYY" in venue.problem


def test_a_year_never_gains_a_month_or_a_day():
    venue = recognise("ICML", year="2024-07-21")
    assert venue.year == "2024"
    assert "07" not in venue.title and "21" not in venue.slug


def test_nothing_to_go_by_is_a_problem_with_what_to_write():
    venue = recognise("")
    assert venue.kind == ""
    assert "Conference:" in venue.problem and "Journal:" in venue.problem


def test_venue_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        recognise("ICML 24").kind = "journal"


def test_the_table_script_prints_a_row_per_venue_and_a_summary(tmp_path):
    (tmp_path / "_data").mkdir()
    (tmp_path / "_data" / "citations.yaml").write_text(
        "- title: A\n  publisher: eCVX Workshop at ECCV 24\n"
        "- title: B\n  publisher: ''\n- title: C\n  publisher: eLife\n",
        encoding="utf-8",
    )
    (tmp_path / "papers.bib").write_text(
        "@article{k, title={T}, journal={arXiv preprint arXiv:2210.05938},"
        " year={2022}}\n",
        encoding="utf-8",
    )
    script = Path(__file__).parents[1] / "venue_table.py"
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "eccv-2024" in result.stdout
    assert "3 venues" in result.stdout
    assert "workshop 1" in result.stdout and "preprint 1" in result.stdout


@pytest.mark.parametrize(
    "payload",
    [
        "<" * 40_000,
        "<b>" * 20_000,
        "A" * 40_000,
        "AB " * 15_000,
        "CVPR-" * 8_000,
        "Workshop on " * 8_000 + ", CVPR 2021",
        "CVPR Workshops " * 5_000,
    ],
    ids=["angles", "bold", "capitals", "acronyms", "dashes", "workshops", "cvprw"],
)
def test_a_hostile_venue_is_recognised_in_linear_time(payload):
    """A venue string of tens of thousands of characters (an attacker's BibTeX
    or data file) takes milliseconds, not minutes: no regex retries per position."""
    started = time.perf_counter()
    venue = recognise(payload)
    assert time.perf_counter() - started < 2.0
    assert len(venue.name) <= MAX_VENUE and len(venue.slug) <= MAX_VENUE
