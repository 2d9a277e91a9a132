"""Render what the product prints to PNG in docs/screenshots/, to be looked at before a release.

The forms come from a real scripted demo day (``counter-app demo --headless``): Mẫu 01–07 as the demo
printed them, first page of each, plus the register's second page (the repeated table header), and the
preview dialog of ui/printing showing Mẫu 01 (offscreen Qt). The kiosk tickets are built by
printing.ticket for both paper widths and decoded back from their ESC/POS
bytes, exactly what the printer receives.

    .venv/bin/python scripts/print_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counter_app.cli.main import main as counter_app  # noqa: E402
from counter_app.domain.clock import LOCAL_TZ  # noqa: E402
from counter_app.domain.ticket_slip import TicketSlip, lookup_reference  # noqa: E402
from devices.escpos_stream import decode_raster  # noqa: E402
from printing.ticket import kiosk_ticket_bytes  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
DPI = 110


def pdf_pages_to_png(pdf: Path, stem: str, pages: int = 1) -> list[Path]:
    document = pypdfium2.PdfDocument(pdf)
    written = []
    for index in range(min(pages, len(document))):
        rendered = document[index].render(scale=DPI / 72).to_pil().convert("RGBA")
        paper = Image.new("RGBA", rendered.size, "white")
        path = OUT / (f"{stem}.png" if index == 0 else f"{stem}-page{index + 1}.png")
        Image.alpha_composite(paper, rendered).convert("RGB").save(path, optimize=True)
        written.append(path)
    return written


def ticket_png(dots: int) -> Path:
    from datetime import datetime

    issued = datetime(2026, 12, 7, 8, 5, tzinfo=LOCAL_TZ)
    slip = TicketSlip(
        centre_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
        service_name="Hộ tịch – Chứng thực",
        number="A023",
        priority=False,
        issued_at=issued,
        people_ahead=3,
        estimated_wait=timedelta(minutes=12),
        lookup_reference=lookup_reference(issued.date(), "A023"),
    )
    images = decode_raster(kiosk_ticket_bytes(slip, dots))
    sheet = Image.new("1", (dots, sum(image.height for image in images)), 1)
    top = 0
    for image in images:
        sheet.paste(image.crop((0, 0, dots, image.height)), (0, top))
        top += image.height
    path = OUT / f"ticket-{dots}.png"
    sheet.save(path, optimize=True)
    return path


def preview_png(receipt: bytes) -> Path:
    """The form preview as the officer sees it, at the counter screen's 1366×768."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.fonts import use_product_font
    from ui.printing.preview import PdfPreviewDialog

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    use_product_font(app)
    dialog = PdfPreviewDialog(receipt, "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "mau-01.pdf")
    dialog.resize(1000, 740)
    dialog.show()
    # QPdfView renders pages on a worker thread and has no "rendered" signal: give it a moment (a script
    # for people to look at, not a test).
    QTest.qWait(1500)
    path = OUT / "form-preview.png"
    dialog.grab().save(str(path))
    dialog.close()
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        if counter_app(["demo", "--headless", "--out", str(demo)]) != 0:
            return 1
        for pdf in sorted((demo / "forms").glob("mau-*.pdf")):
            number = pdf.stem.split("-")[1]
            written += pdf_pages_to_png(pdf, f"form-{number}", pages=2 if number == "07" else 1)
        written.append(preview_png((demo / "forms" / "mau-01.pdf").read_bytes()))
    written += [ticket_png(384), ticket_png(576)]
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
