"""What the display's labels say, as pure functions of domain values (no Qt, no rules in widgets).

Kept apart so the wording the hall reads ("A023 → Quầy 03", "Thứ Hai, 07/12/2026") is tested
without a window, and a second screen (a board, a kiosk) can say exactly the same.
"""

from __future__ import annotations

from datetime import datetime

from counter_app.domain.clock import format_date, local_datetime
from counter_app.domain.queue import CounterState
from counter_app.domain.working_days import ReceptionSchedule, weekday_name
from counter_app.i18n import _

ARROW = "→"


def date_line(instant: datetime) -> str:
    """The local date as the hall reads it: "Thứ Hai, 07/12/2026"."""
    local = local_datetime(instant)
    return f"{weekday_name(local.date())}, {format_date(local.date())}"


def time_line(instant: datetime) -> str:
    """The local time, hours and minutes: "08:15"."""
    return local_datetime(instant).strftime("%H:%M")


def counter_name(label: str) -> str:
    """ "Quầy 03": a counter as a citizen looks for it."""
    return f"{_('Counter')} {label}"  # "Quầy" is already in the catalogue; the word order is the same


def call_line(ticket: str, counter: str) -> str:
    """One call on a single line: "A023 → Quầy 03"."""
    return f"{ticket} {ARROW} {counter_name(counter)}"


def counter_ticket(state: CounterState, ticket: str | None) -> str:
    """What a counter's tile shows: its citizen, a dash while free, or why nobody is called there."""
    if state == CounterState.CLOSED:
        return _("Closed")
    if state == CounterState.PAUSED:
        return _("Paused")
    return ticket or "—"


def waiting_line(waiting: int, priority_waiting: int) -> str:
    """A service area's count under the heading "Citizens waiting": "5", or "5 (1 ưu tiên)" when some
    of them are priority tickets (they will be called first; others see why the line jumps)."""
    if priority_waiting:
        return _("{n} ({priority} priority)").format(n=waiting, priority=priority_waiting)
    return str(waiting)


def notice_line(notice: str, centre_name: str, schedule: ReceptionSchedule) -> str:
    """The scrolling line: the administrator's notice, else the centre's name and reception hours."""
    if notice.strip():
        return notice.strip()
    hours = ", ".join(slot.format() for slot in schedule.weekday_slots)
    text = _("Reception hours: Monday to Friday {hours}").format(hours=hours)
    if schedule.saturday_slots:
        saturday = ", ".join(slot.format() for slot in schedule.saturday_slots)
        text += "; " + _("Saturday {hours}").format(hours=saturday)
    return f"{centre_name} — {text}"
