"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Users, service areas, counters, tickets with their daily sequences, queue events, centre settings,
and the append-only audit log (triggers refuse UPDATE and DELETE on both databases).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_type", "entity_id"], unique=False)
    op.create_table(
        "centre_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_centre_settings")),
    )
    op.create_table(
        "service_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("number_width", sa.Integer(), nullable=False),
        sa.Column("default_service_seconds", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_areas")),
        sa.UniqueConstraint("prefix", name=op.f("uq_service_areas_prefix")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "officer",
                "supervisor",
                "admin",
                "kiosk",
                "display",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column(
            "state",
            sa.Enum("closed", "open", "paused", name="counterstate", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("priorities_in_a_row", sa.Integer(), nullable=False),
        sa.Column("normals_since_priority", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_counters_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counters")),
        sa.UniqueConstraint("label", name=op.f("uq_counters_label")),
    )
    op.create_table(
        "ticket_sequences",
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_areas.id"],
            name=op.f("fk_ticket_sequences_service_area_id_service_areas"),
        ),
        sa.PrimaryKeyConstraint("service_area_id", "business_date", name=op.f("pk_ticket_sequences")),
    )
    op.create_table(
        "counter_services",
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counter_id"],
            ["counters.id"],
            name=op.f("fk_counter_services_counter_id_counters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_areas.id"],
            name=op.f("fk_counter_services_service_area_id_service_areas"),
        ),
        sa.PrimaryKeyConstraint("counter_id", "service_area_id", name=op.f("pk_counter_services")),
        sa.UniqueConstraint("counter_id", "rank", name=op.f("uq_counter_services_counter_id_rank")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issued_area_id", sa.Integer(), nullable=False),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("priority_reason", sa.String(length=40), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "called",
                "serving",
                "finished",
                "no_show",
                "cancelled",
                name="ticketstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("queue_key", sa.BigInteger(), nullable=False),
        sa.Column("target_counter_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("recall_count", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("serving_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "dossier_received",
                "result_returned",
                "guidance",
                "refused",
                name="outcome",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_tickets_counter_id_counters")),
        sa.ForeignKeyConstraint(
            ["issued_area_id"], ["service_areas.id"], name=op.f("fk_tickets_issued_area_id_service_areas")
        ),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_tickets_officer_id_users")),
        sa.ForeignKeyConstraint(
            ["service_area_id"], ["service_areas.id"], name=op.f("fk_tickets_service_area_id_service_areas")
        ),
        sa.ForeignKeyConstraint(
            ["target_counter_id"], ["counters.id"], name=op.f("fk_tickets_target_counter_id_counters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint(
            "issued_area_id", "business_date", "seq", name=op.f("uq_tickets_issued_area_id_business_date_seq")
        ),
    )
    op.create_index(
        "ix_tickets_at_counter",
        "tickets",
        ["counter_id"],
        unique=False,
        sqlite_where=sa.text("status IN ('called', 'serving')"),
        postgresql_where=sa.text("status IN ('called', 'serving')"),
    )
    op.create_index("ix_tickets_business_date_number", "tickets", ["business_date", "number"], unique=False)
    op.create_index("ix_tickets_finished", "tickets", ["service_area_id", "finished_at"], unique=False)
    op.create_index(
        "ix_tickets_waiting_area",
        "tickets",
        ["business_date", "service_area_id", "priority", "queue_key"],
        unique=False,
        sqlite_where=sa.text("status = 'waiting' AND target_counter_id IS NULL"),
        postgresql_where=sa.text("status = 'waiting' AND target_counter_id IS NULL"),
    )
    op.create_index(
        "ix_tickets_waiting_counter",
        "tickets",
        ["business_date", "target_counter_id", "priority", "queue_key"],
        unique=False,
        sqlite_where=sa.text("status = 'waiting' AND target_counter_id IS NOT NULL"),
        postgresql_where=sa.text("status = 'waiting' AND target_counter_id IS NOT NULL"),
    )
    op.create_table(
        "queue_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "issued",
                "called",
                "recalled",
                "serving",
                "no_show",
                "requeued",
                "transferred",
                "finished",
                "cancelled",
                "counter_changed",
                name="queueeventkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_queue_events_counter_id_counters")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_queue_events_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_events")),
    )
    _create_audit_guards()


def downgrade() -> None:
    _drop_audit_guards()
    op.drop_table("queue_events")
    op.drop_index("ix_tickets_waiting_counter", table_name="tickets")
    op.drop_index("ix_tickets_waiting_area", table_name="tickets")
    op.drop_index("ix_tickets_finished", table_name="tickets")
    op.drop_index("ix_tickets_business_date_number", table_name="tickets")
    op.drop_index("ix_tickets_at_counter", table_name="tickets")
    op.drop_table("tickets")
    op.drop_table("counter_services")
    op.drop_table("ticket_sequences")
    op.drop_table("counters")
    op.drop_table("users")
    op.drop_table("service_areas")
    op.drop_table("centre_settings")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_table("audit_log")


_SQLITE_GUARDS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)

_POSTGRES_GUARDS = (
    """
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
    END $$
    """,
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)


def _create_audit_guards() -> None:
    """History must not be rewritten, not even by a bug in the application: the database refuses."""
    statements = _SQLITE_GUARDS if op.get_bind().dialect.name == "sqlite" else _POSTGRES_GUARDS
    for statement in statements:
        op.execute(statement)


def _drop_audit_guards() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
