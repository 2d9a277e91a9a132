"""A citizen's rating keypad: lights up on PROMPT, sends RATING or PROMPT_EXPIRED, repeats until ACKed."""

from __future__ import annotations

from collections.abc import Mapping

from devices.protocol import commands
from devices.protocol.frame import Frame, FrameDecoder
from devices.simulators import registry
from devices.simulators.base import ByteDevice

MAX_REPEATS = 10


class KeypadSim(ByteDevice):
    def __init__(self, address: int, levels: int = 4) -> None:
        super().__init__()
        self.address = address
        self.levels = levels
        self.lit = False
        self.prompt_seconds = 0
        self.frames: list[Frame] = []
        self.acked: list[tuple[int, int]] = []  # (cmd, seq) the host acknowledged
        self._decoder = FrameDecoder()
        self._sequence = 0
        self._unacked: Frame | None = None
        self._repeats = 0
        self.ignore_acks = 0  # fault switch: pretend the next N ACKs were lost on the wire

    def receive(self, data: bytes) -> None:
        with self.lock:
            self.received += data
            if self.unplugged:
                return
            for frame in self._decoder.feed(data):
                if frame.address != self.address:
                    continue
                self.frames.append(frame)
                self._handle(frame)

    def _handle(self, frame: Frame) -> None:
        if frame.command == commands.PROMPT and len(frame.data) == 2:
            self.lit, self.prompt_seconds = True, int.from_bytes(frame.data, "little")
            self.send(commands.ack(self.address, commands.PROMPT).encode())
        elif frame.command == commands.CANCEL:
            self.lit = False
            self.send(commands.ack(self.address, commands.CANCEL).encode())
        elif frame.command == commands.ACK and len(frame.data) == 2:
            if self.ignore_acks:
                self.ignore_acks -= 1
                return
            self.acked.append((frame.data[0], frame.data[1]))
            pending = self._unacked
            if pending is not None and (pending.command, pending.data[0]) == (frame.data[0], frame.data[1]):
                self._unacked = None
        else:
            self.send(commands.nak(self.address, commands.NakReason.UNKNOWN_COMMAND).encode())

    def press(self, level: int) -> int:
        """The citizen presses a button; returns the event's sequence number."""
        if not 1 <= level <= self.levels:
            raise ValueError(f"level {level} out of 1..{self.levels}")
        return self._event(commands.RATING, bytes((level,)))

    def expire(self) -> int:
        """Nobody pressed in time."""
        return self._event(commands.PROMPT_EXPIRED, b"")

    def _event(self, command: int, extra: bytes) -> int:
        with self.lock:
            self.lit = False
            sequence = self._sequence
            self._sequence = (self._sequence + 1) % 256
            self._unacked = Frame(self.address, command, bytes((sequence,)) + extra)
            self._repeats = 0
            self.send(self._unacked.encode())
            return sequence

    def repeat_unacked(self) -> bool:
        """The keypad's 300 ms timer fired: send the pending event again (at most 10 times)."""
        with self.lock:
            if self._unacked is None or self._repeats >= MAX_REPEATS:
                return False
            self._repeats += 1
            self.send(self._unacked.encode())
            return True


def _from_params(params: Mapping[str, str]) -> KeypadSim:
    return KeypadSim(int(params.get("address", "1")), int(params.get("levels", "4")))


registry.register_kind("keypad", _from_params)
