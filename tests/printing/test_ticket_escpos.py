"""Ticket bytes, printing/'s half of ESC/POS: Vietnamese rasters, ``GS v 0`` and the ticket builder.

Moved from tests/devices/test_printer.py when building tickets left devices/. The bytes are read back
with devices' stream walker (``devices.escpos_stream``), which is what the printer simulator uses.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PIL import Image, ImageChops, ImageOps

from devices.escpos_stream import decode_raster, printed_text
from printing import escpos, raster
from printing.escpos import TicketJob, TicketLine, build_ticket
from printing.raster import Align

WHEN = datetime(2026, 12, 7, 8, 0)
INIT = b"\x1b\x40"


def is_blank(image: Image.Image) -> bool:
    return ImageOps.invert(image.convert("L")).getbbox() is None


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_test_ticket_has_the_title_all_tone_marks_and_the_date() -> None:
    texts = [line.text for line in escpos.test_ticket_job(WHEN).lines]
    assert texts[0] == "PHIẾU IN THỬ"
    assert "Ảnh ẫ ậ ề ệ ỗ ợ ủ ữ ỵ Đđ" in texts
    assert "Ngày 07/12/2026 08:00" in texts


def test_vietnamese_renders_visibly_and_each_mark_differently() -> None:
    def draw(text: str) -> Image.Image:
        return raster.render_text(text, 384)

    assert not is_blank(draw("ả"))
    assert is_blank(draw(""))
    assert not same_pixels(draw("ả"), draw("ã"))
    assert not same_pixels(draw("ề"), draw("ể"))
    assert not same_pixels(draw("Đ"), draw("D"))
    assert not same_pixels(draw("ụ"), draw("u"))
    assert not same_pixels(draw("PHIẾU IN THỬ"), draw("PHIEU IN THU"))


@pytest.mark.parametrize("text", ["Ẫ", "Ỗ", "ỵ", "Ự", "ẪỴ"])
@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("bold", [False, True])
def test_nothing_is_clipped_top_or_bottom(text: str, size: int, bold: bool) -> None:
    image = raster.render_text(text, 576, size=size, bold=bold)
    left, top, right, bottom = ImageOps.invert(image.convert("L")).getbbox() or (0, 0, 0, 0)
    assert top > 0
    assert bottom < image.height  # getbbox's bottom is exclusive: a white row remains below
    assert right > left


def test_every_line_of_a_style_has_the_same_height() -> None:
    heights = {raster.render_text(text, 576).height for text in ("Ẫ", "a", "ỵ", "Ngày 07/12/2026", "")}
    assert len(heights) == 1


def test_long_text_wraps_within_the_paper() -> None:
    text = "Trung tâm Phục vụ hành chính công phường Bến Thành, Thành phố Hồ Chí Minh"
    one_line = raster.render_text("Trung tâm", 384)
    wrapped = raster.render_text(text, 384)
    assert wrapped.width == 384
    assert wrapped.height >= 3 * one_line.height
    assert wrapped.height % one_line.height == 0
    unwrapped = raster.render_text(text, 384, wrap=False)
    assert unwrapped.height == one_line.height


def test_alignment_moves_the_ink() -> None:
    def ink(align: Align) -> tuple[int, int, int, int] | None:
        return ImageOps.invert(raster.render_text("Số", 576, align=align).convert("L")).getbbox()

    left, centre, right = ink(Align.LEFT), ink(Align.CENTER), ink(Align.RIGHT)
    assert left is not None and centre is not None and right is not None
    assert left[0] < 10
    assert abs((centre[0] + centre[2]) / 2 - 288) <= 2
    assert right[2] > 566


def test_raster_bytes_exact() -> None:
    image = Image.new("1", (10, 2), 255)
    image.putpixel((0, 0), 0)
    image.putpixel((9, 0), 0)
    image.putpixel((7, 1), 0)
    data = raster.raster_bytes(image)
    # x = 2 bytes (10 dots padded to 16, padding white), y = 2 dots; 1 = black, bit 7 = leftmost dot.
    assert data == bytes.fromhex("1D 76 30 00 02 00 02 00 80 40 01 00")
    [decoded] = decode_raster(data)
    assert decoded.size == (16, 2)
    assert same_pixels(decoded.crop((0, 0, 10, 2)), image)
    assert is_blank(decoded.crop((10, 0, 16, 2)))


def test_raster_round_trip_through_a_stream_with_lookalike_bytes() -> None:
    first = raster.render_text("Hộ tịch", 384)
    second = raster.render_text("Đất đai", 384, bold=True, size=2)
    # A QR payload holding the bytes of a GS v 0 header must not be taken for an image.
    trap = b"\x1d(k\x0b\x001P0\x1dv0\x00\x01\x00\x01\x00"
    stream = (
        INIT + raster.raster_bytes(first) + trap + b"text\n" + raster.raster_bytes(second) + b"\x1dVB\x00"
    )
    decoded = decode_raster(stream)
    assert len(decoded) == 2
    assert same_pixels(decoded[0], first)
    assert same_pixels(decoded[1], second)
    with pytest.raises(ValueError, match="truncated"):
        decode_raster(raster.raster_bytes(first)[:-1])


def test_tall_images_go_in_several_blocks() -> None:
    image = raster.render_text("Một\nHai\nBa", 576, size=8)
    assert image.height > 500
    blocks = decode_raster(raster.raster_blocks(image, max_rows=256))
    assert [block.height for block in blocks[:-1]] == [256] * (len(blocks) - 1)
    joined = Image.new("1", image.size, 255)
    top = 0
    for block in blocks:
        joined.paste(block, (0, top))
        top += block.height
    assert same_pixels(joined, image)


def test_ascii_as_text_only_when_short_plain_and_not_bold() -> None:
    lines = TicketJob(
        (
            TicketLine("A1023", size=4, align=Align.CENTER),  # text: 5 x 48 dots fits 384
            TicketLine("A1023", size=8),  # 5 x 96 dots does not fit: raster
            TicketLine("Quay 03", bold=True),  # bold is not in the subset: raster
            TicketLine("Quầy 03"),  # Vietnamese: raster
        )
    )
    ticket = build_ticket(lines, 384)
    assert printed_text(ticket) == ["A1023"]
    assert b"\x1ba\x01\x1d!\x33A1023\n\x1d!\x00" in ticket
    assert len(decode_raster(ticket)) == 3
    assert "Quầy".encode() not in ticket

    everything_raster = build_ticket(lines, 384, ascii_as_text=False)
    assert printed_text(everything_raster) == []
    assert len(decode_raster(everything_raster)) == 4


def test_bad_jobs_and_widths_are_refused() -> None:
    with pytest.raises(ValueError):
        TicketJob((), feed_dots=300)
    with pytest.raises(ValueError):
        TicketJob((), barcode="Số")
    with pytest.raises(ValueError):
        TicketLine("A1023", size=9)
    with pytest.raises(ValueError):
        build_ticket(TicketJob(()), 500)
