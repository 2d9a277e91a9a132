"""Call next is atomic: eight counters calling at once never share a ticket and never skip one."""

from __future__ import annotations

import threading
from collections import Counter as Tally

import pytest
from sqlalchemy import select

from counter_app.db.database import Database
from counter_app.db.models import Dossier, Ticket
from counter_app.domain.clock import ManualClock
from counter_app.domain.queue import TicketStatus
from counter_app.domain.roles import Role
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from tests.conftest import PASSWORD
from tests.support.intake import COPY, request, set_up_intake

COUNTERS = 8
TICKETS = 240


def run_counters(db: Database, clock: ManualClock) -> tuple[list[str], dict[str, list[str]]]:
    """Issue the tickets, then let eight counters, each on its own connection pool, drain the queue."""
    setup = CounterApp(db, clock)
    system = Actor.system("test")
    for prefix, name in (("A", "Hộ tịch"), ("B", "Đất đai"), ("C", "Đăng ký kinh doanh")):
        setup.catalogue.add_area(system, prefix, name)
    officers = []
    for i in range(1, COUNTERS + 1):
        label = f"{i:02d}"
        setup.catalogue.add_counter(system, label, ["A", "B", "C"][i % 3 :] + ["A", "B", "C"][: i % 3])
        officer = setup.users.add(system, f"canbo{i}", Role.OFFICER, PASSWORD)
        actor = Actor(officer.id, officer.username, officer.role)
        setup.counters.open(actor, label)
        officers.append((label, actor))
    issued = [
        setup.queue.issue(system, "ABC"[n % 3], priority=n % 7 == 0).ticket.number for n in range(TICKETS)
    ]

    barrier = threading.Barrier(COUNTERS)
    called: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def counter_loop(label: str, officer: Actor) -> None:
        own_db = Database(db.url)  # a separate engine and pool, as on a separate machine
        app = CounterApp(own_db, clock)
        mine: list[str] = []
        try:
            barrier.wait()
            while (ticket := app.queue.call_next(officer, label)) is not None:
                mine.append(ticket.number)
                app.queue.finish(officer, label)
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            called[label] = mine
            own_db.dispose()

    threads = [threading.Thread(target=counter_loop, args=officer) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    return issued, called


def assert_each_called_once(db: Database, issued: list[str], called: dict[str, list[str]]) -> None:
    everything = [n for numbers in called.values() for n in numbers]
    duplicates = [n for n, times in Tally(everything).items() if times > 1]
    assert duplicates == [], f"tickets called by two counters: {duplicates}"
    assert sorted(everything) == sorted(issued), "every ticket must be called exactly once"
    with db.reading() as session:
        statuses = set(session.scalars(select(Ticket.status)))
    assert statuses == {TicketStatus.FINISHED}
    assert sum(1 for numbers in called.values() if numbers) >= 2, "the counters really ran side by side"


@pytest.mark.postgres
def test_eight_counters_on_postgresql(pg_database: Database, clock: ManualClock) -> None:
    issued, called = run_counters(pg_database, clock)
    assert_each_called_once(pg_database, issued, called)


def test_eight_counters_on_sqlite(sqlite_database: Database, clock: ManualClock) -> None:
    issued, called = run_counters(sqlite_database, clock)
    assert_each_called_once(sqlite_database, issued, called)


def receive_concurrently(db: Database, clock: ManualClock, workers: int = 8, each: int = 15) -> list[str]:
    """Eight counters receiving dossiers at once, each on its own engine: every code must be new."""
    setup = CounterApp(db, clock)
    system = Actor.system("test")
    setup.catalogue.add_area(system, "A", "Hộ tịch")
    setup.catalogue.add_area(system, "B", "Đất đai")
    set_up_intake(setup, system)
    officers = []
    for i in range(workers):
        user = setup.users.add(system, f"canbo{i}", Role.OFFICER, PASSWORD)
        officers.append(Actor(user.id, user.username, user.role))
    barrier = threading.Barrier(workers)
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk(officer: Actor) -> None:
        own_db = Database(db.url)
        app = CounterApp(own_db, clock)
        try:
            barrier.wait()
            for _n in range(each):
                code = app.dossiers.receive(officer, request(COPY)).code
                with lock:
                    codes.append(code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own_db.dispose()

    threads = [threading.Thread(target=desk, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    return codes


@pytest.mark.postgres
def test_dossier_codes_from_eight_counters_on_postgresql(pg_database: Database, clock: ManualClock) -> None:
    codes = receive_concurrently(pg_database, clock)
    assert len(codes) == len(set(codes)) == 120
    # One transaction per intake and no rollbacks: the day's numbers are exactly 0001…0120.
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 121))
    with pg_database.reading() as session:
        assert sorted(session.scalars(select(Dossier.code))) == sorted(codes)


def test_dossier_codes_from_eight_counters_on_sqlite(sqlite_database: Database, clock: ManualClock) -> None:
    codes = receive_concurrently(sqlite_database, clock, workers=4, each=10)
    assert len(codes) == len(set(codes)) == 40
