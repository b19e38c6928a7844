"""Files the plugin writes beside Pelican's pages: feeds and citation files.

A file whose bytes are already on disk is not written again (its mtime stays:
see ``base.unchanged``)."""

from __future__ import annotations

import logging
import os

from ..base.unchanged import write_bytes

logger = logging.getLogger(__name__)

#: Every file written (or found unchanged) by this process since the last
#: ``take_written``: the generator removes those of the last build that this
#: one no longer writes (a removed paper's citation files).
_written: set[str] = set()


def take_written() -> set[str]:
    """The files of ``write_output_file`` since the last call (then none)."""
    taken = set(_written)
    _written.clear()
    return taken


def write_output_file(output_path: str, relative: str, data: str | bytes) -> bool:
    """Write ``data`` (text as UTF-8) at ``relative`` below ``output_path``.

    A path that would leave the output folder (a slug or a ..._SAVE_AS setting
    gone wrong) is refused with an error: False, nothing written.
    """
    root = os.path.realpath(output_path)
    target = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, target]) != root:
        logger.error(
            "conference_papers: not writing %s: it leaves the output folder "
            "(check the slug and the CONFERENCE_PAPERS_* path settings)",
            relative,
        )
        return False
    os.makedirs(os.path.dirname(target), exist_ok=True)
    _written.add(os.path.join(output_path, relative))
    write_bytes(target, data.encode("utf-8") if isinstance(data, str) else data)
    return True
