"""Where the CLI (and the demo) wire the services to devices/: specs in, health and ratings back.

counter_app's services never import devices/; this composition module does, as the house plan
allows for the commands that drive hardware.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from counter_app.cli.output import Output
from counter_app.domain.clock import LOCAL_TZ
from counter_app.domain.devices import DeviceHealth, DeviceKind, DeviceSpec
from counter_app.domain.ticket_slip import TicketSlip, lookup_reference
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from counter_app.services.views import IssuedTicket
from devices.hub import DeviceHub
from devices.printer import DOTS_80MM, EscposTicketPrinter, PrinterFault, PrinterNotReady
from devices.scanner import SerialScanner
from devices.transport import PortUnavailableError
from printing.escpos import build_ticket, test_ticket_job
from printing.ticket import kiosk_ticket_bytes


def announce_call(app: CounterApp, ticket: str, counter: str) -> list[str]:
    """Show the call on the counter's and the hall's boards; warnings for those that did not answer."""
    return _drive_counter(app, counter, lambda hub: hub.announce_call(ticket, counter))


def prompt_rating(app: CounterApp, counter: str, ticket_id: int) -> list[str]:
    """Light the counter's keypad for the visit that just ended (a running window collects the answer)."""
    seconds = app.settings.get().rating_prompt_seconds
    return _drive_counter(app, counter, lambda hub: hub.prompt_rating(counter, ticket_id, seconds))


def _drive_counter(app: CounterApp, counter: str, action: Callable[[DeviceHub], None]) -> list[str]:
    """Run ``action`` on the devices of ``counter`` and the hall, inline (the command already committed),
    record what they answered, and word a warning for each device that did not."""
    hub = DeviceHub(app.devices.specs(counter), threaded=False)
    try:
        if not (hub.boards or hub.keypads):
            return []
        action(hub)
        hub.drain()
        health = hub.health()
    finally:
        hub.close()
    app.devices.record_health(health)
    return [describe_problem(hub.specs[h.device_id], h) for h in health if h.online is False]


def probe_all(app: CounterApp) -> list[DeviceHealth]:
    """Ask every registered device now (``device status``) and record what it answered."""
    specs = app.devices.specs()
    hub = DeviceHub(specs, threaded=False)
    try:
        health = hub.probe()
    finally:
        hub.close()
    health += [printer_health(s) for s in specs if s.kind is DeviceKind.PRINTER]
    health += [scanner_health(s) for s in specs if s.kind is DeviceKind.SCANNER]
    app.devices.record_health(health)
    return health


def open_printer(spec: DeviceSpec) -> EscposTicketPrinter:
    return EscposTicketPrinter(spec.port, spec.paper_dots or DOTS_80MM, baudrate=spec.baud)


def printer_health(spec: DeviceSpec) -> DeviceHealth:
    """DLE EOT before anything else: a printer that cannot print is offline for the kiosk."""
    try:
        printer = open_printer(spec)
    except PortUnavailableError as exc:
        return DeviceHealth(spec.id, False, str(exc))
    try:
        status = printer.status()
    finally:
        printer.close()
    fault = status.fault
    faults = (fault.value,) if fault is not PrinterFault.NONE else ()
    return DeviceHealth(
        spec.id, not fault.blocks_printing, None if fault is PrinterFault.NONE else fault.value, None, faults
    )


def scanner_health(spec: DeviceSpec) -> DeviceHealth:
    """A scanner only talks when it scans: "online" means its port opens."""
    try:
        scanner = SerialScanner(spec.port, baudrate=spec.baud)
    except PortUnavailableError as exc:
        return DeviceHealth(spec.id, False, str(exc))
    scanner.close()
    return DeviceHealth(spec.id, True)


def ticket_slip(issued: IssuedTicket, centre_name: str, reprinted_at: datetime | None = None) -> TicketSlip:
    """What the paper says, from what the queue service answered (printing/ never sees the service)."""
    ticket = issued.ticket
    return TicketSlip(
        centre_name=centre_name,
        service_name=ticket.service_name,
        number=ticket.number,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        people_ahead=issued.people_ahead,
        estimated_wait=issued.estimated_wait,
        lookup_reference=lookup_reference(ticket.business_date, ticket.number),
        reprinted_at=reprinted_at,
    )


@dataclass(frozen=True)
class KioskPrint:
    """How a kiosk ticket went: ``printed`` or not, and the sentences to show (the reason, or a warning)."""

    printed: bool
    messages: list[str]  # for staff and the log
    reason: str | None = None  # why it did not print, in a few words a citizen understands


def print_kiosk_ticket(app: CounterApp, issued: IssuedTicket, centre_name: str) -> list[str]:
    """Print the ticket on the kiosk printer; if it cannot print, the ticket stands and we say so."""
    return send_kiosk_ticket(app, issued, centre_name).messages


