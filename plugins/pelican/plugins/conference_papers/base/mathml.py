"""``$...$`` and ``$$...$$`` in Markdown rendered to MathML at build time.

Browsers draw MathML natively, so abstracts with math need no script. A formula
latex2mathml cannot read is kept as its source text, in ``<code>``.
"""

from __future__ import annotations

import html
import logging

from latex2mathml.converter import convert
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

logger = logging.getLogger(__name__)

# The patterns run before escapes and emphasis (priorities 180 and 60): `_` and `\` in a
# formula are TeX, not Markdown. Each begins with the `$` it needs and looks behind
# it afterwards ("no \ or $ before this $"): a pattern that begins with a literal
# lets the regex engine skip to the next `$`, where one that begins with a
# lookbehind is tried at every character of every text (8% of converting a paper).
_DISPLAY = r"\$(?<![\\$]\$)\$(?P<tex>[^$]+?)\$\$"
_INLINE = r"\$(?<![\\$\w]\$)(?=\S)(?P<tex>[^$\n]+?)(?<=\S)\$(?![\w$])"


def to_mathml(tex: str, display: bool) -> str:
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds on bad input
        logger.warning("conference_papers: could not render the math $%s$", tex)
        return f'<code class="math-source">{html.escape(tex)}</code>'


class _MathProcessor(InlineProcessor):
    def __init__(self, pattern: str, md, display: bool):
        super().__init__(pattern, md)
        self.display = display

    def handleMatch(self, m, data):
        # The stash puts the MathML back, untouched, after Markdown is done.
        mathml = to_mathml(m.group("tex"), self.display)
        return self.md.htmlStash.store(mathml), m.start(0), m.end(0)


class MathExtension(Extension):
    """Register with ``MARKDOWN["extensions"]`` (the plugin does it for papers)."""

    def extendMarkdown(self, md):
        patterns = md.inlinePatterns
        patterns.register(_MathProcessor(_DISPLAY, md, True), "math-block", 187)
        patterns.register(_MathProcessor(_INLINE, md, False), "math-inline", 186)
