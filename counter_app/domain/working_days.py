"""The legal working-day calendar and the appointment date (shared/domain/working-days.md).

Two calendars are kept apart on purpose: the *reception schedule* says when a centre receives
(a Saturday morning included), the *legal calendar* says which days count for deadlines (that
Saturday does not). Every deadline is computed here, by pure functions, so the form, the
reminders and the statistics can never disagree about a date.

Times are counted from the receipt time as printed on Mẫu 01, i.e. to the minute: seconds are
dropped before counting, so an appointment never shows a time the citizen cannot check.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import TypeAlias

import holidays

from counter_app.domain.clock import LOCAL_TZ, local_datetime
from counter_app.domain.errors import ValidationError
from counter_app.domain.procedure import DEFAULT_SAME_DAY_CUTOFF, ProcessingTime, TimeUnit
from counter_app.i18n import N_, _, current_language

# 24/11 (Ngày Văn hóa Việt Nam) is listed by the package from 2026; the spec makes it a day off
# only once the year's official list says so.
CULTURE_DAY = (11, 24)
SATURDAY = 5
ONE_MINUTE = timedelta(minutes=1)
# appointment() takes a parameter named ``time`` (the processing time), which hides the class there.
_Clock: TypeAlias = time

_WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def weekday_name(day: date) -> str:
    """The day of the week as users read it ("Thứ Hai" … "Chủ nhật")."""
    return _(_WEEKDAY_NAMES[day.weekday()])


# --------------------------------------------------------------------------- legal calendar


@dataclass(frozen=True)
class DayOverride:
    """One day of an official list or an administrator's decision, with the letter that decided it."""

    day: date
    working: bool
    reference: str = ""
    name: str = ""

    @property
    def label(self) -> str:
        """What a list of days shows: the name, else the letter, so an unnamed override is still traceable."""
        if self.name or self.reference:
            return self.name or self.reference
        return _("Working day") if self.working else _("Day off")


@dataclass(frozen=True)
class _Year:
    """One year of the calendar, precomputed so that every question is a set or bisect lookup."""

    working: frozenset[date]
    ordinals: tuple[int, ...]  # the working days, sorted, as date ordinals
    named_off: dict[date, str]  # every day declared off (any day of the week), with its name
    extra_working: dict[date, str]  # Saturdays and Sundays that are working days


def _package_language() -> str:
    return "vi" if current_language() == "vi" else "en_US"


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _package_year(year: int, language: str) -> dict[date, tuple[bool, str]]:
    """The `holidays` package's exceptions to the Monday–Friday rule for ``year``.

    Swapped Saturdays are not in the package's holiday list, only in ``is_working_day()``;
    asking it about every weekend day is the one way that does not depend on its internals.
    """
    package = holidays.country_holidays("VN", years=year, language=language)
    status = {
        day: (False, str(name))
        for day, name in package.items()
        if day.year == year and (day.month, day.day) != CULTURE_DAY
    }
    for day in _days_of(year):
        if day.weekday() >= SATURDAY and day not in status and package.is_working_day(day):
            status[day] = (True, _("Make-up working day"))
    return status


def _build_year(year: int, layers: Iterable[Iterable[DayOverride]]) -> _Year:
    """Lay the override layers over the package, later layers winning day by day."""
    status = _package_year(year, _package_language())
    for layer in layers:
        status.update({item.day: (item.working, item.label) for item in layer})
    days = _days_of(year)
    working = [d for d in days if (status[d][0] if d in status else d.weekday() < SATURDAY)]
    return _Year(
        working=frozenset(working),
        ordinals=tuple(d.toordinal() for d in working),
        named_off={d: name for d, (works, name) in sorted(status.items()) if not works},
        extra_working={
            d: name for d, (works, name) in sorted(status.items()) if works and d.weekday() >= SATURDAY
        },
    )


def _by_year(overrides: Iterable[DayOverride]) -> dict[int, tuple[DayOverride, ...]]:
    grouped: dict[int, list[DayOverride]] = {}
    for item in overrides:
        grouped.setdefault(item.day.year, []).append(item)
    return {year: tuple(items) for year, items in grouped.items()}


