"""Eight counters calling at once, each in its own OS process: throughput, and no ticket twice.

The parent builds a centre (3 service areas, 8 counters that each serve all of them, in a
different order), issues N tickets (default 4,000; 5 % priority) and opens the counters. Then 8
processes (``multiprocessing`` "spawn" context) each build their own :class:`Database` and
:class:`CounterApp` from the URL and act as one counter's officer: ``call_next`` then ``finish``
until ``call_next`` returns ``None``. Each worker records the tickets it got.

The parent then checks that every issued ticket was called exactly once: no ticket in two
workers' lists (duplicate), none left out (skipped), every ticket ``finished`` in the database
at the counter that called it, and exactly one ``called`` queue event per ticket.

PostgreSQL runs with durable commits (``fsync=on``); SQLite (8 processes on one WAL file,
``synchronous=FULL``) serialises writers with ``BEGIN IMMEDIATE`` and a busy timeout.

    .venv/bin/python bench/concurrent_counters.py                      # both backends
    .venv/bin/python bench/concurrent_counters.py --backend postgresql --tickets 1000
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter as Tally
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from multiprocessing.queues import Queue as MPQueue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from common import (
    CpuAccount,
    build_centre,
    cheap_password_hashing,
    local_instant,
    markdown_table,
    ms,
    percentile,
    rotated,
)
from sqlalchemy import func, select

from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.db.models import Counter, QueueEvent, Ticket
from counter_app.domain.clock import ManualClock
from counter_app.domain.errors import AppError
from counter_app.domain.queue import Outcome, QueueEventKind, TicketStatus
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from tests.support.pgserver import ThrowawayPostgres

WORKERS = 8
AREAS = 3
PRIORITY_SHARE = 0.05
MAX_ERRORS = 50  # per worker, before it gives up (each error is reported)
RESULT_TIMEOUT = 1_800.0


class RunningClock:
    """Real time, moved to the benchmark's business day: ``base`` at the moment it is created."""

    def __init__(self, base: datetime) -> None:
        self._base = base
        self._anchor = time.monotonic()

    def now(self) -> datetime:
        return self._base + timedelta(seconds=time.monotonic() - self._anchor)


@dataclass
class WorkerResult:
    label: str
    ticket_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    call_ns: list[int] = field(default_factory=list)
    finish_ns: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    started_ns: int = 0
    ended_ns: int = 0


@dataclass(frozen=True)
class WorkerSpec:
    url: str
    label: str
    actor: Actor
    base: datetime  # the worker's clock starts here (the business day of the issued tickets)


def counter_worker(spec: WorkerSpec, barrier: Barrier, results: MPQueue[WorkerResult]) -> None:
    """One counter's officer: call, finish, call… until nobody waits. Runs in a spawned process."""
    label, actor = spec.label, spec.actor
    result = WorkerResult(label)
    db = Database(spec.url)
    try:
        app = CounterApp(db, RunningClock(spec.base))
        app.counters.get(label)  # open the connection before the start line
        barrier.wait()
        result.started_ns = time.perf_counter_ns()
        while len(result.errors) < MAX_ERRORS:
            start = time.perf_counter_ns()
            try:
                ticket = app.queue.call_next(actor, label)
            except AppError as exc:
                result.errors.append(f"call_next: {type(exc).__name__}: {exc}")
                continue
            result.call_ns.append(time.perf_counter_ns() - start)
            if ticket is None:
                break
            result.ticket_ids.append(ticket.id)
            result.numbers.append(ticket.number)
            while len(result.errors) < MAX_ERRORS:
                start = time.perf_counter_ns()
                try:
                    app.queue.finish(actor, label, Outcome.GUIDANCE)
                except AppError as exc:
                    result.errors.append(f"finish: {type(exc).__name__}: {exc}")
                    continue
                result.finish_ns.append(time.perf_counter_ns() - start)
                break
        result.ended_ns = time.perf_counter_ns()
    except Exception as exc:  # the parent must hear about it rather than wait forever
        result.errors.append(f"worker crashed: {type(exc).__name__}: {exc}")
        result.ended_ns = result.ended_ns or time.perf_counter_ns()
    finally:
        db.dispose()
        results.put(result)


