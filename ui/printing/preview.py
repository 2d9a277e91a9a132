"""The preview of a form before it goes out: its pages as they will print, Print, Save as PDF, Close.

The dialog only shows and sends bytes printing/ produced; filling the form (and auditing the print) is
the service's job, done before the dialog opens. Keyboard first: Ctrl+P prints, Ctrl+S saves, Esc
closes. A printer or disk that fails is said in the dialog in Vietnamese; nothing is lost, the form
can be printed or saved again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.atomic_file import write_atomically
from counter_app.i18n import _
from ui.fonts import install_fonts
from ui.printing.pdf_output import load_pdf, print_document


class PdfPreviewDialog(QDialog):
    printed = Signal(int)  # pages sent to the printer
    saved = Signal(str)  # the file written
    failed = Signal(str)  # the message shown

    def __init__(self, data: bytes, title: str, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_fonts()
        self.data = data
        self.file_name = file_name
        self.document = load_pdf(data, self)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.setWindowTitle(title)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.status = QLabel(_("{pages} page(s)").format(pages=self.document.pageCount()), self)
        self.print_button = QPushButton(_("Print… (Ctrl+P)"), self)
        self.save_button = QPushButton(_("Save as PDF… (Ctrl+S)"), self)
        self.close_button = QPushButton(_("Close (Esc)"), self)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.choose_printer_and_print)
        self.save_button.clicked.connect(self.choose_file_and_save)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.choose_printer_and_print)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.choose_file_and_save)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(900, 1000)

    # -- the two ways out -------------------------------------------------------------------------

    def choose_printer_and_print(self) -> None:
        dialog = QPrintDialog(self.printer, self)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print on ``printer`` (the one chosen in the print dialog, or a PDF printer in tests)."""
        try:
            pages = print_document(self.document, printer)
        except OSError:
            self._fail(_("The form could not be sent to the printer; check the printer and print again."))
            return 0
        self.status.setText(_("Sent to the printer: {pages} page(s).").format(pages=pages))
        self.printed.emit(pages)
        return pages

    def choose_file_and_save(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the form as PDF"), str(Path.home() / self.file_name), "PDF (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            write_atomically(path, self.data)
        except OSError:
            self._fail(_("The form could not be saved to {path}; choose another folder.").format(path=path))
            return False
        self.status.setText(_("Saved to {path}.").format(path=path))
        self.saved.emit(str(path))
        return True

    def _fail(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
        self.failed.emit(message)
