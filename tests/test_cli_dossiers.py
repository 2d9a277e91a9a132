"""The one-stop workflow from the command line, on SQLite and PostgreSQL (issue 5's "done when")."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from counter_app.db.database import Database
from counter_app.db.models import Dossier, DossierEvent
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from tests.support.cli import Run, cli_runner

AGENCY = "000.00.10.H49"


@pytest.fixture
def run(isolated_env: Path, capsys: pytest.CaptureFixture[str], db_url: str, clock: ManualClock) -> Run:
    """``counter-app --db URL …`` in-process, at the test clock's instant."""

    return cli_runner(db_url, clock, capsys)


@pytest.fixture
def centre_cli(run: Run) -> Run:
    for argv in (
        ("service", "add", "--prefix", "A", "--name", "Hộ tịch – Chứng thực"),
        ("service", "add", "--prefix", "B", "--name", "Đất đai"),
        ("settings", "set", "agency_code", AGENCY),
        ("procedure", "import", "--demo"),
    ):
        code, _out, err = run(*argv)
        assert code == 0, err
    return run


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def test_received_supplemented_transferred_late_apology_returned(
    centre_cli: Run, clock: ManualClock, database: Database
) -> None:
    run = centre_cli
    code, out, err = run(
        "dossier", "receive", "--procedure", "1.001612", "--name", "Nguyễn Văn An",
        "--id-number", "001095012345", "--dob", "12/03/1995", "--gender", "nam", "--phone", "0912345678",
    )  # fmt: skip
    assert code == 0, err
    dossier = f"{AGENCY}-261207-0001"
    assert f"Hồ sơ {dossier} đã được tiếp nhận." in out
    assert "10/12/2026 08:00" in out  # 3 working days: Thursday
    assert "Thứ Năm" in out

    clock.set(local(2026, 12, 7, 9, 30))
    code, out, err = run("dossier", "supplement", dossier, "--missing", "2", "--reason", "Thiếu giấy tờ")
    assert code == 0, err
    clock.set(local(2026, 12, 8, 8, 15))
    code, out, err = run("dossier", "complete", dossier)
    assert code == 0, err
    assert "11/12/2026 08:15" in out  # restarted from the completed receipt
    code, out, err = run("dossier", "transfer", dossier, "--to", "Phòng Kinh tế")
    assert code == 0, err
    clock.set(local(2026, 12, 10, 9, 0))
    code, out, err = run(
        "dossier", "delay", dossier, "--reason", "Chờ xác minh", "--unit", "Phòng Kinh tế",
        "--head", "Trần Văn C", "--new-date", "16/12/2026 08:00",
    )  # fmt: skip
    assert code == 0, err
    assert "16/12/2026 08:00" in out
    clock.set(local(2026, 12, 15, 10, 0))
    code, out, err = run("dossier", "result", dossier, "--summary", "Giấy chứng nhận đăng ký hộ kinh doanh")
    assert code == 0, err
    assert "quá hạn" in out  # late against the original date, whatever the apology
    code, out, err = run("dossier", "return", dossier)
    assert code == 0, err

    code, out, err = run("--json", "dossier", "show", dossier)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["status"] == "returned"
    assert [e["type"] for e in shown["events"]] == [
        "received",
        "supplement_requested",
        "supplemented",
        "transferred",
        "delayed",
        "result_ready",
        "returned",
    ]
    assert [e["seq"] for e in shown["events"]] == [1, 2, 3, 4, 5, 6, 7]
    with database.reading() as session:
        seqs = session.scalars(select(DossierEvent.seq).order_by(DossierEvent.id)).all()
    assert seqs == [1, 2, 3, 4, 5, 6, 7]  # the outbox, in commit order


def test_bad_input_is_one_sentence_and_writes_nothing(centre_cli: Run, database: Database) -> None:
    run = centre_cli
    for argv, expected in (
        (("--id-number", "012345678"), "CMND"),
        (("--id-number", "001095012345", "--dob", "01/01/1996"), "1996"),
        (("--id-number", "00109501234x"), "chữ số"),
    ):
        code, _out, err = run("dossier", "receive", "--procedure", "1.001193", "--name", "Lê Thị B", *argv)
        assert code == 1
        assert len(err.strip().splitlines()) == 1 and expected in err, err
    code, _out, err = run(
        "dossier", "receive", "--procedure", "9.999999", "--name", "B", "--id-number", "001095012345"
    )
    assert code == 1 and "9.999999" in err
    code, _out, err = run("dossier", "transfer", f"{AGENCY}-261207-0009", "--to", "X")
    assert code == 1 and "0009" in err
    code, _out, err = run("dossier", "return", "rubbish")
    assert code == 1
    with database.reading() as session:
        assert session.scalar(select(func.count(Dossier.id))) == 0


