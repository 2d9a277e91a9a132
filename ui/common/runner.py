"""Service calls off the GUI thread, their answers back on it (Anki's ``CollectionOp`` habit).

A widget never calls a service directly: a slow database, a locked SQLite file or a printer time-out
must not freeze the window. ``ServiceRunner.run(call, done, failed)`` runs ``call`` on a worker
thread and delivers its result (or its :class:`AppError`) to ``done`` / ``failed`` on the GUI
thread, in the order the calls finish. Anything that is not an ``AppError`` is logged with its
traceback and shown as one general sentence: the window never shows a traceback.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, QThreadPool, Signal, Slot

from ui.common.errors import as_app_error

log = logging.getLogger(__name__)

T = TypeVar("T")
Failed = Callable[[Exception], None]


class _Relay(QObject):
    """Lives on the GUI thread; its signal, emitted from a worker, is queued to that thread."""

    finished = Signal(int, object, object)


@dataclass
class _Pending:
    done: Callable[[Any], None]
    failed: Failed | None


class _Job(QRunnable):
    def __init__(self, token: int, call: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._token, self._call, self._relay = token, call, relay

    def run(self) -> None:
        try:
            result = self._call()
        except Exception as exc:  # delivered to the GUI thread, never lost in a worker
            self._relay.finished.emit(self._token, None, exc)
        else:
            self._relay.finished.emit(self._token, result, None)


class ServiceRunner(QObject):
    """Runs service calls on a thread pool and answers on the GUI thread.

    ``busy_changed`` tells a window when to show that it is working; ``failed`` without a handler
    goes to ``error`` so every window can show the sentence in its status line.
    """

    busy_changed = Signal(bool)
    error = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, call: Callable[[], T], done: Callable[[T], None], failed: Failed | None = None) -> None:
        token = next(self._tokens)
        was_busy = self.busy
        self._pending[token] = _Pending(done, failed)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(token, call, self._relay))

    def wait(self, timeout_ms: int = 10_000) -> None:
        """Until every call so far has been answered (tests, shutdown): finish the workers, then
        deliver what they queued."""
        self._pool.waitForDone(timeout_ms)
        for _round in range(100):
            if not self._pending:
                return
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    @Slot(int, object, object)
    def _deliver(self, token: int, result: object, exc: object) -> None:
        pending = self._pending.pop(token, None)
        if pending is None:
            return
        try:
            if exc is None:
                pending.done(result)
            else:
                assert isinstance(exc, Exception)
                problem = as_app_error(exc)
                if pending.failed is not None:
                    pending.failed(problem)
                else:
                    self.error.emit(str(problem))
        finally:
            if not self._pending:
                self.busy_changed.emit(False)
