"""The two inline editors that end an intake another way: ask for additions (Mẫu 02) or refuse (Mẫu 03).

Inline rather than dialogs: the form stays visible, so the officer words the request while looking at
the checklist. Both open pre-filled and focused, so the common case is two keystrokes (Ctrl+B, Enter);
Enter confirms, Esc closes without losing anything typed in the form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from counter_app.i18n import _
from counter_app.services.dossier_requests import SupplementRequest


class _LinesEdit(QPlainTextEdit):
    """One item per line: Enter submits, Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class _InlineEditor(QFrame):
    """A framed box under the form with a title, a hint line and Esc to close."""

    cancelled = Signal()

    def __init__(self, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("_InlineEditor, SupplementEditor, RefusalEditor { background: #fff8e1; }")
        self.title = QLabel(f"<b>{title}</b>")
        self.hint = QLabel(hint)
        self.hint.setStyleSheet("color: #555555;")
        self.hint.setWordWrap(True)
        heading = QHBoxLayout()  # title and keys on one line: the editor must fit under a 768-pixel form
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.hint)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 4, 8, 4)
        self.body.setSpacing(4)
        self.body.addLayout(heading)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.cancel)
        self.hide()

    def cancel(self) -> None:
        self.hide()
        self.cancelled.emit()


class SupplementEditor(_InlineEditor):
    """Every gap at once (Mẫu 02): the unticked documents pre-filled, free text welcome."""

    confirmed = Signal(object)  # SupplementRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Request additions (form 02)"),
            _("Enter: send the request · Shift+Enter: new line · Esc: back to the form"),
            parent,
        )
        self.items = _LinesEdit()
        self.items.setObjectName("supplement-items")
        self.items.setPlaceholderText(_("What is missing or incorrect, one item per line"))
        self.items.setTabChangesFocus(True)
        self.items.setFixedHeight(3 * self.items.fontMetrics().lineSpacing() + 12)
        self.reason = QLineEdit()
        self.reason.setObjectName("supplement-reason")
        self.reason.setPlaceholderText(_("Reason (optional)"))
        self.body.addWidget(self.items)
        self.body.addWidget(self.reason)
        self.items.submitted.connect(self.confirm)
        self.reason.returnPressed.connect(self.confirm)

    def open_with(self, lines: list[str]) -> None:
        self.items.setPlainText("\n".join(lines))
        self.reason.clear()
        self.show()
        self.items.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.items.moveCursor(QTextCursor.MoveOperation.End)

    def request(self) -> SupplementRequest:
        lines = tuple(line.strip() for line in self.items.toPlainText().splitlines() if line.strip())
        return SupplementRequest(missing=lines, reason=self.reason.text())

    def confirm(self) -> None:
        self.confirmed.emit(self.request())


class RefusalEditor(_InlineEditor):
    """Why the dossier is not accepted (Mẫu 03): printed for the citizen, so it must be said."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Refuse the dossier (form 03)"),
            _("Enter: refuse and print form 03 · Esc: back to the form"),
            parent,
        )
        self.reason = QLineEdit()
        self.reason.setObjectName("refusal-reason")
        self.reason.setPlaceholderText(_("Reason for refusing, printed on the form"))
        self.body.addWidget(self.reason)
        self.reason.returnPressed.connect(lambda: self.confirmed.emit(self.reason.text()))

    def open(self) -> None:
        self.reason.clear()
        self.show()
        self.reason.setFocus(Qt.FocusReason.ShortcutFocusReason)
