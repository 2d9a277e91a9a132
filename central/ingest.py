"""The idempotent event log: one event at a time, each in its own transaction with its dossier row."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from central.contract import EVENT_TYPES, SHA256_RE, agency_of, next_status
from central.models import CatalogueEntry, CatalogueVersion, Dossier, Event, StoredFile

log = logging.getLogger("central.events")

Clock = Callable[[], datetime]
Result = dict[str, Any]
_ATTEMPTS = 4
# Events are answered in Vietnam's offset (app.VIETNAM); an instant must be readable there and in UTC.
_VIETNAM = timezone(timedelta(hours=7))


class IncomingEvent(BaseModel):
    """One event as api.md defines it; validated per event so one bad event does not sink the batch."""

    model_config = ConfigDict(extra="forbid")

    event_id: uuid.UUID
    dossier_code: StrictStr = Field(max_length=64)
    seq: StrictInt = Field(ge=1, le=2**31 - 1)
    type: StrictStr = Field(max_length=32)
    occurred_at: AwareDatetime
    actor: StrictStr = Field(max_length=100)
    payload: dict[str, Any]

    @field_validator("occurred_at")
    @classmethod
    def _representable(cls, value: datetime) -> datetime:
        # "0001-01-01T00:00:00+14:00" is in year 0 in UTC: PostgreSQL stores it, Python cannot read it back.
        try:
            value.astimezone(UTC)
            value.astimezone(_VIETNAM)
        except OverflowError:
            raise ValueError("occurred_at is outside the years 1..9999") from None
        return value


class EventIdOnly(BaseModel):
    event_id: uuid.UUID


def parse_event(raw: Any) -> tuple[uuid.UUID, IncomingEvent | str]:
    """(event_id, event) or (event_id, what is wrong). ValueError when not even the event_id is readable."""
    if not isinstance(raw, dict):
        raise ValueError("each event must be a JSON object")
    try:
        event_id = EventIdOnly.model_validate({"event_id": raw.get("event_id")}).event_id
    except ValidationError:
        raise ValueError("each event needs an event_id that is a UUID") from None
    try:
        return event_id, IncomingEvent.model_validate(raw)
    except ValidationError as exc:
        problems = sorted({".".join(str(p) for p in err["loc"]) or "event" for err in exc.errors()})
        return event_id, "invalid or missing field(s): " + ", ".join(problems)


def accepted(event_id: uuid.UUID) -> Result:
    return {"event_id": str(event_id), "status": "accepted"}


def duplicate(event_id: uuid.UUID) -> Result:
    return {"event_id": str(event_id), "status": "duplicate"}


def rejected(event_id: uuid.UUID, error: str, message: str, **extra: Any) -> Result:
    return {"event_id": str(event_id), "status": "rejected", "error": error, "message": message, **extra}


def file_hashes(payload: Any) -> Iterator[Any]:
    """Every item of every ``files`` list anywhere in the payload (documents, documents_added…)."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "files" and isinstance(value, list):
                yield from value
            else:
                yield from file_hashes(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from file_hashes(item)


def current_procedures(session: Session) -> set[str] | None:
    """The codes of the latest catalogue version; None when the catalogue is empty (accept any code)."""
    version = session.scalar(select(func.max(CatalogueVersion.version)))
    if version is None:
        return None
    codes = set(session.scalars(select(CatalogueEntry.code).where(CatalogueEntry.version == version)))
    return codes or None


def same_event(stored: Event, event: IncomingEvent) -> bool:
    return (
        stored.dossier_code == event.dossier_code
        and stored.seq == event.seq
        and stored.type == event.type
        and stored.occurred_at == event.occurred_at
        and stored.actor == event.actor
        and stored.payload == event.payload
    )


class _Memo:
    """The catalogue's codes, read once per batch and only if a first event needs them."""

    def __init__(self, load: Callable[[], set[str] | None]) -> None:
        self._load = load
        self._loaded = False
        self._value: set[str] | None = None

    def get(self) -> set[str] | None:
        if not self._loaded:
            self._value, self._loaded = self._load(), True
        return self._value


class EventLog:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def ingest(self, centre: str, event: IncomingEvent) -> Result:
        """Store one event (or say why not)."""
        return self.ingest_batch(centre, [event])[0]

    def ingest_batch(self, centre: str, events: list[IncomingEvent]) -> list[Result]:
        """Store a batch in one transaction, each event in a savepoint of its own.

        One transaction per batch rather than per event: the per-event BEGIN/COMMIT and session set-up
        were most of the server's time (about 370 events/s). A savepoint keeps each event's answer its
        own: a rejected or refused value rolls back only that event. A concurrent delivery of the same
        events waits on the row locks, then finds them stored and answers ``duplicate``.
        """
        with Session(self.engine) as session, session.begin():
            procedures = _Memo(lambda: current_procedures(session))
            results = [self._ingest_in_savepoint(session, centre, event, procedures) for event in events]
        for event, result in zip(events, results, strict=True):
            log.info(
                "event %s dossier %s seq %d: %s%s",
                event.event_id,
                event.dossier_code,
                event.seq,
                result["status"],
                f" ({result['error']})" if "error" in result else "",
            )
        return results

    def _ingest_in_savepoint(
        self, session: Session, centre: str, event: IncomingEvent, procedures: _Memo
    ) -> Result:
        for _attempt in range(_ATTEMPTS):
            savepoint = session.begin_nested()
            try:
                result = self._ingest_once(session, centre, event, procedures)
                session.flush()  # a unique-key conflict must surface here, inside the savepoint
            except IntegrityError:
                savepoint.rollback()
                continue  # a concurrent delivery stored this dossier's event or row first: look again
            except DataError:
                savepoint.rollback()
                return rejected(event.event_id, "invalid_payload", "the database refused a value")
            except RecursionError:
                savepoint.rollback()
                return rejected(event.event_id, "invalid_payload", "the payload is nested too deeply")
            savepoint.commit()
            return result
        raise RuntimeError("event could not be stored after repeated conflicts")  # pragma: no cover

    def _ingest_once(self, session: Session, centre: str, event: IncomingEvent, procedures: _Memo) -> Result:
        eid = event.event_id
        if agency_of(event.dossier_code) is None:
            return rejected(eid, "invalid_payload", "dossier_code is not a dossier code")
        # Lock the dossier first: a concurrent delivery of its events waits here, then sees ours.
        dossier = session.get(Dossier, event.dossier_code, with_for_update=True)
        stored = session.scalar(select(Event).where(Event.event_id == eid))
        if stored is not None:
            if same_event(stored, event):
                return duplicate(eid)
            return rejected(eid, "invalid_payload", "event_id reused for a different event")
        if event.type not in EVENT_TYPES:
            return rejected(eid, "invalid_payload", f"unknown event type {event.type!r}")
        last_seq = dossier.last_seq if dossier else 0
        if event.seq != last_seq + 1:
            return rejected(
                eid,
                "seq_gap",
                f"expected seq {last_seq + 1}, got {event.seq}",
                expected_seq=last_seq + 1,
            )
        current = dossier.status if dossier else None
        target = next_status(current, event.type)
        if target is None:
            return rejected(
                eid,
                "bad_transition",
                f"a {event.type} event cannot follow status {current or 'none (no event yet)'}",
            )
        if dossier is None:
            first = self._check_first_event(event, procedures)
            if isinstance(first, dict):
                return first
            procedure_code = first
        else:
            procedure_code = dossier.procedure_code
        problem = self._check_files(session, event)
        if problem is not None:
            return problem
        now = self.clock()
        session.execute(
            insert(Event).values(
                event_id=eid,
                centre_code=centre,
                dossier_code=event.dossier_code,
                seq=event.seq,
                type=event.type,
                occurred_at=event.occurred_at,
                actor=event.actor,
                payload=event.payload,
                stored_at=now,
            )
        )
        if dossier is None:
            session.add(
                Dossier(
                    code=event.dossier_code,
                    centre_code=centre,
                    status=target,
                    last_seq=event.seq,
                    procedure_code=procedure_code,
                    updated_at=now,
                )
            )
        else:
            dossier.status = target
            dossier.last_seq = event.seq
            dossier.updated_at = now
        return accepted(eid)

    @staticmethod
    def _check_first_event(event: IncomingEvent, procedures: _Memo) -> str | Result:
        """The procedure code of a dossier's first event, or the rejection."""
        eid = event.event_id
        snapshot = event.payload.get("dossier")
        if not isinstance(snapshot, dict) or snapshot.get("code") != event.dossier_code:
            return rejected(
                eid, "invalid_payload", "a first event carries payload.dossier with the same code"
            )
        code = snapshot.get("procedure_code")
        if not isinstance(code, str) or not code or len(code) > 100:
            return rejected(eid, "invalid_payload", "payload.dossier.procedure_code is missing")
        known = procedures.get()
        if known is not None and code not in known:
            return rejected(eid, "unknown_procedure", f"procedure {code} is not in the catalogue")
        return code

    @staticmethod
    def _check_files(session: Session, event: IncomingEvent) -> Result | None:
        """Every file the payload names must be a stored SHA-256."""
        named = list(file_hashes(event.payload))
        if any(not isinstance(h, str) or not SHA256_RE.match(h) for h in named):
            return rejected(event.event_id, "invalid_payload", "files must be lower-case hex SHA-256 hashes")
        hashes: set[str] = set(named)
        if not hashes:
            return None
        held = set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(hashes))))
        missing = sorted(hashes - held)
        if missing:
            return rejected(
                event.event_id,
                "missing_file",
                "upload these files first: " + ", ".join(missing),
                files=missing,
            )
        return None


def owner_mismatch(centre: str, events: list[IncomingEvent | str]) -> bool:
    return any(
        isinstance(e, IncomingEvent)
        and (agency := agency_of(e.dossier_code)) is not None
        and agency != centre
        for e in events
    )
