"""The queue engine: issue, call, recall, no-show, transfer, serve, finish, cancel.

Call next is atomic. PostgreSQL: the candidate row is taken with ``FOR UPDATE SKIP LOCKED``,
so eight counters calling at once each get a different ticket and none is skipped. SQLite:
the write transaction starts with ``BEGIN IMMEDIATE``, so calls take turns. The candidate
probes use partial indexes that hold only waiting tickets, and the status conditions are
written as literals so both planners can prove those indexes apply: the cost of a call does
not grow with the number of tickets already served today.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import ColumnElement, TextClause, and_, func, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, CounterService, ServiceArea, Ticket, TicketSequence
from counter_app.domain.clock import local_date
from counter_app.domain.dossier import canonical_dossier_code
from counter_app.domain.errors import ConflictError, NotFoundError, ValidationError
from counter_app.domain.queue import (
    OUTCOMES_WITH_DOSSIER,
    CallStreak,
    CounterState,
    Outcome,
    QueueEventKind,
    TicketStatus,
    can_move,
    estimate_wait,
    format_ticket_number,
    front_queue_key,
    preferred_classes,
    queue_key,
)
from counter_app.domain.roles import Permission
from counter_app.domain.working_days import ReceptionSchedule
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.calendar import WorkCalendar
from counter_app.services.catalogue import find_area, find_counter
from counter_app.services.centre_settings import load_config
from counter_app.services.context import ServiceContext, UnitOfWork, unit_of_work
from counter_app.services.counters import active_ticket, lock_counter, require_open, require_operator
from counter_app.services.views import IssuedTicket, TicketView

_WAITING_IN_AREA = text("tickets.status = 'waiting' AND tickets.target_counter_id IS NULL")
_WAITING_FOR_COUNTER = text("tickets.status = 'waiting' AND tickets.target_counter_id IS NOT NULL")
_WAITING = text("tickets.status = 'waiting'")


class Queue:
    def __init__(self, ctx: ServiceContext, calendar: WorkCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    # -- reading -------------------------------------------------------------------------
    def today(self) -> date:
        return local_date(self.ctx.clock.now())

    def find(self, number: str, day: date | None = None) -> TicketView:
        with self.ctx.db.reading() as session:
            return TicketView.of(self._find(session, number, day or self.today()))

    def position(self, number: str, day: date | None = None) -> IssuedTicket:
        """A ticket of the day with the people ahead of it and the expected wait as of now (a reprint).

        Counted like ``issue`` counts them: a priority ticket waits behind earlier priority tickets, a
        normal one behind every priority ticket and earlier normal ones; a ticket transferred to a
        counter waits behind those sent to that counter before it. A ticket no longer waiting (called,
        served, finished) has nobody ahead and no wait.
        """
        with self.ctx.db.reading() as session:
            ticket = self._find(session, number, day or self.today())
            if ticket.status is not TicketStatus.WAITING:
                return IssuedTicket(TicketView.of(ticket), 0, timedelta(0))
            ahead = self._people_ahead_of_waiting(session, ticket)
            return IssuedTicket(
                TicketView.of(ticket), ahead, self._estimate(session, ticket.service_area, ahead)
            )

    def current(self, counter_label: str) -> TicketView | None:
        with self.ctx.db.reading() as session:
            ticket = active_ticket(session, find_counter(session, counter_label))
            return TicketView.of(ticket) if ticket else None

    def waiting(self, day: date | None = None) -> list[TicketView]:
        """Today's waiting tickets in the order a counter serving everything would meet them."""
        with self.ctx.db.reading() as session:
            rows = session.scalars(
                select(Ticket)
                .where(_WAITING, Ticket.business_date == (day or self.today()))
                .order_by(Ticket.priority.desc(), Ticket.queue_key)
            )
            return [TicketView.of(t) for t in rows]

    # -- issuing -------------------------------------------------------------------------
    def issue(
        self, actor: Actor, prefix: str, priority: bool = False, priority_reason: str | None = None
    ) -> IssuedTicket:
        actor.require(Permission.ISSUE_TICKET)
        with unit_of_work(self.ctx, actor) as uow:
            session = uow.session
            area = find_area(session, prefix)
            if not area.active:
                raise ConflictError(
                    _("The service area '{name}' is not taking tickets now.").format(name=area.name)
                )
            if area.ticket_hours:
                window = ReceptionSchedule.parse(area.ticket_hours)
                if not window.is_open(uow.now, self.calendar.legal_in(session)):
                    raise ConflictError(
                        _("Tickets for '{name}' are issued only at {hours}.").format(
                            name=area.name, hours=window.format()
                        )
                    )
            day = local_date(uow.now)
            seq = _next_seq(session, area.id, day)
            ticket = Ticket(
                issued_area_id=area.id,
                service_area_id=area.id,
                service_area=area,
                business_date=day,
                seq=seq,
                number=format_ticket_number(area.prefix, seq, area.number_width),
                priority=priority,
                priority_reason=(priority_reason or None) if priority else None,
                status=TicketStatus.WAITING,
                queue_key=queue_key(uow.now),
                recall_count=0,
                issued_at=uow.now,
            )
            session.add(ticket)
            session.flush()
            ahead = self._people_ahead(session, ticket)
            wait = self._estimate(session, area, ahead)
            uow.audit(
                "ticket.issue",
                "ticket",
                ticket.id,
                None,
                {"number": ticket.number, "priority": priority, "service": area.prefix},
            )
            uow.emit(QueueEventKind.ISSUED, _payload(ticket), ticket_id=ticket.id)
            return IssuedTicket(TicketView.of(ticket), ahead, wait)

    @staticmethod
    def _people_ahead(session: Session, ticket: Ticket) -> int:
        query = (
            select(func.count())
            .select_from(Ticket)
            .where(
                _WAITING_IN_AREA,
                Ticket.business_date == ticket.business_date,
                Ticket.service_area_id == ticket.service_area_id,
                Ticket.id != ticket.id,
            )
        )
        if ticket.priority:
            query = query.where(Ticket.priority == ticket.priority)
        return int(session.scalar(query) or 0)

    @staticmethod
    def _people_ahead_of_waiting(session: Session, ticket: Ticket) -> int:
        """``_people_ahead`` for a ticket already in line: only those before it in the same class."""
        if ticket.target_counter_id is not None:
            place: list[ColumnElement[bool] | TextClause] = [
                _WAITING_FOR_COUNTER,
                Ticket.target_counter_id == ticket.target_counter_id,
            ]
        else:
            place = [_WAITING_IN_AREA, Ticket.service_area_id == ticket.service_area_id]
        earlier = or_(
            Ticket.queue_key < ticket.queue_key,
            and_(Ticket.queue_key == ticket.queue_key, Ticket.id < ticket.id),
        )
        same_class = and_(Ticket.priority == ticket.priority, earlier)
        before = same_class if ticket.priority else or_(Ticket.priority.is_(True), same_class)
        query = (
            select(func.count())
            .select_from(Ticket)
            .where(*place, Ticket.business_date == ticket.business_date, Ticket.id != ticket.id, before)
        )
        return int(session.scalar(query) or 0)

    def _estimate(self, session: Session, area: ServiceArea, people_ahead: int) -> timedelta:
        config = load_config(session)
        recent = session.execute(
            select(Ticket.called_at, Ticket.finished_at)
            .where(Ticket.service_area_id == area.id, Ticket.finished_at.is_not(None))
            .order_by(Ticket.finished_at.desc())
            .limit(config.recent_services_for_estimate)
        ).all()
        durations = [(done - called).total_seconds() for called, done in recent if called and done]
        serving = session.scalar(
            select(func.count())
            .select_from(Counter)
            .join(CounterService)
            .where(CounterService.service_area_id == area.id, Counter.state == CounterState.OPEN)
        )
        return estimate_wait(people_ahead, durations, int(serving or 0), area.default_service_seconds)

    # -- calling -------------------------------------------------------------------------
    def call_next(self, actor: Actor, counter_label: str) -> TicketView | None:
        """Call the next citizen to the counter, or return ``None`` when nobody is waiting for it."""
        with unit_of_work(self.ctx, actor) as uow:
            session = uow.session
            counter = lock_counter(session, counter_label)
            require_operator(actor, counter)
            require_open(counter)
            current = active_ticket(session, counter)
            if current is not None:
                raise ConflictError(
                    _("Counter {label} still has {number}: finish, transfer or mark it absent first.").format(
                        label=counter.label, number=current.number
                    )
                )
            policy = load_config(session).priority_policy
            streak = CallStreak(counter.priorities_in_a_row, counter.normals_since_priority)
            day = local_date(uow.now)
            area_ids = [link.service_area_id for link in counter.services]
            ticket_id = None
            for priority in preferred_classes(policy, streak):
                ticket_id = _claim(session, day, counter.id, area_ids, priority)
                if ticket_id is not None:
                    break
            if ticket_id is None:
                return None
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            streak = streak.after_call(ticket.priority)
            counter.priorities_in_a_row = streak.priorities_in_a_row
            counter.normals_since_priority = streak.normals_since_priority
            ticket.status = TicketStatus.CALLED
            ticket.counter_id = counter.id
            ticket.counter = counter
            ticket.target_counter_id = None
            ticket.target_counter = None
            ticket.officer_id = counter.officer_id
            ticket.called_at = uow.now
            ticket.recall_count = 0
            uow.audit(
                "ticket.call",
                "ticket",
                ticket.id,
                {"status": "waiting"},
                {"status": "called", "counter": counter.label},
            )
            uow.emit(QueueEventKind.CALLED, _payload(ticket), ticket_id=ticket.id, counter_id=counter.id)
            return TicketView.of(ticket)

    def recall(self, actor: Actor, counter_label: str) -> TicketView:
        """Call the same citizen again (board and voice repeat the call)."""
        with unit_of_work(self.ctx, actor) as uow:
            counter, ticket = self._at_counter(uow, counter_label, TicketStatus.CALLED)
            ticket.recall_count += 1
            uow.audit("ticket.recall", "ticket", ticket.id, None, {"recall_count": ticket.recall_count})
            uow.emit(QueueEventKind.RECALLED, _payload(ticket), ticket_id=ticket.id, counter_id=counter.id)
            return TicketView.of(ticket)

    def start_serving(self, actor: Actor, counter_label: str) -> TicketView:
        with unit_of_work(self.ctx, actor) as uow:
            counter, ticket = self._at_counter(uow, counter_label, TicketStatus.SERVING)
            ticket.status = TicketStatus.SERVING
            ticket.serving_at = uow.now
            uow.audit("ticket.serve", "ticket", ticket.id, {"status": "called"}, {"status": "serving"})
            uow.emit(QueueEventKind.SERVING, _payload(ticket), ticket_id=ticket.id, counter_id=counter.id)
            return TicketView.of(ticket)

    def no_show(self, actor: Actor, counter_label: str) -> TicketView:
        with unit_of_work(self.ctx, actor) as uow:
            counter, ticket = self._at_counter(uow, counter_label, TicketStatus.NO_SHOW)
            needed = load_config(uow.session).no_show_after_recalls
            if ticket.recall_count < needed:
                raise ConflictError(
                    _(
                        "Recall {number} at least {n} times before marking it absent (recalled {done})."
                    ).format(number=ticket.number, n=needed, done=ticket.recall_count)
                )
            ticket.status = TicketStatus.NO_SHOW
            uow.audit("ticket.no_show", "ticket", ticket.id, {"status": "called"}, {"status": "no_show"})
            uow.emit(QueueEventKind.NO_SHOW, _payload(ticket), ticket_id=ticket.id, counter_id=counter.id)
            return TicketView.of(ticket)

    def requeue(self, actor: Actor, number: str) -> TicketView:
        """A citizen marked absent came back: put the ticket back at the front of its queue."""
        actor.require(Permission.OPERATE_COUNTER)
        with unit_of_work(self.ctx, actor) as uow:
            ticket = self._find(uow.session, number, local_date(uow.now))
            if ticket.status is not TicketStatus.NO_SHOW:
                raise ConflictError(_("Ticket {number} was not marked absent.").format(number=ticket.number))
            ticket.status = TicketStatus.WAITING
            ticket.queue_key = front_queue_key(uow.now)
            ticket.counter_id = None
            ticket.counter = None
            uow.audit("ticket.requeue", "ticket", ticket.id, {"status": "no_show"}, {"status": "waiting"})
            uow.emit(QueueEventKind.REQUEUED, _payload(ticket), ticket_id=ticket.id)
            return TicketView.of(ticket)

    def transfer(
        self,
        actor: Actor,
        counter_label: str,
        *,
        to_service: str | None = None,
        to_counter: str | None = None,
    ) -> TicketView:
        """Send the citizen at the counter to another area or counter, keeping their place in line."""
        if (to_service is None) == (to_counter is None):
            raise ValidationError(_("Transfer to either a service area or a counter."))
        with unit_of_work(self.ctx, actor) as uow:
            counter, ticket = self._at_counter(uow, counter_label, TicketStatus.WAITING)
            before = {"service": ticket.service_area.prefix, "counter": counter.label}
            if to_service is not None:
                area = find_area(uow.session, to_service)
                if not area.active:
                    raise ConflictError(
                        _("The service area '{name}' is not taking tickets now.").format(name=area.name)
                    )
                ticket.service_area_id = area.id
                ticket.service_area = area
                destination: dict[str, str] = {"to_service": area.prefix}
            else:
                assert to_counter is not None
                target = find_counter(uow.session, to_counter)
                if target.id == counter.id:
                    raise ValidationError(
                        _("The ticket is already at counter {label}.").format(label=target.label)
                    )
                if not target.active:
                    raise ConflictError(_("Counter {label} is disabled.").format(label=target.label))
                ticket.target_counter_id = target.id
                ticket.target_counter = target
                destination = {"to_counter": target.label}
            ticket.status = TicketStatus.WAITING
            ticket.counter_id = None
            ticket.counter = None
            ticket.called_at = None
            ticket.serving_at = None
            ticket.recall_count = 0
            uow.audit("ticket.transfer", "ticket", ticket.id, before, destination)
            uow.emit(
                QueueEventKind.TRANSFERRED,
                {**_payload(ticket), "from_counter": counter.label, **destination},
                ticket_id=ticket.id,
                counter_id=counter.id,
            )
            return TicketView.of(ticket)

    def finish(
        self,
        actor: Actor,
        counter_label: str,
        outcome: Outcome = Outcome.GUIDANCE,
        dossier_code: str | None = None,
    ) -> TicketView:
        code = canonical_dossier_code(dossier_code) if dossier_code and dossier_code.strip() else None
        if outcome in OUTCOMES_WITH_DOSSIER and code is None:
            raise ValidationError(_("Give the dossier code for this outcome."))
        if outcome not in OUTCOMES_WITH_DOSSIER and code is not None:
            raise ValidationError(_("A dossier code goes only with a received or returned dossier."))
        with unit_of_work(self.ctx, actor) as uow:
            counter, ticket = self._at_counter(uow, counter_label, TicketStatus.FINISHED)
            before = {"status": ticket.status.value}
            ticket.status = TicketStatus.FINISHED
            ticket.serving_at = ticket.serving_at or ticket.called_at
            ticket.finished_at = uow.now
            ticket.outcome = outcome
            ticket.dossier_code = code
            uow.audit(
                "ticket.finish",
                "ticket",
                ticket.id,
                before,
                {"status": "finished", "outcome": outcome.value, "dossier_code": code},
            )
            uow.emit(
                QueueEventKind.FINISHED,
                {**_payload(ticket), "outcome": outcome.value},
                ticket_id=ticket.id,
                counter_id=counter.id,
            )
            return TicketView.of(ticket)

    def cancel(self, actor: Actor, number: str) -> TicketView:
        actor.require(Permission.CANCEL_TICKET)
        with unit_of_work(self.ctx, actor) as uow:
            ticket = self._find(uow.session, number, local_date(uow.now))
            if not can_move(ticket.status, TicketStatus.CANCELLED):
                raise ConflictError(_("Ticket {number} is already closed.").format(number=ticket.number))
            if ticket.counter is not None:
                require_operator(actor, ticket.counter)
            before = {"status": ticket.status.value}
            ticket.status = TicketStatus.CANCELLED
            uow.audit("ticket.cancel", "ticket", ticket.id, before, {"status": "cancelled"})
            uow.emit(
                QueueEventKind.CANCELLED, _payload(ticket), ticket_id=ticket.id, counter_id=ticket.counter_id
            )
            return TicketView.of(ticket)

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _find(session: Session, number: str, day: date) -> Ticket:
        ticket = session.scalar(
            select(Ticket).where(Ticket.business_date == day, Ticket.number == number.strip().upper())
        )
        if ticket is None:
            raise NotFoundError(_("There is no ticket {number} today.").format(number=number.strip().upper()))
        return ticket

    @staticmethod
    def _at_counter(uow: UnitOfWork, counter_label: str, target: TicketStatus) -> tuple[Counter, Ticket]:
        """The counter (locked, operated by the actor) and its current ticket, which must be able to move."""
        counter = lock_counter(uow.session, counter_label)
        require_operator(uow.actor, counter)
        ticket = active_ticket(uow.session, counter)
        if ticket is None:
            raise ConflictError(_("Counter {label} has no citizen called.").format(label=counter.label))
        if ticket.status is TicketStatus.SERVING and target is TicketStatus.SERVING:
            raise ConflictError(_("Ticket {number} is already being served.").format(number=ticket.number))
        if not can_move(ticket.status, target):
            raise ConflictError(
                _("Ticket {number} is being served; it can no longer be recalled or marked absent.").format(
                    number=ticket.number
                )
            )
        return counter, ticket


