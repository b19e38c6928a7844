"""``pelican-papers``: check, build, scaffold, import and fetch, from the shell."""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .schema import ERROR, Problem
from .settings import SettingsError

# Modules with ``add_parser(subparsers)``: each adds one command.
COMMAND_MODULES = ["scaffold", "importers", "timeline"]


def load_settings(settings_file: str | None, content: str | None) -> dict:
    """Pelican's settings for ``content`` (from pelicanconf.py when there is one)."""
    from pelican.settings import read_settings

    if settings_file is None and Path("pelicanconf.py").is_file():
        settings_file = "pelicanconf.py"
    override = {"PATH": os.path.abspath(content)} if content else {}
    return read_settings(settings_file, override=override)


def find_problems(settings: dict) -> list[Problem]:
    """Everything the build validates, without writing a file."""
    from .generator import load_content

    problems = load_content(settings).problems
    return sorted(problems, key=lambda p: (p.path, p.line))


def check(args) -> int:
    if not Path(args.content).is_dir():
        print(f"pelican-papers: no content folder at {args.content}", file=sys.stderr)
        return 2
    if args.settings and not Path(args.settings).is_file():
        print(f"pelican-papers: no settings file at {args.settings}", file=sys.stderr)
        return 2
    # Pelican warns about feed settings while reading them: not the user's question.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    try:
        settings = load_settings(args.settings, args.content)
    except Exception as error:  # the settings file is Python: anything can go wrong
        print(
            f"pelican-papers: the settings file failed: {type(error).__name__}: "
            f"{error}",
            file=sys.stderr,
        )
        return 2
    try:
        problems = find_problems(settings)
    except SettingsError as error:
        print(f"pelican-papers: {error}", file=sys.stderr)
        return 2
    errors = sum(p.severity == ERROR for p in problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], indent=2))
    else:
        for problem in problems:
            print(f"{problem.severity}: {problem}")
        warnings = len(problems) - errors
        print(f"{errors} error(s), {warnings} warning(s) in {args.content}")
    return 1 if errors else 0


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
    # SIGTERM (a CI runner's stop, `kill`) ends the build as Ctrl-C does: through
    # the finally below, which stops Pelican and removes the staging folder.
    stop = signal.signal(signal.SIGTERM, _interrupt)
    child = None
    try:
        child = subprocess.Popen(command)
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
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        shutil.rmtree(staging, ignore_errors=True)
        signal.signal(signal.SIGTERM, stop)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="pelican-papers",
        description="Conference and paper pages for a lab's Pelican site.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub = commands.add_parser("check", help="validate the content without building")
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.add_argument("--format", choices=["text", "json"], default="text")
    sub.set_defaults(func=check)

    sub = commands.add_parser(
        "build", help="run pelican; keep the previous output when the build fails"
    )
    sub.add_argument("content", nargs="?", default="content", help="content folder")
    sub.add_argument("-o", "--output", default="output", help="output folder")
    sub.add_argument("-s", "--settings", help="settings file (pelicanconf.py)")
    sub.set_defaults(func=build)

    for name in COMMAND_MODULES:
        module = __import__(f"{__package__}.{name}", fromlist=["add_parser"])
        module.add_parser(commands)
    __import__(f"{__package__}.sync", fromlist=["add_parser"]).add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
