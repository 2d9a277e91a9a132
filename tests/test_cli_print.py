"""Printing the one-stop forms from the command line (``dossier print``, ``register print``), end to end
on SQLite: the PDF written, its text, its pages, and the audit trail of prints."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from counter_app.db.database import Database
from counter_app.db.models import AuditEntry
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.services.dossier_forms import PRINTED
from tests.support.cli import Run, cli_runner

AGENCY = "000.00.10.H49"
FIRST = f"{AGENCY}-261207-0001"
SECOND = f"{AGENCY}-261207-0002"
A5_POINTS = (419.5, 595.3)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def run(
    isolated_env: Path, capsys: pytest.CaptureFixture[str], sqlite_database: Database, clock: ManualClock
) -> Run:
    """``counter-app --db URL …`` in-process on a fresh SQLite database, at the test clock's instant."""
    url = sqlite_database.url.render_as_string(hide_password=False)

    return cli_runner(url, clock, capsys)


@pytest.fixture
def desk(run: Run) -> Run:
    """The demo catalogue and one dossier, received at 08:00 on Monday 07/12/2026."""
    for argv in (
        ("service", "add", "--prefix", "A", "--name", "Hộ tịch – Chứng thực"),
        ("service", "add", "--prefix", "B", "--name", "Đất đai"),
        ("settings", "set", "agency_code", AGENCY),
        ("procedure", "import", "--demo"),
        (
            "dossier", "receive", "--procedure", "1.001612", "--name", "Nguyễn Văn An",
            "--id-number", "001095012345", "--phone", "0912345678",
        ),
    ):  # fmt: skip
        code, _out, err = run(*argv)
        assert code == 0, err
    return run


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def prints(database: Database) -> list[dict[str, object] | None]:
    with database.reading() as session:
        return list(
            session.scalars(
                select(AuditEntry.after).where(AuditEntry.action == PRINTED).order_by(AuditEntry.id)
            )
        )


def test_receipt_pdf_names_the_dossier_and_the_applicant(
    desk: Run, tmp_path: Path, sqlite_database: Database
) -> None:
    out = tmp_path / "receipt.pdf"
    code, stdout, err = desk("--json", "dossier", "print", FIRST, "--form", "01", "--out", str(out))
    assert code == 0, err
    result = json.loads(stdout)
    assert (result["form"], result["code"], result["event"], result["reprint"]) == ("01", FIRST, 1, False)
    assert result["bytes"] == out.stat().st_size
    assert out.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = pdf_text(out)
    assert FIRST in text and "Nguyễn Văn An" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Bản in lại" not in text
    assert list(tmp_path.glob("*.part")) == []  # the temporary file was renamed into place
    assert prints(sqlite_database) == [{"form": "01", "seq": 1, "reprint": False}]


def test_printing_again_is_a_reprint(
    desk: Run, tmp_path: Path, clock: ManualClock, sqlite_database: Database
) -> None:
    first, again = tmp_path / "first.pdf", tmp_path / "again.pdf"
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--out", str(first))
    assert code == 0, err
    clock.set(local(2026, 12, 7, 9, 45))
    code, stdout, err = desk("--json", "dossier", "print", FIRST, "--form", "01", "--out", str(again))
    assert code == 0, err
    assert json.loads(stdout)["reprint"] is True
    text = pdf_text(again)
    assert "Bản in lại" in text and "09:45 07/12/2026" in text
    assert "Bản in lại" not in pdf_text(first)
    code, stdout, err = desk("dossier", "print", FIRST, "--form", "01", "--out", str(again))
    assert code == 0, err
    assert len(stdout.strip().splitlines()) == 2  # the file line and the reprint line
    assert [p["reprint"] for p in prints(sqlite_database) if p] == [False, True, True]


