"""The queue engine through its services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from counter_app.db.models import AuditEntry, QueueEvent, Ticket
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.errors import ConflictError, NotFoundError, ValidationError
from counter_app.domain.queue import Outcome, QueueEventKind, TicketStatus
from counter_app.services.app import CounterApp
from counter_app.services.events import QueueEventMessage
from tests.conftest import Centre


def numbers(tickets: list[object]) -> list[str]:
    return [t.number for t in tickets]  # type: ignore[attr-defined]


def call(centre: Centre, counter: str = "01") -> str:
    actor = centre.lan if counter == "01" else centre.minh
    ticket = centre.app.queue.call_next(actor, counter)
    assert ticket is not None
    centre.app.queue.finish(actor, counter)
    return ticket.number


def count(app: CounterApp, model: type[object]) -> int:
    with app.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_numbering_per_area_and_day(centre: Centre) -> None:
    q = centre.app.queue
    assert [q.issue(centre.kiosk, "A").ticket.number for _ in range(3)] == ["A001", "A002", "A003"]
    assert q.issue(centre.kiosk, "B").ticket.number == "B001"


def test_unknown_area_is_refused_and_writes_nothing(centre: Centre) -> None:
    before = count(centre.app, AuditEntry)
    with pytest.raises(NotFoundError, match="lĩnh vực"):
        centre.app.queue.issue(centre.kiosk, "Z")
    assert count(centre.app, AuditEntry) == before
    assert count(centre.app, Ticket) == 0


@pytest.mark.parametrize(
    ("before", "after", "restarts"),
    [
        ((23, 59), (0, 1), True),  # local midnight: a new day, numbering restarts
        ((6, 59), (7, 1), False),  # 07:00 local is midnight UTC: the same local day goes on
    ],
)
def test_daily_rollover_follows_local_time(
    centre: Centre, clock: ManualClock, before: tuple[int, int], after: tuple[int, int], restarts: bool
) -> None:
    day = datetime(2026, 12, 8, tzinfo=LOCAL_TZ)
    clock.set(day.replace(hour=before[0], minute=before[1]))
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "A")
    next_moment = day.replace(hour=after[0], minute=after[1])
    if restarts:
        next_moment += timedelta(days=1)
    clock.set(next_moment)
    issued = q.issue(centre.kiosk, "A")
    assert issued.ticket.number == ("A001" if restarts else "A003")
    if restarts:
        # Yesterday's unserved tickets are not called today and are not counted ahead.
        assert issued.people_ahead == 0
        assert call(centre) == "A001"
        assert issued.ticket.business_date == next_moment.date()
        assert centre.app.queue.call_next(centre.lan, "01") is None


def test_first_come_first_served_and_counter_area_order(centre: Centre) -> None:
    q = centre.app.queue
    for prefix in "BABA":
        q.issue(centre.kiosk, prefix)
    # Counter 01 serves A before B; counter 02 serves B before A.
    assert call(centre, "01") == "A001"
    assert call(centre, "02") == "B001"
    assert call(centre, "01") == "A002"
    assert call(centre, "01") == "B002"
    assert centre.app.queue.call_next(centre.lan, "01") is None


def test_priority_first_with_cap(centre: Centre) -> None:
    centre.app.settings.set(centre.admin, "max_consecutive_priority", 2)
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "A")
    for _ in range(3):
        q.issue(centre.kiosk, "A", priority=True, priority_reason="Người cao tuổi")
    # Priority A003, A004, then the cap lets normal A001 through, then A005.
    assert [call(centre) for _ in range(5)] == ["A003", "A004", "A001", "A005", "A002"]


def test_interleaved_policy(centre: Centre) -> None:
    centre.app.settings.set(centre.admin, "priority_mode", "interleaved")
    centre.app.settings.set(centre.admin, "interleave_every", 2)
    q = centre.app.queue
    for _ in range(4):
        q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "A", priority=True)
    q.issue(centre.kiosk, "A", priority=True)
    assert [call(centre) for _ in range(6)] == ["A005", "A001", "A002", "A006", "A003", "A004"]


def test_priority_ticket_counts_only_priority_people_ahead(centre: Centre) -> None:
    q = centre.app.queue
    for _ in range(3):
        q.issue(centre.kiosk, "A")
    assert q.issue(centre.kiosk, "A").people_ahead == 3
    assert q.issue(centre.kiosk, "A", priority=True).people_ahead == 0
    assert q.issue(centre.kiosk, "A", priority=True).people_ahead == 1


def test_estimated_wait_learns_from_recent_services(centre: Centre, clock: ManualClock) -> None:
    q = centre.app.queue
    first = q.issue(centre.kiosk, "A")
    # No history: the area's default 10 minutes, shared by the two open counters serving A.
    assert first.estimated_wait == timedelta(0)
    assert q.issue(centre.kiosk, "A").estimated_wait == timedelta(minutes=5)
    for _ in range(2):
        q.call_next(centre.lan, "01")
        clock.advance(minutes=4)
        q.finish(centre.lan, "01")
    for _ in range(4):
        q.issue(centre.kiosk, "A")
    issued = q.issue(centre.kiosk, "A")
    assert issued.people_ahead == 4
    assert issued.estimated_wait == timedelta(minutes=4 * 4 / 2)


def test_recall_no_show_and_back_to_the_front(centre: Centre) -> None:
    q = centre.app.queue
    for _ in range(3):
        q.issue(centre.kiosk, "A")
    assert q.call_next(centre.lan, "01").number == "A001"  # type: ignore[union-attr]
    with pytest.raises(ConflictError, match="2"):
        q.no_show(centre.lan, "01")  # the centre requires two recalls first
    assert q.recall(centre.lan, "01").recall_count == 1
    assert q.recall(centre.lan, "01").recall_count == 2
    assert q.no_show(centre.lan, "01").status is TicketStatus.NO_SHOW
    assert call(centre) == "A002"
    returned = q.requeue(centre.lan, "A001")
    assert returned.status is TicketStatus.WAITING
    assert call(centre) == "A001", "a citizen who comes back goes to the front"
    assert call(centre) == "A003"


def test_transfer_to_another_area_keeps_the_place(centre: Centre, clock: ManualClock) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    clock.advance(minutes=1)
    q.issue(centre.kiosk, "B")
    clock.advance(minutes=1)
    q.call_next(centre.lan, "01")  # A001
    moved = q.transfer(centre.lan, "01", to_service="B")
    assert moved.number == "A001" and moved.service_prefix == "B" and moved.status is TicketStatus.WAITING
    # A001 was issued before B001: at the land counter it comes first.
    assert call(centre, "02") == "A001"
    assert call(centre, "02") == "B001"


def test_transfer_to_a_counter(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "B")
    q.issue(centre.kiosk, "B")
    q.call_next(centre.lan, "01")  # A001
    moved = q.transfer(centre.lan, "01", to_counter="02")
    assert moved.target_counter_label == "02"
    assert call(centre, "01") == "B001", "A001 was sent to counter 02: counter 01 does not take it back"
    assert call(centre, "02") == "A001", "citizens sent to a counter come before its own queue"
    assert call(centre, "02") == "B002"


def test_transfer_needs_exactly_one_target(centre: Centre) -> None:
    centre.app.queue.issue(centre.kiosk, "A")
    centre.app.queue.call_next(centre.lan, "01")
    with pytest.raises(ValidationError):
        centre.app.queue.transfer(centre.lan, "01")
    with pytest.raises(ValidationError):
        centre.app.queue.transfer(centre.lan, "01", to_counter="01")


def test_serving_and_finishing_with_outcomes(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.call_next(centre.lan, "01")
    assert q.start_serving(centre.lan, "01").status is TicketStatus.SERVING
    with pytest.raises(ConflictError):
        q.recall(centre.lan, "01")
    with pytest.raises(ValidationError):
        q.finish(centre.lan, "01", Outcome.DOSSIER_RECEIVED)  # needs the dossier code
    done = q.finish(centre.lan, "01", Outcome.DOSSIER_RECEIVED, "000.00.01.H29-261207-0001")
    assert done.status is TicketStatus.FINISHED
    assert done.dossier_code == "000.00.01.H29-261207-0001"
    assert q.current("01") is None


def test_call_next_refuses_while_a_citizen_is_at_the_counter(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "A")
    q.call_next(centre.lan, "01")
    with pytest.raises(ConflictError, match="A001"):
        q.call_next(centre.lan, "01")


def test_paused_and_closed_counters_do_not_call(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    centre.app.counters.pause(centre.lan, "01")
    with pytest.raises(ConflictError):
        q.call_next(centre.lan, "01")
    centre.app.counters.open(centre.lan, "01")  # resume: the queue was kept
    assert call(centre) == "A001"
    centre.app.counters.close(centre.lan, "01")
    with pytest.raises(ConflictError):
        q.call_next(centre.lan, "01")


def test_closing_a_counter_returns_citizens_sent_to_it(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.call_next(centre.lan, "01")
    q.transfer(centre.lan, "01", to_counter="02")
    centre.app.counters.close(centre.minh, "02")
    assert q.find("A001").target_counter_label is None
    assert call(centre, "01") == "A001"


def test_cancel(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "A")
    assert q.cancel(centre.lan, "A001").status is TicketStatus.CANCELLED
    assert call(centre) == "A002"
    with pytest.raises(ConflictError):
        q.cancel(centre.lan, "A001")


def test_each_change_is_audited_with_the_actor(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.call_next(centre.lan, "01")
    q.finish(centre.lan, "01")
    entries = centre.app.audit.entries(centre.supervisor, entity_type="ticket")
    assert [(e.action, e.actor_name) for e in reversed(entries)] == [
        ("ticket.issue", "kiosk1"),
        ("ticket.call", "lan"),
        ("ticket.finish", "lan"),
    ]
    assert entries[0].before == {"status": "called"}
    assert entries[0].after is not None and entries[0].after["status"] == "finished"


def test_events_are_published_after_commit_only(centre: Centre) -> None:
    received: list[QueueEventMessage] = []
    centre.app.bus.subscribe(received.append)
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.call_next(centre.lan, "01")
    events_before = count(centre.app, QueueEvent)
    with pytest.raises(ConflictError):
        q.call_next(centre.lan, "01")  # fails inside its transaction: nothing published, nothing stored
    q.recall(centre.lan, "01")
    assert [e.kind for e in received] == [
        QueueEventKind.ISSUED,
        QueueEventKind.CALLED,
        QueueEventKind.RECALLED,
    ]
    assert received[1].payload["number"] == "A001" and received[1].payload["counter"] == "01"
    assert count(centre.app, QueueEvent) == events_before + 1
    assert [e.id for e in received] == sorted(e.id for e in received)


def test_late_display_gets_the_state_first_then_only_newer_events(centre: Centre) -> None:
    q = centre.app.queue
    q.issue(centre.kiosk, "A")
    q.issue(centre.kiosk, "B")
    q.call_next(centre.lan, "01")
    with centre.app.state.feed(centre.display) as feed:
        snap = feed.snapshot
        assert {w.prefix: w.waiting for w in snap.waiting} == {"A": 0, "B": 1}
        assert [(c.label, c.current_ticket) for c in snap.counters] == [("01", "A001"), ("02", None)]
        assert [(c.number, c.counter_label) for c in snap.recent_calls] == [("A001", "01")]
        q.call_next(centre.minh, "02")
        event = feed.next(timeout=5)
        assert event is not None and event.kind is QueueEventKind.CALLED and event.payload["number"] == "B001"
        assert feed.next(timeout=0) is None


def test_a_service_area_issues_tickets_only_in_its_window(centre: Centre, clock: ManualClock) -> None:
    centre.app.catalogue.set_ticket_hours(centre.admin, "B", "07:30-11:00, 13:30-16:30")
    assert centre.app.queue.issue(centre.kiosk, "B").ticket.number == "B001"
    clock.set(datetime(2026, 12, 7, 11, 15, tzinfo=LOCAL_TZ))
    with pytest.raises(ConflictError):
        centre.app.queue.issue(centre.kiosk, "B")
    assert centre.app.queue.issue(centre.kiosk, "A").ticket.number == "A001"  # no window of its own
    centre.app.catalogue.set_ticket_hours(centre.admin, "B", "")
    assert centre.app.queue.issue(centre.kiosk, "B").ticket.number == "B002"
    with pytest.raises(ValidationError):
        centre.app.catalogue.set_ticket_hours(centre.admin, "B", "8h-11h")
