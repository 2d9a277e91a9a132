"""Time: stored in UTC, reasoned about in the centre's local time (Asia/Ho_Chi_Minh).

Every rule that depends on "now" takes a :class:`Clock`, so tests set the time instead of
sleeping. The centre's "today" is the *local* date: at 07:00 local it is already midnight
UTC, and numbering must not restart then.
"""

from __future__ import annotations

import time as time_module
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ManualClock:
    """A clock tests move by hand."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 1, 0, tzinfo=UTC))

    def __post_init__(self) -> None:
        self.current = as_utc(self.current)

    def now(self) -> datetime:
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = as_utc(instant)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        self.current = self.current + (delta if delta is not None else timedelta(**kwargs))
        return self.current


class RunningClock:
    """Real time shifted to begin at ``start``: the live demo's afternoon, whatever the hour outside."""

    def __init__(self, start: datetime) -> None:
        self.start = as_utc(start)
        self._origin = time_module.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time_module.monotonic() - self._origin)


def as_utc(instant: datetime) -> datetime:
    """Refuse naive datetimes: an instant without a zone is a bug waiting for 07:00."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware instant")
    return instant.astimezone(UTC)


def local_datetime(instant: datetime) -> datetime:
    return as_utc(instant).astimezone(LOCAL_TZ)


def local_date(instant: datetime) -> date:
    """The centre's calendar day for ``instant``: numbering and "today" follow it."""
    return local_datetime(instant).date()


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant at which local ``day`` begins."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)


def format_date(day: date) -> str:
    """dd/mm/yyyy, the only date format users see."""
    return day.strftime("%d/%m/%Y")


def format_local_time(instant: datetime) -> str:
    """HH:MM in local time."""
    return local_datetime(instant).strftime("%H:%M")


def format_local_datetime(instant: datetime) -> str:
    """dd/mm/yyyy HH:MM in local time."""
    return local_datetime(instant).strftime("%d/%m/%Y %H:%M")


def parse_clock_time(text: str) -> time:
    """HH:MM as officers type it ("7:30" too); a clear sentence otherwise."""
    parts = text.strip().split(":")
    try:
        hour, minute = (int(part) for part in parts)
        return time(hour, minute)
    except ValueError as exc:
        raise ValidationError(
            _("'{text}' is not a time of day (expected HH:MM).").format(text=text.strip())
        ) from exc


def parse_local_datetime(text: str) -> datetime:
    """ "dd/mm/yyyy HH:MM" (or just the date, meaning its midnight) in the centre's local time."""
    value = " ".join(text.split())
    for pattern in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    raise ValidationError(
        _("'{text}' is not a date and time (expected dd/mm/yyyy HH:MM).").format(text=value)
    )


def parse_date(text: str) -> date:
    """dd/mm/yyyy, the only date format users type."""
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError as exc:
        raise ValidationError(
            _("'{text}' is not a date (expected dd/mm/yyyy).").format(text=text.strip())
        ) from exc
