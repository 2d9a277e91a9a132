"""The two choices a queue key asks for: where to transfer (F4) and how the visit ended (F5).

Both answer with the keyboard alone: digits pick a row, Enter confirms, Esc goes back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from counter_app.domain.queue import Outcome, outcome_label
from counter_app.i18n import _
from counter_app.services.views import CounterView, ServiceAreaView


class _ChoiceDialog(QDialog):
    """A list whose rows are numbered 1…9: a digit picks, Enter confirms."""

    def __init__(self, title: str, rows: Sequence[tuple[str, object]], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choices = QListWidget()
        for index, (text, data) in enumerate(rows, start=1):
            item = QListWidgetItem(f"{index}. {text}" if index < 10 else text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            self.choices.addItem(item)
        self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _item: self.accept())
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(QLabel(title))
        self.layout_.addWidget(self.choices)
        self.choices.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= min(9, self.choices.count()):
            self.choices.setCurrentRow(int(text) - 1)
            self.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)

    def chosen(self) -> object:
        item = self.choices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class TransferDialog(_ChoiceDialog):
    """Another service area (the citizen keeps their place) or another counter."""

    def __init__(
        self,
        areas: Sequence[ServiceAreaView],
        counters: Sequence[CounterView],
        own_label: str,
        parent: QWidget | None = None,
    ) -> None:
        rows: list[tuple[str, object]] = [
            (_("Service area {prefix} – {name}").format(prefix=a.prefix, name=a.name), ("service", a.prefix))
            for a in areas
            if a.active
        ]
        rows += [
            (_("Counter {label}").format(label=c.label), ("counter", c.label))
            for c in counters
            if c.active and c.label != own_label
        ]
        super().__init__(_("Transfer the citizen to…"), rows, parent)


class FinishDialog(_ChoiceDialog):
    """How the visit ended; a received or returned dossier also needs its code."""

    def __init__(self, dossier_code: str | None = None, parent: QWidget | None = None) -> None:
        rows = [
            (outcome_label(o), o)
            for o in (Outcome.GUIDANCE, Outcome.DOSSIER_RECEIVED, Outcome.RESULT_RETURNED, Outcome.REFUSED)
        ]
        super().__init__(_("How did the visit end?"), rows, parent)
        self.code = QLineEdit(dossier_code or "")
        self.code.setPlaceholderText(_("Dossier code (for a received or returned dossier)"))
        self.layout_.addWidget(self.code)

    def outcome(self) -> Outcome:
        chosen = self.chosen()
        return chosen if isinstance(chosen, Outcome) else Outcome.GUIDANCE
