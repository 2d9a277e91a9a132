"""The real central app: uvicorn on a loopback socket in a thread, on a throwaway PostgreSQL database."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine

from central import admin, migrate
from central.app import create_app
from central.contract import signature
from central.secrets import MasterKey
from counter_app.domain.clock import ManualClock
from counter_app.sync.link import configure
from tests.conftest import Centre
from tests.support.intake import AGENCY, set_up_intake

CENTRE = AGENCY  # the intake tests' agency: a linked counter's dossiers are this centre's
OTHER_CENTRE = "H55.242.01"
PROCEDURE = "1.001612"


class FakeClock:
    """The server's clock; the test client moves it one second per request, so no two signatures match."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Client:
    base_url: str
    clock: FakeClock
    centre: str
    secret: str
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def close(self) -> None:
        self.http.close()

    def signed_headers(
        self, method: str, path: str, body: bytes, *, timestamp: int | None = None
    ) -> dict[str, str]:
        if timestamp is None:
            self.clock.advance(1)
            timestamp = int(self.clock.now.timestamp())
        return {
            "X-Centre": self.centre,
            "X-Timestamp": str(timestamp),
            "X-Signature": signature(self.secret, method, path, timestamp, body),
        }

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        timestamp: int | None = None,
        content_type: str = "application/json",
    ) -> httpx.Response:
        all_headers = {"Content-Type": content_type} if body else {}
        all_headers.update(self.signed_headers(method, path, body, timestamp=timestamp))
        all_headers.update(headers or {})
        return self.http.request(method, path, content=body, headers=all_headers, params=params)

    def post_events(self, events: list[dict[str, Any]]) -> httpx.Response:
        return self.request("POST", "/api/v1/events", json.dumps({"events": events}).encode())

    def results(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.post_events(events)
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        assert [r["event_id"] for r in results] == [e["event_id"] for e in events]
        return results

    def put_file(self, content: bytes, sha256: str, content_type: str = "application/pdf") -> httpx.Response:
        return self.request("PUT", f"/api/v1/files/{sha256}", content, content_type=content_type)

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.request("GET", path, params=params or None)


@dataclass
class Central:
    url: str
    base_url: str
    clock: FakeClock
    engine: Engine
    key: MasterKey
    key_file: Path

    def add_centre(self, code: str = CENTRE) -> Client:
        secret = admin.add_centre(self.engine, self.key, code, f"Centre {code}", clock=self.clock)
        return Client(self.base_url, self.clock, code, secret)


@pytest.fixture
def central_url(pristine_pg_url: str) -> str:
    migrate.upgrade(pristine_pg_url)
    return pristine_pg_url


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a loopback port in a thread; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # requests wait in the backlog until uvicorn accepts: no start-up polling
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture
def central(central_url: str, tmp_path: Path) -> Iterator[Central]:
    key_file = tmp_path / "master.key"
    clock = FakeClock()
    app = create_app(central_url, key_file=key_file, clock=clock)
    engine = create_engine(central_url)
    try:
        with serve(app) as base_url:
            yield Central(central_url, base_url, clock, engine, MasterKey.load(key_file), key_file)
    finally:
        engine.dispose()


@pytest.fixture
def client(central: Central) -> Iterator[Client]:
    client = central.add_centre(CENTRE)
    yield client
    client.close()


# -- events as the counter makes them ------------------------------------------------------------


def dossier_code(number: int = 1, agency: str = CENTRE) -> str:
    return f"{agency}-261207-{number:04d}"


def _event(
    code: str, seq: int, type_: str, payload: dict[str, Any], event_id: str | None = None
) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "dossier_code": code,
        "seq": seq,
        "type": type_,
        "occurred_at": (datetime(2026, 12, 7, 8, 0) + timedelta(minutes=seq)).isoformat() + "+07:00",
        "actor": "lan",
        "payload": payload,
    }


def first_event(
    code: str, type_: str = "received", *, files: list[str] | None = None, procedure: str = PROCEDURE
) -> dict[str, Any]:
    snapshot = {
        "code": code,
        "procedure_code": procedure,
        "applicant": {
            "kind": "individual",
            "name": "Nguyễn Văn An",
            "id_number": "001090012345",
            "phone": "0912345678",
        },
        "documents": [
            {"position": 1, "name": "Tờ khai", "kind": "original", "copies": 1, "files": files or []}
        ],
        "fee": 0,
        "channel": "counter",
        "received_at": "2026-12-07T08:01:00+07:00",
        "appointment_at": "2026-12-10T08:01:00+07:00",
    }
    payload: dict[str, Any] = {"dossier": snapshot}
    if type_ == "refused":
        payload["reason"] = "Không thuộc thẩm quyền"
    if type_ == "supplement_requested":
        payload.update({"reason": "Thiếu giấy tờ", "missing": ["Bản sao CCCD"], "deadline": "2026-12-14"})
    return _event(code, 1, type_, payload)


def next_event(code: str, seq: int, type_: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    return _event(code, seq, type_, payload or {})


# -- a counter linked to this central ------------------------------------------------------------


@pytest.fixture
def owner(central: Central, clock: ManualClock) -> Iterator[Client]:
    """The counter's centre as central knows it; its signed client reads central's view of dossiers."""
    central.clock.now = clock.now()  # the two machines' clocks agree (NTP); skew is tested in test_auth
    client = central.add_centre(CENTRE)
    yield client
    client.close()


@pytest.fixture
def linked(centre: Centre, owner: Client, central: Central, clock: ManualClock) -> Centre:
    """A counter (tests/conftest.py's centre, with the intake catalogue) whose sync link points here."""
    set_up_intake(centre.app, centre.admin)
    configure(centre.app.db, central.base_url, CENTRE, owner.secret, clock.now())
    return centre
