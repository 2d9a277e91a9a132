"""Reading the outbox for central and recording what central answered.

Events leave in commit order (the table's id), which is each dossier's seq order. An event central
rejected holds back the later events of its dossier, and only those (api.md); acknowledged events keep
their row with ``acknowledged_at`` (they are the dossier's history too).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from counter_app.db.models import DossierEvent, StoredFile

BATCH_SIZE = 500
"""api.md: at most 500 events a request."""


@dataclass(frozen=True)
class OutgoingEvent:
    id: int
    event_id: str
    dossier_code: str
    seq: int
    type: str
    occurred_at: datetime
    actor: str
    payload: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        """The event as api.md puts it on the wire (times with the centre's offset)."""
        return {
            "event_id": self.event_id,
            "dossier_code": self.dossier_code,
            "seq": self.seq,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor,
            "payload": self.payload,
        }

    @property
    def files(self) -> list[str]:
        """SHA-256 of every digitised file the event names (first event's documents, ``supplemented``)."""
        documents = [
            *self.payload.get("dossier", {}).get("documents", []),
            *self.payload.get("documents_added", []),
        ]
        return [sha for document in documents for sha in document.get("files", [])]


@dataclass(frozen=True)
class Answer:
    """central's answer for one event."""

    event_id: str
    status: str  # accepted | duplicate | rejected
    error: str | None = None
    message: str | None = None


def next_batch(session: Session, limit: int = BATCH_SIZE) -> list[OutgoingEvent]:
    """The oldest unacknowledged events, skipping rejected ones and what they hold back."""
    blocker = aliased(DossierEvent)
    held_back = exists().where(
        blocker.dossier_id == DossierEvent.dossier_id,
        blocker.rejected_code.is_not(None),
        blocker.acknowledged_at.is_(None),
        blocker.seq <= DossierEvent.seq,
    )
    rows = session.scalars(
        select(DossierEvent)
        .where(DossierEvent.acknowledged_at.is_(None), ~held_back)
        .order_by(DossierEvent.id)
        .limit(limit)
    ).all()
    return [
        OutgoingEvent(
            e.id, e.event_id, e.dossier_code, e.seq, e.type.value, e.occurred_at, e.actor, dict(e.payload)
        )
        for e in rows
    ]


def files_to_upload(session: Session, events: Iterable[OutgoingEvent]) -> list[str]:
    """The files the events name that central has not confirmed yet, each once, in first-named order."""
    named = list(dict.fromkeys(sha for event in events for sha in event.files))
    if not named:
        return []
    confirmed = set(
        session.scalars(
            select(StoredFile.sha256).where(StoredFile.sha256.in_(named), StoredFile.uploaded_at.is_not(None))
        )
    )
    return [sha for sha in named if sha not in confirmed]


def file_content(session: Session, sha256: str) -> tuple[bytes, str]:
    stored = session.get(StoredFile, sha256)
    if stored is None:
        raise LookupError(f"file {sha256} is named by an event but not stored locally")
    return stored.content, stored.media_type


def mark_uploaded(session: Session, sha256: str, now: datetime) -> None:
    session.execute(update(StoredFile).where(StoredFile.sha256 == sha256).values(uploaded_at=now))


def record_answers(
    session: Session, batch: Sequence[OutgoingEvent], answers: Sequence[Answer], now: datetime
) -> tuple[int, int]:
    """Acknowledge accepted and duplicate events; keep rejected ones with central's code and message.

    A ``seq_gap`` that only follows a rejection of the same dossier earlier in the batch is not a fault
    of its own: that event stays pending, held back by the first one, and goes when it is resolved.
    Returns (acknowledged, rejected).
    """
    delivered = [a.event_id for a in answers if a.status in ("accepted", "duplicate")]
    if delivered:
        session.execute(
            update(DossierEvent)
            .where(DossierEvent.event_id.in_(delivered), DossierEvent.acknowledged_at.is_(None))
            .values(acknowledged_at=now, rejected_code=None, last_error=None)
        )
    blocked: set[str] = set()
    rejected = 0
    for event, answer in zip(batch, answers, strict=True):
        if answer.status != "rejected":
            continue
        if answer.error == "seq_gap" and event.dossier_code in blocked:
            continue
        blocked.add(event.dossier_code)
        rejected += 1
        session.execute(
            update(DossierEvent)
            .where(DossierEvent.event_id == answer.event_id)
            .values(rejected_code=(answer.error or "rejected")[:32], last_error=(answer.message or "")[:500])
        )
    return len(delivered), rejected


@dataclass(frozen=True)
class Backlog:
    waiting: int
    oldest: datetime | None
    rejected: list[tuple[str, int, str, str]]  # dossier code, seq, error code, message


def backlog(session: Session) -> Backlog:
    waiting, oldest = session.execute(
        select(func.count(DossierEvent.id), func.min(DossierEvent.occurred_at)).where(
            DossierEvent.acknowledged_at.is_(None)
        )
    ).one()
    rejected = session.execute(
        select(
            DossierEvent.dossier_code, DossierEvent.seq, DossierEvent.rejected_code, DossierEvent.last_error
        )
        .where(and_(DossierEvent.rejected_code.is_not(None), DossierEvent.acknowledged_at.is_(None)))
        .order_by(DossierEvent.id)
    ).all()
    return Backlog(
        int(waiting or 0),
        oldest,
        [(code, seq, error or "", message or "") for code, seq, error, message in rejected],
    )