def test_illegal_transition_from_the_cli(centre_cli: Run) -> None:
    run = centre_cli
    run("dossier", "receive", "--procedure", "1.001193", "--name", "An", "--id-number", "001095012345")
    code, _out, err = run("dossier", "return", f"{AGENCY}-261207-0001")
    assert code == 1 and "không thể" in err


def test_search_due_and_lookup(centre_cli: Run, clock: ManualClock) -> None:
    run = centre_cli
    run(
        "dossier", "receive", "--procedure", "1.001193", "--name", "Đặng Thị Đào",
        "--id-number", "079301000123", "--phone", "0987654321",
    )  # fmt: skip
    code, out, _err = run("dossier", "search", "dang thi dao")
    assert code == 0 and "Đặng Thị Đào" in out
    code, out, _err = run("--json", "dossier", "search", "0987 654 321")
    assert [row["code"] for row in json.loads(out)] == [f"{AGENCY}-261207-0001"]
    code, out, _err = run("dossier", "lookup", f"{AGENCY}-261207-0001")
    assert "Đ. T. Đ." in out and "Đặng Thị Đào" not in out
    clock.set(local(2026, 12, 7, 16, 0))
    code, out, _err = run("dossier", "due")
    assert code == 0 and "Đến hạn hôm nay: 1" in out and "Quá hạn: 0" in out


def test_calendar_due_and_overrides(run: Run) -> None:
    code, out, _err = run("calendar", "due", "--from", "24/04/2026 09:00", "--days", "5")
    assert code == 0 and "06/05/2026 09:00" in out
    code, out, _err = run("calendar", "due", "--from", "13/02/2026 09:00", "--days", "3")
    assert "25/02/2026 09:00" in out
    code, _out, _err = run("calendar", "add-off", "25/02/2026", "--reference", "Công văn 1/UBND")
    assert code == 0
    code, out, _err = run("calendar", "due", "--from", "13/02/2026 09:00", "--days", "3")
    assert "26/02/2026 09:00" in out
    code, out, _err = run("calendar", "show", "2026")
    assert "16/02/2026" in out and "22/08/2026" in out and "25/02/2026" in out
    code, _out, err = run("calendar", "due", "--from", "31/02/2026 09:00", "--days", "1")
    assert code == 1 and "31/02/2026" in err


def test_id_check(run: Run) -> None:
    code, out, _err = run("id", "check", "001095012345", "--dob", "12/03/1995", "--gender", "nam")
    assert code == 0 and "Hà Nội" in out and "1995" in out
    code, _out, err = run("id", "check", "079301000123", "--gender", "nam")
    assert code == 1 and err.strip()
    code, _out, err = run("id", "check", "123456789")
    assert code == 1 and "CMND" in err
    code, out, _err = run(
        "id",
        "qr",
        "001095012345|012345678|Nguyễn Văn An|12031995|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15042021",
    )
    assert code == 0 and "Nguyễn Văn An" in out and "12/03/1995" in out


def test_procedure_import_reports_bad_rows_and_imports_nothing(run: Run, tmp_path: Path) -> None:
    run("service", "add", "--prefix", "A", "--name", "Hộ tịch")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,effective_from,name,field,area,time_amount,time_unit\n"
        "1.001193,01/07/2025,Đăng ký khai sinh,Hộ tịch,A,0,same_day\n"
        "1.00119,01/07/2025,Sai mã,Hộ tịch,A,3,working_days\n",
        encoding="utf-8",
    )
    code, out, _err = run("procedure", "import", str(bad))
    assert code == 1 and "Dòng 3" in out
    code, out, _err = run("procedure", "list")
    assert "1.001193" not in out
    code, out, _err = run("procedure", "import", "--demo")
    assert code == 1 and "B" in out  # the demo catalogue needs service area B as well


def test_procedure_list_and_show(centre_cli: Run, tmp_path: Path) -> None:
    code, out, _err = centre_cli("procedure", "list", "khai sinh")
    assert code == 0 and "1.001193" in out and "Đăng ký khai sinh" in out
    code, out, _err = centre_cli("procedure", "show", "1.001612")
    assert code == 0 and "03 ngày làm việc" in out
    exported = tmp_path / "catalogue.xlsx"
    code, _out, _err = centre_cli("procedure", "export", str(exported))
    assert code == 0 and exported.stat().st_size > 0
    code, out, _err = centre_cli("procedure", "import", str(exported))
    assert code == 0 and "32" in out  # all already known
