"""The counter window's search as the officer sees it: from Enter to a filled results table.

``bench/dossier_search.py`` times ``DossierQueries.search`` alone. The officer does not call the
service: the window's ``SearchPanel`` hands the call to a ``ServiceRunner`` worker thread, the answer
comes back to the GUI thread as a queued signal, and the panel fills a ``QTableWidget`` (up to 50
rows, two columns resized to their contents, the first row selected) before it emits ``answered``.
This script measures that whole path, offscreen (``QT_QPA_PLATFORM=offscreen``), on the same cached
million-dossier databases and the same kinds of typed texts as ``dossier_search.py`` (whose store
builders it reuses: a database filled there is reused here and the other way round).

For each text the box is filled with its signals blocked (so the 150 ms typing-pause timer never
starts: that pause is a deliberate wait, reported as a constant, and Enter skips it), then
``panel.search_now()`` is called and the clock stops in a slot on ``answered``, i.e. after the table
was filled. A forced ``repaint()`` of the shown panel (1100 × 600) is timed on its own afterwards.
The service call alone is also timed on the same text in the same run, just before or just after the
window's search (a coin flip per text, so neither side always finds the pages the other one just
read). The runner is the window's own with timestamps added (``TimedRunner``), so each answer splits
into the service call on the worker, the two thread hops and the table fill: end to end minus the
service on the worker is what the window adds. ``--queries`` timed texts per kind
after 30 warm-up ones, the kinds interleaved in a random order with a fixed seed.

    .venv/bin/python bench/counter_search.py                      # both backends, 1,000,000 dossiers
    .venv/bin/python bench/counter_search.py --rows 100000 --queries 50 --backend sqlite
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import PySide6
from common import CpuAccount, cheap_password_hashing, markdown_table, ms, percentile
from dossier_search import (
    KINDS,
    NOW,
    TARGET_MS,
    WARM_UP,
    Store,
    officer,
    postgres_store,
    query_texts,
    sqlite_store,
    verify,
)
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QApplication

from counter_app.domain.clock import ManualClock
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from ui.common.runner import Failed, ServiceRunner
from ui.counter.search_panel import TYPING_PAUSE_MS, SearchPanel
from ui.fonts import use_product_font

ANSWER_TIMEOUT_MS = 30_000  # a search that has not answered by then is a failure, not a slow sample
PANEL_SIZE = (1100, 600)
T = TypeVar("T")


@dataclass
class Series:
    end_to_end: list[int] = field(default_factory=list)  # ns, search_now() → answered (table filled)
    service: list[int] = field(default_factory=list)  # ns, app.dossier_queries.search alone
    paint: list[int] = field(default_factory=list)  # ns, a forced repaint of the filled panel
    rows: list[int] = field(default_factory=list)
    in_worker: list[int] = field(default_factory=list)  # ns, the service call on the worker thread
    hops: list[int] = field(default_factory=list)  # ns, GUI → worker start + worker end → GUI slot
    fill: list[int] = field(default_factory=list)  # ns, the panel's answer slot (table filled)


class TimedRunner(ServiceRunner):
    """The window's runner, noting when the worker starts and ends and when the answer is handled.

    Only the timestamps are added: the call, the thread pool and the queued delivery are the
    runner's own, so the split (thread hops, service on the worker, table fill) adds up to what the
    officer waits for.
    """

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, int] = {}

    def run(self, call: Callable[[], T], done: Callable[[T], None], failed: Failed | None = None) -> None:
        marks: dict[str, int] = {"asked": time.perf_counter_ns()}
        self.marks = marks

        def timed_call() -> T:
            marks["worker_start"] = time.perf_counter_ns()
            try:
                return call()
            finally:
                marks["worker_end"] = time.perf_counter_ns()

        def timed_done(result: T) -> None:
            marks["done_start"] = time.perf_counter_ns()
            done(result)
            marks["done_end"] = time.perf_counter_ns()

        super().run(timed_call, timed_done, failed)

    def split(self) -> tuple[int, int, int]:
        """(service on the worker, both thread hops, answer slot) of the last call, in ns."""
        m = self.marks
        hops = (m["worker_start"] - m["asked"]) + (m["done_start"] - m["worker_end"])
        return m["worker_end"] - m["worker_start"], hops, m["done_end"] - m["done_start"]


class Window:
    """A search panel as the counter window builds it, and a way to wait for its answer."""

    def __init__(self, app: CounterApp, actor: Actor) -> None:
        self.runner = TimedRunner()
        self.panel = SearchPanel(app, self.runner)
        self.panel.set_actor(actor)
        self.panel.resize(*PANEL_SIZE)
        self.panel.show()
        self._loop = QEventLoop()
        self._guard = QTimer()
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(self._loop.quit)
        self._answered_at = 0
        self._rows = -1
        self.panel.answered.connect(self._on_answered)

    def _on_answered(self, rows: int) -> None:
        self._answered_at = time.perf_counter_ns()
        self._rows = rows
        self._loop.quit()

    def search(self, text: str) -> tuple[int, int]:
        """(nanoseconds from ``search_now()`` to ``answered``, rows shown) for ``text``."""
        box = self.panel.box
        box.blockSignals(True)  # no textChanged: the typing-pause timer stays idle
        box.setText(text)
        box.blockSignals(False)
        self._rows = -1
        start = time.perf_counter_ns()
        self.panel.search_now()
        if self._rows < 0:  # the answer is queued to this thread: it cannot have come yet
            self._guard.start(ANSWER_TIMEOUT_MS)
            self._loop.exec()
            self._guard.stop()
        if self._rows < 0:
            raise RuntimeError(f"no answer within {ANSWER_TIMEOUT_MS} ms: {self.panel.note.text()}")
        if self.panel.results.rowCount() != self._rows:
            raise RuntimeError("the table does not show the rows the panel announced")
        return self._answered_at - start, self._rows

    def paint(self) -> int:
        start = time.perf_counter_ns()
        self.panel.repaint()
        return time.perf_counter_ns() - start

    def settle(self) -> None:
        """Deliver whatever the last search posted (deferred deletes, updates), outside the timing."""
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def close(self) -> None:
        self.runner.wait()
        self.panel.close()
        self.panel.deleteLater()
        self.settle()


def measure(
    store: Store, queries: int, seed: int
) -> tuple[dict[str, Series], dict[str, list[str]], CpuAccount]:
    app = CounterApp(store.db, ManualClock(NOW))
    actor = officer(store.db)
    texts = query_texts(store.db, WARM_UP + queries, seed)
    warm = [(key, text) for key, values in texts.items() for text in values[:WARM_UP]]
    timed = [(key, text) for key, values in texts.items() for text in values[WARM_UP:]]
    rng = random.Random(seed + 3)
    rng.shuffle(warm)
    rng.shuffle(timed)
    window = Window(app, actor)
    try:
        for _key, text in warm:
            app.dossier_queries.search(actor, text)
            window.search(text)
            window.paint()
            window.settle()
        series = {key: Series() for key, _label in KINDS}
        order = random.Random(seed + 4)
        gc.collect()
        cpu = CpuAccount()
        for key, text in timed:
            service_first = order.random() < 0.5
            if service_first:
                service_ns, found = _service(app, actor, text)
            elapsed, rows = window.search(text)
            painted = window.paint()
            window.settle()
            if not service_first:
                service_ns, found = _service(app, actor, text)
            if found != rows:
                raise RuntimeError(f"{key}: the window showed {rows} rows, the service found {found}")
            values = series[key]
            values.end_to_end.append(elapsed)
            values.service.append(service_ns)
            values.paint.append(painted)
            values.rows.append(rows)
            in_worker, hops, fill = window.runner.split()
            values.in_worker.append(in_worker)
            values.hops.append(hops)
            values.fill.append(fill)
        return series, texts, cpu.stop()
    finally:
        window.close()


def _service(app: CounterApp, actor: Actor, text: str) -> tuple[int, int]:
    start = time.perf_counter_ns()
    found = app.dossier_queries.search(actor, text)
    return time.perf_counter_ns() - start, len(found)


def _pair(values: list[int]) -> str:
    ordered = sorted(values)
    return f"{ms(percentile(ordered, 0.5))} / {ms(percentile(ordered, 0.99))}"


def report_store(
    store: Store, series: dict[str, Series], texts: dict[str, list[str]], cpu: CpuAccount, rows: int
) -> str:
    header = ["Backend", "query", "example typed", "n", "rows/answer",
              "p50 ms", "p90 ms", "p99 ms", "max ms", f"p99 < {TARGET_MS:.0f} ms",
              "service alone p50 / p99", "in the service", "window adds p50 / p99",
              "of which thread hops", "of which table fill", "repaint p50 / p99"]  # fmt: skip
    table: list[list[object]] = []
    for key, label in KINDS:
        values = series[key]
        total = sorted(values.end_to_end)
        added = [e2e - inside for e2e, inside in zip(values.end_to_end, values.in_worker, strict=True)]
        p99 = percentile(total, 0.99)
        table.append([
            store.backend, label, f"`{texts[key][WARM_UP]}`", len(total),
            f"{sum(values.rows) / len(values.rows):.1f}",
            ms(percentile(total, 0.5)), ms(percentile(total, 0.9)), ms(p99), ms(total[-1]),
            "yes" if p99 / 1e6 < TARGET_MS else "**no**",
            _pair(values.service), f"{sum(values.in_worker) / sum(total):.0%}", _pair(added),
            _pair(values.hops), _pair(values.fill), _pair(values.paint),
        ])  # fmt: skip
    marker = store.marker.read()
    fill = "filled in this run" if store.filled_now else "cached from an earlier run"
    return "\n".join([
        markdown_table(header, table),
        "",
        f"- {store.version}: {rows:,} dossiers, database {store.size_bytes / 2**20:,.0f} MiB, {fill} "
        f"(fill + ANALYZE took {marker['fill_seconds']:.0f} s). {cpu.describe()}.",
        f"- Qt {qVersion()} (PySide6 {PySide6.__version__}), platform "
        f"{QApplication.platformName()}, panel {PANEL_SIZE[0]} × {PANEL_SIZE[1]} in DejaVu Sans 11 pt; "
        f"the typing pause ({TYPING_PAUSE_MS} ms, skipped by Enter) is not included.",
    ])  # fmt: skip


def _quiet_offscreen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """The offscreen plugin warns on every shown window that it cannot propagate size hints."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def run(backend: str, args: argparse.Namespace) -> str:
    folder = Path(args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    opener = sqlite_store if backend == "sqlite" else postgres_store
    with opener(folder, args.rows, args.seed, args.refill, []) as store:
        verify(store)
        print(f"[{backend}] searching {args.queries} × {len(KINDS)} kinds…", file=sys.stderr, flush=True)
        series, texts, cpu = measure(store, args.queries, args.seed)
        return report_store(store, series, texts, cpu, args.rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="dossiers in the database (default 1000000)"
    )
    parser.add_argument("--queries", type=int, default=500, help="timed searches per kind (default 500)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--data-dir", default="/tmp/bench-data", help="where filled databases are kept")
    parser.add_argument("--refill", action="store_true", help="fill again even if a cached database fits")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.rows < 10_000:
        parser.error("--rows must be at least 10000 (the texts are sampled from the filled rows)")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # read when the QApplication is built, just below
    qInstallMessageHandler(_quiet_offscreen)
    qt = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qt, QApplication)
    use_product_font(qt)
    cheap_password_hashing()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    parts = []
    for backend in backends:
        parts.append(run(backend, args))
        print(f"[{backend}] done", file=sys.stderr, flush=True)
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
