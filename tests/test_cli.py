"""The ``counter-app`` command as officers and scripts use it, on SQLite and PostgreSQL.

Bad input must give one Vietnamese sentence on stderr, a non-zero status, no traceback, and
change nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.db import migrate
from counter_app.db.database import Database
from tests.conftest import Run


def set_up_centre(cli: Run, db: str, tmp_path: Path) -> None:
    password = tmp_path / "pw.txt"
    password.write_text("Matkhau2026\n", encoding="utf-8")
    for argv in (
        ["service", "add", "--prefix", "A", "--name", "Hộ tịch – Chứng thực"],
        ["service", "add", "--prefix", "B", "--name", "Đất đai", "--width", "4"],
        ["counter", "add", "--label", "03", "--services", "A,B"],
        ["counter", "add", "--label", "04", "--services", "B"],
        [
            "user",
            "add",
            "--username",
            "lan",
            "--role",
            "officer",
            "--name",
            "Nguyễn Thị Lan",
            "--password-file",
            str(password),
        ],
    ):
        code, _out, err = cli("--db", db, *argv)
        assert code == 0, err


def test_a_morning_at_the_counter(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    code, out, _ = cli("--db", db_url, "ticket", "issue", "--service", "A")
    assert code == 0
    assert out.splitlines()[:2] == ["Số A001 – Hộ tịch – Chứng thực", "Số người đang chờ trước: 0"]
    code, out, _ = cli("--db", db_url, "ticket", "issue", "--service", "B", "--priority")
    assert out.splitlines()[0] == "Số ưu tiên B0001 – Đất đai"
    assert cli("--db", db_url, "counter", "open", "--label", "03", "--user", "lan")[0] == 0
    assert cli("--db", db_url, "call", "next", "--counter", "03")[1] == "Đang gọi số B0001 đến quầy 03.\n"
    assert cli("--db", db_url, "call", "finish", "--counter", "03")[0] == 0
    assert cli("--db", db_url, "call", "next", "--counter", "03")[1] == "Đang gọi số A001 đến quầy 03.\n"
    assert cli("--db", db_url, "call", "recall", "--counter", "03")[0] == 0
    code, out, _ = cli("--db", db_url, "call", "transfer", "--counter", "03", "--to-counter", "04")
    assert code == 0 and "A001" in out and "quầy 04" in out
    code, out, _ = cli("--db", db_url, "call", "next", "--counter", "03")
    assert out == "Không có công dân nào đang chờ quầy 03.\n"
    code, out, _ = cli("--db", db_url, "queue", "show")
    assert code == 0 and "Hộ tịch – Chứng thực" in out and "Nguyễn Thị Lan" in out
    code, out, _ = cli("--db", db_url, "--json", "queue", "show")
    state = json.loads(out)
    assert {w["prefix"]: w["waiting"] for w in state["waiting"]} == {"A": 1, "B": 0}
    code, out, _ = cli("--db", db_url, "--json", "audit", "list", "--limit", "3")
    assert [e["action"] for e in json.loads(out)] == ["ticket.transfer", "ticket.recall", "ticket.call"]


def test_json_output_for_scripts(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    code, out, _ = cli("--db", db_url, "--json", "ticket", "issue", "--service", "A")
    assert code == 0
    issued = json.loads(out)
    assert issued["ticket"]["number"] == "A001"
    assert issued["people_ahead"] == 0 and issued["estimated_wait"] == 0


def count_rows(db_url: str, table: str) -> int:
    db = Database(db_url)
    try:
        with db.engine.connect() as connection:
            return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("argv", "expected", "status"),
    [
        (["ticket", "issue", "--service", "Z"], "Không có lĩnh vực nào mang ký hiệu 'Z'.", 1),
        (["call", "next", "--counter", "03"], "Quầy 03 đang đóng; hãy mở quầy trước.", 1),
        (["call", "next", "--counter", "99"], "Không có quầy '99'.", 1),
        (["service", "add", "--prefix", "A1", "--name", "X"], "Ký hiệu số thứ tự 'A1' không hợp lệ", 1),
        (["counter", "add", "--label", "05", "--services", "A,A"], "bị trùng", 1),
        (["settings", "set", "priority_mode", "random"], "'strict' hoặc 'interleaved'", 1),
    ],
)
def test_bad_input_changes_nothing(
    cli: Run, db_url: str, isolated_env: Path, argv: list[str], expected: str, status: int
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    before = count_rows(db_url, "audit_log"), count_rows(db_url, "tickets")
    code, out, err = cli("--db", db_url, *argv)
    assert (code, out) == (status, "")
    assert expected in err and len(err.strip().splitlines()) == 1
    assert (count_rows(db_url, "audit_log"), count_rows(db_url, "tickets")) == before


def test_argparse_errors_are_vietnamese(cli: Run) -> None:
    code, _out, err = cli("call", "next")
    assert code == 2
    assert "cách dùng:" in err and "lỗi:" in err and "--counter" in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://postgres@/nothing?host=/nonexistent-socket-dir", "Không mở được cơ sở dữ liệu"),
        ("mysql://root@localhost/x", "Không hỗ trợ loại cơ sở dữ liệu 'mysql'"),
        ("postgresql://user@host:notaport/db", "không đúng định dạng"),
    ],
)
def test_unusable_database_addresses(cli: Run, url: str, expected: str) -> None:
    code, out, err = cli("--db", url, "queue", "show")
    assert code != 0 and out == ""
    assert expected in err and len(err.strip().splitlines()) == 1


def test_corrupt_config_file_names_the_file_and_line(cli: Run, isolated_env: Path) -> None:
    config = isolated_env / "config.toml"
    config.write_text('[centre]\ncode = "hcm-q1"\nname = "Trung tâm\n', encoding="utf-8")
    code, _out, err = cli("queue", "show")
    assert code == 2
    assert str(config) in err and "dòng 3" in err


def test_unmigrated_postgresql_says_to_upgrade(cli: Run, pristine_pg_url: str) -> None:
    code, _out, err = cli("--db", pristine_pg_url, "queue", "show")
    assert code == 4 and "counter-app db upgrade" in err
    code, out, _err = cli("--db", pristine_pg_url, "db", "upgrade")
    assert code == 0 and migrate.head_revision() in out
    assert cli("--db", pristine_pg_url, "queue", "show")[0] == 0


def test_embedded_default_database_is_created_in_the_data_dir(cli: Run, isolated_env: Path) -> None:
    code, _out, err = cli("service", "add", "--prefix", "A", "--name", "Hộ tịch")
    assert code == 0, err
    assert (isolated_env / "data" / "demo.sqlite3").exists()


def test_user_add_without_a_terminal_needs_a_password_file(cli: Run, db_url: str) -> None:
    code, _out, err = cli("--db", db_url, "user", "add", "--username", "lan", "--role", "officer")
    assert code == 1 and "--password-file" in err


def test_acting_as_an_officer_enforces_the_role(
    cli: Run, db_url: str, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "Matkhau2026")
    code, _out, err = cli(
        "--db", db_url, "--as", "lan", "service", "add", "--prefix", "C", "--name", "Xây dựng"
    )
    assert code == 3 and "không có quyền" in err
    monkeypatch.setenv("COUNTER_APP_PASSWORD", "sai-mat-khau-1")
    code, _out, err = cli("--db", db_url, "--as", "lan", "queue", "show")
    assert code == 3 and "Sai tên đăng nhập hoặc mật khẩu" in err


def test_python_dash_m_and_console_script(isolated_env: Path) -> None:
    env = {
        "COUNTER_APP_CONFIG": str(isolated_env / "config.toml"),
        "COUNTER_APP_DATA_DIR": str(isolated_env),
        "PATH": str(Path(sys.executable).parent),
    }
    result = subprocess.run(
        [sys.executable, "-m", "counter_app", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.startswith("counter-app ")
    script = Path(sys.executable).parent / "counter-app"
    result = subprocess.run(
        [str(script), "service", "list"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Ký hiệu" in result.stdout
