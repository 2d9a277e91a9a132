"""Named simulators, so that ``sim://hall?kind=board&addresses=1,2`` opened twice is the same device.

Tests and the demo look simulators up by name to inspect them or flip their fault switches.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

from devices.simulators.base import SimulatedDevice

Factory = Callable[[Mapping[str, str]], SimulatedDevice]

_lock = threading.Lock()
_devices: dict[str, SimulatedDevice] = {}
_factories: dict[str, Factory] = {}


def register_kind(kind: str, factory: Factory) -> None:
    _factories[kind] = factory


def device_for(name: str, params: Mapping[str, str]) -> SimulatedDevice:
    """The simulator called ``name``, created from ``params`` (``kind=…``) on first use."""
    with _lock:
        device = _devices.get(name)
        if device is None:
            kind = params.get("kind", "")
            _load_kind(kind)
            if kind not in _factories:
                raise ValueError(f"unknown simulated device kind {kind!r} (one of {sorted(_factories)})")
            device = _factories[kind](params)
            _devices[name] = device
        return device


def get(name: str) -> Any:
    """The simulator called ``name`` (for tests and the demo: typed by the caller)."""
    with _lock:
        return _devices[name]


def reset() -> None:
    """Forget every simulator (tests start from nothing)."""
    with _lock:
        _devices.clear()


def _load_kind(kind: str) -> None:
    """A kind's module (``devices.simulators.<kind>``) registers itself when imported."""
    if kind.isidentifier() and kind not in _factories:
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"devices.simulators.{kind}")
