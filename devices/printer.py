"""Kiosk ticket printers: ESC/POS over a pyserial port (see shared/devices/printers-and-scanners.md).

Before every ticket the printer is asked for its real-time status (``DLE EOT`` 1, 2, 4, one byte each,
500 ms at most). Paper out, cover open, offline or no answer: no byte of the ticket is sent and
``PrinterNotReady`` says which (the kiosk shows the number on screen instead). Paper near end: the
ticket is printed and the result carries the warning for the administrator.

Lines holding anything but plain ASCII are rendered to 1-bit images (``devices.raster``) and sent as
``GS v 0``; short ASCII lines may go as printer text. The bytes are built with python-escpos's ``Escpos``
builder (its ``_raw`` collects them) and written to the port in one ``write``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import serial
from escpos.escpos import Escpos

from devices import raster
from devices.raster import Align
from devices.transport import open_port

DLE_EOT = b"\x10\x04"
STATUS_TIMEOUT = 0.5
"""Seconds to wait for each real-time status byte."""

FONT_A_WIDTH = 12
"""Dots per character of the printers' font A (12 x 24) at size 1: 32 columns on 58 mm, 48 on 80 mm."""

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
class TicketLine:
    """One line (or paragraph, wrapped to the paper) of a ticket. ``size`` 1..8 multiplies the base size."""

    text: str
    size: int = 1
    bold: bool = False
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        if not 1 <= self.size <= raster.MAX_SIZE:
            raise ValueError(f"text size must be 1..{raster.MAX_SIZE}, got {self.size}")


@dataclass(frozen=True)
class TicketJob:
    """A whole ticket: lines, then an optional Code 128 barcode and QR code, then feed and partial cut.

    ``feed_dots`` is GS V 66's ``n``: the paper is fed to the cutter plus n dots, then cut.
    """

    lines: tuple[TicketLine, ...]
    qr: str | None = None
    qr_module_dots: int = 6
    barcode: str | None = None
    feed_dots: int = 24

    def __post_init__(self) -> None:
        if not 0 <= self.feed_dots <= 255:
            raise ValueError(f"feed_dots must be 0..255, got {self.feed_dots}")
        if not 1 <= self.qr_module_dots <= 16:
            raise ValueError(f"qr_module_dots must be 1..16, got {self.qr_module_dots}")
        if self.barcode is not None and (
            not self.barcode or len(self.barcode) > 250 or not _is_printable_ascii(self.barcode)
        ):
            raise ValueError("a Code 128 barcode holds 1..250 printable ASCII characters")


@dataclass(frozen=True)
class PrintResult:
    """A ticket was sent. ``warning`` is PAPER_NEAR_END when the roll must be changed soon, else NONE."""

    status: PrinterStatus
    warning: PrinterFault
    bytes_written: int

    @property
    def paper_near_end(self) -> bool:
        return self.warning is PrinterFault.PAPER_NEAR_END


def _is_printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


