"""Barcode scans anywhere in a window: a keyboard-wedge burst or a serial scanner, one signal.

A USB scanner "types" the code into whatever has focus, faster than any person (each key < 50 ms
after the previous one, ending in Enter: ``devices.scanner.KeyboardWedgeDetector``). ``ScanInput``
watches every key press meant for its window, and when a burst turns out to be a scan it takes the
code back out of the text field it landed in and emits ``scanned``. A scanner on a serial port is
read on a thread of its own (``attach_serial``); a port that fails is reported and re-opened.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from devices.scanner import KeyboardWedgeDetector, SerialScanner
from devices.transport import PortUnavailableError

log = logging.getLogger(__name__)

MonotonicMs = Callable[[], float]

_RETRY_SECONDS = 2.0
_POLL_SECONDS = 0.05


def _monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class ScanInput(QObject):
    scanned = Signal(str)
    serial_failed = Signal(str)  # the port's problem, for the window's device line

    def __init__(self, window: QWidget, *, clock_ms: MonotonicMs = _monotonic_ms) -> None:
        super().__init__(window)
        self._window = window
        self.clock_ms = clock_ms  # key times in ms; tests and scripts set a person's or a scanner's rhythm
        self._detector = KeyboardWedgeDetector()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- keyboard wedge ----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() is not QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if event.isAutoRepeat():
            return False
        now = self.clock_ms()
        text = event.text()
        code = self._detector.feed("\r" if text in ("\r", "\n") else text, now)
        if code is None:
            return False
        self._take_back(watched, code)
        self.scanned.emit(code)
        return True  # the Enter of a scan never reaches the field (no accidental "save")

    @staticmethod
    def _take_back(widget: QWidget, code: str) -> None:
        """The burst was typed into the focused line edit too: remove it again."""
        if isinstance(widget, QLineEdit) and widget.text().endswith(code):
            widget.setText(widget.text()[: -len(code)])

    # -- serial scanner ------------------------------------------------------------------------
    def attach_serial(self, url: str, validator: Callable[[str], bool] | None = None) -> None:
        """Read the scanner at ``url`` (a pyserial URL, ``sim://`` included) until ``close``."""
        self._thread = threading.Thread(
            target=self._read_serial, args=(url, validator), name="serial scanner", daemon=True
        )
        self._thread.start()

    def _read_serial(self, url: str, validator: Callable[[str], bool] | None) -> None:
        while not self._stop.is_set():
            try:
                scanner = SerialScanner(url, validator)
            except PortUnavailableError as exc:
                self.serial_failed.emit(str(exc))
                self._stop.wait(_RETRY_SECONDS)
                continue
            try:
                while not self._stop.is_set():
                    for code in scanner.read_codes():
                        self.scanned.emit(code)
                    self._stop.wait(_POLL_SECONDS)
            except PortUnavailableError as exc:
                log.warning("serial scanner failed: %s", type(exc).__name__)
                self.serial_failed.emit(str(exc))
            finally:
                scanner.close()
            self._stop.wait(_RETRY_SECONDS)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
