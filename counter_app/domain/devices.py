"""Device kinds and the plain values that cross from counter_app to devices/ and back.

devices/ may import these (they are domain types); counter_app never imports devices/.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import time

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _


class DeviceKind(enum.StrEnum):
    BOARD = "board"
    KEYPAD = "keypad"
    PRINTER = "printer"
    SCANNER = "scanner"


ADDRESSED_KINDS = frozenset({DeviceKind.BOARD, DeviceKind.KEYPAD})
PAPER_DOTS = (384, 576)  # 58 mm and 80 mm thermal paper at 203 dpi
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class DeviceSpec:
    """Where a device is and what it serves: enough for devices/ to drive it."""

    id: int
    kind: DeviceKind
    port: str
    address: int | None = None
    counter_label: str | None = None
    hall: bool = False
    baud: int = 9600
    paper_dots: int | None = None


@dataclass(frozen=True)
class DeviceHealth:
    """What a driver found out; the registry stores it for the administrator."""

    device_id: int
    online: bool | None
    last_error: str | None = None
    firmware: str | None = None
    faults: tuple[str, ...] = field(default_factory=tuple)


def validate_spec(
    kind: DeviceKind,
    port: str,
    *,
    address: int | None,
    counter_label: str | None,
    hall: bool,
    baud: int,
    paper_dots: int | None = None,
) -> None:
    if not port.strip():
        raise ValidationError(_("Give the device's port (e.g. COM3, /dev/ttyUSB0, socket://10.0.0.5:4001)."))
    if kind in ADDRESSED_KINDS and (address is None or not 1 <= address <= 0x7E):
        raise ValidationError(_("Boards and keypads need an address from 1 to 126 (--address)."))
    if kind not in ADDRESSED_KINDS and address is not None:
        raise ValidationError(_("Only boards and keypads have an address."))
    if baud not in BAUD_RATES:
        raise ValidationError(_("The baud rate {baud} is not supported.").format(baud=baud))
    if kind is DeviceKind.BOARD and not (hall or counter_label):
        raise ValidationError(_("A board hangs over a counter (--counter) or in the hall (--hall)."))
    if kind is DeviceKind.KEYPAD and not counter_label:
        raise ValidationError(_("A rating keypad belongs to a counter (--counter)."))
    if paper_dots is not None and (kind is not DeviceKind.PRINTER or paper_dots not in PAPER_DOTS):
        raise ValidationError(_("Only printers have a paper width: 384 (58 mm) or 576 (80 mm) dots."))
    if hall and counter_label:
        raise ValidationError(_("A device is either at a counter or in the hall, not both."))


_SCHEDULE_ITEM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*=\s*(\d{1,2})\s*$")


def parse_brightness_schedule(text: str) -> list[tuple[time, int]]:
    """``"06:00=15, 18:00=10, 22:00=4"`` → sorted (start, level) pairs; levels 0..15."""
    schedule = []
    for item in text.split(","):
        match = _SCHEDULE_ITEM.match(item)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59 or int(match.group(3)) > 15:
            raise ValidationError(
                _("The brightness schedule '{text}' is invalid: write e.g. 06:00=15, 18:00=10.").format(
                    text=text
                )
            )
        schedule.append((time(int(match.group(1)), int(match.group(2))), int(match.group(3))))
    return sorted(schedule)


def brightness_at(schedule: list[tuple[time, int]], now: time) -> int:
    """The level in force at local time ``now`` (before the first entry, the last one of the day)."""
    level = schedule[-1][1]
    for start, value in schedule:
        if start <= now:
            level = value
    return level
