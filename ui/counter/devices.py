"""The counter's own devices, driven from queue events: its LED board (and the hall's), its rating keypad.

A ``DeviceHub`` runs every port on a worker thread, so a board that is unplugged costs the officer
nothing. Once a second the hub is maintained (offline devices re-probed) and keypad answers are
collected and recorded as the visit's rating; every few seconds the health goes to the header (red,
with the reason) and to the database, where the administrator's device list reads it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from counter_app.cli.hardware import describe_problem, kind_label, place_label
from counter_app.domain.devices import DeviceHealth
from counter_app.domain.queue import QueueEventKind
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from counter_app.services.devices import RatingView
from counter_app.services.events import QueueEventMessage
from devices.hub import DeviceHub, RatingReport
from ui.common.events import QueueEvents
from ui.common.runner import ServiceRunner

log = logging.getLogger(__name__)

HEALTH_EVERY_TICKS = 5


class CounterDevices(QObject):
    problems_changed = Signal(list)  # list[str]: one sentence per device that is not working
    rated = Signal(object)  # RatingView: a keypad answered for a visit

    def __init__(
        self,
        app: CounterApp,
        counter_label: str,
        events: QueueEvents,
        runner: ServiceRunner,
        *,
        hub: DeviceHub | None = None,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__(runner)
        self.app, self.counter_label, self.runner = app, counter_label, runner
        self.specs = {spec.id: spec for spec in app.devices.specs(counter_label)}
        self.hub = hub or DeviceHub(list(self.specs.values()))
        self._ticks = 0
        self.prompt_seconds = app.settings.get().rating_prompt_seconds
        events.received.connect(self._on_event)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(tick_ms)

    @Slot(object)
    def _on_event(self, event: QueueEventMessage) -> None:
        payload = event.payload
        if str(payload.get("counter", "")) != self.counter_label:
            return
        if event.kind in (QueueEventKind.CALLED, QueueEventKind.RECALLED):
            self.hub.announce_call(str(payload["number"]), self.counter_label)
        elif event.kind is QueueEventKind.FINISHED:
            self.hub.prompt_rating(self.counter_label, int(payload["ticket_id"]), self.prompt_seconds)

    @Slot()
    def tick(self) -> None:
        self._ticks += 1
        self.hub.maintain()
        for report in self.hub.collect_ratings():
            self._record(report)
        if self._ticks % HEALTH_EVERY_TICKS == 1:
            self.check_health()

    def check_health(self) -> None:
        health = self.hub.health()
        self.problems_changed.emit(self.problems(health))
        self.runner.run(lambda: self.app.devices.record_health(health), lambda _none: None)

    def problems(self, health: list[DeviceHealth]) -> list[str]:
        """One sentence per device that is silent or reports a fault (a lamp, the temperature)."""
        found = []
        for report in health:
            spec = self.specs.get(report.device_id)
            if spec is None:
                continue
            if report.online is False:
                found.append(describe_problem(spec, report))
            elif report.faults:
                found.append(
                    _("{kind} ({place}) reports a fault: {faults}.").format(
                        kind=kind_label(spec.kind), place=place_label(spec), faults=", ".join(report.faults)
                    )
                )
        return found

    def _record(self, report: RatingReport) -> None:
        def record() -> RatingView | None:
            return self.app.ratings.record(
                report.ticket_id, report.level, device_id=report.device_id, sequence=report.sequence
            )

        self.runner.run(record, lambda view: self.rated.emit(view) if view is not None else None)

    def close(self) -> None:
        self.timer.stop()
        self.hub.close()
