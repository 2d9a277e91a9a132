"""Files shipped inside the package: the one font family the product uses (DejaVu Sans, licence in fonts/).

DejaVu Sans and its Bold, Oblique and Bold Oblique cover every precomposed Vietnamese letter (both cases,
đ/Đ) and ₫; the obliques are for the forms' italic lines (the place and date, signature hints).
The product never looks fonts up on the system: printers, PDFs and the Qt windows all load these files.
"""

from __future__ import annotations

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

_REGULAR = "DejaVuSans.ttf"
_BOLD = "DejaVuSans-Bold.ttf"
_ITALIC = "DejaVuSans-Oblique.ttf"
_BOLD_ITALIC = "DejaVuSans-BoldOblique.ttf"


def font_path(bold: bool = False, italic: bool = False) -> Path:
    """The TrueType file of DejaVu Sans in that weight and slant, shipped with the package."""
    if italic:
        return FONTS_DIR / (_BOLD_ITALIC if bold else _ITALIC)
    return FONTS_DIR / (_BOLD if bold else _REGULAR)