class _TicketBytes(Escpos):  # type: ignore[misc]  # python-escpos ships no type hints
    """python-escpos's command builder, collecting bytes instead of writing to a device."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = bytearray()

    def _raw(self, msg: bytes) -> None:
        self.buffer += msg


class EscposTicketPrinter:
    """A thermal ticket printer on ``port`` (an open pyserial port, or a URL opened with ``open_port``).

    ``dots`` is the printable width: 384 (58 mm) or 576 (80 mm). With ``ascii_as_text`` short, non-bold,
    plain-ASCII lines are sent as printer text (font A, ``GS !`` for the size): fewer bytes on slow links.
    """

    def __init__(
        self,
        port: serial.SerialBase | str,
        dots: int = raster.DOTS_80MM,
        *,
        baudrate: int = 9600,
        rtscts: bool = True,
        ascii_as_text: bool = True,
        status_timeout: float = STATUS_TIMEOUT,
    ) -> None:
        if dots not in raster.PRINTER_DOTS:
            raise ValueError(f"dots must be one of {raster.PRINTER_DOTS}, got {dots}")
        if isinstance(port, str):
            self.port = open_port(port, baudrate=baudrate, timeout=status_timeout)
            self.port.rtscts = rtscts
            self._owns_port = True
        else:
            self.port = port
            self._owns_port = False
        self.dots = dots
        self.ascii_as_text = ascii_as_text
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

    def print_ticket(self, job: TicketJob | Sequence[TicketLine]) -> PrintResult:
        """Print ``job`` if the printer can; raise ``PrinterNotReady`` (nothing of the ticket sent) if not."""
        ticket = job if isinstance(job, TicketJob) else TicketJob(tuple(job))
        data = self.build(ticket)
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

    def build(self, job: TicketJob) -> bytes:
        """The ticket's bytes: ESC @, the lines, the barcode and QR code, then GS V 66 n. No I/O."""
        out = _TicketBytes()
        out.hw("INIT")  # ESC @
        for line in job.lines:
            if self._as_text(line):
                out.set(align=_ESCPOS_ALIGN[line.align])  # ESC a n
                out.set(custom_size=True, width=line.size, height=line.size)  # GS ! n
                out._raw(line.text.encode("ascii") + b"\n")
                out.set(custom_size=True, width=1, height=1)
            else:
                out.set(align="left")  # the image is the paper's full width, aligned inside
                image = raster.render_text(
                    line.text, self.dots, size=line.size, bold=line.bold, align=line.align
                )
                out._raw(raster.raster_blocks(image))
        if job.barcode is not None:
            out.set(align="center")
            data = b"{B" + job.barcode.replace("{", "{{").encode("ascii")
            out._raw(b"\x1d\x6b\x49" + bytes((len(data),)) + data + b"\n")  # GS k 73 n {B…
        if job.qr is not None:
            out.set(align="center")
            out.qr(job.qr, size=job.qr_module_dots, native=True)  # GS ( k, model 2
            out._raw(b"\n")
        out.set(align="left")
        out._raw(b"\x1d\x56\x42" + bytes((job.feed_dots,)))  # GS V 66 n: feed, partial cut
        return bytes(out.buffer)

    def _as_text(self, line: TicketLine) -> bool:
        return (
            self.ascii_as_text
            and not line.bold
            and "\n" not in line.text
            and _is_printable_ascii(line.text)
            and len(line.text) * FONT_A_WIDTH * line.size <= self.dots
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


_ESCPOS_ALIGN = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right"}

TEST_TONE_MARKS = "Ảnh ẫ ậ ề ệ ỗ ợ ủ ữ ỵ Đđ"
TEST_CAPITALS = "ẪẴỄỖỠỮ ẤẦẨẬ ỰỴ"


def test_ticket_job(when: datetime | None = None, qr: str | None = None) -> TicketJob:
    """The ticket ``counter-app device test`` prints: a title, every kind of Vietnamese mark, the date.

    The stacked marks on capitals are the tallest glyphs, the dots below the deepest: if they print
    whole, every Vietnamese line will. ``when`` defaults to now (local time of the machine).
    """
    moment = when if when is not None else datetime.now()
    return TicketJob(
        lines=(
            TicketLine("PHIẾU IN THỬ", size=2, bold=True, align=Align.CENTER),
            TicketLine(TEST_TONE_MARKS, align=Align.CENTER),
            TicketLine(TEST_CAPITALS, align=Align.CENTER),
            TicketLine("a á à ả ã ạ ă ắ ằ ẳ ẵ ặ", align=Align.CENTER),
            TicketLine("â ấ ầ ẩ ẫ ậ ư ứ ừ ử ữ ự", align=Align.CENTER),
            TicketLine(f"Ngày {moment:%d/%m/%Y %H:%M}", align=Align.CENTER),
            TicketLine("ESC/POS OK 0123456789", align=Align.CENTER),
        ),
        qr=qr,
    )
