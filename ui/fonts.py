"""The windows' font: DejaVu Sans from the package, never looked up on the system.

Qt's wheels ship no fonts; a machine without any shows every glyph as a box, and the fonts a Windows
counter happens to have may lack Vietnamese letters. Registering the package's files makes every
window look the same everywhere (shared/stack-notes.md, "Qt").
"""

from __future__ import annotations

import functools

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from counter_app.assets import font_path

FAMILY = "DejaVu Sans"


@functools.cache
def install_fonts() -> str:
    """Register the four DejaVu Sans files with Qt once; returns the family name."""
    for bold in (False, True):
        for italic in (False, True):
            if QFontDatabase.addApplicationFont(str(font_path(bold=bold, italic=italic))) < 0:
                raise OSError(f"Qt could not load {font_path(bold=bold, italic=italic)}")
    return FAMILY


def use_product_font(app: QApplication, point_size: int = 11) -> None:
    """Make DejaVu Sans the application's default font."""
    app.setFont(QFont(install_fonts(), point_size))
