"""Printing results: human sentences in the current language, or JSON for scripts."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from counter_app.domain.clock import format_date, format_local_datetime
from counter_app.domain.jsonable import to_jsonable


class Output:
    def __init__(self, json_mode: bool, stream: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self.stream = stream or sys.stdout

    def emit(self, data: Any, *lines: str) -> None:
        """Print ``lines`` for people, or ``data`` as JSON with ``--json``."""
        if self.json_mode:
            print(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2), file=self.stream)
        else:
            for line in lines:
                print(line, file=self.stream)

    def table(self, data: Any, headers: list[str], rows: list[list[str]]) -> None:
        if self.json_mode:
            self.emit(data)
            return
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
        print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(), file=self.stream)
        print("  ".join("-" * w for w in widths), file=self.stream)
        for row in rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=self.stream)


def minutes(delta: timedelta) -> int:
    """Whole minutes, rounded up: "about 1 minute" is more honest than "0 minutes"."""
    seconds = int(delta.total_seconds())
    return (seconds + 59) // 60


def when(instant: datetime | None) -> str:
    return format_local_datetime(instant) if instant else "—"


def day(value: date) -> str:
    return format_date(value)
