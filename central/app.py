"""The reference central backend: sync API v1 (shared/central/api.md) over FastAPI and PostgreSQL.

Every endpoint but /api/v1/health is signed (central.auth). Database work runs in the thread pool,
so concurrent deliveries really run side by side and meet at the database's unique constraints.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from central.auth import AuthError, authenticate
from central.contract import API_PREFIX, MAX_EVENTS, MAX_FILE_BYTES, SHA256_RE, agency_of
from central.ingest import EventLog, IncomingEvent, owner_mismatch, parse_event, rejected
from central.models import CalendarDay, CatalogueEntry, CatalogueVersion, Dossier, Event, StoredFile
from central.secrets import MasterKey

log = logging.getLogger("central.app")

Clock = Callable[[], datetime]
# 500 events with whole-dossier snapshots stay far below this; files travel separately.
MAX_EVENTS_BODY = 32 * 1024 * 1024
RETRY_AFTER_SECONDS = "30"
# Vietnam has one offset all year; events are answered in it (the same instants the centre sent).
VIETNAM = timezone(timedelta(hours=7))

MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class ErrorBody(BaseModel):
    """Every error answer: a human-readable reason, never the input."""

    detail: str


class EventResult(BaseModel):
    """One event's result in the answer to POST /api/v1/events (api.md); ``error`` only when rejected."""

    model_config = ConfigDict(extra="allow")

    event_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    error: (
        Literal["invalid_payload", "unknown_procedure", "bad_transition", "missing_file", "seq_gap"] | None
    ) = None
    message: str | None = None
    expected_seq: int | None = None
    files: list[str] | None = None


class EventResults(BaseModel):
    results: list[EventResult]


_ERROR_DESCRIPTIONS = {
    400: "Not JSON, or not the shape the endpoint takes (a missing or malformed parameter is 400, never 422)",
    401: "Missing or wrong signature, stale timestamp, or replayed request",
    403: "The dossier belongs to another centre",
    404: "No such dossier",
    413: "Too many events, or the body is too large",
    415: "Not a PDF, JPEG or PNG, or a Content-Type that does not match the bytes",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of an endpoint's error answers (api.md), so clients and fuzzers know them."""
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": _ERROR_DESCRIPTIONS[code]} for code in codes
    }
    responses[503] = {
        "model": ErrorBody,
        "description": "The database is unavailable; retry later",
        "headers": _RETRY_AFTER,
    }
    return responses


def utc_now() -> datetime:
    return datetime.now(UTC)


