"""The centre's day is the local (Asia/Ho_Chi_Minh) date; instants are UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from counter_app.domain.clock import (
    LOCAL_TZ,
    ManualClock,
    format_date,
    format_local_datetime,
    local_date,
    local_midnight_utc,
)


def test_local_day_changes_at_local_midnight_not_utc_midnight() -> None:
    assert local_date(datetime(2026, 12, 7, 16, 59, tzinfo=UTC)) == date(2026, 12, 7)  # 23:59 local
    assert local_date(datetime(2026, 12, 7, 17, 1, tzinfo=UTC)) == date(2026, 12, 8)  # 00:01 local
    assert local_date(datetime(2026, 12, 7, 23, 59, tzinfo=UTC)) == date(2026, 12, 8)  # 06:59 local
    assert local_date(datetime(2026, 12, 8, 0, 1, tzinfo=UTC)) == date(2026, 12, 8)  # 07:01 local


def test_local_midnight() -> None:
    assert local_midnight_utc(date(2026, 12, 8)) == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)


def test_formats_are_vietnamese_style() -> None:
    instant = datetime(2026, 12, 25, 1, 37, tzinfo=UTC)
    assert format_date(local_date(instant)) == "25/12/2026"
    assert format_local_datetime(instant) == "25/12/2026 08:37"


def test_manual_clock_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="naive"):
        ManualClock(datetime(2026, 1, 1, 8, 0))
    clock = ManualClock(datetime(2026, 1, 1, 8, 0, tzinfo=LOCAL_TZ))
    assert clock.now().tzinfo is UTC
    clock.advance(minutes=5)
    assert format_local_datetime(clock.now()) == "01/01/2026 08:05"
