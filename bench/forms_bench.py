"""Form rendering benchmark: PDF bytes of the one-stop forms (printing.forms), the officer's wait after Save.

Pure CPU, no database: the form values are those of tests/printing/samples.py (a building permit with a
proxy, three papers, a fee paid by VietQR). Timed with ``time.perf_counter_ns`` around ``render_form``:
the layout, both barcodes and QR codes, the TrueType subsets embedded, the PDF written to memory.

The first call of the process is reported on its own: it parses and registers the four DejaVu files
(what the first receipt of the morning pays). Then ``--calls`` calls per case, p50/p99/max.

A second table times what ``dossier print`` does around the layout, on a durable SQLite file and on a
throwaway PostgreSQL server (``--backend``): ``DossierForms.form`` (the dossier, its events, the register
number counted from the year's first receipts, the audit row of the print, one commit) with
``--dossiers`` already received in the year, then the same plus ``render_form``.

    .venv/bin/python bench/forms_bench.py              # 200 calls per case
    .venv/bin/python bench/forms_bench.py --calls 1000 --backend sqlite --dossiers 5000
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import sys
import time
from collections.abc import Callable

import reportlab
from common import (
    build_centre,
    cheap_password_hashing,
    local_instant,
    markdown_table,
    ms,
    percentile,
    rotated,
)
from queue_latency import BACKEND_NAMES, open_backend

from counter_app.domain.clock import ManualClock
from counter_app.domain.forms import FormKind, PaperSize
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from printing.forms import render_form, render_register
from tests.printing import samples
from tests.support.intake import AGENCY, AN, BUILD, PROCEDURES, request

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


def service_rows(backend: str, dossiers: int, calls: int) -> tuple[str, list[list[object]]]:
    """Fill (and audit) Mẫu 01 through the service, alone and with the layout, on a real database."""
    with open_backend(backend) as (db, version):
        clock = ManualClock(local_instant(7, 30))
        app = CounterApp(db, clock)
        admin = Actor.system("bench")
        centre = build_centre(app, areas=2, counters=2, services_of=rotated)
        app.settings.set(admin, "agency_code", AGENCY)
        app.settings.set(admin, "reception_schedule", "00:00-23:59")
        app.procedures.import_procedures(admin, PROCEDURES, source="bench")
        officer = next(iter(centre.officers.values()))
        codes = []
        for _ in range(dossiers):
            clock.advance(seconds=5)  # 5,000 dossiers stay within Monday
            codes.append(app.dossiers.receive(officer, request(BUILD, AN)).code)
        clock.advance(seconds=60)
        rng = random.Random(6)

        def fill() -> bytes:
            app.forms.form(officer, rng.choice(codes), FormKind.RECEIPT)
            return b""

        def fill_and_render() -> bytes:
            return render_form(app.forms.form(officer, rng.choice(codes), FormKind.RECEIPT))

        rows: list[list[object]] = []
        for name, make in (("form() fill + audit", fill), ("form() + render_form", fill_and_render)):
            durations, _size = timed(make, calls)
            rows.append(
                [
                    name,
                    calls,
                    ms(percentile(durations, 0.5)),
                    ms(percentile(durations, 0.99)),
                    ms(durations[-1]),
                ]
            )
        return f"{version}, {dossiers:,} dossiers received", rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--backend", choices=[*BACKEND_NAMES, "both", "none"], default="both")
    parser.add_argument("--dossiers", type=int, default=2000)
    args = parser.parse_args(argv)
    cheap_password_hashing()

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
    backends = {"both": ["sqlite", "postgresql"], "none": []}.get(args.backend, [args.backend])
    for backend in backends:
        title, service = service_rows(backend, args.dossiers, args.calls)
        print(f"\n{title}")
        print(
            markdown_table(
                ["Mẫu 01 through the service", "calls", "p50 (ms)", "p99 (ms)", "max (ms)"], service
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
