"""A display on another machine: calls reach it by PostgreSQL NOTIFY, and a real outage hides its numbers.

The outage is real but confined to the display: it connects as its own login role, and the test
withdraws that role's right to log in and ends its sessions (the listener's and the pool's), as a
cut cable would. The counter machine keeps working meanwhile, so the display must show, after it
reconnects, a call it never heard about (from its fresh snapshot, without announcing it late).
The shared throwaway server is never stopped: other tests keep using it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from counter_app.services.app import CounterApp
from counter_app.services.pg_events import PostgresEventBridge, libpq_conninfo
from tests.conftest import build_centre
from tests.ui.display.conftest import A001_SENTENCE, CENTRE_NAME, FakeVoice, QuickPlayer
from ui.display.announcer import Announcer
from ui.display.window import DisplayWindow

pytestmark = pytest.mark.postgres


@pytest.fixture
def display_role(pg_database: Database) -> Iterator[str]:
    """A login role of the display's own (superuser: no grants to manage), dropped afterwards."""
    role = f"display_{uuid.uuid4().hex[:8]}"
    admin = libpq_conninfo(pg_database.url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN SUPERUSER")
    yield role
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))
        conn.execute(f"DROP ROLE IF EXISTS {role}")


def cut_off(pg_database: Database, role: str, *, cut: bool) -> None:
    with psycopg.connect(libpq_conninfo(pg_database.url), autocommit=True) as conn:
        conn.execute(f"ALTER ROLE {role} {'NOLOGIN' if cut else 'LOGIN'}")
        if cut:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))


def test_a_call_from_another_machine_reaches_the_display_and_an_outage_hides_its_numbers(
    qtbot: QtBot, pg_database: Database, clock: ManualClock, display_role: str
) -> None:
    counter_machine = CounterApp(pg_database, clock)
    centre = build_centre(counter_machine)
    counter_machine.queue.issue(centre.kiosk, "A")
    counter_machine.queue.issue(centre.kiosk, "A")
    display_machine = CounterApp(Database(pg_database.url.set(username=display_role)), clock)
    bridge = PostgresEventBridge(
        display_machine.db.url, display_machine.bus, poll_seconds=0.1, max_backoff=0.5
    )
    bridge.start()
    announcer = Announcer(display_machine.settings.get, FakeVoice(), player=QuickPlayer())
    window = DisplayWindow(
        display_machine, centre.display, centre_name=CENTRE_NAME, announcer=announcer, bridge=bridge
    )
    qtbot.addWidget(window)
    try:
        assert bridge.connected.wait(10)
        window.show()
        window.start()
        qtbot.waitUntil(lambda: window.online, timeout=10_000)

        counter_machine.queue.call_next(centre.lan, "01")  # another bus: only NOTIFY carries it
        qtbot.waitUntil(lambda: window.latest_number.text() == "A001", timeout=10_000)
        qtbot.waitUntil(lambda: announcer.spoken == [A001_SENTENCE] and not announcer.busy, timeout=10_000)

        cut_off(pg_database, display_role, cut=True)
        qtbot.waitUntil(window.banner.isVisible, timeout=10_000)  # within the 1 s watch
        assert not window.online and not window.numbers.isVisibleTo(window)
        assert not any("A001" in text for text in window.visible_texts())

        counter_machine.queue.finish(centre.lan, "01")
        counter_machine.queue.call_next(centre.lan, "01")  # A002, while the display is cut off
        qtbot.wait(1500)  # a few retries fail meanwhile: the banner stays
        assert window.banner.isVisible() and not window.online

        cut_off(pg_database, display_role, cut=False)
        qtbot.waitUntil(lambda: window.online, timeout=15_000)
        assert not window.banner.isVisible()
        assert window.latest_number.text() == "A002"  # from the fresh snapshot
        assert window.counter_tiles["01"].text() == "A002"
        assert announcer.spoken == [A001_SENTENCE]  # the missed call is shown, not announced late
        assert bridge.generation >= 2
    finally:
        window.close()
        announcer.close()
        bridge.stop()
        display_machine.db.dispose()
