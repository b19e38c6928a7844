"""Paths never leave their folders (issue 12): hostile names, links and folders.

Each class of payload is refused with a reason (the rule of ``paths``), and a
content file that uses one gets an error with its file and line from `check`
and the build alike; nothing outside content/ is read, published or copied,
and nothing hangs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from pelican.plugins.conference_papers.commands import main as cli
from pelican.plugins.conference_papers.generator import ContentError

BIN = Path(sys.executable).parent
NEURIPS = "papers/neurips-2022"
GOOD = ("Title: A Paper", "Authors: Julia Grabinski, Margret Keuper")


def paper(*lines: str, body: str = "An abstract.") -> str:
    return "\n".join(lines) + "\n\n" + body + "\n"


def write(site, relative: str, text: str) -> Path:
    path = site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(site, capsys) -> tuple[int, list[str]]:
    code = cli.main(
        ["check", str(site.content), "-s", str(site.root / "pelicanconf.py")]
    )
    return code, capsys.readouterr().out.splitlines()


def png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 6), (200, 30, 30)).save(path, format="PNG")
    return path


# --- the rule ------------------------------------------------------------------


# --- content files -------------------------------------------------------------


def test_an_image_linked_out_of_content_is_an_error(site, capsys, tmp_path):
    secret = png(tmp_path / "outside" / "secret.png")
    (site.content / "images").mkdir(exist_ok=True)
    (site.content / "images" / "secret.png").symlink_to(secret)
    write(site, f"{NEURIPS}/linked.md", paper(*GOOD, "Image: images/secret.png"))
    code, printed = check(site, capsys)
    assert code == 1
    assert any(
        line.startswith(f"error: {NEURIPS}/linked.md:3: the image cannot be used")
        and "symbolic link" in line
        for line in printed
    ), printed


def test_a_long_slug_is_an_error_not_a_traceback(site, capsys, caplog):
    write(site, f"{NEURIPS}/long.md", paper(*GOOD, "Slug: " + "a" * 300))
    code, printed = check(site, capsys)
    assert code == 1
    assert any(
        line.startswith(f"error: {NEURIPS}/long.md:3: the Slug 'aaaa")
        and "longer than" in line
        for line in printed
    ), printed
    with pytest.raises(ContentError):
        site.build()
    assert not site.output.exists()


def test_a_file_name_with_a_trailing_newline_is_refused(site, capsys):
    write(site, f"{NEURIPS}/robust\n.md", paper(*GOOD))
    code, printed = check(site, capsys)
    assert code == 1
    assert any("the file name 'robust' cannot be used" in p for p in printed), printed


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("{static}../../../../etc/passwd", "points outside content/"),
        ("{attach}../../../outside.txt", "points outside content/"),
        ("{filename}/../../outside.md", "points outside content/"),
        # Pelican reads "//etc" as a host name: reported once, as that (the URL
        # rule's "it has no scheme" named the wrong mistake).
        ("{static}//etc/passwd", "reads '//etc' as a host name"),
        ("{static}missing.pdf", "there is no file content/papers/neurips-2022/"),
        ("{static}/images/evil.svg%23.png", "'%'"),
    ],
)
def test_a_placeholder_link_out_of_content_or_to_nothing_is_an_error(
    site, capsys, link, reason
):
    (site.root / "outside.txt").write_text("not for the site")
    body = f"Intro line.\n\nSee [the file]({link}) for more."
    write(site, f"{NEURIPS}/linked.md", paper(*GOOD, body=body))
    code, printed = check(site, capsys)
    assert code == 1
    expected = f"error: {NEURIPS}/linked.md:6: the link '{{"
    assert any(p.startswith(expected) and reason in p for p in printed), printed
    with pytest.raises(ContentError):
        site.build()
    assert not site.output.exists()
    assert not (site.root.parent / "outside.txt").exists(), "nothing written outside"


def test_placeholder_links_inside_content_still_work(site, capsys):
    png(site.content / "images" / "poster.png")
    png(site.content / NEURIPS / "figure.png")
    body = "[poster]({static}/images/poster.png) [fig]({static}figure.png#top)"
    write(site, f"{NEURIPS}/fine.md", paper(*GOOD, "Track: Full Paper", body=body))
    code, printed = check(site, capsys)
    assert code == 0, printed
    site.build()
    html = (site.output / NEURIPS / "fine" / "index.html").read_text()
    assert "{static}" not in html
    assert (site.output / "images" / "poster.png").is_file()


# --- folders: loops, links out, unreadable -------------------------------------


def run_check_process(content: Path, user: int | None = None, timeout=120):
    command = [str(BIN / "pelican-papers"), "check", str(content)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
        command += [str(BIN / "pelican-papers"), "check", str(content)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_symlink_loops_are_one_error_each_and_do_not_hang(site):
    folder = site.content / NEURIPS
    # Two links that point back up: Pelican's walk branches twice per level.
    (folder / "again").symlink_to("..")
    (folder / "twice").symlink_to("../neurips-2022")
    done = run_check_process(site.content, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    for name in ("again", "twice"):
        lines = [
            line
            for line in done.stdout.splitlines()
            if line.startswith(f"error: {NEURIPS}/{name}:1: the symbolic link loops")
        ]
        assert len(lines) == 1, done.stdout
    # The build stops with the same errors, before Pelican walks the folders.
    with pytest.raises(ContentError):
        site.build()


def test_a_folder_linked_out_of_content_is_an_error(site, capsys, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "stolen.md").write_text(paper(*GOOD))
    (site.content / NEURIPS / "more").symlink_to(outside)
    (site.content / NEURIPS / "nowhere.md").symlink_to(tmp_path / "missing.md")
    code, printed = check(site, capsys)
    assert code == 1
    assert any(
        p.startswith(f"error: {NEURIPS}/more:1: the symbolic link points outside")
        for p in printed
    ), printed
    assert any(
        p.startswith(f"error: {NEURIPS}/nowhere.md:1: the symbolic link leads nowhere")
        for p in printed
    ), printed
    assert not any("stolen" in p for p in printed)


def test_an_unreadable_folder_is_an_error_not_an_empty_site(site, capsys, monkeypatch):
    """Simulated: the tests may run as root, who reads every folder (the next
    test does it for real as another user)."""
    blocked = str(site.content / NEURIPS)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, printed = check(site, capsys)
    assert code == 1
    assert (
        f"error: {NEURIPS}:1: the folder cannot be read (Permission denied); "
        "give it read and search permission (chmod a+rx) or remove it"
    ) in printed, printed


def test_an_unreadable_file_is_an_error(site, capsys, monkeypatch):
    target = write(site, f"{NEURIPS}/secret.md", paper(*GOOD))
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode, **kw: (
            os.fspath(path) != str(target) and real_access(path, mode, **kw)
        ),
    )
    code, printed = check(site, capsys)
    assert code == 1
    assert any(
        p.startswith(f"error: {NEURIPS}/secret.md:1: the file cannot be read")
        for p in printed
    ), printed


@contextlib.contextmanager
def reachable_by_others(path: Path):
    """Let another user reach ``path`` (the tests' .venv/bin) for a while: a
    checkout in a private folder (``mktemp -d`` makes it 0700) hides the
    interpreter from nobody. Only the traverse bit is added, then taken back."""
    changed = []
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)
            changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in changed:
            folder.chmod(mode)


def test_unreadable_for_real_as_another_user(tmp_path):
    """chmod 000 as it happens on a lab's server: `check` runs as nobody when
    the tests run as root (root would read the folder anyway)."""
    root = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        root.chmod(0o755)
        shutil.copytree(Path(__file__).resolve().parents[2] / "content", root / "c")
        for folder, _, names in os.walk(root):
            os.chmod(folder, 0o755)
            for name in names:
                os.chmod(os.path.join(folder, name), 0o644)
        (root / "c" / NEURIPS).chmod(0)
        user = 65534 if os.geteuid() == 0 else None
        with reachable_by_others(BIN):
            done = run_check_process(root / "c", user=user)
        assert done.returncode == 1, done.stdout + done.stderr
        assert f"error: {NEURIPS}:1: the folder cannot be read" in done.stdout
    finally:
        (root / "c" / NEURIPS).chmod(0o755)
        shutil.rmtree(root)


# --- timeline snapshots ----------------------------------------------------------


# --- importers -----------------------------------------------------------------


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


BIB = """@inproceedings{{a2022,
  title     = {{A Paper With a Preview}},
  author    = {{Lovelace, Ada}},
  booktitle = {{NeurIPS}},
  year      = {{2022}},
  abbr      = {{NeurIPS}},
  preview   = {{{preview}}}
}}
"""


@pytest.mark.parametrize(
    "preview", ["../../../outside/secret.png", "{outside}/secret.png"]
)
def test_bibtex_preview_outside_the_old_site_is_not_copied(capsys, tmp_path, preview):
    secret = png(tmp_path / "outside" / "secret.png")
    old = tmp_path / "old-site"
    (old / "_bibliography").mkdir(parents=True)
    preview = preview.format(outside=tmp_path / "outside")
    (old / "_bibliography" / "papers.bib").write_text(BIB.format(preview=preview))
    into = tmp_path / "content"
    code, _, err = run(
        capsys, "import", "bibtex", old / "_bibliography/papers.bib", "--into", into
    )
    assert code == 0, err
    if preview.startswith("/"):  # read from the old site's root, as Jekyll does
        assert "was not found in the old site" in err, err
    else:
        assert "is not copied" in err and "old site's folder" in err, err
    copied = list(into.rglob("*.png"))
    assert copied == [], "nothing of outside/ reached content/"
    assert secret.read_bytes()


JEKYLL = """---
title: ICML 23
---

## Main Track

### A Paper
#### Ada Lovelace
{{% capture text %}}
An abstract.
{{% endcapture %}}

{{%
  include feature.html
  image="{image}"
  link="https://arxiv.org/pdf/2301.00001.pdf"
  title="A Paper"
  text=text
%}}
"""


def test_jekyll_image_outside_the_old_site_is_not_copied(capsys, tmp_path):
    png(tmp_path / "secret.png")
    page = tmp_path / "old-site" / "a" / "b" / "c" / "conferences" / "icml23.md"
    page.parent.mkdir(parents=True)
    page.write_text(JEKYLL.format(image="../../../../../secret.png"))
    into = tmp_path / "content"
    code, _, err = run(
        capsys, "import", "jekyll", page, "--into", into, "--date", "2023-07-23"
    )
    assert code == 0, err
    assert "is not copied" in err, err
    assert list(into.rglob("*.png")) == []


@pytest.mark.parametrize("slug", ["../../escaped", "icml\n", "a/b", ".hidden"])
def test_jekyll_slug_may_not_leave_into(capsys, tmp_path, slug):
    page = tmp_path / "old-site" / "icml23.md"
    page.parent.mkdir(parents=True)
    page.write_text(JEKYLL.format(image="images/none.png"))
    into = tmp_path / "site" / "content"
    code, _, err = run(
        capsys, "import", "jekyll", page, "--into", into, "--slug", slug,
        "--date", "2023-07-23",
    )  # fmt: skip
    assert code == 1
    assert "--slug" in err and "cannot be used" in err, err
    assert not (tmp_path / "escaped.md").exists()
    assert not any(tmp_path.rglob("escaped*"))
