"""The form preview: what the officer sees, what reaches the printer (a PDF printer here, decoded back),
and a failed save said in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from printing.forms import render_form, render_register
from tests.printing import samples
from tests.printing.pdf_support import decoded_codes, page_images, pdf_pages
from ui.printing.pdf_output import PdfLoadError, load_pdf
from ui.printing.preview import PdfPreviewDialog


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def receipt_dialog(qtbot: QtBot) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(render_form(samples.receipt()), "Mẫu 01", "mau-01.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_preview_shows_the_pages(receipt_dialog: PdfPreviewDialog) -> None:
    assert receipt_dialog.document.pageCount() == 1
    assert receipt_dialog.status.text() == "1 trang"
    assert receipt_dialog.print_button.isDefault()


def test_printed_page_keeps_its_size_and_its_barcode_scans(
    receipt_dialog: PdfPreviewDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    output = tmp_path / "printed.pdf"
    with qtbot.waitSignal(receipt_dialog.printed) as signal:
        receipt_dialog.print_to(pdf_printer(output))
    assert signal.args == [1]
    data = output.read_bytes()
    (page,) = pdf_pages(data)
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.3, 841.9), abs=1)
    codes = decoded_codes(page_images(data)[0])
    assert codes["Code128"] == [samples.CODE]
    assert samples.receipt().lookup_text in codes["QRCode"]
    assert receipt_dialog.status.text() == "Đã gửi tới máy in: 1 trang."


def test_a_landscape_register_prints_landscape_on_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    source = render_register(samples.register(60))
    dialog = PdfPreviewDialog(source, "Mẫu 07", "mau-07.pdf")
    qtbot.addWidget(dialog)
    output = tmp_path / "register.pdf"
    assert dialog.print_to(pdf_printer(output)) == len(pdf_pages(source)) >= 3
    for page in pdf_pages(output.read_bytes()):
        assert float(page.mediabox.width) > float(page.mediabox.height)


def test_save_writes_the_same_bytes_and_a_failure_is_said_in_the_dialog(
    receipt_dialog: PdfPreviewDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    target = tmp_path / "mau-01.pdf"
    with qtbot.waitSignal(receipt_dialog.saved):
        assert receipt_dialog.save_to(target)
    assert target.read_bytes() == receipt_dialog.data
    missing = tmp_path / "no-such-folder" / "mau-01.pdf"
    with qtbot.waitSignal(receipt_dialog.failed) as signal:
        assert not receipt_dialog.save_to(missing)
    assert str(missing) in signal.args[0]
    assert receipt_dialog.status.text().startswith("Không lưu được mẫu vào")
    assert not missing.parent.exists()


def test_bytes_that_are_not_a_pdf_are_refused(qtbot: QtBot) -> None:
    owner = QObject()
    with pytest.raises(PdfLoadError):
        load_pdf(b"%PDF-1.4 not really", owner)
