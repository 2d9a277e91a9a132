"""devices and ratings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

The device registry (boards, keypads, printers, scanners: port, address, place, last known health)
and the citizens' ratings, one per visit (ticket).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("board", "keypad", "printer", "scanner", name="devicekind", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("port", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Integer(), nullable=True),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("hall", sa.Boolean(), nullable=False),
        sa.Column("baud", sa.Integer(), nullable=False),
        sa.Column("paper_dots", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("firmware", sa.String(length=60), nullable=True),
        sa.Column("faults", sa.String(length=200), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_devices_counter_id_counters")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("dossier_code", sa.String(length=40), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["counter_id"], ["counters.id"], name=op.f("fk_ratings_counter_id_counters")),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_ratings_device_id_devices")),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_ratings_officer_id_users")),
        sa.ForeignKeyConstraint(
            ["service_area_id"], ["service_areas.id"], name=op.f("fk_ratings_service_area_id_service_areas")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ratings_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_ratings_ticket_id")),
    )


def downgrade() -> None:
    op.drop_table("ratings")
    op.drop_table("devices")
