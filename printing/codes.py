"""Barcodes on the forms: the dossier code as Code 128 (python-barcode encodes, reportlab draws) and QR codes.

The bars are drawn as vector rectangles, not a bitmap: they stay sharp at any printer resolution, which is
what a counter's scanner needs from a laser-printed receipt. dossier-code.md asks for a module of at least
0.3 mm and the code in clear text under the bars in a normal font.
"""

from __future__ import annotations

import barcode
import qrcode
import qrcode.constants
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from printing.fonts import REGULAR

MODULE = 0.33 * mm
QR_MASK = 2
QUIET_MODULES = 10
"""Code 128 wants a quiet zone of 10 modules each side."""


def code128_modules(text: str) -> str:
    """The bar pattern of ``text`` ("1" = bar, "0" = space), start, check and stop symbols included.

    python-barcode chooses the code sets (C for runs of digits), which keeps a 25-character dossier code
    near 95 mm at 0.33 mm a module. Non-ASCII raises ValueError: a dossier code never holds any.
    """
    if not text or not text.isascii() or not text.isprintable():
        raise ValueError("Code 128 on the forms takes printable ASCII only")
    symbol = barcode.get("code128", text)
    return "".join(symbol.build())


class Code128(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Bars of ``text`` with the text centred under them."""

    def __init__(
        self, text: str, *, module: float = MODULE, bar_height: float = 12 * mm, font_size: float = 9
    ):
        super().__init__()
        self.text = text
        self.modules = code128_modules(text)
        self.module = module
        self.bar_height = bar_height
        self.font_size = font_size
        self.width = (len(self.modules) + 2 * QUIET_MODULES) * module
        self.height = bar_height + font_size * 1.5

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        caption = self.font_size * 1.5
        x = QUIET_MODULES * self.module
        run = 0
        # Adjacent bar modules become one rectangle: no hairline gaps between them in any viewer.
        for index, module in enumerate(self.modules + "0"):
            if module == "1":
                run += 1
                continue
            if run:
                start = x + (index - run) * self.module
                canvas.rect(start, caption, run * self.module, self.bar_height, stroke=0, fill=1)
                run = 0
        canvas.setFont(REGULAR, self.font_size)
        text_width = stringWidth(self.text, REGULAR, self.font_size)
        canvas.drawString((self.width - text_width) / 2, self.font_size * 0.35, self.text)
        canvas.restoreState()


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code of ``text``, ``size`` points square (a 2-module quiet zone included).

    The modules come from the ``qrcode`` package and are drawn as rectangles here: reportlab's own QR
    widget goes through its graphics renderer, which leaves a non-embedded Helvetica in the PDF.
    """

    def __init__(self, text: str, size: float = 28 * mm, error_level: int = qrcode.constants.ERROR_CORRECT_M):
        super().__init__()
        self.text = text
        self.size = size
        # A fixed mask: qrcode otherwise scores all eight in pure Python, 25 ms of a 30 ms QR code; any
        # mask is valid (ISO/IEC 18004) and printed black on white every one scans.
        symbol = qrcode.QRCode(error_correction=error_level, border=2, mask_pattern=QR_MASK)
        symbol.add_data(text.encode("utf-8"))
        symbol.make(fit=True)
        self.matrix: list[list[bool]] = symbol.get_matrix()
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        module = self.size / len(self.matrix)
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for row_index, row in enumerate(self.matrix):
            y = self.size - (row_index + 1) * module
            run = 0
            for column, dark in enumerate([*row, False]):
                if dark:
                    run += 1
                elif run:
                    canvas.rect((column - run) * module, y, run * module, module, stroke=0, fill=1)
                    run = 0
        canvas.restoreState()
