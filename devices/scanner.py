"""Barcode scanners at the counter (shared/devices/printers-and-scanners.md), both attachments.

- ``SerialScanner``: a scanner on a serial port sends the code's ASCII characters then CR or CR LF.
  Reading never blocks and never raises on garbage: lines with non-printable bytes or longer than
  64 characters are counted and kept (briefly) in ``rejected``; codes the optional validator refuses
  come back separately so the UI can tell the officer.
- ``KeyboardWedgeDetector``: a USB scanner types the code as key presses ending in Enter. The Qt window
  feeds every key press here with its time stamp; a burst of ≥ 4 printable keys, each < 50 ms after the
  previous one, ending in Enter is a scan. Slower typing is left alone. No Qt in here.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

import serial

from devices.transport import PortUnavailableError, open_port

MAX_CODE_LENGTH = 64
CR = 0x0D
LF = 0x0A


class RejectReason(Enum):
    NON_PRINTABLE = "non_printable"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class RejectedLine:
    """A line that was not a code. ``data`` is its start (at most the maximum length), for the log."""

    reason: RejectReason
    length: int
    data: bytes


@dataclass(frozen=True)
class ScanBatch:
    """What one read produced: codes to act on, codes the validator refused, and noise."""

    codes: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)


class ScanLineSplitter:
    """Turns a byte stream into lines ended by CR or CR LF (a lone LF also ends a line), chunk by chunk.

    Holds at most ``max_length`` bytes of an unfinished line however much noise arrives.
    """

    def __init__(self, max_length: int = MAX_CODE_LENGTH) -> None:
        if max_length < 1:
            raise ValueError("max_length must be at least 1")
        self.max_length = max_length
        self._line = bytearray()
        self._length = 0
        self._non_printable = False
        self._after_cr = False

    def feed(self, data: bytes) -> tuple[list[str], list[RejectedLine]]:
        """Complete lines in ``data`` (plus what was pending): (good lines, rejected lines)."""
        lines: list[str] = []
        rejected: list[RejectedLine] = []
        for byte in data:
            if byte == LF and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = byte == CR
            if byte in (CR, LF):
                self._end_line(lines, rejected)
                continue
            self._length += 1
            if not 0x20 <= byte <= 0x7E:
                self._non_printable = True
            if len(self._line) < self.max_length:
                self._line.append(byte)
        return lines, rejected

    @property
    def pending(self) -> int:
        """Bytes of the unfinished line (counting those beyond the maximum length)."""
        return self._length

    def _end_line(self, lines: list[str], rejected: list[RejectedLine]) -> None:
        line, length, non_printable = bytes(self._line), self._length, self._non_printable
        self._line.clear()
        self._length, self._non_printable = 0, False
        if length == 0:
            return
        if non_printable:
            rejected.append(RejectedLine(RejectReason.NON_PRINTABLE, length, line))
        elif length > self.max_length:
            rejected.append(RejectedLine(RejectReason.TOO_LONG, length, line))
        else:
            text = line.decode("ascii").strip(" ")
            if text:
                lines.append(text)


class SerialScanner:
    """A serial barcode scanner on ``port`` (an open pyserial port, or a URL opened with ``open_port``).

    ``validator`` (e.g. the dossier-code check) sorts complete lines into codes and invalid codes.
    The last ``history`` rejected lines and invalid codes are kept for the UI and the log;
    ``rejected_count`` counts all of them.
    """

    def __init__(
        self,
        port: serial.SerialBase | str,
        validator: Callable[[str], bool] | None = None,
        *,
        max_length: int = MAX_CODE_LENGTH,
        baudrate: int = 9600,
        history: int = 100,
    ) -> None:
        if isinstance(port, str):
            self.port = open_port(port, baudrate=baudrate, timeout=0)
            self._owns_port = True
        else:
            self.port = port
            self._owns_port = False
        self.validator = validator
        self._splitter = ScanLineSplitter(max_length)
        self.rejected: collections.deque[RejectedLine] = collections.deque(maxlen=history)
        self.rejected_count = 0
        self.invalid: collections.deque[str] = collections.deque(maxlen=history)

    def close(self) -> None:
        if self._owns_port:
            self.port.close()

    def read(self) -> ScanBatch:
        """Everything complete among the bytes available now. Never blocks.

        Raises ``PortUnavailableError`` only if the port itself fails (adapter unplugged); garbage on
        the line never raises.
        """
        try:
            waiting = self.port.in_waiting
            data = self.port.read(waiting) if waiting else b""
        except (serial.SerialException, OSError) as exc:
            raise PortUnavailableError(f"{self.port.port}: {exc}") from exc
        return self.feed(data)

    def read_codes(self) -> list[str]:
        """The valid codes available now; invalid ones go to ``invalid`` (see ``take_invalid``)."""
        return self.read().codes

    def take_invalid(self) -> list[str]:
        """Codes the validator refused since the last call (oldest first), forgetting them."""
        codes = list(self.invalid)
        self.invalid.clear()
        return codes

    def feed(self, data: bytes) -> ScanBatch:
        """Process bytes as if read from the port (no I/O)."""
        lines, rejected = self._splitter.feed(data)
        self.rejected.extend(rejected)
        self.rejected_count += len(rejected)
        batch = ScanBatch(rejected=rejected)
        for line in lines:
            if self.validator is None or self.validator(line):
                batch.codes.append(line)
            else:
                batch.invalid.append(line)
                self.invalid.append(line)
        return batch


class KeyboardWedgeDetector:
    """Recognises a keyboard-wedge scan among key presses, whatever widget has focus.

    Feed it every key press: ``feed(text, timestamp_ms)`` with the key's text (``""`` for modifier
    keys such as Shift, which are ignored; ``"\\r"`` or ``"\\n"`` for Enter, or call ``enter``).
    It returns the code when ``min_length`` or more printable keys, each less than
    ``max_interval_ms`` after the previous one, are followed (as quickly) by Enter; otherwise None.
    """

    def __init__(
        self, max_interval_ms: float = 50.0, min_length: int = 4, max_length: int = MAX_CODE_LENGTH
    ) -> None:
        if max_interval_ms <= 0 or min_length < 1 or max_length < min_length:
            raise ValueError("need max_interval_ms > 0 and 1 <= min_length <= max_length")
        self.max_interval_ms = max_interval_ms
        self.min_length = min_length
        self.max_length = max_length
        self._chars: list[str] = []
        self._last_ms: float | None = None
        self._overflow = False

    @property
    def pending(self) -> str:
        """The keys of the fast burst in progress (the UI may take them back out of a text field)."""
        return "".join(self._chars)

    def reset(self) -> None:
        self._chars.clear()
        self._last_ms = None
        self._overflow = False

    def feed(self, char: str, timestamp_ms: float) -> str | None:
        if char in ("\r", "\n"):
            return self.enter(timestamp_ms)
        if char == "":
            return None
        if len(char) != 1 or not char.isprintable():
            self.reset()
            return None
        if self._chars and self._quick(timestamp_ms):
            if len(self._chars) >= self.max_length:
                self._overflow = True
            else:
                self._chars.append(char)
        else:
            self._chars, self._overflow = [char], False
        self._last_ms = timestamp_ms
        return None

    def enter(self, timestamp_ms: float) -> str | None:
        """Enter was pressed: the scanned code, or None if the keys before it were typed by a person."""
        code = "".join(self._chars)
        is_scan = len(self._chars) >= self.min_length and not self._overflow and self._quick(timestamp_ms)
        self.reset()
        return code if is_scan else None

    def _quick(self, timestamp_ms: float) -> bool:
        return self._last_ms is not None and 0 <= timestamp_ms - self._last_ms < self.max_interval_ms
