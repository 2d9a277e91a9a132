"""The schema comes from Alembic; models and migrations must agree; the audit log is append-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.db.models import Base
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    url = (
        f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pristine_pg_url")
    )
    db = Database(url)
    request.addfinalizer(db.dispose)
    return db


def test_models_and_migrations_agree(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    with empty_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert migrate.is_up_to_date(empty_db)


def test_downgrade_to_nothing_and_back(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    migrate.downgrade(empty_db, "base")
    assert set(inspect(empty_db.engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(empty_db)
    assert {"tickets", "audit_log", "users"} <= set(inspect(empty_db.engine).get_table_names())


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: durable commits
    db.dispose()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only(empty_db: Database, statement: str) -> None:
    migrate.upgrade(empty_db)
    CounterApp(empty_db).catalogue.add_area(Actor.system(), "A", "Hộ tịch")
    with pytest.raises(DatabaseError, match="append-only"), empty_db.engine.begin() as connection:
        connection.execute(text(statement))
    with empty_db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*), min(action) FROM audit_log")).one() == (
            1,
            "service_area.add",
        )
