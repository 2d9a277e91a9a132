"""Helpers shared by the benchmark scripts: paths, a centre to work in, statistics, tables.

Importing this module puts the repository root on ``sys.path`` so the scripts can be run as
``.venv/bin/python bench/<script>.py`` and still import ``tests.support.pgserver``.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from argon2 import PasswordHasher, profiles  # noqa: E402
from sqlalchemy import Engine, event  # noqa: E402

from counter_app.domain.clock import LOCAL_TZ  # noqa: E402
from counter_app.domain.roles import Role  # noqa: E402
from counter_app.services.actor import Actor  # noqa: E402
from counter_app.services.app import CounterApp  # noqa: E402
from counter_app.services.users import use_password_hasher  # noqa: E402

PASSWORD = "Matkhau2026"
AREAS: tuple[tuple[str, str], ...] = (
    ("A", "Hộ tịch – Chứng thực"),
    ("B", "Đất đai"),
    ("C", "Xây dựng"),
    ("D", "Đăng ký kinh doanh"),
    ("E", "Lao động – Thương binh – Xã hội"),
)
# A business day far from any DST or date-line surprise: Monday 7 December 2026, local time.
BUSINESS_DAY = date(2026, 12, 7)


def local_instant(hour: int, minute: int = 0, day: date = BUSINESS_DAY) -> datetime:
    """An aware UTC instant for ``hour:minute`` local time (Asia/Ho_Chi_Minh) on ``day``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def cheap_password_hashing() -> None:
    """Users are set up with argon2's cheapest profile: password hashing is not what is measured."""
    use_password_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


@dataclass(frozen=True)
class Centre:
    prefixes: tuple[str, ...]
    kiosk: Actor
    officers: dict[str, Actor]  # counter label -> the officer who opened it


def build_centre(
    app: CounterApp,
    *,
    areas: int,
    counters: int,
    services_of: Callable[[int, Sequence[str]], list[str]],
    open_counters: bool = True,
) -> Centre:
    """Areas A…, counters 01…, one officer per counter (who opens it when asked) and a kiosk."""
    system = Actor.system("bench")
    prefixes = tuple(prefix for prefix, _name in AREAS[:areas])
    for prefix, name in AREAS[:areas]:
        app.catalogue.add_area(system, prefix, name)
    officers: dict[str, Actor] = {}
    for index in range(counters):
        label = f"{index + 1:02d}"
        app.catalogue.add_counter(system, label, services_of(index, prefixes))
        user = app.users.add(system, f"canbo{index + 1:02d}", Role.OFFICER, PASSWORD, f"Cán bộ {label}")
        officers[label] = Actor(user.id, user.username, user.role)
    kiosk_user = app.users.add(system, "kiosk1", Role.KIOSK, PASSWORD, "Máy lấy số")
    kiosk = Actor(kiosk_user.id, kiosk_user.username, kiosk_user.role)
    if open_counters:
        for label, officer in officers.items():
            app.counters.open(officer, label)
    return Centre(prefixes, kiosk, officers)


def rotated(index: int, prefixes: Sequence[str], width: int | None = None) -> list[str]:
    """The areas a counter serves: its main area first, then the next ones (``width`` of them)."""
    count = len(prefixes) if width is None else min(width, len(prefixes))
    return [prefixes[(index + offset) % len(prefixes)] for offset in range(count)]


class StatementCounter:
    """Counts the SQL statements an engine sends (``before_cursor_execute``), for statements per call."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args: Any) -> None:
        self.count += 1


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (p99 of 20,000 = the 19,800th)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def median(values: Sequence[float]) -> float:
    return percentile(sorted(values), 0.5)


def ms(nanoseconds: float) -> str:
    """Nanoseconds as milliseconds with two decimals (``nan`` as an en dash)."""
    if math.isnan(nanoseconds):
        return "–"
    return f"{nanoseconds / 1e6:.2f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def step_for(ops: int, start: datetime, end: datetime, most: timedelta) -> timedelta:
    """How far to move the clock per operation so that ``ops`` operations fit between start and end."""
    fitting = (end - start) / max(1, ops)
    return min(most, fitting)


def _tree_cpu_ticks(root: int) -> dict[int, int]:
    """CPU ticks (own + reaped children) of ``root`` and its live descendants, by pid."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        ticks[pid] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return {pid: ticks[pid] for pid in tree if pid in ticks}


def _machine_busy_ticks() -> int:
    with open("/proc/stat", encoding="ascii") as handle:
        values = [int(value) for value in handle.readline().split()[1:]]
    idle, iowait = values[3], values[4]
    return sum(values[:8]) - idle - iowait  # user nice system idle iowait irq softirq steal


class CpuAccount:
    """Who used the CPU during a measurement: this benchmark (with its database server) or others.

    The machine is shared: a test run of someone else on the same two cores shows up in the
    latencies, so the report says how busy the machine was.
    """

    def __init__(self) -> None:
        self._hz = os.sysconf("SC_CLK_TCK")
        self._start_wall = time.perf_counter()
        self._start_busy = _machine_busy_ticks()
        self._start_tree = _tree_cpu_ticks(os.getpid())
        self.wall = self.mine = self.others = 0.0

    def stop(self) -> CpuAccount:
        tree = _tree_cpu_ticks(os.getpid())
        mine_ticks = sum(tree.values()) - sum(self._start_tree.get(pid, 0) for pid in tree)
        busy_ticks = _machine_busy_ticks() - self._start_busy
        self.wall = time.perf_counter() - self._start_wall
        self.mine = mine_ticks / self._hz
        self.others = max(0.0, (busy_ticks - mine_ticks) / self._hz)
        return self

    def describe(self) -> str:
        cores = os.cpu_count() or 1
        return (
            f"CPU over {self.wall:.0f} s wall on {cores} cores: this benchmark and its database server "
            f"{self.mine:.0f} s ({self.mine / self.wall:.2f} cores), other processes {self.others:.0f} s "
            f"({self.others / self.wall:.2f} cores)"
        )
