"""Commands of boards and keypads, their replies and events, as typed values.

Builders validate what the datasheet requires (ticket ``[A-Z0-9]{1,8}``, counter label
``[A-Z0-9]{1,4}``, printable ASCII text ≤ 120 bytes) so that a NAK 0x03 "bad data" can only
come from a device fault, never from us.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from devices.protocol.frame import Frame

SHOW_CALL, SHOW_TEXT, CLEAR, BRIGHTNESS, STATUS = 0x10, 0x11, 0x12, 0x13, 0x20
PROMPT, CANCEL = 0x30, 0x31
RATING, PROMPT_EXPIRED = 0x40, 0x41
ACK, NAK = 0x06, 0x15
SEPARATOR = 0x1F
MAX_TEXT = 120

_TICKET = re.compile(r"^[A-Z0-9]{1,8}$")
_LABEL = re.compile(r"^[A-Z0-9]{1,4}$")


class NakReason(enum.IntEnum):
    BAD_CRC = 0x01
    UNKNOWN_COMMAND = 0x02
    BAD_DATA = 0x03
    BUSY = 0x04

    @property
    def retry(self) -> bool:
        """Host rule 1 and 2: a transmission problem is retried, a wrong frame is not."""
        return self in (NakReason.BAD_CRC, NakReason.BUSY)


def show_call(address: int, ticket: str, counter: str) -> Frame:
    if not _TICKET.match(ticket) or not _LABEL.match(counter):
        raise ValueError(f"board cannot show ticket {ticket!r} at counter {counter!r}")
    return Frame(address, SHOW_CALL, ticket.encode("ascii") + bytes((SEPARATOR,)) + counter.encode("ascii"))


def show_text(address: int, text: str, scrolling: bool = False) -> Frame:
    ascii_text = board_text(text)
    if not ascii_text:
        raise ValueError("nothing printable to show")
    return Frame(address, SHOW_TEXT, bytes((1 if scrolling else 0,)) + ascii_text.encode("ascii"))


def clear(address: int) -> Frame:
    return Frame(address, CLEAR)


def brightness(address: int, level: int) -> Frame:
    if not 0 <= level <= 15:
        raise ValueError(f"brightness {level} out of 0..15")
    return Frame(address, BRIGHTNESS, bytes((level,)))


def status(address: int) -> Frame:
    return Frame(address, STATUS)


def prompt(address: int, timeout_seconds: int) -> Frame:
    if not 1 <= timeout_seconds <= 0xFFFF:
        raise ValueError(f"prompt time-out {timeout_seconds}s out of range")
    return Frame(address, PROMPT, timeout_seconds.to_bytes(2, "little"))


def cancel(address: int) -> Frame:
    return Frame(address, CANCEL)


def ack(address: int, command: int, extra: bytes = b"") -> Frame:
    return Frame(address, ACK, bytes((command,)) + extra)


def nak(address: int, reason: NakReason) -> Frame:
    return Frame(address, NAK, bytes((reason,)))


_DIACRITIC_FREE = str.maketrans({"đ": "d", "Đ": "D"})


def board_text(text: str) -> str:
    """Vietnamese to what a board can show: no diacritics (đ→d too), printable ASCII, ≤ 120 bytes.

    NFD splits "ễ" into "e" and two combining marks, which are dropped; "đ" has no
    decomposition, so it is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_DIACRITIC_FREE))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    printable = "".join(ch if 0x20 <= ord(ch) <= 0x7E else " " for ch in plain)
    return " ".join(printable.split())[:MAX_TEXT]


# -- what devices send back -----------------------------------------------------------------
@dataclass(frozen=True)
class Ack:
    address: int
    command: int
    payload: bytes = b""


@dataclass(frozen=True)
class Nak:
    address: int
    reason: NakReason | int


@dataclass(frozen=True)
class BoardStatus:
    lamp_fault: bool
    over_temperature: bool
    firmware: str


@dataclass(frozen=True)
class RatingEvent:
    address: int
    sequence: int
    level: int


@dataclass(frozen=True)
class PromptExpiredEvent:
    address: int
    sequence: int


Reply = Ack | Nak
KeypadEvent = RatingEvent | PromptExpiredEvent


def parse(frame: Frame) -> Reply | KeypadEvent | None:
    """A typed view of a frame from a device, or ``None`` for one the host does not understand."""
    data = frame.data
    if frame.command == ACK and data:
        return Ack(frame.address, data[0], bytes(data[1:]))
    if frame.command == NAK and len(data) == 1:
        try:
            return Nak(frame.address, NakReason(data[0]))
        except ValueError:
            return Nak(frame.address, data[0])
    if frame.command == RATING and len(data) == 2:
        return RatingEvent(frame.address, data[0], data[1])
    if frame.command == PROMPT_EXPIRED and len(data) == 1:
        return PromptExpiredEvent(frame.address, data[0])
    return None


def parse_status(payload: bytes) -> BoardStatus:
    flags = payload[0] if payload else 0
    firmware = payload[1:].decode("ascii", errors="replace")
    return BoardStatus(bool(flags & 0x01), bool(flags & 0x02), firmware)
