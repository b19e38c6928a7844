"""COinS: an OpenURL 1.0 (KEV) ``<span class="Z3988">`` beside each paper of a
list, which Zotero's connector finds on a conference page (one click saves every
paper). Each kind has its OpenURL format and genre."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from markupsafe import Markup

from .common import present


def span(cite) -> Markup:
    paper = cite.paper
    pairs = [("ctx_ver", "Z39.88-2004"), *_venue(cite)]
    pairs.append(("rft.date", paper.date_iso))
    if paper.authors:
        first = paper.authors[0]
        pairs.append(("rft.aulast", first.family))
        if first.given:
            pairs.append(("rft.aufirst", first.given))
    pairs += [("rft.au", a.name) for a in paper.authors]
    if cite.doi:
        pairs.append(("rft_id", f"info:doi/{cite.doi}"))
    if cite.arxiv:
        pairs.append(("rft_id", f"info:arxiv/{cite.arxiv}"))
    if cite.url:
        pairs.append(("rft_id", cite.url))
    title = urlencode(pairs, quote_via=quote)
    return Markup('<span class="Z3988" title="{}"></span>').format(title)


def _venue(cite) -> list[tuple[str, str]]:
    """The OpenURL format and genre of the kind, with its venue's keys."""
    entry, title = cite.entry_type, cite.paper.title
    book = "info:ofi/fmt:kev:mtx:book"
    if entry == "inproceedings":
        return [
            ("rft_val_fmt", book),
            ("rft.genre", "proceeding"),
            ("rft.atitle", title),
            ("rft.btitle", cite.booktitle),
        ]
    if entry == "phdthesis":
        pairs = [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation")]
        pairs += [("rft.title", title), ("rft.inst", cite.publisher)]
    elif entry in ("book", "incollection", "techreport"):
        genre = {"book": "book", "incollection": "bookitem"}.get(entry, "report")
        pairs = [("rft_val_fmt", book), ("rft.genre", genre)]
        pairs += [("rft.btitle" if entry == "book" else "rft.atitle", title)]
        pairs += [("rft.pub", cite.publisher)]
    else:
        first, last = cite.pages
        pairs = [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            ("rft.genre", "article" if cite.journal else "preprint"),
            ("rft.atitle", title),
            ("rft.jtitle", cite.journal),
            ("rft.volume", getattr(cite.paper, "volume", "")),
            ("rft.issue", getattr(cite.paper, "issue", "")),
            ("rft.spage", first),
            ("rft.epage", last),
        ]
    return present(pairs)
