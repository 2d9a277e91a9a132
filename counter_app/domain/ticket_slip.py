"""What a kiosk ticket says, as a plain value: printing/ lays it out, the CLI and the kiosk fill it in.

A separate value rather than the service's ``IssuedTicket`` so that printing/ depends on the domain
only (never on services or the database), and so that a reprint (same ticket, new wait, a reprint mark)
is the same kind of thing as a first print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class TicketSlip:
    """One paper ticket. Instants are timezone-aware; the ticket shows them in the centre's local time.

    ``lookup_reference`` is what the QR code carries: enough to find this ticket again (see
    ``lookup_reference``), later a look-up URL. ``reprinted_at`` is set on a reprint, which the paper
    says, so that two slips with one number at the kiosk can be told apart.
    """

    centre_name: str
    service_name: str
    number: str
    priority: bool
    issued_at: datetime
    people_ahead: int
    estimated_wait: timedelta
    lookup_reference: str
    reprinted_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None or (
            self.reprinted_at is not None and self.reprinted_at.tzinfo is None
        ):
            raise ValueError("naive datetime: pass timezone-aware instants")
        if self.people_ahead < 0:
            raise ValueError(f"people_ahead must be 0 or more, got {self.people_ahead}")
        if self.estimated_wait < timedelta(0):
            raise ValueError("estimated_wait must not be negative")
        if not self.number:
            raise ValueError("a ticket has a number")

    @property
    def wait_minutes(self) -> int:
        """Whole minutes, rounded up, and at least 1 when someone is ahead: "about 0 minutes" with people
        waiting in front would be a promise the counter cannot keep."""
        minutes = (int(self.estimated_wait.total_seconds()) + 59) // 60
        return max(1, minutes) if self.people_ahead else minutes

    @property
    def reprinted(self) -> bool:
        return self.reprinted_at is not None


def lookup_reference(business_date: date, number: str) -> str:
    """``YYYYMMDD:NUMBER``: numbers restart every day, so the day is part of what identifies a ticket."""
    return f"{business_date:%Y%m%d}:{number}"
