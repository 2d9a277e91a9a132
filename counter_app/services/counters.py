"""Opening, pausing and closing a counter, and the permission rule for operating one.

An officer operates only the counter they opened; supervisors and administrators may act on
any counter (covering for a colleague). Pausing keeps the counter's queue; closing sends
citizens transferred to this counter back to their area's queue, in their place.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, Ticket, User
from counter_app.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from counter_app.domain.queue import CounterState, QueueEventKind, TicketStatus
from counter_app.domain.roles import Permission, Role
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.catalogue import find_counter
from counter_app.services.context import ServiceContext, UnitOfWork, unit_of_work
from counter_app.services.views import CounterView

# Literal, like the waiting conditions in queue.py: with bound parameters (``status IN (?, ?)``)
# SQLite cannot prove that the partial index ix_tickets_at_counter applies and scans every
# ticket of every day, at each call and finish.
AT_COUNTER = text("tickets.status IN ('called', 'serving')")


def lock_counter(session: Session, label: str) -> Counter:
    """The counter row, locked for this transaction (two windows of one counter take turns)."""
    counter = session.scalar(
        select(Counter)
        .where(Counter.label == label.strip())
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if counter is None:
        raise NotFoundError(_("There is no counter '{label}'.").format(label=label))
    return counter


def require_operator(actor: Actor, counter: Counter) -> None:
    actor.require(Permission.OPERATE_COUNTER)
    if counter.state is CounterState.CLOSED:
        raise ConflictError(_("Counter {label} is closed; open it first.").format(label=counter.label))
    if counter.officer_id != actor.user_id and not actor.can(Permission.OPERATE_ANY_COUNTER):
        raise PermissionDeniedError(
            _(
                "Counter {label} was opened by another officer; only they or a supervisor may operate it."
            ).format(label=counter.label)
        )


def require_open(counter: Counter) -> None:
    if counter.state is CounterState.CLOSED:
        raise ConflictError(_("Counter {label} is closed; open it first.").format(label=counter.label))
    if counter.state is CounterState.PAUSED:
        raise ConflictError(_("Counter {label} is paused; resume it first.").format(label=counter.label))


def active_ticket(session: Session, counter: Counter) -> Ticket | None:
    """The ticket the counter has called or is serving, if any."""
    return session.scalar(select(Ticket).where(Ticket.counter_id == counter.id, AT_COUNTER))


def emit_counter_changed(uow: UnitOfWork, counter: Counter) -> None:
    officer = counter.officer
    uow.emit(
        QueueEventKind.COUNTER_CHANGED,
        {
            "counter": counter.label,
            "state": counter.state.value,
            "officer": (officer.full_name or officer.username) if officer else None,
        },
        counter_id=counter.id,
    )


class Counters:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def get(self, label: str) -> CounterView:
        with self.ctx.db.reading() as session:
            return CounterView.of(find_counter(session, label))

    def open(self, actor: Actor, label: str, officer_username: str | None = None) -> CounterView:
        """Open (or resume) a counter for an officer: the actor, or one a supervisor names."""
        actor.require(Permission.OPERATE_COUNTER)
        with unit_of_work(self.ctx, actor) as uow:
            counter = lock_counter(uow.session, label)
            officer = self._officer_for(uow.session, actor, officer_username)
            if counter.state is not CounterState.CLOSED and counter.officer_id not in {None, officer.id}:
                raise ConflictError(
                    _("Counter {label} is already open for another officer.").format(label=counter.label)
                )
            if not counter.active:
                raise ConflictError(_("Counter {label} is disabled.").format(label=counter.label))
            before = {"state": counter.state.value, "officer": counter.officer_id}
            if counter.state is CounterState.CLOSED:
                counter.opened_at = uow.now
                counter.priorities_in_a_row = 0
                counter.normals_since_priority = None
            counter.state = CounterState.OPEN
            counter.officer_id = officer.id
            counter.officer = officer
            uow.audit(
                "counter.open", "counter", counter.label, before, {"state": "open", "officer": officer.id}
            )
            emit_counter_changed(uow, counter)
            return CounterView.of(counter)

    def pause(self, actor: Actor, label: str) -> CounterView:
        return self._change_state(actor, label, CounterState.PAUSED, "counter.pause")

    def close(self, actor: Actor, label: str) -> CounterView:
        return self._change_state(actor, label, CounterState.CLOSED, "counter.close")

    def _change_state(self, actor: Actor, label: str, target: CounterState, action: str) -> CounterView:
        with unit_of_work(self.ctx, actor) as uow:
            counter = lock_counter(uow.session, label)
            require_operator(actor, counter)
            if counter.state is target:
                return CounterView.of(counter)
            if counter.state is CounterState.CLOSED:
                raise ConflictError(
                    _("Counter {label} is closed; open it first.").format(label=counter.label)
                )
            current = active_ticket(uow.session, counter)
            if current is not None:
                raise ConflictError(
                    _("Counter {label} still has {number}: finish, transfer or mark it absent first.").format(
                        label=counter.label, number=current.number
                    )
                )
            before = {"state": counter.state.value, "officer": counter.officer_id}
            counter.state = target
            if target is CounterState.CLOSED:
                counter.officer_id = None
                counter.officer = None
                self._return_directed_tickets(uow, counter)
            uow.audit(
                action,
                "counter",
                counter.label,
                before,
                {"state": target.value, "officer": counter.officer_id},
            )
            emit_counter_changed(uow, counter)
            return CounterView.of(counter)

    @staticmethod
    def _return_directed_tickets(uow: UnitOfWork, counter: Counter) -> None:
        """Citizens sent to a counter that closes go back to their area's queue, keeping their place."""
        directed = uow.session.scalars(
            select(Ticket).where(
                Ticket.target_counter_id == counter.id, Ticket.status == TicketStatus.WAITING
            )
        ).all()
        for ticket in directed:
            ticket.target_counter_id = None
            ticket.target_counter = None
            uow.audit(
                "ticket.undirect",
                "ticket",
                ticket.id,
                {"target_counter": counter.label},
                {"target_counter": None},
            )
            uow.emit(
                QueueEventKind.TRANSFERRED,
                {
                    "number": ticket.number,
                    "from_counter": counter.label,
                    "to_service": ticket.service_area.prefix,
                },
                ticket_id=ticket.id,
                counter_id=counter.id,
            )

    @staticmethod
    def _officer_for(session: Session, actor: Actor, officer_username: str | None) -> User:
        if officer_username is None or officer_username.strip().lower() == actor.username:
            if actor.user_id is None:
                raise ValidationError(_("Name the officer who will work at the counter (--user)."))
            user = session.get(User, actor.user_id)
        else:
            if not actor.can(Permission.OPERATE_ANY_COUNTER):
                raise PermissionDeniedError(_("Only a supervisor may open a counter for another officer."))
            user = session.scalar(select(User).where(User.username == officer_username.strip().lower()))
        if user is None:
            raise NotFoundError(_("There is no user named '{name}'.").format(name=officer_username))
        if not user.active:
            raise ConflictError(_("The account '{name}' is disabled.").format(name=user.username))
        if user.role not in {Role.OFFICER, Role.SUPERVISOR, Role.ADMIN}:
            raise ValidationError(_("A device account cannot work at a counter."))
        return user
