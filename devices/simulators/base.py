"""What every simulator offers the simulated port: bytes in from the host, bytes out to it."""

from __future__ import annotations

import threading
from typing import Protocol


class SimulatedDevice(Protocol):
    def receive(self, data: bytes) -> None:
        """The host wrote ``data`` to the port."""
        ...

    def take_output(self, size: int) -> bytes:
        """Up to ``size`` bytes the device has sent to the host (``b""`` when it is silent)."""
        ...

    def pending_output(self) -> int: ...


class ByteDevice:
    """Shared plumbing: an output buffer, a lock, and the "unplugged" switch."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._output = bytearray()
        self.unplugged = False
        self.received = bytearray()

    def send(self, data: bytes) -> None:
        with self.lock:
            if not self.unplugged:
                self._output += data

    def take_output(self, size: int) -> bytes:
        with self.lock:
            chunk = bytes(self._output[:size])
            del self._output[:size]
            return chunk

    def pending_output(self) -> int:
        with self.lock:
            return len(self._output)

    def unplug(self) -> None:
        with self.lock:
            self.unplugged = True
            self._output.clear()

    def plug_in(self) -> None:
        with self.lock:
            self.unplugged = False
