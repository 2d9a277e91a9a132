"""LED boards on one RS-485 bus, each with its address, content and fault switches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from devices.protocol import commands
from devices.protocol.frame import BROADCAST, Frame, FrameDecoder
from devices.simulators import registry
from devices.simulators.base import ByteDevice


@dataclass
class BoardState:
    address: int
    firmware: str = "LED-SIM 1.0"
    showing: tuple[str, str] | None = None  # (ticket, counter)
    text: str | None = None
    scrolling: bool = False
    brightness: int = 15
    blinks: int = 0
    lamp_fault: bool = False
    over_temperature: bool = False
    frames: list[Frame] = field(default_factory=list)

    def forget(self) -> None:
        """Power loss: a board forgets everything it was showing."""
        self.showing, self.text, self.brightness = None, None, 15


class BoardBus(ByteDevice):
    """Boards sharing one port. Fault switches count down: ``drop_replies = 2`` drops the next two."""

    def __init__(self, addresses: list[int]) -> None:
        super().__init__()
        self.boards = {address: BoardState(address) for address in addresses}
        self._decoder = FrameDecoder()
        self.drop_replies = 0
        self.nak_busy = 0
        self.corrupt_crc = 0
        self.noise_before_reply = b""

    def board(self, address: int) -> BoardState:
        return self.boards[address]

    def unplug(self) -> None:
        super().unplug()
        with self.lock:
            for state in self.boards.values():
                state.forget()

    def receive(self, data: bytes) -> None:
        with self.lock:
            self.received += data
            if self.unplugged:
                return
            for frame in self._decoder.feed(data):
                self._handle(frame)

    def _handle(self, frame: Frame) -> None:
        targets = (
            list(self.boards.values())
            if frame.address == BROADCAST
            else ([self.boards[frame.address]] if frame.address in self.boards else [])
        )
        for state in targets:
            state.frames.append(frame)
            reply = self._apply(state, frame)
            if frame.address != BROADCAST:
                self._reply(reply)

    def _apply(self, state: BoardState, frame: Frame) -> Frame:
        address, data = state.address, frame.data
        if self.nak_busy:
            self.nak_busy -= 1
            return commands.nak(address, commands.NakReason.BUSY)
        if frame.command == commands.SHOW_CALL:
            ticket, sep, counter = data.partition(bytes((commands.SEPARATOR,)))
            if not sep or not ticket or not counter:
                return commands.nak(address, commands.NakReason.BAD_DATA)
            state.showing, state.text, state.blinks = (ticket.decode(), counter.decode()), None, 3
        elif frame.command == commands.SHOW_TEXT:
            if len(data) < 2 or any(not 0x20 <= b <= 0x7E for b in data[1:]):
                return commands.nak(address, commands.NakReason.BAD_DATA)
            state.text, state.scrolling, state.showing = data[1:].decode(), data[0] == 1, None
        elif frame.command == commands.CLEAR:
            state.showing = state.text = None
        elif frame.command == commands.BRIGHTNESS:
            if len(data) != 1 or data[0] > 15:
                return commands.nak(address, commands.NakReason.BAD_DATA)
            state.brightness = data[0]
        elif frame.command == commands.STATUS:
            flags = (1 if state.lamp_fault else 0) | (2 if state.over_temperature else 0)
            return commands.ack(address, commands.STATUS, bytes((flags,)) + state.firmware.encode())
        else:
            return commands.nak(address, commands.NakReason.UNKNOWN_COMMAND)
        return commands.ack(address, frame.command)

    def _reply(self, reply: Frame) -> None:
        if self.drop_replies:
            self.drop_replies -= 1
            return
        encoded = bytearray(reply.encode())
        if self.corrupt_crc:
            self.corrupt_crc -= 1
            encoded[-1] ^= 0xFF
        self.send(self.noise_before_reply + bytes(encoded))


def _from_params(params: Mapping[str, str]) -> BoardBus:
    addresses = [int(a) for a in params.get("addresses", params.get("address", "1")).split(",") if a]
    return BoardBus(addresses)


registry.register_kind("board", _from_params)
