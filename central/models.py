"""The central backend's own schema (PostgreSQL). Built by central/migrations, never create_all."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Centre(Base):
    """A one-stop centre, keyed by the agency code of its one-stop section."""

    __tablename__ = "centres"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # AES-256-GCM under the master key: 12-byte nonce || ciphertext+tag (central/secrets.py).
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Event(Base):
    """The append-only event log: one row per event_id, one per (dossier_code, seq)."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("dossier_code", "seq", name="uq_events_dossier_seq"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"), index=True)
    dossier_code: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Dossier(Base):
    """The server's current view of a dossier, updated with each accepted event."""

    __tablename__ = "dossiers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    last_seq: Mapped[int] = mapped_column(Integer)
    procedure_code: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StoredFile(Base):
    """A digitised document, addressed by the SHA-256 of its bytes, stored once."""

    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(50))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    centre_code: Mapped[str] = mapped_column(ForeignKey("centres.code"))


class RequestSignature(Base):
    """Signatures seen in the replay window (pruned after REPLAY_WINDOW_SECONDS)."""

    __tablename__ = "request_signatures"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_code: Mapped[str] = mapped_column(String(20))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CatalogueEntry(Base):
    """The province-wide procedure catalogue: each import writes a whole new version."""

    __tablename__ = "catalogue"
    __table_args__ = (UniqueConstraint("version", "code", name="uq_catalogue_version_code"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    version: Mapped[int] = mapped_column(ForeignKey("catalogue_versions.version"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    procedure: Mapped[dict[str, Any]] = mapped_column(JSONB)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CatalogueVersion(Base):
    """One row per import (an import of an empty list still makes a version)."""

    __tablename__ = "catalogue_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    procedures: Mapped[int] = mapped_column(Integer)


class CalendarDay(Base):
    """An official day off or a swapped working day, on top of the statutory holidays."""

    __tablename__ = "calendar_days"
    __table_args__ = (CheckConstraint("kind IN ('off', 'workday')", name="ck_calendar_days_kind"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
