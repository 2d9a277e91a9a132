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
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from counter_app.db.types import BigIntPK, UTCDateTime, str_enum
from counter_app.domain.devices import DeviceKind
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
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012 - SQLAlchemy API


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
