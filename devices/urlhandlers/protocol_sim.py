"""``sim://NAME?kind=board&addresses=1,2``: a pyserial port wired to an in-process simulator.

Reads never block: they return what the simulator has sent, or ``b""`` at once, which the
host treats exactly like a real port whose read timed out. So host rules are tested with a
fake clock and no sleeping.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from serial.serialutil import PortNotOpenError, SerialBase, SerialException

from devices.simulators import registry
from devices.simulators.base import SimulatedDevice


class Serial(SerialBase):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.device: SimulatedDevice | None = None
        super().__init__(*args, **kwargs)

    def open(self) -> None:
        if self.is_open:
            raise SerialException("Port is already open.")
        if self._port is None:
            raise SerialException("Port must be configured before it can be used.")
        parts = urllib.parse.urlsplit(self._port)
        if parts.scheme != "sim" or not parts.netloc:
            raise SerialException(f"expected sim://NAME?kind=…, got {self._port!r}")
        params = {key: values[-1] for key, values in urllib.parse.parse_qs(parts.query).items()}
        try:
            self.device = registry.device_for(parts.netloc, params)
        except ValueError as exc:
            raise SerialException(str(exc)) from exc
        self.is_open = True

    def close(self) -> None:
        self.is_open = False
        super().close()

    def _reconfigure_port(self) -> None:
        """Baud rate and framing mean nothing to a simulator."""

    @property
    def in_waiting(self) -> int:
        return self._device().pending_output()

    def read(self, size: int = 1) -> bytes:
        return self._device().take_output(size)

    def write(self, data: bytes) -> int:
        payload = bytes(data)
        self._device().receive(payload)
        return len(payload)

    def reset_input_buffer(self) -> None:
        device = self._device()
        device.take_output(device.pending_output())

    def reset_output_buffer(self) -> None:
        """Nothing is buffered on the way out."""

    def _device(self) -> SimulatedDevice:
        if not self.is_open or self.device is None:
            raise PortNotOpenError()
        return self.device

    def _update_rts_state(self) -> None: ...
    def _update_dtr_state(self) -> None: ...
    def _update_break_state(self) -> None: ...
