"""The rule that matches an author line to a member (base/names.py); the pages it links
are in tests/site/test_people.py."""

from __future__ import annotations

from pelican.plugins.conference_papers.base.names import key_of, near_miss


def test_the_matching_rule():
    assert (
        key_of("Keuper, Margret")
        == key_of("Margret Keuper")
        == key_of("MARGRET KEÜPER")
    )
    assert key_of("M. Keuper") != key_of("Margret Keuper")  # only as an alias
    assert near_miss("Margret", "Kuper", "Margret", "Keuper") == "one letter off"
    assert near_miss("M.", "Keuper", "Margret", "Keuper") == "initials that fit"
    assert near_miss("J.", "Keuper", "Margret", "Keuper") == ""
    assert near_miss("Janis", "Keuper", "Margret", "Keuper") == ""
