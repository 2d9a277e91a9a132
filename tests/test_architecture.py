"""The house plan (shared/architecture.md), checked on the imports of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


_HARDWARE = ("serial", "escpos", "devices", "printing")

FORBIDDEN = {
    # The CLI may drive devices and printing (house plan); nothing in counter_app may use Qt.
    "counter_app": ("PySide6", "PyQt5", "PyQt6", "ui"),
    "counter_app/domain": (
        *_HARDWARE,
        "sqlalchemy",
        "alembic",
        "psycopg",
        "httpx",
        "counter_app.db",
        "counter_app.services",
        "counter_app.cli",
    ),
    "counter_app/db": (*_HARDWARE, "counter_app.services", "counter_app.cli"),
    "counter_app/services": (*_HARDWARE, "counter_app.cli"),
    "devices": (
        "sqlalchemy",
        "counter_app.db",
        "counter_app.services",
        "counter_app.cli",
        "PySide6",
        "printing",
    ),
    # Domain values to bytes: no database, no hardware, no windows (the caller sends the bytes).
    "printing": (
        "sqlalchemy",
        "alembic",
        "psycopg",
        "counter_app.db",
        "counter_app.services",
        "counter_app.cli",
        "serial",
        "devices",
        "PySide6",
    ),
}


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_layers_import_only_what_the_plan_allows(folder: str) -> None:
    offences = []
    for path in modules(folder):
        for name in imports_of(path):
            if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[folder]):
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_no_print_or_logging_of_personal_fields_in_services() -> None:
    """Logs carry ids and kinds only: no names, ID numbers or phones (a cheap guard on log calls)."""
    suspicious = []
    for path in modules("counter_app"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "log"
            ):
                text = ast.unparse(node)
                if any(
                    field in text for field in ("full_name", "username", "phone", "id_number", "password")
                ):
                    suspicious.append(f"{path.relative_to(ROOT)}: {text}")
    assert suspicious == []
