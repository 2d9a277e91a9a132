"""Where the CLI (and the demo) wire the services to devices/: specs in, health and ratings back.

counter_app's services never import devices/; this composition module does, as the house plan
allows for the commands that drive hardware.
"""

from __future__ import annotations

from counter_app.cli.output import Output
from counter_app.domain.devices import DeviceHealth, DeviceKind, DeviceSpec
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from devices.hub import DeviceHub


def hub_for(app: CounterApp, counter_label: str | None = None, *, threaded: bool = False) -> DeviceHub:
    return DeviceHub(app.devices.specs(counter_label), threaded=threaded)


def announce_call(app: CounterApp, ticket: str, counter: str) -> list[str]:
    """Show the call on the counter's and the hall's boards; warnings for those that did not answer."""
    hub = hub_for(app, counter)
    try:
        if not hub.boards:
            return []
        hub.announce_call(ticket, counter)
        hub.drain()
        health = hub.health()
        app.devices.record_health(health)
        return [describe_problem(hub.specs[h.device_id], h) for h in health if h.online is False]
    finally:
        hub.close()


def prompt_rating(app: CounterApp, counter: str, ticket_id: int) -> list[str]:
    hub = hub_for(app, counter)
    try:
        if not hub.keypads:
            return []
        hub.prompt_rating(counter, ticket_id, app.settings.get().rating_prompt_seconds)
        hub.drain()
        health = hub.health()
        app.devices.record_health(health)
        return [describe_problem(hub.specs[h.device_id], h) for h in health if h.online is False]
    finally:
        hub.close()


def probe_all(app: CounterApp) -> list[DeviceHealth]:
    """Ask every registered device now (``device status``) and record what it answered."""
    hub = hub_for(app)
    try:
        health = hub.probe()
    finally:
        hub.close()
    app.devices.record_health(health)
    return health


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
    """``device test``: a test pattern on a board, a lit keypad; the result is recorded and printed."""
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
