"""The waiting-area TV: the latest call in very large type, the calls before it, the counters and the queues.

Read from ten metres away by people who are waiting for one number: dark background, few words,
the number ~220 px tall. The window only renders; what it shows comes from two sources that
``counter_app.services.queue_state`` keeps consistent:

* a *snapshot* (waiting counts, counters, recent calls), read off the GUI thread at start-up and
  again ~200 ms after any queue event (debounced), so counts can never drift;
* the *call events* themselves, which make the big panel flash and the announcer speak at once,
  each event once, in the order they come (subscribe first, snapshot second: an event the
  first snapshot already contains — id ≤ ``last_event_id`` — is not announced again).

A screen that cannot vouch for its numbers must not show them: a citizen who sees a stale
"A023 → Quầy 03" walks to the wrong counter. When the PostgreSQL listener is down or a snapshot
read fails, every number is hidden behind "Connection lost — reconnecting…" until a fresh
snapshot arrives (retried every few seconds; a new listener ``generation`` means events were
missed, so the snapshot is read again and becomes the new baseline).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from counter_app.domain.queue import QueueEventKind
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.centre_settings import CentreConfig
from counter_app.services.events import QueueEventMessage
from counter_app.services.views import CounterStatus, QueueSnapshot, WaitingCount
from ui.common.events import QueueEvents
from ui.common.runner import ServiceRunner
from ui.display import texts
from ui.display.marquee import Marquee

if TYPE_CHECKING:
    from counter_app.services.pg_events import PostgresEventBridge
    from ui.display.announcer import Announcer

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1920, 1080
REFRESH_DEBOUNCE_MS = 200
WATCH_MS = 1000
RETRY_SECONDS = 3
FLASH_MS = 250
FLASH_TOGGLES = 8  # four flashes
MAX_RECENT = 12  # the setting's maximum; the snapshot is read with this many, shown with the setting's
_CALLS = (QueueEventKind.CALLED, QueueEventKind.RECALLED)

_STYLE = """
DisplayWindow { background: #05080f; }
QLabel { color: #f2f4f8; }
QLabel#centre { font-size: 38px; font-weight: bold; }
QLabel#date { font-size: 34px; color: #c9d2e3; }
QLabel#clock { font-size: 72px; font-weight: bold; }
QLabel#banner { font-size: 76px; font-weight: bold; color: #ffffff; background: #b00020;
                border-radius: 18px; padding: 40px; }
QFrame#latest { background: #0f1a33; border: 4px solid #2b3d66; border-radius: 24px; }
QFrame#latest[flash="true"] { background: #ffd400; border-color: #ffffff; }
QLabel#caption { font-size: 46px; color: #c9d2e3; }
QFrame#latest[flash="true"] QLabel#caption { color: #05080f; }
QLabel#latestNumber { font-size: 200px; font-weight: bold; color: #ffd400; }
QFrame#latest[flash="true"] QLabel#latestNumber { color: #05080f; }
QLabel#latestCounter { font-size: 100px; font-weight: bold; color: #ffffff; }
QFrame#latest[flash="true"] QLabel#latestCounter { color: #05080f; }
QFrame#panel { background: #0b1324; border: 2px solid #1f2c4a; border-radius: 18px; }
QLabel#heading { font-size: 38px; color: #8fb4ff; font-weight: bold; }
QLabel#recent { font-weight: bold; }
QLabel#recent[first="true"] { color: #ffd400; }
QLabel#tileName { font-size: 42px; color: #c9d2e3; }
QLabel#tileValue { font-size: 58px; font-weight: bold; }
QLabel#tileValue[idle="true"] { color: #6f7d99; }
"""


@dataclass(frozen=True)
class _Reading:
    """One off-thread read: the queue and the settings that say how to show it."""

    snapshot: QueueSnapshot
    config: CentreConfig


def _label(name: str, text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    # A long centre name or service area is cut at the panel's edge; it never widens the window past the TV.
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def _repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed (Qt does not do it by itself)."""
    for each in (widget, *widget.findChildren(QWidget)):
        each.style().unpolish(each)
        each.style().polish(each)
    widget.update()


def _tile_panel(row: QHBoxLayout, heading: str, *, spacing: int, stretch: int) -> QGridLayout:
    """A framed panel with its heading over a grid of tiles (name, value), added to ``row``."""
    panel = QFrame()
    panel.setObjectName("panel")
    column = QVBoxLayout(panel)
    column.setContentsMargins(28, 12, 28, 12)
    column.addWidget(_label("heading", heading))
    grid = QGridLayout()
    grid.setHorizontalSpacing(spacing)
    column.addLayout(grid)
    column.addStretch(1)
    row.addWidget(panel, stretch)
    return grid


class DisplayWindow(QWidget):
    """The hall's screen for one centre. ``start()`` subscribes and reads; ``close()`` lets go."""

    def __init__(
        self,
        app: CounterApp,
        actor: Actor,
        *,
        centre_name: str,
        announcer: Announcer | None = None,
        bridge: PostgresEventBridge | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._app, self._actor = app, actor
        self._centre_name = centre_name
        self._announcer = announcer
        self._bridge = bridge
        self._runner = ServiceRunner(self, max_threads=1)
        self._events: QueueEvents | None = None
        # What the window knows, and whether it may show it.
        self._config = CentreConfig()
        self._snapshot: QueueSnapshot | None = None
        self._latest: tuple[str, str] | None = None
        self._recent: list[tuple[str, str]] = []
        self._snapshot_ok: bool | None = None  # None: nothing read yet
        self._bridge_ok = True
        self._generation = 0
        # Event bookkeeping: events wait for the baseline snapshot, then each is taken once.
        self._baseline: int | None = None
        self._buffered: list[QueueEventMessage] = []
        self._seen: set[int] = set()
        self._reading = False
        self._read_again = False
        self._seconds_since_retry = 0
        self._flash_left = 0
        self.flash_on = False  # the big panel is lit (one of the flashes)
        self._build()
        self._debounce = QTimer(self, singleShot=True, interval=REFRESH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._read)
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.tick)
        self._flash_timer = QTimer(self, interval=FLASH_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self.setWindowTitle(centre_name)
        self.resize(WIDTH, HEIGHT)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setObjectName("DisplayWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 24, 40, 16)
        root.setSpacing(20)

        header = QHBoxLayout()
        self.centre_label = _label("centre", self._centre_name)
        self.date_label = _label("date", "", Qt.AlignmentFlag.AlignRight)
        self.clock_label = _label("clock", "", Qt.AlignmentFlag.AlignRight)
        for fitted in (self.date_label, self.clock_label):
            fitted.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        header.addWidget(self.centre_label, 1)
        header.addWidget(self.date_label)
        header.addSpacing(36)
        header.addWidget(self.clock_label)
        root.addLayout(header)

        self.banner = _label("banner", _("Connection lost — reconnecting…"), Qt.AlignmentFlag.AlignHCenter)
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.banner.hide()
        root.addWidget(self.banner, 1)

        self.numbers = QWidget()
        body = QVBoxLayout(self.numbers)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(20)
        body.addLayout(self._build_calls(), 3)
        body.addLayout(self._build_tiles(), 2)
        root.addWidget(self.numbers, 1)

        self.notice = Marquee(46, "#ffe680")
        root.addWidget(self.notice)

    def _build_calls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(20)
        self.latest_panel = QFrame()
        self.latest_panel.setObjectName("latest")
        self.latest_panel.setProperty("flash", False)
        latest = QVBoxLayout(self.latest_panel)
        latest.setContentsMargins(30, 16, 30, 16)
        latest.setSpacing(0)
        centred = Qt.AlignmentFlag.AlignHCenter
        latest.addWidget(_label("caption", _("Now calling"), centred))
        self.latest_number = _label("latestNumber", "", centred)
        self.latest_counter = _label("latestCounter", "", centred)
        latest.addWidget(self.latest_number, 1)
        latest.addWidget(self.latest_counter)
        row.addWidget(self.latest_panel, 3)

        recent_panel = QFrame()
        recent_panel.setObjectName("panel")
        recent = QVBoxLayout(recent_panel)
        recent.setContentsMargins(28, 16, 28, 16)
        recent.addWidget(_label("heading", _("Recent calls")))
        self.recent_labels: list[QLabel] = []
        for _index in range(MAX_RECENT):
            label = _label("recent")
            recent.addWidget(label)
            self.recent_labels.append(label)
        recent.addStretch(1)
        row.addWidget(recent_panel, 2)
        return row

    def _build_tiles(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(20)
        self._counter_grid = _tile_panel(row, _("Counters"), spacing=40, stretch=3)
        self._waiting_grid = _tile_panel(row, _("Citizens waiting"), spacing=30, stretch=2)
        self.counter_tiles: dict[str, QLabel] = {}
        self._idle: dict[str, bool] = {}
        self.waiting_tiles: dict[str, QLabel] = {}
        return row

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Subscribe first, read the snapshot second (queue_state's rule), and start the clock."""
        self._events = QueueEvents(self._app.bus, self)
        self._events.received.connect(self._on_event)
        if self._bridge is not None:
            self._generation = self._bridge.generation
            self._bridge_ok = self._bridge.connected.is_set()
        self._read()
        self.tick()
        self._watch.start()

    def refresh(self) -> None:
        """Read the queue's state now (a reconnecting bridge and the screenshots ask for it)."""
        self._read()

    def wait(self) -> None:
        """Until the state is read and shown: a pending re-read is done now (the demo's drawing, tests)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._read()
        self._runner.wait()

    def close(self) -> bool:
        """Stop listening and timers; the announcer belongs to the caller and is left alone."""
        if self._events is not None:
            self._events.close()
            self._events = None
        self._watch.stop()
        self._debounce.stop()
        self._flash_timer.stop()
        self.notice.stop()
        self._runner.wait()
        return super().close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._events is not None:
            self.close()
        super().closeEvent(event)

    @property
    def online(self) -> bool:
        """The window is showing numbers it can vouch for."""
        return bool(self._snapshot_ok) and self._bridge_ok

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    # -- the clock and the connection watch --------------------------------------------------

    def tick(self) -> None:
        """Once a second: the clock, the listener's health, and a retry while the data is unsure."""
        now = self._app.ctx.clock.now()
        self.date_label.setText(texts.date_line(now))
        self.clock_label.setText(texts.time_line(now))
        if self._bridge is not None:
            connected = self._bridge.connected.is_set()
            if not connected and self._bridge_ok:
                log.warning("the queue event listener is disconnected")
                self._snapshot_ok = False  # events are being missed: the last snapshot is stale
            self._bridge_ok = connected
            if connected and self._bridge.generation != self._generation:
                # A (re)connection: what happened meanwhile is only in a fresh snapshot.
                self._generation = self._bridge.generation
                self._baseline = None
                self._read()
        if not self.online:
            self._seconds_since_retry += 1
            if self._seconds_since_retry >= RETRY_SECONDS:
                self._seconds_since_retry = 0
                self._read()
        self._render()

    # -- snapshot ------------------------------------------------------------------------------

    def _read(self) -> None:
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        app, actor = self._app, self._actor
        self._runner.run(
            lambda: _Reading(app.state.snapshot(actor, recent=MAX_RECENT), app.settings.get()),
            self._on_reading,
            self._on_read_failed,
        )

    def _on_reading(self, reading: _Reading) -> None:
        self._reading = False
        self._snapshot, self._config = reading.snapshot, reading.config
        self._recent = [(c.number, c.counter_label) for c in reading.snapshot.recent_calls]
        self._latest = self._recent[0] if self._recent else None
        self._snapshot_ok = True
        self._seconds_since_retry = 0
        if self._baseline is None:
            self._baseline = reading.snapshot.last_event_id
            buffered, self._buffered = sorted(self._buffered, key=lambda m: m.id), []
            for message in buffered:
                self._take(message)
        self._render()
        if self._read_again:
            self._read_again = False
            self._read()

    def _on_read_failed(self, exc: Exception) -> None:
        log.warning("the display could not read the queue: %s", type(exc).__name__)
        self._reading = False
        self._read_again = False
        self._snapshot_ok = False
        self._seconds_since_retry = 0
        self._render()

    # -- events --------------------------------------------------------------------------------

    def _on_event(self, message: QueueEventMessage) -> None:
        if self._baseline is None:
            self._buffered.append(message)
        else:
            self._take(message)
        self._debounce.start()

    def _take(self, message: QueueEventMessage) -> None:
        """Apply one event once; only calls are shown at once and announced."""
        assert self._baseline is not None
        if message.id <= self._baseline or message.id in self._seen:
            return
        self._seen.add(message.id)
        if message.kind not in _CALLS:
            return
        number, counter = str(message.payload.get("number", "")), str(message.payload.get("counter", ""))
        self._latest = (number, counter)
        self._recent = [(number, counter), *self._recent][:MAX_RECENT]
        self._render()
        if self.online:
            self._flash()
        if self._announcer is not None:
            self._announcer.announce(number, counter, str(message.payload.get("service_name", "")))

    # -- rendering -----------------------------------------------------------------------------

    def _render(self) -> None:
        shown = self.online
        lost = self._snapshot_ok is False or not self._bridge_ok
        # Hide before showing: both at once would ask for more than 1080 px and grow the window.
        for widget, visible in sorted(((self.banner, lost), (self.numbers, shown)), key=lambda pair: pair[1]):
            widget.setVisible(visible)
        self.notice.setText(
            texts.notice_line(self._config.display_notice, self._centre_name, self._config.schedule)
        )
        latest = self._latest if shown else None
        self.latest_number.setText(latest[0] if latest else "")
        self.latest_counter.setText(
            f"{texts.ARROW} {texts.counter_name(latest[1])}"
            if latest
            else (_("Please wait") if shown else "")
        )
        recent = self._recent[: self._config.display_recent_calls] if shown else []
        size = max(30, min(52, 420 // max(1, self._config.display_recent_calls)))
        for index, label in enumerate(self.recent_labels):
            label.setText(texts.call_line(*recent[index]) if index < len(recent) else "")
            label.setStyleSheet(f"font-size: {size}px;")
            label.setProperty("first", index == 0)
            label.setVisible(index < len(recent))
        snapshot = self._snapshot if shown else None
        self._render_counters(snapshot.counters if snapshot else ())
        self._render_waiting(snapshot.waiting if snapshot else ())

    def _render_counters(self, counters: tuple[CounterStatus, ...]) -> None:
        labels = [c.label for c in counters]
        if labels != list(self.counter_tiles):
            tiles = self._rebuild(self._counter_grid, [texts.counter_name(x) for x in labels])
            self.counter_tiles = dict(zip(labels, tiles, strict=True))
            self._idle = {}
        for status in counters:
            tile = self.counter_tiles[status.label]
            tile.setText(texts.counter_ticket(status.state, status.current_ticket))
            idle = status.current_ticket is None
            # Remembered here, not read back with tile.property(): PySide6 6.12 drops a reference to
            # None on every read of an unset property, and the process aborts after a few thousand.
            if self._idle.get(status.label) != idle:
                self._idle[status.label] = idle
                tile.setProperty("idle", idle)
                _repolish(tile)

    def _render_waiting(self, waiting: tuple[WaitingCount, ...]) -> None:
        prefixes = [w.prefix for w in waiting]
        if prefixes != list(self.waiting_tiles):
            names = [w.name for w in waiting]
            self.waiting_tiles = dict(zip(prefixes, self._rebuild(self._waiting_grid, names), strict=True))
        for count in waiting:
            self.waiting_tiles[count.prefix].setText(
                texts.waiting_line(count.waiting, count.priority_waiting)
            )

    @staticmethod
    def _rebuild(grid: QGridLayout, names: list[str], per_column: int = 3) -> list[QLabel]:
        """Fresh tiles (a name, its value beside it), filled column by column."""
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        values: list[QLabel] = []
        for index, name in enumerate(names):
            row, column = index % per_column, (index // per_column) * 2
            grid.addWidget(_label("tileName", name), row, column)
            value = _label("tileValue", "", Qt.AlignmentFlag.AlignRight)
            value.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            grid.addWidget(value, row, column + 1)
            grid.setColumnStretch(column, 1)
            values.append(value)
        return values

    # -- the flash -------------------------------------------------------------------------------

    def _flash(self) -> None:
        """Blink the big panel a few times (a timer, never a wait): eyes find the new number."""
        self._flash_left = FLASH_TOGGLES
        self._flash_timer.start()
        self._set_flash(True)

    def _flash_step(self) -> None:
        self._flash_left -= 1
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._set_flash(False)
        else:
            self._set_flash(not self.flash_on)

    def _set_flash(self, on: bool) -> None:
        self.flash_on = on
        self.latest_panel.setProperty("flash", on)
        _repolish(self.latest_panel)

    def visible_texts(self) -> list[str]:
        """Every piece of text a person in the hall can read right now (tests, diagnostics)."""
        shown = [
            label.text() for label in self.findChildren(QLabel) if label.isVisibleTo(self) and label.text()
        ]
        return [*shown, self.notice.text()]
