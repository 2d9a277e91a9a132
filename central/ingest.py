"""The idempotent event log: one event at a time, each in its own transaction with its dossier row."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
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
        results: list[Result] | None = None
        for _attempt in range(_ATTEMPTS):
            try:
                with Session(self.engine) as session, session.begin():
                    results = self._ingest_together(session, centre, events)
                break
            except IntegrityError:
                continue  # a concurrent delivery stored some of these first: the next look sees them
            except (DataError, RecursionError):
                break  # a value the database refuses: find which, event by event, below
        if results is None:
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

    def _ingest_together(self, session: Session, centre: str, events: list[IncomingEvent]) -> list[Result]:
        """The batch with a handful of statements: the dossiers (locked, in code order so that two
        deliveries never wait on each other crosswise), the stored ids and the files read at once,
        each event judged in memory, the accepted ones written together."""
        codes = sorted({e.dossier_code for e in events if agency_of(e.dossier_code) is not None})
        dossiers = {
            d.code: d
            for d in session.scalars(
                select(Dossier).where(Dossier.code.in_(codes)).order_by(Dossier.code).with_for_update()
            )
        }
        stored = {
            e.event_id: e
            for e in session.scalars(select(Event).where(Event.event_id.in_([e.event_id for e in events])))
        }
        held = _held_files(session, (h for e in events for h in file_hashes(e.payload)))
        procedures = _Memo(lambda: current_procedures(session))
        now = self.clock()
        state: dict[str, tuple[str, int, str]] = {
            code: (d.status, d.last_seq, d.procedure_code) for code, d in dossiers.items()
        }
        accepted_now: dict[uuid.UUID, IncomingEvent] = {}
        rows: list[dict[str, Any]] = []
        results: list[Result] = []
        for event in events:
            eid = event.event_id
            if agency_of(event.dossier_code) is None:
                results.append(rejected(eid, "invalid_payload", "dossier_code is not a dossier code"))
                continue
            if eid in stored or eid in accepted_now:
                earlier = accepted_now.get(eid)
                same = same_event(stored[eid], event) if eid in stored else earlier == event
                results.append(
                    duplicate(eid)
                    if same
                    else rejected(eid, "invalid_payload", "event_id reused for a different event")
                )
                continue
            if event.type not in EVENT_TYPES:
                results.append(rejected(eid, "invalid_payload", f"unknown event type {event.type!r}"))
                continue
            status, last_seq, procedure_code = state.get(event.dossier_code, (None, 0, ""))
            target = _judge(event, status, last_seq)
            if isinstance(target, dict):
                results.append(target)
                continue
            if status is None:
                first = self._check_first_event(event, procedures)
                if isinstance(first, dict):
                    results.append(first)
                    continue
                procedure_code = first
            problem = _check_files(event, held)
            if problem is not None:
                results.append(problem)
                continue
            state[event.dossier_code] = (target, event.seq, procedure_code)
            accepted_now[eid] = event
            rows.append(
                {
                    "event_id": eid,
                    "centre_code": centre,
                    "dossier_code": event.dossier_code,
                    "seq": event.seq,
                    "type": event.type,
                    "occurred_at": event.occurred_at,
                    "actor": event.actor,
                    "payload": event.payload,
                    "stored_at": now,
                }
            )
            results.append(accepted(eid))
        if rows:
            session.execute(insert(Event), rows)
        for code, (status, last_seq, procedure_code) in state.items():
            dossier = dossiers.get(code)
            if dossier is None:
                session.add(
                    Dossier(
                        code=code,
                        centre_code=centre,
                        status=status,
                        last_seq=last_seq,
                        procedure_code=procedure_code,
                        updated_at=now,
                    )
                )
            elif dossier.last_seq != last_seq:
                dossier.status, dossier.last_seq, dossier.updated_at = status, last_seq, now
        session.flush()
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
        target = _judge(event, dossier.status if dossier else None, dossier.last_seq if dossier else 0)
        if isinstance(target, dict):
            return target
        if dossier is None:
            first = self._check_first_event(event, procedures)
            if isinstance(first, dict):
                return first
            procedure_code = first
        else:
            procedure_code = dossier.procedure_code
        problem = _check_files(event, _held_files(session, file_hashes(event.payload)))
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


def _judge(event: IncomingEvent, status: str | None, last_seq: int) -> str | Result:
    """The dossier's next status after ``event``, or why the event cannot come now."""
    if event.seq != last_seq + 1:
        return rejected(
            event.event_id,
            "seq_gap",
            f"expected seq {last_seq + 1}, got {event.seq}",
            expected_seq=last_seq + 1,
        )
    target = next_status(status, event.type)
    if target is None:
        return rejected(
            event.event_id,
            "bad_transition",
            f"a {event.type} event cannot follow status {status or 'none (no event yet)'}",
        )
    return target


def _held_files(session: Session, hashes: Iterable[Any]) -> set[str]:
    wanted = {h for h in hashes if isinstance(h, str) and SHA256_RE.match(h)}
    if not wanted:
        return set()
    return set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(wanted))))


def _check_files(event: IncomingEvent, held: set[str]) -> Result | None:
    """Every file the payload names must be a stored SHA-256."""
    named = list(file_hashes(event.payload))
    if any(not isinstance(h, str) or not SHA256_RE.match(h) for h in named):
        return rejected(event.event_id, "invalid_payload", "files must be lower-case hex SHA-256 hashes")
    missing = sorted(set(named) - held)
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
