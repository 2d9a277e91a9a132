"""Queue rules of a one-stop centre (shared/domain/queue.md), as pure functions.

Numbering restarts every local day per service area; priority tickets (elderly, disabled,
pregnant, small children, war invalids…) go first under the centre's policy; a ticket's place
in line is its *queue key*, which a transfer keeps and a returning no-show moves to the front.
"""

from __future__ import annotations

import enum
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from counter_app.domain.clock import as_utc
from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

PREFIX_PATTERN = re.compile(r"^[A-Z]{1,2}$")
MIN_WIDTH, MAX_WIDTH = 2, 5
COUNTER_LABEL_PATTERN = re.compile(r"^[0-9A-Za-z]{1,8}$")

# A returning no-show is put back "at the front" by giving it a key this far (≈ 35 years, in
# microseconds) before its return instant: ahead of every ticket of the day, and still in
# order of return among several returning citizens.
FRONT_OFFSET_US = 2**50


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


# Which statuses a ticket may move to. A no-show who comes back goes to WAITING again.
TICKET_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.WAITING: frozenset({TicketStatus.CALLED, TicketStatus.CANCELLED, TicketStatus.WAITING}),
    TicketStatus.CALLED: frozenset(
        {
            TicketStatus.CALLED,  # a recall
            TicketStatus.SERVING,
            TicketStatus.FINISHED,
            TicketStatus.NO_SHOW,
            TicketStatus.WAITING,
            TicketStatus.CANCELLED,
        }
    ),
    TicketStatus.SERVING: frozenset({TicketStatus.FINISHED, TicketStatus.WAITING, TicketStatus.CANCELLED}),
    TicketStatus.NO_SHOW: frozenset({TicketStatus.WAITING}),
    TicketStatus.FINISHED: frozenset(),
    TicketStatus.CANCELLED: frozenset(),
}

ACTIVE_AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


class Outcome(enum.StrEnum):
    """How a visit ended at the counter."""

    DOSSIER_RECEIVED = "dossier_received"
    RESULT_RETURNED = "result_returned"
    GUIDANCE = "guidance"
    REFUSED = "refused"


OUTCOMES_WITH_DOSSIER = frozenset({Outcome.DOSSIER_RECEIVED, Outcome.RESULT_RETURNED})


