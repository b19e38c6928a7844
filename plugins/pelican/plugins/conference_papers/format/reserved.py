"""Names a header key may not take: Pelican's and the plugin's own.

Every key of a file becomes an attribute of the content object, so a key named
like one of Pelican's attributes (``Save_as:``) or one of the model's
properties (``Kind:``) would replace it. The file parsers refuse such keys
with the hints below; tests/unit/test_pelican_hooks.py checks the lists against
the installed Pelican and the model.
"""

from __future__ import annotations

#: Keys Pelican or the plugin sets on the content object: a file may not set
#: them as extra keys (``Html:`` would crash the build, ``_content:`` would
#: replace the sanitized abstract, ``Save_as:`` would move the page).
_CONTENT_ATTRIBUTES = frozenset({
    "settings", "translations", "metadata", "template", "author", "authors",
    "in_default_lang", "lang", "source_path", "relative_source_path", "date_format",
    "timezone", "locale_date", "locale_modified", "override_save_as", "override_url",
    "save_as", "url", "summary", "conference", "conference_slug", "track_slug",
    "papers", "tracks", "html", "abstract_text", "updated", "year", "display_name",
    "intro", "abstract", "website", "extra",
})  # fmt: skip
HINTS = {
    "author": "write 'Authors: Julia Grabinski, Paul Gavrikov' (all on one line)",
    "url": "a paper's links go in 'Pdf:', 'Code:' or 'Links: Label <https://…>'",
    "summary": "the abstract is the text below the metadata lines",
    "abstract": "the abstract is the text below the metadata lines",
}


# The public names of Pelican's Content (methods and attributes a header key
# would shadow: ``Content: x`` would replace the page's HTML) and of our model's
# classes. Written out here because the model imports this module; names with a
# leading ``_`` are refused anyway. tests/unit/test_pelican_hooks.py checks that these
# lists still cover dir(Paper) and dir(Conference) for the installed Pelican.
CONTENT_NAMES = frozenset({
    "content", "default_template", "filename", "get_content",
    "get_relative_source_path", "get_siteurl", "get_static_links", "get_summary",
    "get_url_setting", "is_valid", "mandatory_properties",
    "refresh_metadata_intersite_links", "relative_dir", "status", "url_format",
})  # fmt: skip
MODEL_NAMES = {
    "conference": frozenset(
        {
            "refused_links",
            "renew",
            "start_grouping",
            "date_iso",
            "date_label",
            "date_precision",
            "end_iso",
            "end_label",
        }
    ),
    "paper": frozenset(
        {
            "refused_links",
            "renew",
            "start_grouping",
            "link",
            "preview",
            "summary_text",
            "awards",
            "badges",
            "date_iso",
            "date_label",
            "date_precision",
            "featured",
            "kind",
            "kind_label",
            "list_kind",
            "member_authors",
            "pages_label",
            "presentation",
            "publication",
        }
    ),
}


def reserved_keys(kind: str) -> frozenset[str]:
    """Every name a key of a ``kind`` file cannot take."""
    return _CONTENT_ATTRIBUTES | CONTENT_NAMES | MODEL_NAMES[kind]
