"""A post's images, downloaded into the staging folder and checked there: only
PNG, JPEG, GIF and WebP within a size and a pixel budget (and all of a
snapshot's images within MEDIA_TOTAL) are kept; the page never hot-links an
image, so a URL that cannot be used leaves the image out.

A failure that may pass (HTTP 429, a server error, no answer in time) is not
left out but stops the fetch: a snapshot published without an image that only
failed this once would drop it, and its file, for good.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..base.text import clean_text
from ..base.urls import url_problem
from .client import FetchError, Transient

MEDIA_LIMIT = 16_000_000
# All images of one snapshot: they are committed to the site's repository.
MEDIA_TOTAL = 200_000_000
# A post's image is shown at most a few hundred pixels wide: 40 million pixels
# is a large photograph, and bounds the memory Pillow needs to check one.
MEDIA_PIXELS = 40_000_000
_IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class ImageProblem(ValueError):
    """Why a downloaded file is not an image to keep."""


def download_image(fetcher, url: str, folder: Path, name: str):
    """The image at ``url`` saved as ``folder/name.ext``: (file name, width, height),
    or None when it cannot be used (it is then left out, never hot-linked)."""
    used = sum(path.stat().st_size for path in folder.iterdir())
    if used >= MEDIA_TOTAL:
        fetcher.progress(
            f"  image left out: the snapshot's images passed {MEDIA_TOTAL:,} bytes"
        )
        return None
    try:
        problem = url_problem(url)
        if problem:
            raise FetchError(f"refusing to fetch {clean_text(url)[:200]}: {problem}")
        fetcher.check_url(url)
        body = fetcher.get(url, "an image", "image/*", MEDIA_LIMIT)
    except Transient as error:
        raise Transient(f"an image: {error}") from None
    except FetchError as error:
        fetcher.progress(f"  image left out: {error}")
        return None
    try:
        kind, width, height = image_kind(body)
    except ImageProblem as error:
        fetcher.progress(f"  image left out: {error}")
        return None
    filename = f"{name}.{_IMAGE_FORMATS[kind]}"
    (folder / filename).write_bytes(body)
    return filename, width, height


def image_kind(body: bytes) -> tuple[str, int, int]:
    """(Pillow's format, width, height) of an image to keep, else ImageProblem."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: an image
            # that large is left out as well (a decompression bomb).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(body)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MEDIA_PIXELS:
                    raise Image.DecompressionBombError
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            f"too many pixels (more than {MEDIA_PIXELS // 1_000_000} million)"
        ) from None
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):
        raise ImageProblem("not a PNG, JPEG, GIF or WebP file") from None
    if kind not in _IMAGE_FORMATS:
        raise ImageProblem(f"{kind} is not PNG, JPEG, GIF or WebP")
    return kind, width, height
