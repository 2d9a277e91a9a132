"""Key times for a window's scan detector, so a test says whose hands are on the keyboard."""

from __future__ import annotations


class KeyRhythm:
    """A clock in ms that moves ``step`` per key press: 5–8 ms is a USB scanner, 120+ ms a person."""

    def __init__(self, step: float) -> None:
        self.step, self.now = step, 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now
