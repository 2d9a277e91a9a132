"""Queue events delivered on the GUI thread, as a Qt signal.

The event bus calls its subscribers on whatever thread published (a service worker, the
PostgreSQL listener). ``QueueEvents.received`` is emitted from there; Qt queues it to the
widgets' thread, so slots that are methods of widgets run on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from counter_app.services.events import EventBus, QueueEventMessage


class QueueEvents(QObject):
    received = Signal(object)  # QueueEventMessage

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = bus.subscribe(self._publish)

    def _publish(self, message: QueueEventMessage) -> None:
        self.received.emit(message)

    def close(self) -> None:
        self._unsubscribe()
