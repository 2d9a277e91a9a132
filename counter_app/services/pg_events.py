"""PostgreSQL LISTEN/NOTIFY → the local event bus, for displays on other machines.

Each committed queue change sends a NOTIFY with the event (see ``UnitOfWork.emit``). The
bridge listens on its own connection and republishes the events of *other* buses (the events
of its own bus were already published there after commit). When the connection drops it reconnects
with back-off; ``generation`` grows on every (re)connection so a display knows to take a
fresh snapshot — events sent while it was away are not replayed.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import URL

from counter_app.services.events import NOTIFY_CHANNEL, EventBus, QueueEventMessage

log = logging.getLogger(__name__)


def libpq_conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresEventBridge:
    def __init__(
        self, url: URL, bus: EventBus, *, poll_seconds: float = 0.5, max_backoff: float = 10.0
    ) -> None:
        self._conninfo = libpq_conninfo(url)
        self._bus = bus
        self._poll = poll_seconds
        self._max_backoff = max_backoff
        self._stop = threading.Event()
        self.connected = threading.Event()
        self.generation = 0
        self._thread = threading.Thread(target=self._run, name="pg-event-bridge", daemon=True)

    def start(self) -> PostgresEventBridge:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.generation += 1
                    self.connected.set()
                    backoff = 0.5
                    while not self._stop.is_set():
                        for notify in conn.notifies(timeout=self._poll):
                            self._forward(notify.payload)
            except psycopg.Error as exc:
                log.warning("queue event listener disconnected: %s", type(exc).__name__)
            self.connected.clear()
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self._max_backoff)

    def _forward(self, payload: str) -> None:
        try:
            message = QueueEventMessage.from_json(payload)
        except (ValueError, KeyError):
            log.warning("ignored a malformed queue notification")
            return
        if message.origin != self._bus.origin:
            self._bus.publish(message)
