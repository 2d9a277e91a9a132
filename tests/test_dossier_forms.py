"""The content of the one-stop forms (Mẫu 01–07) filled from dossiers and their history, on SQLite and
PostgreSQL: which event a form belongs to, reprints read from the audit trail, and nothing audited when a
print is refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from counter_app.db import migrate
from counter_app.db.models import AuditEntry, Dossier
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.dossier import PaymentMethod, ReturnMethod, Timeliness
from counter_app.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from counter_app.domain.forms import (
    ApologyForm,
    ControlSheetForm,
    ControlStep,
    FormKind,
    PaperLine,
    Party,
    ReceiptForm,
    RefusalForm,
    StopForm,
    SupplementForm,
)
from counter_app.domain.procedure import CopyKind, ProcessingTime, TimeUnit
from counter_app.domain.vietqr import parse_emv
from counter_app.services.app import CounterApp
from counter_app.services.dossier_forms import PRINTED
from counter_app.services.dossier_requests import Apology, DocumentTick, SupplementRequest, Withdrawal
from tests.conftest import Centre
from tests.support.intake import AGENCY, BUILD, COPY, DAO, LAND, request, set_up_intake

CENTRE_UNIT = "Trung tâm Phục vụ hành chính công"  # the default ``unit_name`` setting


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def desk(centre: Centre) -> Centre:
    set_up_intake(centre.app, centre.admin)
    return centre


def prints_of(app: CounterApp, code: str) -> list[dict[str, Any] | None]:
    """The ``after`` of every audited print of dossier ``code``, oldest first."""
    with app.db.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry.after)
                .where(AuditEntry.action == PRINTED, AuditEntry.entity_id == code)
                .order_by(AuditEntry.id)
            )
        )


def audit_rows(app: CounterApp) -> int:
    with app.db.reading() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


def receipt(app: CounterApp, centre: Centre, code: str, seq: int | None = None) -> ReceiptForm:
    form = app.forms.form(centre.lan, code, FormKind.RECEIPT, seq)
    assert isinstance(form, ReceiptForm)
    return form


# -- Mẫu 01 -------------------------------------------------------------------------------------------


def test_receipt_carries_the_dossier_as_received(desk: Centre) -> None:
    app = desk.app
    view = app.dossiers.receive(desk.lan, request(BUILD))
    form = receipt(app, desk, view.code)
    assert form.stamp.kind is FormKind.RECEIPT and form.stamp.dossier_code == view.code
    assert form.stamp.event_seq == 1 and form.stamp.reprinted_at is None
    assert form.stamp.issued_at == view.received_at
    assert form.stamp.unit.unit_name == CENTRE_UNIT
    assert form.applicant == Party(
        name="Nguyễn Văn An",
        id_number="001095012345",
        address="Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
        phone="0912345678",  # typed "0912 345 678", normalised at intake
    )
    assert form.proxy is None
    assert (form.procedure_code, form.procedure_name) == (BUILD, "Cấp giấy phép xây dựng nhà ở riêng lẻ")
    assert form.papers == (
        PaperLine("Đơn đề nghị cấp giấy phép xây dựng", CopyKind.ORIGINAL, 1),
        PaperLine("Giấy chứng nhận quyền sử dụng đất", CopyKind.CERTIFIED_COPY, 1),
        PaperLine("Bản vẽ thiết kế xây dựng", CopyKind.ORIGINAL, 2),
    )
    assert form.sets == 1
    assert form.processing_time == ProcessingTime(15, TimeUnit.WORKING_DAYS)
    assert form.received_at == view.received_at == local(2026, 12, 7, 8, 0)
    assert form.due_at == view.due_at == local(2026, 12, 28, 8, 0)
    assert form.return_method is ReturnMethod.COUNTER
    assert form.officer_name == "Nguyễn Thị Lan"
    assert (form.register_book, form.register_number) == ("2026", "0001")
    assert form.fee == 75_000 and form.payment_method is PaymentMethod.CASH
    assert form.vietqr_payload is None
    assert form.lookup_text == view.code


def test_receipt_lists_the_ticked_papers_in_checklist_order(desk: Centre) -> None:
    ticks = (DocumentTick(3, copies=3), DocumentTick(1, kind=CopyKind.COPY))
    view = desk.app.dossiers.receive(desk.lan, request(BUILD, documents=ticks, sets=2))
    form = receipt(desk.app, desk, view.code)
    assert form.papers == (
        PaperLine("Đơn đề nghị cấp giấy phép xây dựng", CopyKind.COPY, 1),
        PaperLine("Bản vẽ thiết kế xây dựng", CopyKind.ORIGINAL, 3),
    )
    assert form.sets == 2


def test_register_number_is_the_rank_among_the_years_received_dossiers(
    desk: Centre, clock: ManualClock
) -> None:
    app = desk.app
    clock.set(local(2026, 12, 31, 8, 0))
    # Neither a refusal at the counter nor an incomplete dossier is received: neither takes a number.
    app.dossiers.refuse_at_counter(desk.lan, request(COPY), "Không thuộc thẩm quyền")
    app.dossiers.receive_incomplete(desk.lan, request(LAND, DAO), SupplementRequest(("1",)))
    clock.set(local(2026, 12, 31, 9, 0))
    first = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 31, 9, 5))
    second = app.dossiers.receive(desk.minh, request(LAND, DAO)).code
    clock.set(local(2027, 1, 4, 8, 0))  # Monday after the New Year holiday: a new book
    third = app.dossiers.receive(desk.lan, request(COPY)).code
    assert (receipt(app, desk, first).register_book, receipt(app, desk, first).register_number) == (
        "2026",
        "0001",
    )
    second_form = receipt(app, desk, second)
    assert (second_form.register_book, second_form.register_number) == ("2026", "0002")
    assert second_form.officer_name == "Trần Văn Minh"
    third_form = receipt(app, desk, third)
    assert (third_form.register_book, third_form.register_number) == ("2027", "0001")


def test_dossiers_received_at_the_same_instant_get_different_register_numbers(desk: Centre) -> None:
    """Two counters within one clock tick (here the test clock does not move): ties go by event order."""
    app = desk.app
    first = app.dossiers.receive(desk.lan, request(BUILD)).code
    second = app.dossiers.receive(desk.minh, request(LAND, DAO)).code
    numbers = [receipt(app, desk, code).register_number for code in (first, second)]
    assert numbers == ["0001", "0002"]


def test_register_numbers_stay_put_when_an_earlier_dossier_is_supplemented(
    desk: Centre, clock: ManualClock
) -> None:
    """A reprint gives the same content: the rank is by first receipt, which a completed supplement
    (a new receipt time) does not move."""
    app = desk.app
    early = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 7, 9, 0))
    later = app.dossiers.receive(desk.minh, request(LAND, DAO)).code
    assert receipt(app, desk, early).register_number == "0001"
    assert receipt(app, desk, later).register_number == "0002"
    clock.set(local(2026, 12, 8, 9, 0))
    app.dossiers.request_supplement(desk.lan, early, SupplementRequest(("3",)))
    clock.set(local(2026, 12, 9, 9, 0))
    app.dossiers.complete_supplement(desk.lan, early)
    reprinted_later = receipt(app, desk, later)
    reprinted_early = receipt(app, desk, early, seq=1)
    assert reprinted_later.stamp.reprinted_at is not None and reprinted_early.stamp.reprinted_at is not None
    # As first printed (ranked on current receipt times they would read "0000" and "0001").
    assert (reprinted_early.register_number, reprinted_later.register_number) == ("0001", "0002")


def test_reprint_of_the_first_receipt_lists_only_the_papers_then_received(
    desk: Centre, clock: ManualClock
) -> None:
    """The receipt of event 1 lists the papers as received, not those the applicant brought later."""
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD, documents=(DocumentTick(1), DocumentTick(3)))).code
    first = receipt(app, desk, code)
    assert [p.name for p in first.papers] == [
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Bản vẽ thiết kế xây dựng",
    ]
    clock.set(local(2026, 12, 8, 9, 0))
    app.dossiers.request_supplement(desk.lan, code, SupplementRequest(("2",)))
    clock.set(local(2026, 12, 9, 9, 0))
    app.dossiers.complete_supplement(desk.lan, code, (DocumentTick(2),))
    assert len(receipt(app, desk, code).papers) == 3  # the new receipt lists all three
    assert receipt(app, desk, code, seq=1).papers == first.papers


def test_lookup_text_follows_the_lookup_url_setting(desk: Centre) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    desk.app.settings.set(desk.admin, "lookup_url", "https://x/tra-cuu?ma={code}")
    assert receipt(desk.app, desk, code).lookup_text == f"https://x/tra-cuu?ma={code}"


def test_vietqr_only_for_a_transfer_to_a_configured_account(desk: Centre) -> None:
    app = desk.app
    transfer = app.dossiers.receive(desk.lan, request(BUILD, payment_method=PaymentMethod.TRANSFER)).code
    cash = app.dossiers.receive(desk.lan, request(BUILD, DAO)).code
    assert receipt(app, desk, transfer).vietqr_payload is None  # no bank account yet
    app.settings.set(desk.admin, "bank_bin", "970436")
    app.settings.set(desk.admin, "bank_account", "0011004455667")
    app.settings.set(desk.admin, "bank_account_name", "TRUNG TAM PHUC VU HANH CHINH CONG")
    form = receipt(app, desk, transfer)
    assert form.payment_method is PaymentMethod.TRANSFER
    assert form.vietqr_payload is not None
    fields = parse_emv(form.vietqr_payload)  # raises when the CRC is wrong
    assert fields["54"] == str(form.fee) == "75000"
    assert "0011004455667" in form.vietqr_payload
    cash_form = receipt(app, desk, cash)
    assert cash_form.payment_method is PaymentMethod.CASH and cash_form.vietqr_payload is None


# -- reprints and the audit trail ----------------------------------------------------------------------


def test_second_print_is_a_reprint_stamped_now_and_audited(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    first = receipt(app, desk, code)
    assert first.stamp.reprinted_at is None
    clock.advance(timedelta(minutes=25))
    again = receipt(app, desk, code)
    assert again.stamp.reprinted_at == clock.now() == local(2026, 12, 7, 8, 25)
    assert again.stamp.issued_at == first.stamp.issued_at  # the same form, of the same event
    assert again.received_at == first.received_at and again.due_at == first.due_at
    assert prints_of(app, code) == [
        {"form": "01", "seq": 1, "reprint": False},
        {"form": "01", "seq": 1, "reprint": True},
    ]
    with app.db.reading() as session:
        actors = session.scalars(
            select(AuditEntry.actor_id).where(AuditEntry.action == PRINTED).order_by(AuditEntry.id)
        ).all()
    assert actors == [desk.lan.user_id, desk.lan.user_id]


def test_another_form_of_the_dossier_is_not_a_reprint(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    receipt(app, desk, code)
    sheet = app.forms.form(desk.lan, code, FormKind.CONTROL_SHEET)
    assert sheet.stamp.reprinted_at is None and sheet.stamp.event_seq is None
    clock.advance(timedelta(hours=1))
    sheet = app.forms.form(desk.lan, code, FormKind.CONTROL_SHEET)
    assert sheet.stamp.reprinted_at == clock.now()
    assert prints_of(app, code) == [
        {"form": "01", "seq": 1, "reprint": False},
        {"form": "06", "seq": None, "reprint": False},
        {"form": "06", "seq": None, "reprint": True},
    ]


def test_receipt_after_a_supplement_is_a_new_form_and_seq_picks_the_first(
    desk: Centre, clock: ManualClock
) -> None:
    app = desk.app
    view = app.dossiers.receive(desk.lan, request(BUILD))
    code = view.code
    first = receipt(app, desk, code)
    clock.set(local(2026, 12, 10, 9, 0))
    app.dossiers.request_supplement(desk.lan, code, SupplementRequest(("2",), "Thiếu giấy tờ"))
    clock.set(local(2026, 12, 14, 8, 30))
    completed = app.dossiers.complete_supplement(desk.minh, code)
    newer = receipt(app, desk, code)
    assert newer.stamp.event_seq == 3 and newer.stamp.reprinted_at is None
    assert newer.received_at == completed.received_at == local(2026, 12, 14, 8, 30)
    assert newer.due_at == completed.due_at == local(2027, 1, 5, 8, 30)
    assert newer.stamp.issued_at == local(2026, 12, 14, 8, 30)
    assert newer.officer_name == "Trần Văn Minh"  # who took the completed dossier
    clock.set(local(2026, 12, 14, 9, 0))
    older = receipt(app, desk, code, seq=1)
    assert older.stamp.event_seq == 1 and older.stamp.reprinted_at == local(2026, 12, 14, 9, 0)
    assert (older.received_at, older.due_at) == (first.received_at, first.due_at)
    assert older.officer_name == "Nguyễn Thị Lan"
    assert prints_of(app, code) == [
        {"form": "01", "seq": 1, "reprint": False},
        {"form": "01", "seq": 3, "reprint": False},
        {"form": "01", "seq": 1, "reprint": True},
    ]


def test_incomplete_at_the_counter_then_completed_has_the_supplemented_receipt(
    desk: Centre, clock: ManualClock
) -> None:
    app = desk.app
    view = app.dossiers.receive_incomplete(
        desk.lan, request(BUILD, documents=(DocumentTick(1),)), SupplementRequest(("2", "3"), "Thiếu")
    )
    with pytest.raises(ConflictError):
        receipt(app, desk, view.code)  # not received yet: no receipt
    clock.set(local(2026, 12, 9, 9, 0))
    app.dossiers.complete_supplement(desk.lan, view.code, (DocumentTick(2), DocumentTick(3)))
    form = receipt(app, desk, view.code)
    assert form.stamp.event_seq == 2 and form.stamp.reprinted_at is None
    assert (form.received_at, form.due_at) == (local(2026, 12, 9, 9, 0), local(2026, 12, 30, 9, 0))
    assert [p.name for p in form.papers] == [
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Giấy chứng nhận quyền sử dụng đất",
        "Bản vẽ thiết kế xây dựng",
    ]
    assert form.register_number == "0001"
    with pytest.raises(ConflictError):
        receipt(app, desk, view.code, seq=1)  # event 1 asked for a supplement: it issued Mẫu 02
    assert prints_of(app, view.code) == [{"form": "01", "seq": 2, "reprint": False}]


def test_refused_prints_change_nothing(desk: Centre) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    before = audit_rows(app)
    with pytest.raises(ConflictError):
        app.forms.form(desk.lan, code, FormKind.RECEIPT, 2)  # no event 2
    with pytest.raises(ConflictError):
        app.forms.form(desk.lan, code, FormKind.SUPPLEMENT, 1)  # event 1 is the receipt
    for kind in (FormKind.SUPPLEMENT, FormKind.REFUSAL, FormKind.APOLOGY, FormKind.STOP):
        with pytest.raises(ConflictError):
            app.forms.form(desk.lan, code, kind)  # nothing in the history issued one
    with pytest.raises(ValidationError):
        app.forms.form(desk.lan, code, FormKind.REGISTER)
    with pytest.raises(ValidationError):
        app.forms.form(desk.lan, code, FormKind.CONTROL_SHEET, 1)  # not tied to an event
    with pytest.raises(NotFoundError):
        app.forms.form(desk.lan, f"{AGENCY}-261207-0042", FormKind.RECEIPT)
    assert audit_rows(app) == before
    assert prints_of(app, code) == []
    # The first successful print is still a first print.
    assert receipt(app, desk, code).stamp.reprinted_at is None


# -- Mẫu 02 to 05 --------------------------------------------------------------------------------------


def test_supplement_form_lists_every_gap_with_reason_and_deadline(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 10, 9, 0))
    view = app.dossiers.request_supplement(
        desk.minh, code, SupplementRequest(("2", "Bản vẽ mặt cắt", "3"), "Thiếu giấy tờ")
    )
    form = app.forms.form(desk.lan, code, FormKind.SUPPLEMENT)
    assert isinstance(form, SupplementForm)
    assert form.stamp.event_seq == 2 and form.stamp.issued_at == local(2026, 12, 10, 9, 0)
    assert form.missing == (
        "Giấy chứng nhận quyền sử dụng đất",
        "Bản vẽ mặt cắt",
        "Bản vẽ thiết kế xây dựng",
    )
    assert form.reason == "Thiếu giấy tờ"
    assert form.deadline is not None and form.deadline == view.supplement_deadline
    assert form.deadline > date(2026, 12, 10)
    assert form.officer_name == "Trần Văn Minh"
    assert form.applicant.name == "Nguyễn Văn An"
    assert form.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"


def test_refusal_form_gives_the_reason(desk: Centre) -> None:
    app = desk.app
    at_counter = app.dossiers.refuse_at_counter(desk.lan, request(COPY, DAO), "Không thuộc thẩm quyền").code
    form = app.forms.form(desk.lan, at_counter, FormKind.REFUSAL)
    assert isinstance(form, RefusalForm)
    assert form.reason == "Không thuộc thẩm quyền" and form.officer_name == "Nguyễn Thị Lan"
    assert form.applicant.name == "Đặng Thị Đào" and form.applicant.id_number == "079301000123"
    assert form.procedure_name == "Chứng thực bản sao từ bản chính"
    assert form.stamp.event_seq == 1
    later = app.dossiers.receive(desk.lan, request(BUILD)).code
    app.dossiers.refuse(desk.minh, later, "Hồ sơ giả mạo")
    form = app.forms.form(desk.lan, later, FormKind.REFUSAL)
    assert isinstance(form, RefusalForm)
    assert (form.reason, form.officer_name, form.stamp.event_seq) == ("Hồ sơ giả mạo", "Trần Văn Minh", 2)


def test_apology_form_is_issued_by_the_unit_at_fault(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    desk.app.settings.set(desk.admin, "managing_authority", "UBND TỈNH TIỀN GIANG")
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")
    clock.set(local(2026, 12, 24, 9, 0))
    apology = Apology("Chờ ý kiến cơ quan chuyên môn", "Phòng Kinh tế", "Trần Văn C", local(2027, 1, 5, 8, 0))
    app.dossiers.delay(desk.supervisor, code, apology)
    form = app.forms.form(desk.lan, code, FormKind.APOLOGY)
    assert isinstance(form, ApologyForm)
    assert form.stamp.unit.unit_name == "Phòng Kinh tế"
    assert form.stamp.unit.managing_authority == "UBND TỈNH TIỀN GIANG"
    assert (form.agency, form.head) == ("Phòng Kinh tế", "Trần Văn C")
    assert form.received_at == local(2026, 12, 7, 8, 0)
    assert form.original_due_at == local(2026, 12, 28, 8, 0)
    assert form.new_due_at == local(2027, 1, 5, 8, 0)
    assert form.reason == "Chờ ý kiến cơ quan chuyên môn"
    assert form.stamp.event_seq == 3 and form.stamp.issued_at == local(2026, 12, 24, 9, 0)


def test_stop_form_gives_the_request_date_reason_and_refund(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 9, 10, 0))
    app.dossiers.withdraw(desk.minh, code, Withdrawal("Đổi ý", requested_on=date(2026, 12, 8), refund=75_000))
    form = app.forms.form(desk.lan, code, FormKind.STOP)
    assert isinstance(form, StopForm)
    assert form.requested_on == date(2026, 12, 8)
    assert (form.reason, form.refund) == ("Đổi ý", 75_000)
    assert form.received_at == local(2026, 12, 7, 8, 0)
    assert form.officer_name == "Trần Văn Minh"
    assert form.stamp.event_seq == 2


# -- Mẫu 06 ---------------------------------------------------------------------------------------------


def test_control_sheet_rows_follow_the_handovers(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    sheet = app.forms.form(desk.lan, code, FormKind.CONTROL_SHEET)
    assert isinstance(sheet, ControlSheetForm) and sheet.steps == ()
    clock.set(local(2026, 12, 7, 14, 0))
    app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")  # due 23/12 14:00
    clock.set(local(2026, 12, 9, 10, 0))  # early for Phòng Kinh tế
    view = app.dossiers.transfer(desk.lan, code, "Lãnh đạo UBND xã")
    leaders_due = view.steps[1].due_at
    assert leaders_due is not None
    clock.set(leaders_due - timedelta(hours=1))  # on the day, before the time: on time
    view = app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế", note="Trình ký lại")
    last_due = view.steps[2].due_at
    assert last_due is not None
    clock.set(last_due + timedelta(days=1))  # late
    app.dossiers.result_ready(desk.lan, code)
    sheet = app.forms.form(desk.lan, code, FormKind.CONTROL_SHEET)
    assert isinstance(sheet, ControlSheetForm)
    assert sheet.stamp.event_seq is None and sheet.stamp.issued_at == clock.now()
    assert sheet.processing_unit == "UBND xã"  # the procedure's deciding agency
    assert sheet.cooperating_units == ("Phòng Kinh tế", "Lãnh đạo UBND xã")
    assert (sheet.received_at, sheet.due_at) == (local(2026, 12, 7, 8, 0), local(2026, 12, 28, 8, 0))
    assert sheet.steps == (
        ControlStep(CENTRE_UNIT, "Phòng Kinh tế", local(2026, 12, 7, 14, 0), None, None),
        ControlStep(
            "Phòng Kinh tế",
            "Lãnh đạo UBND xã",
            local(2026, 12, 9, 10, 0),
            local(2026, 12, 23, 14, 0),
            Timeliness.EARLY,
        ),
        ControlStep(
            "Lãnh đạo UBND xã",
            "Phòng Kinh tế",
            leaders_due - timedelta(hours=1),
            leaders_due,
            Timeliness.ON_TIME,
            "Trình ký lại",
        ),
        ControlStep("Phòng Kinh tế", CENTRE_UNIT, last_due + timedelta(days=1), last_due, Timeliness.LATE),
    )


def test_no_control_sheet_before_the_dossier_is_received(desk: Centre) -> None:
    view = desk.app.dossiers.receive_incomplete(desk.lan, request(BUILD), SupplementRequest(("1",)))
    before = audit_rows(desk.app)
    with pytest.raises(ConflictError):
        desk.app.forms.form(desk.lan, view.code, FormKind.CONTROL_SHEET)
    assert audit_rows(desk.app) == before


# -- permissions -----------------------------------------------------------------------------------


def test_kiosk_and_display_may_not_print(desk: Centre) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    before = audit_rows(desk.app)
    for actor in (desk.kiosk, desk.display):
        with pytest.raises(PermissionDeniedError):
            desk.app.forms.form(actor, code, FormKind.RECEIPT)
        with pytest.raises(PermissionDeniedError):
            desk.app.forms.register(actor, date(2026, 12, 1), date(2026, 12, 31))
    assert audit_rows(desk.app) == before
    for actor in (desk.admin, desk.supervisor, desk.minh):
        assert desk.app.forms.form(actor, code, FormKind.RECEIPT).stamp.dossier_code == code


# -- Mẫu 07 ---------------------------------------------------------------------------------------------


def test_register_lists_the_dossiers_received_in_the_local_period(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    # Reception around the clock, so that intake at 23:30 and 00:10 is allowed.
    app.settings.set(desk.admin, "reception_schedule", "00:00-23:59")
    clock.set(local(2026, 12, 7, 23, 30))
    app.dossiers.receive(desk.lan, request(COPY))  # the evening before: out
    clock.set(local(2026, 12, 8, 0, 10))
    first = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 9, 10, 0))
    app.dossiers.refuse_at_counter(desk.lan, request(COPY), "Không thuộc thẩm quyền")  # never received
    app.dossiers.receive_incomplete(desk.lan, request(LAND), SupplementRequest(("1",)))  # not yet
    clock.set(local(2026, 12, 9, 11, 0))
    second = app.dossiers.receive(desk.minh, request(LAND, DAO)).code
    clock.set(local(2026, 12, 10, 23, 30))
    third = app.dossiers.receive(desk.lan, request(COPY)).code  # the last evening: in
    clock.set(local(2026, 12, 11, 0, 10))
    app.dossiers.receive(desk.lan, request(COPY))  # the next morning: out
    register = app.forms.register(desk.supervisor, date(2026, 12, 8), date(2026, 12, 10))
    assert [row.code for row in register.rows] == [first, second, third]
    assert (register.start, register.end, register.printed_at) == (
        date(2026, 12, 8),
        date(2026, 12, 10),
        clock.now(),
    )
    assert register.extra_columns is False and register.unit.unit_name == CENTRE_UNIT
    row = register.rows[0]
    assert row.procedure_name == "Cấp giấy phép xây dựng nhà ở riêng lẻ"
    assert row.applicant_name == "Nguyễn Văn An"
    assert row.address_phone == "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội, 0912345678"
    assert row.agency == "UBND xã"
    assert row.received_at == local(2026, 12, 8, 0, 10)
    assert row.returned_at is None and row.return_method is ReturnMethod.COUNTER and row.sets == 1
    assert register.rows[1].address_phone == "0987654321"  # no address: just the phone
    assert (
        app.forms.register(desk.lan, date(2026, 12, 8), date(2026, 12, 8), extra_columns=True).rows[0].code
        == first
    )
    with app.db.reading() as session:
        printed = session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "register.printed").order_by(AuditEntry.id)
        ).all()
    assert printed == [{"rows": 3}, {"rows": 1}]


def test_register_period_is_checked_and_nothing_is_audited(desk: Centre) -> None:
    app = desk.app
    before = audit_rows(app)
    with pytest.raises(ValidationError):
        app.forms.register(desk.lan, date(2026, 12, 10), date(2026, 12, 9))
    with pytest.raises(ValidationError):
        app.forms.register(desk.lan, date(2026, 1, 1), date(2027, 1, 2))  # 367 days
    assert audit_rows(app) == before
    year = app.forms.register(desk.lan, date(2026, 1, 1), date(2027, 1, 1))  # 366 days: allowed
    assert year.rows == ()
    assert app.forms.register(desk.lan, date(2026, 12, 7), date(2026, 12, 7)).rows == ()


def test_migration_0004_fills_the_first_receipt_of_existing_dossiers(
    desk: Centre, clock: ManualClock
) -> None:
    """Dossiers received before the column existed get their first receipt from their events."""
    app = desk.app
    received = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 7, 9, 0))
    incomplete = app.dossiers.receive_incomplete(desk.lan, request(LAND, DAO), SupplementRequest(("2",))).code
    refused = app.dossiers.refuse_at_counter(desk.lan, request(COPY), "Không thuộc thẩm quyền").code
    clock.set(local(2026, 12, 8, 10, 0))
    app.dossiers.complete_supplement(desk.lan, incomplete)
    app.dossiers.request_supplement(desk.lan, received, SupplementRequest(("3",)))
    clock.set(local(2026, 12, 9, 10, 0))
    app.dossiers.complete_supplement(desk.lan, received)  # a later receipt: not the entry
    expected = {
        received: local(2026, 12, 7, 8, 0),
        incomplete: local(2026, 12, 8, 10, 0),
        refused: None,
    }
    assert registered(app) == expected
    migrate.downgrade(app.db, "0003")
    migrate.upgrade(app.db)
    assert registered(app) == expected


def registered(app: CounterApp) -> dict[str, datetime | None]:
    with app.db.reading() as session:
        return {code: at for code, at in session.execute(select(Dossier.code, Dossier.registered_at))}