class LegalCalendar:
    """National legal working-day calendar with official-list and administrator overrides.

    Admin wins over official, official over the package; within one list the later entry for a
    day wins. Each year is built once on first use (day names in the language then active) and
    kept, so the counting methods are lookups: a 30-working-day addition is a few bisects.
    """

    def __init__(self, *, official: Iterable[DayOverride] = (), admin: Iterable[DayOverride] = ()) -> None:
        self._official = _by_year(official)
        self._admin = _by_year(admin)
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = _build_year(year, (self._official.get(year, ()), self._admin.get(year, ())))
            self._years[year] = found
        return found

    def is_working_day(self, day: date) -> bool:
        return day in self._year(day.year).working

    def is_holiday(self, day: date) -> bool:
        """A day declared off, on any day of the week: it also closes a Saturday's reception."""
        return day in self._year(day.year).named_off

    def holiday_name(self, day: date) -> str | None:
        return self._year(day.year).named_off.get(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: date) -> date:
        year = day.year
        index = bisect_left(self._year(year).ordinals, day.toordinal())
        while index >= len(self._year(year).ordinals):
            year, index = year + 1, 0
        return date.fromordinal(self._year(year).ordinals[index])

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day strictly after ``day`` (n ≥ 1) or before it (n ≤ -1); 0 rolls ``day`` on."""
        if n == 0:
            return self.working_day_on_or_after(day)
        year = day.year
        if n > 0:
            index = bisect_right(self._year(year).ordinals, day.toordinal()) + n - 1
            while index >= len(self._year(year).ordinals):
                index -= len(self._year(year).ordinals)
                year += 1
        else:
            index = bisect_left(self._year(year).ordinals, day.toordinal()) + n
            while index < 0:
                year -= 1
                index += len(self._year(year).ordinals)
        return date.fromordinal(self._year(year).ordinals[index])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; negative when ``end`` is before ``start``.

        "Due in N working days" reads this with start = today, end = the appointment day.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = bisect_right(self._year(end.year).ordinals, end.toordinal())
        count -= bisect_right(self._year(start.year).ordinals, start.toordinal())
        return count + sum(len(self._year(year).ordinals) for year in range(start.year, end.year))

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """Monday–Friday days that are off: holidays, nghỉ bù, swapped weekdays, administrators' days off."""
        return [(d, name) for d, name in self._year(year).named_off.items() if d.weekday() < SATURDAY]

    def extra_working_days(self, year: int) -> list[tuple[date, str]]:
        """Saturdays and Sundays that count as working days (swaps, administrators' decisions)."""
        return list(self._year(year).extra_working.items())


# --------------------------------------------------------------------------- reception schedule


@dataclass(frozen=True)
class TimeSlot:
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(
                _("A time slot must end after it starts: {slot}.").format(slot=self.format())
            )

    def format(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


DEFAULT_WEEKDAY_SLOTS = (TimeSlot(time(7, 30), time(11, 30)), TimeSlot(time(13, 30), time(17, 0)))
_SLOT_PATTERN = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")
_SATURDAY_PREFIX = re.compile(r"^(?:sat|t7)(?:\s+|$)", re.IGNORECASE)
_SCHEDULE_EXAMPLE_ERROR = N_(
    "'{text}' is not a reception schedule (expected e.g. 07:30-11:30, 13:30-17:00; sat 07:30-11:30)."
)


def _check_order(slots: tuple[TimeSlot, ...]) -> None:
    for earlier, later in pairwise(slots):
        if later.start < earlier.end:
            raise ValidationError(
                _("Time slots must be in order and must not overlap: {slots}.").format(
                    slots=", ".join(slot.format() for slot in slots)
                )
            )


def _parse_time(hours: str, minutes: str) -> time | None:
    hour, minute = int(hours), int(minutes)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _parse_slot(text: str) -> TimeSlot:
    match = _SLOT_PATTERN.match(text)
    start = end = None
    if match:
        start, end = _parse_time(match[1], match[2]), _parse_time(match[3], match[4])
    if start is None or end is None:
        raise ValidationError(_("'{slot}' is not a time slot (expected e.g. 07:30-11:30).").format(slot=text))
    return TimeSlot(start, end)


def _parse_slots(text: str, whole: str) -> tuple[TimeSlot, ...]:
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise ValidationError(_(_SCHEDULE_EXAMPLE_ERROR).format(text=whole))
    return tuple(_parse_slot(item) for item in items)


def _format_slots(slots: tuple[TimeSlot, ...]) -> str:
    return ", ".join(slot.format() for slot in slots)


def _within(slots: tuple[TimeSlot, ...], clock: time) -> bool:
    """Inside a slot, its closing minute included: an appointment "at 17:00" is within a 13:30-17:00 slot."""
    return any(slot.start <= clock <= slot.end for slot in slots)


@dataclass(frozen=True)
class ReceptionSchedule:
    """When a centre receives. Saturday reception slots never make Saturday a legal working day."""

    weekday_slots: tuple[TimeSlot, ...] = DEFAULT_WEEKDAY_SLOTS
    saturday_slots: tuple[TimeSlot, ...] = ()

    def __post_init__(self) -> None:
        if not self.weekday_slots:
            raise ValidationError(_("A reception schedule needs at least one weekday time slot."))
        _check_order(self.weekday_slots)
        _check_order(self.saturday_slots)

    def slots_on(self, day: date, calendar: LegalCalendar) -> tuple[TimeSlot, ...]:
        """Reception slots of ``day``: a working day (a swapped Saturday too) gets the weekday slots."""
        if calendar.is_working_day(day):
            return self.weekday_slots
        if day.weekday() == SATURDAY and not calendar.is_holiday(day):
            return self.saturday_slots
        return ()

    def is_open(self, moment: datetime, calendar: LegalCalendar) -> bool:
        """Whether the centre receives at ``moment`` (tz-aware), in local time; the closing minute is out."""
        local = local_datetime(moment)
        clock = local.time()
        return any(slot.start <= clock < slot.end for slot in self.slots_on(local.date(), calendar))

    @classmethod
    def parse(cls, text: str) -> ReceptionSchedule:
        """Read a centre setting: "07:30-11:30, 13:30-17:00; sat 07:30-11:30" (the Saturday part optional)."""
        weekday: tuple[TimeSlot, ...] | None = None
        saturday: tuple[TimeSlot, ...] | None = None
        for raw in text.split(";"):
            part = raw.strip()
            prefix = _SATURDAY_PREFIX.match(part)
            if prefix:
                if saturday is not None:
                    raise ValidationError(_("The Saturday slots are given more than once."))
                saturday = _parse_slots(part[prefix.end() :], text)
            elif weekday is None:
                weekday = _parse_slots(part, text)
            else:
                raise ValidationError(_(_SCHEDULE_EXAMPLE_ERROR).format(text=text))
        if weekday is None:
            raise ValidationError(_("A reception schedule needs at least one weekday time slot."))
        return cls(weekday, saturday or ())

    def format(self) -> str:
        """The setting text :meth:`parse` reads back to an equal schedule."""
        text = _format_slots(self.weekday_slots)
        return f"{text}; sat {_format_slots(self.saturday_slots)}" if self.saturday_slots else text


# --------------------------------------------------------------------------- appointment


def _local_minute(instant: datetime) -> datetime:
    """Local wall-clock time to the minute (naive), the precision of Mẫu 01."""
    return local_datetime(instant).replace(second=0, microsecond=0, tzinfo=None)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=LOCAL_TZ)


def _effective_receipt(
    received_at: datetime, calendar: LegalCalendar, schedule: ReceptionSchedule
) -> datetime:
    """A receipt on a day that is not a working day counts from the start of the next working day."""
    local = _local_minute(received_at)
    if calendar.is_working_day(local.date()):
        return local
    day = calendar.next_working_day(local.date())
    return datetime.combine(day, schedule.weekday_slots[0].start)


def _at_clock(day: date, clock: time, schedule: ReceptionSchedule) -> datetime:
    """``day`` (a working day) at ``clock``, or at the end of its last slot when ``clock`` is outside slots.

    A time in the lunch gap is outside the slots too, so it also moves to the end of the day: the
    spec names one fallback and a lunch-time appointment could not be kept either.
    """
    slots = schedule.weekday_slots
    return datetime.combine(day, clock if _within(slots, clock) else slots[-1].end)


