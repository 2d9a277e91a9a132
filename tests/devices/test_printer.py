"""Kiosk ticket printer, the wire side: status and faults, bytes on the simulated wire, the simulator.

The tickets sent here are built by printing/ (``printing.escpos``): devices/ only sends bytes, so these
tests build them the way the CLI does and check what the printer received.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

import pytest
import serial
from PIL import Image, ImageChops, ImageOps

from devices import escpos_stream, printer
from devices.printer import (
    EscposTicketPrinter,
    PrinterFault,
    PrinterNotReady,
    PrinterStatus,
    PrintResult,
)
from devices.simulators import registry
from devices.simulators.printer import PrinterSim
from devices.transport import PortUnavailableError, open_port
from printing import escpos as printer_jobs
from printing import raster
from printing.escpos import TicketJob, TicketLine, build_ticket
from printing.raster import Align

WHEN = datetime(2026, 12, 7, 8, 0)
STATUS_QUERIES = bytes.fromhex("10 04 01 10 04 02 10 04 04")
INIT = b"\x1b\x40"
DOSSIER = "000.17.22.H56-210531-0001"


def send(
    device: EscposTicketPrinter, job: TicketJob | Sequence[TicketLine], ascii_as_text: bool = True
) -> PrintResult:
    """Build ``job`` for the printer's paper and print it, as the CLI does."""
    ticket = job if isinstance(job, TicketJob) else TicketJob(tuple(job))
    return device.print_bytes(build_ticket(ticket, device.dots, ascii_as_text))


def is_blank(image: Image.Image) -> bool:
    return ImageOps.invert(image.convert("L")).getbbox() is None


@pytest.fixture(autouse=True)
def fresh_simulators() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


def kiosk(dots: int = 576) -> tuple[EscposTicketPrinter, PrinterSim]:
    port = open_port(f"sim://kiosk-printer?kind=printer&dots={dots}")
    sim: PrinterSim = registry.get("kiosk-printer")
    return EscposTicketPrinter(port, dots), sim


def walk(job: bytes) -> list[tuple[str, bytes]]:
    """Split a ticket into the contract's commands; fail on any byte outside the ESC/POS subset.

    Written independently of devices.escpos_stream: a raster header whose size disagrees with its data
    makes the walk land inside image data or run past the end, and fail.
    """
    commands: list[tuple[str, bytes]] = []
    position = 0
    while position < len(job):
        rest = job[position:]
        if rest.startswith(b"\x1b@"):
            kind, length = "init", 2
        elif rest.startswith(b"\x1ba") and len(rest) >= 3 and rest[2] in (0, 1, 2):
            kind, length = "align", 3
        elif rest.startswith(b"\x1d!"):
            kind, length = "size", 3
        elif rest.startswith(b"\x1dv0"):
            width_bytes, height = rest[4] + 256 * rest[5], rest[6] + 256 * rest[7]
            kind, length = "raster", 8 + width_bytes * height
            assert len(rest) >= length, f"raster at {position} announces more data than follows"
        elif rest.startswith(b"\x1dkI"):
            kind, length = "code128", 4 + rest[3]
        elif rest.startswith(b"\x1d(k"):
            kind, length = "qr", 5 + rest[3] + 256 * rest[4]
        elif rest.startswith(b"\x1dVB"):
            kind, length = "cut", 4
        elif rest[0] == 0x0A:
            kind, length = "lf", 1
        elif 0x20 <= rest[0] <= 0x7E:
            kind, length = "text", 1
            while length < len(rest) and 0x20 <= rest[length] <= 0x7E:
                length += 1
        else:
            pytest.fail(f"byte {rest[0]:#04x} at {position} is outside the contract's ESC/POS subset")
        commands.append((kind, rest[:length]))
        position += length
    return commands


@pytest.mark.parametrize("dots", [384, 576])
def test_ticket_bytes_on_the_wire(dots: int) -> None:
    device, sim = kiosk(dots)
    job = printer_jobs.test_ticket_job(WHEN, qr="https://motcua.example.vn/t/A1023")
    job = TicketJob(job.lines, qr=job.qr, barcode="A1023")

    result = send(device, job)

    wire = bytes(sim.received)
    assert wire.startswith(STATUS_QUERIES)
    ticket = wire[len(STATUS_QUERIES) :]
    assert sim.jobs == [ticket]
    assert result.bytes_written == len(ticket)
    assert result.warning is PrinterFault.NONE
    commands = walk(ticket)
    kinds = [kind for kind, _ in commands]
    assert kinds[0] == "init"
    assert kinds[-1] == "cut"
    assert kinds.count("cut") == 1
    assert commands[-1][1] == b"\x1d\x56\x42" + bytes((job.feed_dots,))
    rasters = [data for kind, data in commands if kind == "raster"]
    assert len(rasters) == 6  # every line but the ASCII one
    for data in rasters:
        assert data[3] == 0
        width_bytes, height = int.from_bytes(data[4:6], "little"), int.from_bytes(data[6:8], "little")
        assert width_bytes * 8 == dots
        assert len(data) == 8 + width_bytes * height
    assert ("code128", b"\x1dkI\x07{BA1023") in commands
    assert ("text", b"ESC/POS OK 0123456789") in commands
    assert ("qr", b"\x1d(k\x04\x001A2\x00") in commands  # model 2
    payload = b"https://motcua.example.vn/t/A1023"
    assert ("qr", b"\x1d(k" + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload) in commands
    assert kinds.index("qr") < kinds.index("cut")
    assert sim.problems == []


