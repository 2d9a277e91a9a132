"""One search box for every dossier: code, ID number, phone, tax code, or a name typed without diacritics.

The service answers in milliseconds on a million dossiers (docs/benchmarks.md); the box still waits
for a pause in typing and shows only the answer to the latest text, so a slow answer to an older
prefix never overwrites a newer one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.clock import format_local_datetime
from counter_app.domain.dossier import status_label
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_views import DossierSummary
from ui.common.runner import ServiceRunner

TYPING_PAUSE_MS = 150


class SearchPanel(QWidget):
    open_requested = Signal(str)  # dossier code
    answered = Signal(int)  # rows shown, after each answer (tests wait for it)

    def __init__(self, app: CounterApp, runner: ServiceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.runner = app, runner
        self.actor: Actor | None = None
        self._asked = 0
        self.box = QLineEdit()
        self.box.setPlaceholderText(_("Dossier code, ID number, phone or name (diacritics optional)"))
        self.box.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.search_now)
        self.box.textChanged.connect(lambda _text: self._timer.start())
        self.box.returnPressed.connect(self._enter)
        self.results = QTableWidget(0, 5)
        self.results.setHorizontalHeaderLabels(
            [_("Dossier code"), _("Applicant"), _("Procedure"), _("Status"), _("Appointment")]
        )
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().setVisible(False)
        self.results.itemActivated.connect(lambda item: self._open_row(item.row()))
        self.note = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        layout.addWidget(self.note)

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor

    def search_now(self) -> None:
        text, actor = self.box.text().strip(), self.actor
        self._asked += 1
        asked = self._asked
        if not text or actor is None:
            self._show([], asked)
            return
        self.runner.run(
            lambda: self.app.dossier_queries.search(actor, text),
            lambda rows: self._show(rows, asked),
            lambda problem: self._failed(problem, asked),
        )

    def _show(self, rows: list[DossierSummary], asked: int) -> None:
        if asked != self._asked:
            return  # an answer to older text
        self.results.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [
                row.code,
                row.applicant_name,
                row.procedure_name,
                status_label(row.status),
                format_local_datetime(row.due_at) if row.due_at else "—",
            ]
            for column, text in enumerate(cells):
                self.results.setItem(index, column, QTableWidgetItem(text))
        for column in (0, 1, 3, 4):  # the procedure's name takes what is left
            self.results.resizeColumnToContents(column)
        if rows:
            self.results.selectRow(0)
        self.note.setText(_("{n} dossiers found.").format(n=len(rows)) if self.box.text().strip() else "")
        self.answered.emit(len(rows))

    def _failed(self, problem: Exception, asked: int) -> None:
        if asked == self._asked:
            self.note.setText(str(problem))

    def _enter(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.search_now()
            return
        self._open_row(max(self.results.currentRow(), 0))

    def _open_row(self, row: int) -> None:
        item = self.results.item(row, 0)
        if item is not None:
            self.open_requested.emit(item.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Up/Down in the box move through the results, so the hands never leave the keyboard."""
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.rowCount():
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = min(max(self.results.currentRow() + step, 0), self.results.rowCount() - 1)
            self.results.selectRow(row)
            return
        super().keyPressEvent(event)
