"""A small, fixed catalogue for intake tests (test codes 1.9xxxxx, not the shipped demo catalogue)."""

from __future__ import annotations

from datetime import date, time

from counter_app.domain.applicant import Applicant
from counter_app.domain.citizen_id import Gender
from counter_app.domain.procedure import (
    CopyKind,
    Procedure,
    ProcessingTime,
    ProcessStep,
    RequiredDocument,
    SupplementClock,
    TimeUnit,
)
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import IntakeRequest

AGENCY = "000.00.10.H49"
BUILD = "1.900001"  # 15 working days, restart after a supplement, fee, internal steps
LAND = "1.900002"  # 10 working days, resumes after a supplement, no fee
COPY = "1.900003"  # same day, cut-off 15:00

PROCEDURES = (
    Procedure(
        code=BUILD,
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        field="Xây dựng",
        area_prefix="B",
        time=ProcessingTime(15, TimeUnit.WORKING_DAYS),
        effective_from=date(2025, 7, 1),
        after_supplement=SupplementClock.RESTART,
        deciding_agency="UBND xã",
        fee=75_000,
        documents=(
            RequiredDocument("Đơn đề nghị cấp giấy phép xây dựng", CopyKind.ORIGINAL, 1),
            RequiredDocument("Giấy chứng nhận quyền sử dụng đất", CopyKind.CERTIFIED_COPY, 1, reusable=True),
            RequiredDocument("Bản vẽ thiết kế xây dựng", CopyKind.ORIGINAL, 2),
        ),
        result_document="Giấy phép xây dựng",
        steps=(ProcessStep("Phòng Kinh tế", 12), ProcessStep("Lãnh đạo UBND xã", 3)),
    ),
    Procedure(
        code=LAND,
        name="Đăng ký biến động quyền sử dụng đất",
        field="Đất đai",
        area_prefix="B",
        time=ProcessingTime(10, TimeUnit.WORKING_DAYS),
        effective_from=date(2025, 7, 1),
        after_supplement=SupplementClock.RESUME_REMAINING,
        deciding_agency="Văn phòng đăng ký đất đai",
        documents=(
            RequiredDocument("Đơn đăng ký biến động đất đai", CopyKind.ORIGINAL, 1),
            RequiredDocument("Giấy chứng nhận đã cấp", CopyKind.ORIGINAL, 1),
        ),
    ),
    Procedure(
        code=COPY,
        name="Chứng thực bản sao từ bản chính",
        field="Chứng thực",
        area_prefix="A",
        time=ProcessingTime(0, TimeUnit.SAME_DAY),
        effective_from=date(2025, 7, 1),
        same_day_cutoff=time(15, 0),
        fee=2_000,
        documents=(RequiredDocument("Bản chính giấy tờ cần chứng thực", CopyKind.ORIGINAL, 1),),
    ),
)

AN = Applicant(
    name="Nguyễn Văn An",
    id_number="001095012345",
    date_of_birth=date(1995, 3, 12),
    gender=Gender.MALE,
    address="Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội",
    phone="0912 345 678",
)
DAO = Applicant(
    name="Đặng Thị Đào",
    id_number="079301000123",
    date_of_birth=date(2001, 5, 2),
    gender=Gender.FEMALE,
    phone="0987654321",
    old_id_number="025123456",
)


def set_up_intake(app: CounterApp, admin: Actor) -> None:
    app.settings.set(admin, "agency_code", AGENCY)
    report = app.procedures.import_procedures(admin, PROCEDURES, source="tests")
    assert report.ok and report.added == len(PROCEDURES)


def request(code: str = BUILD, applicant: Applicant = AN, **changes: object) -> IntakeRequest:
    return IntakeRequest(procedure_code=code, applicant=applicant, **changes)  # type: ignore[arg-type]
