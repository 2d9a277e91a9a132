"""Form values as the service would fill them, for testing the layouts without a database."""

from __future__ import annotations

from datetime import date, datetime

from counter_app.domain.clock import LOCAL_TZ
from counter_app.domain.dossier import PaymentMethod, ReturnMethod, Timeliness
from counter_app.domain.forms import (
    ApologyForm,
    ControlSheetForm,
    ControlStep,
    FormKind,
    FormStamp,
    IssuingUnit,
    PaperLine,
    Party,
    ReceiptForm,
    RefusalForm,
    RegisterForm,
    RegisterRow,
    StopForm,
    SupplementForm,
)
from counter_app.domain.procedure import CopyKind, ProcessingTime, TimeUnit
from counter_app.domain.vietqr import BankAccount, vietqr_payload

CODE = "000.00.10.H49-261207-0042"
UNIT = IssuingUnit("UBND TỈNH TIỀN GIANG", "Trung tâm Phục vụ hành chính công", "Mỹ Tho", "0273 3 888 999")
APPLICANT = Party(
    "Nguyễn Thị Ánh Tuyết", "082301012345", "Số 12 Ấp Bắc, phường 5, Mỹ Tho", "0912345678", "tuyet@example.vn"
)
PROXY = Party("Trần Văn Đức", "082201000123", "Phường 4, Mỹ Tho", "0987654321", "", "Giấy ủy quyền số 15/UQ")
PROCEDURE = "Cấp giấy phép xây dựng nhà ở riêng lẻ"
FEE = 75_000
VIETQR = vietqr_payload(BankAccount("970436", "0123456789", "TRUNG TAM PVHCC"), amount=FEE, purpose=CODE)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


RECEIVED = local(2026, 12, 7, 8, 37)
DUE = local(2026, 12, 28, 16, 0)


def stamp(kind: FormKind, reprinted_at: datetime | None = None, unit: IssuingUnit = UNIT) -> FormStamp:
    return FormStamp(kind, unit, CODE, RECEIVED, 1, reprinted_at)


def receipt(reprinted_at: datetime | None = None, **changes: object) -> ReceiptForm:
    values: dict[str, object] = {
        "stamp": stamp(FormKind.RECEIPT, reprinted_at),
        "applicant": APPLICANT,
        "proxy": PROXY,
        "procedure_code": "1.900001",
        "procedure_name": PROCEDURE,
        "papers": (
            PaperLine("Đơn đề nghị cấp giấy phép xây dựng", CopyKind.ORIGINAL, 1),
            PaperLine("Giấy chứng nhận quyền sử dụng đất", CopyKind.CERTIFIED_COPY, 1),
            PaperLine("Bản vẽ thiết kế xây dựng", CopyKind.ORIGINAL, 2),
        ),
        "sets": 1,
        "processing_time": ProcessingTime(15, TimeUnit.WORKING_DAYS),
        "received_at": RECEIVED,
        "due_at": DUE,
        "return_method": ReturnMethod.COUNTER,
        "register_book": "2026",
        "register_number": "0042",
        "officer_name": "Lê Thị Hồng Nhung",
        "fee": FEE,
        "payment_method": PaymentMethod.TRANSFER,
        "vietqr_payload": VIETQR,
        "lookup_text": f"https://dichvucong.example.vn/tra-cuu?ma={CODE}",
    }
    values.update(changes)
    return ReceiptForm(**values)  # type: ignore[arg-type]


def supplement() -> SupplementForm:
    return SupplementForm(
        stamp(FormKind.SUPPLEMENT),
        APPLICANT,
        PROCEDURE,
        ("Bản vẽ thiết kế xây dựng", "Bản sao có chứng thực sổ hộ khẩu"),
        "Bản vẽ thiếu chữ ký của chủ đầu tư",
        date(2026, 12, 28),
        "Lê Thị Hồng Nhung",
    )


def refusal() -> RefusalForm:
    return RefusalForm(
        stamp(FormKind.REFUSAL), APPLICANT, PROCEDURE, "Thửa đất nằm trong quy hoạch", "Lê Thị Hồng Nhung"
    )


def apology() -> ApologyForm:
    unit = IssuingUnit("UBND TỈNH TIỀN GIANG", "Phòng Kinh tế", "Mỹ Tho")
    return ApologyForm(
        stamp(FormKind.APOLOGY, unit=unit),
        APPLICANT,
        PROCEDURE,
        "Phòng Kinh tế",
        "Trần Văn Cường",
        RECEIVED,
        DUE,
        local(2027, 1, 5, 8, 0),
        "Chờ ý kiến cơ quan chuyên môn",
    )


def stop() -> StopForm:
    return StopForm(
        stamp(FormKind.STOP),
        APPLICANT,
        PROCEDURE,
        RECEIVED,
        date(2026, 12, 9),
        "Gia đình thay đổi thiết kế",
        FEE,
        "Lê Thị Hồng Nhung",
    )


def control_sheet() -> ControlSheetForm:
    return ControlSheetForm(
        stamp(FormKind.CONTROL_SHEET),
        "UBND xã",
        ("Phòng Kinh tế",),
        RECEIVED,
        DUE,
        (
            ControlStep(UNIT.unit_name, "Phòng Kinh tế", local(2026, 12, 7, 14, 0), None, None),
            ControlStep(
                "Phòng Kinh tế",
                "Lãnh đạo UBND xã",
                local(2026, 12, 24, 9, 0),
                local(2026, 12, 23, 14, 0),
                Timeliness.LATE,
                "Chờ thẩm định",
            ),
        ),
    )


def register_rows(count: int) -> tuple[RegisterRow, ...]:
    return tuple(
        RegisterRow(
            code=f"000.00.10.H49-261207-{number:04d}",
            procedure_name=PROCEDURE,
            applicant_name=f"Nguyễn Văn Ất {number}",
            address_phone="Mỹ Tho, 0912345678",
            agency="UBND xã",
            received_at=local(2026, 12, 7, 8, 0),
            due_at=DUE,
            returned_at=local(2026, 12, 20, 9, 30) if number % 2 else None,
            return_method=ReturnMethod.POST if number % 3 == 0 else ReturnMethod.COUNTER,
            sets=1,
            timeliness=Timeliness.EARLY if number % 2 else None,
        )
        for number in range(1, count + 1)
    )


def register(count: int, extra_columns: bool = False) -> RegisterForm:
    return RegisterForm(
        UNIT,
        date(2026, 12, 1),
        date(2026, 12, 31),
        local(2027, 1, 4, 9, 0),
        register_rows(count),
        extra_columns,
    )
