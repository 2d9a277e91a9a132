"""``counter-app say``: the sentence the display would speak, from the centre's settings, and its audio."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from counter_app.domain.announcement import DEFAULT_CALL_TEMPLATE, call_phrases
from devices.voice import EspeakVoice, chime_wav, read_wav
from tests.conftest import Run

DEFAULT_SENTENCE = "Kính mời công dân có số thứ tự A không trăm hai mươi ba đến quầy số ba."
RATE = 22050
CHIME_GAP = round(RATE * 0.250)
REPEAT_GAP = round(RATE * 0.900)


def frames_of(path: Path) -> int:
    with wave.open(str(path), "rb") as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, RATE)
        return reader.getnframes()


def spoken_frames(tmp_path: Path, ticket: str = "A023", counter: str = "03") -> int:
    """One saying of the default sentence, rendered apart from the command."""
    voice = EspeakVoice(tmp_path / "reference-cache")
    return read_wav(voice.render(call_phrases(DEFAULT_CALL_TEMPLATE, ticket, counter))).nframes


@pytest.fixture
def say(cli: Run, db_url: str) -> Run:
    """``counter-app --db URL …`` on a migrated database (SQLite and PostgreSQL)."""

    def run(*argv: str) -> tuple[int, str, str]:
        return cli("--db", db_url, *argv)

    return run


def test_the_default_sentence(say: Run) -> None:
    code, out, err = say("say", "A023", "--counter", "03")
    assert (code, out, err) == (0, DEFAULT_SENTENCE + "\n", "")


def test_digit_by_digit(say: Run) -> None:
    code, out, _err = say("say", "A023", "--counter", "12", "--digits")
    assert code == 0
    assert out == "Kính mời công dân có số thứ tự A, không, hai, ba đến quầy số mười hai.\n"


def test_the_sentence_follows_the_centre_settings(say: Run) -> None:
    for argv in (
        ("service", "add", "--prefix", "B", "--name", "Đất đai", "--width", "4"),
        ("settings", "set", "call_template", "  Xin mời số {so}  ({dich_vu}) tới quầy {quay}"),
        ("settings", "set", "call_reading", "digits"),
    ):
        code, _out, err = say(*argv)
        assert code == 0, err
    code, out, _err = say("say", "B1005", "--counter", "04")
    assert code == 0
    assert out == "Xin mời số bê, một, không, không, năm (Đất đai) tới quầy bốn.\n"


@pytest.mark.parametrize(
    ("value", "said"),
    [("Mời quầy {quay}", "{so}"), ("Mời {so} tới {ban}", "{ban}"), ("Mời {so", "{so}")],
)
def test_a_template_that_cannot_be_spoken_is_refused(say: Run, value: str, said: str) -> None:
    code, _out, err = say("settings", "set", "call_template", value)
    assert code == 1 and said in err
    code, out, _err = say("say", "A023", "--counter", "03")
    assert out == DEFAULT_SENTENCE + "\n"  # nothing was stored


def test_the_wav_holds_the_chime_and_the_sentence_twice(say: Run, tmp_path: Path) -> None:
    target = tmp_path / "call.wav"
    code, out, err = say("say", "A023", "--counter", "03", "--wav", str(target))
    assert code == 0, err
    assert out.splitlines()[0] == DEFAULT_SENTENCE
    assert str(target) in out.splitlines()[1]
    chime = read_wav(chime_wav(RATE)).nframes
    sentence = spoken_frames(tmp_path)
    assert frames_of(target) == chime + CHIME_GAP + 2 * sentence + REPEAT_GAP
    assert frames_of(target) / RATE > 2 * 3.0  # two sayings of a sentence of several seconds
    # the fixed phrases were cached under the data directory
    assert len(list((tmp_path / "data" / "voice-cache").glob("*.wav"))) == 2


def test_no_chime_and_three_sayings_from_the_settings(say: Run, tmp_path: Path) -> None:
    for key, value in (("call_chime", "0"), ("call_repeat", "3")):
        assert say("settings", "set", key, value)[0] == 0
    target = tmp_path / "call.wav"
    assert say("say", "A023", "--counter", "03", "--wav", str(target))[0] == 0
    assert frames_of(target) == 3 * spoken_frames(tmp_path) + 2 * REPEAT_GAP


def test_no_chime_option(say: Run, tmp_path: Path) -> None:
    target = tmp_path / "call.wav"
    assert say("say", "A023", "--counter", "03", "--no-chime", "--wav", str(target))[0] == 0
    assert frames_of(target) == 2 * spoken_frames(tmp_path) + REPEAT_GAP


def test_json_output(say: Run, tmp_path: Path) -> None:
    target = tmp_path / "call.wav"
    code, out, _err = say("--json", "say", "A023", "--counter", "03", "--wav", str(target))
    assert code == 0
    data = json.loads(out)
    assert data["sentence"] == DEFAULT_SENTENCE
    assert data["wav"] == str(target) and data["repeat"] == 2 and data["chime"] is True
    assert data["seconds"] == pytest.approx(frames_of(target) / RATE, abs=0.01)


def test_without_a_database_the_defaults_are_used_and_nothing_is_created(cli: Run, tmp_path: Path) -> None:
    code, out, err = cli("say", "A023", "--counter", "03")
    assert code == 0
    assert out == DEFAULT_SENTENCE + "\n"
    assert err.strip()  # the note that the defaults are used
    assert not (tmp_path / "data").exists()


def test_without_espeak_the_sentence_is_still_shown(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    target = tmp_path / "call.wav"
    code, out, err = cli("say", "A023", "--counter", "03", "--wav", str(target))
    assert code == 1
    assert out == DEFAULT_SENTENCE + "\n"
    assert "espeak-ng" in err
    assert not target.exists()


def test_a_wrong_ticket_is_one_sentence(say: Run) -> None:
    code, out, err = say("say", "023", "--counter", "03")
    assert code == 1 and out == ""
    assert "023" in err and "A023" in err


def test_an_unwritable_wav_path_is_one_sentence(say: Run, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "call.wav"
    code, _out, err = say("say", "A023", "--counter", "03", "--wav", str(target))
    assert code == 1
    assert str(target) in err
