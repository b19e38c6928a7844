"""Settings read on their own (settings.py): a member page without a scheme is not
linked; the content checks are in tests/site/test_validation.py."""

from __future__ import annotations

import logging

from pelican.plugins.conference_papers.settings import lab_members


def test_a_member_page_without_a_scheme_is_not_linked(caplog):
    members = {
        "Margret Keuper": "www.uni-mannheim.de/~keuper",
        "Julia Grabinski": "/people/julia-grabinski/",
        "Paul Gavrikov": "https://example.org/paul",
    }
    with caplog.at_level(logging.WARNING):
        pages = lab_members({"CONFERENCE_PAPERS_MEMBERS": members})
    assert pages == {
        "Margret Keuper": None,
        "Julia Grabinski": "/people/julia-grabinski/",
        "Paul Gavrikov": "https://example.org/paul",
    }
    assert "write https://www.uni-mannheim.de/~keuper" in caplog.text
