"""Reading the audit trail (writing happens inside each unit of work)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from counter_app.db.models import AuditEntry
from counter_app.domain.roles import Permission
from counter_app.services.actor import Actor
from counter_app.services.context import ServiceContext


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditTrail:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def entries(
        self, actor: Actor, entity_type: str | None = None, entity_id: str | None = None, limit: int = 100
    ) -> list[AuditView]:
        actor.require(Permission.VIEW_AUDIT)
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity_type is not None:
            query = query.where(AuditEntry.entity_type == entity_type)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == entity_id)
        with self.ctx.db.reading() as session:
            return [
                AuditView(e.id, e.at, e.actor_name, e.action, e.entity_type, e.entity_id, e.before, e.after)
                for e in session.scalars(query)
            ]
