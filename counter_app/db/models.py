"""The schema, as SQLAlchemy 2 typed ORM models. Alembic migrations must agree (a test checks).

Timestamps are UTC instants; ``business_date`` is the centre's local day a ticket belongs to.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app.db.types import BigIntPK, UTCDateTime, str_enum
from counter_app.domain.devices import DeviceKind
from counter_app.domain.dossier import (
    ApplicantKind,
    Channel,
    DossierStatus,
    EventType,
    PaymentMethod,
    ReturnMethod,
    Timeliness,
)
from counter_app.domain.procedure import CopyKind, SupplementClock, TimeUnit
from counter_app.domain.queue import CounterState, Outcome, QueueEventKind, TicketStatus
from counter_app.domain.roles import Role

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[dict[str, Any]]: JSON()}  # noqa: RUF012 - SQLAlchemy API


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(str_enum(Role, 16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class ServiceArea(Base):
    """A queue of the centre (nhóm lĩnh vực): its own prefix and daily numbering."""

    __tablename__ = "service_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    number_width: Mapped[int] = mapped_column(Integer, default=3)
    default_service_seconds: Mapped[int] = mapped_column(Integer, default=600)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The area's own ticket window ("07:30-11:00, 13:30-16:30"); None: whenever the kiosk runs.
    ticket_hours: Mapped[str | None] = mapped_column(String(100))


class Counter(Base):
    """A counter (quầy) and what its officer called recently (for the priority policy)."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(8), unique=True)
    state: Mapped[CounterState] = mapped_column(str_enum(CounterState, 10), default=CounterState.CLOSED)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime | None]
    priorities_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
    normals_since_priority: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    officer: Mapped[User | None] = relationship()
    services: Mapped[list[CounterService]] = relationship(
        order_by="CounterService.rank", cascade="all, delete-orphan"
    )


class CounterService(Base):
    """The ordered service areas a counter serves: rank 1 is its main area."""

    __tablename__ = "counter_services"
    __table_args__ = (UniqueConstraint("counter_id", "rank"),)

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id", ondelete="CASCADE"), primary_key=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)

    service_area: Mapped[ServiceArea] = relationship(lazy="joined")


class TicketSequence(Base):
    """The last number given per service area and local day: one row, bumped atomically."""

    __tablename__ = "ticket_sequences"

    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


_WAITING = text("status = 'waiting'")


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("issued_area_id", "business_date", "seq"),
        # Call next probes these two partial indexes: they hold only the waiting tickets, so
        # the probe costs the same at the first and the 20,000th ticket of the day.
        Index(
            "ix_tickets_waiting_area",
            "business_date",
            "service_area_id",
            "priority",
            "queue_key",
            sqlite_where=text("status = 'waiting' AND target_counter_id IS NULL"),
            postgresql_where=text("status = 'waiting' AND target_counter_id IS NULL"),
        ),
        Index(
            "ix_tickets_waiting_counter",
            "business_date",
            "target_counter_id",
            "priority",
            "queue_key",
            sqlite_where=text("status = 'waiting' AND target_counter_id IS NOT NULL"),
            postgresql_where=text("status = 'waiting' AND target_counter_id IS NOT NULL"),
        ),
        Index(
            "ix_tickets_at_counter",
            "counter_id",
            sqlite_where=text("status IN ('called', 'serving')"),
            postgresql_where=text("status IN ('called', 'serving')"),
        ),
        Index("ix_tickets_finished", "service_area_id", "finished_at"),
        Index("ix_tickets_business_date_number", "business_date", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issued_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"))
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"))
    business_date: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    priority_reason: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[TicketStatus] = mapped_column(str_enum(TicketStatus, 12), default=TicketStatus.WAITING)
    queue_key: Mapped[int] = mapped_column(BigInteger)
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime]
    called_at: Mapped[datetime | None]
    serving_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, 20))
    dossier_code: Mapped[str | None] = mapped_column(String(40))

    service_area: Mapped[ServiceArea] = relationship(foreign_keys=[service_area_id], lazy="joined")
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])
    target_counter: Mapped[Counter | None] = relationship(foreign_keys=[target_counter_id])


class QueueEvent(Base):
    """Every queue change, in commit order: late displays catch up from here, NOTIFY names the id."""

    __tablename__ = "queue_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    kind: Mapped[QueueEventKind] = mapped_column(str_enum(QueueEventKind, 20))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    payload: Mapped[dict[str, Any]]


