"""The voice of the waiting area: chime, then the call sentence, queued so calls never talk over each other.

A call must be heard whole: two officers pressing F1 at the same second get two complete
announcements, one after the other, in the order of the calls (queue.md: "announcements are
queued, never cut each other off, and a recall is announced again"). Each announcement is
prepared off the GUI thread (the centre's settings are read then, so a change of template or a
muted voice counts from the next call; espeak-ng renders the WAV in a subprocess) and played
with ``QMediaPlayer``, which works without a sound device (shared/stack-notes.md, "Voice").

Nothing here may stop the hall's screen: a missing espeak-ng, a missing sound card or a broken
media backend makes the announcement silent, never late and never an error dialog.
"""

from __future__ import annotations

import io
import logging
import tempfile
import wave
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from counter_app.domain.announcement import NumberReading, call_phrases, call_sentence
from counter_app.services.centre_settings import CentreConfig
from devices.voice import VoiceUnavailable, WavFormatError, chime_wav, concat_wavs
from ui.common.runner import ServiceRunner

log = logging.getLogger(__name__)

# Pauses inside one announcement: after the chime, and between the repeats of the sentence.
CHIME_GAP_MS = 250
REPEAT_GAP_MS = 700
# A media backend that never reports the end of a clip is given its length plus this much.
FALLBACK_MARGIN_MS = 1500
# The sample call whose fixed phrases are rendered at start-up ("Kính mời công dân…", "đến quầy số").
_SAMPLE_CALL = ("A001", "01", "")


class Voice(Protocol):
    """What the announcer needs of a speech engine (``devices.voice.EspeakVoice`` is one)."""

    def render(self, phrases: Sequence[tuple[str, bool]]) -> bytes: ...

    def prerender(self, phrases: Sequence[tuple[str, bool]]) -> object: ...


class AudioPlayer(Protocol):
    """Plays one WAV and calls ``done`` exactly once when it is over (or cannot be played)."""

    def play(self, wav: bytes, done: Callable[[], None]) -> None: ...

    def close(self) -> None: ...


def wav_duration_ms(wav: bytes) -> int:
    """The length of a WAV clip in milliseconds (0 if it cannot be read: nothing to wait for)."""
    try:
        with wave.open(io.BytesIO(wav)) as clip:
            return round(int(clip.getnframes()) * 1000 / int(clip.getframerate()))
    except (wave.Error, EOFError, ZeroDivisionError):
        return 0


def _sample_rate(wav: bytes, default: int = 22050) -> int:
    try:
        with wave.open(io.BytesIO(wav)) as clip:
            return int(clip.getframerate())
    except (wave.Error, EOFError):
        return default


class TimerPlayer(QObject):
    """Plays nothing and reports the end after the clip's duration: a hall without sound keeps its pace."""

    def play(self, wav: bytes, done: Callable[[], None]) -> None:
        QTimer.singleShot(wav_duration_ms(wav), self, done)

    def close(self) -> None:
        """Nothing to release."""


class MediaPlayer(QObject):
    """``QMediaPlayer`` + ``QAudioOutput`` from a temporary WAV file, with a duration fallback.

    The fallback timer (clip length + a margin) ends the clip if the backend never reports
    ``EndOfMedia`` or an error, so a wedged audio stack cannot hold the queue.
    """

    def __init__(self, parent: QObject | None = None, *, margin_ms: int = FALLBACK_MARGIN_MS) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer  # optional: the Addons wheel

        self._status = QMediaPlayer.MediaStatus
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._on_fallback)
        self._margin_ms = margin_ms
        self._dir = tempfile.TemporaryDirectory(prefix="counter-voice-")
        self._clips = 0
        self._done: Callable[[], None] | None = None
        self.ended_by_fallback = False  # the last clip was ended by the timer, not the backend

    def play(self, wav: bytes, done: Callable[[], None]) -> None:
        self._clips += 1
        # A fresh name per clip: the backend may still hold the previous file open.
        path = Path(self._dir.name) / f"clip{self._clips % 2}.wav"
        path.write_bytes(wav)
        self._done = done
        self.ended_by_fallback = False
        self._fallback.start(wav_duration_ms(wav) + self._margin_ms)
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def _finish(self) -> None:
        done, self._done = self._done, None
        self._fallback.stop()
        if done is not None:
            done()

    def _on_status(self, status: object) -> None:
        if status in (self._status.EndOfMedia, self._status.InvalidMedia):
            self._finish()

    def _on_error(self, error: object, message: str) -> None:
        log.warning("the announcement could not be played: %s", message)
        self._player.stop()
        self._finish()

    def _on_fallback(self) -> None:
        self.ended_by_fallback = True
        self._player.stop()
        self._finish()

    def close(self) -> None:
        self._fallback.stop()
        self._done = None
        self._player.stop()
        self._player.setSource(QUrl())
        self._dir.cleanup()


def default_player(parent: QObject | None = None) -> AudioPlayer:
    """The real player, or a silent timer where QtMultimedia cannot be loaded."""
    try:
        return MediaPlayer(parent)
    except ImportError:
        log.warning("QtMultimedia is not available: announcements will be silent")
        return TimerPlayer(parent)


@dataclass(frozen=True)
class _Call:
    ticket: str
    counter: str
    service_name: str


