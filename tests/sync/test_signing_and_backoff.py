"""The request signature against an independent computation of api.md's recipe, and the back-off bounds."""

from __future__ import annotations

import hashlib
import hmac
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.sync.backoff import FIRST_DELAY, MAX_DELAY, parse_retry_after, retry_delay
from counter_app.sync.signing import signature, signed_headers


def test_signature_follows_the_contract_recipe() -> None:
    body = b'{"events": []}'
    expected = hmac.new(
        b"s3cret",
        b"POST\n/api/v1/events\n1795392000\n" + hashlib.sha256(body).hexdigest().encode(),
        hashlib.sha256,
    ).hexdigest()
    assert signature("s3cret", "post", "/api/v1/events", 1795392000, body) == expected
    # The empty body hashes the empty string.
    empty = hashlib.sha256(b"").hexdigest()
    assert (
        signature("k", "GET", "/api/v1/health", 1, b"")
        == hmac.new(b"k", f"GET\n/api/v1/health\n1\n{empty}".encode(), hashlib.sha256).hexdigest()
    )


def test_any_change_to_the_request_changes_the_signature() -> None:
    base = signature("k", "POST", "/api/v1/events", 100, b"{}")
    assert base != signature("k2", "POST", "/api/v1/events", 100, b"{}")
    assert base != signature("k", "PUT", "/api/v1/events", 100, b"{}")
    assert base != signature("k", "POST", "/api/v1/event", 100, b"{}")
    assert base != signature("k", "POST", "/api/v1/events", 101, b"{}")
    assert base != signature("k", "POST", "/api/v1/events", 100, b"{ }")


def test_headers_carry_centre_time_and_signature() -> None:
    headers = signed_headers("000.00.10.H49", "k", "GET", "/api/v1/catalog", b"", timestamp=42)
    assert headers == {
        "X-Centre": "000.00.10.H49",
        "X-Timestamp": "42",
        "X-Signature": signature("k", "GET", "/api/v1/catalog", 42, b""),
    }


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=2**32))
def test_delay_stays_within_the_doubling_bound_and_five_minutes(attempt: int, seed: int) -> None:
    delay = retry_delay(attempt, rng=random.Random(seed))
    assert FIRST_DELAY / 2 <= delay <= min(MAX_DELAY, FIRST_DELAY * 2 ** (attempt - 1))


def test_jitter_spreads_retries_and_retry_after_is_a_floor() -> None:
    rng = random.Random(1)
    delays = {round(retry_delay(8, rng=rng), 3) for _ in range(50)}
    assert len(delays) > 40
    assert all(retry_delay(1, retry_after=30, rng=rng) >= 30 for _ in range(20))
    with pytest.raises(ValueError):
        retry_delay(0)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (" 5 ", 5.0), (None, None), ("Wed, 21 Oct 2026", None), ("-3", None)],
)
def test_retry_after_header(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds
