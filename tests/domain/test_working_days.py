"""The legal calendar and the appointment date (shared/domain/working-days.md).

The real cases were worked out by hand from the rules and the published calendars; each table row
says which days it skips, and a separate test checks those days against the calendar itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.clock import LOCAL_TZ
from counter_app.domain.errors import ValidationError
from counter_app.domain.procedure import ProcessingTime, TimeUnit
from counter_app.domain.working_days import (
    DayOverride,
    LegalCalendar,
    ReceptionSchedule,
    TimeSlot,
    appointment,
    remaining_time,
    weekday_name,
)
from counter_app.i18n import _

CALENDAR = LegalCalendar()
SCHEDULE = ReceptionSchedule()
SATURDAY_SCHEDULE = ReceptionSchedule(saturday_slots=(TimeSlot(time(7, 30), time(11, 30)),))
WD, WH, SAME, CAL = TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS, TimeUnit.SAME_DAY, TimeUnit.CALENDAR_DAYS
ZONES = (UTC, LOCAL_TZ, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def due(received: datetime, amount: int, unit: TimeUnit = WD, **kwargs: object) -> datetime:
    calendar = kwargs.pop("calendar", CALENDAR)
    schedule = kwargs.pop("schedule", SCHEDULE)
    assert isinstance(calendar, LegalCalendar) and isinstance(schedule, ReceptionSchedule)
    cutoff = kwargs.pop("same_day_cutoff", time(15, 0))
    assert isinstance(cutoff, time) and not kwargs
    return appointment(
        received, ProcessingTime(amount, unit), calendar=calendar, schedule=schedule, same_day_cutoff=cutoff
    )


def in_slots(moment: datetime, schedule: ReceptionSchedule = SCHEDULE) -> bool:
    return any(slot.start <= moment.time() <= slot.end for slot in schedule.weekday_slots)


# --------------------------------------------------------------------------- properties

received_instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31, 23, 59), timezones=st.sampled_from(ZONES)
)
amounts = st.integers(min_value=1, max_value=60)


@settings(deadline=None)
@given(received=received_instants, n=amounts, unit=st.sampled_from([WD, WH, SAME, CAL]))
def test_an_appointment_is_on_a_working_day_within_the_slots(
    received: datetime, n: int, unit: TimeUnit
) -> None:
    result = due(received, n, unit)
    assert result.tzinfo is LOCAL_TZ
    assert CALENDAR.is_working_day(result.date())
    assert in_slots(result)
    assert result > received


@settings(deadline=None)
@given(received=received_instants, n=amounts)
def test_one_more_working_day_is_a_later_day(received: datetime, n: int) -> None:
    assert due(received, n + 1).date() > due(received, n).date()


@st.composite
def working_moments(draw: st.DrawFn) -> datetime:
    """A working day of 2024–2028 at a minute inside one of the default slots."""
    day = CALENDAR.working_day_on_or_after(draw(st.dates(date(2024, 1, 1), date(2028, 12, 29))))
    slot = draw(st.sampled_from(SCHEDULE.weekday_slots))
    span = (datetime.combine(day, slot.end) - datetime.combine(day, slot.start)) // timedelta(minutes=1)
    start = datetime.combine(day, slot.start, tzinfo=LOCAL_TZ)
    return start + timedelta(minutes=draw(st.integers(0, span)))


@settings(deadline=None)
@given(received=working_moments(), n=amounts)
def test_from_a_working_day_in_the_slots_it_is_add_working_days_at_the_same_time(
    received: datetime, n: int
) -> None:
    expected = datetime.combine(CALENDAR.add_working_days(received.date(), n), received.time(), LOCAL_TZ)
    assert due(received, n) == expected


@settings(deadline=None)
@given(received=working_moments(), n=amounts, unit=st.sampled_from([WD, WH]))
def test_remaining_time_at_receipt_is_the_whole_time(received: datetime, n: int, unit: TimeUnit) -> None:
    result = due(received, n, unit)
    left = remaining_time(result, received, unit, calendar=CALENDAR, schedule=SCHEDULE)
    assert left == ProcessingTime(n, unit)


def naive_add(day: date, n: int) -> date:
    step = 1 if n > 0 else -1
    while n:
        day += timedelta(days=step)
        if CALENDAR.is_working_day(day):
            n -= step
    return day


@settings(deadline=None)
@given(day=st.dates(date(2024, 1, 1), date(2028, 12, 31)), n=st.integers(-300, 300))
def test_counting_agrees_with_walking_day_by_day(day: date, n: int) -> None:
    target = CALENDAR.add_working_days(day, n)
    if n == 0:
        assert target == CALENDAR.working_day_on_or_after(day) == naive_add(day - timedelta(days=1), 1)
        return
    assert target == naive_add(day, n)
    # Counted over (start, end]: going back, ``day`` itself is in the interval and ``target`` is not.
    expected = n if n > 0 else n + 1 - int(CALENDAR.is_working_day(day))
    assert CALENDAR.working_days_between(day, target) == expected
    assert CALENDAR.working_days_between(target, day) == -expected


@settings(deadline=None)
@given(day=st.dates(date(2024, 1, 1), date(2028, 12, 31)))
def test_the_calendar_is_the_package_except_the_culture_day(day: date) -> None:
    package = holidays.country_holidays("VN", years=day.year)
    expected = package.is_working_day(day) or ((day.month, day.day) == (11, 24) and day.weekday() < 5)
    assert CALENDAR.is_working_day(day) == expected


# --------------------------------------------------------------------------- real cases

REAL_CASES = [
    # 2019: 21/11 … 25/12 has no day off (checked below); 25 working days.
    (at(2019, 11, 20, 8, 37), 25, at(2019, 12, 25, 8, 37)),
    # Tue 28, Wed 29 (Mon 27 nghỉ bù, Thu 30/4, Fri 1/5 off), Mon 4, Tue 5, Wed 6.
    (at(2026, 4, 24, 9, 0), 5, at(2026, 5, 6, 9, 0)),
    # Tết 2026: break 14–22/02, then Mon 23, Tue 24, Wed 25.
    (at(2026, 2, 13, 10, 0), 3, at(2026, 2, 25, 10, 0)),
    # A reception Saturday counts as Monday 09/03 07:30; day 1 is Tuesday.
    (at(2026, 3, 7, 9, 0), 1, at(2026, 3, 10, 7, 30)),
    # Quốc khánh 2025: Mon 01/09 and Tue 02/09 off.
    (at(2025, 8, 29, 14, 0), 2, at(2025, 9, 4, 14, 0)),
    # 2026: Saturday 22/08 is worked (the swap for Mon 31/08) ...
    (at(2026, 8, 21, 10, 0), 1, at(2026, 8, 22, 10, 0)),
    # ... and a receipt on it is a working-day receipt, not shifted.
    (at(2026, 8, 22, 9, 0), 1, at(2026, 8, 24, 9, 0)),
    # Mon 31/08, Tue 01/09, Wed 02/09 off.
    (at(2026, 8, 28, 10, 0), 1, at(2026, 9, 3, 10, 0)),
    # 2025: Sat 26/04 worked; Wed 30/04, Thu 01/05, Fri 02/05 (swap) off.
    (at(2025, 4, 25, 8, 0), 1, at(2025, 4, 26, 8, 0)),
    (at(2025, 4, 25, 8, 0), 3, at(2025, 4, 29, 8, 0)),
    (at(2025, 4, 25, 8, 0), 4, at(2025, 5, 5, 8, 0)),
    # Tết 2025: Mon 27/01 – Fri 31/01 off.
    (at(2025, 1, 24, 16, 0), 1, at(2025, 2, 3, 16, 0)),
    # Received on Saturday 25/01/2025: counts from Mon 03/02 07:30.
    (at(2025, 1, 25, 9, 0), 1, at(2025, 2, 4, 7, 30)),
    # Received at 18:00, after the slots: same day, the clock time is outside → end of the last slot.
    (at(2026, 12, 7, 18, 0), 2, at(2026, 12, 9, 17, 0)),
    # At lunch, and before opening: outside the slots too.
    (at(2026, 12, 7, 12, 15), 1, at(2026, 12, 8, 17, 0)),
    (at(2026, 12, 7, 6, 45), 1, at(2026, 12, 8, 17, 0)),
    # The closing minute of the morning slot is still within the slots.
    (at(2026, 12, 7, 11, 30), 1, at(2026, 12, 8, 11, 30)),
    # New Year 2027: Fri 01/01 off.
    (at(2026, 12, 31, 9, 0), 1, at(2027, 1, 4, 9, 0)),
]


@pytest.mark.parametrize(("received", "n", "expected"), REAL_CASES)
def test_real_working_day_cases(received: datetime, n: int, expected: datetime) -> None:
    assert due(received, n) == expected


@pytest.mark.parametrize(
    ("first", "last", "off"),
    [
        (date(2019, 11, 20), date(2019, 12, 25), []),
        (date(2026, 4, 24), date(2026, 5, 6), [date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)]),
        (date(2026, 2, 13), date(2026, 2, 25), [date(2026, 2, d) for d in (16, 17, 18, 19, 20)]),
        (date(2025, 8, 29), date(2025, 9, 4), [date(2025, 9, 1), date(2025, 9, 2)]),
        (date(2025, 4, 25), date(2025, 5, 5), [date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)]),
        (date(2025, 1, 24), date(2025, 2, 4), [date(2025, 1, d) for d in (27, 28, 29, 30, 31)]),
    ],
)
def test_the_days_off_the_real_cases_rely_on(first: date, last: date, off: list[date]) -> None:
    listed = [day for day, _name in CALENDAR.days_off(first.year) if first <= day <= last]
    assert listed == off


def test_utc_receipt_is_read_in_local_time() -> None:
    assert due(datetime(2019, 11, 20, 1, 37, 40, tzinfo=UTC), 25) == at(2019, 12, 25, 8, 37)


def test_naive_receipt_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        due(datetime(2026, 12, 7, 8, 0), 1)


# --------------------------------------------------------------------------- calendar and overrides


def test_swaps_and_tet_break() -> None:
    assert [day for day, _name in CALENDAR.extra_working_days(2025)] == [date(2025, 4, 26)]
    assert [day for day, _name in CALENDAR.extra_working_days(2026)] == [date(2026, 8, 22)]
    assert CALENDAR.extra_working_days(2026)[0][1] == _("Make-up working day")
    assert not any(CALENDAR.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    off_2026 = dict(CALENDAR.days_off(2026))
    assert {date(2026, 4, 27), date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)} <= set(off_2026)
    assert all(day.weekday() < 5 for day in off_2026)
    assert off_2026[date(2026, 4, 30)] == "Ngày Chiến thắng"


def test_culture_day_is_working_until_the_official_list_says_otherwise() -> None:
    culture_day = date(2026, 11, 24)
    assert CALENDAR.is_working_day(culture_day)
    assert culture_day not in dict(CALENDAR.days_off(2026))
    assert due(at(2026, 11, 23, 9, 0), 1) == at(2026, 11, 24, 9, 0)

    official = LegalCalendar(official=[DayOverride(culture_day, working=False, name="Ngày Văn hóa Việt Nam")])
    assert not official.is_working_day(culture_day)
    assert dict(official.days_off(2026))[culture_day] == "Ngày Văn hóa Việt Nam"
    assert due(at(2026, 11, 23, 9, 0), 1, calendar=official) == at(2026, 11, 25, 9, 0)


def test_admin_beats_official_beats_package() -> None:
    culture_day, new_year = date(2026, 11, 24), date(2026, 1, 1)
    calendar = LegalCalendar(
        official=[
            DayOverride(culture_day, working=False),
            DayOverride(new_year, working=True, reference="CV 1/2026"),
            DayOverride(date(2026, 12, 30), working=True),
        ],
        admin=[
            DayOverride(culture_day, working=True, reference="QĐ 9/UBND"),
            DayOverride(date(2026, 12, 30), working=False, reference="QĐ 12/UBND"),
        ],
    )
    assert calendar.is_working_day(culture_day)
    assert calendar.is_working_day(new_year)
    assert not calendar.is_working_day(date(2026, 12, 30))
    assert dict(calendar.days_off(2026))[date(2026, 12, 30)] == "QĐ 12/UBND"
    # Other years are untouched.
    assert calendar.is_working_day(date(2027, 11, 24))
    assert not calendar.is_working_day(date(2027, 1, 1))


def test_overrides_on_weekends_and_their_labels() -> None:
    sunday, swapped = date(2026, 12, 6), date(2026, 8, 22)
    calendar = LegalCalendar(
        admin=[DayOverride(sunday, working=True), DayOverride(swapped, working=False, name="Bão")]
    )
    assert calendar.is_working_day(sunday)
    assert calendar.extra_working_days(2026) == [(sunday, _("Working day"))]
    assert not calendar.is_working_day(swapped)
    assert calendar.holiday_name(swapped) == "Bão"
    assert DayOverride(sunday, working=False).label == _("Day off")
    assert DayOverride(sunday, working=False, reference="CV 5").label == "CV 5"


def test_counting_across_years_and_backwards() -> None:
    assert CALENDAR.next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert CALENDAR.add_working_days(date(2027, 1, 4), -1) == date(2026, 12, 31)
    assert CALENDAR.add_working_days(date(2026, 12, 31), 0) == date(2026, 12, 31)
    assert CALENDAR.working_day_on_or_after(date(2026, 2, 14)) == date(2026, 2, 23)
    assert CALENDAR.working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 3
    assert CALENDAR.working_days_between(date(2027, 1, 5), date(2026, 12, 30)) == -3
    assert CALENDAR.working_days_between(date(2026, 12, 7), date(2026, 12, 7)) == 0


# --------------------------------------------------------------------------- other units


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (at(2026, 12, 7, 10, 0), at(2026, 12, 7, 17, 0)),  # before the cut-off: same day
        (at(2026, 12, 7, 14, 59), at(2026, 12, 7, 17, 0)),
        (at(2026, 12, 7, 15, 0), at(2026, 12, 8, 17, 0)),  # at the cut-off: next working day
        (at(2026, 12, 7, 15, 30), at(2026, 12, 8, 17, 0)),
        (at(2026, 12, 11, 15, 30), at(2026, 12, 14, 17, 0)),  # Friday after the cut-off: Monday
        (at(2026, 12, 12, 9, 0), at(2026, 12, 14, 17, 0)),  # Saturday: counts as Monday morning
        (at(2026, 4, 29, 16, 0), at(2026, 5, 4, 17, 0)),  # Wed after cut-off: 30/4 and 1/5 off
    ],
)
def test_same_day(received: datetime, expected: datetime) -> None:
    assert due(received, 0, SAME) == expected


def test_same_day_cutoff_is_a_setting() -> None:
    assert due(at(2026, 12, 7, 15, 30), 0, SAME, same_day_cutoff=time(16, 0)) == at(2026, 12, 7, 17, 0)


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        (at(2026, 12, 11, 16, 0), 4, at(2026, 12, 14, 10, 30)),  # Friday 16:00: 1 h, then Monday 3 h
        (at(2026, 12, 7, 10, 0), 4, at(2026, 12, 7, 16, 0)),  # across lunch
        (at(2026, 12, 7, 7, 30), 4, at(2026, 12, 7, 11, 30)),  # ends at a slot's end, not after lunch
        (at(2026, 12, 7, 12, 0), 1, at(2026, 12, 7, 14, 30)),  # received at lunch: counts from 13:30
        (at(2026, 12, 7, 18, 0), 1, at(2026, 12, 8, 8, 30)),  # evening: counts from next morning
        (at(2026, 12, 7, 6, 0), 8, at(2026, 12, 8, 8, 0)),  # 7.5 h a day
        (at(2026, 4, 29, 16, 0), 2, at(2026, 5, 4, 8, 30)),  # 30/4 and 1/5 have no working hours
    ],
)
def test_working_hours(received: datetime, hours: int, expected: datetime) -> None:
    assert due(received, hours, WH) == expected


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        (at(2026, 12, 7, 9, 0), 6, at(2026, 12, 14, 9, 0)),  # ends on Sunday 13/12: Monday
        (at(2026, 12, 7, 9, 0), 3, at(2026, 12, 10, 9, 0)),
        (at(2026, 12, 7, 12, 0), 3, at(2026, 12, 10, 17, 0)),  # lunch-time clock: end of the last slot
        (at(2026, 4, 23, 9, 0), 7, at(2026, 5, 4, 9, 0)),  # ends 30/4: skips 1/5 and the weekend
    ],
)
def test_calendar_days(received: datetime, days: int, expected: datetime) -> None:
    assert due(received, days, CAL) == expected


# --------------------------------------------------------------------------- supplement pause


def test_remaining_working_days_and_resumed_appointment() -> None:
    left = remaining_time(
        at(2026, 12, 9, 10, 0), at(2026, 12, 7, 9, 0), WD, calendar=CALENDAR, schedule=SCHEDULE
    )
    assert left == ProcessingTime(2, WD)
    assert due(at(2026, 12, 10, 9, 0), left.amount) == at(2026, 12, 14, 9, 0)


@pytest.mark.parametrize(
    ("due_at", "paused_at", "unit", "expected"),
    [
        (at(2026, 12, 7, 16, 0), at(2026, 12, 7, 9, 0), WD, 1),  # due later the same day: at least 1
        (at(2026, 12, 4, 16, 0), at(2026, 12, 7, 9, 0), WD, 1),  # already overdue: still 1
        (at(2026, 12, 7, 16, 0), at(2026, 12, 7, 10, 0), WH, 4),  # 90 + 150 minutes
        (at(2026, 12, 7, 16, 0), at(2026, 12, 7, 10, 10), WH, 4),  # 230 minutes, rounded up
        (at(2026, 12, 14, 9, 0), at(2026, 12, 11, 16, 0), WH, 3),  # 60 Friday + 90 Monday, weekend skipped
        (at(2026, 12, 14, 9, 0), at(2026, 12, 9, 9, 0), CAL, 5),
    ],
)
def test_remaining_time(due_at: datetime, paused_at: datetime, unit: TimeUnit, expected: int) -> None:
    assert remaining_time(due_at, paused_at, unit, calendar=CALENDAR, schedule=SCHEDULE) == ProcessingTime(
        expected, unit
    )


def test_a_same_day_procedure_resumes_as_same_day() -> None:
    left = remaining_time(at(2026, 12, 7, 17), at(2026, 12, 7, 9), SAME, calendar=CALENDAR, schedule=SCHEDULE)
    assert left == ProcessingTime(0, SAME)


# --------------------------------------------------------------------------- reception schedule


def test_slots_and_opening() -> None:
    monday, saturday = at(2026, 12, 7), at(2026, 12, 12)
    assert SATURDAY_SCHEDULE.is_open(monday.replace(hour=8), CALENDAR)
    assert not SATURDAY_SCHEDULE.is_open(monday.replace(hour=12), CALENDAR)
    assert not SATURDAY_SCHEDULE.is_open(monday.replace(hour=17), CALENDAR)  # closing minute
    assert SATURDAY_SCHEDULE.is_open(saturday.replace(hour=9), CALENDAR)
    assert not CALENDAR.is_working_day(saturday.date())  # open, yet not a working day
    assert not SATURDAY_SCHEDULE.is_open(saturday.replace(hour=14), CALENDAR)
    assert not SCHEDULE.is_open(saturday.replace(hour=9), CALENDAR)
    assert not SATURDAY_SCHEDULE.is_open(at(2026, 12, 13, 9), CALENDAR)  # Sunday
    assert not SATURDAY_SCHEDULE.is_open(at(2026, 4, 30, 9), CALENDAR)  # holiday
    assert SATURDAY_SCHEDULE.is_open(datetime(2026, 12, 7, 1, 0, tzinfo=UTC), CALENDAR)  # 08:00 local


def test_saturday_slots_depend_on_the_calendar() -> None:
    # A swapped Saturday is a working day with the weekday slots.
    assert SATURDAY_SCHEDULE.slots_on(date(2026, 8, 22), CALENDAR) == SCHEDULE.weekday_slots
    # A holiday falling on Saturday closes the Saturday reception.
    assert SATURDAY_SCHEDULE.slots_on(date(2025, 2, 1), CALENDAR) == ()
    # So does an administrator's day off on a Saturday the package does not name (Tết break 2026).
    assert SATURDAY_SCHEDULE.slots_on(date(2026, 2, 14), CALENDAR) == SATURDAY_SCHEDULE.saturday_slots
    closed = LegalCalendar(admin=[DayOverride(date(2026, 2, 14), working=False, reference="QĐ 1")])
    assert SATURDAY_SCHEDULE.slots_on(date(2026, 2, 14), closed) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30-11:30, 13:30-17:00", ReceptionSchedule()),
        (" 7:30 - 11:30 ,13:30–17:00 ; SAT 7:30-11:30 ", SATURDAY_SCHEDULE),
        ("07:30-11:30, 13:30-17:00; t7 07:30-11:30", SATURDAY_SCHEDULE),
        ("08:00-12:00", ReceptionSchedule((TimeSlot(time(8), time(12)),))),
    ],
)
def test_parse(text: str, expected: ReceptionSchedule) -> None:
    assert ReceptionSchedule.parse(text) == expected


def test_format() -> None:
    assert SATURDAY_SCHEDULE.format() == "07:30-11:30, 13:30-17:00; sat 07:30-11:30"
    assert SCHEDULE.format() == "07:30-11:30, 13:30-17:00"


@st.composite
def schedules(draw: st.DrawFn) -> ReceptionSchedule:
    def slots(minimum: int) -> tuple[TimeSlot, ...]:
        size = draw(st.integers(minimum, 4)) * 2
        minutes = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=size, max_size=size)))
        times = [time(m // 60, m % 60) for m in minutes]
        return tuple(TimeSlot(times[i], times[i + 1]) for i in range(0, size, 2))

    return ReceptionSchedule(slots(1), slots(0))


@given(schedule=schedules())
def test_format_and_parse_round_trip(schedule: ReceptionSchedule) -> None:
    assert ReceptionSchedule.parse(schedule.format()) == schedule


SCHEDULE_MSG = (
    "'{text}' is not a reception schedule (expected e.g. 07:30-11:30, 13:30-17:00; sat 07:30-11:30)."
)
SLOT_MSG = "'{slot}' is not a time slot (expected e.g. 07:30-11:30)."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", _(SCHEDULE_MSG).format(text="")),
        ("abc", _(SLOT_MSG).format(slot="abc")),
        ("07:30", _(SLOT_MSG).format(slot="07:30")),
        ("07:30-25:00", _(SLOT_MSG).format(slot="07:30-25:00")),
        ("07:30-11:61", _(SLOT_MSG).format(slot="07:30-11:61")),
        ("07:30-11:30,", _(SCHEDULE_MSG).format(text="07:30-11:30,")),
        ("07:30-11:30; sat", _(SCHEDULE_MSG).format(text="07:30-11:30; sat")),
        ("07:30-11:30; 13:30-17:00", _(SCHEDULE_MSG).format(text="07:30-11:30; 13:30-17:00")),
        ("11:30-07:30", _("A time slot must end after it starts: {slot}.").format(slot="11:30-07:30")),
        (
            "07:30-11:30, 11:00-17:00",
            _("Time slots must be in order and must not overlap: {slots}.").format(
                slots="07:30-11:30, 11:00-17:00"
            ),
        ),
        ("sat 07:30-11:30", _("A reception schedule needs at least one weekday time slot.")),
        ("08:00-09:00; sat 08:00-09:00; sat 09:00-10:00", _("The Saturday slots are given more than once.")),
    ],
)
def test_bad_schedule_text(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        ReceptionSchedule.parse(text)
    assert str(error.value) == message


def test_a_schedule_needs_weekday_slots() -> None:
    with pytest.raises(ValidationError):
        ReceptionSchedule(weekday_slots=())


# --------------------------------------------------------------------------- names


def test_weekday_names() -> None:
    assert weekday_name(date(2026, 12, 7)) == _("Monday")
    assert weekday_name(date(2026, 12, 13)) == _("Sunday")
    assert len({weekday_name(date(2026, 12, d)) for d in range(7, 14)}) == 7
