"""``pelican-papers build``: run Pelican into a staging folder and swap it in
only when the build worked, so a failed build leaves the last good site."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .check import load_settings


def build(args) -> int:
    """Build into a staging folder; put it in place of the output only when it
    worked, carrying over what plain Pelican would have kept (see _carry_over)."""
    output = Path(args.output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = output.with_name(f".{output.name}.previous")
    _recover(output, previous)
    keep = _kept_names(args)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a web server must read it
    command = [sys.executable, "-m", "pelican", args.content, "-o", str(staging)]
    if args.settings:
        command += ["-s", args.settings]
    if not sys.stderr.isatty():
        # In a log file or CI, one line per problem (rich wraps at 80 columns).
        command += ["--log-handler", "plain"]
    # SIGTERM (a CI runner's stop, `kill`) and SIGHUP (the terminal closed) end
    # the build as Ctrl-C does: through the finally below, which stops Pelican
    # and removes the staging folder.
    stopped = {number: signal.signal(number, _interrupt) for number in _STOPS}
    child = None
    try:
        # Pelican and all it starts (its pool of readers, its forked writer,
        # Pagefind) in a group of their own, stopped as one (see _stop).
        child = subprocess.Popen(command, start_new_session=True)
        returncode = child.wait()
        if returncode != 0:
            print(
                f"pelican-papers: the build failed; {args.output}/ was left as it was",
                file=sys.stderr,
            )
            return returncode
        if output.is_dir():
            _carry_over(output, staging, keep)
        _swap(staging, output, previous)
        return 0
    finally:
        if child is not None:
            _stop(child)
        _remove(staging)
        for number, handler in stopped.items():
            signal.signal(number, handler)


#: Signals that end the build as Ctrl-C does.
_STOPS = (signal.SIGTERM, signal.SIGHUP)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(child: subprocess.Popen) -> None:
    """Stop Pelican and every process of its group. Stopping Pelican alone
    was not enough: a process it started (a Pagefind indexing a part, its
    forked writer) could go on writing into the staging folder after it was
    removed, and leave it behind (seen once in a full run of the tests)."""
    if child.poll() is None:
        _signal_group(child.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=10)
    # Whatever of the group outlived Pelican (none, after a build that ended).
    _signal_group(child.pid, signal.SIGKILL)
    child.wait()


def _signal_group(group: int, number: int) -> None:
    # ProcessLookupError: the group has ended; PermissionError: its number
    # is by now a process of another user's.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)


def _remove(folder: Path, seconds: float = 5.0) -> None:
    """Remove ``folder``, again while a killed process's last write lands in
    it (a process finishes the system call it is in before SIGKILL ends it)."""
    deadline = time.monotonic() + seconds
    shutil.rmtree(folder, ignore_errors=True)
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
        shutil.rmtree(folder, ignore_errors=True)


def _kept_names(args) -> list[str] | None:
    """What Pelican keeps of an output folder it builds into: the names in
    OUTPUT_RETENTION when it empties the folder first (DELETE_OUTPUT_DIRECTORY,
    as publishconf.py does), else everything (None). Read from the settings file
    the build uses; when that file fails, Pelican's own run reports it."""
    try:
        settings = load_settings(args.settings, args.content)
    except Exception:  # the settings file is Python: the build says what broke
        return []
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        return None
    return [str(name) for name in settings.get("OUTPUT_RETENTION") or []]


def _carry_over(old: Path, new: Path, names: list[str] | None) -> None:
    """Put into ``new`` what ``old`` has and ``new`` lacks (a GitHub Pages
    checkout's .git and CNAME, a development build's older files), as Pelican
    writing over the folder would keep them: the new build's files win. Hard
    links where possible, so ``old`` stays whole until the swap and a large
    .git costs no copy."""
    entries = sorted(old.iterdir()) if names is None else [old / n for n in names]
    for source in entries:
        if source.name in ("", ".", "..") or source.parent != old:
            continue  # a name with a slash is no top-level entry
        target = new / source.name
        if not (source.exists() or source.is_symlink()):
            continue
        if source.is_dir() and not source.is_symlink():
            if target.is_symlink() or (target.exists() and not target.is_dir()):
                continue
            if target.is_dir():
                _carry_over(source, target, None)
            else:
                shutil.copytree(source, target, symlinks=True, copy_function=_link)
        elif not (target.exists() or target.is_symlink()):
            if source.is_symlink():
                target.symlink_to(os.readlink(source))
            else:
                _link(source, target)


def _link(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def _swap(staging: Path, output: Path, previous: Path) -> None:
    """Put ``staging`` where ``output`` is. Where the system can exchange two
    folders in one step (Linux's renameat2), the site is never without its
    output; elsewhere two renames, with signals held back between them, and a
    crash between them is undone by the next build (_recover)."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        if output.exists() and _exchange(staging, output):
            shutil.rmtree(staging, ignore_errors=True)  # now the old output
            return
        shutil.rmtree(previous, ignore_errors=True)
        if output.exists():
            output.rename(previous)
        staging.rename(output)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
    shutil.rmtree(previous, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (renameat2 RENAME_EXCHANGE); False where the
    system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # glibc before 2.28, musl
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    done = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange)
    return done == 0


def _recover(output: Path, previous: Path) -> None:
    """A build stopped between its two renames left the site in ``previous``:
    put it back; a finished one's leftover is removed."""
    if previous.is_dir() and not output.exists():
        previous.rename(output)
    shutil.rmtree(previous, ignore_errors=True)


def add_parser(commands) -> None:
    """``pelican-papers build``."""
    sub = commands.add_parser(
        "build", help="run pelican; keep the previous output when the build fails"
    )
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-o", "--output", default="output", help="output folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.set_defaults(func=build)
