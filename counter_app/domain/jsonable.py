"""One conversion of plain values to JSON: audit snapshots, event payloads, and ``--json`` output."""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime, timedelta, tzinfo
from typing import Any


def to_jsonable(value: Any, tz: tzinfo | None = None) -> Any:
    """Dataclasses to dicts, instants and dates as ISO 8601, durations as whole seconds, enums as values.

    ``tz`` writes instants with that zone's offset (the sync contract wants local time with +07:00).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name), tz) for f in dataclasses.fields(value)}
    if isinstance(value, datetime) and tz is not None and value.tzinfo is not None:
        return value.astimezone(tz).isoformat()
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, tz) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v, tz) for v in value]
    return value