def send_kiosk_ticket(
    app: CounterApp, issued: IssuedTicket, centre_name: str, reprinted_at: datetime | None = None
) -> KioskPrint:
    """Lay the ticket out for the first registered printer's paper and send it if that printer can print.

    Nothing is written to a printer that is out of paper, open, offline or silent; its health is recorded
    either way, so ``device list`` shows what the kiosk met.
    """
    printers = [s for s in app.devices.specs() if s.kind is DeviceKind.PRINTER]
    if not printers:
        return KioskPrint(
            False,
            [
                _("No ticket printer is registered; show the number {number} on screen.").format(
                    number=issued.ticket.number
                )
            ],
            _("this kiosk has no ticket printer"),
        )
    spec = printers[0]
    try:
        printer = open_printer(spec)
    except PortUnavailableError as exc:
        app.devices.record_health([DeviceHealth(spec.id, False, str(exc))])
        return KioskPrint(
            False, [_printer_problem(PrinterFault.NO_ANSWER, issued)], _fault_words(PrinterFault.NO_ANSWER)
        )
    try:
        data = kiosk_ticket_bytes(ticket_slip(issued, centre_name, reprinted_at), printer.dots)
        result = printer.print_bytes(data)
    except PrinterNotReady as refused:
        app.devices.record_health(
            [DeviceHealth(spec.id, False, refused.fault.value, None, (refused.fault.value,))]
        )
        return KioskPrint(False, [_printer_problem(refused.fault, issued)], _fault_words(refused.fault))
    finally:
        printer.close()
    faults = (result.warning.value,) if result.paper_near_end else ()
    app.devices.record_health([DeviceHealth(spec.id, True, None, None, faults)])
    return KioskPrint(
        True, [_("The ticket printer's paper is running low.")] if result.paper_near_end else []
    )


def kiosk_ticket_data(
    app: CounterApp, issued: IssuedTicket, centre_name: str, reprinted_at: datetime, dots: int | None
) -> bytes:
    """The bytes for ``ticket print --out``: for ``dots``, else for the kiosk printer's paper."""
    if dots is None:
        printers = [s for s in app.devices.specs() if s.kind is DeviceKind.PRINTER]
        dots = (printers[0].paper_dots if printers else None) or DOTS_80MM
    return kiosk_ticket_bytes(ticket_slip(issued, centre_name, reprinted_at), dots)


def _fault_words(fault: PrinterFault) -> str:
    reasons = {
        PrinterFault.PAPER_OUT: _("the printer is out of paper"),
        PrinterFault.COVER_OPEN: _("the printer's cover is open"),
        PrinterFault.OFFLINE: _("the printer is offline"),
        PrinterFault.NO_ANSWER: _("the printer does not answer"),
    }
    return reasons.get(fault, fault.value)


def _printer_problem(fault: PrinterFault, issued: IssuedTicket) -> str:
    return _(
        "The ticket could not be printed ({reason}); number {number} is in the queue: show it on screen."
    ).format(reason=_fault_words(fault), number=issued.ticket.number)


def kind_label(kind: DeviceKind) -> str:
    return {
        DeviceKind.BOARD: _("LED board"),
        DeviceKind.KEYPAD: _("rating keypad"),
        DeviceKind.PRINTER: _("ticket printer"),
        DeviceKind.SCANNER: _("barcode scanner"),
    }[kind]


def place_label(spec: DeviceSpec) -> str:
    if spec.hall:
        return _("hall")
    if spec.counter_label:
        return _("counter {label}").format(label=spec.counter_label)
    return "—"


def describe_problem(spec: DeviceSpec, health: DeviceHealth) -> str:
    return _("Warning: {kind} {id} ({place}) does not answer: {reason}. The call goes on without it.").format(
        kind=kind_label(spec.kind), id=spec.id, place=place_label(spec), reason=health.last_error or "—"
    )


def test_device(app: CounterApp, spec: DeviceSpec, out: Output) -> int:
    """``device test``: a test pattern, a lit keypad, a test ticket, or the codes a scanner sent."""
    if spec.kind is DeviceKind.PRINTER:
        return _test_printer(app, spec, out)
    if spec.kind is DeviceKind.SCANNER:
        return _test_scanner(app, spec, out)
    hub = DeviceHub([spec], threaded=False)
    try:
        if spec.kind is DeviceKind.BOARD:
            hub.show_text(
                "KIEM TRA 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ", counter=spec.counter_label, hall=spec.hall
            )
        elif spec.kind is DeviceKind.KEYPAD:
            hub.prompt_rating(spec.counter_label or "", ticket_id=0, seconds=10)
        health = hub.probe()
    finally:
        hub.close()
    app.devices.record_health(health)
    report = health[0] if health else DeviceHealth(spec.id, None)
    if report.online:
        out.emit(
            report,
            _("{kind} {id} answered: the test was sent.").format(kind=kind_label(spec.kind), id=spec.id),
        )
        return 0
    out.emit(report, describe_problem(spec, report))
    return 1


def _test_printer(app: CounterApp, spec: DeviceSpec, out: Output) -> int:
    try:
        printer = open_printer(spec)
    except PortUnavailableError as exc:
        report = DeviceHealth(spec.id, False, str(exc))
        app.devices.record_health([report])
        out.emit(report, describe_problem(spec, report))
        return 1
    try:
        job = test_ticket_job(app.ctx.clock.now().astimezone(LOCAL_TZ))
        printer.print_bytes(build_ticket(job, printer.dots))
    except PrinterNotReady as refused:
        report = DeviceHealth(spec.id, False, refused.fault.value, None, (refused.fault.value,))
        app.devices.record_health([report])
        out.emit(report, describe_problem(spec, report))
        return 1
    finally:
        printer.close()
    report = DeviceHealth(spec.id, True)
    app.devices.record_health([report])
    out.emit(
        report, _("{kind} {id} answered: the test was sent.").format(kind=kind_label(spec.kind), id=spec.id)
    )
    return 0


def _test_scanner(app: CounterApp, spec: DeviceSpec, out: Output) -> int:
    report = scanner_health(spec)
    app.devices.record_health([report])
    if not report.online:
        out.emit(report, describe_problem(spec, report))
        return 1
    scanner = SerialScanner(spec.port, baudrate=spec.baud)
    try:
        codes = scanner.read_codes()
    finally:
        scanner.close()
    out.emit(
        {"codes": codes}, _("Codes waiting from the scanner: {codes}").format(codes=", ".join(codes) or "—")
    )
    return 0
