"""Draw Hallway's icons (an "H" of two people facing each other) into static/icons/ with Pillow."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (29, 78, 216, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size, maskable=False):
    """Return the icon at size px; a maskable one keeps the mark inside the 80% safe zone."""
    image = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    scale = 0.55 if maskable else 0.7
    unit = size * scale / 10
    left = (size - 10 * unit) / 2
    top = (size - 10 * unit) / 2
    for x in (0, 7):  # the two people: a head and a body each
        pen.ellipse((left + x * unit, top, left + (x + 3) * unit, top + 3 * unit), fill=WHITE)
        pen.rectangle(
            (left + x * unit, top + 3.5 * unit, left + (x + 3) * unit, top + 10 * unit), fill=WHITE
        )
    pen.rectangle((left + 3 * unit, top + 5.5 * unit, left + 7 * unit, top + 7 * unit), fill=WHITE)
    return image


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(48).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
