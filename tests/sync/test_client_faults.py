"""The sync client's bookkeeping under faults, on both databases, against an in-test fake of central.

The fake keeps the events it "stored" by event_id, like the contract's server, and can be told to fail
(500, 429 with Retry-After, a connection dropped after storing, 401, an unreadable answer). The main
path against the real server (uvicorn + PostgreSQL) is tested with central itself.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from counter_app.db.models import DossierEvent, StoredFile
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.services.dossier_requests import DocumentTick, NewFile, SupplementRequest
from counter_app.sync.client import IDLE_SECONDS, SyncClient
from counter_app.sync.link import configure, link_state
from counter_app.sync.signing import signature
from counter_app.sync.worker import SyncWorker
from tests.conftest import Centre
from tests.support.intake import BUILD, DAO, LAND, request, set_up_intake

SECRET = "a-centre-secret-of-the-province"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@dataclass
class FakeCentral:
    """What the contract's server does with events and files, plus the faults a test asks for."""

    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)  # consumed one per request
    reject: set[tuple[str, int]] = field(default_factory=set)  # (dossier code, seq) to reject
    last_seq: dict[str, int] = field(default_factory=dict)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":  # no calendar or catalogue here: as if that part were down
            return httpx.Response(503, headers={"Retry-After": "30"})
        self.requests.append((request.method, request.url.path))
        body = request.read()
        expected = signature(
            SECRET, request.method, request.url.path, int(request.headers["X-Timestamp"]), body
        )
        assert request.headers["X-Signature"] == expected
        fault = self.faults.pop(0) if self.faults else ""
        if fault == "500":
            return httpx.Response(500)
        if fault == "429":
            return httpx.Response(429, headers={"Retry-After": "120"})
        if fault == "401":
            return httpx.Response(401, json={"detail": "bad signature"})
        if request.method == "PUT":
            self.files.add(request.url.path.rsplit("/", 1)[1])
            return httpx.Response(200, json={"status": "stored"})
        results = [self._event(event) for event in json.loads(body)["events"]]
        if fault == "drop":  # stored, then the connection died before the answer
            raise httpx.ReadError("connection reset", request=request)
        if fault == "garbage":
            return httpx.Response(200, text="<html>proxy error</html>")
        return httpx.Response(200, json={"results": results})

    def _event(self, event: dict[str, Any]) -> dict[str, Any]:
        if event["event_id"] in self.stored:
            return {"event_id": event["event_id"], "status": "duplicate"}
        expected = self.last_seq.get(event["dossier_code"], 0) + 1
        if event["seq"] != expected:
            return {
                "event_id": event["event_id"],
                "status": "rejected",
                "error": "seq_gap",
                "expected_seq": expected,
            }
        if (event["dossier_code"], event["seq"]) in self.reject:
            return {
                "event_id": event["event_id"],
                "status": "rejected",
                "error": "bad_transition",
                "message": "not allowed here",
            }
        for document in event["payload"].get("dossier", {}).get("documents", []):
            for sha in document.get("files", []):
                if sha not in self.files:
                    return {"event_id": event["event_id"], "status": "rejected", "error": "missing_file"}
        self.stored[event["event_id"]] = event
        self.last_seq[event["dossier_code"]] = event["seq"]
        return {"event_id": event["event_id"], "status": "accepted"}


@pytest.fixture
def desk(centre: Centre, clock: ManualClock) -> Centre:
    set_up_intake(centre.app, centre.admin)
    configure(
        centre.app.db, "http://central.test/", centre.app.settings.get().agency_code, SECRET, clock.now()
    )
    return centre


def client_for(desk: Centre, central: FakeCentral, clock: ManualClock, batch_size: int = 500) -> SyncClient:
    return SyncClient(
        desk.app.db,
        clock,
        transport=httpx.MockTransport(central),
        batch_size=batch_size,
        rng=random.Random(3),
    )


def unacknowledged(desk: Centre) -> int:
    with desk.app.db.reading() as session:
        return int(session.scalar(select(func.count()).where(DossierEvent.acknowledged_at.is_(None))) or 0)


def local_events(desk: Centre) -> list[str]:
    with desk.app.db.reading() as session:
        return list(session.scalars(select(DossierEvent.event_id).order_by(DossierEvent.id)))


