"""The service context and the unit of work every use case runs in.

A unit of work is one database transaction that also writes the audit rows and queue
events of the change. Events reach the bus only after the commit, so no display ever shows
a call that was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from counter_app.db.database import Database
from counter_app.db.models import AuditEntry, QueueEvent
from counter_app.domain.clock import Clock, SystemClock
from counter_app.domain.jsonable import to_jsonable
from counter_app.domain.queue import QueueEventKind
from counter_app.services.actor import Actor
from counter_app.services.events import NOTIFY_CHANNEL, EventBus, QueueEventMessage


@dataclass
class ServiceContext:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    bus: EventBus = field(default_factory=EventBus)


class UnitOfWork:
    """What one use case needs inside its transaction: the session, the actor, one "now"."""

    def __init__(self, ctx: ServiceContext, session: Session, actor: Actor) -> None:
        self.ctx = ctx
        self.session = session
        self.actor = actor
        self.now: datetime = ctx.clock.now()
        self.events: list[QueueEventMessage] = []
        self._audit_rows: list[dict[str, Any]] = []

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self._audit_rows.append(
            {
                "at": self.now,
                "actor_id": self.actor.user_id,
                "actor_name": self.actor.username,
                "action": action,
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "before": to_jsonable(before) if before is not None else None,
                "after": to_jsonable(after) if after is not None else None,
            }
        )

    def write_audit(self) -> None:
        """All audit rows of the operation in one INSERT, inside its transaction (append-only rows
        need none of the ORM's change tracking)."""
        if self._audit_rows:
            self.session.execute(insert(AuditEntry), self._audit_rows)
            self._audit_rows = []

    def emit(
        self,
        kind: QueueEventKind,
        payload: dict[str, Any],
        *,
        ticket_id: int | None = None,
        counter_id: int | None = None,
    ) -> None:
        data = to_jsonable(payload)
        event_id = self.session.execute(
            insert(QueueEvent)
            .values(at=self.now, kind=kind, ticket_id=ticket_id, counter_id=counter_id, payload=data)
            .returning(QueueEvent.id)
        ).scalar_one()
        message = QueueEventMessage(
            id=event_id, kind=kind, at=self.now, payload=data, origin=self.ctx.bus.origin
        )
        if not self.ctx.db.is_sqlite:
            # Delivered by PostgreSQL only if this transaction commits.
            self.session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": message.to_json()},
            )
        self.events.append(message)


@contextmanager
def unit_of_work(ctx: ServiceContext, actor: Actor) -> Iterator[UnitOfWork]:
    with ctx.db.transaction() as session:
        uow = UnitOfWork(ctx, session, actor)
        yield uow
        uow.write_audit()
    for message in uow.events:
        ctx.bus.publish(message)
