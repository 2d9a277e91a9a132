"""Sync to central (issue: "a busy centre's week drains in under 60 s"): the real central, the real client.

Two measurements, each against the reference central (``central.app``) served by uvicorn on loopback in a
process of its own, on a throwaway PostgreSQL server with ``fsync=on`` (a fresh database per scenario):

1. Server throughput: ``--events`` events (default 20,000; 4 per dossier: ``received`` with the whole
   dossier, ``transferred``, ``result_ready``, ``returned``, built like tests/central/conftest.py's
   builders) posted in batches of 500 by one signed client; events/s over the whole run and p50/p99
   per batch, measured from the client side (the request, its answer and JSON decoding).
2. Drain: a counter's SQLite file (the product's pragmas: WAL, synchronous=FULL) with a backlog of
   ``--events`` and 5 × ``--events`` pending events (20,000 and 100,000), drained by
   ``SyncClient.run_once()`` (batches of 500). The backlog: 50 dossiers go through the real services
   (``Dossiers.receive``, ``transfer``, ``result_ready``, ``return_result``: 4 events each), then each is
   cloned with direct inserts until the backlog is full: a ``dossiers`` row copied column for column
   under a new code, and its ``dossier_events`` rows as counter_app/services/outbox.py writes them (new
   event_id, same seq, type, occurred_at and actor, the payload with the code replaced). Documents and
   files are not cloned (the sync reads only the outbox; the seed dossiers carry no files).

Every event must come back ``accepted`` and central must hold exactly the events sent, or the script
exits with status 1. Markdown on stdout, progress on stderr. ``--quick``: 2,000 and 10,000 events.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import socket
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from queue import Empty
from typing import Any, cast

import common  # puts the repository root on sys.path
import httpx
from sqlalchemy import Engine, Table, create_engine, func, insert, select, text

from central import admin, migrate
from central.contract import signature
from central.secrets import MasterKey
from counter_app.db import migrate as counter_migrate
from counter_app.db.database import Database
from counter_app.db.models import Dossier, DossierEvent
from counter_app.domain.clock import ManualClock, SystemClock
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import Receiver
from counter_app.sync.client import SyncClient
from counter_app.sync.link import configure
from tests.central.conftest import first_event, next_event
from tests.conftest import MONDAY_0800, build_centre
from tests.support.intake import AGENCY, BUILD, COPY, DAO, LAND, request, set_up_intake
from tests.support.pgserver import ThrowawayPostgres

BATCH = 500
SEED_DOSSIERS = 50
EVENTS_PER_DOSSIER = 4
TARGET_SECONDS = 60.0


# -- central in a process of its own -------------------------------------------------------------------


def _serve_central(database_url: str, key_file: str, ports: multiprocessing.Queue[int]) -> None:
    import uvicorn

    from central.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    app = create_app(database_url, key_file=key_file)
    ports.put(sock.getsockname()[1])
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


@dataclass
class CentralServer:
    base_url: str
    engine: Engine
    secret: str
    version: str

    def stored_events(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM events")).scalar_one())


@contextmanager
def central_server(pg: ThrowawayPostgres, name: str) -> Iterator[CentralServer]:
    """A migrated central database ``name``, the app serving it on loopback, and the centre's secret."""
    url = pg.create_database(name)
    migrate.upgrade(url)
    engine = create_engine(url)
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as folder:
        key_file = Path(folder) / "master.key"
        key = MasterKey.load(key_file)
        secret = admin.add_centre(engine, key, AGENCY, "Trung tâm phục vụ hành chính công (bench)")
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar_one())
            fsync = connection.exec_driver_sql("SHOW fsync").scalar_one()
            sync = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
        context = multiprocessing.get_context("spawn")
        ports: multiprocessing.Queue[int] = context.Queue()
        process = context.Process(target=_serve_central, args=(url, str(key_file), ports), daemon=True)
        process.start()
        try:
            try:
                port = ports.get(timeout=60)
            except Empty:
                raise RuntimeError("central did not start") from None
            base_url = f"http://127.0.0.1:{port}"
            for _attempt in range(100):
                try:
                    if httpx.get(f"{base_url}/api/v1/health", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield CentralServer(
                base_url, engine, secret, f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={sync})"
            )
        finally:
            process.terminate()
            process.join(timeout=30)
            engine.dispose()
            pg.drop_database(name)


# -- 1. server throughput ------------------------------------------------------------------------------


def dossier_events(number: int) -> list[dict[str, Any]]:
    code = f"{AGENCY}-261207-{number:06d}"
    return [
        first_event(code),
        next_event(code, 2, "transferred", {"unit": "Phòng Kinh tế", "note": ""}),
        next_event(code, 3, "result_ready", {"summary": "Giấy phép xây dựng", "pages": 2}),
        next_event(code, 4, "returned", {"returned_at": "2026-12-10T09:00:00+07:00", "officer": "lan"}),
    ]


