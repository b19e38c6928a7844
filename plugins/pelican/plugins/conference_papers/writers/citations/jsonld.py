"""schema.org JSON-LD: a ``ScholarlyArticle`` in the paper page's ``<head>``,
for search engines. The conference is a ``CreativeWork`` it is part of; a
journal is nested as schema.org nests it (PublicationIssue in PublicationVolume
in Periodical). The JSON is written so that it cannot end its ``<script>``."""

from __future__ import annotations

import json

from markupsafe import Markup

from .common import is_absolute


def data(cite) -> dict:
    paper = cite.paper
    found: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": paper.title[:110],
        "author": [_person(cite, author) for author in paper.authors],
        "datePublished": paper.date_iso,
    }
    part_of = _part_of(cite)
    optional = (
        ("abstract", paper.abstract_text),
        ("url", cite.page_url),
        ("image", cite.image_url),
        ("isPartOf", part_of),
    )
    found.update((key, value) for key, value in optional if value)
    found.update(_pages_and_publisher(cite))
    if cite.same_as:
        found["sameAs"] = cite.same_as
    if cite.pdf_url:
        found["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": cite.pdf_url,
            "encodingFormat": "application/pdf",
        }
    if paper.tags:
        found["keywords"] = list(paper.tags)
    return found


def _person(cite, author) -> dict:
    person = {"@type": "Person", "name": author.name}
    if author.given:
        person["givenName"] = author.given
    person["familyName"] = author.family
    member = cite.citations.member_url(author.name)
    if member and is_absolute(member):
        person["url"] = member
    return person


def _pages_and_publisher(cite) -> dict:
    found: dict = {}
    first, last = cite.pages
    if cite.entry_type == "article" and first:
        found["pageStart"] = first
        if last:
            found["pageEnd"] = last
    if cite.publisher and cite.entry_type != "inproceedings":
        key = "sourceOrganization" if cite.kind in ("thesis", "report") else "publisher"
        found[key] = {"@type": "Organization", "name": cite.publisher}
    return found


def _part_of(cite) -> dict | None:
    """The conference (a CreativeWork), or the journal as schema.org nests it:
    PublicationIssue in PublicationVolume in Periodical."""
    paper, conference = cite.paper, cite.conference
    if cite.entry_type == "article":
        part: dict = {"@type": "Periodical", "name": cite.journal}
        if cite.publisher:
            part["publisher"] = {"@type": "Organization", "name": cite.publisher}
        if getattr(paper, "volume", ""):
            part = {
                "@type": "PublicationVolume",
                "volumeNumber": paper.volume,
                "isPartOf": part,
            }
        if getattr(paper, "issue", ""):
            part = {
                "@type": "PublicationIssue",
                "issueNumber": paper.issue,
                "isPartOf": part,
            }
        return part
    if conference is None:
        return None
    part_of: dict = {
        "@type": "CreativeWork",
        "name": cite.booktitle,
        "alternateName": cite.venue,
    }
    conference_url = cite.citations.absolute(conference.url)
    if conference_url:
        part_of["url"] = conference_url
    return part_of


def script(value) -> Markup:
    """JSON that cannot end its ``<script>``: ``<``, ``>`` and ``&`` as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)
