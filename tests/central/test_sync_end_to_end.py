"""The counter's sync client against the real central (uvicorn + PostgreSQL), with faults injected on the
way: what central holds at the end equals what the centre produced, event for event, nothing twice.

The faults sit in an httpx transport between the client and the real server, like a flaky proxy: a 500
before the server saw the batch, a 502 after it stored it, 429 with Retry-After, a connection dropped
after the server answered, an answer slower than the client's time-out (raised as the time-out once
the server has answered: no test waits for real). Time is simulated: each retry moves both clocks by
the client's delay.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql

from counter_app.db.models import DossierEvent
from counter_app.domain.clock import ManualClock
from counter_app.services.dossier_requests import DocumentTick, NewFile, SupplementRequest
from counter_app.sync.client import SyncClient
from counter_app.sync.reconcile import Difference, reconcile
from tests.central.conftest import Central, Client
from tests.conftest import Centre
from tests.support.intake import BUILD, COPY, DAO, LAND, request

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

pytestmark = pytest.mark.postgres


class FlakyProxy(httpx.BaseTransport):
    """Forwards to the real server, failing on the requests ``plan`` names (cycled)."""

    def __init__(self, plan: list[str]) -> None:
        self.real = httpx.HTTPTransport()
        self.plan: Iterator[str] = itertools.cycle(plan)
        self.faults: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = next(self.plan)
        self.faults.append(fault)
        if fault == "500-before":
            return httpx.Response(500, request=request)
        if fault == "429":
            return httpx.Response(429, headers={"Retry-After": "7"}, request=request)
        response = self.real.handle_request(request)
        response.read()
        if fault == "500-after":  # the server stored the batch, the proxy lost its answer
            return httpx.Response(502, request=request)
        if fault == "drop":
            raise httpx.RemoteProtocolError("connection dropped mid-answer", request=request)
        if fault == "slow":  # the answer came after the client's time-out: the server did the work
            raise httpx.ReadTimeout("central answered too slowly", request=request)
        return response

    def close(self) -> None:
        self.real.close()


def busy_morning(desk: Centre, clock: ManualClock) -> list[str]:
    """Dossiers in every shape the contract knows: files, incomplete then completed, refused, transfers."""
    app = desk.app
    codes = [
        app.dossiers.receive(
            desk.lan, request(BUILD, documents=(DocumentTick(1, files=(NewFile("don.pdf", PDF),)),))
        ).code
    ]
    codes.append(
        app.dossiers.receive_incomplete(desk.minh, request(LAND, DAO), SupplementRequest(("2",))).code
    )
    codes.append(app.dossiers.refuse_at_counter(desk.lan, request(COPY), "Không thuộc thẩm quyền").code)
    for index in range(6):
        codes.append(app.dossiers.receive(desk.lan if index % 2 else desk.minh, request(COPY)).code)
    clock.advance(minutes=30)
    app.dossiers.complete_supplement(desk.minh, codes[1])
    app.dossiers.transfer(desk.lan, codes[0], "Phòng Kinh tế")
    for code in codes[3:6]:
        app.dossiers.transfer(desk.lan, code, "UBND xã")
        app.dossiers.result_ready(desk.lan, code)
    return codes


def drain(desk: Centre, central: Central, clock: ManualClock, transport: httpx.BaseTransport) -> int:
    """Run the client until the outbox is empty, waiting (simulated) as it asks; returns the runs."""
    client = SyncClient(desk.app.db, clock, transport=transport, batch_size=4, rng=random.Random(5))
    central.clock.now = clock.now()  # the two machines' clocks agree (NTP); skew is tested in test_auth
    for runs in range(1, 200):
        report = client.run_once()
        assert not report.permanent, report.error
        if report.drained:
            return runs
        assert report.retry_in is not None
        clock.advance(seconds=report.retry_in)
        central.clock.now = clock.now()
    raise AssertionError("the outbox never drained")


def local_history(desk: Centre) -> dict[str, list[tuple[str, int, str]]]:
    with desk.app.db.reading() as session:
        rows = session.execute(
            select(
                DossierEvent.dossier_code, DossierEvent.event_id, DossierEvent.seq, DossierEvent.type
            ).order_by(DossierEvent.id)
        ).all()
    history: dict[str, list[tuple[str, int, str]]] = {}
    for code, event_id, seq, type_ in rows:
        history.setdefault(code, []).append((event_id, seq, type_.value))
    return history


def assert_central_holds_exactly(desk: Centre, central: Central) -> None:
    history = local_history(desk)
    with central.engine.connect() as connection:
        stored = connection.execute(
            sql("SELECT dossier_code, event_id, seq, type FROM events ORDER BY dossier_code, seq")
        ).all()
        per_dossier: dict[str, int] = {
            code: last_seq
            for code, last_seq in connection.execute(sql("SELECT code, last_seq FROM dossiers"))
        }
    on_central: dict[str, list[tuple[str, int, str]]] = {}
    for code, event_id, seq, type_ in stored:
        on_central.setdefault(code, []).append((str(event_id), seq, type_))
    assert on_central == history  # same events, same ids, same order: nothing lost, nothing twice
    assert per_dossier == {code: len(events) for code, events in history.items()}
    with desk.app.db.reading() as session:
        assert session.scalar(select(func.count()).where(DossierEvent.acknowledged_at.is_(None))) == 0


def test_a_clean_link_drains_the_morning_and_the_dossier_views_agree(
    linked: Centre, central: Central, owner: Client, clock: ManualClock
) -> None:
    codes = busy_morning(linked, clock)
    assert drain(linked, central, clock, httpx.HTTPTransport()) == 1
    assert_central_holds_exactly(linked, central)
    history = local_history(linked)
    for code in codes:  # GET /api/v1/dossiers/{code}: central's view equals the local history
        view = owner.get(f"/api/v1/dossiers/{code}")
        assert view.status_code == 200, view.text
        body = view.json()
        assert [(e["event_id"], e["seq"], e["type"]) for e in body["events"]] == history[code]
        assert body["last_seq"] == len(history[code])


@pytest.mark.parametrize(
    "plan",
    [
        ["ok", "500-before", "ok"],  # one batch in three refused
        ["500-after", "ok", "drop", "ok"],  # stored but the answer lost, twice
        ["429", "ok", "ok"],
        ["drop"] * 3 + ["ok"] * 2,
        ["slow", "ok", "slow", "500-before", "ok"],
    ],
    ids=["500-one-in-three", "lost-answers", "429-retry-after", "dropped-connections", "slow-answers"],
)
def test_faults_on_the_way_end_with_exactly_the_centres_events(
    linked: Centre, central: Central, clock: ManualClock, plan: list[str]
) -> None:
    busy_morning(linked, clock)
    proxy = FlakyProxy(plan)
    runs = drain(linked, central, clock, proxy)
    assert runs > 1 and set(plan) - {"ok"} <= set(proxy.faults)
    assert_central_holds_exactly(linked, central)


def test_offline_for_days_then_the_backlog_goes_in_order(
    linked: Centre, central: Central, clock: ManualClock
) -> None:
    refused = FlakyProxy(["500-before"])
    client = SyncClient(linked.app.db, clock, transport=refused, rng=random.Random(1))
    day_one = busy_morning(linked, clock)
    for _day in range(3):  # three days with central down: the counter keeps receiving
        clock.advance(timedelta(days=1))
        report = client.run_once()
        assert report.error and report.retry_in is not None and report.retry_in <= 300
        linked.app.dossiers.receive(linked.lan, request(COPY))
    assert drain(linked, central, clock, httpx.HTTPTransport()) >= 1
    assert_central_holds_exactly(linked, central)
    assert len(day_one) == 9


def test_reconcile_finds_what_central_lacks_and_what_it_has_extra(
    linked: Centre, central: Central, owner: Client, clock: ManualClock
) -> None:
    codes = busy_morning(linked, clock)
    central.clock.now = clock.now()
    before = reconcile(linked.app, codes[:2], clock=clock)
    assert {d.kind for d in before} == {"missing_on_central"} and not any(d.acknowledged for d in before)
    drain(linked, central, clock, httpx.HTTPTransport())
    central.clock.now = clock.now()
    assert reconcile(linked.app, clock=clock) == []
    # Central restored from an old backup: it lost the last event of a dossier it had acknowledged.
    with central.engine.begin() as connection:
        connection.execute(sql("DELETE FROM events WHERE dossier_code = :c AND seq = 2"), {"c": codes[0]})
    central.clock.now = clock.now()
    assert reconcile(linked.app, [codes[0]], clock=clock) == [
        Difference(codes[0], 2, "missing_on_central", True)
    ]
