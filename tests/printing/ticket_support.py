"""Helpers for the kiosk ticket tests: sample slips, a readable skeleton of an ESC/POS stream, the golden
files, and finding a rendered reference (the ticket number) inside a decoded ticket image."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import PIL
from PIL import Image

from counter_app.domain.ticket_slip import TicketSlip
from devices.escpos_stream import RASTER_PREFIX, decode_raster, split_commands

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
REGENERATE = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/printing/test_ticket.py -k golden"

ISSUED = datetime(2026, 1, 5, 1, 5, tzinfo=UTC)  # 08:05 in Hà Nội / TP.HCM
REPRINTED = datetime(2026, 1, 5, 2, 15, tzinfo=UTC)  # 09:15


def make_slip(**changes: Any) -> TicketSlip:
    """A priority ticket with three citizens ahead, unless ``changes`` say otherwise."""
    values: dict[str, Any] = {
        "centre_name": "Trung tâm Phục vụ hành chính công phường Bến Thành",
        "service_name": "Hộ tịch – Chứng thực",
        "number": "A023",
        "priority": False,
        "issued_at": ISSUED,
        "people_ahead": 3,
        "estimated_wait": timedelta(minutes=11, seconds=20),
        "lookup_reference": "20260105:A023",
        "reprinted_at": None,
    }
    values.update(changes)
    return TicketSlip(**values)


def skeleton(data: bytes) -> str:
    """One line per command: its bytes in hex, except rasters (``raster WxH sha256``) and text runs.

    Readable in a diff: a moved line, a changed size or a new command shows as such, and a changed
    glyph shows as a changed hash on the one raster that holds it.
    """
    commands, consumed = split_commands(data)
    lines = [f"# {len(data)} bytes, {len(commands)} commands; rasters drawn by Pillow {PIL.__version__}"]
    for command in commands:
        if command.startswith(RASTER_PREFIX):
            width_bytes = int.from_bytes(command[4:6], "little")
            height = int.from_bytes(command[6:8], "little")
            digest = hashlib.sha256(command[8:]).hexdigest()[:16]
            lines.append(f"raster {width_bytes * 8}x{height} m={command[3]} sha256:{digest}")
        elif command[0] in (0x1B, 0x1D, 0x10, 0x1C):
            lines.append(command.hex(" "))
        else:
            lines.append(f"text {command!r}")
    if consumed != len(data):
        lines.append(f"# {len(data) - consumed} bytes left over: {data[consumed:][:16].hex(' ')}")
    return "\n".join(lines) + "\n"


def check_golden(name: str, actual: str) -> None:
    """Compare with ``golden/<name>``; with ``UPDATE_GOLDEN=1`` in the environment, rewrite it instead."""
    path = GOLDEN_DIR / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden {path}; create it with: {REGENERATE}"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"the ticket layout differs from {path} (diff the two to see where). If the change is intended "
        f"(or Pillow was upgraded: hashes change with its FreeType), look at the ticket, then regenerate "
        f"with: {REGENERATE}"
    )


def ticket_image(data: bytes) -> Image.Image:
    """Every raster of the stream pasted one under the other: the ticket as the printer draws it."""
    images = decode_raster(data)
    width = max(image.width for image in images)
    sheet = Image.new("1", (width, sum(image.height for image in images)), 255)
    top = 0
    for image in images:
        sheet.paste(image, (0, top))
        top += image.height
    return sheet


def ink(image: Image.Image) -> Image.Image:
    """``image`` cropped to its black pixels."""
    grey = image.convert("L")
    box = grey.point(lambda value: 255 - value).getbbox()
    assert box is not None, "the reference image is blank"
    return grey.crop(box)


def find_exact(haystack: Image.Image, needle: Image.Image) -> tuple[int, int] | None:
    """Where ``needle`` appears pixel for pixel in ``haystack`` (top-left corner), or None.

    Row by row with ``bytes.find``: fast enough for a whole ticket without numpy, and exact (every pixel
    of the needle, black and white, must match).
    """
    big, small = haystack.convert("L"), needle.convert("L")
    width, height = big.size
    needle_width, needle_height = small.size
    big_bytes, small_bytes = big.tobytes(), small.tobytes()
    big_rows = [big_bytes[y * width : (y + 1) * width] for y in range(height)]
    small_rows = [small_bytes[y * needle_width : (y + 1) * needle_width] for y in range(needle_height)]
    for top in range(height - needle_height + 1):
        start = big_rows[top].find(small_rows[0])
        while start >= 0:
            if all(
                big_rows[top + row][start : start + needle_width] == small_rows[row]
                for row in range(1, needle_height)
            ):
                return start, top
            start = big_rows[top].find(small_rows[0], start + 1)
    return None
