"""Frames: ``STX ADDR CMD LEN DATA[LEN] CRC_LO CRC_HI`` with CRC-16/MODBUS over ADDR..DATA.

There is no byte stuffing, so a receiver finds frames by scanning for STX, reading LEN and
checking the CRC; on a bad CRC or LEN > 200 it drops that STX byte and scans on. The
decoder below does exactly that, incrementally, so it can be fed whatever a serial read
returns (half a frame, three frames, line noise).
"""

from __future__ import annotations

from dataclasses import dataclass

STX = 0x02
MAX_DATA = 200
BROADCAST = 0x00
MAX_ADDRESS = 0x7E
_HEADER = 4  # STX ADDR CMD LEN
_OVERHEAD = _HEADER + 2


def _crc_table() -> tuple[int, ...]:
    table = []
    for value in range(256):
        crc = value
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16_modbus(data: bytes) -> int:
    """Reflected polynomial 0xA001, initial 0xFFFF, no final XOR (check value of b"123456789": 0x4B37).

    Table-driven: one lookup per byte instead of eight shifts (~8× faster; the decoder's main cost).
    """
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True)
class Frame:
    address: int
    command: int
    data: bytes = b""

    def __post_init__(self) -> None:
        if not 0 <= self.address <= MAX_ADDRESS:
            raise ValueError(f"address {self.address} out of 0..{MAX_ADDRESS}")
        if not 0 <= self.command <= 0xFF:
            raise ValueError(f"command {self.command} out of range")
        if len(self.data) > MAX_DATA:
            raise ValueError(f"{len(self.data)} data bytes, at most {MAX_DATA}")

    def encode(self) -> bytes:
        body = bytes((self.address, self.command, len(self.data))) + self.data
        crc = crc16_modbus(body)
        return bytes((STX,)) + body + bytes((crc & 0xFF, crc >> 8))


class FrameDecoder:
    """Feed bytes in any chunks; get back every valid frame they contain, in order. Never raises."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.dropped_bytes = 0  # noise and broken frames skipped, for diagnostics

    def feed(self, chunk: bytes) -> list[Frame]:
        self._buffer += chunk
        frames: list[Frame] = []
        buffer = self._buffer
        while True:
            start = buffer.find(STX)
            if start < 0:
                self.dropped_bytes += len(buffer)
                buffer.clear()
                break
            if start:
                self.dropped_bytes += start
                del buffer[:start]
            if len(buffer) < _HEADER:
                break  # wait for ADDR CMD LEN
            length = buffer[3]
            if length > MAX_DATA or buffer[1] > MAX_ADDRESS:
                self._drop_stx()
                continue
            end = _OVERHEAD + length
            if len(buffer) < end:
                break  # wait for the rest of the frame
            body = bytes(buffer[1 : _HEADER + length])
            crc = buffer[end - 2] | (buffer[end - 1] << 8)
            if crc16_modbus(body) != crc:
                self._drop_stx()
                continue
            frames.append(Frame(body[0], body[1], body[3:]))
            del buffer[:end]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a possible frame."""
        return len(self._buffer)

    def _drop_stx(self) -> None:
        self.dropped_bytes += 1
        del self._buffer[:1]
