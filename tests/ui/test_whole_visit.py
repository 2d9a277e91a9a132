"""A whole citizen's visit through the three windows, on one real database and simulated devices.

Ticket at the kiosk (printed on the simulated printer) → the display shows the call and its voice
queue gets the sentence → the officer receives the dossier with the keyboard → Mẫu 01 as a PDF whose
text holds the code → the keypad's rating is recorded for the visit → the result is returned by a scan.
Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.db.models import Rating, Ticket
from counter_app.domain.devices import DeviceKind
from counter_app.domain.dossier import DossierStatus
from counter_app.domain.forms import FormKind
from counter_app.domain.queue import Outcome, TicketStatus
from devices.simulators import registry
from devices.simulators.keypad import KeypadSim
from devices.simulators.printer import PrinterSim
from tests.conftest import Centre
from tests.support.intake import BUILD, set_up_intake
from tests.support.keys import KeyRhythm
from tests.ui.display.conftest import FakeVoice, QuickPlayer
from ui.counter.window import CounterWindow
from ui.display.announcer import Announcer
from ui.display.window import DisplayWindow
from ui.kiosk.window import KioskWindow

CENTRE = "Trung tâm Phục vụ hành chính công tỉnh Tiền Giang"
CHIP_QR = "001095012345|012345678|Nguyễn Văn An|12031995|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15042021"
B001_SENTENCE = "Kính mời công dân có số thứ tự bê không trăm linh một đến quầy số một."


@dataclass
class Hall:
    centre: Centre
    kiosk: KioskWindow
    display: DisplayWindow
    announcer: Announcer
    counter: CounterWindow
    printer: PrinterSim
    keypad: KeypadSim

    def settle(self) -> None:
        for _round in range(3):
            self.kiosk.runner.wait()
            self.counter.runner.wait()
            self.display.wait()


@pytest.fixture
def hall(qtbot: QtBot, centre: Centre, tmp_path: Path) -> Iterator[Hall]:
    registry.reset()
    app = centre.app
    set_up_intake(app, centre.admin)
    admin = centre.admin
    app.devices.add(admin, DeviceKind.PRINTER, "sim://hall-printer?kind=printer&dots=576", paper_dots=576)
    app.devices.add(
        admin, DeviceKind.KEYPAD, "sim://keypad-01?kind=keypad&address=1", address=1, counter_label="01"
    )
    app.devices.add(
        admin, DeviceKind.BOARD, "sim://boards?kind=board&addresses=1", address=1, counter_label="01"
    )
    printer = registry.device_for("hall-printer", {"kind": "printer", "dots": "576"})
    keypad = registry.device_for("keypad-01", {"kind": "keypad", "address": "1"})
    assert isinstance(printer, PrinterSim) and isinstance(keypad, KeypadSim)
    kiosk = KioskWindow(app, centre.kiosk, centre_name=CENTRE)
    announcer = Announcer(app.settings.get, FakeVoice(), player=QuickPlayer())
    display = DisplayWindow(app, centre.display, centre_name=CENTRE, announcer=announcer)
    counter = CounterWindow(app, forms_folder=tmp_path / "forms", run_sync=False)
    counter.scans.clock_ms = KeyRhythm(5)  # a USB scanner's key rhythm
    for window in (kiosk, display, counter):
        qtbot.addWidget(window)
        window.show()
    kiosk.start()
    display.start()
    counter.open_session(centre.lan, app.counters.get("01"))
    hall = Hall(centre, kiosk, display, announcer, counter, printer, keypad)
    hall.settle()
    yield hall
    counter.shutdown()
    kiosk.close()
    display.close()
    announcer.close()
    registry.reset()


def test_a_whole_visit_with_the_keyboard(qtbot: QtBot, hall: Hall) -> None:
    app, lan = hall.centre.app, hall.centre.lan
    # 1. The kiosk: a tap on "Đất đai" prints B001.
    hall.kiosk.start_page.area_buttons["B"].click()
    hall.settle()
    assert len(hall.printer.jobs) == 1
    assert hall.kiosk.stack.currentWidget() is hall.kiosk.ticket_page

    # 2. F1 at counter 01: the display shows the call and the voice queue says it.
    hall.counter.activateWindow()
    QTest.keyClick(hall.counter.focusWidget() or hall.counter, Qt.Key.Key_F1)
    hall.settle()
    assert hall.counter.queue_panel.number.text() == "B001"
    qtbot.waitUntil(lambda: B001_SENTENCE in hall.announcer.spoken, timeout=5000)
    assert hall.display.latest_number.text() == "B001"

    code = receive_with_the_keyboard(qtbot, hall)
    rate_on_the_keypad(qtbot, hall, code)

    # 6. Days later the result is ready; the citizen's receipt is scanned and F6 returns it.
    app.dossiers.result_ready(lan, code)
    hall.counter.scans.clock_ms = KeyRhythm(5)  # the scanner types
    target = hall.counter.focusWidget() or hall.counter
    QTest.keyClicks(target, code)
    QTest.keyClick(target, Qt.Key.Key_Return)
    hall.settle()
    assert hall.counter.tabs.currentWidget() is hall.counter.dossier
    QTest.keyClick(hall.counter.focusWidget() or hall.counter, Qt.Key.Key_F6)
    hall.settle()
    assert app.dossier_queries.show(lan, code).status is DossierStatus.RETURNED


def receive_with_the_keyboard(qtbot: QtBot, hall: Hall) -> str:
    """The intake, keyboard only; returns the code of the dossier received."""
    app = hall.centre.app
    # 3. The intake, keyboard only: procedure by words without accents, all papers ticked, the chip
    #    card read by the scanner, Ctrl+S.
    intake = hall.counter.intake
    hall.counter.scans.clock_ms = KeyRhythm(150)  # a person types
    QTest.keyClicks(intake.search, "xay dung")
    qtbot.waitUntil(lambda: intake.results.count() == 1, timeout=5000)
    QTest.keyClick(intake.search, Qt.Key.Key_Return)
    assert intake.procedure is not None and intake.procedure.code == BUILD
    intake.checklist.setFocus()
    QTest.keyClick(intake.checklist, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(intake.checklist, Qt.Key.Key_Space)
    hall.counter.scans.scanned.emit(CHIP_QR)  # what the scanner delivers (non-ASCII: not typeable by QTest)
    hall.settle()
    assert intake.applicant.name.text() == "Nguyễn Văn An"
    QTest.keyClick(hall.counter.focusWidget() or intake, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    hall.settle()
    qtbot.waitUntil(lambda: bool(hall.counter.printed), timeout=10_000)

    # 4. Mẫu 01 exists as a PDF with the dossier's code; the visit ended with the dossier.
    receipt = hall.counter.printed[-1]
    assert receipt.kind is FormKind.RECEIPT and receipt.path.exists()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.data)).pages)
    assert receipt.code in text and "Nguyễn Văn An" in text
    with app.db.reading() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == "B001"))
        assert ticket is not None
        assert (ticket.status, ticket.outcome, ticket.dossier_code) == (
            TicketStatus.FINISHED,
            Outcome.DOSSIER_RECEIVED,
            receipt.code,
        )
    return receipt.code


def rate_on_the_keypad(qtbot: QtBot, hall: Hall, code: str) -> None:
    app = hall.centre.app
    # 5. The keypad lit up for the visit; the citizen presses "very satisfied".
    devices = hall.counter.devices
    assert devices is not None
    devices.hub.drain()
    hall.keypad.press(1)

    def rated() -> bool:
        devices.tick()
        devices.hub.drain()
        hall.counter.runner.wait()
        with app.db.reading() as session:
            return session.scalar(select(Rating.dossier_code).where(Rating.level == 1)) == code

    qtbot.waitUntil(rated, timeout=5000)
