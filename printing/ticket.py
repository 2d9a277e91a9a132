"""The kiosk ticket: a ``TicketSlip`` laid out for 58 mm (384 dots) or 80 mm (576 dots) paper, as ESC/POS.

The paper is read by citizens, so its words are Vietnamese whatever language the operator's screen uses
(no gettext here). Every line, the number included, goes as a 1-bit raster at the paper's full width:
one typeface on the whole ticket, Vietnamese marks that print whatever code pages the printer has, and
a ticket the simulator (and the tests) can read back pixel for pixel. The QR code is the printer's own
(``GS ( k``): a few bytes instead of an image.

The number is printed as large as the paper allows: the biggest size (up to ``raster.MAX_SIZE``) at
which it fits between the margins, so a short "A001" fills an 80 mm roll and a long "AB0001" still fits
on 58 mm.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import ImageFont

from counter_app.domain.clock import local_datetime
from counter_app.domain.ticket_slip import TicketSlip
from printing import raster
from printing.escpos import TicketJob, TicketLine, build_ticket
from printing.raster import Align

NUMBER_MARGIN = 8
"""White dots kept left and right of the number, so it never touches the edge of the print head."""
TEXT_MARGIN = 8
"""The same for the lines of text."""

# Phrases: where a line may break on narrow paper.
GUIDANCE = ("Vui lòng theo dõi", "màn hình và loa gọi số.")
NEXT = "Bạn là người tiếp theo."
PRIORITY = "Ưu tiên"
NUMBER_LABEL = "Số thứ tự"


def number_size(number: str, dots: int) -> int:
    """The largest text size at which ``number`` (bold) fits the paper between the margins."""
    for size in range(raster.MAX_SIZE, 0, -1):
        font = raster.load_font(raster.font_pixels(size), bold=True)
        left, _, right, _ = font.getbbox(number, anchor="ls")
        if max(font.getlength(number), right - left) <= dots - 2 * NUMBER_MARGIN:
            return size
    return 1


def wait_text(minutes: int) -> str:
    """ "khoảng 12 phút", "khoảng 1 giờ 35 phút": past an hour, minutes alone are hard to take in."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"khoảng {minutes} phút"
    return f"khoảng {hours} giờ {rest} phút" if rest else f"khoảng {hours} giờ"


def kiosk_ticket_job(slip: TicketSlip, dots: int) -> TicketJob:
    """The lines, QR code and cut of ``slip``'s ticket on paper ``dots`` wide."""
    if dots not in raster.PRINTER_DOTS:
        raise ValueError(f"dots must be one of {raster.PRINTER_DOTS}, got {dots}")

    def centred(*phrases: str, size: int = 1, bold: bool = False) -> TicketLine:
        return TicketLine(_fit(phrases, dots, size, bold), size, bold, Align.CENTER)

    issued = local_datetime(slip.issued_at)
    lines = [
        centred(slip.centre_name, bold=True),
        centred(slip.service_name),
        centred(NUMBER_LABEL),
        TicketLine(slip.number, number_size(slip.number, dots), bold=True, align=Align.CENTER, headline=True),
    ]
    if slip.priority:
        lines.append(centred(PRIORITY, size=2, bold=True))
    lines.append(centred(f"{issued:%d/%m/%Y %H:%M}"))
    if slip.reprinted_at is not None:
        lines.append(centred("Bản in lại", f"{local_datetime(slip.reprinted_at):%H:%M %d/%m/%Y}", bold=True))
    if slip.people_ahead:
        lines.append(centred("Số người đang chờ", f"trước bạn: {slip.people_ahead}"))
        lines.append(centred("Thời gian chờ dự kiến:", wait_text(slip.wait_minutes)))
    else:
        lines.append(centred(NEXT, bold=True))
    lines.append(centred(*GUIDANCE))
    return TicketJob(tuple(lines), qr=slip.lookup_reference, qr_module_dots=8 if dots >= 576 else 6)


def kiosk_ticket_bytes(slip: TicketSlip, dots: int) -> bytes:
    """The whole ticket as ESC/POS, ESC @ to the cut; every line a raster (see the module's docstring)."""
    return build_ticket(kiosk_ticket_job(slip, dots), dots, ascii_as_text=False)


def _fit(phrases: Sequence[str], dots: int, size: int, bold: bool) -> str:
    """The phrases on one line if they fit, else broken between phrases, else balanced word by word.

    A greedy wrap would leave "3" or "phút" alone on the second line of a 58 mm ticket, or split
    "màn hình"; the phrases say where a break reads well. Lines keep ``TEXT_MARGIN`` clear of the edges.
    """
    font = raster.load_font(raster.font_pixels(size), bold)
    width = dots - 2 * TEXT_MARGIN
    whole = " ".join(phrases)
    if font.getlength(whole) <= width:
        return whole
    if all(font.getlength(phrase) <= width for phrase in phrases):
        lines = [phrases[0]]
        for phrase in phrases[1:]:
            candidate = f"{lines[-1]} {phrase}"
            if font.getlength(candidate) <= width:
                lines[-1] = candidate
            else:
                lines.append(phrase)
        return "\n".join(lines)
    return _balanced(whole, font, width)


def _balanced(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """As few lines as the greedy wrap needs, but as even as they can be: the narrowest width that still
    gives that many lines (a centre name in three ragged lines, the last one a single word, looks broken)."""
    count = len(raster.wrap_text(text, font, width))
    low, high = 1, width
    while low < high:
        middle = (low + high) // 2
        if len(raster.wrap_text(text, font, middle)) <= count:
            high = middle
        else:
            low = middle + 1
    return "\n".join(raster.wrap_text(text, font, low))
