"""central: centres, event log, dossiers, files, replay guard, catalogue, calendar

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "centres",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("centre_code", sa.String(20), sa.ForeignKey("centres.code"), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("stored_at", TZ, nullable=False),
        sa.UniqueConstraint("dossier_code", "seq", name="uq_events_dossier_seq"),
    )
    op.create_index("ix_events_centre_code", "events", ["centre_code"])
    op.create_table(
        "dossiers",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("centre_code", sa.String(20), sa.ForeignKey("centres.code"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(100), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_dossiers_centre_code", "dossiers", ["centre_code"])
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(50), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", TZ, nullable=False),
        sa.Column("centre_code", sa.String(20), sa.ForeignKey("centres.code"), nullable=False),
    )
    op.create_table(
        "request_signatures",
        sa.Column("signature", sa.String(64), primary_key=True),
        sa.Column("centre_code", sa.String(20), nullable=False),
        sa.Column("seen_at", TZ, nullable=False),
    )
    op.create_index("ix_request_signatures_seen_at", "request_signatures", ["seen_at"])
    op.create_table(
        "catalogue_versions",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("imported_at", TZ, nullable=False),
        sa.Column("procedures", sa.Integer(), nullable=False),
    )
    op.create_table(
        "catalogue",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("version", sa.Integer(), sa.ForeignKey("catalogue_versions.version"), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("procedure", postgresql.JSONB(), nullable=False),
        sa.Column("imported_at", TZ, nullable=False),
        sa.UniqueConstraint("version", "code", name="uq_catalogue_version_code"),
    )
    op.create_index("ix_catalogue_version", "catalogue", ["version"])
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('off', 'workday')", name="ck_calendar_days_kind"),
    )


def downgrade() -> None:
    op.drop_table("calendar_days")
    op.drop_index("ix_catalogue_version", table_name="catalogue")
    op.drop_table("catalogue")
    op.drop_table("catalogue_versions")
    op.drop_index("ix_request_signatures_seen_at", table_name="request_signatures")
    op.drop_table("request_signatures")
    op.drop_table("files")
    op.drop_index("ix_dossiers_centre_code", table_name="dossiers")
    op.drop_table("dossiers")
    op.drop_index("ix_events_centre_code", table_name="events")
    op.drop_table("events")
    op.drop_table("centres")
