"""Draw every screen of the three windows into docs/screenshots/, to be looked at before a release.

A scripted demo day (``counter-app demo --headless``) fills a database; the windows then open on it,
offscreen, at their screens' sizes (counter 1366×768, kiosk and display 1920×1080), and each screen is
saved after the step that shows it: the officer's login, intake, a late dossier's apology, a return,
the search; the kiosk's start, ticket, out-of-paper, look-up and information pages; the display
calling, and cut off from the database.

    .venv/bin/python scripts/ui_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from counter_app.cli.demo_devices import PRINTER  # noqa: E402
from counter_app.cli.main import main as counter_app  # noqa: E402
from counter_app.db.database import Database  # noqa: E402
from counter_app.domain.clock import LOCAL_TZ, ManualClock  # noqa: E402
from counter_app.domain.dossier import DossierStatus  # noqa: E402
from counter_app.domain.errors import DatabaseUnavailableError  # noqa: E402
from counter_app.domain.search_text import fold  # noqa: E402
from counter_app.services.app import CounterApp  # noqa: E402
from devices.simulators import registry  # noqa: E402
from tests.support.keys import KeyRhythm  # noqa: E402
from ui.counter.login import LoginDialog  # noqa: E402
from ui.demo import AFTERNOON, DEMO_PASSWORD, Stations  # noqa: E402
from ui.fonts import use_product_font  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CHIP_QR = (
    "079301000123|025123456|Đặng Thị Đào|02052001|Nữ|12 Nguyễn Huệ, Phường Bến Nghé, TP. Hồ Chí Minh|15042021"
)


def main() -> int:
    qt = QApplication([])
    use_product_font(qt)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        if counter_app(["demo", "--headless", "--out", str(folder)]) != 0:
            return 1
        from datetime import datetime

        start = datetime.combine(datetime.now(LOCAL_TZ).date(), AFTERNOON, LOCAL_TZ)
        db = Database(f"sqlite:///{folder / 'demo.sqlite3'}")
        try:
            app = CounterApp(db, ManualClock(start))
            stations = Stations(app, folder, "Trung tâm Phục vụ hành chính công phường Tân Định", silent=True)
            try:
                written = _counter(app, stations) + _kiosk(app, stations) + _display(app, stations)
            finally:
                stations.close()
        finally:
            db.dispose()
    for path in written:
        print(path.relative_to(ROOT))
    return 0


def _save(widget: QWidget, name: str, settle: Callable[[], None]) -> Path:
    settle()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    return path


def _counter(app: CounterApp, stations: Stations) -> list[Path]:
    window = stations.counter
    settle = _settler(stations)
    login = LoginDialog(app, window.runner, window, "01")
    login.username.setText("lan")
    login.show()
    written = [_save(login, "counter-login", settle)]
    login.close()
    officer = app.users.authenticate("lan", DEMO_PASSWORD)
    counter = app.counters.open(officer, "01")
    if app.queue.current("01") is not None:
        app.queue.finish(officer, "01")
    window.open_session(officer, counter)
    window.show()
    app.queue.issue(stations.kiosk_actor, "A")
    window.call_next()
    settle()
    intake = window.intake
    window.scans.clock_ms = KeyRhythm(180)  # QTest types faster than any scanner: say it is a person
    QTest.keyClicks(intake.search, "khai sinh")
    QTest.keyClick(intake.search, Qt.Key.Key_Return)
    settle()
    intake.checklist.setFocus()
    QTest.keyClick(intake.checklist, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(intake.checklist, Qt.Key.Key_Space)
    intake.fill_from_chip_qr(CHIP_QR)
    written.append(_save(window, "counter-intake", settle))
    late = app.dossier_queries.due(officer).overdue
    if late:
        window.open_dossier(late[0].summary.code)
        written.append(_save(window, "counter-late-apology", settle))
    ready = [
        s for s in app.dossier_queries.search(officer, "nguyen") if s.status is DossierStatus.RESULT_READY
    ]
    if ready:
        window.open_dossier(ready[0].code)
        written.append(_save(window, "counter-return", settle))
    window.focus_search()
    someone = app.dossier_queries.search(officer, "nguyen")
    window.search.box.setText(fold(someone[0].applicant_name) if someone else "nguyen")
    window.search.search_now()
    written.append(_save(window, "counter-search", settle))
    return written


def _kiosk(app: CounterApp, stations: Stations) -> list[Path]:
    kiosk = stations.kiosk
    settle = _settler(stations)
    kiosk.show()
    kiosk.return_to_start()
    written = [_save(kiosk, "kiosk-start", settle)]
    kiosk.take_number("B")
    written.append(_save(kiosk, "kiosk-ticket", settle))
    registry.get(PRINTER).paper_out = True
    kiosk.take_number("A")
    written.append(_save(kiosk, "kiosk-no-paper", settle))
    registry.get(PRINTER).paper_out = False
    officer = app.users.authenticate("lan", DEMO_PASSWORD)
    codes = app.dossier_queries.search(officer, "nguyen")
    if codes:
        kiosk.look_up(codes[0].code)
        written.append(_save(kiosk, "kiosk-lookup", settle))
    kiosk.open_info()
    kiosk.info_page.type_words("khai sinh")
    written.append(_save(kiosk, "kiosk-info", settle))
    return written


def _display(app: CounterApp, stations: Stations) -> list[Path]:
    display = stations.display
    settle = _settler(stations)
    display.show()
    written = [_save(display, "display", settle)]
    original = app.state.snapshot

    def unreachable(*_args: object, **_kwargs: object) -> object:
        raise DatabaseUnavailableError("database unreachable (screenshot)")

    app.state.snapshot = unreachable  # type: ignore[method-assign]
    try:
        display.refresh()
        written.append(_save(display, "display-disconnected", settle))
    finally:
        app.state.snapshot = original  # type: ignore[method-assign]
    return written


def _settler(stations: Stations) -> Callable[[], None]:
    def settle() -> None:
        for _round in range(4):
            stations.counter.runner.wait()
            stations.kiosk.runner.wait()
            stations.display.wait()
            QApplication.processEvents()

    return settle


if __name__ == "__main__":
    raise SystemExit(main())
