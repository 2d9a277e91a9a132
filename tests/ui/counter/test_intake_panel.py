"""The intake panel driven from the keyboard as an officer would, checked against what the database holds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter_app.db.database import Database
from counter_app.db.models import Dossier
from counter_app.domain.citizen_id import Gender
from counter_app.domain.clock import ManualClock, format_date, format_local_time, local_date
from counter_app.domain.dossier import DossierStatus, PaymentMethod, status_label
from counter_app.domain.procedure import CopyKind
from counter_app.domain.working_days import weekday_name
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from counter_app.services.dossier_views import DossierView
from tests.conftest import Centre, build_centre
from tests.support.intake import AN, BUILD, PROCEDURES, request, set_up_intake
from ui.common.runner import ServiceRunner
from ui.counter.intake_checklist import KIND
from ui.counter.intake_panel import IntakePanel
from ui.counter.intake_text import missing_document_line

CHIP_QR = "001095012345|012345678|Nguyễn Văn An|12031995|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15042021"
BUILD_NAME = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
S = DossierStatus


@pytest.fixture
def desk(sqlite_database: Database, clock: ManualClock) -> Centre:
    """SQLite is enough for driving the panel; the last test runs on both databases."""
    centre = build_centre(CounterApp(sqlite_database, clock))
    set_up_intake(centre.app, centre.admin)
    return centre


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[ServiceRunner]:
    runner = ServiceRunner()
    yield runner
    runner.wait()


@pytest.fixture
def panel(desk: Centre, runner: ServiceRunner, qtbot: QtBot) -> IntakePanel:
    panel = IntakePanel(desk.app, runner)
    qtbot.addWidget(panel)
    panel.set_actor(desk.lan)
    panel.resize(1366, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.start(None, "B")
    runner.wait()
    return panel


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def focused_widget() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(
    widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, key, modifier)


def type_ascii(widget: QWidget, text: str) -> None:
    """QTest types ASCII only; Vietnamese text reaches a field through the input method (``insert``)."""
    QTest.keyClicks(widget, text)


def result_lines(panel: IntakePanel) -> list[str]:
    return [panel.results.item(row).text() for row in range(panel.results.count())]


def history_rows(panel: IntakePanel) -> list[list[str]]:
    rows = []
    for index in range(panel.history.topLevelItemCount()):
        item = panel.history.topLevelItem(index)
        assert item is not None
        rows.append([item.text(column) for column in range(4)])
    return rows


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def choose_build(panel: IntakePanel, qtbot: QtBot) -> None:
    """Type words without diacritics, wait for the list, Enter."""
    type_ascii(panel.search, "xay dung")
    qtbot.waitUntil(lambda: panel.results.count() == 1 and BUILD_NAME in result_lines(panel)[0])
    press(panel.search, Qt.Key.Key_Return)
    assert panel.procedure is not None and panel.procedure.code == BUILD


def tick_all(panel: IntakePanel, qtbot: QtBot) -> None:
    panel.checklist.setFocus()
    press(panel.checklist, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(panel.checklist, Qt.Key.Key_Space)


def fill_an(panel: IntakePanel, qtbot: QtBot) -> None:
    form = panel.applicant
    form.name.insert(AN.name)  # QTest types ASCII only; Vietnamese arrives through the input method
    type_ascii(form.id_number, AN.id_number or "")
    type_ascii(form.date_of_birth, "12/03/1995")
    type_ascii(form.phone, AN.phone or "")


def dossier_count(desk: Centre) -> int:
    with desk.app.db.reading() as session:
        return session.scalar(select(func.count(Dossier.id))) or 0


# -- the procedure -----------------------------------------------------------------------------------


def test_typing_words_without_accents_finds_the_procedure_and_enter_shows_its_checklist(
    panel: IntakePanel, qtbot: QtBot
) -> None:
    assert focused() is panel.search  # start() puts the cursor where the officer begins
    qtbot.waitUntil(lambda: panel.results.count() == len(PROCEDURES))  # empty box: the whole catalogue
    # The ticket's area (B) comes first.
    assert [line[:8] for line in result_lines(panel)[:2]] == [BUILD, "1.900002"]
    choose_build(panel, qtbot)
    build = PROCEDURES[0]
    checklist = panel.checklist
    assert checklist.rowCount() == len(build.documents) == 3
    assert [cell(checklist, row, 1).text() for row in range(3)] == [d.name for d in build.documents]
    assert cell(checklist, 1, KIND).text() == "Bản sao có chứng thực"
    assert [cell(checklist, row, 3).text() for row in range(3)] == ["1", "1", "2"]
    assert focused() is checklist
    assert BUILD_NAME in panel.chosen.text()
    assert "75.000 đồng" in panel.fee.text()
    assert panel.payment.isEnabled()
    assert "15 ngày làm việc" in panel.procedure_info.text()


def test_up_down_move_through_the_results_and_a_code_finds_its_procedure(
    panel: IntakePanel, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: panel.results.count() == len(PROCEDURES))
    press(panel.search, Qt.Key.Key_Down)
    press(panel.search, Qt.Key.Key_Down)
    press(panel.search, Qt.Key.Key_Up)
    assert panel.results.currentRow() == 1
    press(panel.search, Qt.Key.Key_Return)
    assert panel.procedure is not None and panel.procedure.code == "1.900002"
    assert panel.fee.text() == _("No fee or charge") and not panel.payment.isEnabled()
    panel.search.setFocus()
    type_ascii(panel.search, "900003")
    qtbot.waitUntil(lambda: panel.results.count() == 1 and "Chứng thực" in result_lines(panel)[0])


def test_enter_typed_faster_than_the_search_answers_chooses_from_the_new_answer(
    panel: IntakePanel, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: panel.results.count() == len(PROCEDURES))
    type_ascii(panel.search, "chung thuc")
    press(panel.search, Qt.Key.Key_Return)  # before the 150 ms debounce ran
    qtbot.waitUntil(lambda: panel.procedure is not None)
    assert panel.procedure is not None and panel.procedure.code == "1.900003"


# -- the applicant -------------------------------------------------------------------------------------


def test_id_number_is_judged_as_typed(panel: IntakePanel, qtbot: QtBot) -> None:
    status = panel.applicant.id_status
    type_ascii(panel.applicant.id_number, "00109501234")
    assert status.property("level") == "error"
    assert "12 chữ số" in status.text() and "11" in status.text()
    type_ascii(panel.applicant.id_number, "5")
    assert status.property("level") == "ok"
    assert status.text().startswith("✓") and "Hà Nội" in status.text() and "1995" in status.text()
    type_ascii(panel.applicant.date_of_birth, "12/03/1996")  # contradicts the encoded year
    assert status.property("level") == "error" and "1996" in status.text()
    panel.applicant.id_number.setText("999095012345")  # not a province code: warn, don't block
    panel.applicant.date_of_birth.clear()
    assert status.property("level") == "warning" and "999" in status.text()


def test_chip_card_qr_fills_the_applicant(panel: IntakePanel) -> None:
    assert panel.fill_from_chip_qr(CHIP_QR + "\r\n")
    form = panel.applicant
    assert form.name.text() == "Nguyễn Văn An"
    assert form.id_number.text() == "001095012345"
    assert form.date_of_birth.text() == "12/03/1995"
    assert form.gender.currentData() == Gender.MALE.value
    assert form.old_id_number.text() == "012345678"
    assert form.address.text() == "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    assert form.id_status.property("level") == "ok"


def test_a_line_that_is_not_a_card_says_so_and_changes_nothing(panel: IntakePanel, qtbot: QtBot) -> None:
    panel.applicant.name.setText("Trần Thị Bình")
    with qtbot.waitSignal(panel.message) as said:
        assert not panel.fill_from_chip_qr("B001")
    assert said.args == [_("This does not look like the QR code of a citizen identity card.")]
    assert panel.applicant.name.text() == "Trần Thị Bình"
    assert panel.feedback.text() == said.args[0]


def test_a_valid_id_lists_the_earlier_dossiers_of_that_person(
    desk: Centre, panel: IntakePanel, qtbot: QtBot
) -> None:
    earlier = desk.app.dossiers.receive(desk.lan, request())
    desk.app.dossiers.refuse_at_counter(desk.lan, request("1.900002"), "Không thuộc thẩm quyền")
    type_ascii(panel.applicant.id_number, AN.id_number or "")
    qtbot.waitUntil(lambda: panel.history.topLevelItemCount() == 2)
    rows = history_rows(panel)
    assert [earlier.code, BUILD_NAME, status_label(S.RECEIVED), "07/12/2026"] in rows
    assert sorted(row[2] for row in rows) == sorted([status_label(S.RECEIVED), status_label(S.REFUSED)])
    panel.applicant.id_number.backspace()  # invalid again: the list goes
    qtbot.waitUntil(lambda: panel.history.topLevelItemCount() == 0)


# -- saving --------------------------------------------------------------------------------------------


def test_appointment_preview_is_the_saved_due_date_and_ctrl_s_receives(
    desk: Centre, panel: IntakePanel, qtbot: QtBot
) -> None:
    ticket = desk.app.queue.issue(desk.kiosk, "B").ticket
    desk.app.queue.call_next(desk.lan, "01")
    panel.start(ticket.number, "B")
    choose_build(panel, qtbot)
    qtbot.waitUntil(lambda: "/" in panel.appointment.text())
    preview = panel.appointment.text()
    tick_all(panel, qtbot)
    assert panel.checklist.ticked_count() == 3
    fill_an(panel, qtbot)
    panel.payment.setCurrentIndex(panel.payment.findData(PaymentMethod.TRANSFER.value))
    with qtbot.waitSignal(panel.received) as saved:
        press(panel.applicant.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    view: DossierView = saved.args[0]
    stored = desk.app.dossier_queries.show(desk.lan, view.code)
    assert stored.status is DossierStatus.RECEIVED
    assert stored.applicant.name == AN.name and stored.applicant.id_number == AN.id_number
    assert stored.applicant.phone == "0912345678"
    assert stored.payment_method is PaymentMethod.TRANSFER
    assert stored.ticket_number == ticket.number
    assert [(d.position, d.copies) for d in stored.documents] == [(1, 1), (2, 1), (3, 2)]
    assert stored.due_at is not None
    due_day = local_date(stored.due_at)
    assert format_date(due_day) in preview and weekday_name(due_day) in preview
    assert format_local_time(stored.due_at) in preview
    # The dossier part is cleared (no second save of the same dossier), the cursor is back at the start.
    assert panel.procedure is None and panel.checklist.rowCount() == 0
    assert focused() is panel.search
    assert view.code in panel.feedback.text()
    assert panel.applicant.name.text() == AN.name  # the same citizen may file another procedure


def test_f9_saves_too_and_a_changed_kind_and_count_are_recorded(
    desk: Centre, panel: IntakePanel, qtbot: QtBot
) -> None:
    choose_build(panel, qtbot)
    tick_all(panel, qtbot)
    checklist = panel.checklist
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Plus):  # the drawings: 3 copies, not 2
        press(checklist, key)
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Return):
        press(checklist, key)  # the land certificate: open its kind
    editor = focused_widget()
    assert isinstance(editor, QComboBox)
    press(editor, Qt.Key.Key_Down)  # certified copy → plain copy
    press(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: cell(checklist, 1, KIND).text() == "Bản sao")
    assert cell(checklist, 2, 3).text() == "3"
    assert checklist.ticked_count() == 3  # moving and editing never untick
    fill_an(panel, qtbot)
    with qtbot.waitSignal(panel.received) as saved:
        press(panel.applicant.name, Qt.Key.Key_F9)
    stored = desk.app.dossier_queries.show(desk.lan, saved.args[0].code)
    assert [(d.kind, d.copies) for d in stored.documents] == [
        (CopyKind.ORIGINAL, 1),
        (CopyKind.COPY, 1),
        (CopyKind.ORIGINAL, 3),
    ]


def test_a_failed_save_says_why_and_keeps_every_field(desk: Centre, panel: IntakePanel, qtbot: QtBot) -> None:
    choose_build(panel, qtbot)
    tick_all(panel, qtbot)
    type_ascii(panel.applicant.id_number, AN.id_number or "")
    panel.applicant.address.insert("Số 1 Tràng Tiền")
    panel.applicant.phone.setFocus()
    type_ascii(panel.applicant.phone, "0912345678")
    with qtbot.waitSignal(panel.message) as said:
        press(panel.applicant.phone, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert said.args == [_("The applicant's name must not be empty.")]
    assert panel.feedback.text() == said.args[0] and panel.feedback.property("level") == "error"
    assert dossier_count(desk) == 0
    assert panel.procedure is not None and panel.checklist.ticked_count() == 3
    assert panel.applicant.id_number.text() == AN.id_number
    assert panel.applicant.address.text() == "Số 1 Tràng Tiền"
    assert focused() is panel.applicant.phone
    # Fix the one field and save again: nothing had to be retyped.
    panel.applicant.name.insert(AN.name)
    with qtbot.waitSignal(panel.received):
        press(panel.applicant.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dossier_count(desk) == 1


def test_ctrl_b_then_enter_requests_the_unticked_documents(
    desk: Centre, panel: IntakePanel, qtbot: QtBot
) -> None:
    choose_build(panel, qtbot)
    press(panel.checklist, Qt.Key.Key_Space)  # the first document only
    fill_an(panel, qtbot)
    press(panel.applicant.phone, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert panel.supplement_editor.isVisible() and focused() is panel.supplement_editor.items
    with qtbot.waitSignal(panel.supplement_requested) as saved:
        press(focused_widget(), Qt.Key.Key_Return)
    stored = desk.app.dossier_queries.show(desk.lan, saved.args[0].code)
    assert stored.status is DossierStatus.SUPPLEMENT_REQUESTED
    build = PROCEDURES[0]
    assert stored.data["supplement"]["missing"] == [
        missing_document_line(build.documents[1]),
        missing_document_line(build.documents[2]),
    ]
    assert stored.data["supplement"]["missing"][1].startswith("Bản vẽ thiết kế xây dựng (Bản chính, 2")
    assert [d.position for d in stored.documents] == [1]
    assert not panel.supplement_editor.isVisible() and focused() is panel.search


def test_esc_closes_the_supplement_editor_and_the_cursor_goes_back(panel: IntakePanel, qtbot: QtBot) -> None:
    choose_build(panel, qtbot)
    panel.applicant.name.setFocus()
    type_ascii(panel.applicant.name, "An")
    press(panel.applicant.name, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert panel.supplement_editor.isVisible()
    press(panel.supplement_editor.items, Qt.Key.Key_Escape)
    assert not panel.supplement_editor.isVisible()
    assert focused() is panel.applicant.name and panel.applicant.name.text() == "An"


def test_ctrl_r_reason_enter_refuses(desk: Centre, panel: IntakePanel, qtbot: QtBot) -> None:
    choose_build(panel, qtbot)
    tick_all(panel, qtbot)
    fill_an(panel, qtbot)
    press(panel.applicant.phone, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert focused() is panel.refusal_editor.reason
    press(panel.refusal_editor.reason, Qt.Key.Key_Return)  # no reason: the service refuses that
    qtbot.waitUntil(lambda: panel.feedback.property("level") == "error")
    assert panel.refusal_editor.isVisible() and dossier_count(desk) == 0
    panel.refusal_editor.reason.insert("Công trình thuộc thẩm quyền cấp tỉnh")
    with qtbot.waitSignal(panel.refused) as saved:
        press(panel.refusal_editor.reason, Qt.Key.Key_Return)
    stored = desk.app.dossier_queries.show(desk.lan, saved.args[0].code)
    assert stored.status is DossierStatus.REFUSED
    assert stored.events[-1].payload["reason"] == "Công trình thuộc thẩm quyền cấp tỉnh"


# -- both databases -------------------------------------------------------------------------------------


def test_receive_from_the_panel_on_both_databases(
    app: CounterApp, clock: ManualClock, qtbot: QtBot, runner: ServiceRunner
) -> None:
    centre = build_centre(app)
    set_up_intake(app, centre.admin)
    panel = IntakePanel(app, runner)
    qtbot.addWidget(panel)
    panel.set_actor(centre.minh)
    panel.show()
    panel.start(None, "B")
    assert panel.fill_from_chip_qr(CHIP_QR)
    choose_build(panel, qtbot)
    tick_all(panel, qtbot)
    qtbot.waitUntil(lambda: "/" in panel.appointment.text())
    with qtbot.waitSignal(panel.received) as saved:
        press(panel.checklist, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = app.dossier_queries.show(centre.minh, saved.args[0].code)
    assert stored.applicant.old_id_number == "012345678"
    assert stored.code in panel.feedback.text()


def test_tab_goes_top_to_bottom_from_the_checklist_through_the_applicant(
    panel: IntakePanel, qtbot: QtBot
) -> None:
    choose_build(panel, qtbot)
    form = panel.applicant
    expected = [form.name, form.id_number, form.date_of_birth, form.gender, form.old_id_number, form.address]
    for field in expected:
        press(focused_widget(), Qt.Key.Key_Tab)
        assert focused() is field
