"""Rules for plain text that every layer shares: a leaf, it imports nothing of ours.

Control characters arrive with text pasted from a PDF (a form feed) or with an
attacker's file; XML 1.0 forbids most of them, so no page or feed may hold one.
"""

from __future__ import annotations

import re

#: Characters no page or feed may hold. Tab, newline and carriage return are kept.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """Drop control characters (a form feed pasted from a PDF) and fold spaces."""
    return " ".join(CONTROL_CHARS.sub(" ", value).split())


def cut_at_word(value: str, limit: int, end: str = "…") -> str:
    """``value`` cut to at most ``limit`` characters (``end`` included) at the
    last space before the limit, or ``value`` itself when it is short enough.

    Previews (cards, feed summaries) are bounded so that a 5 MB abstract is not
    copied into every page that shows the paper; linear in ``limit``, not in the
    length of ``value``.
    """
    if len(value) <= limit:
        return value
    head = value[: max(limit - len(end), 0) + 1]
    space = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
    head = head[:space] if space >= 0 else head[:-1]  # one long word: cut in it
    return head.rstrip() + end
