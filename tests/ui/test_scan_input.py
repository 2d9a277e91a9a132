"""A scan anywhere in a window: keyboard-wedge bursts (taken back out of the field) and serial scanners."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from devices.simulators import registry
from devices.simulators.scanner import ScannerSim
from tests.support.keys import KeyRhythm
from ui.common.scan_input import ScanInput


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[tuple[QWidget, QLineEdit]]:
    window = QWidget()
    field = QLineEdit(window)
    QVBoxLayout(window).addWidget(field)
    qtbot.addWidget(window)
    window.show()
    field.setFocus()
    yield window, field


def test_a_fast_burst_is_a_scan_and_leaves_the_field_as_it_was(
    qtbot: QtBot, window: tuple[QWidget, QLineEdit]
) -> None:
    widget, field = window
    field.setText("Nguyễn")
    scans = ScanInput(widget, clock_ms=KeyRhythm(8))
    with qtbot.waitSignal(scans.scanned) as blocker:
        qtbot.keyClicks(field, "000.00.10.H49-261123-0007")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == ["000.00.10.H49-261123-0007"]
    assert field.text() == "Nguyễn"
    scans.close()


def test_a_person_typing_is_not_a_scan(qtbot: QtBot, window: tuple[QWidget, QLineEdit]) -> None:
    widget, field = window
    scans = ScanInput(widget, clock_ms=KeyRhythm(120))
    seen: list[str] = []
    scans.scanned.connect(seen.append)
    qtbot.keyClicks(field, "A023")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert seen == [] and field.text() == "A023"
    scans.close()


def test_a_serial_scanner_reports_codes_and_ignores_noise(
    qtbot: QtBot, window: tuple[QWidget, QLineEdit]
) -> None:
    registry.reset()
    widget, _field = window
    scans = ScanInput(widget)
    sim = registry.device_for("ui-scanner", {"kind": "scanner"})
    assert isinstance(sim, ScannerSim)
    with qtbot.waitSignal(scans.scanned, timeout=3000) as blocker:
        scans.attach_serial("sim://ui-scanner?kind=scanner")
        sim.noise(b"\x00\xff\x13garbage\r")
        sim.scan("000.00.10.H49-261123-0007")
    assert blocker.args == ["000.00.10.H49-261123-0007"]
    scans.close()
