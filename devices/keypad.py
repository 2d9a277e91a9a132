"""A rating keypad: prompt after a visit, read each RATING or PROMPT_EXPIRED once, acknowledge every copy."""

from __future__ import annotations

import logging

from devices.link import Availability, DeviceError, NoAnswerError, PortLink
from devices.protocol import commands
from devices.protocol.frame import Frame

log = logging.getLogger(__name__)

# A keypad repeats an unacknowledged event every 300 ms, at most 10 times: a copy older than
# this window cannot be a repeat, so the same (command, sequence) is a new event after it.
REPEAT_WINDOW = 5.0


class Keypad:
    def __init__(self, link: PortLink, address: int, reprobe_every: float = 5.0) -> None:
        self.link = link
        self.address = address
        self.availability = Availability(link.clock, reprobe_every)
        self._seen: dict[tuple[int, int], float] = {}
        self.duplicates = 0

    def prompt(self, timeout_seconds: int = 30) -> bool:
        return self._request(commands.prompt(self.address, timeout_seconds))

    def cancel(self) -> bool:
        return self._request(commands.cancel(self.address))

    def poll(self) -> list[commands.KeypadEvent]:
        """New events from this keypad, each once; every copy that arrived is acknowledged."""
        fresh: list[commands.KeypadEvent] = []
        now = self.link.clock()
        self._seen = {key: at for key, at in self._seen.items() if now - at < REPEAT_WINDOW}
        for event in self.link.poll_events():
            if event.address != self.address:
                continue
            command = commands.RATING if isinstance(event, commands.RatingEvent) else commands.PROMPT_EXPIRED
            self.link.send(commands.ack(self.address, command, bytes((event.sequence,))))
            key = (command, event.sequence)
            if key in self._seen:
                self.duplicates += 1
                continue
            self._seen[key] = now
            fresh.append(event)
        return fresh

    def maintain(self) -> None:
        if self.availability.probe_due():
            self.cancel()

    def _request(self, frame: Frame) -> bool:
        try:
            self.link.request(frame)
        except DeviceError as failure:
            if isinstance(failure, NoAnswerError):
                self.availability.failed(str(failure))
            else:
                self.availability.last_error = str(failure)
            log.warning("keypad %s: %s", self.address, failure)
            return False
        self.availability.succeeded()
        return True
