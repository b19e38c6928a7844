"""Timeline values and Bluesky facets without a site: an account line names its
provider or is refused, facets count bytes; the fetch and the pages are in
tests/site/test_timeline.py."""

from __future__ import annotations

import pytest

from pelican.plugins.conference_papers.base.accounts import AccountError, parse_account
from pelican.plugins.conference_papers.timeline_fetch.bluesky import bluesky_html

from ..site.test_timeline import facet


@pytest.mark.parametrize(
    ("value", "handle", "profile"),
    [
        (
            "mastodon @KeuperLabs@sigmoid.social",
            "@KeuperLabs@sigmoid.social",
            "https://sigmoid.social/@KeuperLabs",
        ),
        (
            "Mastodon https://sigmoid.social/@KeuperLabs",
            "@KeuperLabs@sigmoid.social",
            "https://sigmoid.social/@KeuperLabs",
        ),
        (
            "bluesky keuperlabs.bsky.social",
            "@keuperlabs.bsky.social",
            "https://bsky.app/profile/keuperlabs.bsky.social",
        ),
        (
            "bluesky https://bsky.app/profile/keuperlabs.bsky.social",
            "@keuperlabs.bsky.social",
            "https://bsky.app/profile/keuperlabs.bsky.social",
        ),
        ("x KeuperLabs", "@KeuperLabs", "https://x.com/KeuperLabs"),
        (
            "twitter https://twitter.com/KeuperLabs",
            "@KeuperLabs",
            "https://x.com/KeuperLabs",
        ),
    ],
)
def test_timeline_values_name_an_account(value, handle, profile):
    account = parse_account(value)
    assert (account.handle, account.profile_url) == (handle, profile)


@pytest.mark.parametrize(
    "value",
    [
        "mastodon",
        "myspace KeuperLabs",
        "mastodon KeuperLabs",
        "mastodon http://sigmoid.social/@KeuperLabs",
        "mastodon @Keuper Labs@sigmoid.social",
        "bluesky not_a_handle",
        "x Keuper-Labs",
        "x https://evil.example/KeuperLabs",
    ],
)
def test_bad_timeline_values_are_refused(value):
    with pytest.raises(AccountError):
        parse_account(value)


def test_bluesky_facets_count_bytes_not_characters():
    text = "🎉 paper: example.org"
    html = bluesky_html(
        text,
        [
            facet(
                text,
                "example.org",
                {
                    "$type": "app.bsky.richtext.facet#link",
                    "uri": "https://example.org/",
                },
            )
        ],
    )
    assert html == '<p>🎉 paper: <a href="https://example.org/">example.org</a></p>'
