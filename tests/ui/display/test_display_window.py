"""The hall's screen: what a citizen reads from ten metres; it never shows numbers it cannot vouch for."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtGui import QFontInfo
from pytestqt.qtbot import QtBot

from counter_app.db.database import Database
from counter_app.domain.clock import ManualClock
from counter_app.domain.errors import DatabaseUnavailableError
from counter_app.i18n import _
from counter_app.services.app import CounterApp
from tests.conftest import Centre
from tests.ui.display.conftest import A001_SENTENCE, CENTRE_NAME, QuickPlayer
from ui.display import texts
from ui.display.announcer import Announcer
from ui.display.window import DisplayWindow

MakeWindow = Callable[..., DisplayWindow]


def recent_lines(window: DisplayWindow) -> list[str]:
    return [label.text() for label in window.recent_labels if label.isVisibleTo(window)]


def tiles(window: DisplayWindow) -> tuple[dict[str, str], dict[str, str]]:
    counters = {label: tile.text() for label, tile in window.counter_tiles.items()}
    waiting = {prefix: tile.text() for prefix, tile in window.waiting_tiles.items()}
    return counters, waiting


def shows_no_numbers(window: DisplayWindow, *numbers: str) -> bool:
    shown = " ".join(window.visible_texts())
    return not window.numbers.isVisibleTo(window) and not any(number in shown for number in numbers)


def test_at_start_up_it_shows_the_calls_made_before_it_existed_without_announcing_them(
    app: CounterApp, centre: Centre, make_window: MakeWindow, announcer: Announcer
) -> None:
    for prefix in "AAAB":
        app.queue.issue(centre.kiosk, prefix)
    app.queue.call_next(centre.lan, "01")  # A001 (counter 01 serves A first)
    app.queue.call_next(centre.minh, "02")  # B001 (counter 02 serves B first)

    window = make_window()

    assert window.latest_number.text() == "B001"
    assert window.latest_counter.text() == f"→ {texts.counter_name('02')}"
    assert recent_lines(window) == [texts.call_line("B001", "02"), texts.call_line("A001", "01")]
    counters, waiting = tiles(window)
    assert counters == {"01": "A001", "02": "B001"}
    assert waiting == {"A": texts.waiting_line(2, 0), "B": texts.waiting_line(0, 0)}
    assert window.centre_label.text() == CENTRE_NAME
    assert not window.banner.isVisible()
    assert announcer.spoken == []  # old calls are shown, not announced again


def test_a_call_flashes_the_big_panel_is_announced_and_the_counts_follow(
    qtbot: QtBot, app: CounterApp, centre: Centre, make_window: MakeWindow, announcer: Announcer
) -> None:
    window = make_window()
    assert window.latest_number.text() == ""
    app.queue.issue(centre.kiosk, "A")
    app.queue.issue(centre.kiosk, "A")
    qtbot.waitUntil(lambda: tiles(window)[1]["A"] == texts.waiting_line(2, 0))

    with qtbot.waitSignal(announcer.finished, timeout=5000) as finished:
        app.queue.call_next(centre.lan, "01")
        qtbot.waitUntil(lambda: window.latest_number.text() == "A001")
        assert window.flashing
        assert window.flash_on
        assert "01" in window.latest_counter.text()
    assert finished.args == [A001_SENTENCE]
    assert announcer.spoken == [A001_SENTENCE]

    after = ({"01": "A001", "02": "—"}, {"A": texts.waiting_line(1, 0), "B": texts.waiting_line(0, 0)})
    qtbot.waitUntil(lambda: tiles(window) == after)
    assert recent_lines(window) == [texts.call_line("A001", "01")]
    qtbot.waitUntil(lambda: not window.flashing, timeout=5000)
    assert not window.flash_on


def test_a_recall_is_shown_and_announced_again(
    qtbot: QtBot, app: CounterApp, centre: Centre, make_window: MakeWindow, announcer: Announcer
) -> None:
    window = make_window()
    app.queue.issue(centre.kiosk, "A")
    app.queue.call_next(centre.lan, "01")
    app.queue.recall(centre.lan, "01")
    qtbot.waitUntil(lambda: len(announcer.spoken) == 2 and not announcer.busy, timeout=5000)
    assert announcer.spoken == [A001_SENTENCE, A001_SENTENCE]
    assert window.latest_number.text() == "A001"
    qtbot.waitUntil(lambda: recent_lines(window) == [texts.call_line("A001", "01")] * 2)


def test_two_quick_calls_are_announced_in_order_one_after_the_other(
    qtbot: QtBot,
    app: CounterApp,
    centre: Centre,
    make_window: MakeWindow,
    announcer: Announcer,
    player: QuickPlayer,
) -> None:
    player.play_ms = 150
    window = make_window()
    order: list[tuple[str, str]] = []
    announcer.started.connect(lambda s: order.append(("started", s)))
    announcer.finished.connect(lambda s: order.append(("finished", s)))
    app.queue.issue(centre.kiosk, "A")
    app.queue.issue(centre.kiosk, "B")
    app.queue.call_next(centre.lan, "01")  # A001 → 01
    app.queue.call_next(centre.minh, "02")  # B001 → 02, while A001 is being said

    qtbot.waitUntil(lambda: len(order) == 4, timeout=5000)
    first = A001_SENTENCE
    second = "Kính mời công dân có số thứ tự bê không trăm linh một đến quầy số hai."
    assert order == [("started", first), ("finished", first), ("started", second), ("finished", second)]
    assert player.most_at_once == 1
    assert window.latest_number.text() == "B001"
    qtbot.waitUntil(
        lambda: recent_lines(window) == [texts.call_line("B001", "02"), texts.call_line("A001", "01")]
    )


def test_the_date_and_clock_are_the_centres_local_time_in_vietnamese(
    app: CounterApp, clock: ManualClock, make_window: MakeWindow
) -> None:
    window = make_window()
    assert window.date_label.text() == "Thứ Hai, 07/12/2026"
    assert window.clock_label.text() == "08:00"
    clock.advance(timedelta(days=6, minutes=75))
    window.tick()
    assert window.date_label.text() == "Chủ nhật, 13/12/2026"
    assert window.clock_label.text() == "09:15"


def test_the_notice_is_the_administrators_text_or_the_centres_hours(
    qtbot: QtBot, app: CounterApp, centre: Centre, make_window: MakeWindow
) -> None:
    window = make_window()
    assert window.notice.text().startswith(CENTRE_NAME + " — ")
    assert "07:30-11:30, 13:30-17:00" in window.notice.text()
    app.settings.set(centre.admin, "display_notice", "Chiều thứ Sáu nghỉ tiếp nhận hồ sơ đất đai")
    app.queue.issue(centre.kiosk, "A")  # any queue event makes the window read again
    qtbot.waitUntil(lambda: window.notice.text() == "Chiều thứ Sáu nghỉ tiếp nhận hồ sơ đất đai")


def test_recent_calls_are_cut_to_the_setting(
    qtbot: QtBot, app: CounterApp, centre: Centre, make_window: MakeWindow
) -> None:
    app.settings.set(centre.admin, "display_recent_calls", "2")
    for _round in range(3):
        app.queue.issue(centre.kiosk, "A")
    for _round in range(3):
        app.queue.call_next(centre.lan, "01")
        app.queue.finish(centre.lan, "01")
    window = make_window()
    assert recent_lines(window) == [texts.call_line("A003", "01"), texts.call_line("A002", "01")]


def test_a_failed_read_hides_every_number_until_a_read_succeeds_again(
    qtbot: QtBot,
    app: CounterApp,
    centre: Centre,
    make_window: MakeWindow,
    announcer: Announcer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app.queue.issue(centre.kiosk, "A")
    app.queue.issue(centre.kiosk, "B")
    app.queue.call_next(centre.lan, "01")
    window = make_window()
    assert "A001" in window.visible_texts()

    down = threading.Event()
    real_snapshot = app.state.snapshot

    def snapshot(*args: object, **kwargs: object) -> object:
        if down.is_set():
            raise DatabaseUnavailableError("Không kết nối được cơ sở dữ liệu.")
        return real_snapshot(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app.state, "snapshot", snapshot)
    down.set()
    app.queue.issue(centre.kiosk, "A")  # the event makes the window read, and the read fails
    qtbot.waitUntil(window.banner.isVisible)
    assert not window.online
    assert window.banner.text() == _("Connection lost — reconnecting…")
    assert shows_no_numbers(window, "A001", "B001", "A002")
    assert (window.width(), window.height()) == (1920, 1080)  # the banner replaces the numbers, same size
    assert window.latest_number.text() == "" and recent_lines(window) == []

    window.tick()  # still down: the retry fails again and nothing reappears
    window.tick()
    window.tick()
    window._runner.wait()
    assert window.banner.isVisible() and shows_no_numbers(window, "A001")

    down.clear()
    for _round in range(3):  # the retry comes within a few seconds
        window.tick()
    qtbot.waitUntil(lambda: window.online)
    assert not window.banner.isVisible()
    assert window.latest_number.text() == "A001"
    assert tiles(window)[1] == {"A": texts.waiting_line(1, 0), "B": texts.waiting_line(1, 0)}
    assert announcer.spoken == []


class FakeBridge:
    """What the window watches on a PostgresEventBridge: ``connected`` and ``generation``."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self.connected.set()
        self.generation = 1