def test_two_copies_give_two_pages(desk: Run, tmp_path: Path) -> None:
    out = tmp_path / "two.pdf"
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--copies", "2", "--out", str(out))
    assert code == 0, err
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert "Liên 1" in reader.pages[0].extract_text() and "Liên 2" in reader.pages[1].extract_text()
    assert FIRST in reader.pages[1].extract_text()


def test_a5_paper(desk: Run, tmp_path: Path) -> None:
    out = tmp_path / "a5.pdf"
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--paper", "A5", "--out", str(out))
    assert code == 0, err
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A5_POINTS, abs=0.5)
    assert FIRST in pdf_text(out)


def test_control_sheet_and_the_centre_paper_setting(desk: Run, tmp_path: Path) -> None:
    code, _out, err = desk("settings", "set", "form_paper", "A5")
    assert code == 0, err
    out = tmp_path / "sheet.pdf"
    code, _out, err = desk("dossier", "print", FIRST, "--form", "06", "--out", str(out))
    assert code == 0, err
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A5_POINTS, abs=0.5)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(out)


def test_register_is_a_landscape_list_of_the_codes(desk: Run, tmp_path: Path, clock: ManualClock) -> None:
    clock.set(local(2026, 12, 7, 8, 10))
    code, _out, err = desk(
        "dossier", "receive", "--procedure", "1.001193", "--name", "Đặng Thị Đào",
        "--id-number", "079301000123",
    )  # fmt: skip
    assert code == 0, err
    out = tmp_path / "register.pdf"
    code, stdout, err = desk(
        "--json", "register", "print", "--from", "07/12/2026", "--to", "07/12/2026", "--out", str(out)
    )
    assert code == 0, err
    assert json.loads(stdout)["dossiers"] == 2
    box = PdfReader(out).pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = pdf_text(out)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert FIRST in text and SECOND in text
    assert text.index(FIRST) < text.index(SECOND)
    assert "Nguyễn Văn An" in text and "Đặng Thị Đào" in text
    empty = tmp_path / "empty.pdf"
    code, stdout, err = desk(
        "--json", "register", "print", "--from", "08/12/2026", "--to", "08/12/2026", "--out", str(empty)
    )
    assert code == 0, err
    assert json.loads(stdout)["dossiers"] == 0 and FIRST not in pdf_text(empty)


def test_missing_folder_writes_and_audits_nothing(
    desk: Run, tmp_path: Path, sqlite_database: Database
) -> None:
    out = tmp_path / "no-such-folder" / "receipt.pdf"
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--out", str(out))
    assert code != 0
    assert err.strip() and "no-such-folder" in err
    assert not out.exists() and not out.parent.exists()
    assert prints(sqlite_database) == []
    code, _out, err = desk(
        "register", "print", "--from", "07/12/2026", "--to", "07/12/2026", "--out", str(out)
    )
    assert code != 0 and err.strip()
    with sqlite_database.reading() as session:
        registers = session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "register.printed")
        )
    assert registers == 0
    # A folder given as the output file is refused the same way.
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--out", str(tmp_path))
    assert code != 0 and err.strip()
    assert prints(sqlite_database) == []


def test_unknown_code_and_missing_form_are_refused(
    desk: Run, tmp_path: Path, sqlite_database: Database
) -> None:
    out = tmp_path / "x.pdf"
    code, _out, err = desk("dossier", "print", f"{AGENCY}-261207-0042", "--form", "01", "--out", str(out))
    assert code != 0 and "0042" in err
    code, _out, err = desk("dossier", "print", FIRST, "--form", "02", "--out", str(out))
    assert code != 0 and err.strip()
    code, _out, err = desk("dossier", "print", FIRST, "--form", "01", "--event", "7", "--out", str(out))
    assert code != 0 and err.strip()
    code, _out, err = desk("dossier", "print", FIRST, "--form", "07", "--out", str(out))
    assert code != 0  # argparse: 07 is printed with 'register print'
    assert not out.exists()
    assert prints(sqlite_database) == []
