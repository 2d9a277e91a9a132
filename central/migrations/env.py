"""Alembic environment: the URL comes from the caller (central.migrate), not an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from central.models import Base

config = context.config
url: str = config.attributes["url"]


def run_migrations() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        engine.dispose()


run_migrations()
