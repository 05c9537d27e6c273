"""A drawing as the wall shows it: enlarged, framed in the colour of the student's mark, with a ✓ or ✗ badge in
its corner, so a room reads right and wrong on the picture itself; the shape says it as well as the colour."""

from __future__ import annotations

import base64
import io

from PIL import Image, ImageDraw

from dlplay import colours

FRAME = 0.06  # of the tile's side: a frame seen from the back of a room
BADGE = 0.16  # the badge's radius, of the tile's side
SMOOTH = 4  # the badge is drawn this many times larger, then shrunk: smooth edges around square pixels
# The ✓ and the ✗ in a badge of side 1 (its top-left corner at 0, 0).
TICK = [(0.27, 0.53), (0.43, 0.69), (0.74, 0.34)]
CROSS = [[(0.31, 0.31), (0.69, 0.69)], [(0.69, 0.31), (0.31, 0.69)]]


def tile(pixels: bytes, size: int, right: bool | None) -> Image.Image:
    """The drawing (its 28 × 28 bytes) in a `size` px square: inside a frame green for marked right, red for
    wrong, black (the drawing's own ground) while unmarked, so every drawing is enlarged alike."""
    frame = max(3, round(size * FRAME))
    colour = {True: colours.RIGHT, False: colours.WRONG}.get(right, "#000000")
    out = Image.new("RGB", (size, size), colour)
    inner = Image.frombytes("L", (28, 28), pixels).resize((size - 2 * frame,) * 2, Image.NEAREST)
    out.paste(inner.convert("RGB"), (frame, frame))
    if right is not None:
        badge = mark_badge(right, 2 * round(size * BADGE))
        out.paste(badge, (size - badge.width - frame // 2, frame // 2), badge)
    return out


def mark_badge(right: bool, side: int) -> Image.Image:
    """A disc in the mark's colour with a white ✓ or ✗, `side` px across, transparent around it."""
    big = side * SMOOTH
    badge = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(badge)
    draw.ellipse((0, 0, big - 1, big - 1), fill=colours.RIGHT if right else colours.WRONG, outline="white",
                 width=max(SMOOTH, big // 14))
    width = max(SMOOTH, big // 9)
    for line in [TICK] if right else CROSS:
        draw.line([(x * big, y * big) for x, y in line], fill="white", width=width, joint="curve")
    return badge.resize((side, side), Image.LANCZOS)


def tile_data_url(pixels: bytes, size: int, right: bool | None) -> str:
    """The tile as a PNG in a data URL (the teacher's screen sends its pictures inside its update)."""
    out = io.BytesIO()
    tile(pixels, size, right).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
