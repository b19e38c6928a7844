"""Citations: Highwire tags, JSON-LD, COinS, BibTeX and CSL-JSON (issue 5)."""

from __future__ import annotations


def write_citations(generator, writer) -> None:
    """Write the BibTeX and CSL-JSON files; called by the generator after the pages."""
