"""The kiosk window on a real database and a simulated ESC/POS printer: tickets on paper (or on screen
with a QR code when the paper is out), priority, look-up by scan and by keypad, procedure information,
the return to rest, and no way out for a citizen."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.cli.hardware import KioskPrint, send_kiosk_ticket, ticket_slip
from counter_app.db.models import Ticket
from counter_app.domain.devices import DeviceKind
from counter_app.domain.dossier import DossierStatus, status_label
from counter_app.domain.forms import short_date
from counter_app.domain.ticket_slip import lookup_reference
from counter_app.i18n import _
from counter_app.services.procedure_files import demo_catalogue_path, read_procedures
from counter_app.services.views import IssuedTicket
from devices.simulators import registry
from devices.simulators.printer import PrinterSim
from printing.raster import Align, render_text
from printing.ticket import number_size
from tests.conftest import Centre
from tests.printing.ticket_support import find_exact, ink
from tests.support.intake import AN, BUILD, request, set_up_intake
from tests.support.keys import KeyRhythm
from ui.kiosk.window import KioskWindow

CENTRE_NAME = "Trung tâm Phục vụ hành chính công xã Tân Phú"


@dataclass
class Kiosk:
    window: KioskWindow
    printer: PrinterSim
    printed: list[IssuedTicket]  # what the window handed to the printer
    centre: Centre


@pytest.fixture(autouse=True)
def fresh_simulators() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


def open_kiosk(qtbot: QtBot, centre: Centre, *, idle_seconds: int | None = None) -> Kiosk:
    app = centre.app
    sim = registry.device_for("kiosk", {"kind": "printer", "dots": "576"})
    assert isinstance(sim, PrinterSim)
    app.devices.add(centre.admin, DeviceKind.PRINTER, "sim://kiosk?kind=printer&dots=576", paper_dots=576)
    if idle_seconds is not None:
        app.settings.set(centre.admin, "kiosk_idle_seconds", idle_seconds)
    printed: list[IssuedTicket] = []

    def print_ticket(issued: IssuedTicket) -> KioskPrint:
        printed.append(issued)
        return send_kiosk_ticket(app, issued, CENTRE_NAME)

    window = KioskWindow(
        app, centre.kiosk, centre_name=CENTRE_NAME, print_ticket=print_ticket, scan_clock_ms=KeyRhythm(8)
    )
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.runner.wait()
    return Kiosk(window, sim, printed, centre)


@pytest.fixture
def kiosk(qtbot: QtBot, centre: Centre) -> Kiosk:
    return open_kiosk(qtbot, centre)


def label_texts(window: QWidget) -> list[str]:
    return [widget.text() for widget in window.findChildren(QLabel)]


def tap_area(kiosk: Kiosk, prefix: str) -> None:
    kiosk.window.start_page.area_buttons[prefix].click()
    kiosk.window.runner.wait()  # issue, then print: two calls, each answered on the GUI thread
    kiosk.window.runner.wait()


def ticket_row(centre: Centre, number: str) -> Ticket:
    with centre.app.db.reading() as session:
        row = session.scalar(select(Ticket).where(Ticket.number == number))
        assert row is not None, f"no ticket {number} in the database"
        session.expunge(row)
        return row


def number_render(number: str, dots: int = 576) -> Image.Image:
    return render_text(
        number, dots, size=number_size(number, dots), bold=True, align=Align.CENTER, headline=True
    )


def qimage_to_pil(image: QImage) -> Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return Image.frombytes(
        "RGB", (rgb.width(), rgb.height()), bytes(rgb.constBits()), "raw", "RGB", rgb.bytesPerLine()
    )


def test_the_start_page_shows_each_area_and_the_centre(kiosk: Kiosk) -> None:
    page = kiosk.window.start_page
    assert kiosk.window.current_page() is page
    assert sorted(page.area_buttons) == ["A", "B"]
    assert "Hộ tịch – Chứng thực" in page.area_buttons["A"].text()
    assert "Đất đai" in page.area_buttons["B"].text()
    assert page.header.text() == CENTRE_NAME
    assert all(button.height() >= 120 for button in page.area_buttons.values())
    assert page.priority_button.height() >= 120 and page.lookup_button.height() >= 120


def test_tapping_an_area_issues_prints_and_shows_the_ticket(kiosk: Kiosk) -> None:
    tap_area(kiosk, "A")
    window = kiosk.window
    assert window.current_page() is window.ticket_page
    row = ticket_row(kiosk.centre, "A001")
    assert row.priority is False and row.business_date.isoformat() == "2026-12-07"
    page = window.ticket_page
    assert page.number.text() == "A001"
    assert page.area.text() == "Hộ tịch – Chứng thực"
    assert page.people_ahead.text() == "0"
    assert page.issued_at.text() == "08:00 07/12/2026"
    assert page.title.text() == _("Please take your ticket below.")
    assert page.qr_box.isHidden()
    assert len(kiosk.printer.jobs) == 1
    image = kiosk.printer.ticket_image(0)
    assert find_exact(image, ink(number_render("A001"))) is not None, "the number is on the paper"

    page.done_button.click()
    window.runner.wait()
    assert window.current_page() is window.start_page
    tap_area(kiosk, "A")
    assert page.number.text() == "A002" and page.people_ahead.text() == "1"
    expected_wait = ticket_slip(kiosk.printed[-1], CENTRE_NAME).wait_minutes
    assert expected_wait > 0
    assert page.wait.text() == _("about {minutes} min").format(minutes=expected_wait)
    assert len(kiosk.printer.jobs) == 2


def test_out_of_paper_shows_the_number_and_a_qr_code_and_says_why(kiosk: Kiosk) -> None:
    kiosk.printer.paper_out = True
    tap_area(kiosk, "A")
    window, page = kiosk.window, kiosk.window.ticket_page
    assert kiosk.printer.jobs == []
    assert ticket_row(kiosk.centre, "A001").status.value == "waiting", "the ticket stands without paper"
    assert window.current_page() is page and page.number.text() == "A001"
    assert page.qr_box.isVisibleTo(window)
    assert "hết giấy" in page.reason.text()
    assert "hiển thị số trên màn hình" not in page.reason.text(), (
        "staff wording stays off the citizen's screen"
    )
    decoded = zxingcpp.read_barcodes(qimage_to_pil(page.qr_pixmap.toImage()))
    assert [code.text for code in decoded] == [lookup_reference(datetime(2026, 12, 7).date(), "A001")]
    assert window.idle_timer.isActive()
    assert window.idle_timer.interval() == 2 * window.idle_seconds * 1000, "longer, to photograph it"


def test_the_kiosk_returns_to_the_start_page_when_left_alone(qtbot: QtBot, centre: Centre) -> None:
    kiosk = open_kiosk(qtbot, centre, idle_seconds=3)
    window = kiosk.window
    assert window.idle_seconds == 3
    assert not window.idle_timer.isActive(), "the start page is at rest"
    tap_area(kiosk, "B")
    assert window.current_page() is window.ticket_page
    assert window.idle_timer.interval() == 3000
    qtbot.waitUntil(lambda: window.idle_timer.remainingTime() < 2000, timeout=3000)
    qtbot.mouseClick(window.ticket_page.number, Qt.MouseButton.LeftButton)  # a touch restarts the time
    assert window.idle_timer.remainingTime() > 2500
    qtbot.waitUntil(lambda: window.current_page() is window.start_page, timeout=6000)
    window.runner.wait()


def test_a_priority_ticket_stores_the_category(kiosk: Kiosk) -> None:
    window = kiosk.window
    window.start_page.priority_button.click()
    assert window.current_page() is window.priority_page
    window.priority_page.choice_buttons["Người cao tuổi"].click()
    assert window.current_page() is window.start_page
    assert window.start_page.priority_button.isChecked()
    assert window.start_page.priority_banner.isVisibleTo(window)
    tap_area(kiosk, "B")
    row = ticket_row(kiosk.centre, "B001")
    assert row.priority is True and row.priority_reason == "Người cao tuổi"
    assert window.ticket_page.priority.isVisibleTo(window)
    window.ticket_page.done_button.click()
    window.runner.wait()
    assert not window.start_page.priority_button.isChecked(), "the next citizen starts without priority"
    tap_area(kiosk, "B")
    assert ticket_row(kiosk.centre, "B002").priority is False


def test_pressing_priority_again_cancels_it(kiosk: Kiosk) -> None:
    window = kiosk.window
    window.start_page.priority_button.click()
    window.priority_page.choice_buttons["Phụ nữ mang thai"].click()
    window.start_page.priority_button.click()
    assert window.current_page() is window.start_page
    assert window.priority is None and not window.start_page.priority_button.isChecked()
    assert window.start_page.priority_banner.isHidden()


def test_ticket_hours_refusal_is_said_on_the_kiosk(kiosk: Kiosk) -> None:
    kiosk.centre.app.catalogue.set_ticket_hours(kiosk.centre.admin, "B", "13:30-16:30")
    tap_area(kiosk, "B")
    window = kiosk.window
    assert window.current_page() is window.message_page
    assert "13:30" in window.message_page.sentence.text() and "Đất đai" in window.message_page.sentence.text()
    assert kiosk.printer.jobs == [] and not window.issuing


@pytest.fixture
def dossier(kiosk: Kiosk) -> tuple[str, str]:
    """A dossier of Nguyễn Văn An: its code and its appointment as dd/mm/yyyy."""
    centre = kiosk.centre
    set_up_intake(centre.app, centre.admin)
    view = centre.app.dossiers.receive(centre.lan, request(BUILD))
    assert view.due_at is not None
    return view.code, short_date(view.due_at)


def assert_public_status_only(kiosk: Kiosk, code: str, appointment: str) -> None:
    window = kiosk.window
    assert window.current_page() is window.status_page
    page = window.status_page
    assert page.code.text() == code
    assert page.initials.text() == "N. V. A."
    words = status_label(DossierStatus.RECEIVED)
    assert page.status.text() == words[:1].upper() + words[1:]
    assert page.appointment.text() == appointment
    texts = " | ".join(label_texts(window))
    for private in (AN.name, AN.id_number, "0912 345 678", "0912345678", AN.address):
        assert private and private not in texts


def test_scanning_a_receipt_shows_status_and_appointment_with_initials_only(
    qtbot: QtBot, kiosk: Kiosk, dossier: tuple[str, str]
) -> None:
    code, appointment = dossier
    window = kiosk.window
    window.activateWindow()
    with qtbot.waitSignal(window.scan.scanned):
        qtbot.keyClicks(window, code)
        qtbot.keyClick(window, Qt.Key.Key_Return)
    window.runner.wait()
    assert_public_status_only(kiosk, code, appointment)


def test_typing_the_code_on_the_keypad(kiosk: Kiosk, dossier: tuple[str, str]) -> None:
    code, appointment = dossier
    window = kiosk.window
    window.start_page.lookup_button.click()
    assert window.current_page() is window.lookup_page
    pad = window.lookup_page.keypad
    pad.keys["9"].click()
    pad.erase_key.click()
    for char in code:
        pad.keys[char].click()
    assert window.lookup_page.entry.text() == code
    window.lookup_page.go_button.click()
    window.runner.wait()
    assert_public_status_only(kiosk, code, appointment)


def test_an_unknown_code_gets_a_sentence_and_the_kiosk_goes_back(kiosk: Kiosk) -> None:
    window = kiosk.window
    window.start_page.lookup_button.click()
    code = "000.00.10.H49-261123-9999"
    window.lookup_page.keypad.press(code)
    window.lookup_page.go_button.click()
    window.runner.wait()
    assert window.current_page() is window.message_page
    assert window.message_page.sentence.text() == _("There is no dossier with code {code}.").format(code=code)
    assert window.idle_timer.isActive()
    window.idle_timer.timeout.emit()  # the idle time is over
    window.runner.wait()
    assert window.current_page() is window.start_page and window.lookup_page.code == ""


def test_procedure_information_by_touch(qtbot: QtBot, kiosk: Kiosk) -> None:
    centre = kiosk.centre
    report = centre.app.procedures.import_procedures(
        centre.admin, read_procedures(demo_catalogue_path()).procedures, source="demo"
    )
    assert report.ok
    window = kiosk.window
    window.start_page.info_button.click()
    window.runner.wait()
    page = window.info_page
    assert page.results.count() == report.added, "all procedures before any word is typed"
    page.type_words("khai sinh")
    window.runner.wait()
    names = [page.results.item(i).text() for i in range(page.results.count())]
    assert "Đăng ký khai sinh" in names and "Đăng ký kết hôn" not in names
    assert page.entry.text() == "KHAI SINH"

    page.filter_buttons["B"].click()
    window.runner.wait()
    assert page.results.count() == 0
    page.filter_buttons["A"].click()
    window.runner.wait()
    item = page.results.item(names.index("Đăng ký khai sinh"))
    page.results.scrollToItem(item)
    qtbot.mouseClick(
        page.results.viewport(), Qt.MouseButton.LeftButton, pos=page.results.visualItemRect(item).center()
    )
    assert window.current_page() is window.procedure_page
    texts = label_texts(window.procedure_page)
    assert any("Tờ khai đăng ký khai sinh" in t and "bản chính" in t and "1" in t for t in texts)
    assert any("Không thu phí, lệ phí" in t for t in texts)

    window.procedure_page.back_button.click()
    page.keyboard.cleared.emit()
    page.type_words("di chuc")
    window.runner.wait()
    assert [page.results.item(i).text() for i in range(page.results.count())] == ["Chứng thực di chúc"]
    page.results.itemClicked.emit(page.results.item(0))
    texts = label_texts(window.procedure_page)
    assert any("50.000 đồng" in t for t in texts)
    assert not any("khai sinh" in t.lower() for t in texts), "nothing left of the procedure shown before"
    assert any("02 ngày làm việc" in t for t in texts)


def test_esc_alt_f4_and_the_window_manager_do_not_close_the_kiosk(qtbot: QtBot, kiosk: Kiosk) -> None:
    window = kiosk.window
    window.start_page.lookup_button.click()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.keyClick(window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    close = QCloseEvent()
    QApplication.sendEvent(window, close)
    assert not close.isAccepted()
    assert window.isVisible() and window.current_page() is window.lookup_page
    assert window.close() and not window.isVisible(), "the program itself can close it"
