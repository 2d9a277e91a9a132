"""Random days at the counter: whatever sequence of operations officers try on whatever dossiers,
no dossier leaves the status table of shared/domain/statuses.md, a refused operation writes
nothing, and each dossier's outbox (``dossier_events``) is numbered 1, 2, 3… with one audit row
per event — on SQLite and on PostgreSQL.

Each state a dossier reaches is also probed with every operation the model refuses there, with
good parameters: a wrongly allowed step shows without waiting for chance to try it. The oracle is
a copy of the table written out here from statuses.md, not the product's ``TRANSITIONS``: a test
that read the table under test could not notice the table being wrong.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import count
from typing import TypeVar

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from counter_app.db.models import AuditEntry, Dossier, DossierEvent
from counter_app.domain.clock import LOCAL_TZ, ManualClock, local_date, local_datetime
from counter_app.domain.dossier import TRANSITIONS, DossierStatus, EventType
from counter_app.domain.errors import ConflictError, ValidationError
from counter_app.domain.working_days import LegalCalendar, ReceptionSchedule
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import (
    Apology,
    DocumentTick,
    Receiver,
    SupplementRequest,
    Withdrawal,
)
from counter_app.services.dossier_views import DossierView
from tests.conftest import MONDAY_0800, Centre
from tests.support.intake import BUILD, COPY, LAND, set_up_intake
from tests.support.intake import request as intake_request

S = DossierStatus
E = EventType
T = TypeVar("T")

# statuses.md, "Allowed transitions", transcribed by hand.
SPEC_TRANSITIONS: dict[DossierStatus | None, frozenset[DossierStatus]] = {
    None: frozenset({S.RECEIVED, S.SUPPLEMENT_REQUESTED, S.REFUSED}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.RECEIVED, S.WITHDRAWN, S.REFUSED}),
    S.RECEIVED: frozenset(
        {S.TRANSFERRED, S.RESULT_READY, S.SUPPLEMENT_REQUESTED, S.DELAYED, S.WITHDRAWN, S.REFUSED}
    ),
    S.TRANSFERRED: frozenset(
        {S.TRANSFERRED, S.RESULT_READY, S.SUPPLEMENT_REQUESTED, S.DELAYED, S.WITHDRAWN, S.REFUSED}
    ),
    S.DELAYED: frozenset({S.TRANSFERRED, S.RESULT_READY, S.WITHDRAWN}),
    S.RESULT_READY: frozenset({S.RETURNED}),
    S.REFUSED: frozenset(),
    S.RETURNED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class Kind(enum.StrEnum):
    """Every operation of the ``Dossiers`` service."""

    RECEIVE = "receive"
    RECEIVE_INCOMPLETE = "receive_incomplete"
    REFUSE_AT_COUNTER = "refuse_at_counter"
    TRANSFER = "transfer"  # the usual next step first: small numbers are drawn more often
    RESULT_READY = "result_ready"
    DELAY = "delay"
    REQUEST_SUPPLEMENT = "request_supplement"
    COMPLETE_SUPPLEMENT = "complete_supplement"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    REFUSE = "refuse"


NEW_KINDS = (Kind.RECEIVE, Kind.RECEIVE_INCOMPLETE, Kind.REFUSE_AT_COUNTER)
LATER_KINDS = tuple(kind for kind in Kind if kind not in NEW_KINDS)
TARGET: dict[Kind, DossierStatus] = {
    Kind.RECEIVE: S.RECEIVED,
    Kind.RECEIVE_INCOMPLETE: S.SUPPLEMENT_REQUESTED,
    Kind.REFUSE_AT_COUNTER: S.REFUSED,
    Kind.REQUEST_SUPPLEMENT: S.SUPPLEMENT_REQUESTED,
    Kind.COMPLETE_SUPPLEMENT: S.RECEIVED,
    Kind.REFUSE: S.REFUSED,
    Kind.TRANSFER: S.TRANSFERRED,
    Kind.RESULT_READY: S.RESULT_READY,
    Kind.DELAY: S.DELAYED,
    Kind.RETURN_RESULT: S.RETURNED,
    Kind.WITHDRAW: S.WITHDRAWN,
}

# Parameters the service must accept (good) or refuse whatever the status (bad).
REASONS = ("Không thuộc thẩm quyền giải quyết", "Quá thời hạn bổ sung hồ sơ")
BAD_REASONS = ("", "   ")
MISSING: tuple[tuple[str, ...], ...] = (("1",), ("1", "Bản vẽ mặt cắt"), ("Tờ khai có chữ ký",))
BAD_MISSING: tuple[tuple[str, ...], ...] = ((), ("9",), ("  ",))
RECEIVED_DOCUMENTS: tuple[tuple[DocumentTick, ...] | None, ...] = (None, (DocumentTick(1),))
BAD_RECEIVED_DOCUMENTS: tuple[tuple[DocumentTick, ...] | None, ...] = ((), (DocumentTick(9),))
ADDED_DOCUMENTS: tuple[tuple[DocumentTick, ...], ...] = ((), (DocumentTick(1),))
BAD_ADDED_DOCUMENTS: tuple[tuple[DocumentTick, ...], ...] = (
    (DocumentTick(9),),
    (DocumentTick(1), DocumentTick(1)),
)
UNITS = ("Phòng Kinh tế", "Lãnh đạo UBND xã", "Văn phòng đăng ký đất đai")
BAD_UNITS = ("", "  ")
PAGES = (1, 0, 3)
BAD_PAGES = (-1,)
RETURNS: tuple[tuple[Receiver | None, str], ...] = (
    (None, ""),
    (None, "RR123456789VN"),
    (Receiver("Trần Thị Hoa", "079301000123", "Giấy ủy quyền số 5"), ""),
)
BAD_RETURNS: tuple[tuple[Receiver | None, str], ...] = (
    (Receiver("Trần Thị Hoa", "123"), ""),
    (Receiver("  ", "079301000123"), ""),
)


@dataclass(frozen=True)
class Op:
    kind: Kind
    dossier: int  # which of the example's dossiers, modulo how many there are (creating kinds ignore it)
    # A random kind on a random dossier is mostly refused, and soon meets only closed dossiers: an
    # aimed op is replaced by a step the model allows (the ``step``-th) on an open dossier.
    aimed: bool
    step: int
    procedure: str  # for the creating kinds
    variant: int  # which of the good or bad parameters
    valid: bool  # False: parameters the service must refuse
    minutes: int  # the clock moves on by this much first, then into reception hours


@dataclass
class Tracked:
    """The model of one dossier: where statuses.md says it is, and what it has used up."""

    code: str
    fee: int
    status: DossierStatus
    events: int = 1
    apologised: bool = False
    unit_asked: bool = False

    def barred(self, kind: Kind) -> bool:
        """The rules beside the table: the date moves once; once received, the dossier may be sent
        back for additions once (the counter's own request, before receipt, does not count)."""
        if kind is Kind.DELAY:
            return self.apologised
        return kind is Kind.REQUEST_SUPPLEMENT and self.unit_asked

    def allows(self, kind: Kind) -> bool:
        return TARGET[kind] in SPEC_TRANSITIONS[self.status] and not self.barred(kind)

    def next_kinds(self) -> list[Kind]:
        """The steps the model allows, those that keep the dossier open three times over: paths get long."""
        allowed = [kind for kind in LATER_KINDS if self.allows(kind)]
        return [kind for kind in allowed for _ in range(3 if SPEC_TRANSITIONS[TARGET[kind]] else 1)]

    def advance(self, kind: Kind) -> None:
        self.apologised |= kind is Kind.DELAY
        self.unit_asked |= kind is Kind.REQUEST_SUPPLEMENT
        self.status = TARGET[kind]
        self.events += 1


def choose(op: Op, good: tuple[T, ...], bad: tuple[T, ...]) -> T:
    options = good if op.valid else bad
    return options[op.variant % len(options)]


def into_reception_hours(moment: datetime, schedule: ReceptionSchedule, legal: LegalCalendar) -> datetime:
    """The moment itself when the centre receives then, else the start of its next reception slot."""
    if schedule.is_open(moment, legal):
        return moment
    local = local_datetime(moment)
    day = local.date()
    starts = [slot.start for slot in schedule.slots_on(day, legal) if slot.start > local.time()]
    while not starts:
        day += timedelta(days=1)
        starts = [slot.start for slot in schedule.slots_on(day, legal)]
    return datetime.combine(day, starts[0], tzinfo=LOCAL_TZ)


def totals(app: CounterApp) -> tuple[int, int, int]:
    """(dossiers, dossier events, dossier audit rows) of the whole centre."""
    with app.db.reading() as session:
        row = session.execute(
            select(
                select(func.count(Dossier.id)).scalar_subquery(),
                select(func.count(DossierEvent.id)).scalar_subquery(),
                select(func.count(AuditEntry.id))
                .where(AuditEntry.entity_type == "dossier")
                .scalar_subquery(),
            )
        ).one()
        return row[0], row[1], row[2]


def footprint(app: CounterApp, code: str) -> tuple[DossierStatus, int, int]:
    """(status, events, audit rows) of one dossier: what a refused operation must leave alone."""
    events = select(func.count(DossierEvent.id)).where(DossierEvent.dossier_id == Dossier.id)
    audits = select(func.count(AuditEntry.id)).where(
        AuditEntry.entity_type == "dossier", AuditEntry.entity_id == code
    )
    with app.db.reading() as session:
        row = session.execute(
            select(Dossier.status, events.scalar_subquery(), audits.scalar_subquery()).where(
                Dossier.code == code
            )
        ).one()
        return row[0], row[1], row[2]


def replay(types: list[EventType]) -> DossierStatus | None:
    """Where the event path leads under statuses.md; an AssertionError names the first wrong step."""
    current: DossierStatus | None = None
    for position, kind in enumerate(types, 1):
        assert kind is not E.RATED, f"event {position}: no operation here rates a dossier"
        target = S.RECEIVED if kind is E.SUPPLEMENTED else S(kind.value)
        assert target in SPEC_TRANSITIONS[current], f"event {position}: {kind} after {current}"
        completing = current is S.SUPPLEMENT_REQUESTED and target is S.RECEIVED
        assert (kind is E.SUPPLEMENTED) == completing, f"event {position}: {kind} after {current}"
        current = target
    assert types.count(E.DELAYED) <= 1, f"{types.count(E.DELAYED)} apologies"
    return current


def check_outbox(app: CounterApp, tracked: Tracked) -> None:
    """Seq 1..n in commit order, a path the table allows, ``last_seq`` = n, one audit row per event."""
    with app.db.reading() as session:
        dossier = session.execute(
            select(Dossier.id, Dossier.status, Dossier.last_seq).where(Dossier.code == tracked.code)
        ).one()
        events = session.execute(
            select(DossierEvent.seq, DossierEvent.type)
            .where(DossierEvent.dossier_id == dossier.id)
            .order_by(DossierEvent.id)
        ).all()
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == "dossier", AuditEntry.entity_id == tracked.code)
            .order_by(AuditEntry.id)
        ).all()
    types = [kind for _, kind in events]
    assert [seq for seq, _ in events] == list(range(1, len(events) + 1)), tracked
    assert dossier.last_seq == len(events) == tracked.events, tracked
    assert list(actions) == [f"dossier.{kind.value}" for kind in types], tracked
    assert replay(types) is dossier.status is tracked.status, (tracked, types)


