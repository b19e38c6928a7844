"""`make devserver`: Pelican's autoreload server picks up an edited paper."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_devserver_serves_and_shows_an_edit(site):
    port = free_port()
    command = [
        sys.executable, "-m", "pelican", "-lr", "content", "-o", "output",
        "-s", "pelicanconf.py", "-b", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    log = site.root / "devserver.log"
    server = subprocess.Popen(
        command,
        cwd=site.root,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
        start_new_session=True,  # its own process group: stopped as a whole below
    )
    url = f"http://127.0.0.1:{port}/papers/neurips-2022/robust-models/"
    try:
        title = "Robust Models are less Over-Confident"
        wait_for(lambda: title in (fetch(url) or ""), 60, "the paper page to be served")
        # Pelican watches for changes once its first build is done.
        wait_for(lambda: "Done:" in log.read_text(), 60, "the first build to finish")

        paper = site.content / "papers/neurips-2022/robust-models.md"
        edited = paper.read_text().replace(
            "Title: Robust Models are less Over-Confident",
            "Title: Robust Models are much less Over-Confident",
        )
        # Pelican starts watching only after a build: a save in that instant is
        # missed, so save again, as a webmaster would, until the page shows it.
        for _ in range(6):
            paper.write_text(edited)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if "much less Over-Confident" in (fetch(url) or ""):
                    return
                time.sleep(0.1)
        pytest.fail("the edited title never reached the served page (30 s)")
    finally:
        # Pelican serves from a child process: stop the whole group, or the
        # watcher and the server outlive the test.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_a_content_error_is_reported_once_per_save(site):
    """Pelican's autoreload loop rebuilt at once after a failed build: ~150
    identical errors a second and a busy core. Now it waits for the next save."""
    port = free_port()
    command = [
        sys.executable, "-m", "pelican", "-lr", "content", "-o", "output",
        "-s", "pelicanconf.py", "-b", "127.0.0.1", "-p", str(port),
        "--log-handler", "plain",
    ]  # fmt: skip
    log = site.root / "devserver.log"
    server = subprocess.Popen(
        command,
        cwd=site.root,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
        start_new_session=True,
    )
    error = "bad.md:2: Date 'tomorrow' is not a date"

    def reports() -> int:
        return log.read_text().count(error)

    bad = site.content / "papers/neurips-2022/bad.md"
    try:
        wait_for(lambda: "Done:" in log.read_text(), 60, "the first build to finish")
        # Pelican starts watching an instant after the build: save until seen.
        for _ in range(6):
            bad.write_text("Title: Bad\nDate: tomorrow\n")
            if wait_for_quietly(lambda: reports() >= 1, 5):
                break
        time.sleep(3)  # the old loop reported it hundreds of times by now
        assert reports() == 1, log.read_text()[-2000:]

        bad.write_text("Title: Bad\nDate: tomorrow\n\n")  # saved again, still bad
        wait_for(lambda: reports() >= 2, 30, "the second save's report")
        time.sleep(2)
        assert reports() == 2

        bad.unlink()  # fixed: the next build works
        done = log.read_text().count("Done:")
        wait_for(lambda: log.read_text().count("Done:") > done, 60, "a good build")
        assert reports() == 2
    finally:
        os.killpg(server.pid, signal.SIGTERM)


def wait_for_quietly(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
