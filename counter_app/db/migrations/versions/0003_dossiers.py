"""dossiers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

The one-stop workflow: the versioned procedure catalogue, the legal calendar's official and
administrator days, dossiers with their documents, digitised files (content-addressed), handover
steps, supplement pauses, and the dossier events (history and sync outbox in one table).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("service_areas", sa.Column("ticket_hours", sa.String(length=100), nullable=True))
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", "source", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "dossier_sequences",
        sa.Column("agency_code", sa.String(length=20), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "business_date", name=op.f("pk_dossier_sequences")),
    )
    op.create_table(
        "procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("name_folded", sa.String(length=500), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("area_prefix", sa.String(length=2), nullable=False),
        sa.Column("time_amount", sa.Integer(), nullable=False),
        sa.Column(
            "time_unit",
            sa.Enum(
                "working_days",
                "working_hours",
                "same_day",
                "calendar_days",
                name="timeunit",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("reduced_amount", sa.Integer(), nullable=True),
        sa.Column("same_day_cutoff", sa.String(length=5), nullable=True),
        sa.Column(
            "after_supplement",
            sa.Enum("restart", "resume_remaining", name="supplementclock", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("deciding_agency", sa.String(length=300), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("charge", sa.Integer(), nullable=False),
        sa.Column("fee_note", sa.String(length=500), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("result_document", sa.String(length=500), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedures")),
        sa.UniqueConstraint("code", "effective_from", name=op.f("uq_procedures_code_effective_from")),
    )
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.create_index("ix_procedures_name_folded", ["name_folded"], unique=False)

    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("procedure_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "supplement_requested",
                "refused",
                "transferred",
                "result_ready",
                "delayed",
                "returned",
                "withdrawn",
                name="dossierstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum("counter", "post", "online", name="channel", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "return_method",
            sa.Enum("counter", "post", name="returnmethod", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column(
            "applicant_kind",
            sa.Enum("individual", "organisation", name="applicantkind", native_enum=False, length=14),
            nullable=False,
        ),
        sa.Column("applicant_name", sa.String(length=300), nullable=False),
        sa.Column(
            "applicant_name_folded",
            sa.String(length=300).with_variant(sa.String(length=300, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("id_number", sa.String(length=20), nullable=True),
        sa.Column("old_id_number", sa.String(length=12), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=8), nullable=True),
        sa.Column("tax_code", sa.String(length=14), nullable=True),
        sa.Column("representative", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("proxy_id_number", sa.String(length=20), nullable=True),
        sa.Column("proxy", sa.JSON(), nullable=True),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("original_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rescheduled_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("supplement_deadline", sa.Date(), nullable=True),
        sa.Column("result_ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "timeliness",
            sa.Enum("early", "on_time", "late", name="timeliness", native_enum=False, length=8),
            nullable=True,
        ),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column(
            "payment_method",
            sa.Enum("none", "cash", "transfer", "card", name="paymentmethod", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("payment_reference", sa.String(length=100), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_dossiers_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_dossiers_officer_id_users")),
        sa.ForeignKeyConstraint(
            ["procedure_id"], ["procedures.id"], name=op.f("fk_dossiers_procedure_id_procedures")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_dossiers_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossiers")),
        sa.UniqueConstraint("code", name=op.f("uq_dossiers_code")),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_id_number", ["id_number"], unique=False)
        batch_op.create_index("ix_dossiers_name_folded", ["applicant_name_folded", "id"], unique=False)
        batch_op.create_index("ix_dossiers_old_id_number", ["old_id_number"], unique=False)
        batch_op.create_index("ix_dossiers_phone", ["phone"], unique=False)
        batch_op.create_index("ix_dossiers_proxy_id_number", ["proxy_id_number"], unique=False)
        batch_op.create_index("ix_dossiers_received_at", ["received_at"], unique=False)
        batch_op.create_index("ix_dossiers_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_dossiers_tax_code", ["tax_code"], unique=False)

    op.create_table(
        "dossier_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("original", "certified_copy", "copy", name="copykind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("received", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_documents_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_documents")),
        sa.UniqueConstraint("dossier_id", "position", name=op.f("uq_dossier_documents_dossier_id_position")),
    )
    op.create_table(
        "dossier_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "received",
                "supplement_requested",
                "supplemented",
                "refused",
                "transferred",
                "result_ready",
                "delayed",
                "returned",
                "withdrawn",
                "rated",
                name="eventtype",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_events_dossier_id_dossiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_events")),
        sa.UniqueConstraint("dossier_id", "seq", name=op.f("uq_dossier_events_dossier_id_seq")),
        sa.UniqueConstraint("event_id", name=op.f("uq_dossier_events_event_id")),
    )
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossier_events_pending",
            ["id"],
            unique=False,
            sqlite_where=sa.text("acknowledged_at IS NULL"),
            postgresql_where=sa.text("acknowledged_at IS NULL"),
        )

    op.create_table(
        "dossier_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_pauses_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_pauses")),
    )
    op.create_table(
        "dossier_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_unit", sa.String(length=300), nullable=False),
        sa.Column("to_unit", sa.String(length=300), nullable=False),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "timeliness",
            sa.Enum("early", "on_time", "late", name="timeliness", native_enum=False, length=8),
            nullable=True,
        ),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_steps_dossier_id_dossiers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_dossier_steps_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_steps")),
        sa.UniqueConstraint("dossier_id", "position", name=op.f("uq_dossier_steps_dossier_id_position")),
    )
    op.create_table(
        "dossier_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("reused_from_dossier_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["dossier_documents.id"],
            name=op.f("fk_dossier_files_document_id_dossier_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reused_from_dossier_id"],
            ["dossiers.id"],
            name=op.f("fk_dossier_files_reused_from_dossier_id_dossiers"),
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["stored_files.sha256"], name=op.f("fk_dossier_files_sha256_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_files")),
    )
    with op.batch_alter_table("dossier_files", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_files_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("service_areas") as batch:
        batch.drop_column("ticket_hours")
    with op.batch_alter_table("dossier_files", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_files_sha256")

    op.drop_table("dossier_files")
    op.drop_table("dossier_steps")
    op.drop_table("dossier_pauses")
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_dossier_events_pending",
            sqlite_where=sa.text("acknowledged_at IS NULL"),
            postgresql_where=sa.text("acknowledged_at IS NULL"),
        )

    op.drop_table("dossier_events")
    op.drop_table("dossier_documents")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_status_due")
        batch_op.drop_index("ix_dossiers_tax_code")
        batch_op.drop_index("ix_dossiers_received_at")
        batch_op.drop_index("ix_dossiers_proxy_id_number")
        batch_op.drop_index("ix_dossiers_phone")
        batch_op.drop_index("ix_dossiers_old_id_number")
        batch_op.drop_index("ix_dossiers_name_folded")
        batch_op.drop_index("ix_dossiers_id_number")

    op.drop_table("dossiers")
    op.drop_table("stored_files")
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_index("ix_procedures_name_folded")

    op.drop_table("procedures")
    op.drop_table("dossier_sequences")
    op.drop_table("calendar_days")
