"""The demo's live mode builds the three windows and the simulated citizen; the officer cancels the login."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.cli.main import main
from ui import demo
from ui.counter.window import CounterWindow


def test_live_mode_opens_the_windows_and_closes_them_when_the_login_is_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "demo"
    assert main(["demo", "--headless", "--out", str(out)]) == 0
    opened: list[str] = []

    def cancelled_login(window: CounterWindow, counter: str | None = None, username: str = "") -> bool:
        opened.append(counter or "")
        assert window.isVisible()
        return False

    monkeypatch.setattr(CounterWindow, "login", cancelled_login)
    lines = demo.demo_screens(out / "demo.sqlite3", out, "Trung tâm Phục vụ hành chính công", headless=False)
    assert opened == ["01"]
    assert lines and "lan" in capsys.readouterr().out
