"""How long to wait before sending the same batch again (api.md: 1 s doubling up to 5 min, with jitter).

Full jitter (a uniform draw up to the exponential bound) spreads the retries of many centres coming back
after an outage; a server's ``Retry-After`` is a floor, never shortened by the jitter.
"""

from __future__ import annotations

import random

FIRST_DELAY = 1.0
MAX_DELAY = 300.0


def retry_delay(attempt: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempt``-th failure in a row (1 for the first)."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    bound = min(MAX_DELAY, FIRST_DELAY * 2 ** min(attempt - 1, 30))
    delay = (rng or random).uniform(FIRST_DELAY / 2, bound)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, MAX_DELAY * 4))
    return delay


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (the HTTP-date form is not used by the contract's servers: ignored)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
