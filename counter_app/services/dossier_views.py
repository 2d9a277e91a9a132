"""Read-only views of dossiers: what the CLI prints, the windows show and printing/ lays out.

Views are frozen dataclasses detached from the session, so a caller can keep them after the
transaction and hand them to another thread or to the form renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Counter,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierPause,
    DossierStep,
    StoredFile,
    Ticket,
    User,
)
from counter_app.domain.applicant import Applicant, Proxy
from counter_app.domain.citizen_id import Gender
from counter_app.domain.dossier import (
    Channel,
    DossierStatus,
    EventType,
    PaymentMethod,
    ReturnMethod,
    Timeliness,
)
from counter_app.domain.procedure import CopyKind, Procedure
from counter_app.services.procedures import to_domain


@dataclass(frozen=True)
class FileView:
    sha256: str
    file_name: str
    size: int
    media_type: str
    reused_from: str | None  # the earlier dossier's code


@dataclass(frozen=True)
class DocumentView:
    position: int
    name: str
    kind: CopyKind
    copies: int
    files: tuple[FileView, ...]


@dataclass(frozen=True)
class StepView:
    position: int
    from_unit: str
    to_unit: str
    handed_at: datetime
    due_at: datetime | None
    completed_at: datetime | None
    timeliness: Timeliness | None


@dataclass(frozen=True)
class PauseView:
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class EventView:
    seq: int
    type: EventType
    occurred_at: datetime
    actor: str
    payload: dict[str, Any]
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class DossierView:
    id: int
    code: str
    status: DossierStatus
    procedure: Procedure
    applicant: Applicant
    proxy: Proxy | None
    channel: Channel
    return_method: ReturnMethod
    sets: int
    note: str
    documents: tuple[DocumentView, ...]
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    rescheduled_due_at: datetime | None
    paused_at: datetime | None
    supplement_deadline: date | None
    result_ready_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    timeliness: Timeliness | None
    fee: int
    payment_method: PaymentMethod
    payment_reference: str | None
    data: dict[str, Any]  # the transition data: supplement, apology, receiver, warnings
    officer_name: str | None
    counter_label: str | None
    ticket_number: str | None
    steps: tuple[StepView, ...]
    pauses: tuple[PauseView, ...]
    events: tuple[EventView, ...]

    @property
    def warnings(self) -> list[str]:
        return list(self.data.get("warnings", []))


@dataclass(frozen=True)
class DossierSummary:
    """One line of a search or a due list."""

    code: str
    status: DossierStatus
    applicant_name: str
    id_number: str | None
    procedure_code: str
    procedure_name: str
    received_at: datetime | None
    due_at: datetime | None


def applicant_of(dossier: Dossier) -> Applicant:
    return Applicant(
        name=dossier.applicant_name,
        kind=dossier.applicant_kind,
        id_number=dossier.id_number,
        old_id_number=dossier.old_id_number,
        date_of_birth=dossier.date_of_birth,
        gender=Gender(dossier.gender) if dossier.gender else None,
        address=dossier.address,
        phone=dossier.phone,
        email=dossier.email,
        tax_code=dossier.tax_code,
        representative=dossier.representative,
    )


def summary_of(dossier: Dossier) -> DossierSummary:
    return DossierSummary(
        code=dossier.code,
        status=dossier.status,
        applicant_name=dossier.applicant_name,
        id_number=dossier.id_number,
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
    )


def build_view(session: Session, dossier: Dossier) -> DossierView:
    files = session.execute(
        select(DossierFile, StoredFile.size, StoredFile.media_type, Dossier.code)
        .join(StoredFile, DossierFile.sha256 == StoredFile.sha256)
        .outerjoin(Dossier, DossierFile.reused_from_dossier_id == Dossier.id)
        .where(DossierFile.document_id.in_([d.id for d in dossier.documents]))
        .order_by(DossierFile.id)
    ).all()
    by_document: dict[int, list[FileView]] = {}
    for file, size, media_type, reused_code in files:
        by_document.setdefault(file.document_id, []).append(
            FileView(file.sha256, file.file_name, size, media_type, reused_code)
        )
    steps = session.scalars(
        select(DossierStep).where(DossierStep.dossier_id == dossier.id).order_by(DossierStep.position)
    ).all()
    pauses = session.scalars(
        select(DossierPause).where(DossierPause.dossier_id == dossier.id).order_by(DossierPause.id)
    ).all()
    events = session.scalars(
        select(DossierEvent).where(DossierEvent.dossier_id == dossier.id).order_by(DossierEvent.seq)
    ).all()
    officer = session.get(User, dossier.officer_id) if dossier.officer_id else None
    counter = session.get(Counter, dossier.counter_id) if dossier.counter_id else None
    ticket = session.get(Ticket, dossier.ticket_id) if dossier.ticket_id else None
    proxy = dossier.proxy
    return DossierView(
        id=dossier.id,
        code=dossier.code,
        status=dossier.status,
        procedure=to_domain(dossier.procedure),
        applicant=applicant_of(dossier),
        proxy=Proxy(**proxy) if proxy else None,
        channel=dossier.channel,
        return_method=dossier.return_method,
        sets=dossier.sets,
        note=dossier.note,
        documents=tuple(
            DocumentView(d.position, d.name, d.kind, d.copies, tuple(by_document.get(d.id, [])))
            for d in sorted(dossier.documents, key=lambda d: d.position)
        ),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        original_due_at=dossier.original_due_at,
        rescheduled_due_at=dossier.rescheduled_due_at,
        paused_at=dossier.paused_at,
        supplement_deadline=dossier.supplement_deadline,
        result_ready_at=dossier.result_ready_at,
        returned_at=dossier.returned_at,
        closed_at=dossier.closed_at,
        timeliness=dossier.timeliness,
        fee=dossier.fee,
        payment_method=dossier.payment_method,
        payment_reference=dossier.payment_reference,
        data=dict(dossier.data),
        officer_name=(officer.full_name or officer.username) if officer else None,
        counter_label=counter.label if counter else None,
        ticket_number=ticket.number if ticket else None,
        steps=tuple(
            StepView(s.position, s.from_unit, s.to_unit, s.handed_at, s.due_at, s.completed_at, s.timeliness)
            for s in steps
        ),
        pauses=tuple(PauseView(p.started_at, p.ended_at) for p in pauses),
        events=tuple(
            EventView(e.seq, e.type, e.occurred_at, e.actor, e.payload, e.acknowledged_at) for e in events
        ),
    )
