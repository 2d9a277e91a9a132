"""The counter officer's window against a real database, with simulated board and keypad.

Driven by keys only: F1–F5 move the queue, a scan opens a dossier, F6 returns it, Ctrl+F searches.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from counter_app.db.models import Rating, Ticket
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.devices import DeviceKind
from counter_app.domain.dossier import DossierStatus
from counter_app.domain.forms import FormKind
from counter_app.domain.queue import Outcome, TicketStatus
from devices.simulators import registry
from devices.simulators.keypad import KeypadSim
from tests.conftest import Centre
from tests.support.intake import request as intake_request
from tests.support.intake import set_up_intake
from tests.support.keys import KeyRhythm
from ui.counter.window import CounterWindow

KEYPAD = "sim://ui-keypad-01?kind=keypad&address=1"


@pytest.fixture
def window(qtbot: QtBot, centre: Centre, tmp_path: Path) -> Iterator[CounterWindow]:
    registry.reset()
    app = centre.app
    set_up_intake(app, centre.admin)
    app.devices.add(centre.admin, DeviceKind.KEYPAD, KEYPAD, address=1, counter_label="01")
    window = CounterWindow(app, forms_folder=tmp_path / "forms", run_sync=False)
    window.scans.clock_ms = KeyRhythm(5)
    qtbot.addWidget(window)
    window.show()
    window.open_session(centre.lan, app.counters.get("01"))
    window.runner.wait()
    yield window
    window.shutdown()


def press(qtbot: QtBot, window: CounterWindow, key: Qt.Key) -> None:
    qtbot.keyClick(window.focusWidget() or window, key)
    window.runner.wait()


def ticket_row(centre: Centre, number: str) -> Ticket:
    with centre.app.db.reading() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None
        return ticket


def test_f1_calls_f2_recalls_and_the_focus_stays_in_the_form(
    qtbot: QtBot, window: CounterWindow, centre: Centre
) -> None:
    centre.app.queue.issue(centre.kiosk, "A")
    focus_before = window.focusWidget()
    press(qtbot, window, Qt.Key.Key_F1)
    assert window.queue_panel.number.text() == "A001"
    assert ticket_row(centre, "A001").status is TicketStatus.CALLED
    press(qtbot, window, Qt.Key.Key_F2)
    assert ticket_row(centre, "A001").recall_count == 1
    assert window.focusWidget() is not None and window.focusWidget() is focus_before


def test_a_refused_action_is_one_sentence_in_the_status_line(
    qtbot: QtBot, window: CounterWindow, centre: Centre
) -> None:
    centre.app.queue.issue(centre.kiosk, "A")
    press(qtbot, window, Qt.Key.Key_F1)
    press(qtbot, window, Qt.Key.Key_F3)  # absent before two recalls: the rule refuses
    text = window.status.text()
    assert "A001" in text and "Traceback" not in text
    assert ticket_row(centre, "A001").status is TicketStatus.CALLED


def test_nobody_waiting_is_said_plainly(qtbot: QtBot, window: CounterWindow) -> None:
    press(qtbot, window, Qt.Key.Key_F1)
    assert window.queue_panel.number.text() == "—"
    assert window.status.text()  # "nobody is waiting", translated


def test_finish_with_the_keyboard_lights_the_keypad_and_records_the_rating(
    qtbot: QtBot, window: CounterWindow, centre: Centre
) -> None:
    centre.app.queue.issue(centre.kiosk, "A")
    press(qtbot, window, Qt.Key.Key_F1)
    window.finish_visit(Outcome.GUIDANCE)  # what F5's dialog answers with "1"
    window.runner.wait()
    assert ticket_row(centre, "A001").status is TicketStatus.FINISHED
    assert window.devices is not None
    window.devices.hub.drain()
    keypad: KeypadSim = registry.get("ui-keypad-01")
    keypad.press(1)
    devices = window.devices

    def rated() -> bool:
        devices.tick()
        devices.hub.drain()
        window.runner.wait()
        return _rating(centre) is not None

    qtbot.waitUntil(rated, timeout=5000)
    assert _rating(centre) == 1


def _rating(centre: Centre) -> int | None:
    with centre.app.db.reading() as session:
        return session.scalar(select(Rating.level))


def test_a_scan_anywhere_opens_the_dossier_and_f6_returns_it(
    qtbot: QtBot, window: CounterWindow, centre: Centre
) -> None:
    app = centre.app
    view = app.dossiers.receive(centre.lan, intake_request())
    app.dossiers.result_ready(centre.lan, view.code)
    window.focus_search()
    qtbot.keyClicks(window.search.box, view.code)
    qtbot.keyClick(window.search.box, Qt.Key.Key_Return)
    window.runner.wait()
    assert window.tabs.currentWidget() is window.dossier
    assert view.code in window.dossier.title.text()
    assert window.search.box.text() == ""  # the scanned code was taken back out of the search box
    press(qtbot, window, Qt.Key.Key_F6)
    assert app.dossier_queries.show(centre.lan, view.code).status is DossierStatus.RETURNED


def test_search_by_name_without_diacritics(qtbot: QtBot, window: CounterWindow, centre: Centre) -> None:
    view = centre.app.dossiers.receive(centre.lan, intake_request())
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.box.hasFocus()
    window.scans.clock_ms = KeyRhythm(200)  # a person types: not a scan
    with qtbot.waitSignal(window.search.answered, timeout=3000):
        qtbot.keyClicks(window.search.box, "nguyen van an")
    window.runner.wait()
    assert window.search.results.rowCount() == 1
    assert window.search.results.item(0, 0).text() == view.code


def test_a_late_dossier_shows_the_apology_flow_and_mau_04_is_printed(
    qtbot: QtBot, window: CounterWindow, centre: Centre, clock: ManualClock
) -> None:
    app = centre.app
    view = app.dossiers.receive(centre.lan, intake_request())
    assert view.due_at is not None
    clock.set(view.due_at + timedelta(days=1))
    window.open_dossier(view.code)
    window.runner.wait()
    # The officer is told whom to ask; the form is for the supervisor's account.
    assert not window.dossier.apology.isVisibleTo(window)
    assert window.dossier.state.text().count("\n") >= 2
    window.open_session(centre.supervisor, app.counters.get("01"))
    window.open_dossier(view.code)
    window.runner.wait()
    panel = window.dossier
    assert panel.apology.isVisibleTo(window)
    panel.reason.setText("Chờ ý kiến của Sở Xây dựng")
    panel.unit.setText("Phòng Kinh tế")
    panel.head.setText("Trần Văn Bình")
    new_day = (view.due_at + timedelta(days=7)).astimezone(LOCAL_TZ)
    while new_day.weekday() >= 5:
        new_day += timedelta(days=1)
    window.scans.clock_ms = KeyRhythm(200)  # the supervisor types the date
    qtbot.keyClicks(panel.new_date, new_day.strftime("%d/%m/%Y"))
    qtbot.keyClick(panel.new_date, Qt.Key.Key_Return)
    window.runner.wait()
    window.runner.wait()
    assert app.dossier_queries.show(centre.lan, view.code).status is DossierStatus.DELAYED, (
        window.status.text()
    )
    apology = window.printed[-1]
    assert apology.kind is FormKind.APOLOGY and apology.path.exists()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(apology.data)).pages)
    assert view.code in text and "Phòng Kinh tế" in text


def test_a_form_that_cannot_be_written_never_loses_the_saved_dossier(
    qtbot: QtBot, window: CounterWindow, centre: Centre, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the forms folder should be", encoding="utf-8")
    window.forms_folder = blocked / "forms"
    centre.app.queue.issue(centre.kiosk, "B")
    press(qtbot, window, Qt.Key.Key_F1)
    view = centre.app.dossiers.receive(centre.lan, intake_request(ticket_number="B001"))
    window.intake.received.emit(view)  # what Ctrl+S answers with (driven key by key in test_whole_visit)
    window.runner.wait()
    window.runner.wait()
    assert view.code in window.status.text() and "Traceback" not in window.status.text()
    assert centre.app.dossier_queries.show(centre.lan, view.code).status is DossierStatus.RECEIVED
    assert ticket_row(centre, "B001").dossier_code == view.code  # the visit still ended with it
    assert window.printed == []


def test_a_board_that_does_not_answer_is_red_in_the_header_with_its_reason(
    qtbot: QtBot, centre: Centre, tmp_path: Path
) -> None:
    registry.reset()
    app = centre.app
    app.devices.add(
        centre.admin, DeviceKind.BOARD, "sim://ui-board?kind=board&addresses=1", address=1, counter_label="01"
    )
    board = registry.device_for("ui-board", {"kind": "board", "addresses": "1"})
    board.unplug()
    window = CounterWindow(app, forms_folder=tmp_path / "forms", run_sync=False)
    qtbot.addWidget(window)
    window.open_session(centre.lan, app.counters.get("01"))
    assert window.devices is not None
    window.devices.hub.probe()
    window.devices.check_health()
    window.runner.wait()
    text = window.header.devices.text()
    assert "01" in text and "bold" in window.header.devices.styleSheet()
    board.plug_in()
    window.devices.hub.probe()
    window.devices.check_health()
    window.runner.wait()
    assert "bold" not in window.header.devices.styleSheet()
    window.shutdown()
