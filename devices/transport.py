"""Opening a port by pyserial URL: ``COM3``, ``/dev/ttyUSB0``, ``socket://host:port``, ``rfc2217://…``, ``sim://…``.

Only ``serial.serial_for_url`` honours custom schemes, so every device opens its port here.
"""

from __future__ import annotations

import serial

_HANDLERS = "devices.urlhandlers"
if _HANDLERS not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append(_HANDLERS)


class PortUnavailableError(Exception):
    """The port cannot be opened (absent, busy, refused); ``str()`` says why, in English, for the log."""


def open_port(url: str, baudrate: int = 9600, timeout: float = 0.2) -> serial.SerialBase:
    try:
        return serial.serial_for_url(url, baudrate=baudrate, timeout=timeout, write_timeout=1.0)
    except (serial.SerialException, ValueError, OSError) as exc:
        raise PortUnavailableError(f"{url}: {exc}") from exc
