"""The one pin of tests/unit/test_pelican_hooks.py that needs a build: a rebuild in the
same process says the warnings of the build before again."""

from __future__ import annotations

import logging


def test_a_rebuild_says_the_warnings_of_the_build_before_again(site, caplog):
    site.write(
        "papers/neurips-2022/demo.md",
        "Title: A Demo\nAuthors: Ada Lovelace\nTrack: Demo\n\nAn abstract.\n",
    )
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            site.build()
        assert "the track 'Demo' is not one of the tracks" in caplog.text
