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
