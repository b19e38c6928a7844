"""Every place the plugin touches a part of Pelican that is not public API.

Pelican's signals and documented settings are public; the names below are not,
and a Pelican release may change them without notice. Each sits behind one
small function or class here, with a comment on why we need it, so that an
upgrade means reading one file; tests/unit/test_pelican_hooks.py pins each to the
Pelican versions we checked (the shape we rely on: the attribute exists, the
signature is the one we call). Two overrides stay in their classes because
they are the classes' job, and are pinned by the same test:
``reading.PaperMarkdownReader`` overrides ``MarkdownReader._parse_metadata``
and sets its ``_source_path`` as ``MarkdownReader.read`` does.

Of ours, this module imports only the leaf ``unchanged``: the model, the
reader, the generator and register() all use it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

from pelican import DEFAULT_CONFIG_NAME, parse_arguments, signals
from pelican.contents import Content
from pelican.log import FilteredMessage, LimitFilter
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import wait_for_changes
from pelican.writers import FileOverwriteFailedError, Writer

from .unchanged import TextWhenChanged

logger = logging.getLogger(__name__)

#: The Pelican releases whose internals were read for this module (>= first,
#: < last); the pin test fails outside it, so a new release is read first.
CHECKED_PELICAN = ((4, 12), (4, 13))


class PrefixedURLContent(Content):
    """Content whose ``url``/``save_as`` come from the plugin's own settings.

    Pelican builds them in ``Content._expand_settings`` from ``ARTICLE_URL``,
    ``PAGE_SAVE_AS``…, keyed by the class name; our ``Paper`` and ``Conference``
    have ``CONFERENCE_PAPERS_PAPER_URL`` and the like instead, so the method is
    overridden (Pelican has no setting or signal for a new content kind's URLs).
    """

    def _expand_settings(self, key: str, klass: str | None = None) -> str:
        kind = (klass or self.__class__.__name__).upper()
        pattern = self.settings[f"CONFERENCE_PAPERS_{kind}_{key.upper()}"]
        return str(pattern).format(**self.url_format)

    @property
    def url_format(self) -> dict[str, Any]:
        return {"slug": self.slug, "lang": self.lang, "date": self.date}


def raw_body(content: Content) -> str:
    """The body before placeholder links are replaced (``Content._content``):
    the link checks must see ``{static}…`` as written, and Pelican keeps the
    unreplaced HTML only there."""
    return content._content


def placeholder_regex(settings) -> Any:
    """Pelican's own regex of ``{static}``/``{filename}`` links
    (``Content._get_intrasite_link_regex``, built from INTRASITE_LINK_REGEX), so
    that our checks find exactly the links Pelican will replace. It only reads
    ``self.settings``: called on a stand-in, no content object is needed."""
    return Content._get_intrasite_link_regex(_SettingsOnly(settings))


def may_hold_placeholder_links(text: str, settings) -> bool:
    """Whether ``text`` may hold a link ``placeholder_regex`` finds. With
    Pelican's own ``INTRASITE_LINK_REGEX`` each has a "{" or a "|" (``{static}``,
    ``|filename|``): a test for them is some 50 times cheaper than the regex,
    whose tag pattern is tried at every "<" of the text, and most abstracts
    have neither. With another regex, any text may."""
    if settings.get("INTRASITE_LINK_REGEX") != DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]:
        return True
    return "{" in text or "|" in text


@dataclass
class _SettingsOnly:
    """What ``Content._get_intrasite_link_regex`` reads of a content object."""

    settings: Any


def reads_file(generator, path: str) -> bool:
    """Whether Pelican's generator would read ``path`` (``Generator._include_path``:
    not in IGNORE_FILES, an extension one of its readers has). The generator walks
    the content folder once itself (a link that loops would never end Pelican's
    walk), so it asks Pelican's own rule per file rather than ``get_files``,
    and another plugin's reader or IGNORE_FILES counts exactly as in Pelican."""
    return generator._include_path(path)


