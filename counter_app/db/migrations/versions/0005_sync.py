"""sync

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

The counter's side of the central sync: the link (URL, centre code, secret, last attempts), which
digitised files central already holds, and the events central rejected.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("centre_code", sa.String(length=40), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("configured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("catalogue_version", sa.Integer(), nullable=True),
        sa.Column("catalogue_pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_link")),
    )
    op.add_column("stored_files", sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("dossier_events", sa.Column("rejected_code", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # In place, not batch mode: on SQLite batch copies the table, which breaks the foreign keys of rows
    # that point at it (see 0004).
    op.execute("ALTER TABLE dossier_events DROP COLUMN rejected_code")
    op.execute("ALTER TABLE stored_files DROP COLUMN uploaded_at")
    op.drop_table("sync_link")