def test_a_lost_listener_hides_the_numbers_and_a_new_generation_shows_what_was_missed(
    qtbot: QtBot,
    app: CounterApp,
    centre: Centre,
    clock: ManualClock,
    make_window: MakeWindow,
    announcer: Announcer,
    database: Database,
) -> None:
    """Simulated listener (the real one is in the PostgreSQL test below): events sent by another process
    while the display was disconnected arrive only through the fresh snapshot, and are not announced."""
    bridge = FakeBridge()
    app.queue.issue(centre.kiosk, "A")
    app.queue.issue(centre.kiosk, "A")
    window = make_window(bridge=bridge)
    assert window.online

    bridge.connected.clear()
    window.tick()
    assert window.banner.isVisible() and not window.online
    assert shows_no_numbers(window, "A001")

    other_machine = CounterApp(Database(database.url), clock)  # its own bus: the display never hears it
    try:
        other_machine.queue.call_next(centre.lan, "01")
    finally:
        other_machine.db.dispose()
    window.tick()
    window._runner.wait()
    assert window.banner.isVisible() and shows_no_numbers(window, "A001")

    bridge.generation += 1
    bridge.connected.set()
    window.tick()
    qtbot.waitUntil(lambda: window.online)
    assert not window.banner.isVisible()
    assert window.latest_number.text() == "A001"
    assert tiles(window)[0]["01"] == "A001"
    assert announcer.spoken == []


def test_the_window_is_sized_for_a_full_hd_tv(make_window: MakeWindow) -> None:
    window = make_window()
    assert (window.width(), window.height()) == (1920, 1080)
    assert QFontInfo(window.latest_number.font()).pixelSize() >= 200  # the number, readable from 10 m
    assert QFontInfo(window.recent_labels[0].font()).pixelSize() >= 34
