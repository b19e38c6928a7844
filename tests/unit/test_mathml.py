"""Which dollar signs of an abstract start a formula (base/mathml.py): the
patterns begin with the `$` they need and look behind it afterwards, so what
they take must be what a reader writing Markdown expects."""

from __future__ import annotations

import markdown
import pytest

from pelican.plugins.conference_papers.base.mathml import MathExtension


def formulas(text: str) -> list[tuple[str, str]]:
    """Each formula of ``text`` as (display, its TeX as latex2mathml kept it)."""
    html = markdown.Markdown(extensions=[MathExtension()]).convert(text)
    found = []
    for chunk in html.split("<math")[1:]:
        display = 'display="block"' in chunk.split(">", 1)[0]
        found.append(("block" if display else "inline", chunk.split("</math>")[0]))
    return found


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We bound $x$ here.", ["inline"]),
        ("$x$ at the start", ["inline"]),
        ("$$x^2$$", ["block"]),
        ("Both $$a$$ and $b$.", ["block", "inline"]),
        (r"It costs \$5 and $y$ more.", ["inline"]),  # an escaped $ is a dollar
        ("Prices: 5$ and 6$.", []),  # a $ after a word starts nothing
        ("a$b$ c", []),
        ("$ x$ and $x $", []),  # no space inside the $ signs
        ("$5 and $6", []),  # a $ before a digit, then no closing pair
        ("Line $a\nb$ two", []),  # an inline formula is one line
        (r"\$$x$$", []),  # a $ right after a $ (an escaped one too) starts nothing
    ],
)
def test_which_dollar_signs_start_a_formula(text, kinds):
    assert [kind for kind, _ in formulas(text)] == kinds


def test_a_formula_keeps_tex_underscores_from_markdown():
    [(kind, mathml)] = formulas(r"We bound $\epsilon_i^2$ by *one*.")
    assert kind == "inline"
    assert "<msubsup>" in mathml and "<em>" not in mathml
