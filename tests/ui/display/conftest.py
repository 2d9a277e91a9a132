"""Stand-ins for the loudspeaker and the voice engine, and a display built against a real database.

The window tests run on SQLite (the PostgreSQL path has its own tests, marked ``postgres``):
the display logic is the same on both, only the event transport differs.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable, Iterator, Sequence

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from counter_app.db.database import Database
from counter_app.services.app import CounterApp
from tests.conftest import Centre
from ui.display.announcer import Announcer
from ui.display.window import DisplayWindow

CENTRE_NAME = "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh"
A001_SENTENCE = "Kính mời công dân có số thứ tự A không trăm linh một đến quầy số một."


def silence(ms: int, rate: int = 22050) -> bytes:
    """A mono 16-bit WAV of ``ms`` milliseconds of silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x00\x00" * (rate * ms // 1000))
    return buffer.getvalue()


def duration_ms(wav: bytes) -> int:
    with wave.open(io.BytesIO(wav)) as clip:
        return round(int(clip.getnframes()) * 1000 / int(clip.getframerate()))


class FakeVoice:
    """Says every sentence as ``clip_ms`` of silence and remembers what it was asked to say."""

    def __init__(self, clip_ms: int = 500) -> None:
        self.clip_ms = clip_ms
        self.rendered: list[tuple[tuple[str, bool], ...]] = []
        self.prerendered: list[tuple[tuple[str, bool], ...]] = []

    def render(self, phrases: Sequence[tuple[str, bool]]) -> bytes:
        self.rendered.append(tuple(phrases))
        return silence(self.clip_ms)

    def prerender(self, phrases: Sequence[tuple[str, bool]]) -> int:
        self.prerendered.append(tuple(phrases))
        return len(phrases)


class QuickPlayer(QObject):
    """A loudspeaker that plays each clip in ``play_ms`` and records what it played and any overlap."""

    def __init__(self, play_ms: int = 20) -> None:
        super().__init__()
        self.play_ms = play_ms
        self.played: list[bytes] = []
        self.playing = 0
        self.most_at_once = 0

    def play(self, wav: bytes, done: Callable[[], None]) -> None:
        self.played.append(wav)
        self.playing += 1
        self.most_at_once = max(self.most_at_once, self.playing)

        def end() -> None:
            self.playing -= 1
            done()

        QTimer.singleShot(self.play_ms, self, end)

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture
def database(sqlite_database: Database) -> Database:
    """The display's tests run on SQLite; the PostgreSQL bridge has its own tests."""
    return sqlite_database


@pytest.fixture
def voice() -> FakeVoice:
    return FakeVoice()


@pytest.fixture
def player() -> QuickPlayer:
    return QuickPlayer()


@pytest.fixture
def announcer(app: CounterApp, voice: FakeVoice, player: QuickPlayer) -> Iterator[Announcer]:
    announcer = Announcer(app.settings.get, voice, player=player)
    yield announcer
    announcer.close()


@pytest.fixture
def make_window(
    qtbot: QtBot, app: CounterApp, centre: Centre, announcer: Announcer
) -> Iterator[Callable[..., DisplayWindow]]:
    """A started window (its first snapshot shown) on the test's centre; closed afterwards."""
    windows: list[DisplayWindow] = []

    def make(**kwargs: object) -> DisplayWindow:
        options: dict[str, object] = {"centre_name": CENTRE_NAME, "announcer": announcer, **kwargs}
        window = DisplayWindow(app, centre.display, **options)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        window.start()
        qtbot.waitUntil(lambda: window.online, timeout=5000)
        return window

    yield make
    for window in windows:
        window.close()
