"""An administrative procedure (thủ tục hành chính, TTHC) as the catalogue publishes it.

A procedure is versioned by the date its text took effect: a dossier keeps the version it was
received under, so a later change of time or fee never rewrites an appointment already given.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

# National codes: "1.001612", or with the agency suffix "1.010708.000.00.00.H56"; some ministries
# publish "2.000488" or "3.000123". Kept as text, compared exactly.
PROCEDURE_CODE_PATTERN = re.compile(r"^[1-9]\.\d{6}(\.[0-9A-Z]{2,3}){0,4}$")
DEFAULT_SAME_DAY_CUTOFF = dt.time(15, 0)


class TimeUnit(enum.StrEnum):
    """The unit of a processing time (working-days.md)."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"  # "trong ngày": the amount is ignored, the cut-off decides
    CALENDAR_DAYS = "calendar_days"


class SupplementClock(enum.StrEnum):
    """What happens to the appointment when a supplemented dossier is complete again (statuses.md)."""

    RESTART = "restart"
    RESUME_REMAINING = "resume_remaining"


class CopyKind(enum.StrEnum):
    ORIGINAL = "original"  # bản chính
    CERTIFIED_COPY = "certified_copy"  # bản sao có chứng thực
    COPY = "copy"  # bản sao / bản chụp


@dataclass(frozen=True)
class ProcessingTime:
    amount: int
    unit: TimeUnit

    def __post_init__(self) -> None:
        if self.unit is not TimeUnit.SAME_DAY and self.amount < 1:
            raise ValidationError(_("A processing time must be at least 1."))
        if self.amount < 0:
            raise ValidationError(_("A processing time must be at least 1."))


@dataclass(frozen=True)
class RequiredDocument:
    """One paper of the procedure's dossier (thành phần hồ sơ)."""

    name: str
    kind: CopyKind = CopyKind.ORIGINAL
    copies: int = 1
    reusable: bool = False  # may be taken from an earlier dossier's digitised copy


@dataclass(frozen=True)
class ProcessStep:
    """One unit's share of the procedure's internal process (quy trình nội bộ), in the time's unit."""

    unit: str
    amount: int


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str  # lĩnh vực
    area_prefix: str  # the service area (queue) whose tickets it belongs to
    time: ProcessingTime
    effective_from: dt.date
    level: str = ""  # e.g. "Toàn trình", "Một phần"
    reduced_amount: int | None = None  # the shorter time a province may set
    same_day_cutoff: dt.time | None = None  # None: the centre's default (15:00)
    after_supplement: SupplementClock = SupplementClock.RESTART
    deciding_agency: str = ""
    fee: int = 0  # lệ phí, VND
    charge: int = 0  # phí, VND
    fee_note: str = ""
    documents: tuple[RequiredDocument, ...] = ()
    result_document: str = ""
    online: bool = False
    steps: tuple[ProcessStep, ...] = ()

    @property
    def effective_time(self) -> ProcessingTime:
        """The time that counts for the appointment: the province's reduced time when it set one."""
        if self.reduced_amount is not None and self.time.unit is not TimeUnit.SAME_DAY:
            return ProcessingTime(self.reduced_amount, self.time.unit)
        return self.time

    @property
    def total_fee(self) -> int:
        return self.fee + self.charge


def check_procedure_code(code: str) -> str:
    value = code.strip()
    if not PROCEDURE_CODE_PATTERN.match(value):
        raise ValidationError(
            _("'{code}' is not a national procedure code (expected e.g. 1.001612).").format(code=value)
        )
    return value
