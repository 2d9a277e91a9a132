"""Issue-ticket and call-next latency through a whole simulated day, on SQLite and PostgreSQL.

For each backend the schema is built by the Alembic migrations, a centre is set up (5 service
areas, 10 counters each serving 3 areas, opened by their officers), and a day is played with a
:class:`ManualClock`: tickets are issued at the kiosk, and once a few hundred citizens wait,
every issue is followed by one counter turn (``finish`` of its current citizen, then
``call_next``), so the queue stays at a realistic length all day. Only the service call is
timed (``time.perf_counter_ns``). After the day's tickets (20,000 by default) a second phase of
2,000 issues and calls is measured: "with 20,000 tickets already in the day".

Commits are durable: SQLite with the product's pragmas (WAL, ``synchronous=FULL``), PostgreSQL
with ``fsync=on`` and ``synchronous_commit=on``.

    .venv/bin/python bench/queue_latency.py                    # both backends, 20,000 tickets
    .venv/bin/python bench/queue_latency.py --backend sqlite --quick
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

from common import (
    Centre,
    CpuAccount,
    StatementCounter,
    build_centre,
    cheap_password_hashing,
    local_instant,
    markdown_table,
    median,
    ms,
    percentile,
    rotated,
    step_for,
)

from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from counter_app.domain.queue import Outcome
from counter_app.services.app import CounterApp
from tests.support.pgserver import ThrowawayPostgres

T = TypeVar("T")
P = ParamSpec("P")

AREAS = 5
COUNTERS = 10
AREAS_PER_COUNTER = 3
# Each counter's main area, in proportion to demand; it also serves the next two areas.
MAIN_AREAS = "AAABBBCCDE"
TARGET_WAITING = 300
PRIORITY_SHARE = 0.05
AFTER_DAY = 2_000
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "sqlite-memory": "SQLite in memory"}
# Relative demand of the five areas (civil status and land are the busy ones).
AREA_WEIGHTS = (35, 30, 15, 12, 8)


@dataclass
class Series:
    """One operation's timings (ns) and statement counts, in the order they happened."""

    latencies: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)

    def add(self, latency_ns: int, statements: int) -> None:
        self.latencies.append(latency_ns)
        self.statements.append(statements)


@dataclass
class Phase:
    issue: Series = field(default_factory=Series)
    call_next: Series = field(default_factory=Series)
    finish: Series = field(default_factory=Series)
    cpu: CpuAccount | None = None  # who used the CPU while this phase ran


@dataclass
class BackendResult:
    backend: str
    version: str
    tickets: int
    day: Phase
    after: Phase
    wall_seconds: float
    empty_calls: int
    max_waiting: int
    mean_waiting: float
    cpu: CpuAccount


class Timer:
    """Times service calls and counts the statements each one sends."""

    def __init__(self, counter: StatementCounter) -> None:
        self.counter = counter

    def run(self, series: Series, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        before = self.counter.count
        start = time.perf_counter_ns()
        result = call(*args, **kwargs)
        elapsed = time.perf_counter_ns() - start
        series.add(elapsed, self.counter.count - before)
        return result


@contextmanager
def open_backend(backend: str) -> Iterator[tuple[Database, str]]:
    """A fresh, migrated database of the kind asked for, and a version string for the report."""
    if backend == "sqlite-memory":
        # Diagnostic only: no file, no fsync. What is left is the CPU cost of the service code.
        db = Database("sqlite://")
        try:
            migrate.upgrade(db)
            yield db, f"SQLite {sqlite3.sqlite_version} in memory (no I/O; diagnostic)"
        finally:
            db.dispose()
        return
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="counter-bench-") as folder:
            db = Database(f"sqlite:///{Path(folder) / 'centre.sqlite3'}")
            try:
                migrate.upgrade(db)
                yield db, f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL)"
            finally:
                db.dispose()
        return
    with ThrowawayPostgres(fsync=True) as server:
        db = Database(server.create_database("bench_latency"))
        try:
            migrate.upgrade(db)
            with db.engine.connect() as connection:
                version = str(connection.exec_driver_sql("SHOW server_version").scalar_one())
                fsync = connection.exec_driver_sql("SHOW fsync").scalar_one()
                sync = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
            yield db, f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={sync})"
        finally:
            db.dispose()