class AuditEntry(Base):
    """Append-only (database triggers refuse UPDATE and DELETE). No FK: history outlives rows."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CentreSetting(Base):
    """Centre-wide settings shared by every counter (queue policy…), changed through an audited service."""

    __tablename__ = "centre_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Device(Base):
    """A board, keypad, printer or scanner: its port, address, place, and what it last answered."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DeviceKind] = mapped_column(str_enum(DeviceKind, 10))
    port: Mapped[str] = mapped_column(String(300))
    address: Mapped[int | None] = mapped_column(Integer)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    hall: Mapped[bool] = mapped_column(Boolean, default=False)
    baud: Mapped[int] = mapped_column(Integer, default=9600)
    paper_dots: Mapped[int | None] = mapped_column(Integer)  # printers: 384 (58 mm) or 576 (80 mm)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    online: Mapped[bool | None] = mapped_column(Boolean)
    last_error: Mapped[str | None] = mapped_column(String(300))
    firmware: Mapped[str | None] = mapped_column(String(60))
    faults: Mapped[str | None] = mapped_column(String(200))
    last_checked_at: Mapped[datetime | None]
    state_changed_at: Mapped[datetime | None]

    counter: Mapped[Counter | None] = relationship()


class Rating(Base):
    """The citizen's satisfaction with one visit (one ticket): a level, or none when the prompt expired."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    at: Mapped[datetime]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_areas.id"))
    dossier_code: Mapped[str | None] = mapped_column(String(40))
    level: Mapped[int | None] = mapped_column(Integer)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    sequence: Mapped[int | None] = mapped_column(Integer)


# -- dossiers (hồ sơ) ------------------------------------------------------------------------------


class ProcedureVersion(Base):
    """One version of a procedure (TTHC) of the catalogue. Rows are never changed: a new text of the
    procedure is a new row with a later ``effective_from``, and a dossier points at the row it was
    received under."""

    __tablename__ = "procedures"
    __table_args__ = (
        UniqueConstraint("code", "effective_from"),
        Index("ix_procedures_name_folded", "name_folded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(500))
    name_folded: Mapped[str] = mapped_column(String(500))
    field: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(40), default="")
    area_prefix: Mapped[str] = mapped_column(String(2))
    time_amount: Mapped[int] = mapped_column(Integer)
    time_unit: Mapped[TimeUnit] = mapped_column(str_enum(TimeUnit, 16))
    reduced_amount: Mapped[int | None] = mapped_column(Integer)
    same_day_cutoff: Mapped[str | None] = mapped_column(String(5))  # HH:MM
    after_supplement: Mapped[SupplementClock] = mapped_column(str_enum(SupplementClock, 20))
    deciding_agency: Mapped[str] = mapped_column(String(300), default="")
    fee: Mapped[int] = mapped_column(Integer, default=0)
    charge: Mapped[int] = mapped_column(Integer, default=0)
    fee_note: Mapped[str] = mapped_column(String(500), default="")
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    result_document: Mapped[str] = mapped_column(String(500), default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_at: Mapped[datetime]


class CalendarDay(Base):
    """A day whose legal working status differs from the `holidays` package: the official list of the
    year (from central) or an administrator's override (which wins)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(10), primary_key=True)  # "official" | "admin"
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(200), default="")
    changed_at: Mapped[datetime]


class DossierSequence(Base):
    """The last dossier number given per agency code and local day: one row, bumped atomically."""

    __tablename__ = "dossier_sequences"

    agency_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


