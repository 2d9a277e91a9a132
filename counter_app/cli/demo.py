"""The demo: a scripted morning at a one-stop centre, run through the real services.

It builds a fresh embedded database, sets up service areas, counters and officers, then
simulates citizens arriving and four counters calling, serving, recalling, marking absent
and transferring, with a clock that moves by itself (no waiting). A "display" subscribes to
the event bus as a real waiting-area screen would. Output: a Vietnamese report, every queue
event as JSON lines, the final queue snapshot and the database file.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib.metadata import entry_points
from pathlib import Path

from counter_app.cli.demo_devices import DemoHardware
from counter_app.cli.demo_dossiers import DemoDossiers, backlog_start
from counter_app.cli.demo_forms import print_demo_forms
from counter_app.cli.output import Output
from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.domain.clock import LOCAL_TZ, ManualClock, format_date, format_local_time, local_date
from counter_app.domain.jsonable import to_jsonable
from counter_app.domain.queue import OUTCOMES_WITH_DOSSIER, Outcome, QueueEventKind, TicketStatus
from counter_app.domain.roles import Role
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.events import QueueEventMessage
from counter_app.services.views import TicketView
from counter_app.settings import Settings

DEMO_PASSWORD = "Demo2026"

AREAS = (
    ("A", "Hộ tịch – Chứng thực", 6),
    ("B", "Đất đai", 12),
    ("C", "Đăng ký kinh doanh", 9),
)
COUNTERS = (
    ("01", "A,B", "lan", "Nguyễn Thị Lan"),
    ("02", "B,A", "minh", "Trần Văn Minh"),
    ("03", "C,A", "hoa", "Lê Thị Hoa"),
    ("04", "A", "tuan", "Phạm Quốc Tuấn"),
)


@dataclass
class _Desk:
    label: str
    actor: Actor
    busy_until: datetime | None = None
    recalls_left: int = 0
    ticket: TicketView | None = None  # what the counter holds, from the services' own answers


def run_demo(out_dir: Path | None, out: Output, settings: Settings, headless: bool = False) -> int:
    folder = (out_dir or settings.data_dir / "demo").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    db_file = folder / "demo.sqlite3"
    for stale in (db_file, folder / "demo.sqlite3-wal", folder / "demo.sqlite3-shm"):
        stale.unlink(missing_ok=True)
    db = Database(f"sqlite:///{db_file}")
    try:
        migrate.upgrade(db)
        report, event_count = _scripted_day(db, folder, settings.centre_name)
    finally:
        db.dispose()
    screens = _screens()
    if screens is not None:
        with_screen = not headless and bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        report += screens(db_file, folder, settings.centre_name, not with_screen)
    out.emit(
        {"output": str(folder), "database": str(db_file), "events": event_count, "report": report},
        *report,
        "",
        _("The demo wrote its output to: {path}").format(path=folder),
    )
    return 0


ScreensHook = Callable[[Path, Path, str, bool], list[str]]


def _screens() -> ScreensHook | None:
    """The windows of the demo, from the ``ui`` package when it is installed.

    The CLI never imports Qt (house plan): ``ui`` registers its demo under the entry point group
    ``counter_app.screens``, which opens the three windows on a screen or draws them as PNGs without one.
    """
    for entry in entry_points(group="counter_app.screens", name="demo"):
        hook: ScreensHook = entry.load()
        return hook
    return None


def _scripted_day(db: Database, folder: Path, centre_name: str) -> tuple[list[str], int]:
    today = local_date(datetime.now(LOCAL_TZ))
    day = _ScriptedDay(db, today, folder, centre_name)
    day.set_up()
    try:
        day.run_until(datetime.combine(today, time(11, 30), LOCAL_TZ))
        report = day.report() + day.dossiers.report(day.admin) + day.hardware_report()
        forms = print_demo_forms(day.app, day.desks[0].actor, day.dossiers, folder / "forms")
        report.append(
            _("Forms printed as PDF (Mẫu 01–07, {count} files): {folder}").format(
                count=len(forms), folder=folder / "forms"
            )
        )
    finally:
        day.close()
    (folder / "report.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    with (folder / "events.jsonl").open("w", encoding="utf-8") as handle:
        for event in day.events:
            handle.write(event.to_json() + "\n")
    snapshot = day.app.state.snapshot(day.admin)
    (folder / "queue.json").write_text(
        json.dumps(to_jsonable(snapshot), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return report, len(day.events)


class _ScriptedDay:
    """Citizens arrive by a seeded random process; each counter acts once a simulated minute."""

    def __init__(self, db: Database, today: date, folder: Path, centre_name: str) -> None:
        self.folder = folder
        self.centre_name = centre_name
        self.hardware: DemoHardware | None = None
        self.rng = random.Random(2026)
        self.today = today
        self.clock = ManualClock(datetime.combine(today, time(7, 15), LOCAL_TZ))
        self.app = CounterApp(db, self.clock)
        self.admin = Actor.system("demo")
        self.events: list[QueueEventMessage] = []
        self.app.bus.subscribe(self.events.append)  # what a waiting-area display would receive
        self.desks: list[_Desk] = []
        self.kiosk = self.admin
        self.transferred = False
        self.requeued = False
        self.dossiers = DemoDossiers(self.app, self.admin, self.clock, random.Random(11))

    def set_up(self) -> None:
        app, admin = self.app, self.admin
        # The centre was set up before the backlog of earlier days was received.
        self.clock.set(datetime.combine(backlog_start(app, self.today), time(7, 15), LOCAL_TZ))
        for prefix, name, minutes in AREAS:
            app.catalogue.add_area(admin, prefix, name, default_service_minutes=minutes)
        app.users.add(admin, "admin", Role.ADMIN, DEMO_PASSWORD, "Quản trị viên")
        app.users.add(admin, "kiosk1", Role.KIOSK, DEMO_PASSWORD, "Máy lấy số sảnh chính")
        app.users.add(admin, "tv1", Role.DISPLAY, DEMO_PASSWORD, "Màn hình sảnh chờ")
        self.kiosk = app.users.authenticate("kiosk1", DEMO_PASSWORD)
        for label, services, username, full_name in COUNTERS:
            app.catalogue.add_counter(admin, label, services.split(","))
            app.users.add(admin, username, Role.OFFICER, DEMO_PASSWORD, full_name)
            self.desks.append(_Desk(label, app.users.authenticate(username, DEMO_PASSWORD)))
        self.dossiers.set_up({prefix for prefix, _name, _minutes in AREAS})
        self.dossiers.backlog(self.desks[0].actor, admin, self.today)
        self.dossiers.paperwork(self.desks[0].actor, self.today)
        self.hardware = DemoHardware(
            app, admin, self.clock, [label for label, *_rest in COUNTERS], random.Random(7)
        )
        self.clock.set(datetime.combine(self.today, time(7, 30), LOCAL_TZ))
        for desk in self.desks:
            app.counters.open(desk.actor, desk.label)

    def run_until(self, end: datetime) -> None:
        last_arrival = end - timedelta(hours=1)
        while self.clock.now() < end:
            if self.clock.now() < last_arrival:
                self._arrivals()
            for desk in self.desks:
                self._act(desk)
            if self.hardware is not None:
                self.hardware.minute()
            self.clock.advance(minutes=1)

    def _arrivals(self) -> None:
        for _n in range(self.rng.choices([0, 1, 2], weights=[50, 40, 10])[0]):
            prefix = self.rng.choices(["A", "B", "C"], weights=[5, 3, 2])[0]
            priority = self.rng.random() < 0.1
            issued = self.app.queue.issue(
                self.kiosk, prefix, priority, "Người cao tuổi" if priority else None
            )
            if self.hardware is not None:
                self.hardware.print_ticket(issued, self.centre_name, self.folder)

    def _act(self, desk: _Desk) -> None:
        queue = self.app.queue
        current = desk.ticket
        if current is None:
            desk.ticket = queue.call_next(desk.actor, desk.label)
            desk.recalls_left = 2 if self.rng.random() < 0.08 else 0
        elif current.status is TicketStatus.CALLED:
            desk.ticket = self._called(desk, current)
        elif desk.busy_until is not None and self.clock.now() >= desk.busy_until:
            outcome = self.rng.choices(list(Outcome), weights=[6, 1, 3, 1])[0]
            code = None
            if outcome is Outcome.DOSSIER_RECEIVED:
                code = self.dossiers.at_counter(desk.actor, current.service_prefix, current.number)
            elif outcome is Outcome.RESULT_RETURNED:
                code = self.dossiers.hand_back(desk.actor)
            if outcome in OUTCOMES_WITH_DOSSIER and code is None:
                outcome = Outcome.GUIDANCE
            queue.finish(desk.actor, desk.label, outcome, code)
            desk.ticket = None

    def _called(self, desk: _Desk, current: TicketView) -> TicketView | None:
        """Recall, mark absent, transfer or start serving; returns what the counter holds after."""
        queue = self.app.queue
        if desk.recalls_left > 0:
            desk.recalls_left -= 1
            return queue.recall(desk.actor, desk.label)
        if current.recall_count >= 2:
            queue.no_show(desk.actor, desk.label)
            if not self.requeued:  # the first absent citizen comes back a little later
                self.requeued = True
                queue.requeue(desk.actor, current.number)
            return None
        if not self.transferred and current.service_prefix == "A" and desk.label == "01":
            self.transferred = True  # wrong queue: sent to the land desk, keeping the place
            queue.transfer(desk.actor, desk.label, to_service="B")
            return None
        minutes = next(m for p, _name, m in AREAS if p == current.service_prefix)
        desk.busy_until = self.clock.now() + timedelta(minutes=max(2.0, self.rng.gauss(minutes, minutes / 3)))
        return queue.start_serving(desk.actor, desk.label)

    def hardware_report(self) -> list[str]:
        return self.hardware.report() if self.hardware is not None else []

    def close(self) -> None:
        if self.hardware is not None:
            self.hardware.close()

    def report(self) -> list[str]:
        snapshot = self.app.state.snapshot(self.admin)
        kinds = Tally(e.kind for e in self.events)
        priority = sum(
            1 for e in self.events if e.kind is QueueEventKind.ISSUED and e.payload.get("priority")
        )
        calls = Tally(str(e.payload["counter"]) for e in self.events if e.kind is QueueEventKind.CALLED)
        return [
            _("Scripted day at the one-stop centre, {date}").format(date=format_date(self.today)),
            _("Tickets issued: {n} (priority: {p})").format(n=kinds[QueueEventKind.ISSUED], p=priority),
            _("Calls: {calls}, recalls: {recalls}, absent: {absent}, back in line: {back}.").format(
                calls=kinds[QueueEventKind.CALLED],
                recalls=kinds[QueueEventKind.RECALLED],
                absent=kinds[QueueEventKind.NO_SHOW],
                back=kinds[QueueEventKind.REQUEUED],
            ),
            _("Transfers: {transfers}, finished: {finished}.").format(
                transfers=kinds[QueueEventKind.TRANSFERRED], finished=kinds[QueueEventKind.FINISHED]
            ),
            _("Calls per counter: {counts}").format(
                counts=", ".join(
                    f"{_('counter {label}').format(label=k)}: {v}" for k, v in sorted(calls.items())
                )
            ),
            _("Still waiting at {time}: {waiting}").format(
                time=format_local_time(self.clock.now()),
                waiting=", ".join(f"{w.prefix} {w.waiting}" for w in snapshot.waiting),
            ),
            _("Last calls on the display: {calls}").format(
                calls=", ".join(f"{c.number} → {c.counter_label}" for c in snapshot.recent_calls[:5])
            ),
            _("Demo accounts: {accounts} (password {password}).").format(
                accounts=", ".join(
                    ["admin", "kiosk1", "tv1", *(username for _l, _s, username, _n in COUNTERS)]
                ),
                password=DEMO_PASSWORD,
            ),
        ]
