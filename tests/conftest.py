"""Shared fixtures: every database test runs on SQLite and on a real throwaway PostgreSQL server.

The schema is always built by the Alembic migrations (never ``create_all``): once per session
into a template (a SQLite file copied per test; a PostgreSQL template database cloned per test).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles

from counter_app.cli.main import main
from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.db.models import Base
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.roles import Role
from counter_app.i18n import set_language
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.users import use_password_hasher
from tests.support.pgserver import ThrowawayPostgres

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "Matkhau2026"
# A Monday morning, 08:00 in Hà Nội.
MONDAY_0800 = datetime(2026, 12, 7, 8, 0, tzinfo=LOCAL_TZ)


def pytest_configure(config: pytest.Config) -> None:
    # Real argon2id, cheapest parameters: the behaviour is the same, the suite is not 300 ms per user.
    use_password_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))
    set_language("vi")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ThrowawayPostgres]:
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture(scope="session")
def pg_template(pg_server: ThrowawayPostgres) -> str:
    name = "counter_template"
    db = Database(pg_server.create_database(name))
    migrate.upgrade(db)
    db.dispose()
    return name


@pytest.fixture(scope="session")
def pg_shared_url(pg_server: ThrowawayPostgres, pg_template: str) -> str:
    """One migrated database per test worker, emptied before each test (cloning costs ~0.3 s a test)."""
    return pg_server.create_database("counter_shared", template=pg_template)


def empty_postgres(db: Database) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        # The reset is the one place allowed past the audit log's append-only trigger.
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    db.dispose()
    return path


def fresh_database(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if kind == "sqlite":
        path = tmp_path / "centre.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
        return
    db = Database(request.getfixturevalue("pg_shared_url"))
    empty_postgres(db)
    yield db
    db.dispose()


@pytest.fixture
def pristine_pg_url(pg_server: ThrowawayPostgres) -> Iterator[str]:
    """An empty PostgreSQL database with no schema at all (for migration tests)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield pg_server.create_database(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from fresh_database(request.param, request, tmp_path)


@pytest.fixture
def sqlite_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from fresh_database("sqlite", request, tmp_path)


@pytest.fixture
def pg_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    yield from fresh_database("postgresql", request, tmp_path)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_0800)


@pytest.fixture
def app(database: Database, clock: ManualClock) -> CounterApp:
    return CounterApp(database, clock)


@dataclass
class Centre:
    """A small centre: areas A (Hộ tịch – Chứng thực) and B (Đất đai), counters 01 (A,B) and 02 (B,A)."""

    app: CounterApp
    admin: Actor
    supervisor: Actor
    lan: Actor  # officer at counter 01
    minh: Actor  # officer at counter 02
    kiosk: Actor
    display: Actor


def build_centre(app: CounterApp, open_counters: bool = True) -> Centre:
    system = Actor.system("test")
    app.catalogue.add_area(system, "A", "Hộ tịch – Chứng thực")
    app.catalogue.add_area(system, "B", "Đất đai")
    app.catalogue.add_counter(system, "01", ["A", "B"])
    app.catalogue.add_counter(system, "02", ["B", "A"])
    actors = {}
    for username, role, name in (
        ("admin", Role.ADMIN, "Quản trị"),
        ("giamsat", Role.SUPERVISOR, "Giám sát"),
        ("lan", Role.OFFICER, "Nguyễn Thị Lan"),
        ("minh", Role.OFFICER, "Trần Văn Minh"),
        ("kiosk1", Role.KIOSK, "Máy lấy số"),
        ("tv1", Role.DISPLAY, "Màn hình sảnh"),
    ):
        app.users.add(system, username, role, PASSWORD, name)
        actors[username] = app.users.authenticate(username, PASSWORD)
    centre = Centre(
        app,
        actors["admin"],
        actors["giamsat"],
        actors["lan"],
        actors["minh"],
        actors["kiosk1"],
        actors["tv1"],
    )
    if open_counters:
        app.counters.open(centre.lan, "01")
        app.counters.open(centre.minh, "02")
    return centre


@pytest.fixture
def centre(app: CounterApp) -> Centre:
    return build_centre(app)


# -- the command line ------------------------------------------------------------------
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user config, no user data: every CLI run here sees only what the test gives it."""
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path / "data"))
    for name in (
        "COUNTER_APP_DB",
        "COUNTER_APP_LANG",
        "COUNTER_APP_USER",
        "COUNTER_APP_PASSWORD",
        "COUNTER_APP_CENTRE",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def cli(isolated_env: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


@pytest.fixture
def db_url(database: Database) -> str:
    return database.url.render_as_string(hide_password=False)
