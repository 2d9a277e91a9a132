"""The voice: a real espeak-ng renders Vietnamese to WAV, fixed phrases come from the disk cache afterwards,
the chime and the joining of WAVs are exact, and a missing or hanging engine is one sentence, not a hang.

espeak-ng is a dependency (scripts/test.sh installs it): these tests do not skip without it.
"""

from __future__ import annotations

import io
import shutil
import stat
import wave
from pathlib import Path

import pytest

from counter_app.domain.announcement import DEFAULT_CALL_TEMPLATE, call_phrases
from devices.voice import (
    EspeakVoice,
    Pcm,
    VoiceUnavailable,
    WavFormatError,
    chime_wav,
    concat_wavs,
    read_wav,
    trim_silence,
    write_wav,
)

ESPEAK = shutil.which("espeak-ng")


def params(data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getnchannels(), reader.getsampwidth(), reader.getframerate(), reader.getnframes()


def tone(frames: int, rate: int = 22050, value: int = 1000) -> bytes:
    return write_wav(Pcm(1, 2, rate, value.to_bytes(2, "little", signed=True) * frames))


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


# -- chime and WAV joining --------------------------------------------------------------------------------
def test_the_chime_is_a_valid_wav_and_always_the_same_bytes() -> None:
    first = chime_wav()
    assert first == chime_wav()
    channels, width, rate, frames = params(first)
    assert (channels, width, rate) == (1, 2, 22050)
    assert frames == 2 * int(22050 * 0.45)  # two tones of 0.45 s
    pcm = read_wav(first)
    samples = memoryview(pcm.frames).cast("h")
    assert max(abs(s) for s in samples) > 10000  # audible
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200  # no click at either end


def test_the_chime_follows_the_sample_rate() -> None:
    assert params(chime_wav(16000))[2:] == (16000, 2 * int(16000 * 0.45))


def test_joined_wavs_have_the_frames_of_the_parts_plus_the_gaps() -> None:
    joined = concat_wavs([tone(1000), tone(500), tone(250)], gap_ms=80)
    gap = round(22050 * 0.080)
    assert params(joined) == (1, 2, 22050, 1000 + 500 + 250 + 2 * gap)
    samples = memoryview(read_wav(joined).frames).cast("h")
    assert samples[999] == 1000 and samples[1000] == 0 and samples[1000 + gap] == 1000


def test_a_part_of_another_rate_or_channel_count_is_converted() -> None:
    stereo_16k = write_wav(Pcm(2, 2, 16000, (1000).to_bytes(2, "little", signed=True) * 2 * 1600))
    joined = concat_wavs([tone(2205), stereo_16k], gap_ms=0)
    channels, width, rate, frames = params(joined)
    assert (channels, width, rate) == (1, 2, 22050)
    assert frames == 2205 + 2205  # 0.1 s each


def test_parts_that_cannot_be_converted_are_refused_clearly() -> None:
    eight_bit = write_wav(Pcm(1, 1, 22050, b"\x80" * 100))
    with pytest.raises(WavFormatError, match="16-bit"):
        concat_wavs([tone(100), eight_bit])
    with pytest.raises(WavFormatError):
        concat_wavs([tone(100), b"not a wav"])
    with pytest.raises(WavFormatError):
        concat_wavs([])


def test_trimming_keeps_the_sound_and_a_little_silence() -> None:
    silence = b"\x00\x00" * 22050
    sound = (3000).to_bytes(2, "little", signed=True) * 2205
    trimmed = trim_silence(write_wav(Pcm(1, 2, 22050, silence + sound + silence)), lead_ms=10, tail_ms=50)
    assert params(trimmed)[3] == 220 + 2205 + 1102


# -- espeak-ng --------------------------------------------------------------------------------------------
def test_espeak_is_installed() -> None:
    assert ESPEAK is not None, "espeak-ng is a dependency: apt-get install espeak-ng"


def test_a_phrase_is_rendered_to_a_real_wav(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path / "cache")
    assert voice.available()
    data = voice.render_phrase("Kính mời công dân có số thứ tự A không trăm hai mươi ba")
    channels, width, rate, frames = params(data)  # the header now tells the true length
    assert (channels, width) == (1, 2) and rate > 8000
    assert 1.0 < frames / rate < 6.0
    assert len(data) == 44 + frames * 2
    assert max(abs(s) for s in memoryview(read_wav(data).frames).cast("h")) > 3000


def test_a_longer_text_takes_longer_to_say(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path)
    short = read_wav(voice.render_phrase("ba")).seconds
    long = read_wav(voice.render_phrase("một nghìn không trăm hai mươi ba")).seconds
    assert long > short + 0.5


def test_a_sentence_is_rendered_from_its_pieces(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path / "cache")
    phrases = call_phrases(DEFAULT_CALL_TEMPLATE, "A023", "03")
    sentence = read_wav(voice.render(phrases))
    pieces = [read_wav(trim_silence(voice.render_phrase(text.strip()))) for text, _fixed in phrases]
    gap = round(sentence.framerate * 0.040)
    assert sentence.nframes == sum(p.nframes for p in pieces) + 3 * gap
    assert 3.0 < sentence.seconds < 8.0
    # the two fixed pieces are on disk, the ticket and the counter are not
    cached = sorted(path.name for path in (tmp_path / "cache").iterdir())
    assert cached == sorted(
        voice.cache_path(text.strip()).name for text, fixed in phrases if fixed and text.strip()
    )


def test_a_fixed_phrase_is_rendered_once_then_read_from_the_cache(tmp_path: Path) -> None:
    calls = tmp_path / "calls.log"
    counting = script(tmp_path, "espeak-counting", f'echo "$*" >> "{calls}"\nexec "{ESPEAK}" "$@"')
    voice = EspeakVoice(tmp_path / "cache", executable=str(counting))
    first = voice.render([("Kính mời công dân", True), ("A không trăm hai mươi ba", False)])
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 2
    # a new voice object (the next start of the display): the fixed phrase comes from disk
    again = EspeakVoice(tmp_path / "cache", executable=str(counting))
    second = again.render([("Kính mời công dân", True), ("A không trăm hai mươi tư", False)])
    lines = calls.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and lines[-1].endswith("A không trăm hai mươi tư")
    assert first != second
    # the same call again on the same object: the ticket is remembered too
    again.render([("Kính mời công dân", True), ("A không trăm hai mươi tư", False)])
    assert len(calls.read_text(encoding="utf-8").splitlines()) == 3


def test_prerender_warms_the_cache_with_the_fixed_phrases_only(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path / "cache")
    phrases = call_phrases(DEFAULT_CALL_TEMPLATE, "A023", "03")
    assert voice.prerender(phrases) == 2
    assert voice.prerender(phrases) == 0
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_damaged_cache_file_is_rendered_again(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path / "cache")
    voice.prerender([("Kính mời", True)])
    path = voice.cache_path("Kính mời")
    path.write_bytes(b"garbage")
    voice.render([("Kính mời", True)])
    assert read_wav(path.read_bytes()).seconds > 0.3


def test_the_cache_key_depends_on_voice_speed_and_text(tmp_path: Path) -> None:
    base = EspeakVoice(tmp_path)
    assert base.cache_path("Kính mời") != base.cache_path("Kính mời công dân")
    assert base.cache_path("Kính mời") != EspeakVoice(tmp_path, words_per_minute=130).cache_path("Kính mời")
    assert base.cache_path("Kính mời") != EspeakVoice(tmp_path, voice="vi+f3").cache_path("Kính mời")


def test_punctuation_alone_is_not_spoken(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path)
    with_mark = voice.render([("ba", False), ("!", True)])
    assert with_mark == voice.render([("ba", False)])


def test_a_text_starting_with_a_dash_is_spoken_not_taken_as_an_option(tmp_path: Path) -> None:
    assert read_wav(EspeakVoice(tmp_path).render_phrase("-v xyz")).seconds > 0.3


# -- failures ---------------------------------------------------------------------------------------------
def test_a_missing_engine_is_one_sentence(tmp_path: Path) -> None:
    voice = EspeakVoice(tmp_path, executable=str(tmp_path / "no-such-espeak"))
    assert not voice.available()
    with pytest.raises(VoiceUnavailable) as caught:
        voice.render([("Kính mời", True)])
    assert "no-such-espeak" in str(caught.value)
    assert str(caught.value).endswith(".")
    assert list(tmp_path.iterdir()) == []  # nothing cached


def test_a_hanging_engine_times_out(tmp_path: Path) -> None:
    hanging = script(tmp_path, "espeak-hangs", "exec tail -f /dev/null")
    voice = EspeakVoice(tmp_path / "cache", executable=str(hanging), timeout=0.5)
    with pytest.raises(VoiceUnavailable) as caught:
        voice.render_phrase("Kính mời")
    assert "espeak-hangs" in str(caught.value)


def test_a_hanging_wrapper_is_stopped_with_its_children(tmp_path: Path) -> None:
    hanging = script(tmp_path, "espeak-wrapper", "tail -f /dev/null\necho never")
    with pytest.raises(VoiceUnavailable):
        EspeakVoice(tmp_path, executable=str(hanging), timeout=0.5).render_phrase("Kính mời")


def test_a_failing_engine_is_one_sentence(tmp_path: Path) -> None:
    failing = script(tmp_path, "espeak-fails", "echo boom >&2\nexit 3")
    with pytest.raises(VoiceUnavailable) as caught:
        EspeakVoice(tmp_path, executable=str(failing)).render_phrase("Kính mời")
    assert "boom" not in str(caught.value)


def test_an_engine_that_returns_no_wav_fails_cleanly(tmp_path: Path) -> None:
    chatty = script(tmp_path, "espeak-chatty", "echo hello")
    with pytest.raises(VoiceUnavailable):
        EspeakVoice(tmp_path, executable=str(chatty)).render_phrase("Kính mời")
