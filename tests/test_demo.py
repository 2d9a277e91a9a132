"""The demo's scripted day runs headless and writes its report, events and snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from counter_app.cli.main import main


def test_scripted_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COUNTER_APP_DB", raising=False)
    out_dir = tmp_path / "demo"
    assert main(["demo", "--headless", "--out", str(out_dir)]) == 0
    printed = capsys.readouterr().out
    assert str(out_dir) in printed
    report = (out_dir / "report.txt").read_text(encoding="utf-8")
    assert report.startswith("Ngày làm việc mô phỏng tại Bộ phận Một cửa")
    events = [
        json.loads(line) for line in (out_dir / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    kinds = {e["kind"] for e in events}
    assert {"issued", "called", "recalled", "no_show", "requeued", "transferred", "finished"} <= kinds
    issued = [e["payload"]["number"] for e in events if e["kind"] == "issued"]
    called = [e["payload"]["number"] for e in events if e["kind"] == "called"]
    assert set(called) <= set(issued)
    # A ticket is called twice only when it came back after being absent or was transferred.
    called_again = {n for n in called if called.count(n) > 1}
    second_chances = {e["payload"]["number"] for e in events if e["kind"] in {"requeued", "transferred"}}
    assert called_again <= second_chances
    snapshot = json.loads((out_dir / "queue.json").read_text(encoding="utf-8"))
    assert [c["label"] for c in snapshot["counters"]] == ["01", "02", "03", "04"]
    assert (out_dir / "demo.sqlite3").exists()
    # The devices, on simulators: boards showed the calls, tickets were printed, citizens rated.
    assert "Bảng LED đang hiển thị: quầy 01:" in report
    assert "Bảng LED ở sảnh bị rút điện lúc 10:00 và hoạt động lại lúc 10:06" in report
    assert "không in được khi máy in hết giấy: " in report
    tickets = list(out_dir.glob("ticket-*.png"))
    assert len(tickets) == 1
    with Image.open(tickets[0]) as picture:
        assert picture.width == 576 and picture.height > 300
    # One real case of each form, printed through the service and the layout engine.
    forms = sorted((out_dir / "forms").glob("mau-*.pdf"))
    assert [f.name for f in forms] == [f"mau-0{n}.pdf" for n in range(1, 8)]
    receipt = pypdf.PdfReader(forms[0]).pages[0].extract_text()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert "Trung tâm Phục vụ hành chính công phường Tân Định" in receipt
    assert "Mẫu 01–07" in report
    # The three windows, drawn offscreen after one scripted visit, at their screens' sizes.
    sizes = {"counter": (1366, 768), "kiosk": (1920, 1080), "display": (1920, 1080)}
    for name, size in sizes.items():
        with Image.open(out_dir / "screens" / f"{name}.png") as picture:
            assert picture.size == size
            assert len(picture.convert("RGB").getcolors(1 << 20) or []) > 50  # drawn, not blank
    assert "screens/display.png" in printed
