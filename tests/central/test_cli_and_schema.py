"""The `central` command, the master key file, the schema (models = migrations), health with the DB down."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from central import migrate
from central.app import create_app
from central.cli import main
from central.models import Base
from central.secrets import KeyFileError, MasterKey
from tests.central.conftest import CENTRE, Central, Client, serve
from tests.support.pgserver import ThrowawayPostgres


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.mark.postgres
def test_models_and_migrations_agree(pristine_pg_url: str) -> None:
    migrate.upgrade(pristine_pg_url)
    engine = create_engine(pristine_pg_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert migrate.is_up_to_date(pristine_pg_url)


@pytest.mark.postgres
def test_downgrade_to_nothing_and_back(pristine_pg_url: str) -> None:
    migrate.upgrade(pristine_pg_url)
    migrate.downgrade(pristine_pg_url, "base")
    engine = create_engine(pristine_pg_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(pristine_pg_url)
    assert {"centres", "events", "dossiers", "files"} <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.postgres
def test_centre_add_prints_a_secret_that_authenticates_and_is_not_stored_in_clear(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        "--db",
        central.url,
        "centre",
        "add",
        CENTRE,
        "--name",
        "Bộ phận Một cửa",
        "--key-file",
        str(central.key_file),
    )
    assert (code, err) == (0, "")
    secret = out.strip().splitlines()[-1]
    assert len(secret) >= 40
    client = Client(central.base_url, central.clock, CENTRE, secret)
    assert client.get("/api/v1/calendar/2026").status_code == 200
    wrong = Client(central.base_url, central.clock, CENTRE, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert wrong.get("/api/v1/calendar/2026").status_code == 401
    with central.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM centres")).one()
        dump = connection.execute(text("SELECT centres::text FROM centres")).scalar_one()
    assert secret not in dump
    assert secret.encode() not in bytes(row.secret_encrypted)
    assert row.name == "Bộ phận Một cửa"
    # Once only: a second add of the same code fails and prints no secret.
    code, out, err = cli(
        capsys, "--db", central.url, "centre", "add", CENTRE, "--key-file", str(central.key_file)
    )
    assert (code, out) == (1, "")
    assert err.strip() == f"central: centre {CENTRE} already exists"
    client.close()
    wrong.close()


@pytest.mark.postgres
def test_a_secret_does_not_decrypt_under_another_master_key(
    central: Central, client: Client, tmp_path: Path
) -> None:
    other = MasterKey.load(tmp_path / "other.key")
    with central.engine.connect() as connection:
        blob = connection.execute(text("SELECT secret_encrypted FROM centres")).scalar_one()
    assert other.decrypt(CENTRE, bytes(blob)) is None
    assert central.key.decrypt(CENTRE, bytes(blob)) == client.secret
    assert central.key.decrypt("H55.242.01", bytes(blob)) is None  # bound to its centre code


@pytest.mark.postgres
def test_db_upgrade_from_the_command_line(pristine_pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "--db", pristine_pg_url, "db", "upgrade")[:2] == (0, "database is up to date\n")
    assert migrate.is_up_to_date(pristine_pg_url)


def test_the_key_file_is_created_with_mode_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    key = MasterKey.load(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    blob = key.encrypt(CENTRE, "s3cret")
    assert MasterKey.load(path).decrypt(CENTRE, blob) == "s3cret"
    path.write_text("not base64!", encoding="ascii")
    with pytest.raises(KeyFileError, match=str(path)):
        MasterKey.load(path)


@pytest.mark.parametrize(
    "argv",
    [
        ["centre", "add", CENTRE],  # no database
        ["--db", "nosuchdriver://x", "centre", "add", CENTRE, "--key-file", "k"],
        ["--db", "sqlite://", "catalogue", "import", "/nonexistent.json"],
    ],
)
def test_errors_are_one_line_with_a_non_zero_exit(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CENTRAL_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, *argv)
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("central: ")


def test_centre_add_without_a_key_file_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CENTRAL_KEY_FILE", raising=False)
    code, _, err = cli(capsys, "--db", "sqlite://", "centre", "add", CENTRE)
    assert code == 1
    assert "--key-file" in err


@pytest.mark.postgres
def test_health_is_503_when_the_database_does_not_answer(
    pg_server: ThrowawayPostgres, tmp_path: Path
) -> None:
    app = create_app(pg_server.url_for("no_such_database"), key_file=tmp_path / "k")
    with serve(app) as base_url:
        response = httpx.get(f"{base_url}/api/v1/health", timeout=30)
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable"}
        assert response.headers["Retry-After"]
        # A signed request cannot be checked either: 503 with Retry-After, not a 500.
        signed = httpx.get(
            f"{base_url}/api/v1/calendar/2026",
            headers={"X-Centre": CENTRE, "X-Timestamp": str(int(time.time())), "X-Signature": "0" * 64},
            timeout=30,
        )
        assert signed.status_code == 503
