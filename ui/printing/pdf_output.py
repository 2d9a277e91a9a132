"""Sending a form's PDF to a system printer (QPrinter) or to a file: no layout here, printing/ made it.

Qt cannot hand a PDF to a printer as it is, so each page is rendered by QtPdf at the printer's own
resolution and painted on the page at its real size. QtPdf renders onto a transparent background: the
page is painted on white first, or a printer (and a PDF printer's output) would get a transparent
page that some drivers print grey.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QObject, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_RENDER_DPI = 600
"""Pages are rendered at the printer's resolution up to this: a 1200-dpi A4 page would be a 550 MB
image, and 600 dpi is past what a receipt's barcode or a laser printer's toner needs."""


class PdfLoadError(Exception):
    """The bytes are not a PDF QtPdf can read (``str()`` is English, for the log)."""


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument over ``data``, owned by ``parent`` (the buffer lives with it: QtPdf reads lazily)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() is not QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PdfLoadError(f"not a readable PDF: {document.error()}")
    return document


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print every page (or the printer's page range) of ``document``; returns the pages printed."""
    first, last = 0, document.pageCount() - 1
    if printer.printRange() is QPrinter.PrintRange.PageRange:
        first = max(first, printer.fromPage() - 1)
        last = min(last, printer.toPage() - 1)
    printer.setFullPage(True)  # the PDF carries its own margins: paint from the paper's corner
    printer.setPageLayout(_layout_for(document, first))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    printed = 0
    try:
        dpi = printer.resolution()
        raster_dpi = min(dpi, MAX_RENDER_DPI)
        for index in range(first, last + 1):
            if printed:
                printer.setPageLayout(_layout_for(document, index))
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(
                index,
                QSize(round(points.width() * raster_dpi / 72), round(points.height() * raster_dpi / 72)),
            )
            target = QRectF(0, 0, points.width() * dpi / 72, points.height() * dpi / 72)
            painter.fillRect(target, Qt.GlobalColor.white)
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    return printed


def _layout_for(document: QPdfDocument, index: int) -> QPageLayout:
    """The page's own size and orientation (Mẫu 07 is landscape A4, the forms portrait A4 or A5)."""
    points = document.pagePointSize(index)
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    orientation = (
        QPageLayout.Orientation.Landscape
        if points.width() > points.height()
        else QPageLayout.Orientation.Portrait
    )
    size = QPageSize(portrait, QPageSize.Unit.Point, matchPolicy=QPageSize.SizeMatchPolicy.FuzzyMatch)
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))
