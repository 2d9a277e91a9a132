"""registered at

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Each dossier's first receipt, kept on the dossier: its entry in the register (Mẫu 07) and the
"Số thứ tự" of its Mẫu 01. Later receipts (after a supplement) move ``received_at`` but never this.
Filled for existing dossiers from their first ``received``/``supplemented`` event.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("registered_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_dossiers_registered_at", "dossiers", ["registered_at", "id"])
    op.execute(
        """
        UPDATE dossiers SET registered_at = (
            SELECT MIN(e.occurred_at) FROM dossier_events e
            WHERE e.dossier_id = dossiers.id AND e.type IN ('received', 'supplemented')
        )
        """
    )


def downgrade() -> None:
    op.drop_index("ix_dossiers_registered_at", table_name="dossiers")
    # Not batch mode: on SQLite that copies the table, and dropping the old one breaks the foreign keys
    # of every dossier's documents and events. SQLite (3.35+) and PostgreSQL both drop a column in place.
    op.execute("ALTER TABLE dossiers DROP COLUMN registered_at")
