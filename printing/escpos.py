"""Ticket jobs to ESC/POS bytes: the lines, an optional Code 128 barcode and QR code, then the cut.

Only the subset of shared/devices/printers-and-scanners.md is used, so any ESC/POS-compatible printer
prints the result. Lines holding anything but plain ASCII are rendered to 1-bit images
(``printing.raster``) and sent as ``GS v 0``; short ASCII lines may go as printer text. The bytes come
from python-escpos's ``Escpos`` builder (its ``_raw`` collects them): building is pure, no port is
touched, and ``devices.printer`` sends the result in one write after checking the printer's status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from escpos.escpos import Escpos

from printing import raster
from printing.raster import Align

FONT_A_WIDTH = 12
"""Dots per character of the printers' font A (12 x 24) at size 1: 32 columns on 58 mm, 48 on 80 mm."""

INIT = b"\x1b\x40"  # ESC @
CUT_PREFIX = b"\x1d\x56\x42"  # GS V 66 n: feed n dots, partial cut


@dataclass(frozen=True)
class TicketLine:
    """One line (or paragraph, wrapped to the paper) of a ticket. ``size`` 1..8 multiplies the base size.

    ``headline``: see ``raster.render_text`` (for the big ticket number; always sent as a raster).
    """

    text: str
    size: int = 1
    bold: bool = False
    align: Align = Align.LEFT
    headline: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.size <= raster.MAX_SIZE:
            raise ValueError(f"text size must be 1..{raster.MAX_SIZE}, got {self.size}")


@dataclass(frozen=True)
class TicketJob:
    """A whole ticket: lines, then an optional Code 128 barcode and QR code, then feed and partial cut.

    ``feed_dots`` is GS V 66's ``n``: the paper is fed to the cutter plus n dots, then cut.
    """

    lines: tuple[TicketLine, ...]
    qr: str | None = None
    qr_module_dots: int = 6
    barcode: str | None = None
    feed_dots: int = 24

    def __post_init__(self) -> None:
        if not 0 <= self.feed_dots <= 255:
            raise ValueError(f"feed_dots must be 0..255, got {self.feed_dots}")
        if not 1 <= self.qr_module_dots <= 16:
            raise ValueError(f"qr_module_dots must be 1..16, got {self.qr_module_dots}")
        if self.barcode is not None and (
            not self.barcode or len(self.barcode) > 250 or not is_printable_ascii(self.barcode)
        ):
            raise ValueError("a Code 128 barcode holds 1..250 printable ASCII characters")


def is_printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


class _TicketBytes(Escpos):  # type: ignore[misc]  # python-escpos ships no type hints
    """python-escpos's command builder, collecting bytes instead of writing to a device."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = bytearray()

    def _raw(self, msg: bytes) -> None:
        self.buffer += msg


_ESCPOS_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}


def build_ticket(job: TicketJob, dots: int, ascii_as_text: bool = True) -> bytes:
    """The ticket's bytes: ESC @, the lines, the barcode and QR code, then GS V 66 n.

    ``dots`` is the paper's printable width (384 for 58 mm, 576 for 80 mm): every raster is exactly that
    wide. With ``ascii_as_text`` short, non-bold, plain-ASCII lines go as printer text (font A, ``GS !``
    for the size): fewer bytes on slow serial links, at the price of the printer's own typeface.
    """
    if dots not in raster.PRINTER_DOTS:
        raise ValueError(f"dots must be one of {raster.PRINTER_DOTS}, got {dots}")
    out = _TicketBytes()
    out.hw("INIT")  # ESC @
    for line in job.lines:
        if ascii_as_text and not line.headline and _fits_as_text(line, dots):
            out.set(align=_ESCPOS_ALIGN[line.align])  # ESC a n
            out.set(custom_size=True, width=line.size, height=line.size)  # GS ! n
            out._raw(line.text.encode("ascii") + b"\n")
            out.set(custom_size=True, width=1, height=1)
        else:
            out.set(align="left")  # the image is the paper's full width, aligned inside
            image = raster.render_text(
                line.text, dots, size=line.size, bold=line.bold, align=line.align, headline=line.headline
            )
            out._raw(raster.raster_blocks(image))
    if job.barcode is not None:
        out.set(align="center")
        data = b"{B" + job.barcode.replace("{", "{{").encode("ascii")
        out._raw(b"\x1d\x6b\x49" + bytes((len(data),)) + data + b"\n")  # GS k 73 n {B…
    if job.qr is not None:
        out.set(align="center")
        out.qr(job.qr, size=job.qr_module_dots, native=True)  # GS ( k, model 2
        out._raw(b"\n")
    out.set(align="left")
    out._raw(CUT_PREFIX + bytes((job.feed_dots,)))
    return bytes(out.buffer)


def _fits_as_text(line: TicketLine, dots: int) -> bool:
    return (
        not line.bold
        and "\n" not in line.text
        and is_printable_ascii(line.text)
        and len(line.text) * FONT_A_WIDTH * line.size <= dots
    )


TEST_TONE_MARKS = "Ảnh ẫ ậ ề ệ ỗ ợ ủ ữ ỵ Đđ"
TEST_CAPITALS = "ẪẴỄỖỠỮ ẤẦẨẬ ỰỴ"


def test_ticket_job(when: datetime | None = None, qr: str | None = None) -> TicketJob:
    """The ticket ``counter-app device test`` prints: a title, every kind of Vietnamese mark, the date.

    The stacked marks on capitals are the tallest glyphs, the dots below the deepest: if they print
    whole, every Vietnamese line will. ``when`` defaults to now (local time of the machine).
    """
    moment = when if when is not None else datetime.now()
    return TicketJob(
        lines=(
            TicketLine("PHIẾU IN THỬ", size=2, bold=True, align=Align.CENTER),
            TicketLine(TEST_TONE_MARKS, align=Align.CENTER),
            TicketLine(TEST_CAPITALS, align=Align.CENTER),
            TicketLine("a á à ả ã ạ ă ắ ằ ẳ ẵ ặ", align=Align.CENTER),
            TicketLine("â ấ ầ ẩ ẫ ậ ư ứ ừ ử ữ ự", align=Align.CENTER),
            TicketLine(f"Ngày {moment:%d/%m/%Y %H:%M}", align=Align.CENTER),
            TicketLine("ESC/POS OK 0123456789", align=Align.CENTER),
        ),
        qr=qr,
    )


# pytest would collect a module-level ``test_*`` function imported into a test module.
test_ticket_job.__test__ = False  # type: ignore[attr-defined]
