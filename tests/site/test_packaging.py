"""The release as PyPI gets it: ``python -m build`` gives a wheel and an sdist
that ``twine check --strict`` accepts, with the templates, the scripts and the
licence inside; and the CI files that publish a site validate against their
published schemas (issue 18)."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from ..any_site import build, quickstart_site

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PACKAGE = "pelican/plugins/conference_papers"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend of .venv, so no download is needed.
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "-o", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=out,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_twine_accepts_the_wheel_and_the_sdist(dist):
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"]
    result = subprocess.run(
        [str(BIN / "twine"), "check", "--strict", *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def test_the_wheel_holds_templates_scripts_and_licence(dist):
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        licence = next(n for n in names if n.endswith("licenses/LICENSE"))
        text = archive.read(licence).decode()
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    templates = REPO / "plugins" / PACKAGE / "templates"
    assert any(templates.rglob("*.html")), templates
    for path in templates.rglob("*.html"):
        assert f"{PACKAGE}/templates/{path.relative_to(templates)}" in names
    assert f"{PACKAGE}/static/conference-papers/timeline.js" in names
    assert f"{PACKAGE}/static/conference-papers/cite.js" in names
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in text
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    assert "Project-URL: Changelog" in metadata
    assert "Description-Content-Type: text/markdown" in metadata


def test_the_sdist_builds_the_same_package(dist):
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert "LICENSE" in names
    assert f"plugins/{PACKAGE}/__init__.py" in names
    assert f"plugins/{PACKAGE}/templates/conference_papers/card.html" in names
    assert f"plugins/{PACKAGE}/static/conference-papers/timeline.js" in names
    assert f"plugins/{PACKAGE}/static/conference-papers/search.js" in names


def test_a_lab_installs_the_wheel_and_names_the_plugin_short(dist, tmp_path):
    """What a lab does: the wheel in a venv of its own (not this repository's
    editable install), and ``PLUGINS = ["conference_papers"]`` as the README
    says; Pelican's namespace discovery must find the installed package."""
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = quickstart_site(tmp_path / "site", installed=True)
    assert 'PLUGINS = ["conference_papers"]' in (site / "pelicanconf.py").read_text()
    result = build(site, pelican=venv / "bin" / "pelican")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "conference_papers: built 2 paper(s) in 1 conference(s)" in result.stdout
    output = site / "output"
    assert (output / "conferences" / "index.html").is_file()
    assert (output / "theme" / "conference-papers" / "search.js").is_file()


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (".github/workflows/pages.yml", "vendor.github-workflows"),
        (".gitlab-ci.yml", "vendor.gitlab-ci"),
    ],
)
def test_ci_files_validate_against_their_schemas(path, schema):
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            schema,
            str(REPO / path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