@pytest.mark.parametrize("dots", [384, 576])
def test_decoded_raster_is_pixel_identical_to_the_reference_render(dots: int) -> None:
    device, sim = kiosk(dots)
    job = printer_jobs.test_ticket_job(WHEN)
    send(device, job)

    images = sim.printed_images(0)
    raster_lines = [line for line in job.lines if not line.text.isascii()]
    assert len(images) == len(raster_lines) == 6
    for image, line in zip(images, raster_lines, strict=True):
        reference = raster.render_text(line.text, dots, size=line.size, bold=line.bold, align=line.align)
        assert image.size == reference.size
        assert image.width == dots
        assert ImageChops.difference(image.convert("L"), reference.convert("L")).getbbox() is None
        assert not is_blank(image)
    assert sim.printed_text(0) == ["ESC/POS OK 0123456789"]


# --- status ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("replies", "fault", "flags"),
    [
        ("12 12 12", PrinterFault.NONE, {}),
        ("1A 12 12", PrinterFault.OFFLINE, {"online": False}),
        ("1A 16 12", PrinterFault.COVER_OPEN, {"online": False, "cover_open": True}),
        ("1A 32 72", PrinterFault.PAPER_OUT, {"online": False, "paper_out": True}),
        ("12 12 72", PrinterFault.PAPER_OUT, {"paper_out": True}),
        ("1A 52 12", PrinterFault.OFFLINE, {"online": False, "error": True}),
        ("12 12 1E", PrinterFault.PAPER_NEAR_END, {"paper_near_end": True}),
    ],
)
def test_status_bits_per_the_contract(replies: str, fault: PrinterFault, flags: dict[str, bool]) -> None:
    status = PrinterStatus.decode(*bytes.fromhex(replies))
    expected = {
        "online": True,
        "cover_open": False,
        "paper_near_end": False,
        "paper_out": False,
        "error": False,
    }
    expected.update(flags)
    assert {name: getattr(status, name) for name in expected} == expected
    assert status.answered
    assert status.fault is fault


@pytest.mark.parametrize(
    ("value", "valid"),
    [(0x12, True), (0x7E, True), (0x00, False), (0x92, False), (0x13, False), (0x02, False)],
)
def test_status_byte_pattern(value: int, valid: bool) -> None:
    assert printer.is_status_byte(value) is valid


@pytest.mark.parametrize(
    ("switch", "fault", "raw"),
    [
        (None, PrinterFault.NONE, "12 12 12"),
        ("paper_near_end", PrinterFault.PAPER_NEAR_END, "12 12 1E"),
        ("paper_out", PrinterFault.PAPER_OUT, "1A 32 7E"),
        ("cover_open", PrinterFault.COVER_OPEN, "1A 16 12"),
        ("offline", PrinterFault.OFFLINE, "1A 12 12"),
        ("error", PrinterFault.OFFLINE, "1A 52 12"),
        ("no_answer", PrinterFault.NO_ANSWER, ""),
    ],
)
def test_status_follows_every_fault_switch(switch: str | None, fault: PrinterFault, raw: str) -> None:
    device, sim = kiosk()
    if switch is not None:
        setattr(sim, switch, True)
    status = device.status()
    assert status.fault is fault
    assert status.raw == bytes.fromhex(raw)
    assert status.answered is (fault is not PrinterFault.NO_ANSWER)
    # Stops at the first missing answer rather than waiting for the other two.
    assert sim.status_queries == ([1] if switch == "no_answer" else [1, 2, 4])


def test_status_restores_the_port_timeout() -> None:
    device, _ = kiosk()
    device.port.timeout = 3.0
    device.status()
    assert device.port.timeout == 3.0


def test_unplugged_printer_does_not_answer() -> None:
    device, sim = kiosk()
    sim.unplug()
    assert device.status().fault is PrinterFault.NO_ANSWER
    sim.plug_in()
    assert device.status().fault is PrinterFault.NONE


