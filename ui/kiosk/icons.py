"""One symbol per service area, chosen from its name: a picture helps people who read slowly.

Only symbols DejaVu Sans (the product font) draws are used, so no box ever appears; an area whose
name matches nothing gets a neutral one.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from counter_app.domain.search_text import fold
from ui.fonts import install_fonts

# (words in the folded area name, symbol); the first match wins.
_SYMBOLS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ho tich",), "✍"),
    (("chung thuc",), "✎"),
    (("dat dai", "tai nguyen", "moi truong"), "▦"),
    (("xay dung", "nha o"), "⌂"),
    (("kinh doanh", "doanh nghiep", "dau tu"), "₫"),
    (("lao dong", "thuong binh", "xa hoi"), "♥"),
    (("bao hiem", "y te"), "✚"),
    (("cong an", "can cuoc", "cu tru"), "★"),
    (("thue", "tai chinh"), "⛁"),
    (("giao thong", "van tai"), "⚙"),
    (("tu phap",), "⚖"),
)
DEFAULT_SYMBOL = "☰"
PRIORITY_SYMBOL = "♿"
LOOKUP_SYMBOL = "☑"
INFO_SYMBOL = "ℹ"
HOME_SYMBOL = "⬅"


def area_symbol(name: str) -> str:
    folded = fold(name).lower()
    for words, symbol in _SYMBOLS:
        if any(word in folded for word in words):
            return symbol
    return DEFAULT_SYMBOL


def symbol_icon(symbol: str, px: int, colour: str, checked_colour: str | None = None) -> QIcon:
    """``symbol`` drawn in the product font on a transparent square: an icon as large as a button wants
    (``checked_colour`` for a checkable button whose background changes when checked)."""
    icon = QIcon()
    for state, ink in ((QIcon.State.Off, colour), (QIcon.State.On, checked_colour or colour)):
        pixmap = _symbol_pixmap(symbol, px, ink)
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Active, QIcon.Mode.Selected, QIcon.Mode.Disabled):
            icon.addPixmap(pixmap, mode, state)
    return icon


def _symbol_pixmap(symbol: str, px: int, colour: str) -> QPixmap:
    pixmap = QPixmap(px, px)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(install_fonts())
        font.setPixelSize(int(px * 0.8))
        painter.setFont(font)
        painter.setPen(QColor(colour))
        painter.drawText(QRect(0, 0, px, px), Qt.AlignmentFlag.AlignCenter, symbol)
    finally:
        painter.end()
    return pixmap
