"""Vietnamese text as 1-bit raster images for thermal printers, and their ESC/POS ``GS v 0`` command.

Printers' Vietnamese code pages are unreliable, so every line holding Vietnamese is drawn here with the
product's own font (DejaVu Sans, shipped in ``counter_app.assets``) into an image exactly the printer's dot
width (384 dots for 58 mm paper, 576 for 80 mm), and sent as ``GS v 0``. This is the encoding half only:
reading a stream back (the simulator, the tests) is ``devices.escpos_stream``'s job, so that devices/ never
needs printing/ and printing/ never needs the wire.

Images are Pillow mode ``"1"``: pixel 0 is black (a printed dot), 255 is white paper.
"""

from __future__ import annotations

import functools
from enum import IntEnum

from PIL import Image, ImageDraw, ImageFont

from counter_app.assets import font_path

DOTS_58MM = 384
DOTS_80MM = 576
PRINTER_DOTS = (DOTS_58MM, DOTS_80MM)

BASE_PIXELS = 24
"""Font size (em, in dots) of ``size=1``: the height of the printers' own font A (12 x 24 dots)."""
MAX_SIZE = 8
MAX_RASTER_ROWS = 960
"""Taller images are sent as several ``GS v 0`` blocks (printers' receive buffers are small)."""

RASTER_PREFIX = b"\x1d\x76\x30"  # GS v 0

# The tallest and the deepest Vietnamese letters: stacked marks on capitals rise above the font's ascent.
_TALL = "ẪẴỄỖỠỮỸẤẦẨẬẮẰẲẶẾỀỂỆỐỒỔỘỚỜỞỢỨỪỬỰỲỶỴÁÀẢÃẠĐ"
_DEEP = "gjpqyỵẠỌỴỰỆ"


class Align(IntEnum):
    """Horizontal alignment; the values are ESC a's ``n``."""

    LEFT = 0
    CENTER = 1
    RIGHT = 2


