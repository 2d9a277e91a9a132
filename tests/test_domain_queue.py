"""Pure queue rules: numbering, priority policy, place in line, wait estimate."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.domain.queue import (
    CallStreak,
    PriorityMode,
    PriorityPolicy,
    estimate_wait,
    format_ticket_number,
    front_queue_key,
    normalise_counter_label,
    normalise_prefix,
    preferred_classes,
    queue_key,
)


@pytest.mark.parametrize(
    ("prefix", "seq", "width", "expected"),
    [
        ("A", 1, 3, "A001"),
        ("A", 23, 3, "A023"),
        ("HT", 7, 4, "HT0007"),
        ("A", 999, 3, "A999"),
        ("A", 1000, 3, "A1000"),
    ],
)
def test_ticket_numbers(prefix: str, seq: int, width: int, expected: str) -> None:
    assert format_ticket_number(prefix, seq, width) == expected


def test_prefix_is_one_or_two_ascii_letters() -> None:
    assert normalise_prefix(" b ") == "B"
    assert normalise_prefix("ht") == "HT"
    for bad in ("", "ABC", "1", "Đ", "A-"):
        with pytest.raises(ValidationError, match="Ký hiệu"):
            normalise_prefix(bad)


def test_counter_label() -> None:
    assert normalise_counter_label(" 03 ") == "03"
    with pytest.raises(ValidationError):
        normalise_counter_label("quầy 3")


def test_strict_policy_prefers_priority_until_the_cap() -> None:
    policy = PriorityPolicy(PriorityMode.STRICT, max_consecutive_priority=2)
    streak = CallStreak()
    assert preferred_classes(policy, streak) == (True, False)
    streak = streak.after_call(True)
    assert preferred_classes(policy, streak) == (True, False)
    streak = streak.after_call(True)
    assert preferred_classes(policy, streak) == (False, True), "after 2 priority calls a normal one is due"
    streak = streak.after_call(False)
    assert preferred_classes(policy, streak) == (True, False)


def test_strict_without_cap_always_prefers_priority() -> None:
    policy = PriorityPolicy(PriorityMode.STRICT, max_consecutive_priority=0)
    streak = CallStreak()
    for _ in range(50):
        assert preferred_classes(policy, streak) == (True, False)
        streak = streak.after_call(True)


def test_interleaved_policy_one_priority_after_every_n_normal() -> None:
    policy = PriorityPolicy(PriorityMode.INTERLEAVED, interleave_every=3)
    streak = CallStreak()
    assert preferred_classes(policy, streak) == (True, False), (
        "the first priority citizen is not made to wait"
    )
    streak = streak.after_call(True)
    for _ in range(3):
        assert preferred_classes(policy, streak) == (False, True)
        streak = streak.after_call(False)
    assert preferred_classes(policy, streak) == (True, False)


def _simulate(policy: PriorityPolicy, priority_waiting: int, normal_waiting: int) -> list[bool]:
    """Calls made by one counter while both queues hold the given numbers of tickets."""
    streak, calls = CallStreak(), []
    while priority_waiting or normal_waiting:
        for wants_priority in preferred_classes(policy, streak):
            if wants_priority and priority_waiting:
                priority_waiting -= 1
                break
            if not wants_priority and normal_waiting:
                normal_waiting -= 1
                break
        else:
            raise AssertionError("a waiting ticket was not called")
        calls.append(wants_priority)
        streak = streak.after_call(wants_priority)
    return calls


@given(cap=st.integers(1, 5), priority=st.integers(0, 40), normal=st.integers(0, 40))
def test_strict_cap_never_starves_normal_tickets(cap: int, priority: int, normal: int) -> None:
    calls = _simulate(PriorityPolicy(PriorityMode.STRICT, max_consecutive_priority=cap), priority, normal)
    assert len(calls) == priority + normal
    run = 0
    normals_left = normal
    for is_priority in calls:
        run = run + 1 if is_priority else 0
        normals_left -= 0 if is_priority else 1
        assert run <= cap or normals_left == 0, (
            "more priority calls in a row than the cap while normals waited"
        )


@given(every=st.integers(1, 5), priority=st.integers(0, 30), normal=st.integers(0, 30))
def test_interleaved_serves_everyone_in_the_agreed_rhythm(every: int, priority: int, normal: int) -> None:
    calls = _simulate(PriorityPolicy(PriorityMode.INTERLEAVED, interleave_every=every), priority, normal)
    assert calls.count(True) == priority and calls.count(False) == normal
    positions = [i for i, p in enumerate(calls) if p]
    normals_before = [calls[:i].count(False) for i in positions]
    for earlier, later in itertools.pairwise(normals_before):
        # Between two priority calls there are `every` normal calls, unless the normal queue ran dry.
        assert later - earlier >= every or later == normal


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValidationError):
        PriorityPolicy(PriorityMode.INTERLEAVED, interleave_every=0)


def test_front_key_precedes_every_ticket_of_the_day_and_keeps_return_order() -> None:
    morning = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)
    evening = morning + timedelta(hours=10)
    assert front_queue_key(evening) < queue_key(morning)
    assert front_queue_key(morning) < front_queue_key(evening)


def test_estimate_uses_the_median_and_shares_by_counters() -> None:
    assert estimate_wait(4, [300, 300, 3600], 2, 600) == timedelta(seconds=600)
    assert estimate_wait(3, [], 0, 600) == timedelta(seconds=1800), (
        "no history: the area's default, one counter"
    )
    assert estimate_wait(0, [300], 1, 600) == timedelta(0)
