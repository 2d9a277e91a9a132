"""What every kiosk page shares: a title bar with the way home, and the plain message pages.

There is no close button and no dialog anywhere: a page can only lead to another page, and "home"
always leads back to the start page.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from counter_app.i18n import _
from ui.kiosk.icons import HOME_SYMBOL, symbol_icon
from ui.kiosk.style import NAVY, button, label

MARGIN = 40


class Page(QWidget):
    """A page with a title row; ``home`` asks the window for the start page."""

    home = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, 24, MARGIN, MARGIN)
        outer.setSpacing(20)
        top = QHBoxLayout()
        self.title = label(title, "title", wrap=True)
        self.home_button = button(_("Back to start"), "quiet")
        self.home_button.setIcon(symbol_icon(HOME_SYMBOL, 56, NAVY))
        self.home_button.setIconSize(QSize(56, 56))
        self.home_button.setFixedWidth(640)
        self.home_button.clicked.connect(self.home.emit)
        top.addWidget(self.title, 1)
        top.addWidget(self.home_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        self.body = QVBoxLayout()
        self.body.setSpacing(20)
        outer.addLayout(self.body, 1)


class MessagePage(Page):
    """One sentence in large type: a refusal, an unknown code, a failure. Goes home on its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.sentence = label("", "body", centred=True)
        self.sentence.setStyleSheet("font-size: 48px;")
        self.hint = label(_("The kiosk returns to the start screen by itself."), "small", centred=True)
        self.body.addStretch(1)
        self.body.addWidget(self.sentence)
        self.body.addWidget(self.hint)
        self.body.addStretch(2)

    def show_message(self, title: str, sentence: str) -> None:
        self.title.setText(title)
        self.sentence.setText(sentence)


class BusyPage(QWidget):
    """Shown while a ticket is issued and printed: a second tap cannot take a second number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.sentence = label(_("Please wait a moment…"), "title", centred=True)
        layout.addWidget(self.sentence)
