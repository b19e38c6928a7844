"""Draw the example site's member photos (content/images/members/*.png).

The demo members are real people whose photos are not ours to use: these are
plain initials avatars, honest placeholders, drawn with Pillow. Deterministic:
running it again changes no byte. Run: .venv/bin/python docs/example_avatars.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "content" / "images" / "members"
SIZE = 512
MEMBERS = {
    "margret-keuper": ("MK", "#2f6fb3"),
    "paul-gavrikov": ("PG", "#3d7f5a"),
    "julia-grabinski": ("JG", "#9b4d96"),
}


def avatar(initials: str, colour: str) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=200)
    draw.text((SIZE / 2, SIZE / 2), initials, fill="white", font=font, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for slug, (initials, colour) in MEMBERS.items():
        avatar(initials, colour).save(OUT / f"{slug}.png", optimize=True)


if __name__ == "__main__":
    main()