def _next_seq(session: Session, area_id: int, day: date) -> int:
    """Bump the day's counter of the area in one statement (an upsert both databases do atomically)."""
    dialect_insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    statement = (
        dialect_insert(TicketSequence)
        .values(service_area_id=area_id, business_date=day, last_seq=1)
        .on_conflict_do_update(
            index_elements=[TicketSequence.service_area_id, TicketSequence.business_date],
            set_={"last_seq": TicketSequence.last_seq + 1},
        )
        .returning(TicketSequence.last_seq)
    )
    return int(session.execute(statement).scalar_one())


def _claim(
    session: Session, day: date, counter_id: int, area_ids: Sequence[int], priority: bool
) -> int | None:
    """Lock and return the id of the first waiting ticket of a class for the counter.

    Order: citizens transferred to this very counter, then each of its service areas in
    rank order; within each, by place in line (queue key).
    """
    probes: list[tuple[TextClause, ColumnElement[bool]]] = [
        (_WAITING_FOR_COUNTER, Ticket.target_counter_id == counter_id),
        *((_WAITING_IN_AREA, Ticket.service_area_id == area_id) for area_id in area_ids),
    ]
    for conditions in probes:
        ticket_id = session.scalar(
            select(Ticket.id)
            .where(*conditions, Ticket.business_date == day, Ticket.priority == priority)
            .order_by(Ticket.queue_key)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if ticket_id is not None:
            return int(ticket_id)
    return None


def _payload(ticket: Ticket) -> dict[str, object]:
    return {
        "ticket_id": ticket.id,
        "number": ticket.number,
        "service": ticket.service_area.prefix,
        "service_name": ticket.service_area.name,
        "priority": ticket.priority,
        "counter": ticket.counter.label if ticket.counter else None,
        "recall_count": ticket.recall_count,
    }
