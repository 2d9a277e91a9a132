"""What the counter hands the dossier service: plain values the UI and the CLI both build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter_app.domain.applicant import Applicant, Proxy
from counter_app.domain.dossier import Channel, PaymentMethod, ReturnMethod
from counter_app.domain.procedure import CopyKind


@dataclass(frozen=True)
class NewFile:
    """A scanned or chosen file to attach to one document of the checklist."""

    file_name: str
    content: bytes


@dataclass(frozen=True)
class DocumentTick:
    """One document of the procedure's checklist as received: its position in the list (from 1),
    and what the officer ticked when it differs from the catalogue."""

    position: int
    kind: CopyKind | None = None
    copies: int | None = None
    files: tuple[NewFile, ...] = ()
    reuse: tuple[str, ...] = ()  # SHA-256 of files digitised for this person in an earlier dossier


@dataclass(frozen=True)
class IntakeRequest:
    procedure_code: str
    applicant: Applicant
    documents: tuple[DocumentTick, ...] | None = None  # None: every listed document, as listed
    proxy: Proxy | None = None
    channel: Channel = Channel.COUNTER
    return_method: ReturnMethod = ReturnMethod.COUNTER
    payment_method: PaymentMethod | None = None  # None: cash when there is a fee
    payment_reference: str | None = None
    sets: int = 1
    note: str = ""
    ticket_number: str | None = None  # the queue ticket the citizen was called with, if any


@dataclass(frozen=True)
class Apology:
    """The apology (Mẫu 04) that moves the appointment once: the unit at fault signs it."""

    reason: str
    unit: str
    head: str  # the head of that unit, who signs
    new_due_at: datetime


@dataclass(frozen=True)
class Receiver:
    """Who collects the result when it is not the applicant: an authorised person with their ID."""

    name: str
    id_number: str
    authorisation: str = ""


@dataclass(frozen=True)
class Withdrawal:
    reason: str
    requested_on: date | None = None  # default: today
    refund: int = 0


@dataclass(frozen=True)
class SupplementRequest:
    """Every gap at once (guidance "once, in writing"): items are checklist positions or free text."""

    missing: tuple[str, ...]
    reason: str = ""
