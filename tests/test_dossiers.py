"""The dossier workflow in the service layer, on SQLite and PostgreSQL: every transition with its
event (outbox) and audit row in the same transaction, and nothing written when a change fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from counter_app.db.models import AuditEntry, Dossier, DossierEvent, DossierStep, StoredFile
from counter_app.domain.applicant import Applicant, Proxy, applicant_from_card
from counter_app.domain.citizen_id import parse_chip_qr
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.dossier import (
    ApplicantKind,
    DossierStatus,
    EventType,
    PaymentMethod,
    Timeliness,
)
from counter_app.domain.errors import (
    AppError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from counter_app.domain.procedure import ProcessingTime, TimeUnit
from counter_app.domain.queue import Outcome
from counter_app.domain.roles import Role
from counter_app.domain.vietqr import parse_emv
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import (
    Apology,
    DocumentTick,
    NewFile,
    Receiver,
    SupplementRequest,
    Withdrawal,
)
from tests.conftest import Centre
from tests.support.intake import AGENCY, AN, BUILD, COPY, DAO, LAND, PROCEDURES, request, set_up_intake

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def desk(centre: Centre) -> Centre:
    set_up_intake(centre.app, centre.admin)
    return centre


def counts(app: CounterApp) -> tuple[int, int, int]:
    """(dossiers, dossier events, dossier audit rows): a failed change must leave all three alone."""
    with app.db.reading() as session:
        return (
            session.scalar(select(func.count(Dossier.id))) or 0,
            session.scalar(select(func.count(DossierEvent.id))) or 0,
            session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity_type == "dossier")) or 0,
        )


def events_of(app: CounterApp, code: str) -> list[tuple[int, EventType]]:
    with app.db.reading() as session:
        return [
            (seq, kind)
            for seq, kind in session.execute(
                select(DossierEvent.seq, DossierEvent.type)
                .where(DossierEvent.dossier_code == code)
                .order_by(DossierEvent.seq)
            )
        ]


# -- receiving -------------------------------------------------------------------------------------


def test_receive_gives_code_appointment_event_and_audit_together(desk: Centre) -> None:
    view = desk.app.dossiers.receive(desk.lan, request(BUILD))
    assert view.code == f"{AGENCY}-261207-0001"
    assert view.status is DossierStatus.RECEIVED
    # 15 working days from Monday 07/12/2026 08:00: day 1 is Tuesday 08/12 → Monday 28/12 at 08:00.
    assert view.due_at == local(2026, 12, 28, 8, 0)
    assert view.original_due_at == view.due_at
    assert view.fee == 75_000 and view.payment_method is PaymentMethod.CASH
    assert view.documents[0].name == "Đơn đề nghị cấp giấy phép xây dựng"
    assert view.counter_label == "01" and view.officer_name == "Nguyễn Thị Lan"
    assert view.applicant.phone == "0912345678"
    assert events_of(desk.app, view.code) == [(1, EventType.RECEIVED)]
    payload = view.events[0].payload
    assert payload["dossier"]["applicant"]["id_number"] == "001095012345"
    assert payload["dossier"]["appointment_at"] == "2026-12-28T08:00:00+07:00"  # local, with its offset
    assert payload["dossier"]["received_at"] == "2026-12-07T08:00:00+07:00"
    assert counts(desk.app) == (1, 1, 1)
    second = desk.app.dossiers.receive(desk.minh, request(LAND, DAO))
    assert second.code == f"{AGENCY}-261207-0002"


def test_a_new_day_starts_the_sequence_again(desk: Centre, clock: ManualClock) -> None:
    desk.app.dossiers.receive(desk.lan, request(COPY))
    clock.set(local(2026, 12, 8, 7, 45))
    assert desk.app.dossiers.receive(desk.lan, request(COPY)).code == f"{AGENCY}-261208-0001"


def test_same_day_procedure_before_and_after_the_cut_off(desk: Centre, clock: ManualClock) -> None:
    assert desk.app.dossiers.receive(desk.lan, request(COPY)).due_at == local(2026, 12, 7, 17, 0)
    clock.set(local(2026, 12, 11, 15, 30))  # Friday after the cut-off → Monday
    assert desk.app.dossiers.receive(desk.lan, request(COPY)).due_at == local(2026, 12, 14, 17, 0)


@pytest.mark.parametrize(
    ("applicant", "problem"),
    [
        (Applicant(name="Nguyễn Văn An", id_number="001095012"), "9 digits"),
        (Applicant(name="Nguyễn Văn An", id_number="00109501234"), "length"),
        (
            Applicant(
                name="Nguyễn Văn An", id_number="001095012345", date_of_birth=datetime(1996, 1, 1).date()
            ),
            "year",
        ),
        (Applicant(name="", id_number="001095012345"), "name"),
        (Applicant(name="Nguyễn Văn An"), "missing id"),
        (Applicant(name="Nguyễn Văn An", id_number="001095012345", phone="12345"), "phone"),
        (
            Applicant(
                name="Công ty A", kind=ApplicantKind.ORGANISATION, tax_code="0100109107", representative="B"
            ),
            "tax",
        ),
        (
            Applicant(name="Công ty A", kind=ApplicantKind.ORGANISATION, tax_code="0100109106"),
            "representative",
        ),
    ],
)
def test_bad_applicant_data_is_refused_and_nothing_is_written(
    desk: Centre, applicant: Applicant, problem: str
) -> None:
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, applicant))
    assert counts(desk.app) == (0, 0, 0), problem


def test_an_organisation_with_a_valid_tax_code_is_received(desk: Centre) -> None:
    company = Applicant(
        name="Công ty TNHH Xây dựng Hòa Bình",
        kind=ApplicantKind.ORGANISATION,
        tax_code="0100109106",
        representative="Lê Văn Bình",
    )
    view = desk.app.dossiers.receive(desk.lan, request(BUILD, company))
    assert view.applicant.tax_code == "0100109106" and view.applicant.id_number is None


def test_unknown_birthplace_code_is_a_warning_not_a_refusal(desk: Centre) -> None:
    abroad = Applicant(name="Trần Văn Bình", id_number="099095012345")
    view = desk.app.dossiers.receive(desk.lan, request(COPY, abroad))
    assert view.status is DossierStatus.RECEIVED
    assert len(view.warnings) == 1


def test_intake_outside_reception_hours_is_refused(desk: Centre, clock: ManualClock) -> None:
    clock.set(local(2026, 12, 7, 12, 15))  # lunch
    with pytest.raises(ConflictError):
        desk.app.dossiers.receive(desk.lan, request(BUILD))
    clock.set(local(2026, 12, 12, 9, 0))  # Saturday, no Saturday reception by default
    with pytest.raises(ConflictError):
        desk.app.dossiers.receive(desk.lan, request(BUILD))
    assert counts(desk.app) == (0, 0, 0)


def test_no_agency_code_means_no_dossier(centre: Centre) -> None:
    from tests.support.intake import PROCEDURES

    centre.app.procedures.import_procedures(centre.admin, PROCEDURES, source="tests")
    with pytest.raises(ConflictError):
        centre.app.dossiers.receive(centre.lan, request(BUILD))


def test_only_listed_documents_can_be_ticked(desk: Centre) -> None:
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, documents=(DocumentTick(4),)))
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, documents=(DocumentTick(1), DocumentTick(1))))
    view = desk.app.dossiers.receive(
        desk.lan, request(BUILD, documents=(DocumentTick(1), DocumentTick(3, copies=3)))
    )
    assert [(d.position, d.copies) for d in view.documents] == [(1, 1), (3, 3)]


def test_unknown_procedure_and_ticket_are_not_found(desk: Centre) -> None:
    with pytest.raises(NotFoundError):
        desk.app.dossiers.receive(desk.lan, request("1.999999"))
    with pytest.raises(NotFoundError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, ticket_number="A999"))
    assert counts(desk.app) == (0, 0, 0)


def test_the_dossier_links_the_ticket_it_was_called_with(desk: Centre) -> None:
    ticket = desk.app.queue.issue(desk.kiosk, "B").ticket
    desk.app.queue.call_next(desk.minh, "02")
    view = desk.app.dossiers.receive(desk.minh, request(BUILD, ticket_number=ticket.number))
    assert view.ticket_number == ticket.number


# -- digitised files ------------------------------------------------------------------------------


def test_files_are_stored_once_and_reused_for_the_same_person(desk: Centre) -> None:
    first = desk.app.dossiers.receive(
        desk.lan,
        request(
            BUILD,
            documents=(
                DocumentTick(1, files=(NewFile("don.pdf", PDF),)),
                DocumentTick(2, files=(NewFile("gcn.png", PNG),)),
            ),
        ),
    )
    sha = first.documents[1].files[0].sha256
    second = desk.app.dossiers.receive(
        desk.lan,
        request(
            BUILD,
            documents=(DocumentTick(1, files=(NewFile("don.pdf", PDF),)), DocumentTick(2, reuse=(sha,))),
        ),
    )
    assert second.documents[1].files[0].reused_from == first.code
    with desk.app.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 2
    # Not reusable (document 1), or not this person's file: refused.
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, documents=(DocumentTick(1, reuse=(sha,)),)))
    with pytest.raises(NotFoundError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, DAO, documents=(DocumentTick(2, reuse=(sha,)),)))


def test_files_that_are_not_documents_are_refused(desk: Centre) -> None:
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(
            desk.lan, request(BUILD, documents=(DocumentTick(1, files=(NewFile("x.txt", b"hello"),)),))
        )
    desk.app.settings.set(desk.admin, "max_file_mb", 1)
    big = PDF + b"0" * 1_100_000
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(
            desk.lan, request(BUILD, documents=(DocumentTick(1, files=(NewFile("big.pdf", big),)),))
        )
    assert counts(desk.app) == (0, 0, 0)


# -- the lifecycle --------------------------------------------------------------------------------


def test_received_transferred_late_with_apology_and_returned(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.set(local(2026, 12, 7, 14, 0))
    step1 = app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")
    # The unit's own share: 12 working days from Monday 14:00 → Wednesday 23/12 14:00.
    assert step1.steps[0].due_at == local(2026, 12, 23, 14, 0)
    assert step1.steps[0].from_unit == "Trung tâm Phục vụ hành chính công"
    clock.set(local(2026, 12, 24, 9, 0))  # a day late
    view = app.dossiers.transfer(desk.lan, code, "Lãnh đạo UBND xã")
    assert view.steps[0].timeliness is Timeliness.LATE
    assert view.steps[1].from_unit == "Phòng Kinh tế"
    # The apology is the supervisor's decision; an officer is refused.
    apology = Apology("Chờ ý kiến cơ quan chuyên môn", "Phòng Kinh tế", "Trần Văn C", local(2027, 1, 5, 8, 0))
    with pytest.raises(PermissionDeniedError):
        app.dossiers.delay(desk.lan, code, apology)
    view = app.dossiers.delay(desk.supervisor, code, apology)
    assert view.status is DossierStatus.DELAYED
    assert view.due_at == local(2027, 1, 5, 8, 0) and view.original_due_at == local(2026, 12, 28, 8, 0)
    assert view.data["apology"]["issued_in_time"] is True
    clock.set(local(2027, 1, 4, 10, 0))
    app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")  # back for a signature
    with pytest.raises(ConflictError):
        app.dossiers.delay(desk.supervisor, code, apology)  # only once, even after another transfer
    view = app.dossiers.result_ready(desk.lan, code, "Giấy phép xây dựng số 12/GPXD", 1)
    assert view.timeliness is Timeliness.LATE  # judged against the original date, apology or not
    receiver = Receiver("Trần Thị Hoa", "079301000123", "Giấy ủy quyền số 5")
    view = app.dossiers.return_result(desk.lan, code, receiver)
    assert view.status is DossierStatus.RETURNED and view.data["receiver"]["kind"] == "authorised"
    assert events_of(app, code) == [
        (1, EventType.RECEIVED),
        (2, EventType.TRANSFERRED),
        (3, EventType.TRANSFERRED),
        (4, EventType.DELAYED),
        (5, EventType.TRANSFERRED),
        (6, EventType.RESULT_READY),
        (7, EventType.RETURNED),
    ]
    with pytest.raises(ConflictError):
        app.dossiers.refuse(desk.lan, code, "late")
    assert counts(app) == (1, 7, 7)


def test_supplement_pauses_and_restart_gives_a_new_receipt(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    code = app.dossiers.receive(desk.lan, request(BUILD)).code
    app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")
    clock.set(local(2026, 12, 10, 9, 0))
    view = app.dossiers.request_supplement(
        desk.lan, code, SupplementRequest(("2", "Bản vẽ mặt cắt"), "Thiếu giấy tờ")
    )
    assert view.status is DossierStatus.SUPPLEMENT_REQUESTED
    assert view.data["supplement"]["missing"] == ["Giấy chứng nhận quyền sử dụng đất", "Bản vẽ mặt cắt"]
    assert view.supplement_deadline is not None and view.pauses[0].ended_at is None
    clock.set(local(2026, 12, 14, 8, 30))
    view = app.dossiers.complete_supplement(desk.lan, code)
    assert view.status is DossierStatus.RECEIVED
    assert view.received_at == local(2026, 12, 14, 8, 30)
    assert view.due_at == local(2027, 1, 5, 8, 30)  # 15 working days again (restart), skipping 01/01
    assert view.pauses[0].ended_at == local(2026, 12, 14, 8, 30)
    # A processing unit may ask for additions once only.
    app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")
    with pytest.raises(ConflictError):
        app.dossiers.request_supplement(desk.lan, code, SupplementRequest(("1",)))
    assert [kind for _, kind in events_of(app, code)] == [
        EventType.RECEIVED,
        EventType.TRANSFERRED,
        EventType.SUPPLEMENT_REQUESTED,
        EventType.SUPPLEMENTED,
        EventType.TRANSFERRED,
    ]


def test_supplement_resumes_with_the_remaining_time(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    view = app.dossiers.receive(desk.lan, request(LAND))
    assert view.due_at == local(2026, 12, 21, 8, 0)  # 10 working days
    clock.set(local(2026, 12, 14, 8, 0))  # 5 working days used, 5 left
    app.dossiers.request_supplement(desk.lan, view.code, SupplementRequest(("1",)))
    clock.set(local(2026, 12, 17, 8, 0))  # Thursday: resumes with 5 working days
    view = app.dossiers.complete_supplement(desk.lan, view.code)
    assert view.due_at == local(2026, 12, 24, 8, 0)
    assert view.events[-1].payload["clock"] == "resume_remaining"


def test_incomplete_at_the_counter_then_completed(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    view = app.dossiers.receive_incomplete(
        desk.lan, request(BUILD, documents=(DocumentTick(1),)), SupplementRequest(("2", "3"), "Thiếu")
    )
    assert view.status is DossierStatus.SUPPLEMENT_REQUESTED and view.received_at is None
    with pytest.raises(ConflictError):
        app.dossiers.transfer(desk.lan, view.code, "Phòng Kinh tế")
    clock.set(local(2026, 12, 9, 9, 0))
    view = app.dossiers.complete_supplement(desk.lan, view.code, (DocumentTick(2), DocumentTick(3)))
    assert [d.position for d in view.documents] == [1, 2, 3]
    assert view.received_at == local(2026, 12, 9, 9, 0) and view.due_at == local(2026, 12, 30, 9, 0)
    assert [kind for _, kind in events_of(app, view.code)] == [
        EventType.SUPPLEMENT_REQUESTED,
        EventType.SUPPLEMENTED,
    ]


def test_refused_at_the_counter_and_withdrawn(desk: Centre) -> None:
    refused = desk.app.dossiers.refuse_at_counter(desk.lan, request(BUILD), "Không thuộc thẩm quyền")
    assert refused.status is DossierStatus.REFUSED and refused.closed_at is not None
    with pytest.raises(ValidationError):
        desk.app.dossiers.refuse_at_counter(desk.lan, request(BUILD), "  ")
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    with pytest.raises(ValidationError):
        desk.app.dossiers.withdraw(desk.lan, code, Withdrawal("Đổi ý", refund=100_000))
    view = desk.app.dossiers.withdraw(desk.lan, code, Withdrawal("Đổi ý", refund=75_000))
    assert view.status is DossierStatus.WITHDRAWN
    assert view.events[-1].payload["refund"] == 75_000


@pytest.mark.parametrize(
    "operation",
    [
        lambda app, actor, code: app.dossiers.return_result(actor, code),
        lambda app, actor, code: app.dossiers.complete_supplement(actor, code),
    ],
)
def test_illegal_transitions_change_nothing(desk: Centre, operation: object) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    before = counts(desk.app)
    with pytest.raises(ConflictError):
        operation(desk.app, desk.lan, code)  # type: ignore[operator]
    assert counts(desk.app) == before


def test_unknown_or_malformed_codes(desk: Centre) -> None:
    with pytest.raises(NotFoundError):
        desk.app.dossiers.transfer(desk.lan, f"{AGENCY}-261207-0042", "X")
    with pytest.raises(ValidationError):
        desk.app.dossiers.transfer(desk.lan, "not-a-code", "X")


def test_apology_needs_a_later_working_day(desk: Centre) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    for new_due in (local(2026, 12, 20, 8, 0), local(2027, 1, 2, 8, 0)):  # earlier; a Saturday
        with pytest.raises(ValidationError):
            desk.app.dossiers.delay(desk.supervisor, code, Apology("r", "u", "h", new_due))


def test_step_times_are_judged_per_unit(desk: Centre, clock: ManualClock) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    desk.app.dossiers.transfer(desk.lan, code, "Phòng Kinh tế")
    clock.set(local(2026, 12, 9, 10, 0))
    desk.app.dossiers.transfer(desk.lan, code, "Lãnh đạo UBND xã")
    clock.set(local(2026, 12, 15, 10, 0))  # 4 working days for a 3-day share
    view = desk.app.dossiers.result_ready(desk.lan, code)
    assert [s.timeliness for s in view.steps] == [Timeliness.EARLY, Timeliness.LATE]
    assert view.timeliness is Timeliness.EARLY
    with desk.app.db.reading() as session:
        assert (
            session.scalar(select(func.count(DossierStep.id)).where(DossierStep.completed_at.is_(None))) == 0
        )


# -- finding dossiers -----------------------------------------------------------------------------


def test_search_by_name_without_diacritics_id_phone_and_code(desk: Centre) -> None:
    an = desk.app.dossiers.receive(desk.lan, request(BUILD, AN)).code
    dao = desk.app.dossiers.receive(desk.lan, request(COPY, DAO)).code
    search = desk.app.dossier_queries.search
    assert [s.code for s in search(desk.lan, "nguyen van a")] == [an]
    assert [s.code for s in search(desk.lan, "NGUYỄN VĂN AN")] == [an]
    assert [s.code for s in search(desk.lan, "dang thi dao")] == [dao]
    assert [s.code for s in search(desk.lan, "001095012345")] == [an]
    assert [s.code for s in search(desk.lan, "025123456")] == [dao]  # the old CMND
    assert [s.code for s in search(desk.lan, "0987 654 321")] == [dao]
    assert [s.code for s in search(desk.lan, dao.lower())] == [dao]
    assert search(desk.lan, "tran") == []
    with pytest.raises(PermissionDeniedError):
        search(desk.kiosk, "nguyen")


def test_kiosk_look_up_shows_initials_only(desk: Centre) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    status = desk.app.dossier_queries.lookup(desk.kiosk, code)
    assert status.initials == "N. V. A." and status.status is DossierStatus.RECEIVED
    with pytest.raises(PermissionDeniedError):
        desk.app.dossier_queries.show(desk.kiosk, code)


def test_due_lists(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    copy = app.dossiers.receive(desk.lan, request(COPY)).code  # due today 17:00
    land = app.dossiers.receive(desk.lan, request(LAND)).code  # due 21/12
    clock.set(local(2026, 12, 18, 9, 0))  # Friday: LAND due Monday = tomorrow (working days)
    report = app.dossier_queries.due(desk.lan, 3)
    assert [i.summary.code for i in report.overdue] == [copy]
    assert [i.summary.code for i in report.tomorrow] == [land]
    clock.set(local(2026, 12, 21, 7, 45))
    report = app.dossier_queries.due(desk.lan, 3)
    assert [i.summary.code for i in report.today] == [land]
    clock.set(local(2026, 12, 21, 8, 1))
    assert [i.summary.code for i in app.dossier_queries.due(desk.lan, 3).overdue] == [copy, land]


def test_indicators_count_what_intake_recorded(desk: Centre) -> None:
    app = desk.app
    app.dossiers.receive(
        desk.lan,
        request(
            BUILD,
            payment_method=PaymentMethod.TRANSFER,
            documents=(DocumentTick(1, files=(NewFile("a.pdf", PDF),)),),
        ),
    )
    app.dossiers.receive(desk.lan, request(COPY))
    app.dossiers.receive(desk.lan, request(LAND))
    rates = {
        r.key: r
        for r in app.dossier_queries.indicators(
            desk.supervisor, local(2026, 12, 1).date(), local(2026, 12, 31).date()
        )
    }
    assert (rates["cashless"].numerator, rates["cashless"].denominator) == (1, 2)
    assert (rates["digitised"].numerator, rates["digitised"].denominator) == (1, 3)
    assert rates["on_time"].denominator == 0 and rates["on_time"].percent is None
    assert rates["synced"].numerator == 0


def test_vietqr_payload_for_the_fee(desk: Centre) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD, payment_method=PaymentMethod.TRANSFER)).code
    with pytest.raises(ValidationError):
        desk.app.dossier_queries.vietqr(desk.lan, code)
    desk.app.settings.set(desk.admin, "bank_bin", "970436")
    desk.app.settings.set(desk.admin, "bank_account", "0011004455667")
    fields = parse_emv(desk.app.dossier_queries.vietqr(desk.lan, code))
    assert fields["54"] == "75000" and fields["53"] == "704"


def test_payment_rules(desk: Centre) -> None:
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(LAND, payment_method=PaymentMethod.CASH))
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, payment_method=PaymentMethod.NONE))


def test_proxy_is_recorded_with_its_own_id(desk: Centre) -> None:
    proxy = Proxy("Trần Thị Hoa", "079301000123", authorisation="Giấy ủy quyền 01/2026")
    view = desk.app.dossiers.receive(desk.lan, request(BUILD, proxy=proxy))
    assert view.proxy == proxy
    assert [s.code for s in desk.app.dossier_queries.search(desk.lan, "079301000123")] == [view.code]
    with pytest.raises(ValidationError):
        desk.app.dossiers.receive(desk.lan, request(BUILD, proxy=Proxy("X", "123")))


def test_every_error_is_an_app_error_with_a_sentence(desk: Centre) -> None:
    with pytest.raises(AppError) as caught:
        desk.app.dossiers.receive(desk.lan, request(BUILD, Applicant(name="A", id_number="001095012")))
    assert str(caught.value).endswith(".")


def test_clock_is_not_moved_by_a_failed_change(desk: Centre, clock: ManualClock) -> None:
    code = desk.app.dossiers.receive(desk.lan, request(BUILD)).code
    clock.advance(timedelta(hours=1))
    with pytest.raises(ValidationError):
        desk.app.dossiers.transfer(desk.lan, code, "  ")
    assert desk.app.dossier_queries.show(desk.lan, code).steps == ()


# -- permissions ----------------------------------------------------------------------------------

_STAFF_ONLY = {Role.KIOSK, Role.DISPLAY}
_ADMIN_ONLY = {Role.OFFICER, Role.SUPERVISOR, Role.KIOSK, Role.DISPLAY}
DOSSIER_OPERATIONS: dict[str, tuple[Callable[[CounterApp, Actor, str], object], set[Role]]] = {
    "receive": (lambda app, a, code: app.dossiers.receive(a, request(COPY)), _STAFF_ONLY),
    "incomplete": (
        lambda app, a, code: app.dossiers.receive_incomplete(a, request(COPY), SupplementRequest(("1",))),
        _STAFF_ONLY,
    ),
    "refuse at counter": (
        lambda app, a, code: app.dossiers.refuse_at_counter(a, request(COPY), "x"),
        _STAFF_ONLY,
    ),
    "supplement": (
        lambda app, a, code: app.dossiers.request_supplement(a, code, SupplementRequest(("1",))),
        _STAFF_ONLY,
    ),
    "refuse": (lambda app, a, code: app.dossiers.refuse(a, code, "x"), _STAFF_ONLY),
    "transfer": (lambda app, a, code: app.dossiers.transfer(a, code, "Phòng Kinh tế"), _STAFF_ONLY),
    "result": (lambda app, a, code: app.dossiers.result_ready(a, code), _STAFF_ONLY),
    "withdraw": (lambda app, a, code: app.dossiers.withdraw(a, code, Withdrawal("x")), _STAFF_ONLY),
    "apology": (
        lambda app, a, code: app.dossiers.delay(a, code, Apology("r", "u", "h", local(2027, 1, 6, 8, 0))),
        {Role.OFFICER, Role.KIOSK, Role.DISPLAY},
    ),
    "show": (lambda app, a, code: app.dossier_queries.show(a, code), _STAFF_ONLY),
    "search": (lambda app, a, code: app.dossier_queries.search(a, "nguyen"), _STAFF_ONLY),
    "due": (lambda app, a, code: app.dossier_queries.due(a), _STAFF_ONLY),
    "look up": (lambda app, a, code: app.dossier_queries.lookup(a, code), {Role.DISPLAY}),
    "import procedures": (
        lambda app, a, code: app.procedures.import_procedures(a, PROCEDURES, "x"),
        _ADMIN_ONLY,
    ),
    "calendar day": (
        lambda app, a, code: app.calendar.set_day(a, local(2026, 12, 31).date(), False, "CV 1"),
        _ADMIN_ONLY,
    ),
}


def test_dossier_permissions_are_enforced_in_the_services(desk: Centre) -> None:
    actors = {
        Role.ADMIN: desk.admin,
        Role.SUPERVISOR: desk.supervisor,
        Role.OFFICER: desk.lan,
        Role.KIOSK: desk.kiosk,
        Role.DISPLAY: desk.display,
    }
    failures = []
    for name, (operation, refused) in DOSSIER_OPERATIONS.items():
        for role, actor in actors.items():
            code = desk.app.dossiers.receive(desk.minh, request(BUILD)).code
            before = counts(desk.app)
            try:
                operation(desk.app, actor, code)
                allowed = True
            except PermissionDeniedError:
                allowed = False
                if counts(desk.app) != before:
                    failures.append(f"{name} by {role}: refused but wrote rows")
            if allowed == (role in refused):
                failures.append(f"{name} by {role}: {'allowed' if allowed else 'refused'}")
    assert failures == []


def test_a_dossier_keeps_the_procedure_version_it_was_received_under(
    desk: Centre, clock: ManualClock
) -> None:
    first = desk.app.dossiers.receive(desk.lan, request(LAND)).code
    faster = replace(
        PROCEDURES[1], effective_from=local(2026, 12, 8).date(), time=ProcessingTime(5, TimeUnit.WORKING_DAYS)
    )
    report = desk.app.procedures.import_procedures(desk.admin, [faster], source="QĐ 99/2026")
    assert report.added == 1
    clock.set(local(2026, 12, 8, 8, 0))
    second = desk.app.dossiers.receive(desk.lan, request(LAND))
    assert second.procedure.time.amount == 5 and second.due_at == local(2026, 12, 15, 8, 0)
    assert desk.app.dossier_queries.show(desk.lan, first).procedure.time.amount == 10
    # A version already in force cannot be rewritten under its dossiers.
    with pytest.raises(ValidationError):
        desk.app.procedures.import_procedures(desk.admin, [replace(faster, fee=1_000)], source="x")


def test_a_chip_card_scan_fills_the_applicant(desk: Centre) -> None:
    line = "001095012345|012345678|Nguyễn Văn An|12031995|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15042021"
    applicant = applicant_from_card(parse_chip_qr(line, today=local(2026, 12, 7).date()), phone="0912345678")
    view = desk.app.dossiers.receive(desk.lan, request(BUILD, applicant))
    assert (view.applicant.name, view.applicant.id_number, view.applicant.old_id_number) == (
        "Nguyễn Văn An",
        "001095012345",
        "012345678",
    )
    assert [s.code for s in desk.app.dossier_queries.search(desk.lan, "012345678")] == [view.code]


def test_a_second_site_takes_its_own_block_of_numbers(desk: Centre) -> None:
    desk.app.settings.set(desk.admin, "dossier_sequence_first", 5001)
    desk.app.settings.set(desk.admin, "dossier_sequence_last", 5002)
    codes = [desk.app.dossiers.receive(desk.lan, request(COPY)).code for _n in range(2)]
    assert codes == [f"{AGENCY}-261207-5001", f"{AGENCY}-261207-5002"]
    with pytest.raises(ConflictError):
        desk.app.dossiers.receive(desk.lan, request(COPY))
    assert counts(desk.app)[0] == 2


def test_intake_settings_are_checked(desk: Centre, clock: ManualClock) -> None:
    bad = (("reception_schedule", "sáng 8h"), ("agency_code", "H49"), ("same_day_cutoff", "25:00"))
    for key, value in bad:
        with pytest.raises(ValidationError):
            desk.app.settings.set(desk.admin, key, value)
    desk.app.settings.set(desk.admin, "reception_schedule", "07:30-11:30, 13:30-17:00; sat 07:30-11:30")
    clock.set(local(2026, 12, 12, 9, 0))  # a reception Saturday is not a working day for deadlines
    view = desk.app.dossiers.receive(desk.lan, request(LAND))
    assert view.due_at == local(2026, 12, 28, 7, 30)  # counted as received Monday 07:30


def test_a_rating_of_the_visit_is_the_dossiers_rated_event(desk: Centre) -> None:
    ticket = desk.app.queue.issue(desk.kiosk, "B").ticket
    desk.app.queue.call_next(desk.minh, "02")
    code = desk.app.dossiers.receive(desk.minh, request(BUILD, ticket_number=ticket.number)).code
    done = desk.app.queue.finish(desk.minh, "02", Outcome.DOSSIER_RECEIVED, code.lower())
    assert done.dossier_code == code  # the scanned or typed code, as stored
    desk.app.ratings.record(done.id, 1)
    events = desk.app.dossier_queries.show(desk.lan, code).events
    assert [(e.seq, e.type) for e in events] == [(1, EventType.RECEIVED), (2, EventType.RATED)]
    assert events[1].payload == {"level": 1, "scale": 4, "satisfied": True, "source": "keypad"}
