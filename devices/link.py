"""Host rules of the frame protocol on one port (shared/devices/serial-frame-protocol.md).

Half duplex: one frame out, then its reply or the 200 ms time-out, then the next frame; the
lock makes several boards on one RS-485 port take turns. A time-out, NAK 0x01 or NAK 0x04
is tried again, three attempts in all; NAK 0x02/0x03 means we built a wrong frame and is
not retried. Keypad events that arrive while we wait for a reply are kept for the keypad.

Time is read from an injected monotonic clock; reads rely on the port's own time-out, so a
simulated port that answers nothing returns at once and tests never sleep.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import serial

from devices.protocol import commands
from devices.protocol.frame import BROADCAST, Frame, FrameDecoder
from devices.transport import PortUnavailableError, open_port

log = logging.getLogger(__name__)

Monotonic = Callable[[], float]
REPLY_TIMEOUT = 0.2
ATTEMPTS = 3


PORT_ERRORS = (serial.SerialException, OSError, PortUnavailableError)


def link_for_url(url: str, baudrate: int = 9600, clock: Monotonic = time.monotonic) -> PortLink:
    return PortLink(lambda: open_port(url, baudrate, REPLY_TIMEOUT), clock)


class DeviceError(Exception):
    """A request did not succeed; ``str()`` is an English reason for the log and the status."""


class NoAnswerError(DeviceError):
    """Three attempts without a valid reply: the device is offline."""


class RefusedError(DeviceError):
    """NAK 0x02/0x03: the device refused the frame itself (a bug on our side, not retried)."""


class PortLink:
    """One port. ``opener`` opens it (again): a serial-to-Ethernet converter that drops the
    connection is reopened on the next attempt instead of failing for good."""

    def __init__(
        self,
        opener: Callable[[], Any],
        clock: Monotonic = time.monotonic,
        reply_timeout: float = REPLY_TIMEOUT,
        attempts: int = ATTEMPTS,
    ) -> None:
        self._opener = opener
        self._port: Any = None
        self.clock = clock
        self.reply_timeout = reply_timeout
        self.attempts = attempts
        self.lock = threading.RLock()
        self._decoder = FrameDecoder()
        self._events: deque[commands.KeypadEvent] = deque()

    def request(self, frame: Frame) -> commands.Ack:
        """Send ``frame`` and return its ACK, following the host rules."""
        if frame.address == BROADCAST:
            raise ValueError("broadcast frames get no reply: use send()")
        problem = "no reply"
        with self.lock:
            for attempt in range(1, self.attempts + 1):
                reply = self._exchange(frame)
                if isinstance(reply, commands.Ack):
                    return reply
                if isinstance(reply, commands.Nak):
                    reason = reply.reason
                    if isinstance(reason, commands.NakReason) and reason.retry:
                        problem = f"NAK {reason.name.lower()}"
                        continue
                    log.error(
                        "device %s refused command 0x%02X: NAK %s", frame.address, frame.command, reason
                    )
                    raise RefusedError(f"refused command 0x{frame.command:02X} (NAK {int(reason):#04x})")
                problem = "no reply"
                log.debug(
                    "device %s: attempt %d of 0x%02X without reply", frame.address, attempt, frame.command
                )
        raise NoAnswerError(f"{problem} after {self.attempts} attempts")

    def send(self, frame: Frame) -> bool:
        """A frame that gets no reply (broadcast, or our ACK of a keypad event)."""
        with self.lock:
            try:
                self._open().write(frame.encode())
            except PORT_ERRORS as exc:
                self._broken(exc)
                return False
            return True

    def poll_events(self) -> list[commands.KeypadEvent]:
        """Keypad events waiting on the port (read without waiting), plus those met during requests."""
        with self.lock:
            try:
                port = self._open()
                waiting = port.in_waiting
                if waiting:
                    self._absorb(port.read(waiting), expected_from=None)
            except PORT_ERRORS as exc:
                self._broken(exc)
            events = list(self._events)
            self._events.clear()
            return events

    def close(self) -> None:
        with self.lock:
            if self._port is not None:
                self._port.close()
                self._port = None

    def _open(self) -> Any:
        if self._port is None:
            self._port = self._opener()
            self._decoder = FrameDecoder()
        return self._port

    def _broken(self, exc: BaseException) -> None:
        log.warning("port failed (%s); it will be reopened", type(exc).__name__)
        try:
            self.close()
        except PORT_ERRORS:
            self._port = None

    def _exchange(self, frame: Frame) -> commands.Reply | None:
        try:
            return self._attempt(self._open(), frame)
        except PORT_ERRORS as exc:
            self._broken(exc)
            return None

    def _attempt(self, port: Any, frame: Frame) -> commands.Reply | None:
        port.write(frame.encode())
        deadline = self.clock() + self.reply_timeout
        remaining = self.reply_timeout
        while remaining > 0:
            port.timeout = remaining
            chunk = port.read(max(1, port.in_waiting))
            if not chunk:
                return None  # the port's time-out ran out
            reply = self._absorb(chunk, expected_from=frame.address, command=frame.command)
            if reply is not None:
                return reply
            remaining = deadline - self.clock()
        return None

    def _absorb(
        self, chunk: bytes, expected_from: int | None, command: int | None = None
    ) -> commands.Reply | None:
        """Decode ``chunk``: keep keypad events; return the reply to the outstanding frame, if there."""
        found: commands.Reply | None = None
        for frame in self._decoder.feed(chunk):
            message = commands.parse(frame)
            if isinstance(message, commands.RatingEvent | commands.PromptExpiredEvent):
                self._events.append(message)
            elif isinstance(message, commands.Ack | commands.Nak) and message.address == expected_from:
                if isinstance(message, commands.Ack) and message.command != command:
                    continue  # a late ACK of an earlier frame
                found = found or message
        return found


class Availability:
    """Host rule 3: a device that failed is offline; it is tried again every ``reprobe_every`` seconds."""

    def __init__(self, clock: Monotonic, reprobe_every: float = 5.0) -> None:
        self.clock = clock
        self.reprobe_every = reprobe_every
        self.online: bool | None = None  # None: not contacted yet
        self.last_error: str | None = None
        self.next_probe = 0.0
        self.changes = 0  # how often it went offline or came back (for the administrator)

    def succeeded(self) -> bool:
        """Record a success; ``True`` when the device just came back (its content must be re-sent)."""
        recovered = self.online is False
        if recovered:
            self.changes += 1
        self.online = True
        self.last_error = None
        return recovered

    def failed(self, reason: str) -> None:
        if self.online is not False:
            self.changes += 1
        self.online = False
        self.last_error = reason
        self.next_probe = self.clock() + self.reprobe_every

    def probe_due(self) -> bool:
        return self.online is False and self.clock() >= self.next_probe
