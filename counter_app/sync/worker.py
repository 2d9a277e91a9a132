"""The background sync worker: pulls the calendar and catalogue on start and every hour, and drains the
outbox in between (at once when there is something to send, back-off after a failure).

One loop, driven by an injected ``wait`` (the stop event's wait in production, a recorder in tests), so
"an hour passes" and "central is down for days" are tested with a simulated clock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx

from counter_app.services.app import CounterApp
from counter_app.sync.client import IDLE_SECONDS, RunReport, SyncClient
from counter_app.sync.pull import PullReport, pull_all

log = logging.getLogger(__name__)

PULL_EVERY = timedelta(hours=1)
PERMANENT_PAUSE = 300.0
"""After a failure only a person can cure (a wrong secret…), look again every 5 minutes."""


class SyncWorker:
    def __init__(self, app: CounterApp, *, transport: httpx.BaseTransport | None = None) -> None:
        self.app = app
        self.transport = transport
        self.client = SyncClient(app.db, app.ctx.clock, transport=transport)
        self.last_pull: datetime | None = None
        self.last_report: RunReport | None = None
        self.last_pull_report: PullReport | None = None

    def step(self) -> float:
        """One round: a pull when one is due, then a drain. Returns the seconds to wait before the next."""
        now = self.app.ctx.clock.now()
        if self.last_pull is None or now - self.last_pull >= PULL_EVERY:
            self.last_pull_report = pull_all(self.app, transport=self.transport)
            if not self.last_pull_report.offline:
                self.last_pull = now  # offline: try again next round, the last copy stays in use
        report = self.client.run_once()
        self.last_report = report
        if report.permanent:
            return PERMANENT_PAUSE
        if report.retry_in is not None:
            return report.retry_in
        return IDLE_SECONDS

    def run(self, stop: threading.Event, wait: Callable[[float], bool] | None = None) -> None:
        """Rounds until ``stop`` is set (or ``wait`` says stop)."""
        pause = wait or stop.wait
        while not stop.is_set():
            try:
                delay = self.step()
            except Exception:  # a bug must not kill the worker silently: log, wait, go on
                log.exception("sync worker round failed")
                delay = PERMANENT_PAUSE
            if pause(delay):
                return
