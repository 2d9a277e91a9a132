"""Kiosk ticket printers: ESC/POS over a pyserial port (see shared/devices/printers-and-scanners.md).

Before every ticket the printer is asked for its real-time status (``DLE EOT`` 1, 2, 4, one byte each,
500 ms at most). Paper out, cover open, offline or no answer: no byte of the ticket is sent and
``PrinterNotReady`` says which (the kiosk shows the number on screen instead). Paper near end: the
ticket is printed and the result carries the warning for the administrator.

This module is the wire side only: status, and sending bytes someone else built. What a ticket looks
like, and the ESC/POS bytes of it, are printing/'s business (``printing.ticket``, ``printing.escpos``);
devices/ never imports printing/, so a driver change cannot move a ticket's layout and vice versa.
The bytes go out in one ``write``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

import serial

from devices.transport import open_port

DLE_EOT = b"\x10\x04"
STATUS_TIMEOUT = 0.5
"""Seconds to wait for each real-time status byte."""

DOTS_58MM = 384
DOTS_80MM = 576
PRINTER_DOTS = (DOTS_58MM, DOTS_80MM)
"""Printable dots per line of the two paper widths kiosks use (203 dpi)."""

# Real-time status bits (printers-and-scanners.md).
_FIXED_MASK = 0b1001_0011  # bits 7, 4, 1, 0 ...
_FIXED_VALUE = 0b0001_0010  # ... must read 0, 1, 1, 0: the pattern 0xx1xx10
_OFFLINE = 0x08  # n=1 bit 3
_COVER_OPEN = 0x04  # n=2 bit 2
_PAPER_STOPPED = 0x20  # n=2 bit 5
_ERROR = 0x40  # n=2 bit 6
_NEAR_END = 0x0C  # n=4 bits 2 and 3
_PAPER_END = 0x60  # n=4 bits 5 and 6


class PrinterFault(Enum):
    """What the kiosk must act on, most serious first when several apply."""

    NONE = "none"
    PAPER_NEAR_END = "paper_near_end"  # a warning only: printing continues
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    NO_ANSWER = "no_answer"

    @property
    def blocks_printing(self) -> bool:
        return self not in (PrinterFault.NONE, PrinterFault.PAPER_NEAR_END)


@dataclass(frozen=True)
class PrinterStatus:
    """The printer's real-time status. ``answered`` is False when any of the three bytes did not come
    (or came malformed); the other fields are then meaningless (all False)."""

    online: bool
    cover_open: bool
    paper_near_end: bool
    paper_out: bool
    error: bool
    answered: bool
    raw: bytes = b""  # the reply bytes received, for the log

    @classmethod
    def no_answer(cls, raw: bytes = b"") -> PrinterStatus:
        return cls(False, False, False, False, False, answered=False, raw=raw)

    @classmethod
    def decode(cls, printer: int, offline_cause: int, paper: int) -> PrinterStatus:
        """Decode the replies to DLE EOT 1, 2 and 4 (each already checked against ``0xx1xx10``)."""
        return cls(
            online=not printer & _OFFLINE,
            cover_open=bool(offline_cause & _COVER_OPEN),
            paper_near_end=bool(paper & _NEAR_END),
            paper_out=bool(offline_cause & _PAPER_STOPPED or paper & _PAPER_END),
            error=bool(offline_cause & _ERROR),
            answered=True,
            raw=bytes((printer, offline_cause, paper)),
        )

    @property
    def fault(self) -> PrinterFault:
        if not self.answered:
            return PrinterFault.NO_ANSWER
        if self.paper_out:
            return PrinterFault.PAPER_OUT
        if self.cover_open:
            return PrinterFault.COVER_OPEN
        if not self.online or self.error:
            return PrinterFault.OFFLINE
        if self.paper_near_end:
            return PrinterFault.PAPER_NEAR_END
        return PrinterFault.NONE


def is_status_byte(value: int) -> bool:
    """True if ``value`` has the fixed bits of a real-time status reply (``0xx1xx10``)."""
    return value & _FIXED_MASK == _FIXED_VALUE


class PrinterNotReady(Exception):  # noqa: N818 - the name the kiosk and the CLI know
    """The ticket was not printed; ``fault`` says why (the UI translates it). ``str()`` is English (logs)."""

    def __init__(self, fault: PrinterFault, status: PrinterStatus | None = None, detail: str = "") -> None:
        self.fault = fault
        self.status = status
        message = f"printer not ready: {fault.value}"
        super().__init__(f"{message} ({detail})" if detail else message)


@dataclass(frozen=True)
class PrintResult:
    """The bytes were sent. ``warning`` is PAPER_NEAR_END when the roll must be changed soon, else NONE."""

    status: PrinterStatus
    warning: PrinterFault
    bytes_written: int

    @property
    def paper_near_end(self) -> bool:
        return self.warning is PrinterFault.PAPER_NEAR_END


class EscposTicketPrinter:
    """A thermal ticket printer on ``port`` (an open pyserial port, or a URL opened with ``open_port``).

    ``dots`` is the printable width: 384 (58 mm) or 576 (80 mm). The printer does not use it itself; it is
    kept here so the caller builds tickets for the paper this printer has.
    """

    def __init__(
        self,
        port: serial.SerialBase | str,
        dots: int = DOTS_80MM,
        *,
        baudrate: int = 9600,
        rtscts: bool = True,
        status_timeout: float = STATUS_TIMEOUT,
    ) -> None:
        if dots not in PRINTER_DOTS:
            raise ValueError(f"dots must be one of {PRINTER_DOTS}, got {dots}")
        if isinstance(port, str):
            self.port = open_port(port, baudrate=baudrate, timeout=status_timeout)
            self.port.rtscts = rtscts
            self._owns_port = True
        else:
            self.port = port
            self._owns_port = False
        self.dots = dots
        self.status_timeout = status_timeout
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._owns_port:
            self.port.close()

    # --- status -------------------------------------------------------------------------------------

    def status(self) -> PrinterStatus:
        """Ask DLE EOT 1, 2, 4 in turn, one byte each within ``status_timeout``.

        Stops at the first missing or malformed reply (NO_ANSWER): no need to wait 1.5 s for a printer
        that is not there. Port errors (unplugged adapter) also count as no answer; this never raises.
        """
        with self._lock:
            return self._status()

    def _status(self) -> PrinterStatus:
        received = bytearray()
        try:
            with self._port_timeouts(read=self.status_timeout):
                # Leftovers (a late reply, line noise) would be taken for this query's answer.
                self.port.reset_input_buffer()
                for query in (1, 2, 4):
                    self.port.write(DLE_EOT + bytes((query,)))
                    reply = self.port.read(1)
                    if len(reply) != 1 or not is_status_byte(reply[0]):
                        return PrinterStatus.no_answer(bytes(received + reply))
                    received += reply
        except (serial.SerialException, OSError):
            return PrinterStatus.no_answer(bytes(received))
        return PrinterStatus.decode(received[0], received[1], received[2])

    # --- printing -----------------------------------------------------------------------------------

    def print_bytes(self, data: bytes) -> PrintResult:
        """Send ``data`` (a whole ticket, ESC @ to the cut) if the printer can print it.

        The status is asked first; if the printer cannot print, ``PrinterNotReady`` is raised and not one
        byte of ``data`` is sent (a half-printed ticket is worse than none: the kiosk shows the number).
        """
        with self._lock:
            status = self._status()
            fault = status.fault
            if fault.blocks_printing:
                raise PrinterNotReady(fault, status)
            try:
                # At 9600 baud a ticket of images takes seconds to go out: allow for it, with margin.
                seconds = 2.0 + 1.5 * len(data) * 10 / max(1, int(self.port.baudrate or 9600))
                with self._port_timeouts(write=seconds):
                    # One write; no flush(): tcdrain has no time-out and a printer holding CTS off
                    # (paper out mid-ticket) would hang the kiosk.
                    written = self.port.write(data)
            except (serial.SerialException, OSError) as exc:
                raise PrinterNotReady(PrinterFault.NO_ANSWER, status, f"write failed: {exc}") from exc
        warning = PrinterFault.PAPER_NEAR_END if fault is PrinterFault.PAPER_NEAR_END else PrinterFault.NONE
        return PrintResult(
            status=status,
            warning=warning,
            bytes_written=len(data) if written is None else int(written),
        )

    @contextlib.contextmanager
    def _port_timeouts(self, read: float | None = None, write: float | None = None) -> Iterator[None]:
        saved = self.port.timeout, self.port.write_timeout
        try:
            if read is not None:
                self.port.timeout = read
            if write is not None:
                self.port.write_timeout = write
            yield
        finally:
            with contextlib.suppress(serial.SerialException, OSError, ValueError):
                self.port.timeout, self.port.write_timeout = saved