@dataclass
class RunResult:
    backend: str
    version: str
    tickets: int
    workers: list[WorkerResult]
    wall_seconds: float
    duplicates: int
    skipped: int
    not_finished: int
    wrong_counter: int
    call_events_not_one: int
    status_counts: dict[str, int]
    cpu: CpuAccount


@contextmanager
def open_backend(backend: str) -> Iterator[tuple[str, str]]:
    """A fresh migrated database (URL, version description), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'centre.sqlite3'}"
            db = Database(url)
            migrate.upgrade(db)
            db.dispose()
            yield url, f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"
        return
    with ThrowawayPostgres(fsync=True) as server:
        url = server.create_database("bench_concurrent")
        db = Database(url)
        migrate.upgrade(db)
        with db.engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar_one())
            fsync = connection.exec_driver_sql("SHOW fsync").scalar_one()
        db.dispose()
        yield url, f"PostgreSQL {version} (fsync={fsync})"


def prepare_centre(url: str, tickets: int, seed: int) -> tuple[dict[str, Actor], list[str]]:
    """Areas, 8 counters serving all areas (each starting with a different one), N tickets issued."""
    db = Database(url)
    try:
        clock = ManualClock(local_instant(6, 30))
        app = CounterApp(db, clock)
        centre = build_centre(
            app,
            areas=AREAS,
            counters=WORKERS,
            services_of=rotated,
        )
        rng = random.Random(seed)
        for _ in range(tickets):
            clock.advance(timedelta(milliseconds=500))
            priority = rng.random() < PRIORITY_SHARE
            app.queue.issue(
                centre.kiosk,
                rng.choice(centre.prefixes),
                priority=priority,
                priority_reason="Phụ nữ mang thai" if priority else None,
            )
        return centre.officers, list(centre.prefixes)
    finally:
        db.dispose()


def run_workers(url: str, officers: dict[str, Actor]) -> tuple[list[WorkerResult], CpuAccount]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(officers) + 1)
    results: MPQueue[WorkerResult] = context.Queue()
    base = local_instant(8, 0)
    processes = [
        context.Process(
            target=counter_worker,
            args=(WorkerSpec(url, label, actor, base), barrier, results),
            name=f"counter-{label}",
        )
        for label, actor in officers.items()
    ]
    for process in processes:
        process.start()
    barrier.wait(timeout=120)
    cpu = CpuAccount()
    collected = [results.get(timeout=RESULT_TIMEOUT) for _ in processes]
    cpu.stop()
    for process in processes:
        process.join(timeout=60)
    return sorted(collected, key=lambda r: r.label), cpu


def verify(url: str, workers: list[WorkerResult]) -> tuple[int, int, int, int, int, dict[str, int]]:
    """(duplicates, skipped, not finished, called by another counter, tickets without exactly one call
    event, status counts), all from the workers' lists compared with the database."""
    called: list[int] = [ticket_id for worker in workers for ticket_id in worker.ticket_ids]
    duplicates = len(called) - len(set(called))
    caller = {ticket_id: worker.label for worker in workers for ticket_id in worker.ticket_ids}
    db = Database(url)
    try:
        with db.session() as session:
            labels = dict(session.execute(select(Counter.id, Counter.label)).all())
            rows = session.execute(select(Ticket.id, Ticket.status, Ticket.counter_id)).all()
            events = Tally(
                session.scalars(
                    select(QueueEvent.ticket_id).where(QueueEvent.kind == QueueEventKind.CALLED)
                ).all()
            )
            status_counts = {
                str(status): int(count)
                for status, count in session.execute(
                    select(Ticket.status, func.count()).group_by(Ticket.status)
                ).all()
            }
    finally:
        db.dispose()
    issued = {ticket_id for ticket_id, _status, _counter in rows}
    skipped = len(issued - set(called))
    not_finished = sum(1 for _id, status, _counter in rows if status is not TicketStatus.FINISHED)
    wrong_counter = sum(
        1
        for ticket_id, _status, counter_id in rows
        if ticket_id in caller and labels.get(counter_id or -1) != caller[ticket_id]
    )
    call_events_not_one = sum(1 for ticket_id in issued if events.get(ticket_id, 0) != 1)
    return duplicates, skipped, not_finished, wrong_counter, call_events_not_one, status_counts