@functools.lru_cache(maxsize=32)
def load_font(pixels: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (Bold) at ``pixels`` dots per em, from the package (never from the system)."""
    return ImageFont.truetype(str(font_path(bold)), pixels)


@functools.lru_cache(maxsize=32)
def _line_box(pixels: int, bold: bool) -> tuple[int, int]:
    """(rows above the baseline, rows below it) that hold every Vietnamese letter of this font size."""
    font = load_font(pixels, bold)
    ascent, descent = font.getmetrics()
    _, top, _, _ = font.getbbox(_TALL, anchor="ls")
    _, _, _, bottom = font.getbbox(_DEEP, anchor="ls")
    return max(ascent, -int(top)), max(descent, int(bottom))


def font_pixels(size: int) -> int:
    if not 1 <= size <= MAX_SIZE:
        raise ValueError(f"text size must be 1..{MAX_SIZE}, got {size}")
    return BASE_PIXELS * size


def wrap_text(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap to ``width`` dots; a word longer than a line is broken between letters.

    Explicit newlines start new lines; an empty text gives one empty line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if font.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            for letter in word:
                if current and font.getlength(current + letter) > width:
                    lines.append(current)
                    current = ""
                current += letter
        lines.append(current)
    return lines


def render_text(
    text: str,
    dots: int,
    *,
    size: int = 1,
    bold: bool = False,
    align: Align = Align.LEFT,
    margin: int = 0,
    wrap: bool = True,
    headline: bool = False,
) -> Image.Image:
    """``text`` drawn black on white, mode ``"1"``, exactly ``dots`` wide; wrapped to several lines if needed.

    ``size`` multiplies the base size (1 = 24-dot em, like the printer's font A; 1..8 like ``GS !``).
    Every line gets the same height, tall enough for the stacked marks of Vietnamese capitals (Ẫ, Ỗ…)
    and the dots below (ỵ, ạ), so nothing is clipped and lines of a ticket line up evenly.
    With ``wrap=False`` a line too long for the paper is cut at the right edge (never wrapped).
    ``headline`` is for the big ticket number: its black pixels are centred (at that size the side
    bearings of "A" and "3" differ by many dots and the number looks pushed aside) and the image is cut to
    its ink plus the usual gap. The line box is sized for Ẫ's stacked marks, which a ticket number never
    has: kept, its empty rows cost about 10 KB, some 9 s on a 9600-baud printer.
    """
    if dots <= 0 or dots % 8:
        raise ValueError(f"dot width must be a positive multiple of 8, got {dots}")
    if not 0 <= margin < dots // 2:
        raise ValueError(f"margin {margin} does not fit {dots} dots")
    pixels = font_pixels(size)
    font = load_font(pixels, bold)
    usable = dots - 2 * margin
    lines = wrap_text(text, font, usable) if wrap else text.split("\n")
    above, below = _line_box(pixels, bold)
    for line in lines:  # letters outside Vietnamese (symbols, other scripts) may reach further
        if line:
            _, top, _, bottom = font.getbbox(line, anchor="ls")
            above, below = max(above, -int(top)), max(below, int(bottom))
    gap = max(2, pixels // 8)
    line_height = above + below + gap
    # Drawn anti-aliased in grey, then thresholded: strokes come out fuller than FreeType's 1-bit
    # rendering, which thermal heads print faintly.
    image = Image.new("L", (dots, line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        if not line:
            continue
        width = font.getlength(line)
        if align == Align.CENTER:
            x = margin + (usable - width) / 2
        elif align == Align.RIGHT:
            x = dots - margin - width
        else:
            x = margin
        baseline = index * line_height + gap // 2 + above
        draw.text((max(margin, round(x)), baseline), line, font=font, fill=0, anchor="ls")
    bitmap = _to_one_bit(image)
    if headline:
        if align == Align.CENTER:
            for index in range(len(lines)):
                _centre_band(bitmap, index * line_height, line_height)
        bitmap = _trim_rows(bitmap, gap)
    return bitmap


def _trim_rows(bitmap: Image.Image, keep: int) -> Image.Image:
    """The image without its empty rows above and below the ink, but ``keep`` rows each side."""
    box = bitmap.point(lambda value: 255 - value).getbbox()
    if box is None:
        return bitmap
    _, top, _, bottom = box
    return bitmap.crop((0, max(0, top - keep), bitmap.width, min(bitmap.height, bottom + keep)))


def _centre_band(bitmap: Image.Image, top: int, height: int) -> None:
    """Move the printed dots of one line so that the white left and right of them are equal."""
    band = bitmap.crop((0, top, bitmap.width, top + height))
    box = band.point(lambda value: 255 - value).getbbox()
    if box is None:
        return
    left, _, right, _ = box
    ink = band.crop((left, 0, right, height))
    band.paste(255, (0, 0, band.width, height))
    band.paste(ink, ((bitmap.width - (right - left)) // 2, 0))
    bitmap.paste(band, (0, top))


def _to_one_bit(image: Image.Image) -> Image.Image:
    if image.mode == "1":
        return image
    return image.convert("L").point(lambda value: 0 if value < 128 else 255, mode="1")


def raster_bytes(image: Image.Image, mode: int = 0) -> bytes:
    """The ``GS v 0`` command printing ``image``: ``1D 76 30 m xL xH yL yH`` then rows of packed bits.

    x is the width in bytes (the width rounded up to 8 dots; the padding is white), y the height in
    dots; bit 7 of each byte is the leftmost dot and 1 prints a dot (black). ``mode`` is ``m`` (0 normal).
    """
    bitmap = _to_one_bit(image)
    width, height = bitmap.size
    width_bytes = (width + 7) // 8
    if width_bytes == 0 or height == 0:
        raise ValueError("cannot rasterise an empty image")
    if width_bytes > 0xFFFF or height > 0xFFFF:
        raise ValueError(f"image {width}x{height} too large for one GS v 0 block")
    if mode not in (0, 1, 2, 3, 48, 49, 50, 51):
        raise ValueError(f"GS v 0 mode must be 0..3 or 48..51, got {mode}")
    if width % 8:
        padded = Image.new("1", (width_bytes * 8, height), 255)
        padded.paste(bitmap, (0, 0))
        bitmap = padded
    header = RASTER_PREFIX + bytes((mode,)) + width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
    # Pillow packs mode "1" with 1 = white; the inverted packer gives the printer's 1 = black.
    return header + bitmap.tobytes("raw", "1;I")


def raster_blocks(image: Image.Image, max_rows: int = MAX_RASTER_ROWS) -> bytes:
    """``image`` as consecutive ``GS v 0`` blocks of at most ``max_rows`` rows each."""
    width, height = image.size
    return b"".join(
        raster_bytes(image.crop((0, top, width, min(height, top + max_rows))))
        for top in range(0, height, max_rows)
    )
