"""``counter-app device …`` and ``call next`` driving boards, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from devices.escpos_stream import decode_raster
from devices.simulators import registry
from devices.simulators.board import BoardBus
from devices.simulators.printer import PrinterSim
from printing.raster import Align, render_text
from printing.ticket import number_size
from tests.devices.tcp_emulator import TcpBoardEmulator
from tests.printing.ticket_support import find_exact, ink, ticket_image
from tests.test_cli import Run, set_up_centre


@pytest.fixture(autouse=True)
def fresh_simulators() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


def test_register_list_and_drive_boards(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    bus = "sim://bus03?kind=board&addresses=3"
    assert (
        cli("--db", db_url, "device", "add", "board", "--port", bus, "--address", "3", "--counter", "03")[0]
        == 0
    )
    code, out, err = cli(
        "--db",
        db_url,
        "device",
        "add",
        "board",
        "--port",
        "sim://hall?kind=board&addresses=1",
        "--address",
        "1",
        "--hall",
    )
    assert code == 0, err
    code, _out, err = cli("--db", db_url, "device", "add", "keypad", "--port", "COM9", "--address", "2")
    assert code == 1 and "quầy" in err, "a keypad belongs to a counter"

    cli("--db", db_url, "ticket", "issue", "--service", "A")
    cli("--db", db_url, "counter", "open", "--label", "03", "--user", "lan")
    code, out, err = cli("--db", db_url, "call", "next", "--counter", "03")
    assert (code, err) == (0, "")
    counter_bus: BoardBus = registry.get("bus03")
    hall: BoardBus = registry.get("hall")
    assert counter_bus.board(3).showing == ("A001", "03")
    assert hall.board(1).showing == ("A001", "03")

    code, out, _ = cli("--db", db_url, "--json", "device", "list")
    listed = json.loads(out)
    assert [(d["spec"]["kind"], d["online"]) for d in listed] == [("board", True), ("board", True)]


def test_call_next_succeeds_with_a_warning_when_a_board_is_offline(
    cli: Run, db_url: str, isolated_env: Path
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    cli(
        "--db",
        db_url,
        "device",
        "add",
        "board",
        "--port",
        "sim://dead?kind=board&addresses=3",
        "--address",
        "3",
        "--counter",
        "03",
    )
    registry.device_for("dead", {"kind": "board", "addresses": "3"})
    registry.get("dead").unplug()
    cli("--db", db_url, "ticket", "issue", "--service", "A")
    cli("--db", db_url, "counter", "open", "--label", "03", "--user", "lan")
    code, out, err = cli("--db", db_url, "call", "next", "--counter", "03")
    assert code == 0 and "A001" in out
    assert "không phản hồi" in err and len(err.strip().splitlines()) == 1


def test_device_status_sees_a_board_unplugged_and_plugged_back(
    cli: Run, db_url: str, isolated_env: Path
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    emulator = TcpBoardEmulator([4]).start()
    try:
        port = f"socket://127.0.0.1:{emulator.port}"
        assert (
            cli("--db", db_url, "device", "add", "board", "--port", port, "--address", "4", "--hall")[0] == 0
        )
        code, out, _ = cli("--db", db_url, "--json", "device", "status")
        assert code == 0 and json.loads(out)[0]["online"] is True
        assert json.loads(out)[0]["firmware"] == "LED-SIM 1.0"
        emulator.stop()
        code, out, _ = cli("--db", db_url, "--json", "device", "status")
        board = json.loads(out)[0]
        assert board["online"] is False and board["last_error"]
        emulator.start()
        code, out, _ = cli("--db", db_url, "--json", "device", "status")
        assert json.loads(out)[0]["online"] is True and json.loads(out)[0]["last_error"] is None
    finally:
        emulator.stop()


def test_device_test_shows_a_pattern(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    cli(
        "--db",
        db_url,
        "device",
        "add",
        "board",
        "--port",
        "sim://t?kind=board&addresses=7",
        "--address",
        "7",
        "--counter",
        "04",
    )
    code, _out, err = cli("--db", db_url, "device", "test", "1")
    assert code == 0, err
    assert registry.get("t").board(7).text.startswith("KIEM TRA 0123456789")


def printer_sim() -> PrinterSim:
    sim = registry.device_for("kiosk", {"kind": "printer", "dots": "576"})
    assert isinstance(sim, PrinterSim)
    return sim


def test_ticket_issue_prints_on_the_kiosk_printer(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    sim = printer_sim()
    code, _out, err = cli(
        "--db", db_url, "device", "add", "printer", "--port", "sim://kiosk", "--dots", "576"
    )
    assert code == 0, err
    code, _out, err = cli("--db", db_url, "ticket", "issue", "--service", "A", "--print")
    assert (code, err) == (0, "")
    assert len(sim.jobs) == 1
    job = sim.jobs[0]
    assert job.startswith(b"\x1b@") and job.endswith(bytes((0x1D, 0x56, 66, 24)))
    number = number_render("A001")
    printed = sim.printed_images(0)
    assert any(
        image.size == number.size and ImageChops.difference(image.convert("1"), number).getbbox() is None
        for image in printed
    ), "the ticket number, decoded from the raster, equals a reference render"


def number_render(number: str, dots: int = 576) -> Image.Image:
    size = number_size(number, dots)
    return render_text(number, dots, size=size, bold=True, align=Align.CENTER, headline=True)


def add_kiosk_printer(cli: Run, db_url: str) -> PrinterSim:
    sim = printer_sim()
    code, _out, err = cli(
        "--db", db_url, "device", "add", "printer", "--port", "sim://kiosk", "--dots", "576"
    )
    assert code == 0, err
    return sim


def test_ticket_print_reprints_a_waiting_ticket_with_the_wait_as_of_now(
    cli: Run, db_url: str, isolated_env: Path
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    sim = add_kiosk_printer(cli, db_url)
    code, _out, err = cli("--db", db_url, "ticket", "issue", "--service", "A", "--print")
    assert (code, err) == (0, "")
    for _ in range(2):
        cli("--db", db_url, "ticket", "issue", "--service", "A")
    cli("--db", db_url, "counter", "open", "--label", "03", "--user", "lan")
    cli("--db", db_url, "call", "next", "--counter", "03")  # A001 is called: A002 is ahead of A003

    code, out, err = cli("--db", db_url, "--json", "ticket", "print", "a003")
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["ticket"]["number"] == "A003"
    assert answer["people_ahead"] == 1
    assert len(sim.jobs) == 2
    image = ticket_image(sim.jobs[1])
    assert find_exact(image, ink(number_render("A003"))) is not None
    assert find_exact(image, ink(number_render("A001"))) is None
    assert find_exact(image, ink(render_text("Bản in lại", 576, bold=True))) is not None
    assert find_exact(ticket_image(sim.jobs[0]), ink(render_text("Bản in lại", 576, bold=True))) is None
    assert sim.jobs[1].startswith(b"\x1b@") and sim.jobs[1].endswith(bytes((0x1D, 0x56, 66, 24)))

    code, out, err = cli("--db", db_url, "ticket", "print", "A003")
    assert code == 0 and "A003" in out and "1" in out


def test_ticket_print_refuses_when_the_printer_cannot_print(
    cli: Run, db_url: str, isolated_env: Path
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    sim = add_kiosk_printer(cli, db_url)
    cli("--db", db_url, "ticket", "issue", "--service", "A")
    sim.paper_out = True
    code, out, err = cli("--db", db_url, "ticket", "print", "A001")
    assert code != 0
    assert "hết giấy" in err and "A001" in err
    assert sim.jobs == [] and sim.discarded_jobs == 0
    assert b"\x1b@" not in sim.received, "not one byte of the ticket was sent"
    code, out, _ = cli("--db", db_url, "--json", "device", "list")
    assert json.loads(out)[0]["online"] is False

    sim.paper_out = False
    assert cli("--db", db_url, "ticket", "print", "A001")[0] == 0
    assert len(sim.jobs) == 1


def test_ticket_print_without_a_printer_or_for_a_ticket_no_longer_waiting(
    cli: Run, db_url: str, isolated_env: Path
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    cli("--db", db_url, "ticket", "issue", "--service", "A")
    code, _out, err = cli("--db", db_url, "ticket", "print", "A001")
    assert code != 0 and "A001" in err
    code, _out, err = cli("--db", db_url, "ticket", "print", "A009")
    assert code != 0 and "A009" in err
    cli("--db", db_url, "counter", "open", "--label", "03", "--user", "lan")
    cli("--db", db_url, "call", "next", "--counter", "03")
    code, _out, err = cli("--db", db_url, "ticket", "print", "A001")
    assert code != 0 and "A001" in err


@pytest.mark.parametrize("dots", [None, "384"])
def test_ticket_print_out_writes_the_bytes_to_a_file(
    cli: Run, db_url: str, isolated_env: Path, dots: str | None
) -> None:
    set_up_centre(cli, db_url, isolated_env)
    cli("--db", db_url, "ticket", "issue", "--service", "B", "--priority")
    target = isolated_env / "ticket.bin"
    code, out, err = cli(
        "--db", db_url, "ticket", "print", "B0001", "--out", str(target), *(["--dots", dots] if dots else [])
    )
    assert (code, err) == (0, "")
    assert str(target) in out
    data = target.read_bytes()
    assert data.startswith(b"\x1b@") and data.endswith(bytes((0x1D, 0x56, 66, 24)))
    width = int(dots or 576)
    assert {image.width for image in decode_raster(data)} == {width}
    assert find_exact(ticket_image(data), ink(number_render("B0001", width))) is not None
    assert find_exact(ticket_image(data), ink(render_text("Ưu tiên", width, size=2, bold=True))) is not None


def test_no_paper_means_no_print_but_the_ticket_stands(cli: Run, db_url: str, isolated_env: Path) -> None:
    set_up_centre(cli, db_url, isolated_env)
    sim = printer_sim()
    sim.paper_out = True
    cli("--db", db_url, "device", "add", "printer", "--port", "sim://kiosk", "--dots", "576")
    code, out, err = cli("--db", db_url, "ticket", "issue", "--service", "A", "--print")
    assert code == 0 and "A001" in out
    assert "hết giấy" in err and "A001" in err
    assert sim.jobs == []
    code, out, _ = cli("--db", db_url, "--json", "queue", "show")
    assert json.loads(out)["waiting"][0]["waiting"] == 1
    code, out, _ = cli("--db", db_url, "--json", "device", "list")
    assert json.loads(out)[0]["online"] is False