Call = Callable[[], DossierView]


class Run:
    """One example: operations against the centre, the model beside them, checked after each one."""

    def __init__(self, centre: Centre, clock: ManualClock) -> None:
        self.centre = centre
        self.app = centre.app
        self.clock = clock
        self.legal = self.app.calendar.legal()
        self.schedule = self.app.calendar.schedule()
        self.dossiers: list[Tracked] = []
        self.touched: Tracked | None = None  # the dossier of the last operation, if it reached one
        self.later: dict[Kind, Callable[[Op, Tracked], Call]] = {
            Kind.REQUEST_SUPPLEMENT: self._request_supplement,
            Kind.COMPLETE_SUPPLEMENT: self._complete_supplement,
            Kind.REFUSE: self._refuse,
            Kind.TRANSFER: self._transfer,
            Kind.RESULT_READY: self._result_ready,
            Kind.DELAY: self._delay,
            Kind.RETURN_RESULT: self._return_result,
            Kind.WITHDRAW: self._withdraw,
        }
        clock.set(MONDAY_0800)  # every example starts on the same morning, whatever the last one did

    def apply(self, op: Op) -> None:
        moved = self.clock.now() + timedelta(minutes=op.minutes)
        self.clock.set(into_reception_hours(moved, self.schedule, self.legal))
        self.touched = None
        if op.kind in NEW_KINDS:
            self._create(op)
            return
        if not self.dossiers:
            return
        candidates = [tracked for tracked in self.dossiers if tracked.next_kinds()]
        if not (op.aimed and candidates):
            self._change(op, self.dossiers[op.dossier % len(self.dossiers)])
            return
        tracked = candidates[op.dossier % len(candidates)]
        kinds = tracked.next_kinds()
        # Rewritten, so that failure messages show what ran.
        self._change(replace(op, kind=kinds[op.step % len(kinds)], aimed=False), tracked)

    def _probe(self, op: Op, tracked: Tracked) -> None:
        """Every state a dossier reaches: each step the model refuses there, with good parameters
        (the edges of the table, the apology and additions rules), and each step it allows, with bad
        ones, must be refused and change nothing."""
        for kind in LATER_KINDS:
            valid = not tracked.allows(kind)
            self._change(replace(op, kind=kind, aimed=False, valid=valid), tracked, probing=True)

    def _create(self, op: Op) -> None:
        before = totals(self.app)
        try:
            view = self._new(op)()
        except (ConflictError, ValidationError) as error:
            assert not op.valid, f"{op} was refused: {error}"
            assert isinstance(error, ValidationError), f"{op}: {error!r}"
            assert totals(self.app) == before, f"{op} was refused but wrote something"
            return
        assert op.valid, f"{op} was accepted"
        assert view.status is TARGET[op.kind] in SPEC_TRANSITIONS[None]
        tracked = Tracked(view.code, view.fee, view.status)
        self.dossiers.append(tracked)
        self.touched = tracked
        assert footprint(self.app, tracked.code) == (tracked.status, 1, 1)
        self._probe(op, tracked)

    def _change(self, op: Op, tracked: Tracked, probing: bool = False) -> None:
        """Run one later op; the model was checked against the database after the previous one."""
        self.touched = tracked
        allowed = tracked.allows(op.kind)
        try:
            self.later[op.kind](op, tracked)()
        except (ConflictError, ValidationError) as error:
            assert not (allowed and op.valid), f"{op} on {tracked} was refused: {error}"
            expected = (
                (ConflictError,)
                if op.valid
                else (ValidationError,)
                if allowed
                else (ConflictError, ValidationError)
            )
            assert isinstance(error, expected), f"{op} on {tracked}: {error!r}"
            assert footprint(self.app, tracked.code) == (tracked.status, tracked.events, tracked.events), (
                f"{op} on {tracked} was refused but changed something"
            )
            return
        assert allowed and op.valid, f"{op} on {tracked} was accepted"
        tracked.advance(op.kind)
        assert self.app.dossier_queries.show(self.centre.lan, tracked.code).status is tracked.status
        assert footprint(self.app, tracked.code) == (tracked.status, tracked.events, tracked.events)
        if not probing:
            self._probe(op, tracked)

    # -- the calls, with good or bad parameters ---------------------------------------------------

    def _new(self, op: Op) -> Call:
        dossiers, lan = self.app.dossiers, self.centre.lan
        if op.kind is Kind.RECEIVE:
            documents = choose(op, RECEIVED_DOCUMENTS, BAD_RECEIVED_DOCUMENTS)
            return lambda: dossiers.receive(lan, intake_request(op.procedure, documents=documents))
        if op.kind is Kind.RECEIVE_INCOMPLETE:
            supplement = SupplementRequest(choose(op, MISSING, BAD_MISSING), "Thiếu giấy tờ")
            partial = intake_request(op.procedure, documents=(DocumentTick(1),))
            return lambda: dossiers.receive_incomplete(lan, partial, supplement)
        reason = choose(op, REASONS, BAD_REASONS)
        return lambda: dossiers.refuse_at_counter(lan, intake_request(op.procedure), reason)

    def _request_supplement(self, op: Op, tracked: Tracked) -> Call:
        supplement = SupplementRequest(choose(op, MISSING, BAD_MISSING), "Thiếu giấy tờ")
        return lambda: self.app.dossiers.request_supplement(self.centre.lan, tracked.code, supplement)

    def _complete_supplement(self, op: Op, tracked: Tracked) -> Call:
        documents = choose(op, ADDED_DOCUMENTS, BAD_ADDED_DOCUMENTS)
        return lambda: self.app.dossiers.complete_supplement(self.centre.lan, tracked.code, documents)

    def _refuse(self, op: Op, tracked: Tracked) -> Call:
        reason = choose(op, REASONS, BAD_REASONS)
        return lambda: self.app.dossiers.refuse(self.centre.lan, tracked.code, reason)

    def _transfer(self, op: Op, tracked: Tracked) -> Call:
        unit = choose(op, UNITS, BAD_UNITS)
        return lambda: self.app.dossiers.transfer(self.centre.lan, tracked.code, unit)

    def _result_ready(self, op: Op, tracked: Tracked) -> Call:
        pages = choose(op, PAGES, BAD_PAGES)
        return lambda: self.app.dossiers.result_ready(self.centre.lan, tracked.code, "Kết quả", pages)

    def _return_result(self, op: Op, tracked: Tracked) -> Call:
        receiver, post = choose(op, RETURNS, BAD_RETURNS)
        return lambda: self.app.dossiers.return_result(self.centre.lan, tracked.code, receiver, post)

    def _withdraw(self, op: Op, tracked: Tracked) -> Call:
        tomorrow = local_date(self.clock.now()) + timedelta(days=1)
        withdrawal = choose(
            op,
            (Withdrawal("Người nộp đổi ý"), Withdrawal("Đổi ý", refund=tracked.fee)),
            (
                Withdrawal("  "),
                Withdrawal("Đổi ý", refund=tracked.fee + 1),
                Withdrawal("Đổi ý", requested_on=tomorrow),
            ),
        )
        return lambda: self.app.dossiers.withdraw(self.centre.lan, tracked.code, withdrawal)

    def _delay(self, op: Op, tracked: Tracked) -> Call:
        """The supervisor's apology: later working days than the current appointment, or not."""
        with self.app.db.reading() as session:
            current = session.scalar(select(Dossier.due_at).where(Dossier.code == tracked.code))
        due = current or self.clock.now()
        day, at = local_date(due), local_datetime(due).time()

        def apology(moment: datetime, head: str = "Trần Văn C") -> Apology:
            return Apology("Chờ ý kiến cơ quan chuyên môn", "Phòng Kinh tế", head, moment)

        def on(later: date) -> datetime:
            return datetime.combine(later, at, tzinfo=LOCAL_TZ)

        day_off = next(
            d for d in (day + timedelta(days=n) for n in count(1)) if not self.legal.is_working_day(d)
        )
        chosen = choose(
            op,
            tuple(apology(on(self.legal.add_working_days(day, n))) for n in (1, 2, 5)),
            (apology(due), apology(on(day_off)), apology(on(self.legal.add_working_days(day, 1)), head=" ")),
        )
        return lambda: self.app.dossiers.delay(self.centre.supervisor, tracked.code, chosen)


