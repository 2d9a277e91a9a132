"""The call said aloud: espeak-ng renders Vietnamese to WAV in a subprocess, a chime announces it.

Why a subprocess and WAV bytes: QtTextToSpeech here only has speech-dispatcher, which hangs without a sound
device (shared/stack-notes.md); espeak-ng is offline, and a WAV can be played by whatever the caller has
(QMediaPlayer on the display) or written to a file (``counter-app say --wav``).

The sentence comes in pieces (``counter_app.domain.announcement.call_phrases``): the template's words are
the same for every call, so their audio is rendered once and kept on disk; only the ticket and the counter
are rendered per call (and remembered for a while: a recall says the same words again). Each piece's
leading and trailing silence is trimmed so that the pieces join into one natural-sounding sentence.

No Qt, no database: plain values in, bytes out.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import io
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import wave
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from counter_app.atomic_file import write_atomically
from counter_app.domain.errors import AppError
from counter_app.i18n import _

log = logging.getLogger(__name__)

SILENCE_THRESHOLD = 300  # of 32767: below this a 16-bit sample counts as silence when trimming
LEAD_MS, TAIL_MS = 15, 60  # what is kept of the silence around a piece


class VoiceUnavailable(AppError):  # noqa: N818 - the name says what the caller learns
    """The voice engine is missing, failed or did not answer: the call is shown but cannot be spoken."""


class WavFormatError(ValueError):
    """Bytes that are not a WAV this module can read, or parts that cannot be joined."""


# -- WAV plumbing ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pcm:
    """Decoded PCM audio: whole frames only, little-endian as in a WAV file."""

    channels: int
    sampwidth: int
    framerate: int
    frames: bytes

    @property
    def nframes(self) -> int:
        return len(self.frames) // (self.channels * self.sampwidth)

    @property
    def seconds(self) -> float:
        return self.nframes / self.framerate


def read_wav(data: bytes) -> Pcm:
    """Decode a PCM WAV. espeak-ng writing to a pipe cannot seek back, so its header claims about 2 GB of
    data: read what is actually there and keep whole frames."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            channels, sampwidth, framerate = (
                reader.getnchannels(),
                reader.getsampwidth(),
                reader.getframerate(),
            )
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise WavFormatError(f"not a PCM WAV: {exc}") from exc
    frame_size = channels * sampwidth
    return Pcm(channels, sampwidth, framerate, frames[: len(frames) // frame_size * frame_size])


def write_wav(pcm: Pcm) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(pcm.channels)
        writer.setsampwidth(pcm.sampwidth)
        writer.setframerate(pcm.framerate)
        writer.writeframes(pcm.frames)
    return buffer.getvalue()


def _samples(frames: bytes) -> array.array[int]:
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _frames(samples: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def _convert(pcm: Pcm, channels: int, sampwidth: int, framerate: int) -> Pcm:
    """Bring 16-bit audio to another channel count or rate (a chime made at another rate, a stereo clip)."""
    if (pcm.channels, pcm.sampwidth, pcm.framerate) == (channels, sampwidth, framerate):
        return pcm
    if pcm.sampwidth != 2 or sampwidth != 2 or pcm.channels not in (1, 2) or channels not in (1, 2):
        raise WavFormatError(
            f"cannot join WAV parts of {pcm.channels} channel(s) × {pcm.sampwidth * 8} bits with "
            f"{channels} channel(s) × {sampwidth * 8} bits: only 16-bit mono or stereo is converted"
        )
    samples = _samples(pcm.frames)
    if pcm.channels == 2 and channels == 1:
        samples = array.array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples), 2)))
    elif pcm.channels == 1 and channels == 2:
        stereo = array.array("h", bytes(len(samples) * 4))
        stereo[0::2] = samples
        stereo[1::2] = samples
        samples = stereo
    if pcm.framerate != framerate:
        samples = _resample(samples, channels, pcm.framerate, framerate)
    return Pcm(channels, 2, framerate, _frames(samples))


