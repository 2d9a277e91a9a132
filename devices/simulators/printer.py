"""A kiosk ticket printer speaking the ESC/POS subset of printers-and-scanners.md.

``sim://kiosk-printer?kind=printer&dots=576``. It answers ``DLE EOT`` 1/2/4 at once with status bytes
that follow its fault switches, keeps every ticket (the bytes from ESC @ to the cut) in ``jobs``, and
gives them back as images with ``printed_images``.

Fault switches (plain attributes, flip them any time):
- ``paper_near_end``: reported; tickets still print.
- ``paper_out``, ``cover_open``, ``offline``, ``error``: reported (the printer also reports itself
  offline, as real ones do); tickets sent meanwhile are thrown away, not recorded.
- ``no_answer``: status queries get no reply at all (tickets still print: only the back channel is
  broken). ``unplug()`` silences and stops everything.
"""

from __future__ import annotations

from collections.abc import Mapping

from PIL import Image

from devices import escpos_stream
from devices.printer import DOTS_80MM, PRINTER_DOTS
from devices.simulators import registry
from devices.simulators.base import ByteDevice

STATUS_BASE = 0x12  # the fixed bits 0xx1xx10
_INIT = b"\x1b\x40"
_CUT = b"\x1d\x56"
_STATUS_QUERY = b"\x10\x04"


class PrinterSim(ByteDevice):
    def __init__(self, dots: int = DOTS_80MM) -> None:
        super().__init__()
        if dots not in PRINTER_DOTS:
            raise ValueError(f"a simulated printer has dots=384 or dots=576, not {dots}")
        self.dots = dots
        self.offline = False
        self.cover_open = False
        self.paper_near_end = False
        self.paper_out = False
        self.error = False
        self.no_answer = False
        self.jobs: list[bytes] = []
        self.discarded_jobs = 0  # tickets sent while it could not print
        self.status_queries: list[int] = []  # n of every DLE EOT n received
        self.problems: list[str] = []  # commands a real printer would choke on (e.g. an image too wide)
        self._pending = b""
        self._job: bytearray | None = None
        self._spoiled = False

    # --- what the host sees ----------------------------------------------------------------------

    @property
    def can_print(self) -> bool:
        return not (self.offline or self.cover_open or self.paper_out or self.error or self.unplugged)

    def status_byte(self, query: int) -> int:
        """The reply to DLE EOT ``query``."""
        if query == 1:
            return STATUS_BASE | (0x08 if not self.can_print else 0)
        if query == 2:
            return (
                STATUS_BASE
                | (0x04 if self.cover_open else 0)
                | (0x20 if self.paper_out else 0)
                | (0x40 if self.error else 0)
            )
        if query == 4:
            # No paper at all also trips the near-end sensor.
            return (
                STATUS_BASE
                | (0x0C if self.paper_near_end or self.paper_out else 0)
                | (0x60 if self.paper_out else 0)
            )
        return STATUS_BASE

    def unplug(self) -> None:
        """Power gone: a half-received ticket is lost."""
        super().unplug()
        with self.lock:
            self._pending, self._job, self._spoiled = b"", None, False

    def receive(self, data: bytes) -> None:
        with self.lock:
            self.received += data
            if self.unplugged:
                return
            buffer = self._pending + data
            commands, consumed = escpos_stream.split_commands(buffer)
            self._pending = buffer[consumed:]
            for command in commands:
                self._handle(command)

    def _handle(self, command: bytes) -> None:
        if command.startswith(_STATUS_QUERY):
            query = command[2]
            self.status_queries.append(query)
            if not self.no_answer:
                self.send(bytes((self.status_byte(query),)))
            return  # real-time: answered at once, never part of a ticket
        if command.startswith(_INIT):
            self._job, self._spoiled = bytearray(), False
        elif self._job is None:
            self._job, self._spoiled = bytearray(), False  # data without ESC @: still printed
        self._job += command
        if not self.can_print:
            self._spoiled = True
        if command.startswith(escpos_stream.RASTER_PREFIX):
            width_dots = int.from_bytes(command[4:6], "little") * 8
            if width_dots > self.dots:
                self.problems.append(f"raster {width_dots} dots wide on a {self.dots}-dot printer")
        if command.startswith(_CUT):
            if self._spoiled:
                self.discarded_jobs += 1
            else:
                self.jobs.append(bytes(self._job))
            self._job, self._spoiled = None, False

    # --- for tests and the demo ------------------------------------------------------------------

    def printed_images(self, job_index: int) -> list[Image.Image]:
        """The raster images of ticket ``job_index`` (negative counts from the last), in order."""
        return escpos_stream.decode_raster(self.jobs[job_index])

    def printed_text(self, job_index: int) -> list[str]:
        """The lines ticket ``job_index`` printed as plain text (ASCII lines sent as text)."""
        return escpos_stream.printed_text(self.jobs[job_index])

    def ticket_image(self, job_index: int) -> Image.Image:
        """The raster images of a ticket pasted one under the other (text lines are not drawn)."""
        images = self.printed_images(job_index)
        sheet = Image.new("1", (self.dots, max(1, sum(image.height for image in images))), 255)
        top = 0
        for image in images:
            sheet.paste(image, (0, top))
            top += image.height
        return sheet


def _from_params(params: Mapping[str, str]) -> PrinterSim:
    try:
        dots = int(params.get("dots", str(DOTS_80MM)))
    except ValueError as exc:
        raise ValueError(f"dots must be 384 or 576, got {params.get('dots')!r}") from exc
    return PrinterSim(dots)


registry.register_kind("printer", _from_params)
