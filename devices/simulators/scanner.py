"""A serial barcode scanner: ``sim://desk-scanner?kind=scanner``.

``scan(code)`` sends the code's ASCII characters then CR (or CR LF), as the real one does;
``noise(data)`` puts any bytes on the line. What the host writes is kept in ``received`` and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from devices.simulators import registry
from devices.simulators.base import ByteDevice


class ScannerSim(ByteDevice):
    def __init__(self) -> None:
        super().__init__()
        self.scanned: list[str] = []

    def receive(self, data: bytes) -> None:
        with self.lock:
            self.received += data

    def scan(self, code: str, crlf: bool = False) -> None:
        """The officer scans a barcode carrying ``code`` (ASCII; anything else raises ValueError)."""
        ending = b"\r\n" if crlf else b"\r"
        payload = code.encode("ascii") + ending
        with self.lock:
            self.scanned.append(code)
            self.send(payload)

    def noise(self, data: bytes) -> None:
        """Line noise, a half-plugged cable, a scanner in the wrong mode: raw bytes to the host."""
        self.send(bytes(data))


def _from_params(params: Mapping[str, str]) -> ScannerSim:
    return ScannerSim()


registry.register_kind("scanner", _from_params)
