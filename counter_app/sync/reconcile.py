"""``sync reconcile``: does central hold what the centre holds? Dossier by dossier, event by event.

The outbox's acknowledgements say what central answered; this asks central what it has now
(``GET /api/v1/dossiers/{code}``), which also catches a central restored from an old backup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import httpx
from sqlalchemy import select

from counter_app.db.models import DossierEvent
from counter_app.domain.clock import Clock
from counter_app.domain.dossier import canonical_dossier_code
from counter_app.services.app import CounterApp
from counter_app.sync.client import PermanentError
from counter_app.sync.link import load_link
from counter_app.sync.pull import CentralReader


@dataclass(frozen=True)
class Difference:
    dossier_code: str
    seq: int
    kind: str  # "missing_on_central" | "unknown_locally" | "different"
    acknowledged: bool  # locally marked as delivered (a missing one then means central lost it)


def reconcile(
    app: CounterApp,
    codes: Sequence[str] = (),
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
    timeout: float = 30.0,
) -> list[Difference]:
    """Differences between the local history and central's, for ``codes`` or every dossier with events.

    Raises ``TransientError`` when central cannot be asked, ``PermanentError`` when it refuses (nothing
    can be concluded then).
    """
    wanted = [canonical_dossier_code(code) for code in codes]
    query = select(
        DossierEvent.dossier_code,
        DossierEvent.seq,
        DossierEvent.event_id,
        DossierEvent.type,
        DossierEvent.acknowledged_at,
    ).order_by(DossierEvent.dossier_code, DossierEvent.seq)
    if wanted:
        query = query.where(DossierEvent.dossier_code.in_(wanted))
    with app.db.reading() as session:
        rows = session.execute(query).all()
    local: dict[str, dict[int, tuple[str, str, bool]]] = {code: {} for code in wanted}
    for code, seq, event_id, event_type, acknowledged_at in rows:
        local.setdefault(code, {})[seq] = (event_id, event_type.value, acknowledged_at is not None)
    link = load_link(app.db)
    differences: list[Difference] = []
    with httpx.Client(base_url=link.url, transport=transport, timeout=timeout) as http:
        reader = CentralReader(http, link, clock or app.ctx.clock)
        for code, events in local.items():
            remote = _central_events(reader, code)
            for seq, (event_id, kind, acknowledged) in events.items():
                held = remote.pop(seq, None)
                if held is None:
                    differences.append(Difference(code, seq, "missing_on_central", acknowledged))
                elif held != (event_id, kind):
                    differences.append(Difference(code, seq, "different", acknowledged))
            differences.extend(Difference(code, seq, "unknown_locally", False) for seq in sorted(remote))
    return differences


def _central_events(reader: CentralReader, code: str) -> dict[int, tuple[str, str]]:
    try:
        response = reader.get(f"/api/v1/dossiers/{code}")
    except PermanentError as refused:
        if refused.status == 404:  # central has never heard of the dossier
            return {}
        raise
    body = response.json()
    return {int(e["seq"]): (str(e["event_id"]), str(e["type"])) for e in body.get("events", [])}
