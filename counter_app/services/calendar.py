"""The legal working-day calendar as the centre keeps it: package, official list, administrator days.

Deadlines use only this calendar (working-days.md); the reception schedule is a centre setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from counter_app.db.models import CalendarDay
from counter_app.domain.clock import format_date
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.procedure import ProcessingTime
from counter_app.domain.roles import Permission
from counter_app.domain.working_days import DayOverride, LegalCalendar, ReceptionSchedule, appointment
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.centre_settings import load_config
from counter_app.services.context import ServiceContext, unit_of_work

OFFICIAL = "official"
ADMIN = "admin"

_OverrideKey = tuple[tuple[date, str, bool, str, str], ...]


@dataclass(frozen=True)
class CalendarYear:
    year: int
    days_off: list[tuple[date, str]]
    extra_working_days: list[tuple[date, str]]
    overrides: list[DayOverride]  # the administrator's, with their references


class _CalendarCache:
    """A LegalCalendar per set of override rows: rebuilding the package's years costs milliseconds,
    reading the handful of override rows costs microseconds."""

    def __init__(self) -> None:
        self._key: _OverrideKey | None = None
        self._calendar: LegalCalendar | None = None

    def get(self, rows: Iterable[CalendarDay]) -> LegalCalendar:
        key = tuple(sorted((r.day, r.source, r.working, r.name, r.reference) for r in rows))
        if self._calendar is None or key != self._key:
            official = [DayOverride(d, w, ref, name) for d, s, w, name, ref in key if s == OFFICIAL]
            admin = [DayOverride(d, w, ref, name) for d, s, w, name, ref in key if s == ADMIN]
            self._calendar = LegalCalendar(official=official, admin=admin)
            self._key = key
        return self._calendar


class WorkCalendar:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._cache = _CalendarCache()

    def legal_in(self, session: Session) -> LegalCalendar:
        return self._cache.get(session.scalars(select(CalendarDay)))

    def legal(self) -> LegalCalendar:
        with self.ctx.db.reading() as session:
            return self.legal_in(session)

    def schedule(self) -> ReceptionSchedule:
        with self.ctx.db.reading() as session:
            return load_config(session).schedule

    def year(self, year: int) -> CalendarYear:
        with self.ctx.db.reading() as session:
            calendar = self.legal_in(session)
            rows = session.scalars(
                select(CalendarDay)
                .where(
                    CalendarDay.source == ADMIN, CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))
                )
                .order_by(CalendarDay.day)
            ).all()
            return CalendarYear(
                year,
                calendar.days_off(year),
                calendar.extra_working_days(year),
                [DayOverride(r.day, r.working, r.reference, r.name) for r in rows],
            )

    def set_day(self, actor: Actor, day: date, working: bool, reference: str = "", name: str = "") -> None:
        """An administrator's decision for one day (with the official letter's reference); it wins."""
        actor.require(Permission.MANAGE_CALENDAR)
        with unit_of_work(self.ctx, actor) as uow:
            row = uow.session.get(CalendarDay, (day, ADMIN))
            before = {"working": row.working} if row else None
            if row is None:
                row = CalendarDay(day=day, source=ADMIN, changed_at=uow.now)
                uow.session.add(row)
            row.working, row.reference, row.name, row.changed_at = (
                working,
                reference.strip(),
                name.strip(),
                uow.now,
            )
            uow.audit(
                "calendar.set_day",
                "calendar_day",
                format_date(day),
                before,
                {"working": working, "reference": row.reference},
            )

    def clear_day(self, actor: Actor, day: date) -> None:
        actor.require(Permission.MANAGE_CALENDAR)
        with unit_of_work(self.ctx, actor) as uow:
            row = uow.session.get(CalendarDay, (day, ADMIN))
            if row is None:
                raise NotFoundError(
                    _("No administrator decision is recorded for {day}.").format(day=format_date(day))
                )
            uow.audit("calendar.clear_day", "calendar_day", format_date(day), {"working": row.working}, None)
            uow.session.delete(row)

    def set_official_year(self, actor: Actor, year: int, days: Iterable[DayOverride]) -> int:
        """Replace the official list of ``year`` (central's calendar endpoint); returns the days stored."""
        actor.require(Permission.MANAGE_CALENDAR)
        chosen = list(days)
        if any(d.day.year != year for d in chosen):
            raise ValidationError(_("Every day of the official list must fall in {year}.").format(year=year))
        with unit_of_work(self.ctx, actor) as uow:
            uow.session.execute(
                delete(CalendarDay).where(
                    CalendarDay.source == OFFICIAL,
                    CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)),
                )
            )
            uow.session.add_all(
                CalendarDay(
                    day=d.day,
                    source=OFFICIAL,
                    working=d.working,
                    name=d.name,
                    reference=d.reference,
                    changed_at=uow.now,
                )
                for d in chosen
            )
            uow.audit("calendar.official_year", "calendar_year", year, None, {"days": len(chosen)})
        return len(chosen)

    def due(self, received_at: datetime, time_: ProcessingTime, cutoff: time | None = None) -> datetime:
        """The appointment the rules give (``calendar due``): the same function intake uses."""
        with self.ctx.db.reading() as session:
            config = load_config(session)
            return appointment(
                received_at,
                time_,
                calendar=self.legal_in(session),
                schedule=config.schedule,
                same_day_cutoff=cutoff or config.cutoff,
            )