# -- the property ---------------------------------------------------------------------------------


def operations(kinds: tuple[Kind, ...], valid: st.SearchStrategy[bool]) -> st.SearchStrategy[Op]:
    return st.builds(
        Op,
        kind=st.sampled_from(kinds),
        dossier=st.integers(0, 5),
        aimed=st.integers(0, 3).map(lambda n: n > 0),  # three in four; shrinks to as drawn
        step=st.integers(0, 1 << 16),
        procedure=st.sampled_from((BUILD, LAND, COPY)),
        variant=st.integers(0, 2),
        valid=valid,
        # Mostly minutes apart, sometimes days: enough for same-day and short dossiers to run late.
        minutes=st.one_of(st.integers(0, 90), st.integers(0, 6 * 24 * 60)),
    )


# Moving a dossier on is far likelier than opening one; 1 in 6 operations has bad input.
FIRST_OPERATION = operations((Kind.RECEIVE, *NEW_KINDS), st.just(True))
ANY_OPERATION = operations(
    (*LATER_KINDS * 3, Kind.RECEIVE, *NEW_KINDS), st.integers(0, 5).map(lambda n: n < 5)
)


class RandomDay(RuleBasedStateMachine):
    """One example: a first dossier, then up to 24 operations, each checked against the model and
    followed by a check of its dossier's outbox; at the end, every dossier's outbox again (another
    dossier's history must not have moved). The printed steps of a failure replay it."""

    def __init__(self, centre: Centre, clock: ManualClock) -> None:
        super().__init__()
        self.run = Run(centre, clock)
        self.failed = False

    @initialize(op=FIRST_OPERATION)
    def first(self, op: Op) -> None:
        self._apply(op)

    @rule(op=ANY_OPERATION)
    def then(self, op: Op) -> None:
        self._apply(op)

    @invariant()
    def outbox_of_the_last_dossier(self) -> None:
        if self.run.touched is not None:
            self._check(self.run.touched)

    def teardown(self) -> None:
        # Also run after a failure, which must stay the error reported.
        if not self.failed:
            for tracked in self.run.dossiers:
                self._check(tracked)

    def _apply(self, op: Op) -> None:
        self.failed = True
        self.run.apply(op)
        self.failed = False

    def _check(self, tracked: Tracked) -> None:
        self.failed = True
        check_outbox(self.run.app, tracked)
        self.failed = False


