"""The dossier (hồ sơ) lifecycle of shared/domain/statuses.md, its code, and how its timeliness is judged.

Everything here is a pure rule; the service layer applies them inside one transaction that also
writes the audit row and the outbox event of each change.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from counter_app.domain.clock import local_date, local_datetime
from counter_app.domain.errors import ConflictError, ValidationError
from counter_app.i18n import _

# The two shapes of agency code in dossier-code.md.
AGENCY_CODE_PATTERN = re.compile(r"^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}\.\d{3}\.\d{2})$")
DOSSIER_CODE_PATTERN = re.compile(
    r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}\.\d{3}\.\d{2})-(?P<day>\d{6})-(?P<seq>\d{4,})$"
)
SEQUENCE_WIDTH = 4


class DossierStatus(enum.StrEnum):
    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"
    TRANSFERRED = "transferred"
    RESULT_READY = "result_ready"
    DELAYED = "delayed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


S = DossierStatus
# statuses.md, "Allowed transitions". ``None`` is a dossier not yet recorded.
TRANSITIONS: dict[DossierStatus | None, frozenset[DossierStatus]] = {
    None: frozenset({S.RECEIVED, S.SUPPLEMENT_REQUESTED, S.REFUSED}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.RECEIVED, S.WITHDRAWN, S.REFUSED}),
    S.RECEIVED: frozenset(
        {S.TRANSFERRED, S.RESULT_READY, S.SUPPLEMENT_REQUESTED, S.DELAYED, S.WITHDRAWN, S.REFUSED}
    ),
    S.TRANSFERRED: frozenset(
        {S.TRANSFERRED, S.RESULT_READY, S.SUPPLEMENT_REQUESTED, S.DELAYED, S.WITHDRAWN, S.REFUSED}
    ),
    S.DELAYED: frozenset({S.TRANSFERRED, S.RESULT_READY, S.WITHDRAWN}),
    S.RESULT_READY: frozenset({S.RETURNED}),
    S.REFUSED: frozenset(),
    S.RETURNED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
FINAL_STATUSES = frozenset(status for status, targets in TRANSITIONS.items() if status and not targets)
# Still being processed: counted by the "due" lists and the in-process-within-time indicator.
IN_PROCESS = frozenset({S.RECEIVED, S.TRANSFERRED, S.DELAYED})


class EventType(enum.StrEnum):
    """The sync events of shared/central/api.md; one per change, in commit order per dossier."""

    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    REFUSED = "refused"
    TRANSFERRED = "transferred"
    RESULT_READY = "result_ready"
    DELAYED = "delayed"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    RATED = "rated"


def event_for(current: DossierStatus | None, target: DossierStatus) -> EventType:
    """The event that records a transition: completing a supplement is ``supplemented``."""
    if current is S.SUPPLEMENT_REQUESTED and target is S.RECEIVED:
        return EventType.SUPPLEMENTED
    return EventType(target.value)


def status_label(status: DossierStatus) -> str:
    labels = {
        S.RECEIVED: _("received"),
        S.SUPPLEMENT_REQUESTED: _("supplement requested"),
        S.REFUSED: _("refused"),
        S.TRANSFERRED: _("at a processing unit"),
        S.RESULT_READY: _("result ready"),
        S.DELAYED: _("delayed (apology issued)"),
        S.RETURNED: _("returned"),
        S.WITHDRAWN: _("withdrawn"),
    }
    return labels[status]


def check_transition(current: DossierStatus | None, target: DossierStatus, code: str) -> None:
    """Refuse anything the status table does not allow, with the reason an officer can act on."""
    if target in TRANSITIONS[current]:
        return
    if current is S.DELAYED and target is S.DELAYED:
        raise ConflictError(
            _("Dossier {code} already has an apology; its date can be moved only once.").format(code=code)
        )
    if current in FINAL_STATUSES:
        raise ConflictError(
            _("Dossier {code} is closed ({status}); nothing more can be done with it.").format(
                code=code, status=status_label(current)
            )
        )
    raise ConflictError(
        _("Dossier {code} is {status}; it cannot become {target}.").format(
            code=code,
            status=status_label(current) if current else _("not recorded"),
            target=status_label(target),
        )
    )


class Channel(enum.StrEnum):
    """How the dossier arrived (the online-services indicator)."""

    COUNTER = "counter"
    POST = "post"
    ONLINE = "online"


class ReturnMethod(enum.StrEnum):
    COUNTER = "counter"
    POST = "post"


class PaymentMethod(enum.StrEnum):
    NONE = "none"  # no fee
    CASH = "cash"
    TRANSFER = "transfer"  # bank transfer by VietQR
    CARD = "card"


CASHLESS = frozenset({PaymentMethod.TRANSFER, PaymentMethod.CARD})


class ApplicantKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    ORGANISATION = "organisation"


class Timeliness(enum.StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def judge(due_at: datetime, done_at: datetime) -> Timeliness:
    """statuses.md: early = before the appointment day, on time = that day by its time, late = after.

    Always against the *original* appointment: an apology does not make a late dossier on time.
    """
    if local_date(done_at) < local_date(due_at):
        return Timeliness.EARLY
    if done_at <= due_at:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def timeliness_label(value: Timeliness) -> str:
    return {
        Timeliness.EARLY: _("early"),
        Timeliness.ON_TIME: _("on time"),
        Timeliness.LATE: _("late"),
    }[value]


# -- the dossier code -----------------------------------------------------------------------------


def check_agency_code(code: str) -> str:
    value = code.strip().upper()
    if not AGENCY_CODE_PATTERN.match(value):
        raise ValidationError(
            _("'{code}' is not an agency code (expected e.g. 000.00.10.H49 or H55.242.01).").format(
                code=value
            )
        )
    return value


def format_dossier_code(agency_code: str, received_at: datetime, sequence: int) -> str:
    """``<agency>-<YYMMDD>-<sequence>``: local date, at least 4 digits, widening past 9999."""
    day = local_datetime(received_at).strftime("%y%m%d")
    return f"{agency_code}-{day}-{sequence:0{SEQUENCE_WIDTH}d}"


@dataclass(frozen=True)
class DossierCode:
    agency: str
    day: date
    sequence: int


def parse_dossier_code(text: str) -> DossierCode:
    """Recognise a typed or scanned code (scanners may add spaces or lower-case letters)."""
    value = text.strip().upper()
    match = DOSSIER_CODE_PATTERN.match(value)
    if match is None:
        raise ValidationError(_("'{code}' is not a dossier code.").format(code=value))
    raw_day = match["day"]
    try:
        day = date(2000 + int(raw_day[:2]), int(raw_day[2:4]), int(raw_day[4:]))
    except ValueError as exc:
        raise ValidationError(_("'{code}' is not a dossier code.").format(code=value)) from exc
    return DossierCode(match["agency"], day, int(match["seq"]))


def canonical_dossier_code(text: str) -> str:
    """The code as stored, from what was typed or scanned; a clear sentence if it is not one."""
    parse_dossier_code(text)
    return text.strip().upper()


def is_dossier_code(text: str) -> bool:
    """For the scanner: tell a receipt barcode from anything else typed by the wedge."""
    try:
        parse_dossier_code(text)
    except ValidationError:
        return False
    return True
