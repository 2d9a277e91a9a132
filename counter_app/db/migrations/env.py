"""Alembic environment: the Database comes from the caller (counter_app.db.migrate), not an ini file."""

from __future__ import annotations

from alembic import context

from counter_app.db.database import Database
from counter_app.db.models import Base

config = context.config
database: Database = config.attributes["database"]


def run_migrations() -> None:
    # A plain (non-IMMEDIATE) connection: Alembic manages its own transaction per migration run.
    with database.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=database.is_sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