def play_day(
    app: CounterApp,
    clock: ManualClock,
    centre: Centre,
    timer: Timer,
    *,
    tickets: int,
    seed: int,
    profiler: cProfile.Profile | None,
) -> tuple[Phase, Phase, int, int, float]:
    """Issue ``tickets`` then ``AFTER_DAY`` more, with one counter turn per issue once the queue is full."""
    rng = random.Random(seed)
    total = tickets + AFTER_DAY
    start, end = local_instant(6, 0), local_instant(23, 0)
    clock.set(start)
    # About three operations per ticket (issue, finish, call): spread them over the day.
    step = step_for(3 * total, start, end, timedelta(seconds=3))
    labels = list(centre.officers)
    busy = dict.fromkeys(labels, False)
    day, after = Phase(), Phase()
    waiting = 0
    empty_calls = 0
    max_waiting = 0
    waiting_sum = 0
    turn = 0
    gc.collect()
    day.cpu = CpuAccount()
    for index in range(total):
        phase = day if index < tickets else after
        if index == tickets:
            day.cpu.stop()
            gc.collect()
            after.cpu = CpuAccount()
        if profiler is not None and index == tickets // 2:
            profiler.enable()
        prefix = rng.choices(centre.prefixes, weights=AREA_WEIGHTS[: len(centre.prefixes)])[0]
        priority = rng.random() < PRIORITY_SHARE
        clock.advance(step)
        timer.run(
            phase.issue,
            app.queue.issue,
            centre.kiosk,
            prefix,
            priority=priority,
            priority_reason="Người cao tuổi" if priority else None,
        )
        waiting += 1
        if waiting > TARGET_WAITING:
            label = labels[turn % len(labels)]
            turn += 1
            officer = centre.officers[label]
            if busy[label]:
                clock.advance(step)
                timer.run(phase.finish, app.queue.finish, officer, label, Outcome.GUIDANCE)
                busy[label] = False
            clock.advance(step)
            called = timer.run(phase.call_next, app.queue.call_next, officer, label)
            if called is None:
                empty_calls += 1
            else:
                busy[label] = True
                waiting -= 1
        max_waiting = max(max_waiting, waiting)
        waiting_sum += waiting
        if profiler is not None and index == tickets // 2 + 2_000:
            profiler.disable()
    if after.cpu is not None:
        after.cpu.stop()
    return day, after, empty_calls, max_waiting, waiting_sum / total


def run_backend(backend: str, tickets: int, seed: int, profile: bool) -> BackendResult:
    with open_backend(backend) as (db, version):
        clock = ManualClock(local_instant(5, 30))
        app = CounterApp(db, clock)
        centre = build_centre(
            app,
            areas=AREAS,
            counters=COUNTERS,
            services_of=lambda index, prefixes: rotated(
                prefixes.index(MAIN_AREAS[index % len(MAIN_AREAS)]), prefixes, AREAS_PER_COUNTER
            ),
        )
        timer = Timer(StatementCounter(db.engine))
        profiler = cProfile.Profile() if profile else None
        cpu = CpuAccount()
        day, after, empty, max_waiting, mean_waiting = play_day(
            app, clock, centre, timer, tickets=tickets, seed=seed, profiler=profiler
        )
        cpu.stop()
        if profiler is not None:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            print(f"--- cProfile, {backend}, 2,000 tickets from mid-day ---", file=sys.stderr)
            print(out.getvalue(), file=sys.stderr)
    return BackendResult(
        backend, version, tickets, day, after, cpu.wall, empty, max_waiting, mean_waiting, cpu
    )


def summary_row(backend: str, operation: str, label: str, phase: Phase) -> list[object]:
    series: Series = getattr(phase, operation)
    values = series.latencies
    ordered = sorted(values)
    tenth = max(1, len(values) // 10)
    statements = sum(series.statements) / len(series.statements) if series.statements else float("nan")
    return [
        backend,
        operation,
        label,
        len(values),
        ms(percentile(ordered, 0.50)),
        ms(percentile(ordered, 0.90)),
        ms(percentile(ordered, 0.99)),
        ms(ordered[-1] if ordered else float("nan")),
        ms(median(values[:tenth])),
        ms(median(values[-tenth:])),
        f"{statements:.1f}",
        f"{phase.cpu.others / phase.cpu.wall:.2f}" if phase.cpu and phase.cpu.wall else "–",
    ]


def report(results: list[BackendResult]) -> str:
    header = [
        "Backend",
        "Operation",
        "Phase",
        "n",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "p50 first 10 % ms",
        "p50 last 10 % ms",
        "SQL stmts/call",
        "other processes' CPU (cores)",
    ]
    rows: list[list[object]] = []
    for result in results:
        name = BACKEND_NAMES[result.backend]
        day_label = f"whole day (tickets 1–{result.tickets:,})"
        after_label = f"after {result.tickets:,} tickets (+{AFTER_DAY:,})"
        for operation in ("issue", "call_next", "finish"):
            rows.append(summary_row(name, operation, day_label, result.day))
            rows.append(summary_row(name, operation, after_label, result.after))
    lines = [markdown_table(header, rows), ""]
    for result in results:
        lines.append(
            f"- {result.version}: {result.tickets:,} + {AFTER_DAY:,} tickets played in "
            f"{result.wall_seconds:.1f} s; waiting queue mean {result.mean_waiting:.0f}, "
            f"max {result.max_waiting}; call_next found nobody {result.empty_calls} times. "
            f"{result.cpu.describe()}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=20_000, help="tickets in the day (default 20000)")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql", "both", "sqlite-memory"),
        default="both",
        help="both = sqlite then postgresql; sqlite-memory (no I/O) shows the CPU part of the latency",
    )
    parser.add_argument("--quick", action="store_true", help="2,000 tickets, for a smoke run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile 2,000 mid-day tickets; the report goes to stderr"
    )
    args = parser.parse_args(argv)
    tickets = 2_000 if args.quick else args.tickets
    if tickets <= TARGET_WAITING:
        parser.error(f"--tickets must be more than {TARGET_WAITING} (the queue first fills up to that)")
    cheap_password_hashing()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        print(f"[{backend}] playing {tickets:,} + {AFTER_DAY:,} tickets…", file=sys.stderr, flush=True)
        results.append(run_backend(backend, tickets, args.seed, args.profile))
        print(f"[{backend}] done in {results[-1].wall_seconds:.1f} s", file=sys.stderr, flush=True)
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
