"""The Pelican internals the plugin relies on (pelican_hooks.py) still have the
shape we rely on, in the installed Pelican. A new Pelican release fails the
version test first: read pelican_hooks.py against it, then widen the range."""

from __future__ import annotations

import ast
import inspect
import logging
import re
from pathlib import Path

import pelican
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican import Pelican, signals
from pelican.contents import Content
from pelican.generators import Generator
from pelican.log import FilteredMessage, LimitFilter
from pelican.readers import BaseReader, MarkdownReader, Readers
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import memoized
from pelican.writers import FileOverwriteFailedError, Writer

from pelican.plugins.conference_papers import model
from pelican.plugins.conference_papers.base import pelican_hooks
from pelican.plugins.conference_papers.format import reserved
from pelican.plugins.conference_papers.reading import paper_readers


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_installed_pelican_is_one_whose_internals_were_checked():
    version = tuple(int(part) for part in pelican.__version__.split(".")[:2])
    first, last = pelican_hooks.CHECKED_PELICAN
    assert first <= version < last, (
        f"Pelican {pelican.__version__}: read pelican_hooks.py against it, "
        "then widen CHECKED_PELICAN"
    )


def test_content_url_settings_are_expanded_by_the_method_we_override():
    assert _parameters(Content._expand_settings) == ["self", "key", "klass"]
    # url and save_as go through get_url_setting, which asks it.
    assert "get_url_setting" in inspect.getsource(Content.url.fget)
    assert "get_url_setting" in inspect.getsource(Content.save_as.fget)
    assert "self._expand_settings(" in inspect.getsource(Content.get_url_setting)


def test_placeholder_links_are_found_and_replaced_by_the_methods_we_call():
    assert _parameters(Content._get_intrasite_link_regex) == ["self"]
    assert _parameters(Content._link_replacer) == ["self", "siteurl", "m"]
    # It reads nothing of the content object but its settings.
    regex = pelican_hooks.placeholder_regex(DEFAULT_CONFIG)
    match = regex.search('<a href="{static}/poster.pdf">poster</a>')
    assert match is not None
    assert {"markup", "quote", "path", "what", "value"} <= set(match.groupdict())
    # The unreplaced body is kept in _content: get_content reads it there.
    assert "self._content" in inspect.getsource(Content.__dict__["get_content"].func)


def test_the_content_memo_is_a_class_attribute_with_a_cache_dict():
    for name in ("get_content", "get_summary"):
        memo = Content.__dict__[name]
        assert isinstance(memo, memoized)
        assert isinstance(memo.cache, dict)
    Content.__dict__["get_content"].cache[("probe",)] = "x"
    pelican_hooks.forget_content_memo()
    assert Content.__dict__["get_content"].cache == {}


def test_every_reader_gets_the_metadata_as_written():
    assert _parameters(BaseReader.process_metadata) == ["self", "name", "value"]
    assert _parameters(MarkdownReader._parse_metadata) == ["self", "meta"]
    # PaperMarkdownReader sets _source_path as MarkdownReader.read does (its
    # _parse_metadata reports errors with it).
    assert "self._source_path = source_path" in inspect.getsource(MarkdownReader.read)
    assert {"base_path", "path", "content_class"} <= set(_parameters(Readers.read_file))
    readers = paper_readers(dict(DEFAULT_CONFIG))
    assert readers.readers, "Pelican's Readers keeps its readers in .readers"
    for reader in readers.readers.values():
        assert reader.process_metadata("date", "2022-11-28") == "2022-11-28"


@pytest.mark.parametrize(
    ("signal", "watched"),
    [
        # The forked writer is used only when nobody listens for written files.
        (signals.content_written, pelican_hooks.written_files_are_watched),
        # Papers are renewed between devserver builds, not constructed, only
        # when no plugin waits for Pelican's signal from the constructor.
        (signals.content_object_init, pelican_hooks.content_objects_are_watched),
    ],
    ids=["content_written", "content_object_init"],
)
def test_we_know_whether_anyone_listens_to_a_signal(signal, watched):
    assert hasattr(signal, "receivers")

    def receiver(sender, **kwargs):
        pass

    before = watched()
    signal.connect(receiver)
    try:
        assert watched()
    finally:
        signal.disconnect(receiver)
    assert watched() == before


def test_content_objects_send_their_signal_from_the_constructor():
    assert "signals.content_object_init.send(self)" in inspect.getsource(
        Content.__init__
    )


