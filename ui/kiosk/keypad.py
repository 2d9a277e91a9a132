"""On-screen keys: the kiosk has no keyboard, so codes and search words are typed by touch.

A keypad only says which key was pressed; the page that owns it keeps the text. Two layouts: the
dossier-code pad (digits, capital letters of the agency code, ``.`` and ``-``: dossier-code.md) and
the search keyboard (letters without diacritics and a space: the search ignores diacritics).
"""

from __future__ import annotations

import string
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from counter_app.i18n import _
from ui.kiosk.style import TOUCH_PX, button

BACKSPACE = "⌫"


class Keypad(QWidget):
    """Rows of keys; ``typed`` carries the character of a key, ``erased`` and ``cleared`` the edits."""

    typed = Signal(str)
    erased = Signal()
    cleared = Signal()

    def __init__(
        self, rows: Sequence[Sequence[str]], *, space: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        for row_index, row in enumerate(rows):
            for column, char in enumerate(row):
                key = button(char, "key", height=TOUCH_PX)
                key.clicked.connect(lambda _checked=False, c=char: self.typed.emit(c))
                self.keys[char] = key
                grid.addWidget(key, row_index, column)
        tools = QHBoxLayout()
        tools.setSpacing(10)
        if space:
            self.space_key = button(_("Space"), "key")
            self.space_key.clicked.connect(lambda: self.typed.emit(" "))
            tools.addWidget(self.space_key, 3)
        self.erase_key = button(BACKSPACE + " " + _("Delete"), "key")
        self.erase_key.clicked.connect(self.erased.emit)
        self.clear_key = button(_("Clear all"), "key")
        self.clear_key.clicked.connect(self.cleared.emit)
        tools.addWidget(self.erase_key, 1)
        tools.addWidget(self.clear_key, 1)
        grid.addLayout(tools, len(rows), 0, 1, max(len(row) for row in rows))

    def press(self, text: str) -> None:
        """Click the keys spelling ``text`` (what a finger does; used by tests and the demo)."""
        for char in text:
            if char == " ":
                self.space_key.click()
            else:
                self.keys[char].click()


def code_keypad(parent: QWidget | None = None) -> Keypad:
    """Digits and separators on the first row, then the 26 capital letters (an agency code has one)."""
    letters = string.ascii_uppercase
    rows = [list("0123456789.-"), list(letters[:9]), list(letters[9:18]), list(letters[18:])]
    return Keypad(rows, parent=parent)


def search_keyboard(parent: QWidget | None = None) -> Keypad:
    """The usual phone layout: most people have typed on one."""
    rows = [list("QWERTYUIOP"), list("ASDFGHJKL"), list("ZXCVBNM")]
    return Keypad(rows, space=True, parent=parent)
