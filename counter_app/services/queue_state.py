"""What displays and kiosks show: a consistent snapshot of the queue, then the events after it.

A display that connects late subscribes *first* and reads the snapshot *second*; events
already contained in the snapshot (id ≤ ``last_event_id``) are dropped, so nothing falls
between the two and nothing is applied twice.
"""

from __future__ import annotations

import queue as stdlib_queue
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, QueueEvent, ServiceArea, Ticket
from counter_app.domain.clock import local_date
from counter_app.domain.queue import QueueEventKind, TicketStatus
from counter_app.domain.roles import Permission
from counter_app.services.actor import Actor
from counter_app.services.context import ServiceContext
from counter_app.services.counters import AT_COUNTER
from counter_app.services.events import QueueEventMessage
from counter_app.services.views import CounterStatus, QueueSnapshot, RecentCall, WaitingCount

_CALL_KINDS = (QueueEventKind.CALLED, QueueEventKind.RECALLED)


class QueueState:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def snapshot(self, actor: Actor, recent: int = 8) -> QueueSnapshot:
        actor.require(Permission.VIEW_QUEUE)
        with self.ctx.db.reading() as session:
            if not self.ctx.db.is_sqlite:
                # One snapshot for every statement below (SQLite's read transaction already is one).
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            return read_snapshot(session, local_date(self.ctx.clock.now()), recent)

    def feed(self, actor: Actor) -> QueueFeed:
        return QueueFeed(self, actor)


def read_snapshot(session: Session, day: date, recent: int) -> QueueSnapshot:
    last_event_id = int(session.scalar(select(func.max(QueueEvent.id))) or 0)
    counts = {
        (area_id, priority): int(n)
        for area_id, priority, n in session.execute(
            select(Ticket.service_area_id, Ticket.priority, func.count())
            .where(Ticket.status == TicketStatus.WAITING, Ticket.business_date == day)
            .group_by(Ticket.service_area_id, Ticket.priority)
        )
    }
    waiting = tuple(
        WaitingCount(
            area.prefix,
            area.name,
            counts.get((area.id, False), 0) + counts.get((area.id, True), 0),
            counts.get((area.id, True), 0),
        )
        for area in session.scalars(
            select(ServiceArea).where(ServiceArea.active.is_(True)).order_by(ServiceArea.prefix)
        )
    )
    current = {t.counter_id: t for t in session.scalars(select(Ticket).where(AT_COUNTER))}
    counters = tuple(
        CounterStatus(
            c.label,
            c.state,
            (c.officer.full_name or c.officer.username) if c.officer else None,
            current[c.id].number if c.id in current else None,
            current[c.id].status if c.id in current else None,
        )
        for c in session.scalars(select(Counter).where(Counter.active.is_(True)).order_by(Counter.label))
    )
    calls = session.scalars(
        select(QueueEvent)
        .where(QueueEvent.kind.in_(_CALL_KINDS))
        .order_by(QueueEvent.id.desc())
        .limit(recent)
    )
    recent_calls = tuple(
        RecentCall(str(e.payload["number"]), str(e.payload["counter"]), e.at)
        for e in calls
        if local_date(e.at) == day
    )
    return QueueSnapshot(last_event_id, day, waiting, counters, recent_calls)


class QueueFeed:
    """Snapshot first, then every later event exactly once, in publication order."""

    def __init__(self, state: QueueState, actor: Actor) -> None:
        self._events: stdlib_queue.Queue[QueueEventMessage] = stdlib_queue.Queue()
        self._unsubscribe = state.ctx.bus.subscribe(self._events.put)
        try:
            self.snapshot = state.snapshot(actor)
        except Exception:
            self._unsubscribe()
            raise

    def next(self, timeout: float | None = None) -> QueueEventMessage | None:
        """The next event not already in the snapshot, or ``None`` when ``timeout`` passes."""
        while True:
            try:
                message = self._events.get(timeout=timeout)
            except stdlib_queue.Empty:
                return None
            if message.id > self.snapshot.last_event_id:
                return message

    def close(self) -> None:
        self._unsubscribe()

    def __enter__(self) -> QueueFeed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
