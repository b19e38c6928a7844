"""The path rule (base/paths.py) on its own: hostile paths, slugs and links are refused
with their reason, ordinary ones pass; the site-level checks are in
tests/site/test_paths.py."""

from __future__ import annotations

import fnmatch

import pytest

from pelican.plugins.conference_papers.base import paths
from pelican.plugins.conference_papers.format import schema
from pelican.plugins.conference_papers.writers import timeline

# (payload, a word of the reason): each a way out of a folder or past a check.
HOSTILE_PATHS = [
    ("../secret.png", "outside"),
    ("images/../../secret.png", "outside"),
    ("a/b/../../../secret.png", "outside"),
    ("..", "outside"),
    ("/etc/passwd", "absolute"),
    ("C:/Windows/win.ini", "absolute"),
    ("images\\..\\..\\secret.png", "backslash"),
    ("images/evil.svg#.png", "'#'"),
    ("images/x.png?.svg", "'?'"),
    ("%2e%2e/%2e%2e/secret.png", "'%'"),
    ("images/a%2fb.png", "'%'"),
    ("images/a.png, evil.png 2x", "','"),
    ("images/x.png\n", "line break"),
    ("images/x\r.png", "line break"),
    ("images/x\x00.png", "control"),
    ("images/x\x1b[31m.png", "control"),
    ("images/x\x85.png", "control"),
    ("images//x.png", "empty part"),
    ("", "empty"),
    (".", "itself"),
    ("images/..", "itself"),
    ("images/" + "a" * 250 + ".png", "longer than"),
    ("/".join(["abcdefgh"] * 120) + ".png", "longer than"),
]


@pytest.mark.parametrize(("path", "word"), HOSTILE_PATHS)
def test_each_hostile_path_is_refused_with_its_reason(path, word):
    reason = paths.relative_problem(path, "content/")
    assert reason and word in reason, reason


@pytest.mark.parametrize(
    "path", ["images/a.png", "images/./a.png", "images/x/../a.png", "ä/b~c-d_e.png"]
)
def test_ordinary_paths_pass(path):
    assert paths.relative_problem(path) is None


HOSTILE_SLUGS = [
    "../../../tmp/owned",
    "robust\n",
    "robust\r",
    ".hidden",
    "..",
    "a b",
    "a/b",
    "a\\b",
    "-dash-first",
    "x#y",
    "x%2fy",
    "x,y",
    "x?y",
    "a" * 256,
    "é" * 120,  # 240 bytes in UTF-8
    "",
]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_each_hostile_slug_is_refused(slug):
    assert paths.slug_problem(slug)


def test_a_link_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "content"
    (root / "images").mkdir(parents=True)
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "key.png").write_bytes(b"secret")
    (root / "images" / "out").symlink_to(outside)
    (root / "images" / "key.png").symlink_to(outside / "key.png")
    for path in ("images/out/key.png", "images/key.png"):
        normal, reason = paths.resolve(str(root), path, "content/")
        assert normal is None and "symbolic link" in reason
    assert paths.resolve(str(root), "images/new.png") == ("images/new.png", None)


@pytest.mark.parametrize(
    "image",
    [
        "images/evil.svg#.png",
        "images/x.png?.svg",
        "%2e%2e/%2e%2e/etc/x.png",
        "images/a.png, https://evil.example/x.png",
        "{static}../../secret.png",
        "/../secret.png",
        "images/" + "a" * 300 + ".png",
    ],
)
def test_a_hostile_image_line_is_an_error_with_its_line(image):
    path, reason = schema.image_path(image)
    assert path is None and reason


def post(path: str) -> dict:
    return {
        "id": "1",
        "url": "https://sigmoid.social/@KeuperLabs/1",
        "date": "2022-11-28T10:00:00Z",
        "html": "<p>Hi</p>",
        "media": [{"path": path, "alt": "a"}],
    }


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("images/members/someone.png", "is not in timelines/media/neurips-2022/"),
        ("timelines/media/neurips-2022/../../../pelicanconf.py", "outside"),
        ("timelines/media/neurips-2022/x.png#.svg", "'#'"),
        ("/etc/passwd", "is not in"),
    ],
)
def test_a_snapshot_names_only_its_own_media_folder(tmp_path, path, reason):
    folder = "timelines/media/neurips-2022"
    with pytest.raises(ValueError, match="is refused") as raised:
        timeline._snapshot_post(
            post(path), str(tmp_path), timeline.ZoneInfo("UTC"), folder
        )
    assert reason in str(raised.value)


IGNORE = [".#*", "*.swp", "draft?.md", "[!a-z]*.md"]
NAMES = [".#a.md", "a.md.swp", "drafts.md", "draft1.md", "Zed.md", "zed.md", "a.swp2"]


def test_the_walk_leaves_out_the_names_fnmatch_ignores(tmp_path):
    """The walk's one regex for IGNORE_FILES ignores what Pelican's
    fnmatch.fnmatch of each pattern ignores."""
    for name in NAMES:
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, problems = paths.walk(str(tmp_path), IGNORE)
    expected = [
        name
        for name in sorted(NAMES)
        if not any(fnmatch.fnmatch(name, pattern) for pattern in IGNORE)
    ]
    assert files == expected and problems == []
    assert "zed.md" in files and "Zed.md" not in files and "draft1.md" not in files