@pytest.fixture
def desk(centre: Centre) -> Centre:
    set_up_intake(centre.app, centre.admin)
    return centre


def test_random_operations_keep_every_dossier_in_the_table(desk: Centre, clock: ManualClock) -> None:
    # The examples share the database; every check is about the dossiers of one example.
    examples = 25 if desk.app.db.dialect == "sqlite" else 10

    class RandomDayAtThisDesk(RandomDay):
        def __init__(self) -> None:
            super().__init__(desk, clock)

    run_state_machine_as_test(
        RandomDayAtThisDesk,
        settings=settings(
            max_examples=examples,
            stateful_step_count=24,
            deadline=None,
            report_multiple_bugs=False,
            # Not the explain phase: it replays a failing day for minutes and adds little to its steps.
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
        ),
    )


# -- the oracle itself ----------------------------------------------------------------------------


def test_the_product_table_is_the_specification() -> None:
    assert TRANSITIONS == SPEC_TRANSITIONS


def test_the_oracle_follows_a_legal_path() -> None:
    path = [E.RECEIVED, E.TRANSFERRED, E.DELAYED, E.TRANSFERRED, E.RESULT_READY, E.RETURNED]
    assert replay(path) is S.RETURNED
    assert (
        replay([E.SUPPLEMENT_REQUESTED, E.SUPPLEMENTED, E.SUPPLEMENT_REQUESTED, E.WITHDRAWN]) is S.WITHDRAWN
    )