def replace_placeholder(content: Content, siteurl: str, match) -> str:
    """Pelican's replacement of one placeholder link (``Content._link_replacer``):
    the model re-checks each replaced address against the URL rule, which
    ``get_content`` (replacing all at once) gives no chance to."""
    return content._link_replacer(siteurl, match)


def forget_content_memo() -> None:
    """Empty Pelican's memo of content bodies and summaries.

    Pelican memoizes ``Content.get_content``/``get_summary`` (pelican.utils.
    memoized) in one dict for the whole process, keyed by the content object:
    in the devserver every rebuild kept the previous one alive through it (each
    page holds the build's context, hence every paper), some 20 MB a rebuild at
    1,000 papers. The entries of a finished build are never used again. The
    memo is reachable only through the class ``__dict__``.
    """
    for name in ("get_content", "get_summary"):
        memo = Content.__dict__.get(name)
        if hasattr(memo, "cache"):
            memo.cache.clear()


def report_warnings_again() -> None:
    """Let this build's warnings through even if an earlier build said them.

    Pelican's ``LimitFilter`` drops a warning whose text it has logged before,
    for the life of the process (class-level sets). In the devserver that hid
    a file's warning on every rebuild after the first: a member fixed a line,
    broke it again and saw nothing. Only the record of what was said is
    emptied; ``LOG_FILTER``'s user-chosen ignores (``_ignore``) stay.
    """
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def log_again(record: logging.LogRecord) -> None:
    """Log here a record that a reading worker made, as if it were made here.

    Pelican's logger class says that its ``LimitFilter`` held a record back
    (a warning said before, the sixth of a group such as "Other images have
    empty alt attributes") by raising ``FilteredMessage`` from ``filter``,
    which only its own ``_log`` catches: through ``Logger.handle`` it stopped
    the build with "CRITICAL FilteredMessage" once more than five papers read
    by two workers had an image without alt text. This process's filter
    decides again, so the workers' messages are limited together, as when one
    process reads every file.
    """
    with contextlib.suppress(FilteredMessage):
        logging.getLogger(record.name).handle(record)


def _keep_raw(name, value):
    """A reader's ``process_metadata`` that keeps the text as written."""
    return value


def keep_raw_metadata(reader) -> None:
    """Make ``reader`` (any of Pelican's readers, other plugins' too) hand over
    the metadata as written: Pelican's ``BaseReader.process_metadata`` turns
    ``Date``, ``Authors``, ``Tags``… into objects with its own rules and
    messages; the schema parses and reports them with the file and line.
    There is no setting for it, so the bound method is replaced per reader."""
    reader.process_metadata = _keep_raw


def written_files_are_watched() -> bool:
    """Whether a plugin listens to ``content_written``. The forked writer
    (parallel.py) writes half the paper pages in another process, where such a
    receiver would never see them; it is used only when nobody listens.
    ``receivers`` is blinker's, not Pelican's API."""
    return bool(signals.content_written.receivers)


def written_paths(writer) -> frozenset[str]:
    """The paths Pelican's ``writer`` has written so far (``_written_files``,
    as ``write_file`` joins them: not Pelican's API, pinned by the tests of
    this module): none for another plugin's writer without it."""
    written = getattr(writer, "_written_files", None)
    return frozenset(written) if isinstance(written, set) else frozenset()


def written_in_another_process(writer, paths: frozenset[str], since) -> None:
    """Tell Pelican's ``writer`` the ``paths`` (as ``written_paths`` gives
    them) that the forked writer wrote: its conference pages and the paper
    pages it took, which process takes a paper being known only as they
    write. A page of this process at one of them (written since
    ``written_paths`` gave ``since``) is refused here, at the end, as Pelican
    refuses a second write of one path in one process; later writes at them
    are refused as they come. Without it a conference or paper page at the
    list's path was overwritten in silence (or overwrote it) with two
    processes, and refused with one."""
    written = getattr(writer, "_written_files", None)
    if not isinstance(written, set):
        return
    clash = sorted(paths & (written - since))
    if clash:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{clash[0]}" as Pelican has already written to '
            "it previously (by the other of two processes)"
        )
    written.update(paths)


