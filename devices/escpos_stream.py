"""Reading an ESC/POS byte stream: splitting it into commands and decoding ``GS v 0`` rasters to images.

This is the wire side of ticket printing. The printer simulator uses it to tell tickets, status queries
and images apart in what it receives; tests use it to check what went out. Building the bytes is
printing/'s job (``printing.escpos``, ``printing.raster``); devices/ never imports printing/, so the two
halves share nothing but the ESC/POS contract (shared/devices/printers-and-scanners.md).

Images are Pillow mode ``"1"``: pixel 0 is black (a printed dot), 255 is white paper.
"""

from __future__ import annotations

from PIL import Image

ESC = 0x1B
GS = 0x1D
DLE = 0x10
FS = 0x1C
RASTER_PREFIX = b"\x1d\x76\x30"  # GS v 0


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