class QueueEventKind(enum.StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    SERVING = "serving"
    NO_SHOW = "no_show"
    REQUEUED = "requeued"
    TRANSFERRED = "transferred"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    COUNTER_CHANGED = "counter_changed"


class CounterState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


class PriorityMode(enum.StrEnum):
    STRICT = "strict"
    INTERLEAVED = "interleaved"


def normalise_prefix(prefix: str) -> str:
    value = prefix.strip().upper()
    if not PREFIX_PATTERN.match(value):
        raise ValidationError(
            _("The ticket prefix '{prefix}' is invalid: use one or two letters A–Z.").format(prefix=prefix)
        )
    return value


def validate_width(width: int) -> int:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValidationError(
            _("The number width must be between {low} and {high} digits.").format(
                low=MIN_WIDTH, high=MAX_WIDTH
            )
        )
    return width


def normalise_counter_label(label: str) -> str:
    value = label.strip()
    if not COUNTER_LABEL_PATTERN.match(value):
        raise ValidationError(
            _("The counter label '{label}' is invalid: use up to 8 letters or digits, e.g. 03.").format(
                label=label
            )
        )
    return value


def format_ticket_number(prefix: str, seq: int, width: int) -> str:
    """``A`` + 23 at width 3 → ``A023``. A busy day past 999 grows a digit rather than refuse a citizen."""
    return f"{prefix}{seq:0{width}d}"


def queue_key(instant: datetime) -> int:
    """The place in line of a ticket issued at ``instant``: microseconds since the epoch."""
    delta = as_utc(instant) - datetime(1970, 1, 1, tzinfo=as_utc(instant).tzinfo)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def front_queue_key(instant: datetime) -> int:
    """The key of a ticket put back at the front at ``instant`` (ahead of all normal keys)."""
    return queue_key(instant) - FRONT_OFFSET_US


@dataclass(frozen=True)
class PriorityPolicy:
    """How priority tickets share a counter with normal ones.

    ``strict``: a waiting priority ticket is always called first, but after
    ``max_consecutive_priority`` priority calls in a row (0 = no cap) one normal ticket is
    called if any waits, so normal tickets are never starved.
    ``interleaved``: one priority ticket after every ``interleave_every`` normal tickets (or
    at once when no normal ticket waits).
    """

    mode: PriorityMode = PriorityMode.STRICT
    max_consecutive_priority: int = 3
    interleave_every: int = 2

    def __post_init__(self) -> None:
        if self.max_consecutive_priority < 0 or self.interleave_every < 1:
            raise ValidationError(_("The priority cap must be 0 or more and the interleave step at least 1."))


@dataclass(frozen=True)
class CallStreak:
    """What a counter called recently, which the priority policy needs.

    ``normals_since_priority`` is ``None`` until the counter has called a priority ticket in
    this session, so the first priority citizen is not made to wait for N normal calls.
    """

    priorities_in_a_row: int = 0
    normals_since_priority: int | None = None

    def after_call(self, priority: bool) -> CallStreak:
        if priority:
            return CallStreak(priorities_in_a_row=self.priorities_in_a_row + 1, normals_since_priority=0)
        since = None if self.normals_since_priority is None else self.normals_since_priority + 1
        return CallStreak(priorities_in_a_row=0, normals_since_priority=since)


def preferred_classes(policy: PriorityPolicy, streak: CallStreak) -> tuple[bool, bool]:
    """The order in which to look for tickets: ``(True, False)`` means priority first.

    The caller takes the first class that has a waiting ticket, so "priority preferred but
    none waits" falls through to normal tickets and vice versa: nobody waits at an idle counter.
    """
    if policy.mode is PriorityMode.STRICT:
        capped = 0 < policy.max_consecutive_priority <= streak.priorities_in_a_row
        return (False, True) if capped else (True, False)
    since = streak.normals_since_priority
    due = since is None or since >= policy.interleave_every
    return (True, False) if due else (False, True)


def estimate_wait(
    people_ahead: int,
    recent_service_seconds: Sequence[float],
    serving_counters: int,
    default_service_seconds: float,
) -> timedelta:
    """Expected wait from the recent service times of the area.

    The median of recent services (robust to one long dossier) times the people ahead,
    shared by the counters serving the area. With no history yet the centre's default is used.
    """
    per_citizen = (
        statistics.median(recent_service_seconds) if recent_service_seconds else default_service_seconds
    )
    counters = max(1, serving_counters)
    return timedelta(seconds=round(people_ahead * per_citizen / counters))


def can_move(current: TicketStatus, target: TicketStatus) -> bool:
    return target in TICKET_TRANSITIONS[current]


# -- labels users read -----------------------------------------------------------------
def outcome_label(outcome: Outcome) -> str:
    return {
        Outcome.DOSSIER_RECEIVED: _("dossier received"),
        Outcome.RESULT_RETURNED: _("result returned"),
        Outcome.GUIDANCE: _("guidance only"),
        Outcome.REFUSED: _("refused"),
    }[outcome]


def counter_state_label(state: CounterState) -> str:
    return {CounterState.OPEN: _("open"), CounterState.PAUSED: _("paused"), CounterState.CLOSED: _("closed")}[
        state
    ]


def ticket_status_label(status: TicketStatus) -> str:
    return {
        TicketStatus.WAITING: _("waiting"),
        TicketStatus.CALLED: _("called"),
        TicketStatus.SERVING: _("being served"),
        TicketStatus.FINISHED: _("finished"),
        TicketStatus.NO_SHOW: _("absent"),
        TicketStatus.CANCELLED: _("cancelled"),
    }[status]


# -- priority at the kiosk (queue.md, "Tickets") ------------------------------------------------
# ``reason`` is the category as the law names it and as the ticket stores it (the same words whatever
# language the screen uses, so reports count them together); ``label`` is what the screen says.
@dataclass(frozen=True)
class PriorityChoice:
    reason: str
    label: str


def priority_choices() -> list[PriorityChoice]:
    return [
        PriorityChoice("Người cao tuổi", _("Elderly person")),
        PriorityChoice("Người khuyết tật", _("Person with a disability")),
        PriorityChoice("Phụ nữ mang thai", _("Pregnant woman")),
        PriorityChoice("Người có con nhỏ", _("Person with a small child")),
        PriorityChoice(
            "Thương binh, người có công với cách mạng", _("War invalid or person with meritorious service")
        ),
    ]
