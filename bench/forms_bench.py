"""Form rendering benchmark: PDF bytes of the one-stop forms (printing.forms), the officer's wait after Save.

Pure CPU, no database: the form values are those of tests/printing/samples.py (a building permit with a
proxy, three papers, a fee paid by VietQR). Timed with ``time.perf_counter_ns`` around ``render_form``:
the layout, both barcodes and QR codes, the TrueType subsets embedded, the PDF written to memory.

The first call of the process is reported on its own: it parses and registers the four DejaVu files
(what the first receipt of the morning pays). Then ``--calls`` calls per case, p50/p99/max.

    .venv/bin/python bench/forms_bench.py              # 200 calls per case
    .venv/bin/python bench/forms_bench.py --calls 1000
"""

from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
from collections.abc import Callable

import reportlab
from common import markdown_table, ms, percentile

from counter_app.domain.forms import PaperSize
from printing.forms import render_form, render_register
from tests.printing import samples

TARGET_P50_MS = 50.0


def timed(make: Callable[[], bytes], calls: int) -> tuple[list[float], int]:
    durations: list[float] = []
    size = 0
    gc.collect()
    for _ in range(calls):
        start = time.perf_counter_ns()
        size = len(make())
        durations.append(time.perf_counter_ns() - start)
    durations.sort()
    return durations, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)

    start = time.perf_counter_ns()
    render_form(samples.receipt())
    first = time.perf_counter_ns() - start

    cases: list[tuple[str, Callable[[], bytes], int]] = [
        ("Mẫu 01, A4, 1 copy", lambda: render_form(samples.receipt()), args.calls),
        ("Mẫu 01, A4, reprint", lambda: render_form(samples.receipt(samples.RECEIVED)), args.calls),
        (
            "Mẫu 01, A5, 2 copies",
            lambda: render_form(samples.receipt(), paper=PaperSize.A5, copies=2),
            args.calls,
        ),
        ("Mẫu 02", lambda: render_form(samples.supplement()), args.calls),
        ("Mẫu 04", lambda: render_form(samples.apology()), args.calls),
        ("Mẫu 06", lambda: render_form(samples.control_sheet()), args.calls),
        ("Mẫu 07, 100 rows", lambda: render_register(samples.register(100)), max(5, args.calls // 20)),
        ("Mẫu 07, 1,000 rows", lambda: render_register(samples.register(1000)), max(3, args.calls // 100)),
    ]
    rows: list[list[object]] = []
    receipt_p50 = 0.0
    for name, make, calls in cases:
        durations, size = timed(make, calls)
        p50 = percentile(durations, 0.5)
        if name == "Mẫu 01, A4, 1 copy":
            receipt_p50 = p50
        rows.append([name, calls, ms(p50), ms(percentile(durations, 0.99)), ms(durations[-1]), f"{size:,}"])

    print(f"Python {platform.python_version()}, reportlab {reportlab.Version}, {platform.machine()}")
    print(f"First Mẫu 01 of the process (fonts parsed and registered): {ms(first)} ms")
    print(markdown_table(["form", "calls", "p50 (ms)", "p99 (ms)", "max (ms)", "bytes"], rows))
    verdict = "met" if receipt_p50 / 1e6 < TARGET_P50_MS else "NOT met"
    print(f"Target: Mẫu 01 p50 under {TARGET_P50_MS:.0f} ms after the first: {verdict}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
