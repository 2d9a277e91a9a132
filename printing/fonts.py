"""The forms' fonts: DejaVu Sans from the package, registered with reportlab once and embedded in every PDF.

reportlab's own fonts (Helvetica…) have no Vietnamese letters and are never embedded; a PDF that names one
prints boxes or substitutes on a machine without it. Every canvas is therefore created with
``initialFontName=REGULAR`` and every style, table and barcode caption names one of these four.
"""

from __future__ import annotations

import functools

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counter_app.assets import font_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"


@functools.cache
def register_fonts() -> None:
    """Register the family so ``<b>`` and ``<i>`` in paragraphs pick the bold and oblique files."""
    for name, bold, italic in (
        (REGULAR, False, False),
        (BOLD, True, False),
        (ITALIC, False, True),
        (BOLD_ITALIC, True, True),
    ):
        pdfmetrics.registerFont(TTFont(name, str(font_path(bold=bold, italic=italic))))
    for weight, slant, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, weight, slant, name)
