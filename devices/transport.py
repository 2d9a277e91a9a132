"""Opening a port by pyserial URL: ``COM3``, ``/dev/ttyUSB0``, ``socket://host:port``, ``rfc2217://…``, ``sim://…``.

Only ``serial.serial_for_url`` honours custom schemes, so every device opens its port here.
"""

from __future__ import annotations

import contextlib
import socket

import serial
from serial.urlhandler.protocol_socket import Serial as _PyserialSocketPort

_HANDLERS = "devices.urlhandlers"
if _HANDLERS not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append(_HANDLERS)


class PortUnavailableError(Exception):
    """The port cannot be opened (absent, busy, refused); ``str()`` says why, in English, for the log."""


class _SocketPort(_PyserialSocketPort):  # type: ignore[misc]
    """pyserial's ``socket://`` port, fixed for a request/reply protocol of tiny frames.

    TCP_NODELAY: otherwise a frame that gets no reply (our ACK of a keypad event, a broadcast)
    followed by a request waits ~40 ms for the peer's delayed TCP ACK (Nagle) — measured in
    bench/devices_bench.py. And no 0.3 s sleep in ``close()``, which every CLI call paid.
    """

    _socket: socket.socket | None
    is_open: bool

    def open(self) -> None:
        super().open()
        if self._socket is not None:
            self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        sock = self._socket
        if self.is_open and sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
            self._socket = None
        self.is_open = False


def open_port(url: str, baudrate: int = 9600, timeout: float = 0.2) -> serial.SerialBase:
    try:
        if url.lower().startswith("socket://"):
            return _SocketPort(url, baudrate=baudrate, timeout=timeout, write_timeout=1.0)
        return serial.serial_for_url(url, baudrate=baudrate, timeout=timeout, write_timeout=1.0)
    except (serial.SerialException, ValueError, OSError) as exc:
        raise PortUnavailableError(f"{url}: {exc}") from exc