@dataclass(frozen=True)
class _Prepared:
    sentence: str
    wav: bytes | None  # None: nothing to play (chime and voice off, or no voice and no chime)
    config: CentreConfig


def build_announcement(config: CentreConfig, voice: Voice | None, call: _Call) -> _Prepared:
    """The sentence and the one WAV for ``call``: chime → sentence × ``call_repeat``, as configured.

    A voice that cannot speak (espeak-ng missing or failing) leaves the chime alone; the sentence
    is still returned, so the hall's screen and the history stay right.
    """
    reading = NumberReading(config.call_reading)
    args = (config.call_template, call.ticket, call.counter, call.service_name, reading)
    sentence = call_sentence(*args)
    spoken: bytes | None = None
    if config.call_voice and voice is not None:
        try:
            said = voice.render(call_phrases(*args))
            spoken = concat_wavs([said] * max(1, config.call_repeat), gap_ms=REPEAT_GAP_MS)
        except (VoiceUnavailable, WavFormatError) as exc:
            log.warning("the voice is unavailable, the call is chimed only: %s", type(exc).__name__)
    parts: list[bytes] = []
    if config.call_chime:
        parts.append(chime_wav(sample_rate=_sample_rate(spoken) if spoken else 22050))
    if spoken is not None:
        parts.append(spoken)
    if not parts:
        return _Prepared(sentence, None, config)
    wav = parts[0] if len(parts) == 1 else concat_wavs(parts, gap_ms=CHIME_GAP_MS)
    return _Prepared(sentence, wav, config)


class Announcer(QObject):
    """Announces calls one at a time, in the order they were asked for.

    ``settings`` returns the centre's configuration (``app.settings.get``); it is read off the GUI
    thread for every announcement, and the last good one is reused while the database is away.
    ``spoken`` is the history of the sentences announced, in order (the screen's log and the tests').
    """

    started = Signal(str)  # the sentence, as its chime begins
    finished = Signal(str)  # the sentence, once its audio is over

    def __init__(
        self,
        settings: Callable[[], CentreConfig],
        voice: Voice | None,
        *,
        player: AudioPlayer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._voice = voice
        self._player = player if player is not None else default_player(self)
        self._runner = ServiceRunner(self, max_threads=1)
        self._queue: deque[_Call] = deque()
        self._current: str | None = None
        self._busy = False
        self._config = CentreConfig()
        self._closed = False
        self.spoken: list[str] = []

    @property
    def busy(self) -> bool:
        """An announcement is being prepared or played, or one waits."""
        return self._busy or bool(self._queue)

    def start(self) -> None:
        """Render the template's fixed phrases now, so the first call is not delayed by them."""
        self._runner.run(self._prerender, lambda _result: None, self._log_failure)

    def announce(self, ticket: str, counter: str, service_name: str = "") -> None:
        """Queue one call; it is said after every call queued before it."""
        if self._closed:
            return
        self._queue.append(_Call(ticket, counter, service_name))
        self._next()

    def wait(self, timeout_ms: int = 10_000) -> None:
        """Until preparations in flight are answered (tests, shutdown)."""
        self._runner.wait(timeout_ms)

    def close(self) -> None:
        """Stop announcing: the queue is dropped and the player released."""
        self._closed = True
        self._queue.clear()
        self._runner.wait()
        self._player.close()

    # -- one announcement after another ----------------------------------------------------

    def _next(self) -> None:
        if self._busy or not self._queue or self._closed:
            return
        call = self._queue.popleft()
        self._busy = True
        self._runner.run(lambda: self._prepare(call), self._on_prepared, self._on_failed)

    def _prepare(self, call: _Call) -> _Prepared:
        """On a worker thread: the settings of now (or the last known ones), the sentence, the audio."""
        try:
            config = self._settings()
        except Exception as exc:  # the database is away: announce with what we knew
            log.warning("centre settings unavailable, using the last known: %s", type(exc).__name__)
            config = self._config
        return build_announcement(config, self._voice, call)

    def _on_prepared(self, prepared: _Prepared) -> None:
        if self._closed:
            return
        self._config = prepared.config
        self._current = prepared.sentence
        self.spoken.append(prepared.sentence)
        self.started.emit(prepared.sentence)
        if prepared.wav is None:
            QTimer.singleShot(0, self, self._on_played)
        else:
            self._player.play(prepared.wav, self._on_played)

    def _on_played(self) -> None:
        sentence, self._current = self._current, None
        self._busy = False
        if sentence is not None and not self._closed:
            self.finished.emit(sentence)
        self._next()

    def _on_failed(self, exc: Exception) -> None:
        log.error("an announcement could not be prepared: %s", exc)
        self._busy = False
        self._next()

    def _prerender(self) -> None:
        try:
            config = self._settings()
        except Exception:
            config = self._config
        if self._voice is None or not config.call_voice:
            return
        reading = NumberReading(config.call_reading)
        phrases = call_phrases(config.call_template, *_SAMPLE_CALL, reading)
        try:
            self._voice.prerender(tuple(p for p in phrases if p[1]))
        except (VoiceUnavailable, WavFormatError) as exc:
            log.warning("the voice is unavailable: %s", type(exc).__name__)

    @staticmethod
    def _log_failure(exc: Exception) -> None:
        log.warning("the fixed phrases could not be prepared: %s", exc)