def test_a_line_that_only_echoes_is_no_printer() -> None:
    echo = serial.serial_for_url("loop://", timeout=0.5)
    status = EscposTicketPrinter(echo, 576).status()
    assert not status.answered
    assert status.fault is PrinterFault.NO_ANSWER
    assert status.raw == b"\x10"  # the echoed DLE: not 0xx1xx10


def test_a_stale_byte_in_the_input_buffer_is_not_taken_for_the_answer() -> None:
    device, sim = kiosk()
    sim.paper_out = True
    sim.send(b"\x12")  # a late reply to an earlier query
    assert device.status().fault is PrinterFault.PAPER_OUT


# --- faults while printing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("switch", "fault"),
    [
        ("paper_out", PrinterFault.PAPER_OUT),
        ("cover_open", PrinterFault.COVER_OPEN),
        ("offline", PrinterFault.OFFLINE),
        ("no_answer", PrinterFault.NO_ANSWER),
    ],
)
def test_no_ticket_when_the_printer_cannot_print(switch: str, fault: PrinterFault) -> None:
    device, sim = kiosk()
    setattr(sim, switch, True)
    with pytest.raises(PrinterNotReady) as caught:
        send(device, printer_jobs.test_ticket_job(WHEN))
    assert caught.value.fault is fault
    assert sim.jobs == []
    assert sim.discarded_jobs == 0  # nothing of the ticket reached the printer
    assert bytes(sim.received) in (STATUS_QUERIES, STATUS_QUERIES[:3])
    assert INIT not in sim.received

    setattr(sim, switch, False)
    send(device, printer_jobs.test_ticket_job(WHEN))
    assert len(sim.jobs) == 1


def test_paper_near_end_prints_and_warns() -> None:
    device, sim = kiosk()
    sim.paper_near_end = True
    result = send(device, [TicketLine("Số thứ tự", align=Align.CENTER), TicketLine("A1023", size=4)])
    assert result.warning is PrinterFault.PAPER_NEAR_END
    assert result.paper_near_end
    assert result.status.paper_near_end
    assert len(sim.jobs) == 1
    assert sim.printed_text(0) == ["A1023"]


def test_the_simulator_does_not_print_while_out_of_paper() -> None:
    """Bytes sent regardless (another program, a race) are lost, as on a real printer."""
    device, sim = kiosk()
    ticket = build_ticket(printer_jobs.test_ticket_job(WHEN), device.dots)
    sim.paper_out = True
    device.port.write(ticket)
    assert sim.jobs == []
    assert sim.discarded_jobs == 1
    sim.paper_out = False
    device.port.write(ticket)
    assert sim.jobs == [ticket]


def test_the_simulator_reads_tickets_sent_in_pieces_and_answers_status_between_commands() -> None:
    device, sim = kiosk()
    ticket = build_ticket(printer_jobs.test_ticket_job(WHEN, qr="A1023"), device.dots)
    commands, consumed = escpos_stream.split_commands(ticket)
    assert consumed == len(ticket)
    boundary = sum(len(command) for command in commands[:3])  # after ESC @, ESC a and the first image
    for start in range(0, len(ticket), 7):
        end = min(start + 7, len(ticket))
        if start < boundary <= end:
            device.port.write(ticket[start:boundary])
            device.port.write(b"\x10\x04\x04")
            assert device.port.read(1) == b"\x12"
            device.port.write(ticket[boundary:end])
        else:
            device.port.write(ticket[start:end])
    assert sim.jobs == [ticket]  # the real-time query is not part of the ticket
    assert len(sim.printed_images(0)) == 6


def test_a_58mm_printer_flags_an_80mm_ticket() -> None:
    port = open_port("sim://narrow?kind=printer&dots=384")
    sim: PrinterSim = registry.get("narrow")
    send(EscposTicketPrinter(port, 576), [TicketLine("Số thứ tự")])
    assert sim.problems == ["raster 576 dots wide on a 384-dot printer"]


def test_printer_opened_by_url() -> None:
    device = EscposTicketPrinter("sim://kiosk-printer?kind=printer&dots=384", 384)
    sim: PrinterSim = registry.get("kiosk-printer")
    send(device, [TicketLine("Phiếu")])
    device.close()
    assert not device.port.is_open
    assert sim.printed_images(0)[0].width == 384


def test_bad_widths_and_urls_are_refused() -> None:
    with pytest.raises(ValueError):
        EscposTicketPrinter("sim://p?kind=printer", 500)
    with pytest.raises(PortUnavailableError):
        open_port("sim://p?kind=printer&dots=500")
