"""Files shipped inside the package: the one font the product uses (DejaVu Sans, licence in ``fonts/``).

DejaVu Sans and DejaVu Sans Bold cover every precomposed Vietnamese letter (both cases, đ/Đ) and ₫.
The product never looks fonts up on the system: printers, PDFs and the Qt windows all load these files.
"""

from __future__ import annotations

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

_REGULAR = "DejaVuSans.ttf"
_BOLD = "DejaVuSans-Bold.ttf"


def font_path(bold: bool = False) -> Path:
    """The TrueType file of DejaVu Sans (or DejaVu Sans Bold) shipped with the package."""
    return FONTS_DIR / (_BOLD if bold else _REGULAR)
