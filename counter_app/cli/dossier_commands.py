"""CLI commands of the one-stop workflow: procedures, the calendar, ID checks and dossiers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter_app.cli import print_commands
from counter_app.cli.output import Output, when
from counter_app.cli.parsing import command as _command
from counter_app.cli.parsing import group as _group
from counter_app.domain.applicant import Applicant, Proxy
from counter_app.domain.citizen_id import check_citizen_id, gender_label, parse_chip_qr, parse_gender
from counter_app.domain.clock import SystemClock, format_date, local_date, parse_date, parse_local_datetime
from counter_app.domain.dossier import (
    ApplicantKind,
    Channel,
    PaymentMethod,
    ReturnMethod,
    status_label,
    timeliness_label,
)
from counter_app.domain.errors import ValidationError
from counter_app.domain.procedure import Procedure, ProcessingTime, TimeUnit
from counter_app.domain.working_days import weekday_name
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_queries import Rate
from counter_app.services.dossier_requests import (
    Apology,
    DocumentTick,
    IntakeRequest,
    NewFile,
    Receiver,
    SupplementRequest,
    Withdrawal,
)
from counter_app.services.dossier_views import DossierSummary, DossierView
from counter_app.services.procedure_files import demo_catalogue_path, format_row_errors, write_procedures
from counter_app.services.procedures import describe_import
from counter_app.settings import Settings

UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.SAME_DAY: "trong ngày",
    TimeUnit.CALENDAR_DAYS: "ngày",
}


def register(subparsers: Any) -> None:
    _register_procedures(subparsers)
    _register_calendar(subparsers)
    _register_id(subparsers)
    _register_dossiers(subparsers)
    print_commands.register(subparsers)


def _register_procedures(subparsers: Any) -> None:
    procedure = _group(subparsers, "procedure", _("the procedure catalogue (TTHC)"))
    p = _command(procedure, "import", procedure_import, _("import procedures from a CSV or XLSX file"))
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help=_("CSV or XLSX file"))
    source.add_argument(
        "--demo", action="store_true", help=_("load the demo catalogue shipped with the program")
    )
    p = _command(procedure, "export", procedure_export, _("export the current procedures to CSV or XLSX"))
    p.add_argument("file", type=Path, help=_("CSV or XLSX file"))
    p = _command(procedure, "list", procedure_list, _("list or search the procedures in force"))
    p.add_argument(
        "text", nargs="?", default="", help=_("words of the name or the code, diacritics optional")
    )
    p.add_argument("--service", help=_("service area prefix"))
    p = _command(procedure, "show", procedure_show, _("show a procedure with its documents"))
    p.add_argument("code", help=_("national procedure code, e.g. 1.001193"))


def _register_calendar(subparsers: Any) -> None:
    calendar = _group(subparsers, "calendar", _("the legal working-day calendar"))
    p = _command(calendar, "show", calendar_show, _("days off and working weekend days of a year"))
    p.add_argument("year", type=int, help=_("year, e.g. 2026"))
    for action, handler, text in (
        ("add-off", calendar_add_off, _("declare a day off (official letter)")),
        ("add-workday", calendar_add_workday, _("declare a working day, e.g. a swapped Saturday")),
        ("clear", calendar_clear, _("remove an administrator's decision for a day")),
    ):
        p = _command(calendar, action, handler, text)
        p.add_argument("date", help=_("date, dd/mm/yyyy"))
        if action != "clear":
            p.add_argument("--reference", default="", help=_("the official letter, e.g. 'Công văn 123/UBND'"))
            p.add_argument("--name", default="", help=_("what the day is"))
    p = _command(calendar, "due", calendar_due, _("the appointment the rules give for a receipt"))
    p.add_argument("--from", dest="start", required=True, help=_("receipt time, 'dd/mm/yyyy HH:MM'"))
    time = p.add_mutually_exclusive_group(required=True)
    time.add_argument("--days", type=int, help=_("working days"))
    time.add_argument("--hours", type=int, help=_("working hours"))
    time.add_argument("--calendar-days", type=int, help=_("calendar days"))
    time.add_argument("--same-day", action="store_true", help=_("a same-day procedure"))
    time.add_argument("--procedure", help=_("national procedure code, e.g. 1.001193"))


def _register_id(subparsers: Any) -> None:
    ident = _group(subparsers, "id", _("personal ID numbers"))
    # Pure checks: no database needed.
    p = _command(ident, "check", id_check, _("check a 12-digit personal ID number"))
    p.set_defaults(no_database=True)
    p.add_argument("number", help=_("the ID number"))
    p.add_argument("--dob", help=_("date of birth, dd/mm/yyyy"))
    p.add_argument("--gender", help=_("nam or nữ"))
    p = _command(ident, "qr", id_qr, _("read the line scanned from a chip card's QR code"))
    p.set_defaults(no_database=True)
    p.add_argument("line", help=_("the scanned line"))


def _applicant_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--procedure", required=True, help=_("national procedure code, e.g. 1.001193"))
    p.add_argument("--name", required=True, help=_("applicant's full name (or the organisation's name)"))
    p.add_argument("--id-number", help=_("applicant's 12-digit personal ID number"))
    p.add_argument("--old-id", help=_("an old 9-digit CMND number, for finding earlier records"))
    p.add_argument("--dob", help=_("date of birth, dd/mm/yyyy"))
    p.add_argument("--gender", help=_("nam or nữ"))
    p.add_argument("--address", default="", help=_("address"))
    p.add_argument("--phone", help=_("phone number"))
    p.add_argument("--email", help=_("e-mail address"))
    p.add_argument("--tax-code", help=_("an organisation's tax code (the applicant is then an organisation)"))
    p.add_argument("--representative", help=_("who represents the organisation"))
    p.add_argument("--proxy-name", help=_("authorised person filing for the applicant"))
    p.add_argument("--proxy-id", help=_("the authorised person's ID number"))
    p.add_argument("--proxy-paper", default="", help=_("the authorisation paper"))
    p.add_argument(
        "--channel",
        choices=[c.value for c in Channel],
        default=Channel.COUNTER.value,
        help=_("how the dossier arrived"),
    )
    p.add_argument(
        "--return-by",
        choices=[r.value for r in ReturnMethod],
        default=ReturnMethod.COUNTER.value,
        help=_("where the result is returned"),
    )
    p.add_argument("--pay", choices=[m.value for m in PaymentMethod], help=_("how the fee is paid"))
    p.add_argument("--pay-ref", help=_("payment reference (transfer or card)"))
    p.add_argument("--sets", type=int, default=1, help=_("number of sets (default 1)"))
    p.add_argument("--note", default="", help=_("a note"))
    p.add_argument("--ticket", help=_("the queue ticket, e.g. B012"))
    _document_arguments(p)


def _document_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--documents", help=_("positions of the checklist received, e.g. 1,2,4 (default: all)"))
    p.add_argument(
        "--copies",
        action="append",
        default=[],
        metavar="N=COPIES",
        help=_("copies of document N when they differ from the catalogue"),
    )
    p.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="N=PATH",
        help=_("attach a scanned file to document N (PDF, JPEG, PNG)"),
    )
    p.add_argument(
        "--reuse",
        action="append",
        default=[],
        metavar="N=SHA256",
        help=_("reuse a file digitised for this person in an earlier dossier"),
    )


def _register_dossiers(subparsers: Any) -> None:
    dossier = _group(subparsers, "dossier", _("dossiers (hồ sơ)"))
    p = _command(dossier, "receive", dossier_receive, _("receive a dossier and give its appointment"))
    _applicant_arguments(p)
    outcome = p.add_mutually_exclusive_group()
    outcome.add_argument(
        "--missing", action="append", help=_("incomplete: what is missing (checklist position or words)")
    )
    outcome.add_argument(
        "--refuse", metavar="REASON", help=_("refuse the dossier at the counter, with the reason")
    )
    p.add_argument("--reason", default="", help=_("the reason given with a supplement request"))

    p = _command(dossier, "show", dossier_show, _("show a dossier with its history"))
    p.add_argument("code", help=_("dossier code"))
    p = _command(dossier, "lookup", dossier_lookup, _("what a citizen sees at the kiosk"))
    p.add_argument("code", help=_("dossier code"))
    p = _command(dossier, "search", dossier_search, _("find dossiers by code, ID number, phone or name"))
    p.add_argument("text", help=_("what to look for"))

    _register_dossier_steps(dossier)
    print_commands.add_dossier_print(dossier)


def _register_dossier_steps(dossier: Any) -> None:
    p = _command(dossier, "supplement", dossier_supplement, _("ask for missing documents (Mẫu 02)"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument(
        "--missing",
        action="append",
        required=True,
        help=_("what is missing (checklist position or words); repeat for each"),
    )
    p.add_argument("--reason", default="", help=_("why"))
    p = _command(dossier, "complete", dossier_complete, _("the applicant brought what was missing"))
    p.add_argument("code", help=_("dossier code"))
    _document_arguments(p)
    p = _command(dossier, "refuse", dossier_refuse, _("refuse a dossier (Mẫu 03)"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--reason", required=True, help=_("why"))
    p = _command(dossier, "transfer", dossier_transfer, _("hand the dossier to a processing unit"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--to", required=True, help=_("the processing unit"))
    p.add_argument("--note", default="", help=_("a note"))
    p = _command(dossier, "result", dossier_result, _("the result is back at the counter"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--summary", default="", help=_("the result document"))
    p.add_argument("--pages", type=int, default=1, help=_("number of pages"))
    p = _command(dossier, "delay", dossier_delay, _("apology and a new date (Mẫu 04), once"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--reason", required=True, help=_("why"))
    p.add_argument("--unit", required=True, help=_("the unit at fault"))
    p.add_argument("--head", required=True, help=_("the head of that unit, who signs"))
    p.add_argument("--new-date", required=True, help=_("new appointment, 'dd/mm/yyyy HH:MM'"))
    p = _command(dossier, "return", dossier_return, _("hand the result back"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--receiver-name", help=_("an authorised person collecting it"))
    p.add_argument("--receiver-id", help=_("that person's ID number"))
    p.add_argument("--authorisation", default="", help=_("the authorisation paper"))
    p.add_argument("--post", metavar="REFERENCE", help=_("sent by post, with the postal reference"))
    p = _command(dossier, "withdraw", dossier_withdraw, _("stop at the applicant's request (Mẫu 05)"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--reason", required=True, help=_("why"))
    p.add_argument("--requested-on", help=_("date of the request, dd/mm/yyyy (default today)"))
    p.add_argument("--refund", type=int, default=0, help=_("fee refunded, in đồng"))
    p = _command(dossier, "due", dossier_due, _("dossiers overdue, due today, tomorrow or soon"))
    p.add_argument("--days", type=int, default=3, help=_("working days ahead (default 3)"))
    p = _command(dossier, "stats", dossier_stats, _("the indicators for a period"))
    p.add_argument("--from", dest="start", required=True, help=_("first day, dd/mm/yyyy"))
    p.add_argument("--to", dest="end", required=True, help=_("last day, dd/mm/yyyy"))
    p = _command(dossier, "vietqr", dossier_vietqr, _("the VietQR payload for paying the fee by transfer"))
    p.add_argument("code", help=_("dossier code"))


# -- procedures ---------------------------------------------------------------------------------


def procedure_import(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    path = demo_catalogue_path() if args.demo else args.file
    report = app.procedures.import_file(actor, path)
    if not report.ok:
        lines = [_("Nothing was imported; fix these rows of {file}:").format(file=path.name)]
        out.emit({"errors": report.errors}, *lines, *format_row_errors(list(report.errors)))
        return 1
    out.emit(report, describe_import(report))
    return 0


def procedure_export(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    procedures = app.procedures.all_current()
    write_procedures(procedures, args.file)
    out.emit(
        {"file": args.file, "procedures": len(procedures)},
        _("{count} procedures written to {file}.").format(count=len(procedures), file=args.file),
    )
    return 0


def procedure_list(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    views = app.procedures.search(args.text, args.service)
    rows = [[v.code, v.procedure.area_prefix, _time_text(v.procedure), v.name] for v in views]
    out.table([v.procedure for v in views], [_("Code"), _("Area"), _("Time"), _("Name")], rows)
    return 0


def procedure_show(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    procedure = app.procedures.current(args.code).procedure
    lines = [
        f"{procedure.code} — {procedure.name}",
        _("Field: {field}; service area {area}; in force since {day}.").format(
            field=procedure.field, area=procedure.area_prefix, day=format_date(procedure.effective_from)
        ),
        _("Processing time: {time}.").format(time=_time_text(procedure)),
        _("Fee: {fee} đồng.").format(fee=_money(procedure.total_fee))
        + (f" {procedure.fee_note}" if procedure.fee_note else ""),
        _("Documents:"),
        *(f"  {i}. {d.name} ({d.kind.value}, {d.copies})" for i, d in enumerate(procedure.documents, 1)),
    ]
    out.emit(procedure, *lines)
    return 0


# -- calendar -----------------------------------------------------------------------------------


def calendar_show(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    year = app.calendar.year(args.year)
    lines = [_("Weekdays off in {year}:").format(year=year.year)]
    lines += [f"  {weekday_name(d)} {format_date(d)}  {name}" for d, name in year.days_off]
    lines.append(_("Weekend days worked in {year}:").format(year=year.year))
    lines += [f"  {weekday_name(d)} {format_date(d)}  {name}" for d, name in year.extra_working_days] or [
        "  —"
    ]
    out.emit(year, *lines)
    return 0


def _set_day(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, working: bool) -> int:
    day = parse_date(args.date)
    app.calendar.set_day(actor, day, working, args.reference, args.name)
    text = _("{day} is now a working day.") if working else _("{day} is now a day off.")
    out.emit({"date": day, "working": working}, text.format(day=f"{weekday_name(day)} {format_date(day)}"))
    return 0


def calendar_add_off(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    return _set_day(app, actor, args, out, working=False)


def calendar_add_workday(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    return _set_day(app, actor, args, out, working=True)


def calendar_clear(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    day = parse_date(args.date)
    app.calendar.clear_day(actor, day)
    out.emit({"date": day}, _("The decision for {day} was removed.").format(day=format_date(day)))
    return 0


def calendar_due(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    start = parse_local_datetime(args.start)
    cutoff = None
    if args.procedure:
        procedure = app.procedures.current(args.procedure, local_date(start)).procedure
        time_ = procedure.effective_time
        cutoff = procedure.same_day_cutoff
    elif args.same_day:
        time_ = ProcessingTime(0, TimeUnit.SAME_DAY)
    else:
        amount, unit = next(
            (value, unit)
            for value, unit in (
                (args.days, TimeUnit.WORKING_DAYS),
                (args.hours, TimeUnit.WORKING_HOURS),
                (args.calendar_days, TimeUnit.CALENDAR_DAYS),
            )
            if value is not None
        )
        time_ = ProcessingTime(amount, unit)
    due = app.calendar.due(start, time_, cutoff)
    out.emit(
        {"from": start, "due": due},
        _("Appointment: {weekday} {when}.").format(weekday=weekday_name(local_date(due)), when=when(due)),
    )
    return 0


# -- ID numbers ---------------------------------------------------------------------------------


def id_check(app: object, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    today = local_date(SystemClock().now())
    info = check_citizen_id(
        args.number,
        today=today,
        date_of_birth=parse_date(args.dob) if args.dob else None,
        gender=parse_gender(args.gender) if args.gender else None,
    )
    out.emit(info, _("Valid personal ID number."), info.describe(), *info.warnings)
    return 0


def id_qr(app: object, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    card = parse_chip_qr(args.line, today=local_date(SystemClock().now()))
    out.emit(
        card,
        card.full_name,
        _("ID number: {number}").format(number=card.id_number),
        _("Born {day}, {gender}").format(
            day=format_date(card.date_of_birth), gender=gender_label(card.gender)
        ),
        card.address,
    )
    return 0


# -- dossiers -----------------------------------------------------------------------------------


def _pairs(values: list[str], option: str) -> list[tuple[int, str]]:
    pairs = []
    for value in values:
        position, sep, rest = value.partition("=")
        if not sep or not position.strip().isdigit() or not rest.strip():
            raise ValidationError(
                _("'{value}' is not of the form N=VALUE for {option}.").format(value=value, option=option)
            )
        pairs.append((int(position), rest.strip()))
    return pairs


def _read_file(path_text: str) -> NewFile:
    path = Path(path_text)
    try:
        return NewFile(path.name, path.read_bytes())
    except OSError as exc:
        raise ValidationError(_("The file '{path}' cannot be read.").format(path=path)) from exc


def _ticks(args: argparse.Namespace) -> tuple[DocumentTick, ...] | None:
    copies = dict(_pairs(args.copies, "--copies"))
    files: dict[int, list[NewFile]] = {}
    for position, path in _pairs(args.file, "--file"):
        files.setdefault(position, []).append(_read_file(path))
    reuse: dict[int, list[str]] = {}
    for position, sha in _pairs(args.reuse, "--reuse"):
        reuse.setdefault(position, []).append(sha.lower())
    if args.documents is None and not (copies or files or reuse):
        return None
    if args.documents is not None:
        try:
            positions = [int(p) for p in args.documents.split(",") if p.strip()]
        except ValueError as exc:
            raise ValidationError(_("List the documents by their positions, e.g. 1,2,4.")) from exc
    else:
        positions = sorted({*copies, *files, *reuse})
    for position, value in copies.items():
        if not value.isdigit():
            raise ValidationError(_("The number of copies must be at least 1."))
        copies[position] = value
    return tuple(
        DocumentTick(
            p,
            copies=int(copies[p]) if p in copies else None,
            files=tuple(files.get(p, [])),
            reuse=tuple(reuse.get(p, [])),
        )
        for p in positions
    )


def _intake_request(args: argparse.Namespace) -> IntakeRequest:
    organisation = bool(args.tax_code)
    applicant = Applicant(
        name=args.name,
        kind=ApplicantKind.ORGANISATION if organisation else ApplicantKind.INDIVIDUAL,
        id_number=args.id_number,
        old_id_number=args.old_id,
        date_of_birth=parse_date(args.dob) if args.dob else None,
        gender=parse_gender(args.gender) if args.gender else None,
        address=args.address,
        phone=args.phone,
        email=args.email,
        tax_code=args.tax_code,
        representative=args.representative,
    )
    proxy = None
    if args.proxy_name or args.proxy_id:
        proxy = Proxy(args.proxy_name or "", args.proxy_id or "", authorisation=args.proxy_paper)
    return IntakeRequest(
        procedure_code=args.procedure,
        applicant=applicant,
        documents=_ticks(args),
        proxy=proxy,
        channel=Channel(args.channel),
        return_method=ReturnMethod(args.return_by),
        payment_method=PaymentMethod(args.pay) if args.pay else None,
        payment_reference=args.pay_ref,
        sets=args.sets,
        note=args.note,
        ticket_number=args.ticket,
    )


def dossier_receive(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    request = _intake_request(args)
    if args.refuse:
        view = app.dossiers.refuse_at_counter(actor, request, args.refuse)
        out.emit(view, _("Dossier {code} was refused at the counter.").format(code=view.code))
        return 0
    if args.missing:
        view = app.dossiers.receive_incomplete(
            actor, request, SupplementRequest(tuple(args.missing), args.reason)
        )
        out.emit(
            view,
            _("Dossier {code} is incomplete; the applicant was asked for the missing documents.").format(
                code=view.code
            ),
            *_supplement_lines(view),
        )
        return 0
    view = app.dossiers.receive(actor, request)
    out.emit(
        view, _("Dossier {code} received.").format(code=view.code), _appointment_line(view), *view.warnings
    )
    return 0


def _appointment_line(view: DossierView) -> str:
    assert view.due_at is not None
    return _("Appointment: {weekday} {when}.").format(
        weekday=weekday_name(local_date(view.due_at)), when=when(view.due_at)
    )


def _supplement_lines(view: DossierView) -> list[str]:
    supplement = view.data.get("supplement", {})
    lines = [f"  - {item}" for item in supplement.get("missing", [])]
    if view.supplement_deadline:
        lines.append(_("To be completed by {day}.").format(day=format_date(view.supplement_deadline)))
    return lines


def dossier_show(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    view = app.dossier_queries.show(actor, args.code)
    out.emit(view, *describe_dossier(view))
    return 0


def describe_dossier(view: DossierView) -> list[str]:
    a = view.applicant
    lines = [
        _("Dossier {code}: {status}").format(code=view.code, status=status_label(view.status)),
        _("Procedure: {code} {name}").format(code=view.procedure.code, name=view.procedure.name),
        _("Applicant: {name}").format(name=a.name)
        + (f" — {a.id_number}" if a.id_number else f" — {a.tax_code}" if a.tax_code else ""),
    ]
    if view.proxy:
        lines.append(_("Filed by: {name} — {id}").format(name=view.proxy.name, id=view.proxy.id_number))
    lines.append(_("Received: {when}").format(when=when(view.received_at)))
    if view.due_at:
        lines.append(_appointment_line(view))
    if view.rescheduled_due_at and view.original_due_at:
        lines.append(_("Original appointment: {when}").format(when=when(view.original_due_at)))
    if view.timeliness:
        lines.append(_("Result: {timeliness}").format(timeliness=timeliness_label(view.timeliness)))
    lines.append(_("Documents:"))
    lines += [
        f"  {d.position}. {d.name} ({d.kind.value}, {d.copies})"
        + (f" [{len(d.files)} tệp]" if d.files else "")
        for d in view.documents
    ]
    if view.steps:
        lines.append(_("Handovers:"))
        for step in view.steps:
            result = timeliness_label(step.timeliness) if step.timeliness else "…"
            lines.append(
                f"  {step.position}. {step.from_unit} → {step.to_unit}  {when(step.handed_at)}  "
                f"({when(step.due_at)})  {result}"
            )
    lines.append(_("History:"))
    lines += [f"  {e.seq}. {when(e.occurred_at)}  {e.type.value}" for e in view.events]
    return lines


def dossier_lookup(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    status = app.dossier_queries.lookup(actor, args.code)
    out.emit(
        status,
        f"{status.code}: {status_label(status.status)}",
        status.initials,
        status.procedure_name,
        _("Appointment: {weekday} {when}.").format(
            weekday=weekday_name(local_date(status.due_at)), when=when(status.due_at)
        )
        if status.due_at
        else "",
    )
    return 0


def _summary_rows(items: list[DossierSummary]) -> list[list[str]]:
    return [
        [s.code, status_label(s.status), s.applicant_name, s.procedure_code, when(s.due_at)] for s in items
    ]


_SUMMARY_HEADERS = ["Mã hồ sơ", "Trạng thái", "Người nộp", "TTHC", "Hẹn trả"]


def dossier_search(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    found = app.dossier_queries.search(actor, args.text)
    if not found and not out.json_mode:
        out.emit([], _("No dossier found."))
        return 0
    out.table(
        found,
        [_("Code"), _("Status"), _("Applicant"), _("Procedure"), _("Appointment")],
        _summary_rows(found),
    )
    return 0


def dossier_supplement(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    view = app.dossiers.request_supplement(
        actor, args.code, SupplementRequest(tuple(args.missing), args.reason)
    )
    out.emit(
        view,
        _("Dossier {code}: the applicant was asked for the missing documents.").format(code=view.code),
        *_supplement_lines(view),
    )
    return 0


def dossier_complete(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    ticks = _ticks(args) or ()
    view = app.dossiers.complete_supplement(actor, args.code, ticks)
    out.emit(
        view,
        _("Dossier {code} is complete and received again.").format(code=view.code),
        _appointment_line(view),
    )
    return 0


def dossier_refuse(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    view = app.dossiers.refuse(actor, args.code, args.reason)
    out.emit(view, _("Dossier {code} was refused.").format(code=view.code))
    return 0


def dossier_transfer(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    view = app.dossiers.transfer(actor, args.code, args.to, args.note)
    step = view.steps[-1]
    out.emit(
        view,
        _("Dossier {code} handed to {unit}, due back {when}.").format(
            code=view.code, unit=step.to_unit, when=when(step.due_at)
        ),
    )
    return 0


def dossier_result(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    view = app.dossiers.result_ready(actor, args.code, args.summary, args.pages)
    text = _("The result of dossier {code} is ready.").format(code=view.code)
    if view.timeliness:
        text += " " + _("Result: {timeliness}").format(timeliness=timeliness_label(view.timeliness))
    out.emit(view, text)
    return 0


def dossier_delay(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    apology = Apology(args.reason, args.unit, args.head, parse_local_datetime(args.new_date))
    view = app.dossiers.delay(actor, args.code, apology)
    out.emit(view, _("Dossier {code}: apology recorded.").format(code=view.code), _appointment_line(view))
    return 0


def dossier_return(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    receiver = None
    if args.receiver_name or args.receiver_id:
        receiver = Receiver(args.receiver_name or "", args.receiver_id or "", args.authorisation)
    view = app.dossiers.return_result(actor, args.code, receiver, args.post or "")
    out.emit(view, _("The result of dossier {code} was handed back.").format(code=view.code))
    return 0


def dossier_withdraw(
    app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings
) -> int:
    withdrawal = Withdrawal(
        args.reason, parse_date(args.requested_on) if args.requested_on else None, args.refund
    )
    view = app.dossiers.withdraw(actor, args.code, withdrawal)
    out.emit(view, _("Dossier {code} was stopped at the applicant's request.").format(code=view.code))
    return 0


def dossier_due(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    report = app.dossier_queries.due(actor, args.days)
    if out.json_mode:
        out.emit(report)
        return 0
    for title, items in (
        (_("Overdue"), report.overdue),
        (_("Due today"), report.today),
        (_("Due tomorrow: last day for an apology"), report.tomorrow),
        (_("Due within {days} working days").format(days=args.days), report.later),
    ):
        out.emit(None, f"{title}: {len(items)}")
        if items:
            out.table(
                None,
                [_("Code"), _("Status"), _("Applicant"), _("Procedure"), _("Appointment")],
                _summary_rows([i.summary for i in items]),
            )
    return 0


_RATE_LABELS = {
    "synced": "Đã đồng bộ lên hệ thống trung tâm",
    "synced_same_day": "Đồng bộ trong ngày",
    "on_time": "Giải quyết trước hạn và đúng hạn",
    "in_process_within_time": "Đang giải quyết còn trong hạn",
    "apologies": "Hồ sơ có phiếu xin lỗi",
    "digitised": "Số hóa khi tiếp nhận",
    "reused": "Tái sử dụng dữ liệu số hóa",
    "online": "Tiếp nhận trực tuyến",
    "cashless": "Thanh toán không dùng tiền mặt",
}


def dossier_stats(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    rates = app.dossier_queries.indicators(actor, parse_date(args.start), parse_date(args.end))
    rows = [
        [_RATE_LABELS.get(r.key, r.key), str(r.numerator), str(r.denominator), _percent(r)] for r in rates
    ]
    out.table(rates, [_("Indicator"), _("Count"), _("Out of"), "%"], rows)
    return 0


def dossier_vietqr(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    payload = app.dossier_queries.vietqr(actor, args.code)
    out.emit({"payload": payload}, payload)
    return 0


# -- formatting ---------------------------------------------------------------------------------


def _percent(rate: Rate) -> str:
    return "–" if rate.percent is None else f"{rate.percent:.1f}"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _time_text(procedure: Procedure) -> str:
    time_ = procedure.effective_time
    if time_.unit is TimeUnit.SAME_DAY:
        return UNIT_LABELS[time_.unit]
    return f"{time_.amount:02d} {UNIT_LABELS[time_.unit]}"
