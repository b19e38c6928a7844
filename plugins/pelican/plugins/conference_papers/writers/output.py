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
    """The files written by ``OutputFolder`` since the last call (then none)."""
    taken = set(_written)
    _written.clear()
    return taken


class OutputFolder:
    """The output folder, for a batch of files: each folder's real path is
    worked out once and the folder made once.

    Whether a file stays inside the output folder is decided on real paths
    (a symbolic link in a slug's folder could point anywhere). ``realpath``
    asks the file system about every part of a path: for 2,102 citation files
    that was most of their cost in a warm build. Here a folder's real path is
    its parent's (known already) and its name, unless it is a link itself: one
    ``lstat`` a new folder, one a file (the file may be a link as well).
    """

    def __init__(self, output_path: str):
        self.output_path = output_path
        self.root = os.path.realpath(output_path)
        #: folder (as joined) -> its real path
        self._real: dict[str, str] = {self.root: self.root}
        self._made: set[str] = set()

    def _real_path(self, path: str) -> str:
        """``os.path.realpath(path)``, with the folders of earlier calls known."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or folder == path:
            return os.path.realpath(path)
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = self._real_path(folder)
        joined = os.path.join(real, name)
        return os.path.realpath(joined) if os.path.islink(joined) else joined

    def inside(self, relative: str) -> str | None:
        """The real path of ``relative`` below the folder, or None (and an
        error) for a path that would leave it: a slug or a ..._SAVE_AS
        setting gone wrong."""
        target = self._real_path(os.path.join(self.root, relative))
        if os.path.commonpath([self.root, target]) != self.root:
            logger.error(
                "conference_papers: not writing %s: it leaves the output folder "
                "(check the slug and the CONFERENCE_PAPERS_* path settings)",
                relative,
            )
            return None
        return target

    def write(self, relative: str, data: str | bytes | bytearray) -> bool:
        """Write ``data`` (text as UTF-8) at ``relative`` below the folder;
        False, and nothing written, for a path ``inside`` refuses."""
        target = self.inside(relative)
        if target is None:
            return False
        folder = os.path.dirname(target)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        _written.add(os.path.join(self.output_path, relative))
        write_bytes(target, data.encode("utf-8") if isinstance(data, str) else data)
        return True
