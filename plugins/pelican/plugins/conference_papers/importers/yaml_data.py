"""The one YAML loader of the importers (lab-website-template data files,
Jekyll front matter): no aliases, bounded nesting.

Why: YAML's aliases (``*name``) let a few lines stand for a billion strings
(the "billion laughs"): PyYAML shares the objects, but whatever walks them
afterwards (our importers turn values into text) hangs or runs out of memory.
Deep nesting (``[[[[…``) makes PyYAML's scanner slow down with the square of
the depth and its composer recurse until Python gives up.
Neither is needed to write down papers, so both are refused here, while the
document is composed, with the line of the first one; the error is a
yaml.YAMLError with ``problem`` and ``problem_mark``, as PyYAML's own are.
So are the errors PyYAML itself raises without them: a value its constructor
cannot read (``date: 2020-13-45`` and an integer of 5,000 digits raise
ValueError) and a character it refuses (a NUL: ReaderError, with an offset).

A leaf module: it imports nothing of the plugin.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.reader import ReaderError
from yaml.scanner import ScannerError

#: Nesting deeper than this is refused (a papers list needs four or five).
MAX_DEPTH = 64


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing."""

    depth = 0

    def fetch_flow_collection_start(self, token_class):
        # The scanner keeps a possible key per open bracket and scans them all
        # at each token: ``[[[[…`` costs the square of its length before the
        # composer (below) sees the depth, so brackets are counted here.
        if self.flow_level >= MAX_DEPTH:
            raise ScannerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", self.get_mark()
            )
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ComposerError(
                None,
                None,
                f"an alias (*{event.anchor}) is not used in these files; write "
                "the value out where it is needed",
                event.start_mark,
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(
                None,
                None,
                f"'{str(node.value)[:40]}' cannot be read ({str(error)[:80]}); "
                "put it in quotes",
                node.start_mark,
            ) from None


def _marked(error: ReaderError, text: str) -> ScannerError:
    """A refused character as an error with the line it is on."""
    before = text[: error.position]
    line, column = before.count("\n"), len(before) - before.rfind("\n") - 1
    mark = yaml.Mark(error.name, error.position, line, column, None, None)
    return ScannerError(
        None,
        None,
        f"the character #x{error.character:04x} is not allowed ({error.reason}); "
        "remove it",
        mark,
    )


def load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (with line marks) and its Python value;
    yaml.YAMLError when it is not YAML, has an alias or nests too deep."""
    try:
        loader = _Loader(text)
    except ReaderError as error:
        raise _marked(error, text) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except ReaderError as error:
        raise _marked(error, text) from None
    finally:
        loader.dispose()
    return node, data
