"""Device tests: fresh simulators for each test, and a clock that only moves when told."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from devices.simulators import registry


@dataclass
class FakeClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def fresh_simulators() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()
