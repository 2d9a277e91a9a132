"""The ticket kiosk: take a number, look up a dossier, read about procedures; touch only, no training.

The window is a stack of pages (``ui/kiosk/*_page.py``) and the one place that calls services, always
off the GUI thread through ``ServiceRunner``: issuing and printing (a serial printer can take seconds)
never freeze the screen. Nothing a citizen can press leaves the kiosk: no close button, no dialogs,
Esc and Alt+F4 are ignored; only the program (``close()``) ends it. Every failure is one Vietnamese
sentence on a kiosk page, and every page but the start page goes back to it after ``kiosk_idle_seconds``
without a touch (twice that when the number is only on screen, so it can be photographed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from counter_app.cli.hardware import KioskPrint, send_kiosk_ticket, ticket_slip
from counter_app.domain.clock import local_datetime
from counter_app.domain.queue import PriorityChoice
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.centre_settings import CentreConfig
from counter_app.services.dossier_queries import PublicStatus
from counter_app.services.procedures import ProcedureView
from counter_app.services.views import IssuedTicket, ServiceAreaView
from ui.common.errors import as_app_error
from ui.common.runner import ServiceRunner
from ui.common.scan_input import MonotonicMs, ScanInput
from ui.kiosk.info_page import InfoPage, ProcedurePage
from ui.kiosk.lookup_page import LookupPage, StatusPage
from ui.kiosk.page import BusyPage, MessagePage, Page
from ui.kiosk.start_page import PriorityPage, StartPage
from ui.kiosk.style import SCREEN_HEIGHT, SCREEN_WIDTH, STYLE_SHEET
from ui.kiosk.ticket_page import TicketPage, TicketScreen

log = logging.getLogger(__name__)

PrintTicket = Callable[[IssuedTicket], KioskPrint]
DEFAULT_IDLE_SECONDS = CentreConfig.kiosk_idle_seconds
UNPRINTED_IDLE_FACTOR = 2  # the number on screen stays longer: time to photograph it
_TOUCH_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress})


class KioskWindow(QWidget):
    def __init__(
        self,
        app: CounterApp,
        actor: Actor,
        *,
        centre_name: str,
        print_ticket: PrintTicket | None = None,
        scanner_url: str | None = None,
        scan_clock_ms: MonotonicMs | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.app, self.actor, self.centre_name = app, actor, centre_name
        self.print_ticket: PrintTicket = print_ticket or (
            lambda issued: send_kiosk_ticket(app, issued, centre_name)
        )
        self.scanner_url = scanner_url
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE_SHEET)
        self.setWindowTitle(centre_name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(SCREEN_WIDTH, SCREEN_HEIGHT)

        self.runner = ServiceRunner(self)
        self.runner.error.connect(self._show_failure)
        self.areas: list[ServiceAreaView] = []
        self.idle_seconds = DEFAULT_IDLE_SECONDS
        self.priority: PriorityChoice | None = None
        self.issuing = False
        self._closing = False
        self._search_seq = 0

        self._build_pages(centre_name)
        self._connect_pages()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.return_to_start)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)
        self.scan = ScanInput(self, clock_ms=scan_clock_ms) if scan_clock_ms else ScanInput(self)
        self.scan.scanned.connect(self.look_up)
        qt_app = QApplication.instance()
        if qt_app is not None:
            qt_app.installEventFilter(self)  # any touch anywhere in the kiosk restarts the idle time

    def _build_pages(self, centre_name: str) -> None:
        self.start_page = StartPage(centre_name)
        self.priority_page = PriorityPage()
        self.busy_page = BusyPage()
        self.ticket_page = TicketPage()
        self.lookup_page = LookupPage()
        self.status_page = StatusPage()
        self.info_page = InfoPage()
        self.procedure_page = ProcedurePage()
        self.message_page = MessagePage()
        self.stack = QStackedWidget()
        for page in (
            self.start_page,
            self.priority_page,
            self.busy_page,
            self.ticket_page,
            self.lookup_page,
            self.status_page,
            self.info_page,
            self.procedure_page,
            self.message_page,
        ):
            self.stack.addWidget(page)
            if isinstance(page, Page):
                page.home.connect(self.return_to_start)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def _connect_pages(self) -> None:
        self.start_page.area_chosen.connect(self.take_number)
        self.start_page.priority_pressed.connect(self._priority_pressed)
        self.start_page.lookup_pressed.connect(self.open_lookup)
        self.start_page.info_pressed.connect(self.open_info)
        self.priority_page.chosen.connect(self._priority_chosen)
        self.lookup_page.look_up.connect(self.look_up)
        self.status_page.again_button.clicked.connect(self.open_lookup)
        self.info_page.search.connect(self._search)
        self.info_page.chosen.connect(self._show_procedure)
        self.procedure_page.back.connect(lambda: self._show(self.info_page))

    # -- life --------------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the areas and the idle time, show the start page, listen to the serial scanner."""
        self._tick()
        self.clock_timer.start()
        if self.scanner_url:
            self.scan.attach_serial(self.scanner_url)
        self.return_to_start()

    def close(self) -> bool:
        """The program's way out (a citizen has none): stop timers, scanner and pending calls."""
        self._closing = True
        self.idle_timer.stop()
        self.clock_timer.stop()
        self.scan.close()
        qt_app = QApplication.instance()
        if qt_app is not None:
            qt_app.removeEventFilter(self)
        self.runner.wait()
        return super().close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._closing:
            event.accept()
        else:
            event.ignore()  # Alt+F4 and the window manager cannot close the kiosk

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        event.accept()  # Esc and every other stray key do nothing (scans are taken by ScanInput)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() in _TOUCH_EVENTS
            and isinstance(watched, QWidget)
            and watched.window() is self
            and self.idle_timer.isActive()
        ):
            self.idle_timer.start()  # same interval: the page's own patience starts again
        return False

    # -- navigation -------------------------------------------------------------------------------
    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def return_to_start(self) -> None:
        """Rest state: start page, no priority, empty entries; the areas and idle time read afresh."""
        if self.issuing:
            return  # the ticket page follows as soon as the number is issued
        self.priority = None
        self.start_page.set_priority(None)
        self.lookup_page.set_code("")
        self._show(self.start_page)
        self.runner.run(self._load_start, self._started)

    def _load_start(self) -> tuple[list[ServiceAreaView], int]:
        return self.app.catalogue.list_areas(), self.app.settings.get().kiosk_idle_seconds

    def _started(self, loaded: tuple[list[ServiceAreaView], int]) -> None:
        self.areas, self.idle_seconds = loaded
        self.start_page.set_areas(self.areas)

    def _show(self, page: QWidget, idle_factor: int = 1) -> None:
        self.stack.setCurrentWidget(page)
        if page is self.busy_page or (page is self.start_page and self.priority is None):
            self.idle_timer.stop()
        else:
            self.idle_timer.start(self.idle_seconds * idle_factor * 1000)

    def _tick(self) -> None:
        self.start_page.clock.setText(f"{local_datetime(self.app.ctx.clock.now()):%H:%M   %d/%m/%Y}")

    # -- tickets ----------------------------------------------------------------------------------
    def _priority_pressed(self) -> None:
        if self.priority is None:
            self._show(self.priority_page)
        else:
            self.priority = None
            self.start_page.set_priority(None)
            self._show(self.start_page)

    def _priority_chosen(self, choice: PriorityChoice) -> None:
        self.priority = choice
        self.start_page.set_priority(choice)
        self._show(self.start_page)

    def take_number(self, prefix: str) -> None:
        """Issue a ticket for ``prefix`` (with the priority chosen, if any), then print it."""
        if self.issuing:
            return
        self.issuing = True
        choice = self.priority
        self._show(self.busy_page)
        self.runner.run(
            lambda: self.app.queue.issue(
                self.actor, prefix, choice is not None, choice.reason if choice else None
            ),
            self._issued,
            self._issue_failed,
        )

    def _issued(self, issued: IssuedTicket) -> None:
        self.runner.run(
            lambda: self.print_ticket(issued),
            lambda outcome: self._show_ticket(issued, outcome),
            lambda exc: self._show_ticket(issued, KioskPrint(False, [str(as_app_error(exc))])),
        )

    def _show_ticket(self, issued: IssuedTicket, outcome: KioskPrint) -> None:
        self.issuing = False
        self.priority = None
        self.start_page.set_priority(None)
        if outcome.printed and outcome.messages:
            log.warning("kiosk printer: %s", "; ".join(outcome.messages))  # staff see it in device health
        self.ticket_page.show_ticket(TicketScreen(ticket_slip(issued, self.centre_name), outcome))
        self._show(self.ticket_page, 1 if outcome.printed else UNPRINTED_IDLE_FACTOR)

    def _issue_failed(self, exc: Exception) -> None:
        self.issuing = False
        self._show_message(_("No number was issued"), str(exc))

    # -- look-up ----------------------------------------------------------------------------------
    def open_lookup(self) -> None:
        self.lookup_page.set_code("")
        self._show(self.lookup_page)

    def look_up(self, code: str) -> None:
        """A scan (on any page) or the keypad's "look up": the dossier's public status."""
        if self.issuing:
            return
        self.lookup_page.set_code(code)
        self._show(self.busy_page)
        self.runner.run(
            lambda: self.app.dossier_queries.lookup(self.actor, code), self._show_status, self._lookup_failed
        )

    def _show_status(self, status: PublicStatus) -> None:
        self.status_page.show_status(status)
        self._show(self.status_page)

    def _lookup_failed(self, exc: Exception) -> None:
        self._show_message(_("Dossier status"), str(exc))

    # -- information ------------------------------------------------------------------------------
    def open_info(self) -> None:
        self._show(self.info_page)
        self.info_page.reset(self.areas)

    def _search(self, words: str, area: str) -> None:
        self._search_seq += 1
        seq = self._search_seq
        self.runner.run(
            lambda: self.app.procedures.search(words, area=area or None),
            lambda views: self._searched(seq, views),
        )

    def _searched(self, seq: int, views: list[ProcedureView]) -> None:
        if seq == self._search_seq:  # an older search that finished late is not shown
            self.info_page.show_results(views)

    def _show_procedure(self, view: ProcedureView) -> None:
        self.procedure_page.show_procedure(view)
        self._show(self.procedure_page)

    # -- failures ---------------------------------------------------------------------------------
    def _show_message(self, title: str, sentence: str) -> None:
        self.message_page.show_message(title, sentence)
        self._show(self.message_page)

    def _show_failure(self, sentence: str) -> None:
        if not self._closing:
            self._show_message(_("Sorry"), sentence)
