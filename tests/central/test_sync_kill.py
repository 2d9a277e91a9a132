"""Killing the sync worker with SIGKILL at random instants never loses or doubles an event.

The counter (this process) keeps receiving dossiers while a separate worker process drains the outbox
to the real central in batches of 3; the worker is killed 24 times at random points. After every kill
the invariants hold (central holds nothing the centre did not produce, each event once, and nothing is
acknowledged locally that central does not hold); at the end a worker left alone drains the rest and
central holds exactly the centre's events. The kill instants are random on purpose: the assertions
hold whatever they are.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.db.models import DossierEvent
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import DocumentTick, NewFile
from counter_app.sync.link import configure
from tests.central.conftest import Central
from tests.conftest import build_centre
from tests.support.intake import AGENCY, BUILD, COPY, request, set_up_intake

ROOT = Path(__file__).resolve().parents[2]
KILLS = 24
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

pytestmark = pytest.mark.postgres


def local_events(db: Database) -> dict[str, bool]:
    """event_id → acknowledged?"""
    with db.reading() as session:
        rows = session.execute(select(DossierEvent.event_id, DossierEvent.acknowledged_at)).all()
    return {event_id: acked is not None for event_id, acked in rows}


def central_events(central: Central) -> list[str]:
    with central.engine.connect() as connection:
        return [str(e) for e in connection.execute(sql("SELECT event_id FROM events")).scalars()]


def start_worker(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.sync_worker", url, "3"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_sigkill_at_random_instants_loses_and_doubles_nothing(central: Central, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    db = Database(url)
    migrate.upgrade(db)
    # The counter works in "real" time here: the worker process signs with the system clock.
    now = datetime.now(UTC).astimezone(LOCAL_TZ)
    clock = ManualClock(now.replace(hour=9, minute=0, second=0, microsecond=0))
    app = CounterApp(db, clock)
    desk = build_centre(app)
    set_up_intake(app, desk.admin)
    app.settings.set(desk.admin, "reception_schedule", "00:00-23:59")  # any day, any hour: not under test
    owner = central.add_centre(AGENCY)
    owner.close()
    configure(db, central.base_url, AGENCY, owner.secret, clock.now())
    rng = random.Random(2026)

    def receive_some(count: int) -> None:
        for index in range(count):
            clock.advance(seconds=30)
            if index % 5 == 0:
                tick = DocumentTick(1, files=(NewFile(f"scan-{rng.random()}.pdf", PDF + os.urandom(8)),))
                app.dossiers.receive(desk.lan, request(BUILD, documents=(tick,)))
            else:
                app.dossiers.receive(desk.minh, request(COPY))

    receive_some(60)
    interrupted = 0
    for _kill in range(KILLS):
        central.clock.now = datetime.now(UTC)
        worker = start_worker(url)
        time.sleep(rng.uniform(0.2, 1.5))  # a random instant: the assertions below hold for any
        if worker.poll() is None:
            interrupted += 1
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        stored = central_events(central)
        mine = local_events(db)
        assert len(stored) == len(set(stored)), "central holds an event twice"
        assert set(stored) <= set(mine), "central holds an event the centre never produced"
        acknowledged = {event_id for event_id, acked in mine.items() if acked}
        assert acknowledged <= set(stored), "an event is marked acknowledged that central does not hold"
        receive_some(12)  # the counter keeps working between crashes
    central.clock.now = datetime.now(UTC)
    final = start_worker(url)
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()
    mine = local_events(db)
    assert sorted(central_events(central)) == sorted(mine)
    assert all(mine.values())
    assert interrupted >= 4, f"only {interrupted} kills hit a running worker: the test exercised nothing"
    db.dispose()