@pytest.mark.parametrize(
    "path",
    [
        [E.SUPPLEMENTED],  # completed before it was asked for
        [E.TRANSFERRED],  # never received
        [E.SUPPLEMENT_REQUESTED, E.RECEIVED],  # completing is "supplemented"
        [E.RECEIVED, E.DELAYED, E.DELAYED],  # the date moves once
        [E.RECEIVED, E.DELAYED, E.TRANSFERRED, E.DELAYED],  # once, even after another unit
        [E.RECEIVED, E.RETURNED],  # returned before a result
        [E.REFUSED, E.RECEIVED],  # nothing after a final state
        [E.RECEIVED, E.RESULT_READY, E.RETURNED, E.RATED],
    ],
)
def test_the_oracle_rejects_an_illegal_path(path: list[EventType]) -> None:
    with pytest.raises(AssertionError):
        replay(path)


def test_the_clock_stays_in_reception_hours() -> None:
    legal, schedule = LegalCalendar(), ReceptionSchedule()
    friday_evening = datetime(2026, 12, 11, 17, 0, tzinfo=LOCAL_TZ)
    assert into_reception_hours(friday_evening, schedule, legal) == datetime(
        2026, 12, 14, 7, 30, tzinfo=LOCAL_TZ
    )
    lunch = datetime(2026, 12, 14, 12, 0, tzinfo=LOCAL_TZ)
    assert into_reception_hours(lunch, schedule, legal) == datetime(2026, 12, 14, 13, 30, tzinfo=LOCAL_TZ)
    assert into_reception_hours(MONDAY_0800, schedule, legal) == MONDAY_0800


