"""Centre-wide settings shared by all counters (queue policy, login rules), audited on change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import CentreSetting
from counter_app.domain.announcement import check_call_template, check_number_reading
from counter_app.domain.clock import parse_clock_time
from counter_app.domain.devices import parse_brightness_schedule
from counter_app.domain.dossier import check_agency_code
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.queue import PriorityMode, PriorityPolicy
from counter_app.domain.roles import Permission
from counter_app.domain.working_days import ReceptionSchedule
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.context import ServiceContext, unit_of_work


@dataclass(frozen=True)
class CentreConfig:
    """Every centre-wide setting with its default; the table stores only what an admin changed."""

    priority_mode: str = PriorityMode.STRICT.value
    max_consecutive_priority: int = 3
    interleave_every: int = 2
    no_show_after_recalls: int = 2
    recent_services_for_estimate: int = 20
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    password_min_length: int = 8
    rating_levels: int = 4
    satisfied_up_to: int = 2  # levels 1..this count as satisfied (1 is the best)
    rating_prompt_seconds: int = 30
    board_brightness: str = "06:00=15, 18:00=10, 22:00=4"
    board_idle_text: str = "Trung tâm Phục vụ hành chính công"
    # The receiving unit, as printed on the forms and in the dossier code.
    agency_code: str = ""  # empty until an administrator sets it: no dossier can be received before
    managing_authority: str = "UBND TỈNH"
    unit_name: str = "Trung tâm Phục vụ hành chính công"
    place_name: str = ""
    contact_phone: str = ""
    # The reception schedule (working-days.md) and intake rules.
    reception_schedule: str = "07:30-11:30, 13:30-17:00"
    same_day_cutoff: str = "15:00"
    supplement_days_allowed: int = 15
    # Two sites issuing codes for one agency each take their own block (dossier-code.md).
    dossier_sequence_first: int = 1
    dossier_sequence_last: int = 0  # 0: no upper bound
    max_file_mb: int = 20
    # The centre's account for fees paid by transfer (VietQR).
    bank_bin: str = ""
    bank_account: str = ""
    bank_account_name: str = ""
    # Printing the forms: paper of Mẫu 01, a second copy for the file, and what its look-up QR carries.
    form_paper: str = "A4"
    receipt_copies: int = 1
    lookup_url: str = ""  # e.g. "https://dichvucong.example.vn/tra-cuu?ma={code}"; empty: the bare code
    # Calling on the waiting-area display (queue.md): the spoken sentence with {so}, {quay} and {dich_vu},
    # the ticket read as a number in words or digit by digit, chime and voice each on (1) or off (0).
    call_template: str = "Kính mời công dân có số thứ tự {so} đến quầy số {quay}"
    call_reading: str = "words"
    call_chime: int = 1
    call_voice: int = 1
    call_repeat: int = 2
    display_notice: str = ""  # the display's scrolling line; empty: the centre's opening hours
    display_recent_calls: int = 6
    kiosk_idle_seconds: int = 8  # the kiosk goes back to its start screen after this

    def validate(self) -> None:
        self.priority_policy  # noqa: B018 - building the policy checks its numbers
        if self.satisfied_up_to > self.rating_levels:
            raise ValidationError(
                _(
                    "The satisfied levels ({n}) cannot exceed the levels of the rating scale ({levels})."
                ).format(n=self.satisfied_up_to, levels=self.rating_levels)
            )

    def is_satisfied(self, level: int) -> bool:
        return level <= self.satisfied_up_to

    @property
    def schedule(self) -> ReceptionSchedule:
        return ReceptionSchedule.parse(self.reception_schedule)

    @property
    def cutoff(self) -> time:
        return parse_clock_time(self.same_day_cutoff)

    @property
    def priority_policy(self) -> PriorityPolicy:
        return PriorityPolicy(
            mode=PriorityMode(self.priority_mode),
            max_consecutive_priority=self.max_consecutive_priority,
            interleave_every=self.interleave_every,
        )


_FIELDS = {f.name: f for f in fields(CentreConfig)}
_MINIMUM = {
    "max_consecutive_priority": 0,
    "no_show_after_recalls": 0,
    "dossier_sequence_last": 0,
    "call_chime": 0,
    "call_voice": 0,
    "kiosk_idle_seconds": 3,
}
_MAXIMUM = {
    "rating_levels": 5,
    "max_file_mb": 100,
    "receipt_copies": 2,
    "call_chime": 1,
    "call_voice": 1,
    "call_repeat": 3,
    "display_recent_calls": 12,
    "kiosk_idle_seconds": 60,
}


def _agency_code(raw: str) -> str:
    return check_agency_code(raw) if raw.strip() else ""


def _text(raw: str) -> str:
    text = " ".join(raw.split())
    if not text:
        raise ValidationError(_("The name must not be empty."))
    return text


def _optional_text(raw: str) -> str:
    return " ".join(raw.split())


def _schedule(raw: str) -> str:
    return ReceptionSchedule.parse(raw).format()


def _clock_time(raw: str) -> str:
    return parse_clock_time(raw).strftime("%H:%M")


def _bank_bin(raw: str) -> str:
    value = raw.strip()
    if value and not (value.isascii() and value.isdigit() and len(value) == 6):
        raise ValidationError(_("A bank BIN has 6 digits (e.g. 970436)."))
    return value


def _paper(raw: str) -> str:
    value = raw.strip().upper()
    if value not in ("A4", "A5"):
        raise ValidationError(_("The form paper must be A4 or A5."))
    return value


def _lookup_url(raw: str) -> str:
    value = raw.strip()
    if value and "{code}" not in value:
        raise ValidationError(_("The look-up address must contain {code} where the dossier code goes."))
    return value


# Settings held as text, each with the check that keeps a wrong value out of the database.
_TEXT_SETTINGS: dict[str, Callable[[str], str]] = {
    "board_brightness": lambda raw: (parse_brightness_schedule(raw), raw.strip())[1],
    "board_idle_text": _text,
    "agency_code": _agency_code,
    "managing_authority": _text,
    "unit_name": _text,
    "place_name": _optional_text,
    "contact_phone": _optional_text,
    "reception_schedule": _schedule,
    "same_day_cutoff": _clock_time,
    "bank_bin": _bank_bin,
    "bank_account": _optional_text,
    "bank_account_name": _optional_text,
    "form_paper": _paper,
    "lookup_url": _lookup_url,
    "display_notice": _optional_text,
    "call_template": check_call_template,
    "call_reading": check_number_reading,
}


def _coerce(key: str, raw: object) -> Any:
    if key not in _FIELDS:
        raise NotFoundError(_("There is no setting named '{key}'.").format(key=key))
    if key == "priority_mode":
        value = str(raw).strip().lower()
        if value not in {m.value for m in PriorityMode}:
            raise ValidationError(_("The priority mode must be 'strict' or 'interleaved'."))
        return value
    if key in _TEXT_SETTINGS:
        return _TEXT_SETTINGS[key](str(raw))
    try:
        number = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationError(_("The setting '{key}' must be a whole number.").format(key=key)) from exc
    if number < _MINIMUM.get(key, 1):
        raise ValidationError(
            _("The setting '{key}' must be at least {minimum}.").format(key=key, minimum=_MINIMUM.get(key, 1))
        )
    if key in _MAXIMUM and number > _MAXIMUM[key]:
        raise ValidationError(
            _("The setting '{key}' must be at most {maximum}.").format(key=key, maximum=_MAXIMUM[key])
        )
    return number


def load_config(session: Session) -> CentreConfig:
    stored = {row.key: row.value for row in session.scalars(select(CentreSetting))}
    known = {k: v for k, v in stored.items() if k in _FIELDS}
    return CentreConfig(**known)


class CentreSettings:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self) -> CentreConfig:
        with self.ctx.db.reading() as session:
            return load_config(session)

    def set(self, actor: Actor, key: str, raw_value: object) -> CentreConfig:
        actor.require(Permission.MANAGE_SETTINGS)
        value = _coerce(key, raw_value)
        with unit_of_work(self.ctx, actor) as uow:
            before = load_config(uow.session)
            after = CentreConfig(**{**asdict(before), key: value})
            after.validate()  # the combination, before anything is written
            row = uow.session.get(CentreSetting, key)
            if row is None:
                uow.session.add(CentreSetting(key=key, value=value))
            else:
                row.value = value
            uow.audit("settings.change", "setting", key, {key: getattr(before, key)}, {key: value})
            return after
