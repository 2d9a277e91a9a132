"""The outbox: every dossier change appends its sync event here, inside the change's transaction.

``seq`` is the dossier's own counter (1, 2, 3…, no gaps): the dossier row is locked or new in
the transaction, so two counters can never take the same number (shared/central/api.md).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from counter_app.db.models import Dossier, DossierEvent
from counter_app.domain.clock import LOCAL_TZ
from counter_app.domain.dossier import EventType
from counter_app.domain.jsonable import to_jsonable


def append_event(
    session: Session,
    dossier: Dossier,
    event_type: EventType,
    data: dict[str, Any],
    *,
    actor: str,
    at: datetime,
) -> int:
    """Write the event with the dossier's next seq; returns that seq. Times carry the local offset."""
    dossier.last_seq += 1
    session.execute(
        insert(DossierEvent).values(
            event_id=str(uuid.uuid4()),
            dossier_id=dossier.id,
            dossier_code=dossier.code,
            seq=dossier.last_seq,
            type=event_type,
            occurred_at=at,
            actor=actor,
            payload=to_jsonable(data, LOCAL_TZ),
        )
    )
    return dossier.last_seq