# -- what the property found ----------------------------------------------------------------------


def test_a_second_request_for_additions_during_processing_is_refused(desk: Centre) -> None:
    """statuses.md: a processing unit asks for additions once, whether the dossier was still at the
    section or already at the unit (the first version counted only requests made at the unit)."""
    dossiers, lan = desk.app.dossiers, desk.lan
    code = dossiers.receive(lan, intake_request(BUILD)).code
    dossiers.request_supplement(lan, code, SupplementRequest(("1",)))  # received → the unit found a gap
    dossiers.complete_supplement(lan, code)
    dossiers.transfer(lan, code, "Phòng Kinh tế")
    before = footprint(desk.app, code)
    with pytest.raises(ConflictError):
        dossiers.request_supplement(lan, code, SupplementRequest(("2",)))
    assert footprint(desk.app, code) == before == (S.TRANSFERRED, 4, 4)


def test_the_counters_own_request_for_additions_does_not_count(desk: Centre) -> None:
    dossiers, lan = desk.app.dossiers, desk.lan
    partial = intake_request(BUILD, documents=(DocumentTick(1),))
    code = dossiers.receive_incomplete(lan, partial, SupplementRequest(("2", "3"))).code
    dossiers.complete_supplement(lan, code, (DocumentTick(2), DocumentTick(3)))
    view = dossiers.request_supplement(lan, code, SupplementRequest(("1",)))
    assert view.status is S.SUPPLEMENT_REQUESTED
