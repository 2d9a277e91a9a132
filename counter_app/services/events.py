"""The one event bus: services publish queue events after commit; displays and kiosks subscribe.

In one process (the embedded SQLite default) the bus is all there is. Across machines on
PostgreSQL the transaction also sends ``NOTIFY`` (delivered only on commit), and a
:class:`PostgresEventBridge` on each listening machine republishes the events of *other*
processes onto its local bus, so subscribers see one stream either way.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from counter_app.domain.queue import QueueEventKind

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "counter_app_queue"


@dataclass(frozen=True)
class QueueEventMessage:
    """A committed queue change. ``id`` grows with commit order per database."""

    id: int
    kind: QueueEventKind
    at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # the bus that published it first (see PostgresEventBridge)

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "kind": self.kind.value,
                "at": self.at.isoformat(),
                "payload": self.payload,
                "origin": self.origin,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> QueueEventMessage:
        data = json.loads(text)
        return cls(
            id=int(data["id"]),
            kind=QueueEventKind(data["kind"]),
            at=datetime.fromisoformat(data["at"]),
            payload=dict(data.get("payload") or {}),
            origin=str(data.get("origin", "")),
        )


Subscriber = Callable[[QueueEventMessage], None]


class EventBus:
    """Thread-safe publish/subscribe. A failing subscriber is logged and never breaks the publisher.

    ``origin`` names this bus in the events its services send, so a NOTIFY bridge can tell the
    events this bus already delivered from those of other machines.
    """

    def __init__(self) -> None:
        self.origin = uuid.uuid4().hex
        self._lock = threading.Lock()
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, message: QueueEventMessage) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(message)
            except Exception:
                log.exception("queue event subscriber failed (event %s)", message.id)
