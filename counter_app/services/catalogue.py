"""The centre's queues and counters: service areas (prefix, name, width) and what each counter serves."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, CounterService, ServiceArea
from counter_app.domain.errors import ConflictError, NotFoundError, ValidationError
from counter_app.domain.queue import CounterState, normalise_counter_label, normalise_prefix, validate_width
from counter_app.domain.roles import Permission
from counter_app.domain.working_days import ReceptionSchedule
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.context import ServiceContext, unit_of_work
from counter_app.services.views import CounterView, ServiceAreaView


def find_area(session: Session, prefix: str) -> ServiceArea:
    area = session.scalar(select(ServiceArea).where(ServiceArea.prefix == prefix.strip().upper()))
    if area is None:
        raise NotFoundError(_("There is no service area with prefix '{prefix}'.").format(prefix=prefix))
    return area


def find_counter(session: Session, label: str) -> Counter:
    counter = session.scalar(select(Counter).where(Counter.label == label.strip()))
    if counter is None:
        raise NotFoundError(_("There is no counter '{label}'.").format(label=label))
    return counter


def _area_snapshot(area: ServiceArea) -> dict[str, object]:
    return {
        "prefix": area.prefix,
        "name": area.name,
        "number_width": area.number_width,
        "default_service_seconds": area.default_service_seconds,
        "active": area.active,
        "ticket_hours": area.ticket_hours,
    }


class Catalogue:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- service areas -------------------------------------------------------------------
    def list_areas(self, include_inactive: bool = False) -> list[ServiceAreaView]:
        with self.ctx.db.reading() as session:
            query = select(ServiceArea).order_by(ServiceArea.prefix)
            if not include_inactive:
                query = query.where(ServiceArea.active.is_(True))
            return [ServiceAreaView.of(a) for a in session.scalars(query)]

    def set_ticket_hours(self, actor: Actor, prefix: str, hours: str | None) -> ServiceAreaView:
        """The area's own ticket window, inside the reception schedule (e.g. land until 16:00)."""
        actor.require(Permission.MANAGE_CATALOGUE)
        text = ReceptionSchedule.parse(hours).format() if hours and hours.strip() else None
        with unit_of_work(self.ctx, actor) as uow:
            area = find_area(uow.session, prefix)
            before = _area_snapshot(area)
            area.ticket_hours = text
            uow.audit("service_area.ticket_hours", "service_area", area.prefix, before, _area_snapshot(area))
            return ServiceAreaView.of(area)

    def add_area(
        self, actor: Actor, prefix: str, name: str, width: int = 3, default_service_minutes: int = 10
    ) -> ServiceAreaView:
        actor.require(Permission.MANAGE_CATALOGUE)
        code = normalise_prefix(prefix)
        validate_width(width)
        title = _clean_name(name)
        if default_service_minutes < 1:
            raise ValidationError(_("The default service time must be at least one minute."))
        with unit_of_work(self.ctx, actor) as uow:
            if uow.session.scalar(select(ServiceArea.id).where(ServiceArea.prefix == code)) is not None:
                raise ConflictError(
                    _("A service area with prefix '{prefix}' already exists.").format(prefix=code)
                )
            area = ServiceArea(
                prefix=code,
                name=title,
                number_width=width,
                default_service_seconds=default_service_minutes * 60,
                active=True,
            )
            uow.session.add(area)
            uow.session.flush()
            uow.audit("service_area.add", "service_area", area.prefix, None, _area_snapshot(area))
            return ServiceAreaView.of(area)

    def update_area(
        self,
        actor: Actor,
        prefix: str,
        *,
        name: str | None = None,
        width: int | None = None,
        default_service_minutes: int | None = None,
        active: bool | None = None,
    ) -> ServiceAreaView:
        actor.require(Permission.MANAGE_CATALOGUE)
        with unit_of_work(self.ctx, actor) as uow:
            area = find_area(uow.session, prefix)
            before = _area_snapshot(area)
            if name is not None:
                area.name = _clean_name(name)
            if width is not None:
                area.number_width = validate_width(width)
            if default_service_minutes is not None:
                if default_service_minutes < 1:
                    raise ValidationError(_("The default service time must be at least one minute."))
                area.default_service_seconds = default_service_minutes * 60
            if active is not None:
                area.active = active
            uow.audit("service_area.update", "service_area", area.prefix, before, _area_snapshot(area))
            return ServiceAreaView.of(area)

    # -- counters ------------------------------------------------------------------------
    def list_counters(self) -> list[CounterView]:
        with self.ctx.db.reading() as session:
            return [CounterView.of(c) for c in session.scalars(select(Counter).order_by(Counter.label))]

    def add_counter(self, actor: Actor, label: str, service_prefixes: Sequence[str]) -> CounterView:
        actor.require(Permission.MANAGE_CATALOGUE)
        code = normalise_counter_label(label)
        with unit_of_work(self.ctx, actor) as uow:
            if uow.session.scalar(select(Counter.id).where(Counter.label == code)) is not None:
                raise ConflictError(_("The counter '{label}' already exists.").format(label=code))
            counter = Counter(label=code, state=CounterState.CLOSED, priorities_in_a_row=0, active=True)
            counter.services = _links(uow.session, service_prefixes)
            uow.session.add(counter)
            uow.session.flush()
            uow.audit("counter.add", "counter", code, None, {"services": _prefixes(counter)})
            return CounterView.of(counter)

    def set_counter_services(self, actor: Actor, label: str, service_prefixes: Sequence[str]) -> CounterView:
        actor.require(Permission.MANAGE_CATALOGUE)
        with unit_of_work(self.ctx, actor) as uow:
            counter = find_counter(uow.session, label)
            before = {"services": _prefixes(counter)}
            counter.services.clear()
            uow.session.flush()
            counter.services.extend(_links(uow.session, service_prefixes))
            uow.session.flush()
            uow.audit("counter.services", "counter", counter.label, before, {"services": _prefixes(counter)})
            return CounterView.of(counter)


def _links(session: Session, prefixes: Sequence[str]) -> list[CounterService]:
    cleaned = [normalise_prefix(p) for p in prefixes if p.strip()]
    if not cleaned:
        raise ValidationError(_("A counter must serve at least one service area."))
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("A service area is listed twice for the counter."))
    links = []
    for rank, prefix in enumerate(cleaned, start=1):
        area = find_area(session, prefix)
        links.append(CounterService(service_area_id=area.id, rank=rank, service_area=area))
    return links


def _prefixes(counter: Counter) -> list[str]:
    return [link.service_area.prefix for link in counter.services]


def _clean_name(name: str) -> str:
    title = " ".join(name.split())
    if not title:
        raise ValidationError(_("The name must not be empty."))
    if len(title) > 200:
        raise ValidationError(_("The name is too long (at most 200 characters)."))
    return title
