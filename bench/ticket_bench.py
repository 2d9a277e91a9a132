"""Kiosk ticket benchmark: how long building the ESC/POS bytes of one ticket takes (printing.ticket).

Pure CPU, no printer: the layout, the Vietnamese text rendered by FreeType (Pillow), thresholding to
1 bit, packing into ``GS v 0`` blocks. This is what the kiosk pays between the citizen's touch and the
first byte to the printer (sending takes longer on a serial line: the table shows the size too).

For each paper width (384 and 576 dots): the first call with the font caches emptied (what the first
ticket of the morning pays, fonts loaded from the package), then ``--calls`` calls with a different
number and wait each time, reported as p50/p99/max.

    .venv/bin/python bench/ticket_bench.py               # 500 calls per width
    .venv/bin/python bench/ticket_bench.py --calls 2000
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import PIL
from common import markdown_table, percentile

from counter_app.domain.ticket_slip import TicketSlip, lookup_reference
from printing import raster
from printing.ticket import kiosk_ticket_bytes

ISSUED = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)


def slip(index: int) -> TicketSlip:
    number = f"A{index % 999 + 1:03d}"
    return TicketSlip(
        centre_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
        service_name="Hộ tịch – Chứng thực",
        number=number,
        priority=index % 7 == 0,
        issued_at=ISSUED + timedelta(seconds=index),
        people_ahead=index % 40,
        estimated_wait=timedelta(minutes=index % 40 * 4),
        lookup_reference=lookup_reference(ISSUED.date(), number),
        reprinted_at=ISSUED + timedelta(hours=1) if index % 50 == 0 else None,
    )


def ms(nanoseconds: float) -> str:
    return f"{nanoseconds / 1e6:.2f}"


def measure(dots: int, calls: int) -> list[object]:
    raster.load_font.cache_clear()
    raster._line_box.cache_clear()
    gc.collect()
    start = time.perf_counter_ns()
    first = kiosk_ticket_bytes(slip(0), dots)
    first_ns = time.perf_counter_ns() - start
    timings: list[float] = []
    sizes: list[int] = []
    for index in range(1, calls + 1):
        value = slip(index)
        start = time.perf_counter_ns()
        data = kiosk_ticket_bytes(value, dots)
        timings.append(time.perf_counter_ns() - start)
        sizes.append(len(data))
    timings.sort()
    seconds_at_9600 = statistics.median(sizes) * 10 / 9600
    return [
        dots,
        ms(first_ns),
        ms(percentile(timings, 0.50)),
        ms(percentile(timings, 0.99)),
        ms(timings[-1]),
        f"{len(first):,}",
        f"{statistics.median(sizes):,.0f}",
        f"{seconds_at_9600:.0f}",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=500, help="timed calls per paper width")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, Pillow {PIL.__version__}, {platform.machine()}, "
        f"{args.calls} calls per width",
        file=sys.stderr,
    )
    rows = [measure(dots, args.calls) for dots in raster.PRINTER_DOTS]
    print(
        markdown_table(
            [
                "dots",
                "first call (ms)",
                "p50 (ms)",
                "p99 (ms)",
                "max (ms)",
                "bytes (first)",
                "bytes (p50)",
                "s at 9600 baud",
            ],
            rows,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
