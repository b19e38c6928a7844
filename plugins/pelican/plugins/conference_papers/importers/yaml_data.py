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

A leaf module: it imports nothing of the plugin.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
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


def load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node tree (with line marks) and its Python value;
    yaml.YAMLError when it is not YAML, has an alias or nests too deep."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data
