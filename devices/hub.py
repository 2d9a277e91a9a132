"""All the devices of one process, driven off the caller's thread: one worker per port.

The counter never waits for a device. ``announce_call`` and ``prompt_rating`` queue work on
the port's worker and return at once; a board that is offline costs its worker the time-outs,
not the officer. Several boards on one RS-485 port share that port's worker (half duplex).
``threaded=False`` runs everything inline: the short-lived CLI and deterministic tests use it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from counter_app.domain.devices import DeviceHealth, DeviceKind, DeviceSpec
from devices.board import Board
from devices.keypad import Keypad
from devices.link import Monotonic, PortLink, link_for_url
from devices.protocol import commands

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RatingReport:
    """A keypad answered for a visit: ``level`` None means the prompt expired."""

    device_id: int
    ticket_id: int
    level: int | None
    sequence: int


class _PortWorker:
    def __init__(self, name: str, threaded: bool) -> None:
        self._queue: queue.Queue[Callable[[], None] | None] | None = None
        if threaded:
            self._queue = queue.Queue()
            self._thread = threading.Thread(target=self._run, name=f"port {name}", daemon=True)
            self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        if self._queue is None:
            self._guarded(job)
        else:
            self._queue.put(job)

    def drain(self) -> None:
        if self._queue is not None:
            self._queue.join()

    def stop(self) -> None:
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join(5)

    def _run(self) -> None:
        assert self._queue is not None
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._guarded(job)
            finally:
                self._queue.task_done()

    @staticmethod
    def _guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:  # a device bug must never take the worker (or the counter) down
            log.exception("device job failed")


class DeviceHub:
    def __init__(
        self,
        specs: Sequence[DeviceSpec],
        *,
        clock: Monotonic = time.monotonic,
        threaded: bool = True,
        link_factory: Callable[[DeviceSpec], PortLink] | None = None,
    ) -> None:
        self.specs = {spec.id: spec for spec in specs}
        self._links: dict[str, PortLink] = {}
        self._workers: dict[str, _PortWorker] = {}
        self.boards: dict[int, Board] = {}
        self.keypads: dict[int, Keypad] = {}
        self._pending_visit: dict[int, int] = {}  # keypad id → ticket id it was prompted for
        self._reports: list[RatingReport] = []
        self._lock = threading.Lock()
        make_link = link_factory or (lambda spec: link_for_url(spec.port, spec.baud, clock))
        for spec in specs:
            if spec.kind not in (DeviceKind.BOARD, DeviceKind.KEYPAD):
                continue
            if spec.port not in self._links:
                self._links[spec.port] = make_link(spec)
                self._workers[spec.port] = _PortWorker(spec.port, threaded)
            assert spec.address is not None
            if spec.kind is DeviceKind.BOARD:
                self.boards[spec.id] = Board(self._links[spec.port], spec.address)
            else:
                self.keypads[spec.id] = Keypad(self._links[spec.port], spec.address)

    # -- what the counter asks -----------------------------------------------------------
    def announce_call(self, ticket: str, counter: str) -> None:
        """Show ``ticket → counter`` on the counter's board(s) and the hall board(s)."""
        for device_id, board in self.boards.items():
            spec = self.specs[device_id]
            if spec.hall or spec.counter_label == counter:
                self._submit(spec, partial(board.show_call, ticket, counter))

    def show_text(
        self, text: str, *, counter: str | None = None, hall: bool = False, scrolling: bool = False
    ) -> None:
        """Idle or notice text (diacritics are stripped for the boards)."""
        for device_id, board in self.boards.items():
            spec = self.specs[device_id]
            if (hall and spec.hall) or (counter is not None and spec.counter_label == counter):
                self._submit(spec, partial(board.show_text, text, scrolling))

    def set_brightness(self, level: int) -> None:
        for device_id, board in self.boards.items():
            self._submit(self.specs[device_id], partial(board.set_brightness, level))

    def prompt_rating(self, counter: str, ticket_id: int, seconds: int) -> None:
        """Light the counter's keypad for the visit that just ended."""
        for device_id, keypad in self.keypads.items():
            spec = self.specs[device_id]
            if spec.counter_label == counter:
                with self._lock:
                    self._pending_visit[device_id] = ticket_id
                self._submit(spec, partial(keypad.prompt, seconds))

    def collect_ratings(self) -> list[RatingReport]:
        """Queue a read of every keypad and return the answers gathered so far.

        With worker threads, what the reads queued now find arrives with the next call (poll it
        every few hundred milliseconds); inline, it is returned at once.
        """
        for device_id, keypad in self.keypads.items():
            self._submit(self.specs[device_id], partial(self._read_keypad, device_id, keypad))
        with self._lock:
            reports, self._reports = self._reports, []
        return reports

    def maintain(self) -> None:
        """Call every second or so: offline devices are probed every 5 s and restored."""
        for device_id, board in self.boards.items():
            self._submit(self.specs[device_id], board.maintain)
        for device_id, keypad in self.keypads.items():
            self._submit(self.specs[device_id], keypad.maintain)

    def probe(self) -> list[DeviceHealth]:
        """Ask every board for its STATUS and wake every keypad now; return what was found."""
        for device_id, board in self.boards.items():
            self._submit(self.specs[device_id], board.poll_status)
        for device_id, keypad in self.keypads.items():
            self._submit(self.specs[device_id], keypad.cancel)
        self.drain()
        return self.health()

    def health(self) -> list[DeviceHealth]:
        found = []
        for device_id, board in self.boards.items():
            faults = []
            if board.faults and board.faults.lamp_fault:
                faults.append("lamp")
            if board.faults and board.faults.over_temperature:
                faults.append("temperature")
            found.append(
                DeviceHealth(
                    device_id,
                    board.availability.online,
                    board.availability.last_error,
                    board.firmware,
                    tuple(faults),
                )
            )
        for device_id, keypad in self.keypads.items():
            found.append(DeviceHealth(device_id, keypad.availability.online, keypad.availability.last_error))
        return sorted(found, key=lambda h: h.device_id)

    def drain(self) -> None:
        """Wait until every queued device job has run (for the CLI, tests and shutdown)."""
        for worker in self._workers.values():
            worker.drain()

    def close(self) -> None:
        for worker in self._workers.values():
            worker.stop()
        for link in self._links.values():
            link.close()

    # -- internals -----------------------------------------------------------------------
    def _submit(self, spec: DeviceSpec, job: Callable[[], object]) -> None:
        """Run ``job`` on the port's worker. Its return value is dropped: outcomes are read from the
        drivers' availability (``health()``), which is what the counter and the administrator need."""
        self._workers[spec.port].submit(partial(_discard, job))

    def _read_keypad(self, device_id: int, keypad: Keypad) -> None:
        for event in keypad.poll():
            with self._lock:
                ticket_id = self._pending_visit.pop(device_id, None)
                if ticket_id is None:
                    log.info("keypad %s answered with no visit pending", device_id)
                    continue
                level = event.level if isinstance(event, commands.RatingEvent) else None
                self._reports.append(RatingReport(device_id, ticket_id, level, event.sequence))


def _discard(job: Callable[[], object]) -> None:
    job()
