"""A board reached over a real TCP socket (socket://127.0.0.1:PORT), unplugged and plugged back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.board import Board
from devices.link import link_for_url
from tests.devices.conftest import FakeClock
from tests.devices.tcp_emulator import TcpBoardEmulator


@pytest.fixture
def emulator() -> Iterator[TcpBoardEmulator]:
    running = TcpBoardEmulator([3, 4]).start()
    yield running
    running.stop()


def test_call_over_a_socket(emulator: TcpBoardEmulator, fake_clock: FakeClock) -> None:
    link = link_for_url(f"socket://127.0.0.1:{emulator.port}", clock=fake_clock)
    counter_board, other = Board(link, 3), Board(link, 4)
    assert counter_board.show_call("A1023", "03")
    assert other.show_text("Mời số A1023 đến quầy 03")
    assert emulator.bus.board(3).showing == ("A1023", "03")
    assert emulator.bus.board(4).text == "Moi so A1023 den quay 03"
    status = counter_board.poll_status()
    assert status is not None and status.firmware == "LED-SIM 1.0"
    link.close()


def test_unplugged_converter_goes_offline_then_recovers_with_its_content(
    emulator: TcpBoardEmulator, fake_clock: FakeClock
) -> None:
    link = link_for_url(f"socket://127.0.0.1:{emulator.port}", clock=fake_clock)
    board = Board(link, 3)
    assert board.show_call("A001", "03")
    emulator.stop()
    assert not board.show_call("A002", "03")
    assert board.availability.online is False
    emulator.start()  # same port: the converter is back, the board forgot everything
    assert emulator.bus.board(3).showing is None
    fake_clock.advance(5.0)
    board.maintain()
    assert board.availability.online is True
    assert emulator.bus.board(3).showing == ("A002", "03")
    link.close()
