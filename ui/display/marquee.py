"""A line of text that scrolls right to left, for notices longer than the screen is wide."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

STEP_PX = 3
FRAME_MS = 30


class Marquee(QWidget):
    """Paints ``text`` moving left by a few pixels a frame; text that fits is shown still, centred."""

    def __init__(self, pixel_size: int, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._offset = 0.0
        self._colour = QColor(colour)
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        self.setFont(font)
        self.setFixedHeight(round(pixel_size * 1.5))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's spelling, like QLabel
        if text != self._text:
            self._text = text
            self._offset = float(self.width())
            self.update()

    def _text_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self._text)

    def _fits(self) -> bool:
        return self._text_width() <= self.width()

    def _step(self) -> None:
        if not self._text or self._fits() or not self.isVisible():
            return
        self._offset -= STEP_PX
        if self._offset < -self._text_width():
            self._offset = float(self.width())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self._colour)
        painter.setFont(self.font())
        flags = Qt.AlignmentFlag.AlignVCenter
        if self._fits():
            rect = QRectF(self.rect())
            painter.drawText(rect, int(flags | Qt.AlignmentFlag.AlignHCenter), self._text)
        else:
            rect = QRectF(self._offset, 0, self._text_width() + 10, self.height())
            painter.drawText(rect, int(flags | Qt.AlignmentFlag.AlignLeft), self._text)
        painter.end()

    def stop(self) -> None:
        self._timer.stop()
