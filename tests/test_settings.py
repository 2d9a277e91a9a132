"""The settings file: defaults, environment overrides, and corrupt files named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.domain.errors import ConfigError
from counter_app.settings import load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_use_an_embedded_file_per_centre(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", env={"COUNTER_APP_DATA_DIR": str(tmp_path)})
    assert settings.language == "vi"
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'demo.sqlite3'}"


def test_file_then_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[centre]\ncode = "hcm-q1"\nname = "Trung tâm Quận 1"\n[ui]\nlanguage = "en"\n')
    settings = load_settings(path, env={"COUNTER_APP_DATA_DIR": str(tmp_path)})
    assert (settings.centre_code, settings.centre_name, settings.language) == (
        "hcm-q1",
        "Trung tâm Quận 1",
        "en",
    )
    assert settings.resolved_database_url().endswith("hcm-q1.sqlite3")
    overridden = load_settings(path, env={"COUNTER_APP_DB": "postgresql://x@/y", "COUNTER_APP_LANG": "vi"})
    assert overridden.resolved_database_url() == "postgresql://x@/y"
    assert overridden.language == "vi"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[centre]\ncode = "a"\nname = "Trung tâm\n', "3", "bị lỗi"),
        ('[centre]\ncode = "a"\n\n[printer]\nport = "COM3"\n', "4", "[printer]"),
        ('[centre]\ncode = "a"\ncolour = "red"\n', "3", "centre.colour"),
        ("[centre]\ncode = 7\n", "2", "centre.code"),
    ],
)
def test_corrupt_files_name_the_file_and_line(tmp_path: Path, text: str, line: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_settings(path, env={})
    message = str(error.value)
    assert str(path) in message and f"dòng {line}" in message
    assert words.strip("[]") in message


def test_invalid_values(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Mã trung tâm"):
        load_settings(write(tmp_path, '[centre]\ncode = "Quận 1"\n'), env={})
    with pytest.raises(ConfigError, match="fr"):
        load_settings(tmp_path / "none.toml", env={"COUNTER_APP_LANG": "fr"})