@dataclass
class Throughput:
    events: int
    batches: int
    seconds: float
    latencies: list[float]  # seconds per batch
    accepted: int
    stored: int
    cpu: str


def server_throughput(server: CentralServer, events: int) -> Throughput:
    dossiers = max(1, events // EVENTS_PER_DOSSIER)
    all_events = [event for number in range(1, dossiers + 1) for event in dossier_events(number)]
    bodies = [
        json.dumps({"events": all_events[i : i + BATCH]}, ensure_ascii=False).encode("utf-8")
        for i in range(0, len(all_events), BATCH)
    ]
    latencies: list[float] = []
    accepted = 0
    gc.collect()
    cpu = common.CpuAccount()
    started = time.perf_counter()
    with httpx.Client(base_url=server.base_url, timeout=120) as http:
        for index, body in enumerate(bodies):
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "X-Centre": AGENCY,
                "X-Timestamp": str(timestamp),
                "X-Signature": signature(server.secret, "POST", "/api/v1/events", timestamp, body),
            }
            begin = time.perf_counter()
            response = http.post("/api/v1/events", content=body, headers=headers)
            results = response.json()["results"] if response.status_code == 200 else []
            latencies.append(time.perf_counter() - begin)
            if response.status_code != 200:
                raise RuntimeError(f"batch {index}: {response.status_code} {response.text[:300]}")
            accepted += sum(1 for r in results if r["status"] == "accepted")
            if (index + 1) % 10 == 0:
                print(f"  throughput: {index + 1}/{len(bodies)} batches", file=sys.stderr)
    seconds = time.perf_counter() - started
    account = cpu.stop()
    return Throughput(
        len(all_events), len(bodies), seconds, latencies, accepted, server.stored_events(), account.describe()
    )


# -- 2. drain a counter's backlog ----------------------------------------------------------------------