_PIECES = ["<a href=", "<img src=", '"', "'", "{static}", "|filename|", "{", "|"]
_PIECES += ["}", ">", "a.pdf", " ", "x", "<p>", "=", "{attach}/b.png"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_text_without_a_brace_or_a_bar_holds_no_placeholder_link(text):
    """``may_hold_placeholder_links`` skips Pelican's regex for text with no
    "{" and no "|": with Pelican's INTRASITE_LINK_REGEX the regex finds no
    link in it; with another regex every text is searched."""
    found = pelican_hooks.placeholder_regex(DEFAULT_CONFIG).search(text)
    if found:
        assert pelican_hooks.may_hold_placeholder_links(text, DEFAULT_CONFIG)
    other = {**DEFAULT_CONFIG, "INTRASITE_LINK_REGEX": "<(?P<what>.*?)>"}
    assert pelican_hooks.may_hold_placeholder_links(text, other)


def test_pelicans_warning_filter_keeps_what_it_said_in_class_sets():
    # report_warnings_again empties these two; a Pelican that renamed them
    # would hide a devserver rebuild's warnings again.
    assert isinstance(LimitFilter._raised_messages, set)
    assert hasattr(LimitFilter._group_count, "clear")
    assert isinstance(LimitFilter._ignore, set)


def test_pelicans_logger_says_a_record_was_held_back_by_raising():
    # log_again catches it; a Pelican that said it otherwise would need a
    # new look at the reading pool's records.
    logger = logging.getLogger("conference_papers.test-held-back")
    record = logger.makeRecord(
        logger.name,
        logging.WARNING,
        "x",
        1,
        "said once by test_pelican_hooks",
        (),
        None,
    )
    assert logger.filter(record)
    with pytest.raises(FilteredMessage):
        logger.filter(record)


def test_the_devserver_loop_calls_run_on_the_pelican_object():
    assert _parameters(Pelican.run) == ["self"]
    source = inspect.getsource(pelican.autoreload)
    assert re.search(r"\.run\(\)", source)
    assert "wait_for_changes" in source


@pytest.mark.parametrize(
    ("argv", "once"),
    [
        (["/lab/.venv/bin/pelican", "content", "-s", "pelicanconf.py"], True),
        (["/usr/lib/python3/site-packages/pelican/__main__.py", "content"], True),
        (["/lab/.venv/bin/pelican", "-lr", "content"], False),  # make devserver
        (["/lab/.venv/bin/pelican", "-r", "content"], False),
        (["/lab/.venv/bin/pelican", "--listen"], False),
        (["/lab/.venv/bin/pytest", "-q", "tests"], False),  # parses, is not pelican
        (["/lab/.venv/bin/pelican", "--no-such-option"], False),
        ([], False),
    ],
)
def test_the_one_shot_pelican_command_is_told_from_the_devserver(argv, once):
    """The garbage collector is frozen at the end of a build only in a
    process that ends after it (``let_the_process_end``)."""
    assert pelican_hooks.builds_once_and_exits(argv) is once


def test_reserved_keys_cover_every_public_name_of_our_content_classes():
    """The schema's literal lists stand in for dir(Paper): a key named like a
    method or attribute would shadow it."""
    for kind, cls in (("conference", model.Conference), ("paper", model.Paper)):
        public = {name for name in dir(cls) if not name.startswith("_")}
        refused = reserved.reserved_keys(kind)
        assert public <= refused, sorted(public - refused)


def test_files_are_chosen_by_the_generators_own_rule(tmp_path):
    assert _parameters(Generator._include_path) == ["self", "path", "extensions"]
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "IGNORE_FILES": ["#*"]}
    generator = Generator(
        context={},
        settings=settings,
        path=str(tmp_path),
        theme=DEFAULT_CONFIG["THEME"],
        output_path=str(tmp_path / "output"),
    )
    generator.readers = paper_readers(settings)
    assert pelican_hooks.reads_file(generator, "papers/a.md")
    assert not pelican_hooks.reads_file(generator, "papers/#a.md")  # IGNORE_FILES
    assert not pelican_hooks.reads_file(generator, "papers/a.json")  # no reader


def _pelican_private_names() -> set[str]:
    classes = (Content, Generator, BaseReader, MarkdownReader, Readers, Pelican)
    return {
        name
        for cls in classes
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__")
    }


def test_no_module_but_pelican_hooks_touches_a_pelican_private_name():
    # reading.PaperMarkdownReader's override of _parse_metadata and the
    # _source_path it sets are the two the module docstring names.
    allowed = {"reading.py": {"_parse_metadata", "_source_path"}}
    private = _pelican_private_names()
    root = Path(model.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "pelican_hooks.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        names |= {
            a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom)
            for a in n.names
        }
        used = (names & private) - allowed.get(path.name, set())
        found += [f"{path.relative_to(root)}: {name}" for name in sorted(used)]
    assert found == []


def test_every_output_file_is_opened_by_the_method_our_writer_overrides(tmp_path):
    assert _parameters(Writer._open_w) == ["self", "filename", "encoding", "override"]
    source = inspect.getsource(Writer._open_w)
    for line in ("self._overridden_files", "self._written_files", "os.devnull"):
        assert line in source
    # Pages and feeds both go through it.
    assert "self._open_w(" in inspect.getsource(Writer.write_file)
    assert "self._open_w(" in inspect.getsource(Writer.write_feed)
    # And two writes of one name are still refused, as Pelican refuses them.
    writer = pelican_hooks.SameBytesWriter(str(tmp_path), DEFAULT_CONFIG)
    target = str(tmp_path / "page.html")
    with writer._open_w(target, "utf-8") as handle:
        handle.write("é")
    assert (tmp_path / "page.html").read_bytes() == "é".encode()
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(target, "utf-8")


@pytest.mark.parametrize(
    "path",
    [
        "/site/content/papers/neurips-2022/a.md",
        "/site/content/a.md",
        "/site/content/papers/../b.md",  # not normalized: Pelican's own answer
        "/site/contentx/c.md",  # beside PATH, not below it
        "/elsewhere/d.md",
        "papers/e.md",  # relative: joined to PATH by Pelican
    ],
)
@pytest.mark.parametrize("root", ["/site/content", "/site/content/", "content"])
def test_our_relative_source_path_is_pelicans(path, root):
    """model._PluginContent answers get_relative_source_path without Pelican's
    abspath calls: for every kind of path, what Pelican's method answers."""
    paper = object.__new__(model.Paper)
    paper.settings = {"PATH": root}
    paper.source_path = path
    assert model.Paper.get_relative_source_path(paper) == (
        Content.get_relative_source_path(paper)
    )
    assert model.Paper.get_relative_source_path(paper, path) == (
        Content.get_relative_source_path(paper, path)
    )
