"""The demo's three windows on the database the scripted morning left behind (``counter-app demo``).

With a screen: the ticket kiosk, the waiting-area display (with chime and voice) and counter 01's
window (log in as ``lan``, password in the demo's report) open on the simulated devices, and a whole
visit can be done with the keyboard alone; the clock runs from 13:30, the afternoon session. A
simulated citizen answers the rating keypad a moment after it lights up.

Without a screen: the same windows are drawn offscreen through one scripted visit (a ticket at the
kiosk, the call on the display, the counter with the citizen) and saved as PNGs under ``screens/``.
"""

from __future__ import annotations

import os
from datetime import datetime, time
from pathlib import Path

from counter_app.cli.demo import DEMO_PASSWORD
from counter_app.db.database import Database
from counter_app.domain.clock import LOCAL_TZ, Clock, ManualClock, RunningClock
from counter_app.domain.queue import QueueEventKind
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from counter_app.services.events import QueueEventMessage

AFTERNOON = time(13, 30)
RATING_AFTER_MS = 2500

SCREEN_SIZES = {"counter": (1366, 768), "kiosk": (1920, 1080), "display": (1920, 1080)}


def demo_screens(db_file: Path, folder: Path, centre_name: str, headless: bool) -> list[str]:
    """Entry point ``counter_app.screens:demo``; returns the report's lines."""
    if headless:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from ui.fonts import use_product_font

    qt = QApplication.instance() or QApplication([])
    assert isinstance(qt, QApplication)
    use_product_font(qt)
    today = datetime.now(LOCAL_TZ).date()
    start = datetime.combine(today, AFTERNOON, LOCAL_TZ)
    clock: Clock = ManualClock(start) if headless else RunningClock(start)
    db = Database(f"sqlite:///{db_file}")
    try:
        app = CounterApp(db, clock)
        if headless:
            return _draw(app, folder, centre_name, qt)
        return _live(app, folder, centre_name, qt)
    finally:
        db.dispose()


class Stations:
    """The three windows of one centre, on one database and one event bus."""

    def __init__(self, app: CounterApp, folder: Path, centre_name: str, *, silent: bool) -> None:
        from devices.voice import EspeakVoice
        from ui.counter.window import CounterWindow
        from ui.display.announcer import Announcer, TimerPlayer
        from ui.display.window import DisplayWindow
        from ui.kiosk.window import KioskWindow

        self.app = app
        self.kiosk_actor = kiosk = app.users.authenticate("kiosk1", DEMO_PASSWORD)
        display = app.users.authenticate("tv1", DEMO_PASSWORD)
        voice = EspeakVoice(folder / "voice-cache")
        player = TimerPlayer() if silent else None
        self.announcer = Announcer(app.settings.get, voice if voice.available() else None, player=player)
        self.kiosk = KioskWindow(app, kiosk, centre_name=centre_name)
        self.display = DisplayWindow(app, display, centre_name=centre_name, announcer=self.announcer)
        self.counter = CounterWindow(app, forms_folder=folder / "counter-forms", run_sync=False)
        self.kiosk.setWindowTitle(_("Ticket kiosk"))
        self.display.setWindowTitle(_("Waiting-area display"))
        for window, name in ((self.kiosk, "kiosk"), (self.display, "display"), (self.counter, "counter")):
            window.resize(*SCREEN_SIZES[name])
        self.announcer.start()
        self.kiosk.start()
        self.display.start()

    def close(self) -> None:
        self.counter.shutdown()
        self.kiosk.close()
        self.display.close()
        self.announcer.close()


def _draw(app: CounterApp, folder: Path, centre_name: str, qt: object) -> list[str]:
    """One visit, scripted, drawn offscreen: kiosk → display → counter."""
    from PySide6.QtWidgets import QApplication

    assert isinstance(app.ctx.clock, ManualClock)
    stations = Stations(app, folder, centre_name, silent=True)
    screens = folder / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    try:
        officer = app.users.authenticate("lan", DEMO_PASSWORD)
        counter = app.counters.open(officer, "01")
        if app.queue.current("01") is not None:
            app.queue.finish(officer, "01")
        stations.counter.open_session(officer, counter)
        for window in (stations.kiosk, stations.display, stations.counter):
            window.show()
        stations.kiosk.take_number("A")
        _settle(stations)
        kiosk_png = screens / "kiosk.png"
        stations.kiosk.grab().save(str(kiosk_png))
        app.ctx.clock.advance(minutes=1)
        stations.counter.call_next()
        _settle(stations)
        stations.display.grab().save(str(screens / "display.png"))
        stations.counter.grab().save(str(screens / "counter.png"))
        QApplication.processEvents()
    finally:
        stations.close()
    return [
        _("The three windows drawn after one scripted visit: {files}").format(
            files=", ".join(str(screens / f"{name}.png") for name in ("counter", "kiosk", "display"))
        )
    ]


def _settle(stations: Stations) -> None:
    from PySide6.QtWidgets import QApplication

    for _round in range(5):
        stations.counter.refresh()
        stations.counter.runner.wait()
        stations.kiosk.runner.wait()
        stations.display.wait()
        QApplication.processEvents()


def _live(app: CounterApp, folder: Path, centre_name: str, qt: object) -> list[str]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from devices.simulators import registry
    from devices.simulators.keypad import KeypadSim

    assert isinstance(qt, QApplication)
    stations = Stations(app, folder, centre_name, silent=False)

    def citizen_rates(event: QueueEventMessage) -> None:
        """The simulated citizen presses "very satisfied" a moment after the keypad lights up."""
        if event.kind is QueueEventKind.FINISHED:
            label = str(event.payload.get("counter", ""))
            keypad = registry.get(f"demo-keypad-{label}")
            if isinstance(keypad, KeypadSim):
                QTimer.singleShot(RATING_AFTER_MS, lambda: keypad.press(1))

    stations.counter.events.received.connect(citizen_rates)
    print(
        _("Opening the kiosk, the display and counter 01 (user lan, password {password}).").format(
            password=DEMO_PASSWORD
        )
    )
    stations.kiosk.show()
    stations.display.show()
    stations.counter.show()
    if stations.counter.login("01", "lan"):
        qt.exec()
    stations.close()
    return [_("The windows were closed.")]
