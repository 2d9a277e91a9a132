"""What the seven one-stop forms say (shared/domain/forms.md, Thông tư 03/2025/TT-VPCP), as plain values.

The services fill these from a dossier and its history; ``printing/`` lays them out. Keeping the content
here, apart from both, means the legal wording is tested once without a PDF, and a future version of a form
(the law changed the set in 2025) adds a layout without touching how the data is gathered.

The forms are legal documents in Vietnamese whatever language the screens use, so the wording below is
Vietnamese text, not translated messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from counter_app.domain.clock import local_datetime
from counter_app.domain.dossier import PaymentMethod, ReturnMethod, Timeliness
from counter_app.domain.procedure import CopyKind, ProcessingTime, TimeUnit


class FormKind(enum.StrEnum):
    """The current numbering (Thông tư 03/2025); the old six-form numbering differs from 04 on."""

    RECEIPT = "01"
    SUPPLEMENT = "02"
    REFUSAL = "03"
    APOLOGY = "04"
    STOP = "05"
    CONTROL_SHEET = "06"
    REGISTER = "07"

    @property
    def heading(self) -> str:
        """The form's title as printed (upper case, as on the templates)."""
        return _TITLES[self]


_TITLES = {
    FormKind.RECEIPT: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    FormKind.SUPPLEMENT: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    FormKind.REFUSAL: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    FormKind.APOLOGY: "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    FormKind.STOP: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    FormKind.CONTROL_SHEET: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    FormKind.REGISTER: "SỔ THEO DÕI HỒ SƠ",
}

FORMS_EFFECTIVE_FROM = date(2025, 9, 15)
"""Thông tư 03/2025/TT-VPCP: the templates below are that version; a later one adds a version."""


class PaperSize(enum.StrEnum):
    A4 = "A4"
    A5 = "A5"


# -- the parts forms share ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuingUnit:
    """The header's left column and the place of the date line."""

    managing_authority: str  # e.g. "UBND TỈNH TIỀN GIANG"
    unit_name: str  # e.g. "Trung tâm Phục vụ hành chính công"
    place_name: str  # e.g. "Mỹ Tho"
    contact_phone: str = ""


@dataclass(frozen=True)
class Party:
    """An applicant or authorised person as the forms print them. ``id_number`` is the personal ID or,
    for an organisation, its tax code."""

    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    authorisation: str = ""  # the authorisation paper, for an authorised person


@dataclass(frozen=True)
class PaperLine:
    """One paper of the dossier: its name, kind of copy and number of copies."""

    name: str
    kind: CopyKind
    copies: int


@dataclass(frozen=True)
class FormStamp:
    """What every dossier form carries: which form, whose, about which dossier, issued when.

    ``event_seq`` names the history event the form belongs to (a reprint gives the same content);
    ``reprinted_at`` is set when the same form of that event was printed before.
    """

    kind: FormKind
    unit: IssuingUnit
    dossier_code: str
    issued_at: datetime
    event_seq: int | None = None
    reprinted_at: datetime | None = None


# -- the forms ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptForm:
    """Mẫu 01, with the local additions forms.md lists (fee, look-up QR, VietQR, contact phone)."""

    stamp: FormStamp
    applicant: Party
    proxy: Party | None
    procedure_code: str
    procedure_name: str
    papers: tuple[PaperLine, ...]
    sets: int
    processing_time: ProcessingTime
    received_at: datetime
    due_at: datetime
    return_method: ReturnMethod
    register_book: str  # "Quyển số"
    register_number: str  # "Số thứ tự"
    officer_name: str
    fee: int
    payment_method: PaymentMethod
    vietqr_payload: str | None  # only when the fee is paid by transfer and the centre has an account
    lookup_text: str  # what the look-up QR code carries


@dataclass(frozen=True)
class SupplementForm:
    """Mẫu 02: every gap at once, in writing."""

    stamp: FormStamp
    applicant: Party
    procedure_name: str
    missing: tuple[str, ...]
    reason: str
    deadline: date | None
    officer_name: str


@dataclass(frozen=True)
class RefusalForm:
    """Mẫu 03."""

    stamp: FormStamp
    applicant: Party
    procedure_name: str
    reason: str
    officer_name: str


@dataclass(frozen=True)
class ApologyForm:
    """Mẫu 04, issued by the processing agency at fault and signed by its head."""

    stamp: FormStamp
    applicant: Party
    procedure_name: str
    agency: str  # the unit at fault, which apologises
    head: str  # its head, who signs
    received_at: datetime
    original_due_at: datetime
    new_due_at: datetime
    reason: str


