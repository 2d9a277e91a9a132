"""What an intake needs besides the rules: the dossier code, the fee's payment, the ticket and
counter it came through, reused files, and the snapshot the first sync event carries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app.db.models import Counter, Dossier, DossierDocument, DossierFile, DossierSequence, Ticket
from counter_app.domain.applicant import clean_text
from counter_app.domain.clock import local_date
from counter_app.domain.dossier import CASHLESS, PaymentMethod, format_dossier_code
from counter_app.domain.errors import ConflictError, NotFoundError, ValidationError
from counter_app.domain.procedure import Procedure
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.centre_settings import CentreConfig


def payment_method_for(procedure: Procedure, chosen: PaymentMethod | None) -> PaymentMethod:
    if procedure.total_fee == 0:
        if chosen not in (None, PaymentMethod.NONE):
            raise ValidationError(_("Procedure {code} has no fee.").format(code=procedure.code))
        return PaymentMethod.NONE
    if chosen is None:
        return PaymentMethod.CASH
    if chosen is PaymentMethod.NONE:
        raise ValidationError(
            _("Procedure {code} has a fee of {fee} đồng; choose how it is paid.").format(
                code=procedure.code, fee=procedure.total_fee
            )
        )
    return chosen


def allocate_dossier_code(session: Session, config: CentreConfig, now: datetime) -> str:
    """The day's next number for the agency, in one atomic upsert (no duplicates across counters)."""
    dialect_insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    statement = (
        dialect_insert(DossierSequence)
        .values(agency_code=config.agency_code, business_date=local_date(now), last_seq=1)
        .on_conflict_do_update(
            index_elements=[DossierSequence.agency_code, DossierSequence.business_date],
            set_={"last_seq": DossierSequence.last_seq + 1},
        )
        .returning(DossierSequence.last_seq)
    )
    number = config.dossier_sequence_first - 1 + int(session.execute(statement).scalar_one())
    if config.dossier_sequence_last and number > config.dossier_sequence_last:
        raise ConflictError(
            _(
                "This site's block of dossier numbers for today ends at {last}; no more codes can be given."
            ).format(last=config.dossier_sequence_last)
        )
    return format_dossier_code(config.agency_code, now, number)


def counter_of(session: Session, actor: Actor) -> int | None:
    if actor.user_id is None:
        return None
    return session.scalars(select(Counter.id).where(Counter.officer_id == actor.user_id)).first()


def ticket_id_for(session: Session, number: str | None, now: datetime) -> int | None:
    if not number:
        return None
    ticket = session.scalars(
        select(Ticket.id).where(
            Ticket.business_date == local_date(now), Ticket.number == number.strip().upper()
        )
    ).first()
    if ticket is None:
        raise NotFoundError(_("There is no ticket {number} today.").format(number=number.strip().upper()))
    return ticket


def missing_item(procedure: Procedure, item: str) -> str:
    """A checklist position ("2") stands for that document's name; anything else is the officer's words."""
    text = clean_text(item)
    if text.isdigit():
        position = int(text)
        if not 1 <= position <= len(procedure.documents):
            raise ValidationError(
                _("Procedure {code} lists {count} documents; there is no document {position}.").format(
                    code=procedure.code, count=len(procedure.documents), position=position
                )
            )
        return procedure.documents[position - 1].name
    return text


def earlier_file(session: Session, dossier: Dossier, sha256: str) -> Row[str, int]:
    """A file digitised for the same person in an earlier dossier (reuse instead of scanning again)."""
    if not dossier.id_number:
        raise ValidationError(_("Only documents of a person with an ID number can be reused."))
    row = session.execute(
        select(DossierFile.file_name, DossierDocument.dossier_id)
        .join(DossierDocument, DossierFile.document_id == DossierDocument.id)
        .join(Dossier, DossierDocument.dossier_id == Dossier.id)
        .where(DossierFile.sha256 == sha256, Dossier.id_number == dossier.id_number, Dossier.id != dossier.id)
        .limit(1)
    ).first()
    if row is None:
        raise NotFoundError(
            _("No earlier dossier of this person holds the file {sha}.").format(sha=sha256[:12])
        )
    return row


def snapshot(dossier: Dossier, procedure: Procedure, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole dossier, as the first event carries it to central (api.md, ``received``)."""
    return {
        "code": dossier.code,
        "procedure_code": procedure.code,
        "procedure_version": procedure.effective_from,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_number": dossier.id_number,
            "old_id_number": dossier.old_id_number,
            "date_of_birth": dossier.date_of_birth,
            "gender": dossier.gender,
            "tax_code": dossier.tax_code,
            "representative": dossier.representative,
            "address": dossier.address,
            "phone": dossier.phone,
            "email": dossier.email,
        },
        "proxy": dossier.proxy,
        "documents": documents,
        "sets": dossier.sets,
        "fee": dossier.fee,
        "payment_method": dossier.payment_method,
        "cashless": dossier.payment_method in CASHLESS,
        "channel": dossier.channel,
        "return_method": dossier.return_method,
        "officer": dossier.officer_id,
        "received_at": dossier.received_at,
        "appointment_at": dossier.due_at,
    }
