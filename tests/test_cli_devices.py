"""``counter-app device …`` and ``call next`` driving boards, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageChops

from devices.raster import Align, render_text
from devices.simulators import registry
from devices.simulators.board import BoardBus
from devices.simulators.printer import PrinterSim
from tests.devices.tcp_emulator import TcpBoardEmulator
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
    number = render_text("A001", 576, size=5, bold=True, align=Align.CENTER)
    printed = sim.printed_images(0)
    assert any(
        image.size == number.size and ImageChops.difference(image.convert("1"), number).getbbox() is None
        for image in printed
    ), "the ticket number, decoded from the raster, equals a reference render"


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
