"""central/ is a separate building: it imports nothing from the counter software (shared/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

CENTRAL = Path(__file__).resolve().parents[2] / "central"
FORBIDDEN = ("counter_app", "ui", "devices", "printing", "PySide6")


def test_central_imports_nothing_of_the_counter() -> None:
    offences = []
    for path in sorted(CENTRAL.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offences += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offences == []
    assert len(list(CENTRAL.rglob("*.py"))) >= 10  # the walk did find the package
