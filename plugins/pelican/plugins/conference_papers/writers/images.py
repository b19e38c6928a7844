"""Paper images: checked at read time, measured, and resized to WebP thumbnails."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..base import paths
from ..format.schema import WARNING, Problem, RawSource
from ..settings import setting

logger = logging.getLogger(__name__)


def check_image(content_path: str, source: RawSource, image: str) -> list[Problem]:
    """The problems of a paper's ``Image:`` (none: it can be used). A missing
    image is a warning: the card is shown without it; one that a symbolic link
    takes out of content/ is an error. The caller leaves the image out of the
    paper when there is one, and has StaticGenerator copy it otherwise."""
    # schema.image_path has refused '..' and URL characters already.
    _, reason = paths.resolve(content_path, image, "content/")
    if reason:
        return [
            Problem(
                source.path,
                source.line("image"),
                f"the image cannot be used: {reason}",
                "copy the image into content/images/ instead of linking to it",
            )
        ]
    path = os.path.join(content_path, image)
    if not os.path.isfile(path):
        return [
            Problem(
                source.path,
                source.line("image"),
                f"the image '{os.path.normpath(path)}' does not exist",
                "put the file there or correct the path (it is relative to content/)",
                WARNING,
            )
        ]
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


# --- thumbnails ----------------------------------------------------------------
#
# Posters are often multi-megabyte PNGs; a card shows a WebP resized to a few
# widths (``srcset``) and links the full image. Encoding is the slow part, so each
# thumbnail is kept in a cache keyed by the source (path, mtime, size) and the
# encoding settings: a rebuild copies it instead of encoding again. Pillow's WebP
# encoder gives the same bytes for the same pixels and settings, so builds stay
# byte-identical.

#: Bump when the way thumbnails are made changes: old cache entries then miss.
THUMBNAIL_VERSION = 1
_ORIENTATION = 0x0112  # the EXIF tag: phone photos are often stored sideways


@dataclass(frozen=True)
class Thumbnail:
    """One resized copy of an image: where it goes in the output, and its size."""

    save_as: str  # relative to the output folder, with "/" separators
    width: int
    height: int
    cached: str  # the encoded file in the cache


class Thumbnails:
    """Thumbnails of the papers' images for one build: made (or found in the
    cache) while the context is built, copied into the output with the pages."""

    def __init__(self, settings, content_path: str):
        self.content_path = content_path
        self.widths = sorted(set(setting(settings, "THUMBNAIL_WIDTHS")))
        self.quality = setting(settings, "THUMBNAIL_QUALITY")
        self.save_as = setting(settings, "THUMBNAIL_SAVE_AS")
        self.cache_dir = os.path.join(
            settings.get("CACHE_PATH") or "cache", "conference_papers", "thumbnails"
        )
        self.by_image: dict[str, list[Thumbnail]] = {}
        self.encoded = 0  # how many were encoded (not found in the cache)

    def make_all(self, images: list[str]) -> None:
        """Thumbnails of every image; a line of progress now and then, since the
        first build of a large site encodes for a while."""
        todo = sorted(set(images))
        for done, image in enumerate(todo, 1):
            self.make(image)
            if self.encoded and (done % 50 == 0 or done == len(todo)):
                logger.info(
                    "conference_papers: thumbnails of %d/%d images", done, len(todo)
                )

    def make(self, image: str) -> list[Thumbnail]:
        """The thumbnails of ``image`` (a path under content/), narrowest first;
        none when the widths are empty or Pillow cannot read the file."""
        if image in self.by_image or not self.widths:
            return self.by_image.get(image, [])
        if image.lower().endswith(".svg"):  # drawn at any size: shown as it is
            self.by_image[image] = []
            return []
        source = os.path.join(self.content_path, image)
        stem, _ = os.path.splitext(image.replace(os.sep, "/"))
        try:
            stat = os.stat(source)
            with Image.open(source) as opened:
                # The header gives the size: a rebuild decodes nothing when the
                # cache has every thumbnail.
                width, height = opened.size
                if opened.getexif().get(_ORIENTATION) in (5, 6, 7, 8):
                    width, height = height, width
                thumbnails = []
                # Never enlarge: widths past the image's own become its own width.
                for size in sorted({min(w, width) for w in self.widths}):
                    key = hashlib.sha256(
                        repr(
                            (
                                THUMBNAIL_VERSION,
                                image,
                                stat.st_mtime_ns,
                                stat.st_size,
                                size,
                                self.quality,
                            )
                        ).encode()
                    ).hexdigest()
                    thumbnails.append(
                        Thumbnail(
                            self.save_as.format(path=stem, width=size),
                            size,
                            max(1, round(height * size / width)),
                            os.path.join(self.cache_dir, key[:2], key + ".webp"),
                        )
                    )
                missing = [t for t in thumbnails if not os.path.isfile(t.cached)]
                if missing:
                    self._encode_all(opened, missing)
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
            logger.warning(
                "conference_papers: %s: no thumbnail (%s); the card shows the image",
                source,
                error,
            )
            thumbnails = []
        self.by_image[image] = thumbnails
        return thumbnails

    def _encode_all(self, opened: Image.Image, thumbnails: list[Thumbnail]) -> None:
        opened.load()
        picture = ImageOps.exif_transpose(opened)
        if picture.mode not in ("RGB", "RGBA"):
            has_alpha = "A" in picture.mode or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        for thumbnail in thumbnails:
            self._encode(picture, (thumbnail.width, thumbnail.height), thumbnail.cached)

    def _encode(self, picture: Image.Image, size: tuple[int, int], cached: str):
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        resized = picture.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        # Written beside, then renamed: a stopped build leaves no half file.
        partial = f"{cached}.{os.getpid()}.part"
        resized.save(partial, "WEBP", quality=self.quality, method=4)
        os.replace(partial, cached)
        self.encoded += 1

    def write(self, output_path: str) -> list[str]:
        """Copy every thumbnail of this build into the output; their paths
        (the generator records them: one of an image gone is removed)."""
        written = []
        for thumbnails in self.by_image.values():
            for thumbnail in thumbnails:
                target = os.path.join(output_path, *thumbnail.save_as.split("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(thumbnail.cached, target)
                written.append(target)
        return written


def withhold_svg(generator) -> None:
    """Leave SVG files of content/ out of the site (Pelican's
    ``static_generator_finalized``), unless ``CONFERENCE_PAPERS_PUBLISH_SVG``.

    An SVG is a document, not a picture: opened by itself (a link to
    ``/images/x.svg``, or its address typed in) its ``<script>`` and ``onload``
    run on the site's origin, with the site's cookies and storage. Showing it
    only through ``<img>`` (where scripts do not run) cannot be enforced: any
    published file can be opened directly. So a contributor's SVG is not
    published; the theme's own icons are not content and are not touched.
    """
    if setting(generator.settings, "PUBLISH_SVG"):
        return
    withheld = [
        static
        for static in generator.staticfiles
        if static.source_path.lower().endswith(".svg")
    ]
    for static in withheld:
        generator.staticfiles.remove(static)
        relative = static.get_relative_source_path()
        generator.context.get("static_content", {}).pop(relative, None)
        logger.warning(
            "conference_papers: content/%s is not published: an SVG opened by "
            "itself runs its scripts on the site's address; convert it to PNG or "
            "WebP, or set CONFERENCE_PAPERS_PUBLISH_SVG = True for SVGs you made",
            relative,
        )
