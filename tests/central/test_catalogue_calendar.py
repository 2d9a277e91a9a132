"""GET /api/v1/catalog (versions, 304) and /api/v1/calendar/{year}, fed by the `central` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from central.cli import main
from tests.central.conftest import Central, Client

pytestmark = pytest.mark.postgres

PROCEDURES: list[dict[str, Any]] = [
    {
        "code": "1.001612",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "processing_days": 0,
        "documents": [{"name": "Tờ khai đăng ký khai sinh", "copies": 1, "kind": "original"}],
        "fee": 0,
        "agency": "UBND cấp xã",
    },
    {"code": "1.000894", "name": "Đăng ký kết hôn", "processing_days": 3, "fee": "Miễn phí"},
]


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(central: Central, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", central.url, *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_catalogue_versions_and_304(
    central: Central, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = client.get("/api/v1/catalog")
    assert empty.status_code == 200
    assert empty.json() == {"version": 0, "procedures": []}
    assert client.get("/api/v1/catalog", since=0).status_code == 304

    code, out, _ = run(central, "catalogue", "import", write(tmp_path, "c.json", PROCEDURES), capsys=capsys)
    assert (code, out.strip()) == (0, "catalogue version 1: 2 procedures")
    answer = client.get("/api/v1/catalog", since=0)
    assert answer.status_code == 200
    body = answer.json()
    assert body["version"] == 1
    assert [p["code"] for p in body["procedures"]] == ["1.000894", "1.001612"]
    assert body["procedures"][1]["documents"] == PROCEDURES[0]["documents"]
    assert client.get("/api/v1/catalog", since=1).status_code == 304

    run(central, "catalogue", "import", write(tmp_path, "c2.json", PROCEDURES[:1]), capsys=capsys)
    newer = client.get("/api/v1/catalog", since=1).json()
    assert newer["version"] == 2
    assert [p["code"] for p in newer["procedures"]] == ["1.001612"]
    assert client.get("/api/v1/catalog", since="abc").status_code == 400
    assert client.get("/api/v1/catalog", since=-1).status_code == 400


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ({"code": "x"}, "item"),
        ([{"name": "no code"}], "item 0.code"),
        ([{"code": "1", "name": "a"}, {"code": "1", "name": "b"}], "appears twice"),
    ],
)
def test_a_bad_catalogue_file_is_one_line_and_changes_nothing(
    central: Central,
    client: Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: Any,
    message: str,
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    code, _, err = run(central, "catalogue", "import", str(path), capsys=capsys)
    assert code != 0
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert client.get("/api/v1/catalog").json()["version"] == 0


def test_calendar_set_and_get(
    central: Central, client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    days = [
        {"day": "2026-01-02", "kind": "off", "note": "Nghỉ bù Tết Dương lịch"},
        {"day": "2026-01-10", "kind": "workday", "note": "Làm bù"},
    ]
    code, out, _ = run(central, "calendar", "set", "2026", write(tmp_path, "2026.json", days), capsys=capsys)
    assert (code, out.strip()) == (0, "calendar 2026: 2 days declared")
    assert client.get("/api/v1/calendar/2026").json() == {"year": 2026, "days": days}
    assert client.get("/api/v1/calendar/2027").json() == {"year": 2027, "days": []}
    # Setting a year again replaces it.
    run(central, "calendar", "set", "2026", write(tmp_path, "again.json", days[:1]), capsys=capsys)
    assert client.get("/api/v1/calendar/2026").json()["days"] == days[:1]
    wrong_year = write(tmp_path, "wrong.json", [{"day": "2027-01-01", "kind": "off"}])
    code, _, err = run(central, "calendar", "set", "2026", wrong_year, capsys=capsys)
    assert code == 1
    assert "not in 2026" in err
    bad_kind = write(tmp_path, "kind.json", [{"day": "2026-05-01", "kind": "holiday"}])
    assert run(central, "calendar", "set", "2026", bad_kind, capsys=capsys)[0] == 1
    assert client.get("/api/v1/calendar/abc").status_code == 400
    assert client.get("/api/v1/calendar/99999").status_code == 400