def run_backend(backend: str, tickets: int, seed: int) -> RunResult:
    with open_backend(backend) as (url, version):
        print(f"[{backend}] issuing {tickets:,} tickets…", file=sys.stderr, flush=True)
        officers, _prefixes = prepare_centre(url, tickets, seed)
        print(f"[{backend}] {len(officers)} counter processes calling…", file=sys.stderr, flush=True)
        workers, cpu = run_workers(url, officers)
        duplicates, skipped, not_finished, wrong, events, statuses = verify(url, workers)
    started = min(w.started_ns for w in workers if w.started_ns)
    ended = max(w.ended_ns for w in workers)
    return RunResult(
        backend=backend,
        version=version,
        tickets=tickets,
        workers=workers,
        wall_seconds=(ended - started) / 1e9,
        duplicates=duplicates,
        skipped=skipped,
        not_finished=not_finished,
        wrong_counter=wrong,
        call_events_not_one=events,
        status_counts=statuses,
        cpu=cpu,
    )


def report(runs: list[RunResult]) -> str:
    header = [
        "Backend",
        "Counters (processes)",
        "Tickets",
        "Calls",
        "Wall s",
        "Calls/s",
        "Duplicates",
        "Skipped",
        "Not finished in DB",
        "Errors",
        "call_next p50 ms",
        "call_next p99 ms",
        "finish p50 ms",
        "finish p99 ms",
    ]
    rows: list[list[object]] = []
    for run in runs:
        calls = sum(len(w.ticket_ids) for w in run.workers)
        call_ns = sorted(ns for w in run.workers for ns in w.call_ns)
        finish_ns = sorted(ns for w in run.workers for ns in w.finish_ns)
        rows.append(
            [
                "SQLite" if run.backend == "sqlite" else "PostgreSQL",
                len(run.workers),
                f"{run.tickets:,}",
                f"{calls:,}",
                f"{run.wall_seconds:.1f}",
                f"{calls / run.wall_seconds:.1f}",
                run.duplicates,
                run.skipped,
                run.not_finished,
                sum(len(w.errors) for w in run.workers),
                ms(percentile(call_ns, 0.5)),
                ms(percentile(call_ns, 0.99)),
                ms(percentile(finish_ns, 0.5)),
                ms(percentile(finish_ns, 0.99)),
            ]
        )
    lines = [markdown_table(header, rows), ""]
    worker_header = ["Backend", "Counter", "Calls", "Errors", "call_next p50 ms", "call_next p99 ms"]
    worker_rows: list[list[object]] = []
    for run in runs:
        for worker in run.workers:
            ordered = sorted(worker.call_ns)
            worker_rows.append(
                [
                    "SQLite" if run.backend == "sqlite" else "PostgreSQL",
                    worker.label,
                    len(worker.ticket_ids),
                    len(worker.errors),
                    ms(percentile(ordered, 0.5)),
                    ms(percentile(ordered, 0.99)),
                ]
            )
    lines += [markdown_table(worker_header, worker_rows), ""]
    for run in runs:
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(run.status_counts.items()))
        lines.append(
            f"- {run.version}: tickets by status afterwards: {statuses}; called at a counter other than the "
            f"one that reported it: {run.wrong_counter}; tickets without exactly one 'called' event: "
            f"{run.call_events_not_one}. {run.cpu.describe()}."
        )
        errors = Tally(error for worker in run.workers for error in worker.errors)
        for error, count in errors.most_common(5):
            lines.append(f"  - error ×{count}: {error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=4_000, help="tickets issued before the counters start")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    cheap_password_hashing()
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    runs = [run_backend(backend, args.tickets, args.seed) for backend in backends]
    print(report(runs))
    bad = sum(run.duplicates + run.skipped + run.not_finished + run.wrong_counter for run in runs)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
