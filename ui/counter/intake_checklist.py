"""The procedure's document checklist as the officer ticks it: one row per required paper.

One Tab stop for the whole list, so a long checklist never costs a dozen Tabs: Up/Down move,
Space ticks "received" (on every selected row, so Ctrl+A then Space ticks them all), + and − change
the number of copies, Right to the kind column then Enter picks another copy kind, when what the
citizen brought differs from the catalogue. (F2, Qt's usual edit key, is the window's Recall key.)
The rows become ``DocumentTick`` values exactly as the CLI builds them: a kind or a count is sent
only when it differs from the catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter_app.domain.forms import copy_kind_words
from counter_app.domain.procedure import CopyKind, RequiredDocument
from counter_app.i18n import _
from counter_app.services.dossier_requests import DocumentTick
from ui.counter.intake_text import missing_document_line

RECEIVED, NAME, KIND, COPIES = range(4)
_KIND_ROLE = Qt.ItemDataRole.UserRole
_ModelIndex = QModelIndex | QPersistentModelIndex


class _CellEditors(QStyledItemDelegate):
    """A list of the three copy kinds and a count from 1: the only values the service accepts."""

    def createEditor(  # noqa: N802 - Qt's name
        self, parent: QWidget, option: QStyleOptionViewItem, index: _ModelIndex
    ) -> QWidget:
        if index.column() == KIND:
            combo = QComboBox(parent)
            for kind in CopyKind:
                combo.addItem(copy_kind_words(kind), kind.value)
            return combo
        spin = QSpinBox(parent)
        spin.setRange(1, 99)
        return spin

    def setEditorData(self, editor: QWidget, index: _ModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(_KIND_ROLE))))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(index.data(Qt.ItemDataRole.DisplayRole) or 1))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: _ModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            kind = CopyKind(editor.currentData())
            model.setData(index, kind.value, _KIND_ROLE)
            model.setData(index, copy_kind_words(kind), Qt.ItemDataRole.DisplayRole)
        elif isinstance(editor, QSpinBox):
            model.setData(index, str(editor.value()), Qt.ItemDataRole.DisplayRole)


class ChecklistTable(QTableWidget):
    """The documents of the chosen procedure with what was received; ``changed`` on every tick or edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self._documents: tuple[RequiredDocument, ...] = ()
        self.setHorizontalHeaderLabels([_("Received"), _("Document"), _("Kind"), _("Copies")])
        header = self.horizontalHeader()
        header.setSectionResizeMode(RECEIVED, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COPIES, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)  # keys: see keyPressEvent
        self.setTabKeyNavigation(False)  # Tab leaves the list: one stop in the form's order
        self.setItemDelegateForColumn(KIND, _CellEditors(self))
        self.setItemDelegateForColumn(COPIES, _CellEditors(self))
        self.setWordWrap(True)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    # -- content -------------------------------------------------------------------------------

    def show_documents(self, documents: tuple[RequiredDocument, ...]) -> None:
        """A fresh, unticked list: the officer ticks what the citizen actually handed over."""
        self.blockSignals(True)
        self._documents = documents
        self.setRowCount(len(documents))
        for row, document in enumerate(documents):
            tick = QTableWidgetItem(str(row + 1))
            tick.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
            )
            tick.setCheckState(Qt.CheckState.Unchecked)
            name = QTableWidgetItem(document.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            name.setToolTip(document.name)
            kind = QTableWidgetItem(copy_kind_words(document.kind))
            kind.setData(_KIND_ROLE, document.kind.value)
            copies = QTableWidgetItem(str(document.copies))
            copies.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for column, item in ((RECEIVED, tick), (NAME, name), (KIND, kind), (COPIES, copies)):
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        if documents:
            self.setCurrentCell(0, RECEIVED)
        self.blockSignals(False)
        self.changed.emit()

    def clear_documents(self) -> None:
        self.show_documents(())

    @property
    def documents(self) -> tuple[RequiredDocument, ...]:
        return self._documents

    def is_ticked(self, row: int) -> bool:
        item = self.item(row, RECEIVED)
        return item is not None and item.checkState() is Qt.CheckState.Checked

    def set_ticked(self, row: int, ticked: bool) -> None:
        item = self.item(row, RECEIVED)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def ticked_count(self) -> int:
        return sum(self.is_ticked(row) for row in range(self.rowCount()))

    # -- what the service is handed ------------------------------------------------------------

    def ticks(self) -> tuple[DocumentTick, ...]:
        """The ticked rows; kind and copies only where they differ from the catalogue."""
        result: list[DocumentTick] = []
        for row, document in enumerate(self._documents):
            if not self.is_ticked(row):
                continue
            kind = self._kind(row)
            copies = self._copies(row)
            result.append(
                DocumentTick(
                    row + 1,
                    kind=kind if kind is not document.kind else None,
                    copies=copies if copies != document.copies else None,
                )
            )
        return tuple(result)

    def missing_lines(self) -> list[str]:
        """The unticked documents worded for Mẫu 02: what a supplement request starts from."""
        return [
            missing_document_line(document)
            for row, document in enumerate(self._documents)
            if not self.is_ticked(row)
        ]

    def _kind(self, row: int) -> CopyKind:
        item = self.item(row, KIND)
        return CopyKind(item.data(_KIND_ROLE)) if item is not None else self._documents[row].kind

    def _copies(self, row: int) -> int:
        item = self.item(row, COPIES)
        try:
            return int(item.text()) if item is not None else self._documents[row].copies
        except ValueError:
            return self._documents[row].copies

    # -- keys ----------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        editing = self.state() is QAbstractItemView.State.EditingState
        key = event.key()
        if not editing and key == Qt.Key.Key_Space:
            self._toggle_selected()
        elif (
            not editing
            and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.currentColumn()
            in (
                KIND,
                COPIES,
            )
        ):
            self.edit(self.currentIndex())
        elif not editing and key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and self.currentRow() >= 0:
            self._add_copies(self.currentRow(), 1 if key == Qt.Key.Key_Plus else -1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _add_copies(self, row: int, step: int) -> None:
        item = self.item(row, COPIES)
        if item is not None:
            item.setText(str(min(99, max(1, self._copies(row) + step))))

    def _toggle_selected(self) -> None:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        if not rows and self.currentRow() >= 0:
            rows = [self.currentRow()]
        if not rows:
            return
        tick = not all(self.is_ticked(row) for row in rows)
        for row in rows:
            self.set_ticked(row, tick)
