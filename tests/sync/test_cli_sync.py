"""``counter-app sync`` from the command line: configure (the secret never echoed), status, a run that
finds central unreachable and says so without losing anything."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from tests.support.cli import Run, cli_runner

AGENCY = "000.00.10.H49"
SECRET = "province-issued-secret-0123456789"


@pytest.fixture
def run(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], sqlite_database: Database, clock: ManualClock
) -> Run:
    return cli_runner(sqlite_database.url.render_as_string(hide_password=False), clock, capsys)


@pytest.fixture
def desk(run: Run) -> Run:
    for argv in (
        ("service", "add", "--prefix", "A", "--name", "Hộ tịch – Chứng thực"),
        ("service", "add", "--prefix", "B", "--name", "Đất đai"),
        ("settings", "set", "agency_code", AGENCY),
        ("procedure", "import", "--demo"),
        (
            "dossier",
            "receive",
            "--procedure",
            "1.001612",
            "--name",
            "Nguyễn Văn An",
            "--id-number",
            "001095012345",
        ),
    ):
        code, _out, err = run(*argv)
        assert code == 0, err
    return run


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_configure_status_and_an_unreachable_central(desk: Run, tmp_path: Path) -> None:
    code, out, err = desk("--json", "sync", "status")
    status = json.loads(out)
    assert code == 0 and status["configured"] is False and status["waiting"] == 1
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET + "\n", encoding="utf-8")
    url = f"http://127.0.0.1:{unused_port()}"
    code, out, err = desk(
        "sync", "configure", "--url", url, "--centre", AGENCY, "--secret-file", str(secret_file)
    )
    assert code == 0, err
    assert SECRET not in out + err
    code, out, err = desk("--json", "sync", "run", "--once")
    report = json.loads(out)
    assert code == 1 and report["sent"] == 0 and report["error"] and report["retry_in"] > 0
    code, out, err = desk("--json", "sync", "status")
    status = json.loads(out)
    assert status["configured"] and not status["connected"]
    assert status["waiting"] == 1 and status["last_error"]
    assert status["oldest_age_seconds"] == 0  # the test clock has not moved since the receipt
    assert SECRET not in out
    code, out, _err = desk("sync", "status")
    assert "1 sự kiện đang chờ gửi từ" in out and "(đã 0 phút)" in out


def test_configure_refuses_a_bad_address_a_short_secret_and_a_missing_file(desk: Run, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("abc", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(SECRET, encoding="utf-8")
    for argv in (
        ("--url", "ftp://central", "--centre", AGENCY, "--secret-file", str(good)),
        ("--url", "https://central.example.vn", "--centre", "HCM-1", "--secret-file", str(good)),
        ("--url", "https://central.example.vn", "--centre", AGENCY, "--secret-file", str(short)),
        ("--url", "https://central.example.vn", "--centre", AGENCY, "--secret-file", str(tmp_path / "none")),
    ):
        code, out, err = desk("sync", "configure", *argv)
        assert code != 0 and err.strip() and "Traceback" not in err
        assert SECRET not in out + err
    code, out, _err = desk("--json", "sync", "status")
    assert json.loads(out)["configured"] is False
