"""Vietnamese text as 1-bit raster images for thermal printers, and the ESC/POS ``GS v 0`` command both ways.

Printers' Vietnamese code pages are unreliable, so every line holding Vietnamese is drawn here with the
product's own font (DejaVu Sans, shipped in ``counter_app.assets``) into an image exactly the printer's dot
width (384 dots for 58 mm paper, 576 for 80 mm), and sent as ``GS v 0``. ``decode_raster`` turns the bytes
back into pixel-identical images, for tests and for the printer simulator.

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

ESC = 0x1B
GS = 0x1D
DLE = 0x10
FS = 0x1C
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
) -> Image.Image:
    """``text`` drawn black on white, mode ``"1"``, exactly ``dots`` wide; wrapped to several lines if needed.

    ``size`` multiplies the base size (1 = 24-dot em, like the printer's font A; 1..8 like ``GS !``).
    Every line gets the same height, tall enough for the stacked marks of Vietnamese capitals (Ẫ, Ỗ…)
    and the dots below (ỵ, ạ), so nothing is clipped and lines of a ticket line up evenly.
    With ``wrap=False`` a line too long for the paper is cut at the right edge (never wrapped).
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
    return _to_one_bit(image)


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


def decode_raster(data: bytes) -> list[Image.Image]:
    """Every ``GS v 0`` image in an ESC/POS byte stream, in order (mode ``"1"``, 0 = black).

    The stream is walked command by command (see ``split_commands``), so bytes that merely look like
    ``GS v 0`` inside other commands' data are not mistaken for images. A truncated raster raises
    ``ValueError``.
    """
    commands, consumed = split_commands(data)
    if consumed < len(data) and data[consumed:].startswith(RASTER_PREFIX):
        raise ValueError(f"truncated GS v 0 block at byte {consumed}")
    return [image_of_raster(command) for command in commands if command.startswith(RASTER_PREFIX)]


def image_of_raster(command: bytes) -> Image.Image:
    """The image of one complete ``GS v 0`` command."""
    if not command.startswith(RASTER_PREFIX) or len(command) < 8:
        raise ValueError("not a GS v 0 command")
    width_bytes = int.from_bytes(command[4:6], "little")
    height = int.from_bytes(command[6:8], "little")
    payload = command[8:]
    if len(payload) != width_bytes * height:
        raise ValueError(f"GS v 0 header says {width_bytes}x{height} bytes, {len(payload)} follow")
    return Image.frombytes("1", (width_bytes * 8, height), payload, "raw", "1;I")


# --- walking an ESC/POS stream -------------------------------------------------------------------------

_ESC_TWO_BYTES = frozenset(b"@2<")
_GS_FOUR_BYTES = frozenset(b"LWP$\\")
_CUT_WITH_FEED = frozenset((65, 66, 97, 98, 103, 104))


def _command_length(data: bytes, start: int) -> int | None:
    """Length of the command at ``start``, or None if ``data`` ends before it does."""
    available = len(data) - start
    first = data[start]
    if first not in (ESC, GS, DLE, FS):
        end = start
        while end < len(data) and data[end] not in (ESC, GS, DLE, FS):
            end += 1
        return end - start  # a run of text (and LF/CR)
    if available < 2:
        return None
    second = data[start + 1]
    length: int | None
    if first == ESC:
        length = _esc_length(data, start, second)
    elif first == GS:
        length = _gs_length(data, start, second)
    elif first == DLE:
        length = 5 if second == 0x14 else 3 if second in (0x04, 0x05) else 1
    else:  # FS
        length = 2 if second in b"&." else 4 if second == ord("p") else 3
    if length is None or length > available:
        return None
    return length


def _esc_length(data: bytes, start: int, second: int) -> int | None:
    if second in _ESC_TWO_BYTES:
        return 2
    if second == ord("p"):
        return 5
    if second == ord("c"):
        return 4
    if second == ord("D"):  # tab positions, NUL-terminated
        end = data.find(b"\x00", start + 2)
        return None if end < 0 else end - start + 1
    if second == ord("*"):  # ESC * m nL nH d…: bit image, column format
        if len(data) - start < 5:
            return None
        columns = int.from_bytes(data[start + 3 : start + 5], "little")
        return 5 + columns * (1 if data[start + 2] in (0, 1) else 3)
    return 3


def _gs_length(data: bytes, start: int, second: int) -> int | None:
    available = len(data) - start
    if second == ord("v"):  # GS v 0 m xL xH yL yH d…
        if available < 8:
            return None
        width_bytes = int.from_bytes(data[start + 4 : start + 6], "little")
        height = int.from_bytes(data[start + 6 : start + 8], "little")
        return 8 + width_bytes * height
    if second == ord("("):  # GS ( fn pL pH d…
        if available < 5:
            return None
        return 5 + int.from_bytes(data[start + 3 : start + 5], "little")
    if second == ord("k"):  # GS k m …
        if available < 3:
            return None
        kind = data[start + 2]
        if kind <= 6:  # NUL-terminated data
            end = data.find(b"\x00", start + 3)
            return None if end < 0 else end - start + 1
        if available < 4:
            return None
        return 4 + data[start + 3]
    if second == ord("V"):
        if available < 3:
            return None
        return 4 if data[start + 2] in _CUT_WITH_FEED else 3
    if second in _GS_FOUR_BYTES:
        return 4
    return 3


def split_commands(data: bytes) -> tuple[list[bytes], int]:
    """Split an ESC/POS stream into commands (and runs of text); returns them and the bytes consumed.

    A command cut off at the end of ``data`` is left unconsumed, so a reader fed in chunks keeps
    ``data[consumed:]`` and prepends it to the next chunk. Unknown commands are given their most common
    length; anything at all can be fed in without raising.
    """
    commands: list[bytes] = []
    position = 0
    while position < len(data):
        length = _command_length(data, position)
        if length is None:
            break
        commands.append(bytes(data[position : position + length]))
        position += length
    return commands, position


def printed_text(data: bytes) -> list[str]:
    """The lines of plain text an ESC/POS stream prints (ASCII runs split at LF), for tests and logs."""
    commands, _ = split_commands(data)
    text = "".join(
        command.decode("ascii", "replace") for command in commands if command[0] not in (ESC, GS, DLE, FS)
    )
    lines = text.replace("\r", "").split("\n")
    return lines[:-1] if lines[-1] == "" else lines
