"""Paper images: checked at read time, measured for width and height."""

from __future__ import annotations

import functools
import os

from PIL import Image, UnidentifiedImageError

from .schema import WARNING, Problem, RawSource


def check_image(generator, source: RawSource, paper) -> list[Problem]:
    """A missing image is a warning: the card is shown without it."""
    path = os.path.join(generator.path, paper.image)
    if not os.path.isfile(path):
        paper.image = None
        return [
            Problem(
                source.path,
                source.line("image"),
                f"the image '{os.path.normpath(path)}' does not exist",
                "put the file there or correct the path (it is relative to content/)",
                WARNING,
            )
        ]
    # StaticGenerator copies it, wherever it is under content/.
    generator.context["static_links"].add(paper.image)
    return []


@functools.cache
def _size(path: str, mtime: float) -> tuple[int, int] | None:
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def image_size(path: str) -> tuple[int, int] | None:
    """(width, height) of an image file; Pillow reads only its header."""
    try:
        return _size(path, os.stat(path).st_mtime)
    except OSError:
        return None