def content_objects_are_watched() -> bool:
    """Whether a plugin listens to ``content_object_init``, which Pelican sends
    from the constructor of every content object: the devserver renews the
    Papers of unchanged files instead (``model._PluginContent.renew``) only
    when nobody would miss them. ``receivers`` is blinker's, as above."""
    return bool(signals.content_object_init.receivers)


def wait_after_a_failed_build(pelican) -> None:
    """After a build that failed, the next one waits for a change first.

    ``pelican -lr`` (make devserver) runs ``pelican.run()`` in a loop
    (pelican.autoreload in Pelican 4.12) and waits for a change only after a
    build that worked; when the build raises (a content error) the loop logs it
    and builds again at once: the same error ~150 times a second and a busy
    core, until the file is fixed. Only the autoreload loop calls ``run()``
    twice on one instance, so waiting at the start of a run that follows a
    failed one changes nothing else: one report per save. It waits as that loop
    does (wait_for_changes, the same folders and filters).
    """
    run = pelican.run
    failed = False

    @functools.wraps(run)
    def run_once_per_change(*args, **kwargs):
        nonlocal failed
        if failed:
            logger.warning(
                "conference_papers: waiting for a change to the content, the theme "
                "or the settings before building again"
            )
            wait_for_changes(_settings_file(), pelican.settings)
        failed = True
        run(*args, **kwargs)
        failed = False

    pelican.run = run_once_per_change


def _pelican_arguments(argv: list[str]):
    """``argv`` as Pelican's command line reads it, or None when it is not one
    (a test runner's)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return parse_arguments(argv[1:])
    except SystemExit:
        return None


def builds_once_and_exits(argv: list[str] | None = None) -> bool:
    """Whether this process is the ``pelican`` command building once (``make
    html``; ``pelican-papers build`` runs it too), not the devserver's loop
    (``-r``/``-l``) or another program that runs Pelican."""
    argv = sys.argv if argv is None else argv
    if not argv:
        return False
    program = os.path.normpath(argv[0])
    if os.path.basename(program) != "pelican" and not program.endswith(
        os.path.join("pelican", "__main__.py")
    ):
        return False
    args = _pelican_arguments(argv)
    return args is not None and not (args.autoreload or args.listen)


def _settings_file() -> str:
    """The settings file ``pelican`` was started with (the autoreload loop also
    watches it), or none when this process is not the pelican command."""
    args = _pelican_arguments(sys.argv)
    if args is None:  # not pelican's command line (e.g. a test runner's)
        return ""
    if args.settings:
        return args.settings
    return DEFAULT_CONFIG_NAME if os.path.isfile(DEFAULT_CONFIG_NAME) else ""


class SameBytesWriter(Writer):
    """Pelican's writer, except that a page or feed rendered to the bytes already
    on disk is not written again (its mtime stays: see ``base.unchanged``).

    Pelican opens every output file in ``Writer._open_w`` (pages and feeds,
    ours and Pelican's own), after its check that no two writes share a name;
    that check is kept as Pelican 4.12 has it (the ``_overridden_files`` and
    ``_written_files`` sets), only the ``open`` is ours. The writer class
    itself is public (the ``get_writer`` signal); ``_open_w`` is not.
    """

    def _open_w(self, filename, encoding, override=False):
        if filename in self._overridden_files or filename == os.devnull:
            return super()._open_w(filename, encoding, override)
        if filename in self._written_files and not override:
            return super()._open_w(filename, encoding, override)  # raises
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return TextWhenChanged(filename, encoding)


def same_bytes_writer(pelican) -> type[Writer]:
    """For ``signals.get_writer``: our writer, unless another plugin's is used."""
    return SameBytesWriter
