"""The counter officer's window (1366×768, keyboard first; an officer sees 40–80 citizens a day).

F1 call next · F2 recall · F3 absent · F4 transfer · F5 finish · F6 return the result · F7 pause ·
Ctrl+1 intake · Ctrl+2 the open dossier · Ctrl+F search. A barcode scanned anywhere opens its dossier
(a chip card's QR fills the intake form). Every service call runs off the GUI thread; every failure is
one Vietnamese sentence in the status line; the keyboard focus goes back where it was after an action.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from counter_app.domain.clock import format_local_time
from counter_app.domain.dossier import is_dossier_code
from counter_app.domain.forms import FormKind
from counter_app.domain.queue import CounterState, Outcome, counter_state_label
from counter_app.domain.roles import Permission
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import Apology
from counter_app.services.dossier_views import DossierView
from counter_app.services.events import QueueEventMessage
from counter_app.services.views import CounterView, QueueSnapshot, TicketView
from counter_app.sync.link import link_state
from counter_app.sync.status import SyncStatus, read_sync_status
from counter_app.sync.worker import SyncWorker
from ui.common.events import QueueEvents
from ui.common.runner import ServiceRunner
from ui.common.scan_input import ScanInput
from ui.counter.devices import CounterDevices
from ui.counter.dialogs import FinishDialog, TransferDialog
from ui.counter.dossier_panel import DossierPanel
from ui.counter.form_output import RenderedForm, render_dossier_form, send_to_printer
from ui.counter.header import HeaderBar
from ui.counter.intake_panel import IntakePanel
from ui.counter.login import LoginDialog
from ui.counter.queue_panel import QueuePanel
from ui.counter.search_panel import SearchPanel

T = TypeVar("T")

REFRESH_MS = 5000


class CounterWindow(QMainWindow):
    def __init__(
        self,
        app: CounterApp,
        *,
        forms_folder: Path,
        scanner_url: str | None = None,
        drive_devices: bool = True,
        run_sync: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.forms_folder = forms_folder
        self.actor: Actor | None = None
        self.counter: CounterView | None = None
        self.ticket: TicketView | None = None
        self.devices: CounterDevices | None = None
        self._drive_devices, self._run_sync = drive_devices, run_sync
        self._sync_stop = threading.Event()
        self._sync_thread: threading.Thread | None = None
        self.printed: list[RenderedForm] = []  # this session's forms, newest last
        self._last_code: str | None = None  # the dossier of the visit, for F5's outcome
        self.setWindowTitle(_("One-Stop Counter"))
        self.resize(1366, 768)

        self.runner = ServiceRunner(self)
        self.runner.error.connect(self.show_problem)
        self.events = QueueEvents(app.bus, self)
        self.events.received.connect(self._on_event)
        self.scans = ScanInput(self)
        self.scans.scanned.connect(self.on_scan)
        if scanner_url:
            self.scans.attach_serial(scanner_url)

        self._build_panels()
        self._build_layout()
        self._make_view_actions()

        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(200)
        self._soon.timeout.connect(self.refresh_queue)
        self._set_enabled(False)

    def _build_panels(self) -> None:
        self.header = HeaderBar()
        self.queue_actions = self._make_queue_actions()
        self.queue_panel = QueuePanel(self.queue_actions)
        self.intake = IntakePanel(self.app, self.runner)
        self.intake.received.connect(self._dossier_received)
        self.intake.supplement_requested.connect(
            lambda view: self._print_form(view.code, FormKind.SUPPLEMENT)
        )
        self.intake.refused.connect(lambda view: self._print_form(view.code, FormKind.REFUSAL))
        self.intake.message.connect(self.show_message)
        self.dossier = DossierPanel()
        self.dossier.return_requested.connect(self.return_result)
        self.dossier.apology_requested.connect(self.record_apology)
        self.dossier.print_requested.connect(lambda code, form: self._print_form(code, FormKind(form)))
        self.search = SearchPanel(self.app, self.runner)
        self.search.open_requested.connect(self.open_dossier)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.intake, _("Intake (Ctrl+1)"))
        self.tabs.addTab(self.dossier, _("Dossier and return (Ctrl+2)"))
        self.tabs.addTab(self.search, _("Search (Ctrl+F)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self._problem_shown = False
        self.status = QLabel()
        self.status.setObjectName("status-line")
        self.status.setWordWrap(True)
        self.statusBar().addWidget(self.status, 1)

    def _build_layout(self) -> None:
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.queue_panel)
        body.addWidget(self.tabs)
        body.setStretchFactor(1, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)

    # -- actions -----------------------------------------------------------------------------
    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_queue_actions(self) -> list[QAction]:
        self.call_action = self._action(_("F1  Call next"), "F1", self.call_next)
        self.recall_action = self._action(_("F2  Recall"), "F2", self.recall)
        self.absent_action = self._action(_("F3  Absent"), "F3", self.no_show)
        self.transfer_action = self._action(_("F4  Transfer…"), "F4", self.transfer)
        self.finish_action = self._action(_("F5  Finish…"), "F5", self.finish)
        self.pause_action = self._action(_("F7  Pause / resume"), "F7", self.toggle_pause)
        self.close_action = self._action(_("Close the counter"), "Ctrl+Shift+Q", self.close_counter)
        return [
            self.call_action,
            self.recall_action,
            self.absent_action,
            self.transfer_action,
            self.finish_action,
            self.pause_action,
            self.close_action,
        ]

    def _make_view_actions(self) -> None:
        self._action(_("Intake"), "Ctrl+1", lambda: self._show_tab(self.intake))
        self._action(_("Dossier"), "Ctrl+2", lambda: self._show_tab(self.dossier))
        self._action(_("Search"), "Ctrl+F", self.focus_search)
        self._action(_("Search"), "Ctrl+3", self.focus_search)
        self._action(_("Return the result"), "F6", self.dossier.request_return)
        self._action(_("Print the apology"), "Ctrl+4", self.dossier.request_apology_print)

    def _set_enabled(self, enabled: bool) -> None:
        for action in self.queue_actions:
            action.setEnabled(enabled)
        self.tabs.setEnabled(enabled)

    # -- the session -------------------------------------------------------------------------
    def login(self, counter: str | None = None, username: str = "") -> bool:
        """The modal login; ``False`` when the officer cancels."""
        dialog = LoginDialog(self.app, self.runner, self, counter, username)
        if dialog.exec() and dialog.opened is not None:
            self.open_session(dialog.opened.actor, dialog.opened.counter)
            return True
        return False

    def open_session(self, actor: Actor, counter: CounterView) -> None:
        self.actor, self.counter = actor, counter
        self.intake.set_actor(actor)
        self.search.set_actor(actor)
        self._set_enabled(True)
        self._show_counter()
        if self._drive_devices and self.devices is None:
            self.devices = CounterDevices(self.app, counter.label, self.events, self.runner)
            self.devices.problems_changed.connect(self.header.show_devices)
            self.devices.rated.connect(
                lambda view: self.show_message(
                    _("Rating of {number} recorded: level {level}.").format(
                        number=view.ticket_number, level=view.level if view.level is not None else "—"
                    )
                )
            )
            self.devices.check_health()
        else:
            self.header.show_devices([])
        self._start_sync()
        self.refresh_timer.start()
        self.refresh()
        self.run(lambda: self.app.queue.current(counter.label), self._show_ticket)
        self.intake.start(None, None)
        self.show_message(
            _("Counter {label} is open. F1 calls the next citizen.").format(label=counter.label)
        )

    def _show_counter(self) -> None:
        if self.counter is None or self.actor is None:
            return
        officer = self.counter.officer_name or self.actor.username
        self.header.show_counter(self.counter.label, officer, counter_state_label(self.counter.state))
        self.setWindowTitle(_("One-Stop Counter — counter {label}").format(label=self.counter.label))

    def _start_sync(self) -> None:
        if not self._run_sync or self._sync_thread is not None or link_state(self.app.db) is None:
            return
        worker = SyncWorker(self.app)
        self._sync_thread = threading.Thread(
            target=worker.run, args=(self._sync_stop,), name="sync", daemon=True
        )
        self._sync_thread.start()

    # -- running service calls ---------------------------------------------------------------
    def run(
        self, call: Callable[[], T], done: Callable[[T], None], after: Callable[[], None] | None = None
    ) -> None:
        """A service call off the GUI thread; the focus is given back after the answer. ``after`` runs
        once the answer (or the failure) is shown, whichever it was."""
        focus = QApplication.focusWidget()

        def answered(result: T) -> None:
            done(result)
            if after is not None:
                after()
            self._restore_focus(focus)

        def failed(problem: Exception) -> None:
            self.show_problem(str(problem))
            if after is not None:
                after()
            self._restore_focus(focus)

        self.runner.run(call, answered, failed)

    def _restore_focus(self, widget: QWidget | None) -> None:
        if widget is not None and widget.isVisible() and widget.isEnabled() and widget.window() is self:
            widget.setFocus()
        elif self.tabs.currentWidget() is self.search:
            self.search.box.setFocus()
        else:
            self.tabs.currentWidget().setFocus()

    def _counter(self) -> tuple[Actor, str] | None:
        if self.actor is None or self.counter is None:
            self.show_problem(_("Open the counter first."))
            return None
        return self.actor, self.counter.label

    # -- the queue keys ----------------------------------------------------------------------
    def call_next(self) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session

        def called(ticket: TicketView | None) -> None:
            if ticket is None:
                self.show_message(_("Nobody is waiting for this counter."))
                return
            self._show_ticket(ticket)
            self.intake.start(ticket.number, ticket.service_prefix)
            self._show_tab(self.intake)
            self.show_message(_("Called {number}.").format(number=ticket.number))

        self.run(lambda: self.app.queue.call_next(actor, label), called)

    def recall(self) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session
        self.run(lambda: self.app.queue.recall(actor, label), self._recalled)

    def _recalled(self, ticket: TicketView) -> None:
        self._show_ticket(ticket)
        self.show_message(_("Recalled {number}.").format(number=ticket.number))

    def no_show(self) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session
        self.run(
            lambda: self.app.queue.no_show(actor, label),
            lambda t: self._closed_visit(t, _("{number} marked absent.")),
        )

    def transfer(self) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session
        dialog = TransferDialog(
            self.app.catalogue.list_areas(), self.app.catalogue.list_counters(), label, self
        )
        if not dialog.exec():
            return
        chosen = dialog.chosen()
        if not isinstance(chosen, tuple):
            return
        kind, target = chosen

        def send() -> TicketView:
            if kind == "service":
                return self.app.queue.transfer(actor, label, to_service=target)
            return self.app.queue.transfer(actor, label, to_counter=target)

        self.run(send, lambda t: self._closed_visit(t, _("{number} transferred.")))

    def finish(self) -> None:
        if self._counter() is None:
            return
        dialog = FinishDialog(self._visit_dossier(), self)
        if dialog.exec():
            self.finish_visit(dialog.outcome(), dialog.code.text().strip() or None)

    def finish_visit(
        self, outcome: Outcome, code: str | None = None, after: Callable[[], None] | None = None
    ) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session
        self.run(
            lambda: self.app.queue.finish(actor, label, outcome, code),
            lambda t: self._closed_visit(t, _("{number} finished.")),
            after,
        )

    def toggle_pause(self) -> None:
        if (session := self._counter()) is None or self.counter is None:
            return
        actor, label = session
        if self.counter.state is CounterState.PAUSED:
            self.run(lambda: self.app.counters.open(actor, label), self._counter_changed)
        else:
            self.run(lambda: self.app.counters.pause(actor, label), self._counter_changed)

    def close_counter(self) -> None:
        if (session := self._counter()) is None:
            return
        actor, label = session
        self.run(lambda: self.app.counters.close(actor, label), self._counter_closed)

    def _counter_changed(self, counter: CounterView) -> None:
        self.counter = counter
        self._show_counter()

    def _counter_closed(self, counter: CounterView) -> None:
        self._counter_changed(counter)
        self._set_enabled(False)
        self.show_message(_("Counter {label} is closed.").format(label=counter.label))

    def _closed_visit(self, ticket: TicketView, sentence: str) -> None:
        self._last_code = None  # the next visit starts without this one's dossier
        self._show_ticket(None)
        self.show_message(sentence.format(number=ticket.number))

    def _show_ticket(self, ticket: TicketView | None) -> None:
        self.ticket = ticket
        self.queue_panel.show_ticket(ticket)

    def _visit_dossier(self) -> str | None:
        return self.ticket.dossier_code if self.ticket and self.ticket.dossier_code else self._last_code

    # -- intake, forms, return ---------------------------------------------------------------
    def _dossier_received(self, view: DossierView) -> None:
        """Mẫu 01 goes to the printer, and the visit ends with the dossier (the keypad lights up)."""
        self._last_code = view.code

        def print_receipt() -> None:
            self._print_form(view.code, FormKind.RECEIPT)

        if self.ticket is None:
            print_receipt()
        else:
            # Printed after the visit's answer: a print problem is the last word in the status line.
            self.finish_visit(Outcome.DOSSIER_RECEIVED, view.code, after=print_receipt)

    def _print_form(self, code: str, kind: FormKind) -> None:
        if self.actor is None:
            return
        actor, folder = self.actor, self.forms_folder
        self.run(lambda: render_dossier_form(self.app, actor, code, kind, folder), self._form_ready)

    def _form_ready(self, rendered: RenderedForm) -> None:
        self.printed.append(rendered)
        self.show_message(send_to_printer(rendered, self))

    def open_dossier(self, code: str) -> None:
        if self.actor is None:
            return
        actor = self.actor
        self.run(lambda: self.app.dossier_queries.show(actor, code), self._show_dossier)

    def _show_dossier(self, view: DossierView) -> None:
        # Only a supervisor may move the appointment (the service checks it); an officer is told whom to ask.
        may_apologise = self.actor is not None and self.actor.can(Permission.RECORD_APOLOGY)
        self.dossier.show_dossier(view, self.app.ctx.clock.now(), may_apologise=may_apologise)
        self._show_tab(self.dossier)

    def return_result(self, code: str) -> None:
        if self.actor is None:
            return
        actor = self.actor

        def returned(view: DossierView) -> None:
            self._last_code = view.code
            self._show_dossier(view)
            self.show_message(_("Result of {code} returned.").format(code=view.code))
            if self.ticket is not None:
                self.finish_visit(Outcome.RESULT_RETURNED, view.code)

        self.run(lambda: self.app.dossiers.return_result(actor, code), returned)

    def record_apology(self, code: str, apology: Apology) -> None:
        if self.actor is None:
            return
        actor = self.actor

        def recorded(view: DossierView) -> None:
            self._show_dossier(view)
            self._print_form(view.code, FormKind.APOLOGY)

        self.run(lambda: self.app.dossiers.delay(actor, code, apology), recorded)

    # -- scans -------------------------------------------------------------------------------
    @Slot(str)
    def on_scan(self, code: str) -> None:
        if is_dossier_code(code):
            self.open_dossier(code)
        elif "|" in code and self.intake.fill_from_chip_qr(code):
            self._show_tab(self.intake)
            self.show_message(_("The chip card was read: check the applicant's details."))
        else:
            self.show_problem(_("The scanned code is neither a dossier code nor a chip card."))

    # -- what changed elsewhere --------------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: QueueEventMessage) -> None:
        """Waiting counts change with every ticket anywhere: refresh once the burst is over."""
        del event
        self._soon.start()

    def refresh(self) -> None:
        """Every few seconds: the queue, and the link to central (which queue events do not move)."""
        self.refresh_queue()
        self.runner.run(lambda: read_sync_status(self.app), self._show_sync, lambda _p: None)

    def refresh_queue(self) -> None:
        if self.actor is None:
            return
        actor = self.actor
        self.runner.run(lambda: self.app.state.snapshot(actor), self._show_snapshot, lambda _p: None)

    def _show_snapshot(self, snapshot: QueueSnapshot) -> None:
        mine = self.counter.service_prefixes if self.counter else ()
        self.header.show_waiting(snapshot.waiting, mine)

    def _show_sync(self, status: SyncStatus) -> None:
        waiting = status.backlog.waiting
        if not status.configured:
            text, ok = _("Central: not configured; {n} changes kept here.").format(n=waiting), waiting == 0
        elif status.connected and waiting == 0:
            text, ok = _("Central: connected, everything sent."), True
        elif status.connected:
            text, ok = _("Central: connected, sending {n} changes.").format(n=waiting), True
        else:
            since = format_local_time(status.oldest_waiting) if status.oldest_waiting else "—"
            text, ok = (
                _("Central: not connected; {n} changes waiting since {time}.").format(n=waiting, time=since),
                False,
            )
        self.header.show_sync(text, ok)

    # -- the status line ---------------------------------------------------------------------
    @Slot(str)
    def show_message(self, text: str) -> None:
        self._problem_shown = False
        self.status.setStyleSheet("")
        self.status.setText(text)

    @Slot(str)
    def show_problem(self, text: str) -> None:
        self._problem_shown = True
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
        self.status.setText(text)

    def _tab_changed(self) -> None:
        """A message about another tab does not linger; a problem stays until something replaces it."""
        if not self._problem_shown:
            self.status.clear()

    def _show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def focus_search(self) -> None:
        self._show_tab(self.search)
        self.search.box.setFocus()
        self.search.box.selectAll()

    # -- closing -----------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.refresh_timer.stop()
        self.runner.wait()
        self.scans.close()
        self.events.close()
        if self.devices is not None:
            self.devices.close()
            self.devices = None
        self._sync_stop.set()
        if self._sync_thread is not None:
            self._sync_thread.join(5)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)
