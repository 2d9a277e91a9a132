"""The demo centre's devices, on simulators, driven by queue events the way the windows will drive real ones.

Counter boards share one simulated RS-485 bus (address = counter number), one board hangs in
the hall, each counter has a rating keypad, and the kiosk has an 80 mm ticket printer. Device
time follows the demo's clock, so the 5-second re-probe of an unplugged board happens in
simulated time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from counter_app.cli.hardware import ticket_slip
from counter_app.domain.clock import ManualClock, format_local_time, local_datetime
from counter_app.domain.devices import DeviceKind, brightness_at, parse_brightness_schedule
from counter_app.domain.queue import QueueEventKind
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.events import QueueEventMessage
from counter_app.services.views import IssuedTicket
from devices.hub import DeviceHub
from devices.printer import DOTS_80MM, EscposTicketPrinter, PrinterNotReady
from devices.simulators import registry
from devices.simulators.board import BoardBus
from devices.simulators.keypad import KeypadSim
from devices.simulators.printer import PrinterSim
from printing.ticket import kiosk_ticket_bytes

COUNTER_BUS = "demo-counter-boards"
HALL = "demo-hall-board"
PRINTER = "demo-kiosk-printer"
PRINTER_URL = f"sim://{PRINTER}?kind=printer&dots={DOTS_80MM}"


class DemoHardware:
    def __init__(
        self, app: CounterApp, admin: Actor, clock: ManualClock, counters: list[str], rng: random.Random
    ) -> None:
        self.app, self.clock, self.rng = app, clock, rng
        registry.reset()
        addresses = ",".join(str(int(label)) for label in counters)
        devices = app.devices
        for label in counters:
            devices.add(
                admin,
                DeviceKind.BOARD,
                f"sim://{COUNTER_BUS}?kind=board&addresses={addresses}",
                address=int(label),
                counter_label=label,
            )
            devices.add(
                admin,
                DeviceKind.KEYPAD,
                f"sim://demo-keypad-{label}?kind=keypad&address=1",
                address=1,
                counter_label=label,
            )
        devices.add(admin, DeviceKind.BOARD, f"sim://{HALL}?kind=board&addresses=1", address=1, hall=True)
        devices.add(admin, DeviceKind.PRINTER, PRINTER_URL, paper_dots=DOTS_80MM)
        self.counters = counters
        self.hub = DeviceHub(devices.specs(), clock=lambda: clock.now().timestamp(), threaded=False)
        # Kiosk tickets are raster from top to bottom, so the saved picture is the whole ticket.
        self.printer = EscposTicketPrinter(PRINTER_URL, DOTS_80MM)
        # Ports open on first use; the simulators are created now so the demo can inspect them.
        self.printer_sim: PrinterSim = registry.get(PRINTER)
        self.hall: BoardBus = registry.device_for(HALL, {"kind": "board", "addresses": "1"})  # type: ignore[assignment]
        self.boards: BoardBus = registry.device_for(  # type: ignore[assignment]
            COUNTER_BUS, {"kind": "board", "addresses": addresses}
        )
        for label in counters:
            registry.device_for(f"demo-keypad-{label}", {"kind": "keypad", "address": "1"})
        config = app.settings.get()
        self.schedule = parse_brightness_schedule(config.board_brightness)
        self.prompt_seconds = config.rating_prompt_seconds
        self.brightness: int | None = None
        self.printed = 0
        self.not_printed = 0
        self.first_ticket: Path | None = None
        self.hall_outage: list[str] = []
        self.unsubscribe: Callable[[], None] = app.bus.subscribe(self._on_event)
        self.hub.show_text(config.board_idle_text, hall=True, scrolling=True)

    def _on_event(self, event: QueueEventMessage) -> None:
        payload = event.payload
        if event.kind in (QueueEventKind.CALLED, QueueEventKind.RECALLED):
            self.hub.announce_call(str(payload["number"]), str(payload["counter"]))
        elif event.kind is QueueEventKind.FINISHED:
            self.hub.prompt_rating(str(payload["counter"]), int(payload["ticket_id"]), self.prompt_seconds)

    def print_ticket(self, issued: IssuedTicket, centre_name: str, folder: Path) -> None:
        try:
            self.printer.print_bytes(kiosk_ticket_bytes(ticket_slip(issued, centre_name), DOTS_80MM))
        except PrinterNotReady:
            self.not_printed += 1  # the kiosk shows the number on screen instead
            return
        self.printed += 1
        if self.first_ticket is None:
            self.first_ticket = folder / f"ticket-{issued.ticket.number}.png"
            self.printer_sim.ticket_image(len(self.printer_sim.jobs) - 1).save(self.first_ticket)

    def minute(self) -> None:
        """What happens at the devices in one simulated minute."""
        now = local_datetime(self.clock.now())
        level = brightness_at(self.schedule, now.time())
        if level != self.brightness:
            self.brightness = level
            self.hub.set_brightness(level)
        self._scripted_faults(now.hour, now.minute)
        self._citizens_rate()
        hall = self.hub.boards[self._hall_id()].availability
        was_offline = hall.online is False
        self.hub.maintain()
        if was_offline and hall.online:
            self.hall_outage.append(format_local_time(self.clock.now()))

    def _scripted_faults(self, hour: int, minute: int) -> None:
        if (hour, minute) == (9, 0):
            self.printer_sim.paper_out = True  # the kiosk runs out of paper...
        elif (hour, minute) == (9, 8):
            self.printer_sim.paper_out = False  # ...and is refilled
        elif (hour, minute) == (10, 0):
            self.hall.unplug()  # someone pulls the hall board's plug
            self.hall_outage.append(format_local_time(self.clock.now()))
        elif (hour, minute) == (10, 6):
            self.hall.plug_in()

    def _citizens_rate(self) -> None:
        for label in self.counters:
            keypad: KeypadSim = registry.get(f"demo-keypad-{label}")
            if keypad.lit:
                if self.rng.random() < 0.15:
                    keypad.expire()
                else:
                    keypad.press(self.rng.choices([1, 2, 3, 4], weights=[55, 30, 10, 5])[0])
        for report in self.hub.collect_ratings():
            self.app.ratings.record(
                report.ticket_id, report.level, device_id=report.device_id, sequence=report.sequence
            )

    def _hall_id(self) -> int:
        return next(i for i, spec in self.hub.specs.items() if spec.hall)

    def report(self) -> list[str]:
        summary = self.app.ratings.summary(Actor.system("demo"), local_datetime(self.clock.now()).date())
        rate = f"{100 * summary.satisfaction_rate:.0f}" if summary.satisfaction_rate is not None else "—"
        shown = ", ".join(
            f"{_('counter {label}').format(label=label)}: {self._showing(self.boards, int(label))}"
            for label in self.counters
        )
        lines = [
            _("LED boards now show: {boards}; hall: {hall}.").format(
                boards=shown, hall=self._showing(self.hall, 1)
            ),
            _(
                "Tickets printed: {printed}; not printed while the printer was out of paper: {missed} "
                "(their numbers were shown on screen)."
            ).format(printed=self.printed, missed=self.not_printed),
            _("Ratings: {n}, satisfied: {satisfied} ({rate} %), no rating: {none}.").format(
                n=summary.ratings, satisfied=summary.satisfied, rate=rate, none=summary.no_rating
            ),
        ]
        if len(self.hall_outage) >= 2:
            lines.append(
                _(
                    "The hall board was unplugged at {lost} and back at {back}; its content was sent again."
                ).format(lost=self.hall_outage[0], back=self.hall_outage[1])
            )
        if self.first_ticket is not None:
            lines.append(
                _("The first printed ticket, as the printer received it: {path}").format(
                    path=self.first_ticket
                )
            )
        return lines

    @staticmethod
    def _showing(bus: BoardBus, address: int) -> str:
        state = bus.board(address)
        if state.showing:
            return f"{state.showing[0]} → {state.showing[1]}"
        return state.text or "—"

    def close(self) -> None:
        self.unsubscribe()
        self.hub.close()
        self.printer.close()
