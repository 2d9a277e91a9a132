"""Centre-wide settings shared by all counters (queue policy, login rules), audited on change."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import CentreSetting
from counter_app.domain.devices import parse_brightness_schedule
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.queue import PriorityMode, PriorityPolicy
from counter_app.domain.roles import Permission
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
    def priority_policy(self) -> PriorityPolicy:
        return PriorityPolicy(
            mode=PriorityMode(self.priority_mode),
            max_consecutive_priority=self.max_consecutive_priority,
            interleave_every=self.interleave_every,
        )


_FIELDS = {f.name: f for f in fields(CentreConfig)}
_MINIMUM = {"max_consecutive_priority": 0, "no_show_after_recalls": 0}
_MAXIMUM = {"rating_levels": 5}


def _coerce(key: str, raw: object) -> Any:
    if key not in _FIELDS:
        raise NotFoundError(_("There is no setting named '{key}'.").format(key=key))
    if key == "priority_mode":
        value = str(raw).strip().lower()
        if value not in {m.value for m in PriorityMode}:
            raise ValidationError(_("The priority mode must be 'strict' or 'interleaved'."))
        return value
    if key == "board_brightness":
        parse_brightness_schedule(str(raw))
        return str(raw).strip()
    if key == "board_idle_text":
        text = " ".join(str(raw).split())
        if not text:
            raise ValidationError(_("The name must not be empty."))
        return text
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