def sniff(content: bytes) -> str | None:
    for magic, media_type in MAGIC:
        if content.startswith(magic):
            return media_type
    return None


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# One closure per app keeps the endpoints next to the state they share; long, but flat.
def create_app(  # noqa: PLR0915
    database_url: str, *, key_file: str | Path, clock: Clock | None = None
) -> FastAPI:
    now = clock or utc_now
    key = MasterKey.load(key_file)
    connect_args: dict[str, Any] = {"connect_timeout": 5} if database_url.startswith("postgresql") else {}
    engine: Engine = create_engine(
        database_url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args=connect_args
    )
    events_log = EventLog(engine, now)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title="One-Stop Counter — central backend", version="1", lifespan=lifespan)
    app.state.engine = engine

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Say which field, never echo the input (it may hold personal data).
        fields = sorted({".".join(str(p) for p in err.get("loc", ())) for err in exc.errors()})
        return JSONResponse({"detail": "invalid request: " + ", ".join(fields)}, status_code=400)

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, _exc: OperationalError) -> JSONResponse:
        log.error("database unavailable")
        return JSONResponse(
            {"detail": "the database is unavailable; retry later"},
            status_code=503,
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )

    async def verify(request: Request, body: bytes) -> str:
        try:
            return await run_in_threadpool(
                lambda: authenticate(
                    engine,
                    key,
                    now,
                    method=request.method,
                    path=request.url.path,
                    headers=request.headers,
                    body=body,
                )
            )
        except AuthError as exc:
            raise HTTPException(401, str(exc)) from None

    # -- events -----------------------------------------------------------------------------------

    def process(centre: str, parsed: list[tuple[Any, IncomingEvent | str]]) -> list[dict[str, Any]]:
        valid = [event for _event_id, event in parsed if isinstance(event, IncomingEvent)]
        stored = iter(events_log.ingest_batch(centre, valid))
        results = []
        for event_id, event in parsed:
            if isinstance(event, str):
                log.info("event %s: rejected (invalid_payload)", event_id)
                results.append(rejected(event_id, "invalid_payload", event))
            else:
                results.append(next(stored))
        return results

    @app.post(
        f"{API_PREFIX}/events",
        response_model=None,  # declared below for the document only: the answer is not filtered through it
        responses={
            200: {"model": EventResults, "description": "One result per event, in order"},
            **error_responses(400, 401, 403, 413),
        },
    )
    async def post_events(request: Request) -> dict[str, Any]:
        """Store a batch of events; one result per event, in order (api.md)."""
        body = await read_body(request, MAX_EVENTS_BODY)
        centre = await verify(request, body)
        try:
            data = json.loads(body, parse_constant=_no_constants)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise HTTPException(400, "the body is not JSON (or is nested too deeply)") from None
        if not isinstance(data, dict) or not isinstance(data.get("events"), list):
            raise HTTPException(400, 'the body must be {"events": [...]}')
        raw_events: list[Any] = data["events"]
        if len(raw_events) > MAX_EVENTS:
            raise HTTPException(413, f"at most {MAX_EVENTS} events per request")
        try:
            parsed = [parse_event(raw) for raw in raw_events]
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        if owner_mismatch(centre, [event for _id, event in parsed]):
            log.warning("centre %s sent events for another centre's dossier", centre)
            raise HTTPException(403, "an event names a dossier of another centre")
        return {"results": await run_in_threadpool(process, centre, parsed)}

    # -- files ------------------------------------------------------------------------------------

    def store_file(centre: str, sha256: str, content: bytes, media_type: str) -> str:
        try:
            with Session(engine) as session, session.begin():
                if session.get(StoredFile, sha256) is not None:
                    return "already stored"
                session.execute(
                    insert(StoredFile).values(
                        sha256=sha256,
                        size=len(content),
                        media_type=media_type,
                        content=content,
                        stored_at=now(),
                        centre_code=centre,
                    )
                )
        except IntegrityError:
            return "already stored"  # a concurrent upload of the same bytes won
        return "stored"

    @app.put(f"{API_PREFIX}/files/{{sha256}}", responses=error_responses(400, 401, 413, 415))
    async def put_file(request: Request, sha256: str) -> dict[str, Any]:
        """Store a PDF, JPEG or PNG (≤ 20 MB) addressed by the SHA-256 of its bytes; idempotent."""
        if not SHA256_RE.match(sha256):
            raise HTTPException(400, "the path must end with the lower-case hex SHA-256 of the file")
        content = await read_body(request, MAX_FILE_BYTES)
        centre = await verify(request, content)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise HTTPException(400, "the body's SHA-256 does not match the path")
        media_type = sniff(content)
        if media_type is None:
            raise HTTPException(415, "only PDF, JPEG and PNG files are accepted")
        declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if declared and declared not in {media_type, "application/octet-stream"}:
            raise HTTPException(415, f"the Content-Type {declared} does not match the file ({media_type})")
        status = await run_in_threadpool(store_file, centre, sha256, content, media_type)
        log.info("file %s from centre %s: %s", sha256, centre, status)
        return {"sha256": sha256, "size": len(content), "media_type": media_type, "status": status}

    # -- reads ------------------------------------------------------------------------------------

    def dossier_view(code: str) -> dict[str, Any] | None:
        with Session(engine) as session:
            dossier = session.get(Dossier, code)
            if dossier is None:
                return None
            events = session.scalars(select(Event).where(Event.dossier_code == code).order_by(Event.seq))
            return {
                "code": dossier.code,
                "status": dossier.status,
                "last_seq": dossier.last_seq,
                "procedure_code": dossier.procedure_code,
                "events": [
                    {
                        "event_id": str(e.event_id),
                        "seq": e.seq,
                        "type": e.type,
                        "occurred_at": e.occurred_at.astimezone(VIETNAM).isoformat(),
                        "actor": e.actor,
                        "payload": e.payload,
                    }
                    for e in events
                ],
            }

    @app.get(f"{API_PREFIX}/dossiers/{{code}}", responses=error_responses(400, 401, 403, 404))
    async def get_dossier(request: Request, code: str) -> dict[str, Any]:
        """The server's view of one of the centre's dossiers: status, last seq, every event in seq order."""
        centre = await verify(request, b"")
        agency = agency_of(code)
        if agency is None:
            raise HTTPException(404, "no such dossier")
        if agency != centre:
            raise HTTPException(403, "this dossier belongs to another centre")
        view = await run_in_threadpool(dossier_view, code)
        if view is None:
            raise HTTPException(404, "no such dossier")
        return view

    def catalogue(since: int | None) -> dict[str, Any] | None:
        with Session(engine) as session:
            version = session.scalar(select(func.max(CatalogueVersion.version))) or 0
            if since is not None and since >= version:
                return None
            procedures = session.scalars(
                select(CatalogueEntry.procedure)
                .where(CatalogueEntry.version == version)
                .order_by(CatalogueEntry.code)
            )
            return {"version": version, "procedures": list(procedures)}

    @app.get(
        f"{API_PREFIX}/catalog",
        response_model=None,
        responses={
            304: {"description": "The catalogue has not changed since `since`"},
            **error_responses(400, 401),
        },
    )
    async def get_catalog(
        request: Request, since: int | None = Query(default=None, ge=0, le=2**31 - 1)
    ) -> dict[str, Any] | Response:
        """The province's procedure catalogue (the same for every centre); 304 when ``since`` is current."""
        await verify(request, b"")
        answer = await run_in_threadpool(catalogue, since)
        if answer is None:
            return Response(status_code=304)
        return answer

    def calendar(year: int) -> list[dict[str, str]]:
        with Session(engine) as session:
            days = session.scalars(
                select(CalendarDay)
                .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
                .order_by(CalendarDay.day)
            )
            return [{"day": d.day.isoformat(), "kind": d.kind, "note": d.note} for d in days]

    @app.get(f"{API_PREFIX}/calendar/{{year}}", responses=error_responses(400, 401))
    async def get_calendar(request: Request, year: int = PathParam(ge=1900, le=2200)) -> dict[str, Any]:
        """Declared days off and swapped working days of ``year``, on top of the statutory holidays."""
        await verify(request, b"")
        return {"year": year, "days": await run_in_threadpool(calendar, year)}

    def database_answers() -> bool:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, DBAPIError):
            return False
        return True

    @app.get(
        f"{API_PREFIX}/health",
        response_model=None,
        responses={503: {"description": "The database does not answer", "headers": _RETRY_AFTER}},
    )
    async def health() -> dict[str, str] | JSONResponse:
        """No authentication: 200 when the database answers, 503 otherwise."""
        if await run_in_threadpool(database_answers):
            return {"status": "ok"}
        return JSONResponse(
            {"status": "unavailable"}, status_code=503, headers={"Retry-After": RETRY_AFTER_SECONDS}
        )

    return app