def test_a_drain_sends_everything_once_in_commit_order(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    codes = [app.dossiers.receive(desk.lan, request(BUILD)).code for _ in range(3)]
    app.dossiers.transfer(desk.lan, codes[0], "Phòng Kinh tế")
    central = FakeCentral()
    report = client_for(desk, central, clock, batch_size=2).run_once()
    assert report.drained and report.error is None
    assert (report.batches, report.sent, report.acknowledged) == (2, 4, 4)
    assert list(central.stored) == local_events(desk)
    assert unacknowledged(desk) == 0
    assert client_for(desk, central, clock).run_once().sent == 0  # nothing sent twice
    state = link_state(app.db)
    assert state is not None and state.last_success_at == clock.now() and state.failures == 0


def test_files_go_up_before_the_event_that_names_them(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    app.dossiers.receive(
        desk.lan, request(BUILD, documents=(DocumentTick(1, files=(NewFile("don.pdf", PDF),)),))
    )
    central = FakeCentral()
    report = client_for(desk, central, clock).run_once()
    assert report.uploaded == 1 and report.acknowledged == 1
    assert [method for method, _path in central.requests] == ["PUT", "POST"]
    with app.db.reading() as session:
        assert session.scalar(select(StoredFile.uploaded_at)) == clock.now()
    app.dossiers.receive(desk.minh, request(LAND, DAO))
    client_for(desk, central, clock).run_once()
    assert [method for method, _path in central.requests] == ["PUT", "POST", "POST"]  # not uploaded again


@pytest.mark.parametrize("fault", ["500", "429", "drop", "garbage"])
def test_a_failed_batch_is_retried_later_and_nothing_is_lost_or_doubled(
    desk: Centre, clock: ManualClock, fault: str
) -> None:
    app = desk.app
    for _ in range(3):
        app.dossiers.receive(desk.lan, request(BUILD))
    central = FakeCentral(faults=[fault])
    first = client_for(desk, central, clock).run_once()
    assert not first.drained and first.error and first.retry_in is not None
    if fault == "429":
        assert first.retry_in >= 120  # Retry-After is a floor
    assert unacknowledged(desk) == 3
    state = link_state(app.db)
    assert state is not None and state.failures == 1 and state.last_error
    second = client_for(desk, central, clock).run_once()
    assert second.drained and unacknowledged(desk) == 0
    assert list(central.stored) == local_events(desk)
    if fault == "drop":  # central had stored them: the resend came back duplicate
        assert {a.status for a in second.answers} == {"duplicate"}


def test_failures_in_a_row_back_off_further(desk: Centre, clock: ManualClock) -> None:
    desk.app.dossiers.receive(desk.lan, request(BUILD))
    central = FakeCentral(faults=["500"] * 6)
    delays = [client_for(desk, central, clock).run_once().retry_in for _ in range(6)]
    assert all(d is not None for d in delays)
    assert max(d for d in delays[3:] if d) > min(d for d in delays[:2] if d)


def test_a_refused_signature_needs_a_person_and_keeps_everything(desk: Centre, clock: ManualClock) -> None:
    desk.app.dossiers.receive(desk.lan, request(BUILD))
    report = client_for(desk, FakeCentral(faults=["401"]), clock).run_once()
    assert report.permanent and "401" in (report.error or "")
    assert unacknowledged(desk) == 1


def test_a_rejected_event_holds_back_only_its_own_dossier(desk: Centre, clock: ManualClock) -> None:
    app = desk.app
    blocked = app.dossiers.receive(desk.lan, request(BUILD)).code
    other = app.dossiers.receive(desk.minh, request(LAND, DAO)).code
    central = FakeCentral(reject={(blocked, 2)})
    client_for(desk, central, clock).run_once()  # both first events go
    clock.set(local(2026, 12, 8, 9, 0))
    app.dossiers.request_supplement(desk.lan, blocked, SupplementRequest(("3",)))  # seq 2: rejected
    app.dossiers.complete_supplement(desk.lan, blocked)  # seq 3: held back
    app.dossiers.transfer(desk.minh, other, "Văn phòng đăng ký đất đai")  # other dossier: goes
    report = client_for(desk, central, clock).run_once()
    assert report.drained and report.rejected == 1
    sent = {(e["dossier_code"], e["seq"]) for e in central.stored.values()}
    assert sent == {(blocked, 1), (other, 1), (other, 2)}
    with app.db.reading() as session:
        rejected = session.execute(
            select(DossierEvent.seq, DossierEvent.rejected_code, DossierEvent.last_error).where(
                DossierEvent.rejected_code.is_not(None)
            )
        ).all()
    assert [tuple(r) for r in rejected] == [(2, "bad_transition", "not allowed here")]
    assert unacknowledged(desk) == 2  # the rejected one and the one it holds back
    assert client_for(desk, central, clock).run_once().sent == 0  # not retried blindly


def test_the_worker_backs_off_after_a_failure_then_idles_and_stops_when_told(
    desk: Centre, clock: ManualClock
) -> None:
    desk.app.dossiers.receive(desk.lan, request(BUILD))
    central = FakeCentral(faults=["500"])
    waits: list[float] = []

    def wait(seconds: float) -> bool:  # the worker's pause; True means "stop now"
        waits.append(seconds)
        return len(waits) == 3

    worker = SyncWorker(desk.app, transport=httpx.MockTransport(central))
    worker.run(threading.Event(), wait=wait)
    assert waits[0] != IDLE_SECONDS and 0.5 <= waits[0] <= 1.0  # first failure: up to 1 s
    assert waits[1:] == [IDLE_SECONDS, IDLE_SECONDS]
    assert unacknowledged(desk) == 0
    # The fake has no calendar or catalogue: the pull at start failed and is due again each round.
    assert worker.last_pull is None