def seed_backlog(db: Database, events: int) -> tuple[int, float, float]:
    """Fill the outbox with ``events`` pending events; (dossiers, seconds via services, seconds cloning)."""
    clock = ManualClock(MONDAY_0800)
    app = CounterApp(db, clock)
    desk = build_centre(app)
    set_up_intake(app, desk.admin)
    dossiers = max(1, events // EVENTS_PER_DOSSIER)
    seeds = min(SEED_DOSSIERS, dossiers)
    started = time.perf_counter()
    for index in range(seeds):
        officer = desk.lan if index % 2 else desk.minh
        shape = (request(BUILD), request(LAND, DAO), request(COPY))[index % 3]
        code = app.dossiers.receive(officer, shape).code
        clock.advance(minutes=2)
        app.dossiers.transfer(officer, code, "Phòng Kinh tế")
        app.dossiers.result_ready(officer, code, "Kết quả", 1)
        app.dossiers.return_result(
            officer,
            code,
            Receiver("Trần Thị Bình", "001190012345", "Giấy ủy quyền") if index % 5 == 0 else None,
        )
    via_services = time.perf_counter() - started
    started = time.perf_counter()
    dossier_table, event_table = cast(Table, Dossier.__table__), cast(Table, DossierEvent.__table__)
    with db.transaction() as session:
        seed_rows = [
            dict(row)
            for row in session.execute(select(dossier_table).order_by(dossier_table.c.id)).mappings()
        ]
        seed_events: dict[int, list[dict[str, Any]]] = {}
        for row in session.execute(select(event_table).order_by(event_table.c.id)).mappings():
            seed_events.setdefault(row["dossier_id"], []).append(dict(row))
        if any(len(seed_events[row["id"]]) != EVENTS_PER_DOSSIER for row in seed_rows):
            raise RuntimeError("a seed dossier does not have exactly 4 events")
        next_id = max(row["id"] for row in seed_rows) + 1
        clones = dossiers - seeds
        chunk = 2_000
        for first in range(0, clones, chunk):
            new_dossiers: list[dict[str, Any]] = []
            new_events: list[dict[str, Any]] = []
            for number in range(first, min(clones, first + chunk)):
                seed = seed_rows[number % seeds]
                code = f"{AGENCY}-261207-{100_000 + number:07d}"
                dossier_id = next_id + number
                new_dossiers.append({**seed, "id": dossier_id, "code": code})
                for event in seed_events[seed["id"]]:
                    payload = json.loads(json.dumps(event["payload"]).replace(seed["code"], code))
                    new_events.append(
                        {
                            **{k: v for k, v in event.items() if k != "id"},
                            "event_id": str(uuid.uuid4()),
                            "dossier_id": dossier_id,
                            "dossier_code": code,
                            "payload": payload,
                        }
                    )
            session.execute(insert(dossier_table), new_dossiers)
            session.execute(insert(event_table), new_events)
    cloning = time.perf_counter() - started
    with db.reading() as session:
        pending = session.scalar(select(func.count()).where(DossierEvent.acknowledged_at.is_(None)))
    if pending != dossiers * EVENTS_PER_DOSSIER:
        raise RuntimeError(f"{pending} pending events, expected {dossiers * EVENTS_PER_DOSSIER}")
    return dossiers, via_services, cloning


@dataclass
class Drain:
    events: int
    dossiers: int
    seed_seconds: float
    clone_seconds: float
    seconds: float
    batches: int
    acknowledged: int
    rejected: int
    stored: int
    drained: bool
    error: str | None
    cpu: str


def drain(server: CentralServer, events: int, folder: Path) -> Drain:
    db = Database(f"sqlite:///{folder / f'counter-{events}.sqlite3'}")
    try:
        counter_migrate.upgrade(db)
        dossiers, seeded, cloned = seed_backlog(db, events)
        configure(db, server.base_url, AGENCY, server.secret, datetime.now(UTC))
        client = SyncClient(db, SystemClock(), batch_size=BATCH, timeout=120)
        gc.collect()
        cpu = common.CpuAccount()
        started = time.perf_counter()
        report = client.run_once()
        seconds = time.perf_counter() - started
        account = cpu.stop()
        return Drain(
            dossiers * EVENTS_PER_DOSSIER,
            dossiers,
            seeded,
            cloned,
            seconds,
            report.batches,
            report.acknowledged,
            report.rejected,
            server.stored_events(),
            report.drained,
            report.error,
            account.describe(),
        )
    finally:
        db.dispose()


# -- report --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--events", type=int, default=20_000, help="throughput events and the smaller backlog"
    )
    parser.add_argument("--quick", action="store_true", help="2,000 and 10,000 events: a smoke run")
    parser.add_argument(
        "--no-fsync",
        action="store_true",
        help="diagnostic: central on PostgreSQL with fsync=off, synchronous_commit=off",
    )
    args = parser.parse_args(argv)
    events = 2_000 if args.quick else args.events
    backlogs = [events, 5 * events]
    problems: list[str] = []
    notes: list[str] = []
    with (
        ThrowawayPostgres(fsync=not args.no_fsync) as pg,
        tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp,
    ):
        print(f"server throughput: {events} events", file=sys.stderr)
        with central_server(pg, "bench_sync_throughput") as server:
            throughput = server_throughput(server, events)
            notes.append(f"central: {server.version}, uvicorn (1 worker) in its own process on 127.0.0.1")
        if throughput.accepted != throughput.events or throughput.stored != throughput.events:
            problems.append(
                f"throughput: sent {throughput.events}, accepted {throughput.accepted}, "
                f"stored {throughput.stored}"
            )
        notes.append(f"throughput run: {throughput.cpu}")
        drains: list[Drain] = []
        for backlog in backlogs:
            print(f"drain: {backlog} pending events", file=sys.stderr)
            with central_server(pg, f"bench_sync_drain_{backlog}") as server:
                result = drain(server, backlog, Path(tmp))
            drains.append(result)
            notes.append(
                f"drain of {result.events:,}: backlog built in {result.seed_seconds:.1f} s through the "
                "services "
                f"({min(SEED_DOSSIERS, result.dossiers)} dossiers) + {result.clone_seconds:.1f} s of cloning "
                f"({result.dossiers:,} dossiers); {result.cpu}"
            )
            if (
                not result.drained
                or result.acknowledged != result.events
                or result.rejected
                or result.stored != result.events
            ):
                problems.append(
                    f"drain {result.events}: drained={result.drained} acknowledged={result.acknowledged} "
                    f"rejected={result.rejected} stored on central={result.stored} error={result.error}"
                )
    ordered = sorted(throughput.latencies)
    print("### Server throughput (POST /api/v1/events, batches of 500, one client)\n")
    print(
        common.markdown_table(
            [
                "events",
                "batches",
                "seconds",
                "events/s",
                "p50 per batch (ms)",
                "p99 per batch (ms)",
                "max (ms)",
            ],
            [
                [
                    f"{throughput.events:,}",
                    throughput.batches,
                    f"{throughput.seconds:.1f}",
                    f"{throughput.events / throughput.seconds:,.0f}",
                    f"{common.percentile(ordered, 0.5) * 1000:.0f}",
                    f"{common.percentile(ordered, 0.99) * 1000:.0f}",
                    f"{ordered[-1] * 1000:.0f}",
                ]
            ],
        )
    )
    print("\n### Drain of a counter's backlog (SyncClient.run_once, SQLite counter → central)\n")
    print(
        common.markdown_table(
            ["pending events", "dossiers", "batches", "seconds", "events/s", f"under {TARGET_SECONDS:.0f} s"],
            [
                [
                    f"{d.events:,}",
                    f"{d.dossiers:,}",
                    d.batches,
                    f"{d.seconds:.1f}",
                    f"{d.events / d.seconds:,.0f}",
                    "yes" if d.seconds < TARGET_SECONDS else "no",
                ]
                for d in drains
            ],
        )
    )
    print()
    notes.append(f"counter: SQLite {sqlite3.sqlite_version} file (WAL, synchronous=FULL)")
    for note in notes:
        print(f"- {note}")
    for problem in problems:
        print(f"- **PROBLEM**: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
