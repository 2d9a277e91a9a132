"""Service calls run off the GUI thread and answer on it, failures as one sentence."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _
from ui.common.runner import ServiceRunner


def test_a_call_runs_on_a_worker_and_answers_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = ServiceRunner()
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def call() -> int:
        seen["worker"] = threading.current_thread() is threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["on_gui"] = QThread.currentThread() is gui

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False):
        runner.run(call, done)
    assert seen == {"worker": False, "value": 42, "on_gui": True}


def test_an_app_error_reaches_the_handler_as_it_is(qtbot: QtBot) -> None:
    runner = ServiceRunner()
    errors: list[Exception] = []

    def call() -> None:
        raise ValidationError("Số định danh cá nhân không hợp lệ.")

    runner.run(call, lambda _v: None, errors.append)
    runner.wait()
    assert [str(e) for e in errors] == ["Số định danh cá nhân không hợp lệ."]


def test_a_bug_becomes_one_general_sentence_without_a_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    runner = ServiceRunner()

    def call() -> None:
        raise KeyError("boom")

    with qtbot.waitSignal(runner.error) as blocker:
        runner.run(call, lambda _v: None)
    (sentence,) = blocker.args
    assert "KeyError" not in sentence and "Traceback" not in sentence
    assert sentence == _(
        "Something went wrong and the operation did not finish; nothing was lost. Please try again."
    )
    assert "KeyError" in caplog.text
