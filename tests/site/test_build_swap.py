"""`pelican-papers build` replaces output/ only when the build worked (issue 12):
it keeps what plain Pelican keeps (OUTPUT_RETENTION: a GitHub Pages checkout's
.git and CNAME), an interrupted build leaves no staging folder, and a crash
between two renames does not leave the site without its output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import REPO

#: The command this environment installed.
PAPERS = str(Path(sys.executable).with_name("pelican-papers"))


def papers(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PAPERS, *args], cwd=site.root, capture_output=True, text=True, check=False
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(site) -> list[str]:
    return sorted(p.name for p in site.root.iterdir() if p.name.startswith("."))


def build_until(site, seen) -> subprocess.Popen:
    """``pelican-papers build`` started, once ``seen()`` of its staging folder
    holds (within a minute), while it still runs."""
    build = subprocess.Popen(
        [PAPERS, "build"],
        cwd=site.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not seen() and build.poll() is None:
        time.sleep(0.02)
    assert build.poll() is None, "the build finished before it could be stopped"
    assert seen(), "the staging folder never showed what was waited for"
    return build


def pages_checkout(site) -> dict[str, bytes]:
    """output/ as a clone of the gh-pages branch, with a stale page."""
    files = {
        ".git/HEAD": b"ref: refs/heads/gh-pages\n",
        ".git/objects/ab/cdef": b"object",
        "CNAME": b"papers.keuperlabs.example.org\n",
        ".nojekyll": b"",
        "stale/index.html": b"<p>a page the site no longer has</p>",
    }
    for relative, data in files.items():
        path = site.output / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_publish_keeps_the_pages_checkout_and_drops_stale_pages(site):
    files = pages_checkout(site)
    result = papers(site, "build", "-s", "publishconf.py")
    assert result.returncode == 0, result.stderr
    for kept in (".git/HEAD", ".git/objects/ab/cdef", "CNAME", ".nojekyll"):
        assert (site.output / kept).read_bytes() == files[kept], kept
    assert not (site.output / "stale").exists(), "DELETE_OUTPUT_DIRECTORY"
    assert (site.output / "conferences/neurips-2022/index.html").is_file()
    assert leftovers(site) == []

    # Again: the checkout survives every publish.
    assert papers(site, "build", "-s", "publishconf.py").returncode == 0
    assert (site.output / "CNAME").read_bytes() == files["CNAME"]


def test_a_development_build_keeps_what_plain_pelican_keeps(site):
    files = pages_checkout(site)
    (site.output / "index.html").write_text("old")
    result = papers(site, "build")
    assert result.returncode == 0, result.stderr
    # DELETE_OUTPUT_DIRECTORY is false: Pelican writes over the folder.
    for relative, data in files.items():
        assert (site.output / relative).read_bytes() == data, relative
    assert (site.output / "index.html").read_text() != "old", "the new build wins"


def test_retention_names_only_top_level_entries(site):
    (site.root / "publishconf.py").write_text(
        (site.root / "publishconf.py").read_text()
        + '\nOUTPUT_RETENTION = ["CNAME", "../outside", "/etc", "missing"]\n'
    )
    (site.root / "outside").write_text("not ours")
    pages_checkout(site)
    result = papers(site, "build", "-s", "publishconf.py")
    assert result.returncode == 0, result.stderr
    assert (site.output / "CNAME").is_file()
    assert not (site.output / ".git").exists()
    assert not (site.output / "outside").exists()
    assert not (site.output / "etc").exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_no_staging_folder(site, signum):
    assert papers(site, "build").returncode == 0
    before = snapshot(site.output)
    build = build_until(
        site, lambda: any(any(p.iterdir()) for p in site.root.glob(".output.*"))
    )
    build.send_signal(signum)
    build.wait(timeout=30)
    assert build.returncode != 0
    assert leftovers(site) == []
    assert snapshot(site.output) == before


def test_a_crash_between_the_renames_is_undone_by_the_next_build(site):
    assert papers(site, "build").returncode == 0
    before = snapshot(site.output)
    # What a power cut between "output -> .output.previous" and
    # "staging -> output" leaves (where the folders cannot be exchanged):
    site.output.rename(site.root / ".output.previous")
    site.write("papers/neurips-2022/bad.md", "Title: Bad\nDate: tomorrow\n")
    result = papers(site, "build")
    assert result.returncode != 0
    assert snapshot(site.output) == before, "the previous site is back"
    assert leftovers(site) == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_removes_a_killed_builds_leftovers(site):
    for name in (".output.abc123", ".output.previous"):
        (site.root / name / "papers").mkdir(parents=True)
    (site.root / ".other").mkdir()
    subprocess.run(
        ["make", "-f", str(REPO / "Makefile"), "clean"], cwd=site.root, check=True
    )
    assert leftovers(site) == [".other"]


def test_clean_output_matches_pelican_for_retention(site, tmp_path):
    """The same names survive as with plain `pelican -s publishconf.py`."""
    pages_checkout(site)
    plain = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py"],
        cwd=site.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
    )
    assert plain.returncode == 0, plain.stderr
    by_pelican = sorted(p.name for p in site.output.iterdir())
    pages_checkout(site)
    assert papers(site, "build", "-s", "publishconf.py").returncode == 0
    assert sorted(p.name for p in site.output.iterdir()) == by_pelican


#: A plugin of the test's site: at Pelican's start it starts a process that
#: writes into the output folder until killed, deaf to Ctrl-C and SIGTERM (a
#: Pagefind, a forked writer that has not yet seen the signal).
STRAGGLER = '''
import subprocess, sys
from pelican import signals

LOOP = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
with open(sys.argv[2], "w") as pid:
    pid.write(str(os.getpid()))
for number in range(100000):
    os.makedirs(os.path.join(sys.argv[1], "straggler", str(number)), exist_ok=True)
    time.sleep(0.01)
"""

def start(pelican):
    subprocess.Popen(
        [sys.executable, "-c", LOOP, pelican.settings["OUTPUT_PATH"], "straggler.pid"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )

def register():
    signals.initialized.connect(start)
'''


def running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, ended but not yet reaped by
    the process that adopted it, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_an_interrupted_build_stops_what_pelican_started(site):
    assert papers(site, "build").returncode == 0
    before = snapshot(site.output)
    (site.root / "straggler.py").write_text(STRAGGLER)
    with (site.root / "pelicanconf.py").open("a") as settings:
        settings.write('\nPLUGIN_PATHS = ["."]\nPLUGINS = [*PLUGINS, "straggler"]\n')
    build = build_until(site, lambda: any(site.root.glob(".output.*/straggler/1")))
    build.send_signal(signal.SIGINT)
    build.wait(timeout=30)
    assert build.returncode != 0
    pid = int((site.root / "straggler.pid").read_text())
    try:
        time.sleep(0.3)  # what a process still alive would write by now
        assert leftovers(site) == [], "a process of the build wrote on after it"
        assert not running(pid), "a process of the build outlived it"
        assert snapshot(site.output) == before
    finally:
        if running(pid):
            os.kill(pid, signal.SIGKILL)
