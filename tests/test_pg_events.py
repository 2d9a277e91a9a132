"""Across machines, queue events travel by PostgreSQL NOTIFY (sent only when the change commits)."""

from __future__ import annotations

import queue as stdlib_queue

import pytest

from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from counter_app.domain.errors import ConflictError
from counter_app.domain.queue import QueueEventKind
from counter_app.services.app import CounterApp
from counter_app.services.events import QueueEventMessage
from counter_app.services.pg_events import PostgresEventBridge
from tests.conftest import build_centre

pytestmark = pytest.mark.postgres


def listen(app: CounterApp) -> tuple[PostgresEventBridge, stdlib_queue.Queue[QueueEventMessage]]:
    received: stdlib_queue.Queue[QueueEventMessage] = stdlib_queue.Queue()
    app.bus.subscribe(received.put)
    bridge = PostgresEventBridge(app.db.url, app.bus, poll_seconds=0.1).start()
    assert bridge.connected.wait(10), "the listener did not connect"
    return bridge, received


def test_a_display_on_another_machine_sees_committed_changes_only(
    pg_database: Database, clock: ManualClock
) -> None:
    counter_machine = CounterApp(pg_database, clock)
    centre = build_centre(counter_machine)
    display_machine = CounterApp(Database(pg_database.url), clock)  # its own engine and bus
    bridge, received = listen(display_machine)
    try:
        counter_machine.queue.issue(centre.kiosk, "A")
        counter_machine.queue.call_next(centre.lan, "01")
        with pytest.raises(ConflictError):
            counter_machine.queue.call_next(centre.lan, "01")  # rolled back: its NOTIFY must not escape
        counter_machine.queue.recall(centre.lan, "01")
        counter_machine.queue.issue(centre.kiosk, "B")  # a sentinel: NOTIFYs arrive in commit order
        events = [received.get(timeout=10) for _ in range(4)]
        assert [e.kind for e in events] == [
            QueueEventKind.ISSUED,
            QueueEventKind.CALLED,
            QueueEventKind.RECALLED,
            QueueEventKind.ISSUED,
        ]
        assert (events[1].payload["number"], events[1].payload["counter"]) == ("A001", "01")
        assert events[3].payload["number"] == "B001"
        assert received.empty()
    finally:
        bridge.stop()
        display_machine.db.dispose()


def test_events_of_its_own_bus_are_not_delivered_twice(pg_database: Database, clock: ManualClock) -> None:
    app = CounterApp(pg_database, clock)
    centre = build_centre(app)
    other = CounterApp(Database(pg_database.url), clock)
    bridge, received = listen(app)
    try:
        app.queue.issue(centre.kiosk, "A")  # published on this bus at commit
        other.queue.issue(centre.kiosk, "B")  # arrives by NOTIFY, after A001's own NOTIFY (commit order)
        numbers = [received.get(timeout=10).payload["number"] for _ in range(2)]
        assert numbers == ["A001", "B001"]
        assert received.empty(), "A001's NOTIFY came back to the bus that sent it"
    finally:
        bridge.stop()
        other.db.dispose()