# Folded names are ASCII and searched by prefix ranges: a byte-order collation on PostgreSQL keeps
# the range exact and the index usable whatever the server's locale.
_FOLDED = String(300).with_variant(String(300, collation="C"), "postgresql")


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        # (name, id) is the search's ORDER BY: a prefix search stops after the first 50 rows.
        Index("ix_dossiers_name_folded", "applicant_name_folded", "id"),
        Index("ix_dossiers_id_number", "id_number"),
        Index("ix_dossiers_old_id_number", "old_id_number"),
        Index("ix_dossiers_proxy_id_number", "proxy_id_number"),
        Index("ix_dossiers_phone", "phone"),
        Index("ix_dossiers_tax_code", "tax_code"),
        Index("ix_dossiers_status_due", "status", "due_at"),
        Index("ix_dossiers_received_at", "received_at"),
        Index("ix_dossiers_registered_at", "registered_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id"))
    status: Mapped[DossierStatus] = mapped_column(str_enum(DossierStatus, 24))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 10))
    return_method: Mapped[ReturnMethod] = mapped_column(str_enum(ReturnMethod, 10))
    # The applicant: a person, or an organisation with its representative.
    applicant_kind: Mapped[ApplicantKind] = mapped_column(str_enum(ApplicantKind, 14))
    applicant_name: Mapped[str] = mapped_column(String(300))
    applicant_name_folded: Mapped[str] = mapped_column(_FOLDED)
    id_number: Mapped[str | None] = mapped_column(String(20))
    old_id_number: Mapped[str | None] = mapped_column(String(12))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(8))
    tax_code: Mapped[str | None] = mapped_column(String(14))
    representative: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))
    # The authorised person who filed for the applicant, if any (name, ID, phone, address, paper).
    proxy_id_number: Mapped[str | None] = mapped_column(String(20))
    proxy: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sets: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(String(1000), default="")
    # The clock (working-days.md): the first appointment is kept for judging timeliness.
    received_at: Mapped[datetime | None]
    # The first receipt, which later receipts (after a supplement) never move: the dossier's entry in
    # the register (Mẫu 07) and the number its Mẫu 01 prints.
    registered_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    original_due_at: Mapped[datetime | None]
    rescheduled_due_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    supplement_deadline: Mapped[date | None] = mapped_column(Date)
    result_ready_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    timeliness: Mapped[Timeliness | None] = mapped_column(str_enum(Timeliness, 8))
    # Fee and payment.
    fee: Mapped[int] = mapped_column(Integer, default=0)
    payment_method: Mapped[PaymentMethod] = mapped_column(str_enum(PaymentMethod, 10))
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the transition data: reasons, apology, receiver…
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]

    procedure: Mapped[ProcedureVersion] = relationship(lazy="joined")
    documents: Mapped[list[DossierDocument]] = relationship(
        order_by="DossierDocument.position", cascade="all, delete-orphan"
    )


class DossierDocument(Base):
    """One paper of the checklist as received: only the procedure's listed documents (no extra papers)."""

    __tablename__ = "dossier_documents"
    __table_args__ = (UniqueConstraint("dossier_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # index in the procedure's document list, from 1
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[CopyKind] = mapped_column(str_enum(CopyKind, 16))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    received: Mapped[bool] = mapped_column(Boolean, default=True)
    files: Mapped[list[DossierFile]] = relationship(order_by="DossierFile.id", cascade="all, delete-orphan")


class StoredFile(Base):
    """A digitised document's bytes, addressed by their SHA-256: stored once however often reused."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    uploaded_at: Mapped[datetime | None]  # when central confirmed it holds the file


class DossierFile(Base):
    __tablename__ = "dossier_files"
    __table_args__ = (Index("ix_dossier_files_sha256", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("dossier_documents.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    file_name: Mapped[str] = mapped_column(String(300))
    reused_from_dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"))
    added_at: Mapped[datetime]


class DossierStep(Base):
    """One handover to a processing unit and back (a row of the control sheet, Mẫu 06)."""

    __tablename__ = "dossier_steps"
    __table_args__ = (UniqueConstraint("dossier_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    from_unit: Mapped[str] = mapped_column(String(300))
    to_unit: Mapped[str] = mapped_column(String(300))
    handed_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]  # when the unit handed the dossier on
    timeliness: Mapped[Timeliness | None] = mapped_column(str_enum(Timeliness, 8))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")


class DossierPause(Base):
    """A supplement request's pause of the clock: from the request to the completed dossier."""

    __tablename__ = "dossier_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class DossierEvent(Base):
    """The outbox and the dossier's history in one: every change writes its event here, in the same
    transaction, with ``seq`` 1, 2, 3… per dossier. The sync client marks what central acknowledged."""

    __tablename__ = "dossier_events"
    __table_args__ = (
        UniqueConstraint("dossier_id", "seq"),
        Index(
            "ix_dossier_events_pending",
            "id",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    dossier_code: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[EventType] = mapped_column(str_enum(EventType, 24))
    occurred_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]
    acknowledged_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Set when central rejected the event (api.md's error code): it and the later events of its dossier
    # wait for an administrator; the message is in ``last_error``.
    rejected_code: Mapped[str | None] = mapped_column(String(32))


class SyncLink(Base):
    """The centre's link to central (one row): where, who, and how the last attempts went.

    In the database, not in a counter's config file, so whichever counter runs the sync worker uses the
    same link. The secret is needed in clear to sign requests (HMAC).
    """

    __tablename__ = "sync_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(300))
    centre_code: Mapped[str] = mapped_column(String(40))
    secret: Mapped[str] = mapped_column(String(200))
    configured_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    catalogue_version: Mapped[int | None] = mapped_column(Integer)
    catalogue_pulled_at: Mapped[datetime | None]
