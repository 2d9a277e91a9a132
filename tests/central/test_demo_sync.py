"""The demo's centre syncs to a locally started central: every event of the scripted day is accepted."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from counter_app.cli.demo_dossiers import DEMO_AGENCY
from counter_app.cli.main import main
from counter_app.db.database import Database
from counter_app.db.models import DossierEvent
from tests.central.conftest import Central

pytestmark = pytest.mark.postgres


def test_the_demo_day_syncs_to_central(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COUNTER_APP_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COUNTER_APP_DB", raising=False)
    out_dir = tmp_path / "demo"
    assert main(["demo", "--headless", "--out", str(out_dir)]) == 0
    owner = central.add_centre(DEMO_AGENCY)
    owner.close()
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(owner.secret, encoding="utf-8")
    db_url = f"sqlite:///{out_dir / 'demo.sqlite3'}"
    central.clock.now = datetime.now(UTC)
    capsys.readouterr()
    assert main(["--db", db_url, "sync", "configure", "--url", central.base_url, "--centre", DEMO_AGENCY,
                 "--secret-file", str(secret_file)]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["--db", db_url, "--json", "sync", "run", "--once"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rejected"] == 0 and report["error"] is None
    db = Database(db_url)
    with db.reading() as session:
        local = {str(e) for e in session.scalars(sql("SELECT event_id FROM dossier_events"))}
        waiting = session.query(DossierEvent).filter(DossierEvent.acknowledged_at.is_(None)).count()
    db.dispose()
    with central.engine.connect() as connection:
        stored = {str(e) for e in connection.execute(sql("SELECT event_id FROM events")).scalars()}
    assert stored == local and len(local) > 50 and waiting == 0
    assert report["acknowledged"] == len(local)