def _resample(samples: array.array[int], channels: int, rate: int, target: int) -> array.array[int]:
    """Linear interpolation: good enough for a chime and speech, no numpy needed."""
    count = len(samples) // channels
    out_count = round(count * target / rate)
    out = array.array("h", bytes(out_count * channels * 2))
    for i in range(out_count):
        position = i * rate / target
        j = min(int(position), count - 1)
        k = min(j + 1, count - 1)
        frac = position - j
        for c in range(channels):
            a, b = samples[j * channels + c], samples[k * channels + c]
            out[i * channels + c] = round(a + (b - a) * frac)
    return out


def _silence(frames: int, channels: int, sampwidth: int) -> bytes:
    return (b"\x80" if sampwidth == 1 else b"\x00") * (frames * channels * sampwidth)


def concat_wavs(parts: Sequence[bytes], gap_ms: int = 80) -> bytes:
    """One WAV of ``parts`` in order with ``gap_ms`` of silence between them, in the first part's format.

    A 16-bit part of another rate or channel count is converted; anything else raises WavFormatError.
    """
    if not parts:
        raise WavFormatError("no WAV parts to join")
    decoded = [read_wav(part) for part in parts]
    first = decoded[0]
    gap = _silence(round(first.framerate * gap_ms / 1000), first.channels, first.sampwidth)
    body = gap.join(_convert(p, first.channels, first.sampwidth, first.framerate).frames for p in decoded)
    return write_wav(Pcm(first.channels, first.sampwidth, first.framerate, body))


