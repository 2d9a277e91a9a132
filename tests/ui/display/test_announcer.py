"""The voice queue: one announcement at a time, in order, as the centre configured it, and never stuck."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter_app.domain.errors import DatabaseUnavailableError
from counter_app.services.centre_settings import CentreConfig
from devices.voice import EspeakVoice, VoiceUnavailable, chime_wav
from tests.ui.display.conftest import A001_SENTENCE, FakeVoice, QuickPlayer, duration_ms
from ui.display.announcer import CHIME_GAP_MS, REPEAT_GAP_MS, Announcer, MediaPlayer

B002_SENTENCE = "Kính mời công dân có số thứ tự bê không trăm linh hai đến quầy số hai."
CHIME_MS = duration_ms(chime_wav())


class Settings:
    """The centre's settings as the announcer reads them; ``down`` fails the read like a lost database."""

    def __init__(self, **values: object) -> None:
        self.config = replace(CentreConfig(), **values)  # type: ignore[arg-type]
        self.down = False

    def __call__(self) -> CentreConfig:
        if self.down:
            raise DatabaseUnavailableError("Không kết nối được cơ sở dữ liệu.")
        return self.config


def run(qtbot: QtBot, announcer: Announcer, *calls: tuple[str, str]) -> list[tuple[str, str]]:
    """Announce ``calls`` at once; the started/finished signals in the order they came."""
    order: list[tuple[str, str]] = []
    announcer.started.connect(lambda s: order.append(("started", s)))
    announcer.finished.connect(lambda s: order.append(("finished", s)))
    for ticket, counter in calls:
        announcer.announce(ticket, counter)
    qtbot.waitUntil(lambda: len(order) == 2 * len(calls) and not announcer.busy, timeout=10_000)
    return order


def test_calls_are_said_one_after_the_other_in_the_order_they_came(qtbot: QtBot) -> None:
    player = QuickPlayer(play_ms=100)
    announcer = Announcer(Settings(), FakeVoice(), player=player)
    order = run(qtbot, announcer, ("A001", "01"), ("B002", "02"), ("A001", "01"))
    assert order == [
        ("started", A001_SENTENCE),
        ("finished", A001_SENTENCE),
        ("started", B002_SENTENCE),
        ("finished", B002_SENTENCE),
        ("started", A001_SENTENCE),
        ("finished", A001_SENTENCE),
    ]
    assert announcer.spoken == [A001_SENTENCE, B002_SENTENCE, A001_SENTENCE]
    assert player.most_at_once == 1 and len(player.played) == 3


def test_chime_then_the_sentence_said_as_many_times_as_configured(qtbot: QtBot) -> None:
    voice, player = FakeVoice(clip_ms=500), QuickPlayer()
    announcer = Announcer(Settings(call_repeat=3), voice, player=player)
    run(qtbot, announcer, ("A001", "01"))
    (wav,) = player.played
    assert duration_ms(wav) == pytest.approx(CHIME_MS + CHIME_GAP_MS + 3 * 500 + 2 * REPEAT_GAP_MS, abs=2)
    (phrases,) = voice.rendered
    assert "".join(text for text, _fixed in phrases) == A001_SENTENCE
    assert [fixed for _text, fixed in phrases] == [True, False, True, False]


@pytest.mark.parametrize(
    ("chime", "voice_on", "expected_ms"),
    [(0, 1, 2 * 500 + REPEAT_GAP_MS), (1, 0, CHIME_MS), (0, 0, None)],
    ids=["voice-only", "chime-only", "silent"],
)
def test_chime_and_voice_settings_are_respected(
    qtbot: QtBot, chime: int, voice_on: int, expected_ms: int | None
) -> None:
    voice, player = FakeVoice(clip_ms=500), QuickPlayer()
    announcer = Announcer(Settings(call_chime=chime, call_voice=voice_on), voice, player=player)
    order = run(qtbot, announcer, ("A001", "01"))
    assert order == [("started", A001_SENTENCE), ("finished", A001_SENTENCE)]
    if expected_ms is None:
        assert player.played == []
    else:
        assert [duration_ms(wav) for wav in player.played] == [pytest.approx(expected_ms, abs=2)]
    assert len(voice.rendered) == voice_on


def test_the_settings_are_read_for_each_call(qtbot: QtBot) -> None:
    settings, player = Settings(), QuickPlayer()
    announcer = Announcer(settings, FakeVoice(), player=player)
    run(qtbot, announcer, ("A001", "01"))
    settings.config = replace(settings.config, call_reading="digits", call_voice=0)
    order = run(qtbot, announcer, ("A001", "01"))
    digits = "Kính mời công dân có số thứ tự A, không, không, một đến quầy số một."
    assert order[-2:] == [("started", digits), ("finished", digits)]
    assert duration_ms(player.played[-1]) == pytest.approx(CHIME_MS, abs=2)


class BrokenVoice(FakeVoice):
    def render(self, phrases: Sequence[tuple[str, bool]]) -> bytes:
        raise VoiceUnavailable("Chưa cài đặt bộ đọc espeak-ng.")


def test_without_a_voice_or_a_database_the_call_is_still_chimed_in_order(qtbot: QtBot) -> None:
    settings, player = Settings(), QuickPlayer()
    announcer = Announcer(settings, BrokenVoice(), player=player)
    run(qtbot, announcer, ("A001", "01"))
    settings.down = True  # the last settings read are used
    order = run(qtbot, announcer, ("B002", "02"))
    assert order[-2:] == [("started", B002_SENTENCE), ("finished", B002_SENTENCE)]
    assert [duration_ms(wav) for wav in player.played] == [CHIME_MS, CHIME_MS]


def test_start_up_prepares_the_fixed_phrases(qtbot: QtBot) -> None:
    voice = FakeVoice()
    announcer = Announcer(Settings(), voice, player=QuickPlayer())
    announcer.start()
    qtbot.waitUntil(lambda: bool(voice.prerendered))
    assert voice.prerendered == [(("Kính mời công dân có số thứ tự ", True), (" đến quầy số ", True))]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_real_voice_through_qmediaplayer_reaches_the_end(qtbot: QtBot, tmp_path: Path) -> None:
    """espeak-ng + QMediaPlayer offscreen, no sound card: the backend plays in real time and reports
    the end of the clip itself (found here: EndOfMedia after the clip's length, no fallback needed)."""
    player = MediaPlayer()
    announcer = Announcer(Settings(call_repeat=1), EspeakVoice(tmp_path / "voice"), player=player)
    try:
        with qtbot.waitSignal(announcer.finished, timeout=30_000) as finished:
            announcer.announce("A001", "01")
        assert finished.args == [A001_SENTENCE]
        assert not player.ended_by_fallback
    finally:
        announcer.close()
