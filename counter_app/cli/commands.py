"""The CLI commands: each parses its arguments, calls one service and prints the result."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from counter_app.cli import dossier_commands, hardware, say_command, sync_commands
from counter_app.cli.output import Output, day, minutes, when
from counter_app.cli.parsing import command as _command
from counter_app.cli.parsing import group as _group
from counter_app.db import migrate
from counter_app.domain.devices import DeviceKind
from counter_app.domain.errors import ConflictError, ValidationError
from counter_app.domain.queue import (
    Outcome,
    TicketStatus,
    counter_state_label,
    outcome_label,
    ticket_status_label,
)
from counter_app.domain.roles import Permission, Role
from counter_app.i18n import _, ngettext
from counter_app.services.actor import Actor, role_label
from counter_app.services.app import CounterApp
from counter_app.services.devices import DeviceView
from counter_app.services.views import IssuedTicket, TicketView
from counter_app.settings import Settings


def register(subparsers: Any) -> None:
    for add in (
        _register_db,
        _register_catalogue,
        _register_users,
        _register_queue,
        _register_admin,
        _register_devices,
        dossier_commands.register,
        sync_commands.register,
        say_command.register,
    ):
        add(subparsers)


def _register_db(subparsers: Any) -> None:
    db = _group(subparsers, "db", _("database schema"))
    _command(db, "upgrade", db_upgrade, _("create or update the database schema"))
    _command(db, "current", db_current, _("show the schema revision"))


def _register_catalogue(subparsers: Any) -> None:
    service = _group(subparsers, "service", _("service areas (queues)"))
    p = _command(service, "add", service_add, _("add a service area"))
    p.add_argument("--prefix", required=True, help=_("ticket prefix, one or two letters"))
    p.add_argument("--name", required=True, help=_("name shown to citizens"))
    p.add_argument("--width", type=int, default=3, help=_("digits of the number (default 3)"))
    p.add_argument("--minutes", type=int, default=10, help=_("usual minutes per citizen, before any history"))
    _command(service, "list", service_list, _("list the service areas"))
    p = _command(service, "hours", service_hours, _("set the hours a service area issues tickets"))
    p.add_argument("--prefix", required=True, help=_("ticket prefix, one or two letters"))
    p.add_argument(
        "--hours", default="", help=_("e.g. '07:30-11:00, 13:30-16:30'; empty: no limit of its own")
    )

    counter = _group(subparsers, "counter", _("counters"))
    p = _command(counter, "add", counter_add, _("add a counter"))
    p.add_argument("--label", required=True, help=_("counter label, e.g. 03"))
    p.add_argument("--services", required=True, help=_("prefixes in order of preference, e.g. A,B"))
    p = _command(counter, "services", counter_services, _("change the service areas a counter serves"))
    p.add_argument("--label", required=True, help=_("counter label, e.g. 03"))
    p.add_argument("--services", required=True, help=_("prefixes in order of preference, e.g. A,B"))
    _command(counter, "list", counter_list, _("list the counters"))
    for action, handler, text in (
        ("open", counter_open, _("open (or resume) a counter")),
        ("pause", counter_pause, _("pause a counter for a break; its queue is kept")),
        ("close", counter_close, _("close a counter")),
    ):
        p = _command(counter, action, handler, text)
        p.add_argument("--label", required=True, help=_("counter label, e.g. 03"))
        if action == "open":
            p.add_argument("--user", help=_("the officer working at the counter"))


def _register_users(subparsers: Any) -> None:
    user = _group(subparsers, "user", _("user accounts"))
    p = _command(user, "add", user_add, _("add a user (asks for the password)"))
    p.add_argument("--username", required=True, help=_("login name: lower-case letters and digits"))
    p.add_argument("--role", required=True, choices=[r.value for r in Role], help=_("the account's role"))
    p.add_argument("--name", default="", help=_("full name"))
    p.add_argument("--password-file", type=Path, help=_("read the password from the first line of this file"))
    p = _command(user, "reset-password", user_reset, _("set a temporary password and unlock the account"))
    p.add_argument("--username", required=True, help=_("login name: lower-case letters and digits"))
    p.add_argument("--password-file", type=Path, help=_("read the password from the first line of this file"))
    for action, handler, text in (
        ("disable", user_disable, _("disable an account")),
        ("enable", user_enable, _("enable an account")),
    ):
        p = _command(user, action, handler, text)
        p.add_argument("--username", required=True, help=_("login name: lower-case letters and digits"))
    _command(user, "list", user_list, _("list the accounts"))


def _register_queue(subparsers: Any) -> None:
    ticket = _group(subparsers, "ticket", _("queue tickets"))
    p = _command(ticket, "issue", ticket_issue, _("issue a ticket"))
    p.add_argument("--service", required=True, help=_("service area prefix"))
    p.add_argument(
        "--priority", action="store_true", help=_("priority citizen (elderly, disabled, pregnant…)")
    )
    p.add_argument("--reason", help=_("why the ticket has priority"))
    p.add_argument("--print", action="store_true", help=_("print the ticket on the kiosk printer"))
    for action, handler, text in (
        ("show", ticket_show, _("show a ticket of today")),
        ("requeue", ticket_requeue, _("put a citizen marked absent back at the front")),
        ("cancel", ticket_cancel, _("cancel a ticket")),
    ):
        p = _command(ticket, action, handler, text)
        p.add_argument("number", help=_("ticket number, e.g. A023"))
    p = _command(
        ticket, "print", ticket_print, _("print a waiting ticket of today again on the kiosk printer")
    )
    p.add_argument("number", help=_("ticket number, e.g. A023"))
    p.add_argument(
        "--out", type=Path, metavar="FILE", help=_("write the printer's bytes (ESC/POS) to this file instead")
    )
    p.add_argument(
        "--dots",
        type=int,
        choices=[384, 576],
        help=_("printer paper width in dots: 384 (58 mm), 576 (80 mm)"),
    )

    call = _group(subparsers, "call", _("calling citizens to a counter"))
    for action, handler, text in (
        ("next", call_next, _("call the next citizen")),
        ("recall", call_recall, _("call the same citizen again")),
        ("serve", call_serve, _("start serving the called citizen")),
        ("no-show", call_no_show, _("mark the called citizen absent")),
        ("finish", call_finish, _("finish serving, with the outcome")),
        ("transfer", call_transfer, _("send the citizen to another service area or counter")),
    ):
        p = _command(call, action, handler, text)
        p.add_argument("--counter", required=True, help=_("counter label, e.g. 03"))
        if action == "finish":
            p.add_argument(
                "--outcome",
                choices=[o.value for o in Outcome],
                default=Outcome.GUIDANCE.value,
                help=_("how the visit ended (default: guidance)"),
            )
            p.add_argument("--dossier", help=_("dossier code, for a received or returned dossier"))
        if action == "transfer":
            target = p.add_mutually_exclusive_group(required=True)
            target.add_argument("--to-service", help=_("prefix of the service area to send the citizen to"))
            target.add_argument("--to-counter", help=_("label of the counter to send the citizen to"))

    queue = _group(subparsers, "queue", _("the queue"))
    _command(queue, "show", queue_show, _("show waiting citizens and counters"))


def _register_admin(subparsers: Any) -> None:
    settings = _group(subparsers, "settings", _("centre-wide settings"))
    _command(settings, "show", settings_show, _("show the settings"))
    p = _command(settings, "set", settings_set, _("change a setting"))
    p.add_argument("key", help=_("setting name, as shown by 'settings show'"))
    p.add_argument("value", help=_("new value"))

    audit = _group(subparsers, "audit", _("audit trail"))
    p = _command(audit, "list", audit_list, _("latest audit entries"))
    p.add_argument("--limit", type=int, default=30, help=_("how many entries (default 30)"))

    p = subparsers.add_parser("demo", help=_("run the demo"), description=_("run the demo"))
    p.add_argument("--out", type=Path, help=_("folder for the demo's output"))
    p.add_argument("--headless", action="store_true", help=_("run the scripted day even with a screen"))
    p.set_defaults(handler=demo, no_database=True)


def _register_devices(subparsers: Any) -> None:
    device = _group(subparsers, "device", _("LED boards, rating keypads, ticket printers, scanners"))
    p = _command(device, "add", device_add, _("register a device"))
    p.add_argument("kind", choices=[k.value for k in DeviceKind], help=_("kind of device"))
    p.add_argument(
        "--port", required=True, help=_("pyserial URL: COM3, /dev/ttyUSB0, socket://host:port, sim://…")
    )
    p.add_argument("--address", type=int, help=_("bus address of a board or keypad (1–126)"))
    place = p.add_mutually_exclusive_group()
    place.add_argument("--counter", help=_("counter label, e.g. 03"))
    place.add_argument("--hall", action="store_true", help=_("a board in the waiting hall"))
    p.add_argument("--baud", type=int, default=9600, help=_("baud rate (default 9600)"))
    p.add_argument(
        "--dots",
        type=int,
        choices=[384, 576],
        help=_("printer paper width in dots: 384 (58 mm), 576 (80 mm)"),
    )
    _command(device, "list", device_list, _("list the devices"))
    _command(device, "status", device_status, _("ask every device now and show its state"))
    p = _command(device, "test", device_test, _("show a test pattern or print a test ticket"))
    p.add_argument("id", type=int, help=_("device number, as in 'device list'"))
    p = _command(device, "remove", device_remove, _("remove a device"))
    p.add_argument("id", type=int, help=_("device number, as in 'device list'"))


# -- db ---------------------------------------------------------------------------------
def db_upgrade(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    migrate.upgrade(app.db)
    revision = migrate.current_revision(app.db)
    out.emit(
        {"revision": revision, "database": app.db.describe()},
        _("The database {url} is at schema revision {rev}.").format(url=app.db.describe(), rev=revision),
    )
    return 0


def db_current(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    revision = migrate.current_revision(app.db)
    head = migrate.head_revision()
    out.emit(
        {"revision": revision, "head": head},
        _("Schema revision: {rev} (latest: {head}).").format(rev=revision or "—", head=head),
    )
    return 0


# -- service areas and counters ---------------------------------------------------------
def service_add(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    area = app.catalogue.add_area(actor, args.prefix, args.name, args.width, args.minutes)
    out.emit(area, _("Added service area {prefix} – {name}.").format(prefix=area.prefix, name=area.name))
    return 0


def service_hours(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    area = app.catalogue.set_ticket_hours(actor, args.prefix, args.hours)
    text = (
        _("Tickets for {name} are issued at {hours}.").format(name=area.name, hours=area.ticket_hours)
        if area.ticket_hours
        else _("Tickets for {name} follow the kiosk's hours.").format(name=area.name)
    )
    out.emit(area, text)
    return 0


def service_list(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    areas = app.catalogue.list_areas(include_inactive=True)
    out.table(
        areas,
        [_("Prefix"), _("Service area"), _("Digits"), _("Active")],
        [[a.prefix, a.name, str(a.number_width), _yes_no(a.active)] for a in areas],
    )
    return 0


def counter_add(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counter = app.catalogue.add_counter(actor, args.label, args.services.split(","))
    out.emit(
        counter,
        _("Added counter {label} serving {services}.").format(
            label=counter.label, services=", ".join(counter.service_prefixes)
        ),
    )
    return 0


def counter_services(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counter = app.catalogue.set_counter_services(actor, args.label, args.services.split(","))
    out.emit(
        counter,
        _("Counter {label} now serves {services}.").format(
            label=counter.label, services=", ".join(counter.service_prefixes)
        ),
    )
    return 0


def counter_list(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counters = app.catalogue.list_counters()
    out.table(
        counters,
        [_("Counter"), _("State"), _("Officer"), _("Service areas")],
        [
            [c.label, counter_state_label(c.state), c.officer_name or "—", ", ".join(c.service_prefixes)]
            for c in counters
        ],
    )
    return 0


def counter_open(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counter = app.counters.open(actor, args.label, args.user)
    out.emit(
        counter,
        _("Counter {label} is open; officer: {officer}.").format(
            label=counter.label, officer=counter.officer_name
        ),
    )
    return 0


def counter_pause(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counter = app.counters.pause(actor, args.label)
    out.emit(counter, _("Counter {label} is paused; its queue is kept.").format(label=counter.label))
    return 0


def counter_close(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    counter = app.counters.close(actor, args.label)
    out.emit(counter, _("Counter {label} is closed.").format(label=counter.label))
    return 0


# -- users ------------------------------------------------------------------------------
def _read_password(path: Path | None, confirm: bool = True) -> str:
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(_("Cannot read the password file {path}.").format(path=path)) from exc
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise ValidationError(_("Give --password-file when no one is at the terminal to type the password."))
    first = getpass.getpass(_("Password: "))
    if confirm and getpass.getpass(_("Repeat the password: ")) != first:
        raise ValidationError(_("The two passwords differ; nothing was changed."))
    return first


def user_add(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings) -> int:
    password = _read_password(args.password_file)
    user = app.users.add(actor, args.username, Role(args.role), password, args.name)
    out.emit(user, _("Added user {name} ({role}).").format(name=user.username, role=role_label(user.role)))
    return 0


def user_reset(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    user = app.users.reset_password(actor, args.username, _read_password(args.password_file))
    out.emit(
        user,
        _("The password of {name} was reset; they must change it at the next login.").format(
            name=user.username
        ),
    )
    return 0


def user_disable(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    user = app.users.set_active(actor, args.username, False)
    out.emit(user, _("Disabled the account {name}.").format(name=user.username))
    return 0


def user_enable(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    user = app.users.set_active(actor, args.username, True)
    out.emit(user, _("Enabled the account {name}.").format(name=user.username))
    return 0


def user_list(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    users = app.users.list(actor)
    out.table(
        users,
        [_("User"), _("Name"), _("Role"), _("Active"), _("Locked until")],
        [
            [u.username, u.full_name, role_label(u.role), _yes_no(u.active), when(u.locked_until)]
            for u in users
        ],
    )
    return 0


# -- tickets and calls ------------------------------------------------------------------
def ticket_issue(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    issued = app.queue.issue(actor, args.service, args.priority, args.reason)
    ticket = issued.ticket
    headline = (
        _("Priority ticket {number} – {service}") if ticket.priority else _("Ticket {number} – {service}")
    )
    out.emit(issued, headline.format(number=ticket.number, service=ticket.service_name), *_place(issued))
    if args.print:
        _warn(hardware.print_kiosk_ticket(app, issued, settings.centre_name))
    return 0


def _place(issued: IssuedTicket) -> list[str]:
    wait = minutes(issued.estimated_wait)
    return [
        _("People ahead: {n}").format(n=issued.people_ahead),
        _("You are next.")
        if issued.people_ahead == 0
        else ngettext("Estimated wait: about {m} minute", "Estimated wait: about {m} minutes", wait).format(
            m=wait
        ),
    ]


def ticket_show(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.find(args.number)
    out.emit(ticket, _describe(ticket))
    return 0


def ticket_print(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    """A citizen lost the paper: the same number again, marked as a reprint, with the wait as of now."""
    actor.require(Permission.ISSUE_TICKET)
    issued = app.queue.position(args.number)
    ticket = issued.ticket
    if ticket.status is not TicketStatus.WAITING:
        raise ConflictError(
            _("Ticket {number} is {status}: only a waiting ticket is printed again.").format(
                number=ticket.number, status=ticket_status_label(ticket.status)
            )
        )
    now = app.ctx.clock.now()
    if args.out is not None:
        data = hardware.kiosk_ticket_data(app, issued, settings.centre_name, now, args.dots)
        try:
            args.out.write_bytes(data)
        except OSError as exc:
            raise ValidationError(_("The file '{file}' cannot be written.").format(file=args.out)) from exc
        out.emit(
            issued,
            _("Ticket {number} written to {path} ({size} bytes of ESC/POS).").format(
                number=ticket.number, path=args.out, size=len(data)
            ),
            *_place(issued),
        )
        return 0
    result = hardware.send_kiosk_ticket(app, issued, settings.centre_name, reprinted_at=now)
    if not result.printed:
        for message in result.messages:
            print(message, file=sys.stderr)
        return 1
    out.emit(issued, _("Ticket {number} printed again.").format(number=ticket.number), *_place(issued))
    _warn(result.messages)
    return 0


def ticket_requeue(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.requeue(actor, args.number)
    out.emit(ticket, _("Ticket {number} is back at the front of the queue.").format(number=ticket.number))
    return 0


def ticket_cancel(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.cancel(actor, args.number)
    out.emit(ticket, _("Ticket {number} is cancelled.").format(number=ticket.number))
    return 0


def call_next(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.call_next(actor, args.counter)
    if ticket is None:
        out.emit({"called": None}, _("Nobody is waiting for counter {label}.").format(label=args.counter))
        return 0
    out.emit(
        ticket,
        _("Calling {number} to counter {label}.").format(number=ticket.number, label=ticket.counter_label),
    )
    _warn(hardware.announce_call(app, ticket.number, ticket.counter_label or args.counter))
    return 0


def _warn(warnings: list[str]) -> None:
    """Device trouble never fails a command that already succeeded: it is said on stderr."""
    for warning in warnings:
        print(warning, file=sys.stderr)


def call_recall(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.recall(actor, args.counter)
    _warn(hardware.announce_call(app, ticket.number, ticket.counter_label or args.counter))
    out.emit(
        ticket,
        _("Calling {number} to counter {label} again (recall {n}).").format(
            number=ticket.number, label=ticket.counter_label, n=ticket.recall_count
        ),
    )
    return 0


def call_serve(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.start_serving(actor, args.counter)
    out.emit(
        ticket,
        _("Serving {number} at counter {label}.").format(number=ticket.number, label=ticket.counter_label),
    )
    return 0


def call_no_show(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.no_show(actor, args.counter)
    out.emit(ticket, _("Ticket {number} is marked absent.").format(number=ticket.number))
    return 0


def call_finish(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.finish(actor, args.counter, Outcome(args.outcome), args.dossier)
    _warn(hardware.prompt_rating(app, args.counter, ticket.id))
    out.emit(
        ticket,
        _("Finished {number}: {outcome}.").format(
            number=ticket.number, outcome=outcome_label(Outcome(args.outcome))
        ),
    )
    return 0


def call_transfer(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    ticket = app.queue.transfer(actor, args.counter, to_service=args.to_service, to_counter=args.to_counter)
    target = (
        _("counter {label}").format(label=ticket.target_counter_label)
        if ticket.target_counter_label
        else _("service area {prefix}").format(prefix=ticket.service_prefix)
    )
    out.emit(
        ticket,
        _("Ticket {number} is transferred to {target}, keeping its place.").format(
            number=ticket.number, target=target
        ),
    )
    return 0


def queue_show(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    snapshot = app.state.snapshot(actor)
    if out.json_mode:
        out.emit(snapshot)
        return 0
    print(_("Queue of {date}").format(date=day(snapshot.business_date)))
    out.table(
        None,
        [_("Prefix"), _("Service area"), _("Waiting"), _("Priority")],
        [[w.prefix, w.name, str(w.waiting), str(w.priority_waiting)] for w in snapshot.waiting],
    )
    print()
    out.table(
        None,
        [_("Counter"), _("State"), _("Officer"), _("Current ticket")],
        [
            [
                c.label,
                counter_state_label(c.state),
                c.officer_name or "—",
                (c.current_ticket or "—")
                + (" " + _("(serving)") if c.current_status is TicketStatus.SERVING else ""),
            ]
            for c in snapshot.counters
        ],
    )
    if snapshot.recent_calls:
        print()
        print(
            _("Latest calls: {calls}").format(
                calls=", ".join(f"{c.number} → {c.counter_label}" for c in snapshot.recent_calls)
            )
        )
    return 0


# -- settings and audit -----------------------------------------------------------------
def settings_show(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    config = app.settings.get()
    values = asdict(config)
    out.table(values, [_("Setting"), _("Value")], [[k, str(v)] for k, v in values.items()])
    return 0


def settings_set(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    config = app.settings.set(actor, args.key, args.value)
    out.emit(config, _("Setting {key} is now {value}.").format(key=args.key, value=getattr(config, args.key)))
    return 0


def audit_list(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    entries = app.audit.entries(actor, limit=args.limit)
    out.table(
        entries,
        [_("Time"), _("Who"), _("Action"), _("Object")],
        [[when(e.at), e.actor_name, e.action, f"{e.entity_type} {e.entity_id}"] for e in entries],
    )
    return 0


# -- devices ----------------------------------------------------------------------------
def device_add(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    view = app.devices.add(
        actor,
        DeviceKind(args.kind),
        args.port,
        address=args.address,
        counter_label=args.counter,
        hall=args.hall,
        baud=args.baud,
        paper_dots=args.dots,
    )
    spec = view.spec
    out.emit(
        view,
        _("Registered {kind} {id} on {port} ({place}).").format(
            kind=hardware.kind_label(spec.kind), id=spec.id, port=spec.port, place=hardware.place_label(spec)
        ),
    )
    return 0


def device_remove(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    view = app.devices.remove(actor, args.id)
    out.emit(
        view, _("Removed {kind} {id}.").format(kind=hardware.kind_label(view.spec.kind), id=view.spec.id)
    )
    return 0


def device_list(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    _device_table(out, app.devices.all(actor))
    return 0


def device_status(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    actor.require(Permission.VIEW_DEVICES)
    hardware.probe_all(app)
    _device_table(out, app.devices.all(actor))
    return 0


def device_test(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings
) -> int:
    view = app.devices.get(actor, args.id)
    return hardware.test_device(app, view.spec, out)


def _device_table(out: Output, views: list[DeviceView]) -> None:
    out.table(
        views,
        [
            _("ID"),
            _("Device"),
            _("Port"),
            _("Address"),
            _("Place"),
            _("State"),
            _("Firmware"),
            _("Last error"),
        ],
        [
            [
                str(v.spec.id),
                hardware.kind_label(v.spec.kind),
                v.spec.port,
                str(v.spec.address) if v.spec.address is not None else "—",
                hardware.place_label(v.spec),
                _online_label(v.online) + (f" ({v.faults})" if v.faults else ""),
                v.firmware or "—",
                v.last_error or "—",
            ]
            for v in views
        ],
    )


def _online_label(online: bool | None) -> str:
    return {True: _("online"), False: _("offline"), None: _("not checked yet")}[online]


def demo(app: None, actor: Actor, args: argparse.Namespace, out: Output, settings: Settings) -> int:
    from counter_app.cli.demo import run_demo

    return run_demo(args.out, out, settings, headless=args.headless)


# -- labels -----------------------------------------------------------------------------
def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _describe(ticket: TicketView) -> str:
    if ticket.counter_label:
        text = _("Ticket {number} ({service}): {status} at counter {label}; issued {time}.")
    else:
        text = _("Ticket {number} ({service}): {status}; issued {time}.")
    return text.format(
        number=ticket.number,
        service=ticket.service_name,
        status=ticket_status_label(ticket.status),
        label=ticket.counter_label,
        time=when(ticket.issued_at),
    )
