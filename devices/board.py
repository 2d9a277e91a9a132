"""An LED board: shows calls and notices, keeps what it should show, and restores it after a power loss."""

from __future__ import annotations

import logging

from devices.link import Availability, DeviceError, NoAnswerError, PortLink
from devices.protocol import commands
from devices.protocol.frame import Frame

log = logging.getLogger(__name__)


class Board:
    def __init__(self, link: PortLink, address: int, reprobe_every: float = 5.0) -> None:
        self.link = link
        self.address = address
        self.availability = Availability(link.clock, reprobe_every)
        self.firmware: str | None = None
        self.faults: commands.BoardStatus | None = None
        self._content: Frame | None = None  # the call or text the board should be showing
        self._brightness: Frame | None = None

    # -- what the counter asks -----------------------------------------------------------
    def show_call(self, ticket: str, counter: str) -> bool:
        return self._show(commands.show_call(self.address, ticket, counter))

    def show_text(self, text: str, scrolling: bool = False) -> bool:
        return self._show(commands.show_text(self.address, text, scrolling))

    def clear(self) -> bool:
        return self._show(commands.clear(self.address))

    def set_brightness(self, level: int) -> bool:
        self._brightness = commands.brightness(self.address, level)
        return self._deliver(self._brightness)

    def poll_status(self) -> commands.BoardStatus | None:
        """STATUS: faults and firmware; also the probe that finds an offline board back."""
        try:
            reply = self.link.request(commands.status(self.address))
        except DeviceError as failure:
            self._failed(failure)
            return None
        status = commands.parse_status(reply.payload)
        self.firmware, self.faults = status.firmware, status
        if self.availability.succeeded():
            self._restore()
        return status

    def maintain(self) -> None:
        """Call regularly: an offline board is probed every 5 s and gets its content back on return."""
        if self.availability.probe_due():
            self.poll_status()

    @property
    def expected_content(self) -> Frame | None:
        return self._content

    # -- internals -----------------------------------------------------------------------
    def _show(self, frame: Frame) -> bool:
        self._content = frame
        return self._deliver(frame)

    def _deliver(self, frame: Frame) -> bool:
        """Send now if the board is reachable; an offline board gets it when it comes back."""
        if self.availability.online is False:
            return False
        try:
            self.link.request(frame)
        except DeviceError as failure:
            self._failed(failure)
            return False
        self.availability.succeeded()
        return True

    def _failed(self, failure: DeviceError) -> None:
        if isinstance(failure, NoAnswerError):
            log.warning("board %s offline: %s", self.address, failure)
            self.availability.failed(str(failure))
        else:
            log.error("board %s: %s", self.address, failure)
            self.availability.last_error = str(failure)

    def _restore(self) -> None:
        """Boards forget everything on power loss: send brightness and content again."""
        for frame in (self._brightness, self._content):
            if frame is not None and not self._deliver(frame):
                return
