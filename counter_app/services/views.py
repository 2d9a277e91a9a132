"""Plain values the services return (never ORM objects): what ui/, printing/ and devices/ consume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter_app.db.models import Counter, ServiceArea, Ticket
from counter_app.domain.queue import CounterState, Outcome, TicketStatus


@dataclass(frozen=True)
class ServiceAreaView:
    id: int
    prefix: str
    name: str
    number_width: int
    default_service_seconds: int
    active: bool
    ticket_hours: str | None = None

    @classmethod
    def of(cls, area: ServiceArea) -> ServiceAreaView:
        return cls(
            area.id,
            area.prefix,
            area.name,
            area.number_width,
            area.default_service_seconds,
            area.active,
            area.ticket_hours,
        )


@dataclass(frozen=True)
class CounterView:
    id: int
    label: str
    state: CounterState
    officer_username: str | None
    officer_name: str | None
    service_prefixes: tuple[str, ...]
    active: bool

    @classmethod
    def of(cls, counter: Counter) -> CounterView:
        officer = counter.officer
        return cls(
            counter.id,
            counter.label,
            counter.state,
            officer.username if officer else None,
            (officer.full_name or officer.username) if officer else None,
            tuple(link.service_area.prefix for link in counter.services),
            counter.active,
        )


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    business_date: date
    service_prefix: str
    service_name: str
    priority: bool
    priority_reason: str | None
    status: TicketStatus
    issued_at: datetime
    called_at: datetime | None
    finished_at: datetime | None
    counter_label: str | None
    target_counter_label: str | None
    recall_count: int
    outcome: Outcome | None
    dossier_code: str | None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketView:
        return cls(
            ticket.id,
            ticket.number,
            ticket.business_date,
            ticket.service_area.prefix,
            ticket.service_area.name,
            ticket.priority,
            ticket.priority_reason,
            ticket.status,
            ticket.issued_at,
            ticket.called_at,
            ticket.finished_at,
            ticket.counter.label if ticket.counter else None,
            ticket.target_counter.label if ticket.target_counter else None,
            ticket.recall_count,
            ticket.outcome,
            ticket.dossier_code,
        )


@dataclass(frozen=True)
class IssuedTicket:
    """What the kiosk prints: the ticket, how many are ahead and the expected wait."""

    ticket: TicketView
    people_ahead: int
    estimated_wait: timedelta


@dataclass(frozen=True)
class WaitingCount:
    prefix: str
    name: str
    waiting: int
    priority_waiting: int


@dataclass(frozen=True)
class CounterStatus:
    label: str
    state: CounterState
    officer_name: str | None
    current_ticket: str | None
    current_status: TicketStatus | None


@dataclass(frozen=True)
class RecentCall:
    number: str
    counter_label: str
    at: datetime


@dataclass(frozen=True)
class QueueSnapshot:
    """The whole visible state, tagged with the last event it includes (late subscribers start here)."""

    last_event_id: int
    business_date: date
    waiting: tuple[WaitingCount, ...]
    counters: tuple[CounterStatus, ...]
    recent_calls: tuple[RecentCall, ...]
