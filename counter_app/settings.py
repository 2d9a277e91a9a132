"""The one typed settings object: a TOML file under the user's config directory, then environment overrides.

Example ``config.toml``::

    [centre]
    code = "hcm-q1"                 # one database file per centre in the embedded default
    name = "Trung tâm Phục vụ hành chính công Quận 1"

    [database]
    url = "postgresql://counter@db-host/onestop"   # absent: embedded SQLite

    [ui]
    language = "vi"

Overrides: ``COUNTER_APP_CONFIG`` (the file), ``COUNTER_APP_DB``, ``COUNTER_APP_CENTRE``,
``COUNTER_APP_LANG``, ``COUNTER_APP_DATA_DIR``. A corrupt file is a :class:`ConfigError`
naming the file and the line.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from counter_app.domain.errors import ConfigError
from counter_app.i18n import SUPPORTED_LANGUAGES, _

APP_NAME = "counter-app"
CENTRE_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

_SCHEMA: dict[str, dict[str, type]] = {
    "centre": {"code": str, "name": str},
    "database": {"url": str},
    "ui": {"language": str},
}


@dataclass(frozen=True)
class Settings:
    centre_code: str = "demo"
    centre_name: str = "Trung tâm Phục vụ hành chính công"
    database_url: str | None = None
    language: str = "vi"
    data_dir: Path = Path(platformdirs.user_data_dir(APP_NAME))
    source: Path | None = None

    def resolved_database_url(self) -> str:
        """The configured database, else the centre's embedded SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / f'{self.centre_code}.sqlite3'}"


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    override = env.get("COUNTER_APP_CONFIG")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def load_settings(path: Path | None = None, env: Mapping[str, str] = os.environ) -> Settings:
    config_path = path or default_config_path(env)
    values: dict[str, Any] = {}
    if config_path.exists():
        values = _read_file(config_path)
    centre = values.get("centre", {})
    database = values.get("database", {})
    ui = values.get("ui", {})
    data_dir = env.get("COUNTER_APP_DATA_DIR")
    settings = Settings(
        centre_code=env.get("COUNTER_APP_CENTRE") or centre.get("code", Settings.centre_code),
        centre_name=centre.get("name", Settings.centre_name),
        database_url=env.get("COUNTER_APP_DB") or database.get("url") or None,
        language=env.get("COUNTER_APP_LANG") or ui.get("language", Settings.language),
        data_dir=Path(data_dir) if data_dir else Settings.data_dir,
        source=config_path if config_path.exists() else None,
    )
    if not CENTRE_CODE_PATTERN.match(settings.centre_code):
        raise ConfigError(
            _("The centre code '{code}' is invalid: use lower-case letters, digits and '-'.").format(
                code=settings.centre_code
            )
        )
    if settings.language not in SUPPORTED_LANGUAGES:
        raise ConfigError(
            _("The language '{language}' is not available; choose one of: {choices}.").format(
                language=settings.language, choices=", ".join(SUPPORTED_LANGUAGES)
            )
        )
    return settings


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("Cannot read the configuration file {path}.").format(path=path)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = match.group(1) if match else "?"
        raise ConfigError(
            _("The configuration file {path} is corrupt at line {line}; fix or delete that line.").format(
                path=path, line=line
            )
        ) from exc
    for section, content in data.items():
        if section not in _SCHEMA or not isinstance(content, dict):
            raise ConfigError(
                _("The configuration file {path} has an unknown section '{section}' (line {line}).").format(
                    path=path, section=section, line=_line_of(text, f"[{section}]")
                )
            )
        for key, value in content.items():
            expected = _SCHEMA[section].get(key)
            if expected is None:
                raise ConfigError(
                    _("The configuration file {path} has an unknown setting '{key}' (line {line}).").format(
                        path=path, key=f"{section}.{key}", line=_line_of(text, key)
                    )
                )
            if not isinstance(value, expected):
                raise ConfigError(
                    _("The configuration file {path} has an invalid value for '{key}' (line {line}).").format(
                        path=path, key=f"{section}.{key}", line=_line_of(text, key)
                    )
                )
    return data


def _line_of(text: str, needle: str) -> str:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return str(number)
    return "?"
