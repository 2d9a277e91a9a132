"""receipt index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The forms number each dossier in the register (Mẫu 01 "Số thứ tự", Mẫu 07 "STT") by its first receipt
event, which never changes; finding a period's receipts must not scan the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_dossier_events_type_time", "dossier_events", ["type", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_dossier_events_type_time", table_name="dossier_events")
