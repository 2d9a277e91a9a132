"""Host rules against simulators with faults injected, on a fake clock (no sleeping)."""

from __future__ import annotations

import pytest

from devices.board import Board
from devices.keypad import Keypad
from devices.link import PortLink, RefusedError, link_for_url
from devices.protocol import commands
from devices.protocol.frame import Frame
from devices.simulators import registry
from devices.simulators.board import BoardBus
from devices.simulators.keypad import KeypadSim
from tests.devices.conftest import FakeClock


def simulator(name: str, **params: str) -> object:
    """Create the simulator first (ports open lazily, on the first frame)."""
    return registry.device_for(name, params)


def board_on_bus(clock: FakeClock, address: int = 3) -> tuple[Board, BoardBus]:
    bus = simulator("bus", kind="board", addresses="3")
    assert isinstance(bus, BoardBus)
    return Board(link_for_url("sim://bus", clock=clock), address), bus


def sent_commands(bus: BoardBus, address: int) -> list[int]:
    return [f.command for f in bus.board(address).frames]


def test_a_call_is_shown_and_acknowledged(fake_clock: FakeClock) -> None:
    board, bus = board_on_bus(fake_clock)
    assert board.show_call("A023", "03")
    assert bus.board(3).showing == ("A023", "03")
    assert board.availability.online is True


@pytest.mark.parametrize("fault", ["drop_replies", "nak_busy", "corrupt_crc"])
def test_timeouts_busy_naks_and_bad_crcs_are_retried_up_to_three_attempts(
    fake_clock: FakeClock, fault: str
) -> None:
    board, bus = board_on_bus(fake_clock)
    setattr(bus, fault, 2)
    assert board.show_call("A023", "03")
    assert sent_commands(bus, 3) == [commands.SHOW_CALL] * 3
    assert board.availability.online is True


def test_noise_and_a_false_start_before_the_reply(fake_clock: FakeClock) -> None:
    board, bus = board_on_bus(fake_clock)
    # Line noise, then a stray STX with a plausible header: the decoder drops it and finds the reply.
    bus.noise_before_reply = b"\xff\x00\x55\x02\x03\x10\x01"
    assert board.set_brightness(7)
    assert bus.board(3).brightness == 7
    assert sent_commands(bus, 3) == [commands.BRIGHTNESS]


def test_wrong_frames_are_not_retried(fake_clock: FakeClock) -> None:
    bus = simulator("bus", kind="board", addresses="3")
    assert isinstance(bus, BoardBus)
    link = link_for_url("sim://bus", clock=fake_clock)
    with pytest.raises(RefusedError):
        link.request(Frame(3, 0x7A))  # a command boards do not know: NAK 0x02
    assert sent_commands(bus, 3) == [0x7A]


def test_three_failures_make_the_board_offline_and_it_is_not_waited_for(fake_clock: FakeClock) -> None:
    board, bus = board_on_bus(fake_clock)
    bus.drop_replies = 3
    assert not board.show_call("A023", "03")
    assert board.availability.online is False
    assert board.availability.last_error == "no reply after 3 attempts"
    assert not board.show_call("A024", "03"), "offline: kept, not sent"
    assert sent_commands(bus, 3) == [commands.SHOW_CALL] * 3
    assert board.expected_content == commands.show_call(3, "A024", "03")


def test_unplugged_board_is_probed_every_five_seconds_and_restored(fake_clock: FakeClock) -> None:
    board, bus = board_on_bus(fake_clock)
    board.set_brightness(9)
    board.show_call("A001", "03")
    bus.unplug()  # power loss: the board forgets everything
    assert not board.show_call("A002", "03")
    attempts = len(bus.received)
    fake_clock.advance(4.9)
    board.maintain()
    assert len(bus.received) == attempts, "not probed before 5 s"
    fake_clock.advance(0.2)
    board.maintain()  # probes, still unplugged
    assert board.availability.online is False
    bus.plug_in()
    fake_clock.advance(4.0)
    board.maintain()
    assert board.availability.online is False, "the next probe is 5 s after the last one"
    fake_clock.advance(1.1)
    board.maintain()
    assert board.availability.online is True
    assert bus.board(3).showing == ("A002", "03"), "the current call is sent again after recovery"
    assert bus.board(3).brightness == 9
    assert sent_commands(bus, 3)[-3:] == [commands.STATUS, commands.BRIGHTNESS, commands.SHOW_CALL]


def test_status_reports_faults_and_firmware(fake_clock: FakeClock) -> None:
    board, bus = board_on_bus(fake_clock)
    bus.board(3).lamp_fault = True
    status = board.poll_status()
    assert status == commands.BoardStatus(lamp_fault=True, over_temperature=False, firmware="LED-SIM 1.0")


def test_boards_share_a_port_by_address_and_broadcast_reaches_all(fake_clock: FakeClock) -> None:
    link = link_for_url("sim://rs485?kind=board&addresses=1,2,3", clock=fake_clock)
    boards = {a: Board(link, a) for a in (1, 2, 3)}
    assert boards[2].show_call("B007", "02")
    bus: BoardBus = registry.get("rs485")
    assert [bus.board(a).showing for a in (1, 2, 3)] == [None, ("B007", "02"), None]
    link.send(commands.clear(0))
    assert all(bus.board(a).frames[-1].command == commands.CLEAR for a in (1, 2, 3))


def keypad_at(clock: FakeClock) -> tuple[Keypad, KeypadSim, PortLink]:
    sim = simulator("kp3", kind="keypad", address="9")
    assert isinstance(sim, KeypadSim)
    link = link_for_url("sim://kp3", clock=clock)
    return Keypad(link, 9), sim, link


def test_a_rating_is_read_once_and_every_copy_acknowledged(fake_clock: FakeClock) -> None:
    keypad, sim, _link = keypad_at(fake_clock)
    assert keypad.prompt(30)
    assert sim.lit and sim.prompt_seconds == 30
    sequence = sim.press(2)
    assert keypad.poll() == [commands.RatingEvent(9, sequence, 2)]
    assert sim.acked == [(commands.RATING, sequence)]
    sim.ignore_acks = 1  # our next ACK is lost on the wire: the keypad repeats the event
    second = sim.press(1)
    assert keypad.poll() == [commands.RatingEvent(9, second, 1)]
    assert sim.repeat_unacked()
    assert keypad.poll() == [], "a repeat is acknowledged but counted once"
    assert keypad.duplicates == 1
    assert sim.acked[-1] == (commands.RATING, second)
    assert not sim.repeat_unacked(), "acknowledged: the keypad stops repeating"


def test_prompt_expired_and_events_met_during_a_request(fake_clock: FakeClock) -> None:
    keypad, sim, _link = keypad_at(fake_clock)
    keypad.prompt(20)
    sequence = sim.expire()  # arrives on the wire before our next command's ACK
    assert keypad.cancel()
    assert keypad.poll() == [commands.PromptExpiredEvent(9, sequence)]


def test_same_sequence_after_the_repeat_window_is_a_new_event(fake_clock: FakeClock) -> None:
    keypad, sim, _link = keypad_at(fake_clock)
    for _ in range(256):  # wrap the 8-bit sequence
        sim.press(3)
        keypad.poll()
        fake_clock.advance(10)
    assert len(sim.acked) == 256 and keypad.duplicates == 0
