"""A plain reference for the Cite block: ``A, B and C. Title. In Venue, October
2022.``: what a reader pastes into a document that has no bibliography tool."""

from __future__ import annotations

from ...base import kinds


def reference(cite) -> str:
    names = [a.name for a in cite.paper.authors]
    authors = (
        ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    )
    title = cite.paper.title
    title += "" if title.endswith(("?", "!", ".")) else "."
    text = f"{authors}. {title} {_where(cite)}"
    if cite.doi:
        text += f" https://doi.org/{cite.doi}"
    elif cite.arxiv and cite.entry_type != "misc":
        text += f" arXiv:{cite.arxiv}."
    return text


def _where(cite) -> str:
    # English month names whatever the build machine's locale is.
    precision = cite.paper.date_precision
    when = kinds.date_label(
        cite.date, kinds.MONTH if precision == kinds.DAY else precision
    )
    if cite.entry_type == "article":
        return f"{cite.paper.publication}, {when}."
    if cite.entry_type == "misc":
        return f"Preprint arXiv:{cite.arxiv}, {when}." if cite.arxiv else f"{when}."
    if cite.entry_type == "inproceedings":
        return f"In {cite.booktitle} ({cite.venue}), {when}."
    return f"{cite.venue}, {when}."
