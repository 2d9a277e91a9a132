"""The device registry (what is plugged where) and the citizens' ratings.

counter_app never talks to hardware: the CLI and the UI drive devices/ with the specs read
here, and report back what the drivers found (``record_health``) and what citizens pressed
(``Ratings.record``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, Device, Dossier, Rating, Ticket
from counter_app.domain.clock import local_midnight_utc
from counter_app.domain.devices import DeviceHealth, DeviceKind, DeviceSpec, validate_spec
from counter_app.domain.dossier import EventType
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.roles import Permission
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.catalogue import find_counter
from counter_app.services.centre_settings import load_config
from counter_app.services.context import ServiceContext, unit_of_work
from counter_app.services.outbox import append_event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceView:
    spec: DeviceSpec
    online: bool | None
    last_error: str | None
    firmware: str | None
    faults: str | None
    last_checked_at: datetime | None


def _spec(device: Device) -> DeviceSpec:
    return DeviceSpec(
        device.id,
        device.kind,
        device.port,
        device.address,
        device.counter.label if device.counter else None,
        device.hall,
        device.baud,
        device.paper_dots,
    )


def _view(device: Device) -> DeviceView:
    return DeviceView(
        _spec(device),
        device.online,
        device.last_error,
        device.firmware,
        device.faults,
        device.last_checked_at,
    )


def _snapshot(device: Device) -> dict[str, object]:
    spec = _spec(device)
    return {
        "kind": spec.kind.value,
        "port": spec.port,
        "address": spec.address,
        "counter": spec.counter_label,
        "hall": spec.hall,
        "baud": spec.baud,
        "active": device.active,
    }


class DeviceRegistry:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(
        self,
        actor: Actor,
        kind: DeviceKind,
        port: str,
        *,
        address: int | None = None,
        counter_label: str | None = None,
        hall: bool = False,
        baud: int = 9600,
        paper_dots: int | None = None,
    ) -> DeviceView:
        actor.require(Permission.MANAGE_DEVICES)
        validate_spec(
            kind,
            port,
            address=address,
            counter_label=counter_label,
            hall=hall,
            baud=baud,
            paper_dots=paper_dots,
        )
        with unit_of_work(self.ctx, actor) as uow:
            counter = find_counter(uow.session, counter_label) if counter_label else None
            clash = uow.session.scalar(
                select(Device.id).where(
                    Device.port == port.strip(),
                    Device.address == address,
                    Device.active.is_(True),
                    Device.address.is_not(None),
                )
            )
            if clash is not None:
                raise ValidationError(
                    _("Address {address} is already used on port {port}.").format(address=address, port=port)
                )
            device = Device(
                kind=kind,
                port=port.strip(),
                address=address,
                paper_dots=paper_dots,
                counter=counter,
                hall=hall,
                baud=baud,
                active=True,
            )
            uow.session.add(device)
            uow.session.flush()
            uow.audit("device.add", "device", device.id, None, _snapshot(device))
            return _view(device)

    def remove(self, actor: Actor, device_id: int) -> DeviceView:
        actor.require(Permission.MANAGE_DEVICES)
        with unit_of_work(self.ctx, actor) as uow:
            device = uow.session.get(Device, device_id)
            if device is None or not device.active:
                raise NotFoundError(_("There is no device {id}.").format(id=device_id))
            before = _snapshot(device)
            device.active = False
            uow.audit("device.remove", "device", device.id, before, _snapshot(device))
            return _view(device)

    def all(self, actor: Actor) -> list[DeviceView]:
        actor.require(Permission.VIEW_DEVICES)
        with self.ctx.db.reading() as session:
            query = select(Device).where(Device.active.is_(True)).order_by(Device.id)
            return [_view(d) for d in session.scalars(query)]

    def get(self, actor: Actor, device_id: int) -> DeviceView:
        actor.require(Permission.VIEW_DEVICES)
        with self.ctx.db.reading() as session:
            device = session.get(Device, device_id)
            if device is None or not device.active:
                raise NotFoundError(_("There is no device {id}.").format(id=device_id))
            return _view(device)

    def specs(self, counter_label: str | None = None) -> list[DeviceSpec]:
        """Active devices to drive: all of them, or those of one counter plus the hall boards."""
        with self.ctx.db.reading() as session:
            query = select(Device).where(Device.active.is_(True)).order_by(Device.id)
            if counter_label is not None:
                query = query.outerjoin(Counter, Device.counter_id == Counter.id).where(
                    or_(Counter.label == counter_label.strip(), Device.hall.is_(True))
                )
            return [_spec(d) for d in session.scalars(query)]

    def record_health(self, reports: Sequence[DeviceHealth]) -> None:
        """Store what the drivers found; a change between online and offline is stamped."""
        if not reports:
            return
        with self.ctx.db.transaction() as session:
            now = self.ctx.clock.now()
            for report in reports:
                device = session.get(Device, report.device_id)
                if device is None:
                    continue
                if report.online is not None and device.online != report.online:
                    device.state_changed_at = now
                    log.info("device %s is now %s", device.id, "online" if report.online else "offline")
                device.online = report.online
                device.last_error = (report.last_error or "")[:300] or None
                device.firmware = report.firmware or device.firmware
                device.faults = ", ".join(report.faults)[:200] or None
                device.last_checked_at = now


@dataclass(frozen=True)
class RatingView:
    ticket_number: str
    level: int | None
    satisfied: bool | None
    counter_label: str | None
    dossier_code: str | None


@dataclass(frozen=True)
class RatingSummary:
    ratings: int
    satisfied: int
    no_rating: int

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.ratings if self.ratings else None


class Ratings:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def record(
        self, ticket_id: int, level: int | None, *, device_id: int | None = None, sequence: int | None = None
    ) -> RatingView | None:
        """One rating per visit: the first answer counts; a later one for the same ticket is ignored.

        ``level=None`` records that the prompt expired ("no rating").
        """
        with self.ctx.db.transaction() as session:
            config = load_config(session)
            if level is not None and not 1 <= level <= config.rating_levels:
                raise ValidationError(
                    _("The rating {level} is outside the scale 1–{levels}.").format(
                        level=level, levels=config.rating_levels
                    )
                )
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise NotFoundError(_("There is no ticket {number} today.").format(number=ticket_id))
            if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket_id)) is not None:
                return None
            rating = Rating(
                ticket_id=ticket.id,
                at=self.ctx.clock.now(),
                counter_id=ticket.counter_id,
                officer_id=ticket.officer_id,
                service_area_id=ticket.service_area_id,
                dossier_code=ticket.dossier_code,
                level=level,
                satisfied=None if level is None else config.is_satisfied(level),
                device_id=device_id,
                sequence=sequence,
            )
            session.add(rating)
            try:
                session.flush()
            except IntegrityError:  # two keypad readers raced for one visit: the first one counts
                return None
            if level is not None and ticket.dossier_code:
                _rated_event(session, ticket.dossier_code, level, rating, config.rating_levels)
            return RatingView(
                ticket.number,
                level,
                rating.satisfied,
                ticket.counter.label if ticket.counter else None,
                ticket.dossier_code,
            )

    def summary(self, actor: Actor, day: date) -> RatingSummary:
        actor.require(Permission.VIEW_AUDIT)
        start, end = local_midnight_utc(day), local_midnight_utc(date.fromordinal(day.toordinal() + 1))
        with self.ctx.db.reading() as session:
            rows = session.execute(
                select(Rating.level.is_(None), Rating.satisfied, func.count())
                .where(Rating.at >= start, Rating.at < end)
                .group_by(Rating.level.is_(None), Rating.satisfied)
            ).all()
        ratings = sum(n for missing, _s, n in rows if not missing)
        satisfied = sum(n for missing, ok, n in rows if not missing and ok)
        no_rating = sum(n for missing, _s, n in rows if missing)
        return RatingSummary(ratings, satisfied, no_rating)


def _rated_event(session: Session, code: str, level: int, rating: Rating, levels: int) -> None:
    """A rating of a visit that received or returned a dossier is also that dossier's ``rated`` event."""
    dossier = session.scalars(select(Dossier).where(Dossier.code == code).with_for_update(of=Dossier)).first()
    if dossier is None:  # a code typed at the counter for a dossier this centre does not hold
        return
    data = {"level": level, "scale": levels, "satisfied": rating.satisfied, "source": "keypad"}
    actor = str(rating.officer_id) if rating.officer_id is not None else "keypad"
    append_event(session, dossier, EventType.RATED, data, actor=actor, at=rating.at)