def trim_silence(data: bytes, lead_ms: int = LEAD_MS, tail_ms: int = TAIL_MS) -> bytes:
    """Cut a 16-bit WAV's silence down to ``lead_ms`` before the first sound and ``tail_ms`` after the last
    (espeak-ng ends every phrase with ~0.4 s of silence, too long between the pieces of one sentence)."""
    pcm = read_wav(data)
    if pcm.sampwidth != 2:
        return data
    samples = _samples(pcm.frames)
    first = next((i for i in range(len(samples)) if abs(samples[i]) > SILENCE_THRESHOLD), None)
    if first is None:
        return data
    last = next(i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_THRESHOLD)
    frame = pcm.channels
    start = max(0, first // frame - pcm.framerate * lead_ms // 1000)
    end = min(pcm.nframes, last // frame + 1 + pcm.framerate * tail_ms // 1000)
    size = frame * 2
    return write_wav(Pcm(pcm.channels, 2, pcm.framerate, pcm.frames[start * size : end * size]))


def chime_wav(sample_rate: int = 22050) -> bytes:
    """A two-tone "ding-dong" (E5 then C5, 0.45 s each, bell-like decay), the same bytes every time."""
    amplitude = 0.45 * 32767
    attack = int(sample_rate * 0.005)  # 5 ms: no click at the start of a tone
    samples = array.array("h")
    for frequency in (659.25, 523.25):
        length = int(sample_rate * 0.45)
        for i in range(length):
            t = i / sample_rate
            envelope = math.exp(-4.5 * t) * min(1.0, i / attack) * min(1.0, (length - i) / attack)
            tone = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(4 * math.pi * frequency * t)
            samples.append(round(amplitude * envelope * tone / 1.3))
    return write_wav(Pcm(1, 2, sample_rate, _frames(samples)))


# -- the engine -----------------------------------------------------------------------------------------
class EspeakVoice:
    """espeak-ng in a subprocess (never a shell), with the template's fixed phrases cached on disk."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        executable: str = "espeak-ng",
        voice: str = "vi",
        words_per_minute: int = 150,
        timeout: float = 15.0,
        remembered: int = 64,
    ) -> None:
        self.cache_dir = cache_dir
        self.executable = executable
        self.voice = voice
        self.words_per_minute = words_per_minute
        self.timeout = timeout
        self._remembered: OrderedDict[str, bytes] = OrderedDict()
        self._remembered_max = remembered
        self._lock = threading.Lock()

    def available(self) -> bool:
        return shutil.which(self.executable) is not None

    def render_phrase(self, text: str) -> bytes:
        """``text`` spoken, as a well-formed WAV (espeak-ng's own header is fixed up)."""
        program = shutil.which(self.executable)
        if program is None:
            log.warning("voice engine not found")
            raise VoiceUnavailable(self._sentence(_("The voice engine {engine} is not installed.")))
        argv = [program, "-v", self.voice, "-s", str(self.words_per_minute), "--stdout", "--", text]
        try:
            # A session of its own: on a time-out the whole group goes, even a wrapper's children.
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            log.warning("voice engine could not start: %s", type(exc).__name__)
            raise VoiceUnavailable(self._sentence(_("The voice engine {engine} could not start."))) from exc
        try:
            output, _errors = process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(process)
            log.warning("voice engine timed out after %.1f s", self.timeout)
            raise VoiceUnavailable(
                self._sentence(_("The voice engine {engine} did not answer in time."))
            ) from exc
        if process.returncode != 0:
            log.warning("voice engine failed with exit status %s", process.returncode)
            raise VoiceUnavailable(self._sentence(_("The voice engine {engine} failed.")))
        try:
            pcm = read_wav(output)
        except WavFormatError as exc:
            log.warning("voice engine returned no WAV")
            raise VoiceUnavailable(self._sentence(_("The voice engine {engine} failed."))) from exc
        return write_wav(pcm)

    def _sentence(self, problem: str) -> str:
        return (
            problem.format(engine=Path(self.executable).name)
            + " "
            + _("The call can only be shown, not spoken.")
        )

    def cache_path(self, text: str) -> Path:
        """Where the audio of a fixed phrase is kept: one file per engine, voice, speed and text."""
        key = "\x1f".join((Path(self.executable).name, self.voice, str(self.words_per_minute), text))
        return self.cache_dir / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.wav"

    def _fixed(self, text: str) -> bytes:
        path = self.cache_path(text)
        with contextlib.suppress(OSError, WavFormatError):
            data = path.read_bytes()
            read_wav(data)  # a damaged file is rendered again
            return data
        data = trim_silence(self.render_phrase(text))
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data)
        except OSError as exc:  # a read-only disk costs speed, not the announcement
            log.warning("voice cache not writable: %s", type(exc).__name__)
        return data

    def _variable(self, text: str) -> bytes:
        with self._lock:
            if text in self._remembered:
                self._remembered.move_to_end(text)
                return self._remembered[text]
        data = trim_silence(self.render_phrase(text))
        with self._lock:
            self._remembered[text] = data
            while len(self._remembered) > self._remembered_max:
                self._remembered.popitem(last=False)
        return data

    def render(self, phrases: Sequence[tuple[str, bool]], *, gap_ms: int = 40) -> bytes:
        """The pieces of one sentence as one WAV; pieces without a letter or digit (".", " ") are skipped."""
        parts = [
            self._fixed(spoken) if fixed else self._variable(spoken)
            for spoken, fixed in ((" ".join(text.split()), fixed) for text, fixed in phrases)
            if _sayable(spoken)
        ]
        if not parts:
            raise WavFormatError("nothing to say")
        return concat_wavs(parts, gap_ms=gap_ms)

    def prerender(self, phrases: Sequence[tuple[str, bool]]) -> int:
        """Warm the disk cache with the fixed phrases (at start-up); returns how many were rendered now."""
        rendered = 0
        for text, fixed in phrases:
            spoken = " ".join(text.split())
            if fixed and _sayable(spoken) and not self.cache_path(spoken).exists():
                self._fixed(spoken)
                rendered += 1
        return rendered


def _sayable(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows: no process groups here
            process.kill()
    process.communicate()
