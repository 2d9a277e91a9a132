"""The content of the one-stop forms, filled from a dossier and its history; every print is audited.

A form belongs to the history event that issued it (Mẫu 01 to ``received`` or ``supplemented``, Mẫu 02
to ``supplement_requested``…), so printing it again later gives the same content, marked "Bản in lại"
with the time of the reprint. Whether a print is a reprint is read from the audit trail, where each
print leaves a ``dossier.form_printed`` row: one record of prints, the one the inspectors read.

printing/ turns the returned values into PDF; this module never imports it (house plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from counter_app.db.models import AuditEntry, Dossier, DossierEvent, DossierStep, ProcedureVersion, User
from counter_app.domain.applicant import Applicant, Proxy
from counter_app.domain.clock import local_date, local_midnight_utc
from counter_app.domain.dossier import ApplicantKind, EventType, PaymentMethod
from counter_app.domain.errors import ConflictError, ValidationError
from counter_app.domain.forms import (
    ApologyForm,
    ControlSheetForm,
    ControlStep,
    DossierForm,
    FormKind,
    FormStamp,
    IssuingUnit,
    PaperLine,
    Party,
    ReceiptForm,
    RefusalForm,
    RegisterForm,
    RegisterRow,
    StopForm,
    SupplementForm,
)
from counter_app.domain.procedure import CopyKind
from counter_app.domain.roles import Permission
from counter_app.domain.vietqr import BankAccount, vietqr_payload
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.centre_settings import CentreConfig, load_config
from counter_app.services.context import ServiceContext, unit_of_work
from counter_app.services.dossier_queries import dossier_by_code
from counter_app.services.dossier_views import applicant_of
from counter_app.services.procedures import to_domain

PRINTED = "dossier.form_printed"

ISSUING_EVENTS: dict[FormKind, tuple[EventType, ...]] = {
    FormKind.RECEIPT: (EventType.RECEIVED, EventType.SUPPLEMENTED),
    FormKind.SUPPLEMENT: (EventType.SUPPLEMENT_REQUESTED,),
    FormKind.REFUSAL: (EventType.REFUSED,),
    FormKind.APOLOGY: (EventType.DELAYED,),
    FormKind.STOP: (EventType.WITHDRAWN,),
    FormKind.CONTROL_SHEET: (),  # a living sheet: always the handovers so far
}

REGISTER_MAX_DAYS = 366


class DossierForms:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def form(self, actor: Actor, code: str, kind: FormKind, seq: int | None = None) -> DossierForm:
        """Form ``kind`` of dossier ``code``: of its event ``seq``, or of the latest event that issued one.

        The print is audited in the same transaction; the returned form is marked as a reprint when
        that form of that event was printed before.
        """
        actor.require(Permission.VIEW_DOSSIER)
        if kind is FormKind.REGISTER:
            raise ValidationError(_("Form 07 is the register of a period: print it with 'register print'."))
        with unit_of_work(self.ctx, actor) as uow:
            session = uow.session
            dossier = dossier_by_code(session, code)
            config = load_config(session)
            event = _issuing_event(session, dossier, kind, seq)
            event_seq = event.seq if event is not None else None
            printed_before = _printed_before(session, dossier.code, kind, event_seq)
            stamp = FormStamp(
                kind=kind,
                unit=issuing_unit(config),
                dossier_code=dossier.code,
                issued_at=event.occurred_at if event is not None else uow.now,
                event_seq=event_seq,
                reprinted_at=uow.now if printed_before else None,
            )
            form = _FILL[kind](session, dossier, stamp, event, config)
            uow.audit(
                PRINTED,
                "dossier",
                dossier.code,
                None,
                {"form": kind.value, "seq": event_seq, "reprint": printed_before},
            )
            return form

    def register(self, actor: Actor, start: date, end: date, *, extra_columns: bool = False) -> RegisterForm:
        """Mẫu 07: the dossiers first received from ``start`` to ``end`` (local dates, both included).

        A dossier is entered once, at its first receipt, in the order of the receipts: the row number of
        a year's register is the "Số thứ tự" its Mẫu 01 printed.
        """
        actor.require(Permission.VIEW_DOSSIER)
        if end < start:
            raise ValidationError(_("The end of the period comes before its start."))
        if (end - start).days >= REGISTER_MAX_DAYS:
            raise ValidationError(
                _("A register covers at most {days} days; print a long period in parts.").format(
                    days=REGISTER_MAX_DAYS
                )
            )
        with unit_of_work(self.ctx, actor) as uow:
            session = uow.session
            config = load_config(session)
            rows = session.execute(
                select(Dossier, ProcedureVersion.name, ProcedureVersion.deciding_agency)
                .join(ProcedureVersion, Dossier.procedure_id == ProcedureVersion.id)
                .where(
                    Dossier.registered_at >= local_midnight_utc(start),
                    Dossier.registered_at < local_midnight_utc(end + timedelta(days=1)),
                )
                .order_by(Dossier.registered_at, Dossier.id)
            ).all()
            register = RegisterForm(
                unit=issuing_unit(config),
                start=start,
                end=end,
                printed_at=uow.now,
                rows=tuple(
                    RegisterRow(
                        code=dossier.code,
                        procedure_name=procedure_name,
                        applicant_name=dossier.applicant_name,
                        address_phone=", ".join(p for p in (dossier.address, dossier.phone or "") if p),
                        agency=agency,
                        received_at=dossier.registered_at,
                        due_at=dossier.due_at,
                        returned_at=dossier.returned_at,
                        return_method=dossier.return_method,
                        sets=dossier.sets,
                        timeliness=dossier.timeliness,
                        note=dossier.note,
                    )
                    for dossier, procedure_name, agency in rows
                ),
                extra_columns=extra_columns,
            )
            uow.audit(
                "register.printed",
                "register",
                f"{start:%Y-%m-%d}..{end:%Y-%m-%d}",
                None,
                {"rows": len(register.rows)},
            )
            return register


def issuing_unit(config: CentreConfig) -> IssuingUnit:
    return IssuingUnit(config.managing_authority, config.unit_name, config.place_name, config.contact_phone)


def party_of(applicant: Applicant) -> Party:
    """Organisations are identified by their tax code on the forms."""
    identifier = applicant.tax_code if applicant.kind is ApplicantKind.ORGANISATION else applicant.id_number
    return Party(
        name=applicant.name,
        id_number=identifier or applicant.old_id_number or "",
        address=applicant.address,
        phone=applicant.phone or "",
        email=applicant.email or "",
    )


def proxy_party(proxy: Proxy) -> Party:
    return Party(
        proxy.name, proxy.id_number, proxy.address, proxy.phone or "", proxy.email or "", proxy.authorisation
    )


# -- which event a form belongs to, and whether it was printed ------------------------------------------


def _issuing_event(
    session: Session, dossier: Dossier, kind: FormKind, seq: int | None
) -> DossierEvent | None:
    types = ISSUING_EVENTS[kind]
    if not types:
        if seq is not None:
            raise ValidationError(
                _("Form {form} is not tied to one event; print it without an event number.").format(
                    form=kind.value
                )
            )
        return None
    query = select(DossierEvent).where(DossierEvent.dossier_id == dossier.id, DossierEvent.type.in_(types))
    if seq is not None:
        query = query.where(DossierEvent.seq == seq)
    event = session.scalars(query.order_by(DossierEvent.seq.desc()).limit(1)).first()
    if event is None:
        if seq is not None:
            raise ConflictError(
                _("Event {seq} of dossier {code} did not issue form {form}.").format(
                    seq=seq, code=dossier.code, form=kind.value
                )
            )
        raise ConflictError(
            _("Dossier {code} has no form {form} to print: nothing in its history issued one.").format(
                code=dossier.code, form=kind.value
            )
        )
    return event


def _printed_before(session: Session, code: str, kind: FormKind, seq: int | None) -> bool:
    earlier = session.scalars(
        select(AuditEntry.after).where(
            AuditEntry.entity_type == "dossier", AuditEntry.entity_id == code, AuditEntry.action == PRINTED
        )
    )
    return any(after and after.get("form") == kind.value and after.get("seq") == seq for after in earlier)


# -- filling each form ----------------------------------------------------------------------------------


def _when(payload: dict[str, Any], key: str, default: datetime | None) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else default


def _user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return (user.full_name or user.username) if user is not None else ""


def _actor_name(session: Session, label: str) -> str:
    """Events name their actor by user id (never a person's name); the form prints the person."""
    return _user_name(session, int(label)) if label.isdigit() else ""


def _receipt(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> ReceiptForm:
    assert event is not None
    payload = event.payload
    first = payload.get("dossier", payload)  # ``received`` carries the whole dossier, ``supplemented`` times
    received_at = _when(first, "received_at", dossier.received_at)
    due_at = _when(first, "appointment_at", dossier.due_at)
    if received_at is None or due_at is None:
        raise ConflictError(
            _("Dossier {code} was never received; it has no receipt.").format(code=dossier.code)
        )
    procedure = to_domain(dossier.procedure)
    vietqr = None
    if dossier.payment_method is PaymentMethod.TRANSFER and dossier.fee > 0 and config.bank_bin:
        account = BankAccount(config.bank_bin, config.bank_account, config.bank_account_name)
        vietqr = vietqr_payload(account, amount=dossier.fee, purpose=dossier.code)
    book, number = register_entry(session, dossier)
    return ReceiptForm(
        stamp=stamp,
        applicant=party_of(applicant_of(dossier)),
        proxy=proxy_party(Proxy(**dossier.proxy)) if dossier.proxy else None,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        papers=_papers_at(session, dossier, event),
        sets=dossier.sets,
        processing_time=procedure.effective_time,
        received_at=received_at,
        due_at=due_at,
        return_method=dossier.return_method,
        register_book=book,
        register_number=number,
        officer_name=_actor_name(session, event.actor) or _user_name(session, dossier.officer_id),
        fee=dossier.fee,
        payment_method=dossier.payment_method,
        vietqr_payload=vietqr,
        lookup_text=config.lookup_url.format(code=dossier.code) if config.lookup_url else dossier.code,
    )


def _papers_at(session: Session, dossier: Dossier, event: DossierEvent) -> tuple[PaperLine, ...]:
    """The papers as they stood at ``event``: a reprint of the first receipt must not list papers the
    applicant brought later. The first event carries the papers received, ``supplemented`` those added."""
    history = session.scalars(
        select(DossierEvent.payload)
        .where(DossierEvent.dossier_id == dossier.id, DossierEvent.seq <= event.seq)
        .order_by(DossierEvent.seq)
    )
    papers: dict[int, PaperLine] = {}
    for payload in history:
        for paper in [*payload.get("dossier", {}).get("documents", []), *payload.get("documents_added", [])]:
            papers[int(paper["position"])] = PaperLine(
                paper["name"], CopyKind(paper["kind"]), int(paper["copies"])
            )
    return tuple(papers[position] for position in sorted(papers))


def register_entry(session: Session, dossier: Dossier) -> tuple[str, str]:
    """("Quyển số", "Số thứ tự"): the year of the dossier's first receipt and its rank among that year's.

    The rank is by first receipt (``registered_at``, ties by id), which a later receipt never moves: a
    reprint shows the number of the first print, no two dossiers share one, and a year's Mẫu 07 lists
    the dossiers in the same order.
    """
    registered = dossier.registered_at
    if registered is None:
        return "", ""
    year = local_date(registered).year
    rank = session.scalar(
        select(func.count())
        .select_from(Dossier)
        .where(
            Dossier.registered_at >= local_midnight_utc(date(year, 1, 1)),
            or_(
                Dossier.registered_at < registered,
                and_(Dossier.registered_at == registered, Dossier.id <= dossier.id),
            ),
        )
    )
    return str(year), f"{int(rank or 0):04d}"


def _supplement(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> SupplementForm:
    assert event is not None
    deadline = event.payload.get("deadline")
    return SupplementForm(
        stamp=stamp,
        applicant=party_of(applicant_of(dossier)),
        procedure_name=dossier.procedure.name,
        missing=tuple(event.payload.get("missing", ())),
        reason=event.payload.get("reason", ""),
        deadline=date.fromisoformat(deadline) if isinstance(deadline, str) else None,
        officer_name=_actor_name(session, event.actor),
    )


def _refusal(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> RefusalForm:
    assert event is not None
    return RefusalForm(
        stamp=stamp,
        applicant=party_of(applicant_of(dossier)),
        procedure_name=dossier.procedure.name,
        reason=event.payload.get("reason", ""),
        officer_name=_actor_name(session, event.actor),
    )


def _apology(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> ApologyForm:
    assert event is not None
    payload = event.payload
    new_due = _when(payload, "appointment_at", dossier.rescheduled_due_at)
    original_due = _when(payload, "original_appointment_at", dossier.original_due_at)
    assert new_due is not None and original_due is not None and dossier.received_at is not None
    # The apology comes from the unit at fault: its name heads the form, under the managing authority.
    unit = IssuingUnit(
        config.managing_authority, payload.get("unit_at_fault", ""), config.place_name, config.contact_phone
    )
    return ApologyForm(
        stamp=replace(stamp, unit=unit),
        applicant=party_of(applicant_of(dossier)),
        procedure_name=dossier.procedure.name,
        agency=payload.get("unit_at_fault", ""),
        head=payload.get("head", ""),
        received_at=dossier.received_at,
        original_due_at=original_due,
        new_due_at=new_due,
        reason=payload.get("reason", ""),
    )


def _stop(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> StopForm:
    assert event is not None
    payload = event.payload
    return StopForm(
        stamp=stamp,
        applicant=party_of(applicant_of(dossier)),
        procedure_name=dossier.procedure.name,
        received_at=dossier.received_at,
        requested_on=date.fromisoformat(payload["requested_on"]),
        reason=payload.get("reason", ""),
        refund=int(payload.get("refund", 0)),
        officer_name=_actor_name(session, event.actor),
    )


def _control_sheet(
    session: Session, dossier: Dossier, stamp: FormStamp, event: DossierEvent | None, config: CentreConfig
) -> ControlSheetForm:
    if dossier.received_at is None or dossier.due_at is None:
        raise ConflictError(
            _("Dossier {code} was never received; it has no control sheet.").format(code=dossier.code)
        )
    steps = session.scalars(
        select(DossierStep).where(DossierStep.dossier_id == dossier.id).order_by(DossierStep.position)
    ).all()
    rows: list[ControlStep] = []
    previous: DossierStep | None = None
    # Each row is judged by the receiving side against the step that just ended (forms.md, Mẫu 06).
    for step in steps:
        rows.append(
            ControlStep(
                step.from_unit,
                step.to_unit,
                step.handed_at,
                previous.due_at if previous else None,
                previous.timeliness if previous else None,
                step.note,
            )
        )
        previous = step
    if previous is not None and previous.completed_at is not None:
        rows.append(
            ControlStep(
                previous.to_unit,
                config.unit_name,
                previous.completed_at,
                previous.due_at,
                previous.timeliness,
            )
        )
    procedure = to_domain(dossier.procedure)
    units = [s.to_unit for s in steps]
    processing = procedure.deciding_agency or (units[0] if units else "")
    return ControlSheetForm(
        stamp=stamp,
        processing_unit=processing,
        cooperating_units=tuple(dict.fromkeys(u for u in units if u != processing)),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        steps=tuple(rows),
    )


_FILL: dict[
    FormKind, Callable[[Session, Dossier, FormStamp, DossierEvent | None, CentreConfig], DossierForm]
] = {
    FormKind.RECEIPT: _receipt,
    FormKind.SUPPLEMENT: _supplement,
    FormKind.REFUSAL: _refusal,
    FormKind.APOLOGY: _apology,
    FormKind.STOP: _stop,
    FormKind.CONTROL_SHEET: _control_sheet,
}