@dataclass(frozen=True)
class StopForm:
    """Mẫu 05: the applicant asked to stop before any decision (forms.md gives the minimum content)."""

    stamp: FormStamp
    applicant: Party
    procedure_name: str
    received_at: datetime | None
    requested_on: date
    reason: str
    refund: int
    officer_name: str


@dataclass(frozen=True)
class ControlStep:
    """One handover of Mẫu 06, judged against that step's own due time."""

    from_unit: str
    to_unit: str
    handed_at: datetime
    due_at: datetime | None
    timeliness: Timeliness | None
    note: str = ""


@dataclass(frozen=True)
class ControlSheetForm:
    """Mẫu 06: travels with the dossier; the first row leaves reception, the last comes back to it."""

    stamp: FormStamp
    processing_unit: str
    cooperating_units: tuple[str, ...]
    received_at: datetime
    due_at: datetime
    steps: tuple[ControlStep, ...]


@dataclass(frozen=True)
class RegisterRow:
    code: str
    procedure_name: str
    applicant_name: str
    address_phone: str
    agency: str  # cơ quan chủ trì giải quyết
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    return_method: ReturnMethod
    sets: int
    timeliness: Timeliness | None
    note: str = ""


@dataclass(frozen=True)
class RegisterForm:
    """Mẫu 07 for a period; ``extra_columns`` adds the old register's sets, timeliness and notes."""

    unit: IssuingUnit
    start: date
    end: date
    printed_at: datetime
    rows: tuple[RegisterRow, ...]
    extra_columns: bool = False


DossierForm = ReceiptForm | SupplementForm | RefusalForm | ApologyForm | StopForm | ControlSheetForm


# -- the legal wording --------------------------------------------------------------------------------


def legal_date(day: date) -> str:
    """``ngày 05 tháng 12 năm 2026``: the date as the forms write it."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def legal_time(instant: datetime) -> str:
    """``08 giờ 37 phút, ngày 25 tháng 12 năm 2026``, in local time (forms.md)."""
    local = local_datetime(instant)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {legal_date(local.date())}"


def place_and_date(place: str, day: date) -> str:
    """The header's italic line, ``Mỹ Tho, ngày 23 tháng 11 năm 2026`` (just the date without a place)."""
    words = legal_date(day)
    return f"{place}, {words}" if place.strip() else words[0].upper() + words[1:]


def short_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy (local date for an instant), or empty."""
    if value is None:
        return ""
    day = local_datetime(value).date() if isinstance(value, datetime) else value
    return f"{day:%d/%m/%Y}"


def short_time(instant: datetime | None) -> str:
    """HH:MM dd/mm/yyyy in local time, or empty."""
    if instant is None:
        return ""
    return f"{local_datetime(instant):%H:%M %d/%m/%Y}"


def copy_kind_words(kind: CopyKind) -> str:
    return {
        CopyKind.ORIGINAL: "Bản chính",
        CopyKind.CERTIFIED_COPY: "Bản sao có chứng thực",
        CopyKind.COPY: "Bản sao",
    }[kind]


def processing_time_words(time: ProcessingTime) -> str:
    """The amount and its unit as item 9 of Mẫu 01 writes them."""
    if time.unit is TimeUnit.SAME_DAY:
        return "trong ngày"
    unit = {
        TimeUnit.WORKING_DAYS: "ngày làm việc",
        TimeUnit.WORKING_HOURS: "giờ làm việc",
        TimeUnit.CALENDAR_DAYS: "ngày",
    }[time.unit]
    return f"{time.amount:02d} {unit}"


def return_method_words(method: ReturnMethod) -> str:
    return {
        ReturnMethod.COUNTER: "Bộ phận Tiếp nhận và Trả kết quả",
        ReturnMethod.POST: "Tại nhà/cơ quan qua dịch vụ bưu chính công ích",
    }[method]


def payment_method_words(method: PaymentMethod) -> str:
    return {
        PaymentMethod.NONE: "Không thu phí, lệ phí",
        PaymentMethod.CASH: "Tiền mặt",
        PaymentMethod.TRANSFER: "Chuyển khoản (VietQR)",
        PaymentMethod.CARD: "Thẻ ngân hàng",
    }[method]


def timeliness_words(value: Timeliness | None) -> str:
    if value is None:
        return ""
    return {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}[value]


def money(amount: int) -> str:
    """``1.500.000 đồng``: Vietnamese thousands separator."""
    return f"{amount:,}".replace(",", ".") + " đồng"
