"""Running ``counter-app`` in-process against one database at the test clock's instant."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from counter_app.cli.main import main
from counter_app.domain.clock import ManualClock

Run = Callable[..., tuple[int, str, str]]


def cli_runner(url: str, clock: ManualClock, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("dossier", "show", CODE)`` → (exit code, stdout, stderr); a traceback fails the test."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", url, *argv], clock=clock)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return invoke