def _add_working_minutes(
    start: datetime, minutes: int, calendar: LegalCalendar, slots: tuple[TimeSlot, ...]
) -> datetime:
    """Walk forward through the slots of working days until ``minutes`` of them have passed."""
    day, clock = start.date(), start.time()
    while True:
        for slot in slots:
            begin = max(slot.start, clock)
            if begin >= slot.end:
                continue
            available = (datetime.combine(day, slot.end) - datetime.combine(day, begin)) // ONE_MINUTE
            if minutes <= available:
                return datetime.combine(day, begin) + minutes * ONE_MINUTE
            minutes -= available
        day, clock = calendar.next_working_day(day), time.min


def _working_minutes_between(
    start: datetime, end: datetime, calendar: LegalCalendar, slots: tuple[TimeSlot, ...]
) -> int:
    total, day = 0, start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for slot in slots:
                low = max(datetime.combine(day, slot.start), start)
                high = min(datetime.combine(day, slot.end), end)
                total += max(0, (high - low) // ONE_MINUTE)
        day += timedelta(days=1)
    return total


def appointment(
    received_at: datetime,
    time: ProcessingTime,
    *,
    calendar: LegalCalendar,
    schedule: ReceptionSchedule,
    same_day_cutoff: _Clock = DEFAULT_SAME_DAY_CUTOFF,
) -> datetime:
    """The appointment of Mẫu 01, tz-aware in local time, per the counting rules of working-days.md.

    - A receipt on a non-working day counts from the start of the next working day's first slot; a
      receipt on a working day outside the slots (18:00) keeps its day and time.
    - Working days: the N-th working day after the day of receipt at the receipt's clock time, or at
      the end of the last slot when that time is outside the slots (before opening, lunch, evening).
    - Same day: received strictly before the cut-off → the end of that day's last slot; at or after
      it → the end of the next working day's last slot (a Friday afternoon goes to Monday).
    - Working hours: counted inside the weekday slots of working days, continuing day to day; an
      amount that ends exactly at a slot's end gives that end, not the next opening.
    - Calendar days: the receipt day plus N days, rolled on to a working day; clock as for working days.
    """
    start = _effective_receipt(received_at, calendar, schedule)
    last_slot_end = schedule.weekday_slots[-1].end
    if time.unit is TimeUnit.WORKING_DAYS:
        due = _at_clock(calendar.add_working_days(start.date(), time.amount), start.time(), schedule)
    elif time.unit is TimeUnit.CALENDAR_DAYS:
        day = calendar.working_day_on_or_after(start.date() + timedelta(days=time.amount))
        due = _at_clock(day, start.time(), schedule)
    elif time.unit is TimeUnit.SAME_DAY:
        day = start.date() if start.time() < same_day_cutoff else calendar.next_working_day(start.date())
        due = datetime.combine(day, last_slot_end)
    else:
        due = _add_working_minutes(start, time.amount * 60, calendar, schedule.weekday_slots)
    return _aware(due)


def remaining_time(
    due_at: datetime,
    paused_at: datetime,
    unit: TimeUnit,
    *,
    calendar: LegalCalendar,
    schedule: ReceptionSchedule,
) -> ProcessingTime:
    """What is left of the processing time when a supplement request pauses the clock (RESUME_REMAINING).

    ``appointment(completed_at, remaining)`` then gives the resumed date. Working days left are the
    working days after the pause day up to the due day; calendar days likewise; hours are the working
    minutes left, rounded up. Whatever is left, at least 1 is kept (a due later the same day, or one
    already passed, still leaves the unit a day or an hour after completion: lateness is judged
    against the original date anyway). A same-day procedure resumes as same-day.
    """
    if unit is TimeUnit.SAME_DAY:
        return ProcessingTime(0, unit)
    due, paused = _local_minute(due_at), _local_minute(paused_at)
    if unit is TimeUnit.WORKING_HOURS:
        minutes = _working_minutes_between(paused, due, calendar, schedule.weekday_slots)
        left = math.ceil(minutes / 60)
    elif unit is TimeUnit.CALENDAR_DAYS:
        left = (due.date() - paused.date()).days
    else:
        left = calendar.working_days_between(paused.date(), due.date())
    return ProcessingTime(max(1, left), unit)
