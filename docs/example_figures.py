"""Draw the example site's paper figures (content/images/neurips22/*.png).

The demo papers are real, their figures are not ours to copy: these are plots of
the kind each paper has (a reliability diagram, learned filters, accuracy against
JPEG quality), drawn with Pillow from made-up numbers, and each says so in its
caption. Card-sized (960 x 640) and deterministic: running it again changes no
byte. Run: .venv/bin/python docs/example_figures.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "content" / "images" / "neurips22"
SIZE = (960, 640)
INK, GRID, BLUE, ORANGE = "#1f2933", "#d9dee3", "#2f6fb3", "#d9822b"
CAPTION = "Example figure, drawn for this demo site (not from the paper)"


def font(size: int):
    return ImageFont.load_default(size=size)


def canvas(title: str):
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 24), title, fill=INK, font=font(30))
    draw.text((40, SIZE[1] - 44), CAPTION, fill="#52606d", font=font(20))
    return image, draw


def axes(draw, box, xlabel: str, ylabel: str):
    left, top, right, bottom = box
    for i in range(6):
        y = bottom - (bottom - top) * i / 5
        draw.line((left, y, right, y), fill=GRID, width=1)
        draw.text((left - 44, y - 10), f"{i / 5:.1f}", fill=INK, font=font(16))
    draw.line((left, bottom, right, bottom), fill=INK, width=2)
    draw.line((left, top, left, bottom), fill=INK, width=2)
    draw.text(((left + right) / 2 - 60, bottom + 28), xlabel, fill=INK, font=font(18))
    draw.text((left - 10, top - 34), ylabel, fill=INK, font=font(18))


def reliability() -> Image.Image:
    image, draw = canvas("Reliability: confidence vs. accuracy")
    box = (110, 120, 900, 520)
    axes(draw, box, "confidence", "accuracy")
    left, top, right, bottom = box
    width = (right - left) / 10
    for i in range(10):
        confidence = (i + 0.5) / 10
        standard = max(0.0, confidence - 0.18 * confidence**2 - 0.05)
        robust = min(1.0, confidence - 0.03 * math.sin(i))
        for offset, value, colour in ((0.1, standard, ORANGE), (0.5, robust, BLUE)):
            x = left + i * width + offset * width
            draw.rectangle(
                (x, bottom - value * (bottom - top), x + 0.4 * width, bottom),
                fill=colour,
            )
    draw.line((left, bottom, right, top), fill=INK, width=2)
    legend(draw, [(ORANGE, "standard model"), (BLUE, "robust model")])
    return image


def filters() -> Image.Image:
    image, _draw = canvas("First-layer filters, 3 x 3")
    rng = random.Random(22)
    for row in range(4):
        for col in range(8):
            kernel = Image.new("RGB", (3, 3))
            for i in range(3):
                for j in range(3):
                    shade = int(127 + 120 * rng.uniform(-1, 1))
                    kernel.putpixel((j, i), (shade, shade, 255 - shade // 2))
            # Smoothly interpolated, as filter visualisations usually are.
            tile = kernel.resize((90, 90), Image.Resampling.BICUBIC)
            image.paste(tile, (60 + col * 108, 100 + row * 108))
    return image


def quality() -> Image.Image:
    image, draw = canvas("Accuracy against JPEG quality")
    box = (110, 120, 900, 520)
    axes(draw, box, "JPEG quality", "accuracy")
    left, top, right, bottom = box
    for colour, drop in ((ORANGE, 0.55), (BLUE, 0.25)):
        points = []
        for step in range(11):
            q = step / 10
            accuracy = 0.92 - drop * (1 - q) ** 2
            points.append(
                (left + q * (right - left), bottom - accuracy * (bottom - top))
            )
        draw.line(points, fill=colour, width=4)
        for x, y in points:
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=colour)
    legend(draw, [(ORANGE, "trained on clean images"), (BLUE, "trained with JPEG")])
    return image


def legend(draw, entries):
    for k, (colour, label) in enumerate(entries):
        y = 130 + k * 30
        draw.rectangle((140, y, 160, y + 20), fill=colour)
        draw.text((170, y - 1), label, fill=INK, font=font(18))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in (
        ("robust-models", reliability),
        ("medical-imaging-filters", filters),
        ("trading-off-image-quality", quality),
    ):
        draw().save(OUT / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
