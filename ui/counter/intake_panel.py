"""The dossier intake panel of the counter window: procedure, checklist, applicant, appointment, fee.

Keyboard first, top to bottom in Tab order: type words of the procedure (no diacritics needed),
Up/Down and Enter to choose it, Space to tick the documents received, the applicant's fields (or one
scan of the chip card), then Ctrl+S (or F9) to receive, Ctrl+B then Enter to ask for additions
(Mẫu 02), Ctrl+R, the reason, Enter to refuse (Mẫu 03). Esc closes those two editors.

The panel holds no rule: every look-up and every save is a service call run off the GUI thread by
the window's :class:`ServiceRunner`, and the latest answer wins when the officer types faster than
the database answers. The appointment shown is computed by the same calendar function the save
uses, with the same inputs, so the preview and Mẫu 01 agree. A failed save shows the service's
sentence and keeps every value typed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.citizen_id import parse_chip_qr
from counter_app.domain.clock import local_date
from counter_app.domain.dossier import PaymentMethod, ReturnMethod
from counter_app.domain.errors import ValidationError
from counter_app.domain.forms import payment_method_words, return_method_words
from counter_app.domain.procedure import Procedure
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import IntakeRequest, SupplementRequest
from counter_app.services.dossier_views import DossierSummary, DossierView
from counter_app.services.procedures import ProcedureView
from ui.common.errors import as_app_error
from ui.common.runner import ServiceRunner
from ui.counter.intake_applicant import ApplicantForm
from ui.counter.intake_checklist import ChecklistTable
from ui.counter.intake_editors import RefusalEditor, SupplementEditor
from ui.counter.intake_text import (
    IdCheck,
    appointment_text,
    fee_text,
    previous_dossier_line,
    procedure_line,
    processing_time_text,
)

T = TypeVar("T")
DEBOUNCE_MS = 150
APPOINTMENT_REFRESH_MS = 60_000  # the appointment moves with the receipt minute
_FEEDBACK_COLOURS = {"error": "#b71c1c", "ok": "#1b5e20", "info": "#333333"}


class _Latest:
    """A generation counter per kind of look-up: an answer is shown only if nothing newer was asked."""

    def __init__(self) -> None:
        self.generation = 0

    def next(self) -> int:
        self.generation += 1
        return self.generation

    def is_current(self, generation: int) -> bool:
        return generation == self.generation


class IntakePanel(QWidget):
    """One citizen's dossier from procedure to Mẫu 01/02/03; the window prints what the signals carry."""

    received = Signal(object)  # DossierView, status received: print Mẫu 01, then the rating keypad
    supplement_requested = Signal(object)  # DossierView: print Mẫu 02
    refused = Signal(object)  # DossierView: print Mẫu 03
    message = Signal(str)  # one sentence for the window's status line
    cancelled = Signal()

    def __init__(self, app: CounterApp, runner: ServiceRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.runner = runner
        self.actor: Actor | None = None
        self.ticket_number: str | None = None
        self.area_prefix: str | None = None
        self.procedure: Procedure | None = None
        self.busy = False
        self.previous: list[DossierSummary] = []
        self._results: list[ProcedureView] = []
        self._searches, self._previews, self._histories = _Latest(), _Latest(), _Latest()
        self._focus_before_editor: QWidget | None = None
        self._answered_search = 0
        # The runner belongs to the window and may outlive this panel: answers check this first.
        self._alive = alive = [True]
        self.destroyed.connect(lambda: alive.__setitem__(0, False))
        self._choose_on_answer = False
        self._build()
        self._connect()
        self._set_procedure(None)

    # -- public API ----------------------------------------------------------------------------

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor

    def start(self, ticket_number: str | None = None, area_prefix: str | None = None) -> None:
        """A new citizen: an empty form, the procedures of the ticket's area listed first."""
        self.ticket_number = ticket_number
        self.area_prefix = area_prefix.strip().upper() if area_prefix else None
        self._close_editors()
        self.applicant.clear()
        self._reset_dossier_part()
        self._show_feedback("", "info")
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self._run_search()

    def fill_from_chip_qr(self, text: str) -> bool:
        """A scanned line from the chip card's QR code: fills the applicant, or says why it cannot."""
        try:
            card = parse_chip_qr(text, today=self._today())
        except ValidationError as problem:
            self._fail(problem)
            return False
        self.applicant.fill_card(card)
        self._say(_("The card was read; check the fields against the card."), "ok")
        return True

    def save(self) -> None:
        """Ctrl+S / F9: receive the dossier as complete (Mẫu 01)."""
        if self._editor_open():
            return
        request = self._request_or_fail()
        if request is not None:
            actor = self._actor_or_fail()
            if actor is not None:
                self._submit(lambda: self.app.dossiers.receive(actor, request), self._on_received)

    def open_supplement(self) -> None:
        """Ctrl+B: the unticked documents pre-filled as missing items; Enter sends."""
        if self._may_open_editor():
            self.supplement_editor.open_with(self.checklist.missing_lines())

    def open_refusal(self) -> None:
        """Ctrl+R: the reason, then Enter refuses (Mẫu 03)."""
        if self._may_open_editor():
            self.refusal_editor.open()

    def _may_open_editor(self) -> bool:
        """Nothing saving, no editor open, a procedure chosen: then remember the cursor and make room."""
        if self.busy or self._editor_open() or not self._has_procedure():
            return False
        self._focus_before_editor = QApplication.focusWidget()
        self._show_history_list(False)
        return True

    def cancel(self) -> None:
        """The officer abandons this intake; the window decides what comes next."""
        self._close_editors()
        self.cancelled.emit()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        columns = QHBoxLayout()
        columns.addLayout(self._build_procedure_side(), 11)
        columns.addLayout(self._build_applicant_side(), 9)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(columns, 1)
        layout.addWidget(rule)
        layout.addLayout(self._build_terms())
        self.supplement_editor = SupplementEditor()
        self.refusal_editor = RefusalEditor()
        layout.addWidget(self.supplement_editor)
        layout.addWidget(self.refusal_editor)
        layout.addLayout(self._build_actions())
        chain: list[QWidget] = [
            self.search,
            self.results,
            self.checklist,
            *self.applicant.fields,
            self.payment,
            self.return_method,
            self.sets,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _build_procedure_side(self) -> QVBoxLayout:
        self.search = QLineEdit()
        self.search.setObjectName("procedure-search")
        self.search.setPlaceholderText(_("Procedure: type its code or words of its name (no accents needed)"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("procedure-results")
        self.results.setMaximumHeight(120)
        self.results.setUniformItemSizes(True)
        self.chosen = QLabel()
        self.chosen.setObjectName("procedure-chosen")
        self.chosen.setWordWrap(True)
        self.chosen.setStyleSheet("font-weight: bold;")
        self.procedure_info = QLabel()
        self.procedure_info.setWordWrap(True)
        self.checklist = ChecklistTable()
        self.checklist.setObjectName("checklist")
        self.checklist.setMinimumHeight(90)
        checklist_hint = QLabel(_("Space: received · Ctrl+A, Space: all · +/−: copies · → then Enter: kind"))
        checklist_hint.setStyleSheet("color: #555555;")
        checklist_hint.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.results)
        left.addWidget(self.chosen)
        left.addWidget(self.procedure_info)
        left.addWidget(self.checklist, 1)
        left.addWidget(checklist_hint)
        return left

    def _build_applicant_side(self) -> QVBoxLayout:
        self.applicant = ApplicantForm(self._today)
        self.history_title = QLabel()
        self.history = QTreeWidget()
        self.history.setObjectName("previous-dossiers")
        self.history.setColumnCount(4)
        self.history.setHeaderLabels([_("Dossier code"), _("Procedure"), _("Status"), _("Date")])
        self.history.setRootIsDecorated(False)
        self.history.setMinimumHeight(60)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # for reading; Tab goes on to the fee
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.header().setStretchLastSection(False)
        self.history.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            self.history.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        right = QVBoxLayout()
        right.addWidget(self.applicant)
        right.addWidget(self.history_title)
        right.addWidget(self.history, 1)
        return right

    def _build_terms(self) -> QGridLayout:
        self.appointment = QLabel()
        self.appointment.setObjectName("appointment")
        self.appointment.setStyleSheet("font-size: 13pt; font-weight: bold; color: #0d47a1;")
        self.fee = QLabel()
        self.fee.setObjectName("fee")
        self.payment = QComboBox()
        self.payment.setObjectName("payment")
        for method in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
            self.payment.addItem(payment_method_words(method), method.value)
        self.return_method = QComboBox()
        self.return_method.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.return_method.setMinimumContentsLength(30)
        for way in ReturnMethod:
            self.return_method.addItem(return_method_words(way), way.value)
        self.sets = QSpinBox()
        self.sets.setRange(1, 99)
        terms = QGridLayout()
        terms.addWidget(self.appointment, 0, 0, 1, 2)
        terms.addWidget(self.fee, 1, 0)
        payment_form = QFormLayout()
        payment_form.addRow(_("Payment"), self.payment)
        terms.addLayout(payment_form, 1, 1)
        return_form = QFormLayout()
        return_form.addRow(_("Result returned"), self.return_method)
        return_form.addRow(_("Sets"), self.sets)
        terms.addLayout(return_form, 0, 2, 2, 1)
        terms.setColumnStretch(0, 1)
        terms.setColumnStretch(2, 1)
        return terms

    def _build_actions(self) -> QHBoxLayout:
        self.feedback = QLabel()
        self.feedback.setObjectName("intake-feedback")
        self.feedback.setWordWrap(True)
        self.receive_button = QPushButton(_("Receive (Ctrl+S)"))
        self.supplement_button = QPushButton(_("Request additions (Ctrl+B)"))
        self.refuse_button = QPushButton(_("Refuse (Ctrl+R)"))
        self.cancel_button = QPushButton(_("Cancel intake"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.feedback, 1)
        for button in (self.receive_button, self.supplement_button, self.refuse_button, self.cancel_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys, not focus: the form keeps its cursor
            buttons.addWidget(button)
        self.receive_button.setStyleSheet("font-weight: bold;")
        return buttons

    def _connect(self) -> None:
        self._search_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._preview_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self._run_preview)
        self._minute = QTimer(self, interval=APPOINTMENT_REFRESH_MS)
        self._minute.timeout.connect(self._schedule_preview)
        self._minute.start()
        self.search.textEdited.connect(self._on_search_typed)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self._choose_current())
        self.applicant.id_checked.connect(self._on_id_checked)
        self.supplement_editor.confirmed.connect(self._send_supplement)
        self.refusal_editor.confirmed.connect(self._send_refusal)
        for editor in (self.supplement_editor, self.refusal_editor):
            editor.cancelled.connect(self._restore_focus)
        self.receive_button.clicked.connect(self.save)
        self.supplement_button.clicked.connect(self.open_supplement)
        self.refuse_button.clicked.connect(self.open_refusal)
        self.cancel_button.clicked.connect(self.cancel)
        for keys, slot in (
            (QKeySequence("Ctrl+S"), self.save),
            (QKeySequence(Qt.Key.Key_F9), self.save),
            (QKeySequence("Ctrl+B"), self.open_supplement),
            (QKeySequence("Ctrl+R"), self.open_refusal),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- procedure search ----------------------------------------------------------------------

    def _on_search_typed(self, _text: str) -> None:
        self.results.show()
        self._search_timer.start()

    def _run_search(self) -> None:
        self._search_timer.stop()
        self._choose_on_answer = False
        generation = self._searches.next()
        text = self.search.text()
        self._call(
            lambda: self.app.procedures.search(text),
            lambda found: self._show_results(generation, found),
            self._fail_if_current(self._searches, generation),
        )

    def _show_results(self, generation: int, found: list[ProcedureView]) -> None:
        if not self._searches.is_current(generation):
            return
        self._answered_search = generation
        area = self.area_prefix
        # The ticket's area first: most citizens come for what they took a ticket for.
        self._results = sorted(found, key=lambda view: view.procedure.area_prefix != area) if area else found
        self.results.clear()
        for view in self._results:
            item = QListWidgetItem(procedure_line(view.code, view.name))
            item.setToolTip(view.name)
            self.results.addItem(item)
        if self._results:
            self.results.setCurrentRow(0)
        else:
            self.results.addItem(_("No procedure matches these words."))
            self.results.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        if self._choose_on_answer:
            self._choose_on_answer = False
            self._choose_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up/Down in the search box move through the results; Enter chooses: the hands stay put."""
        if watched is self.search and event.type() is QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self._results:
                self.results.show()
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), len(self._results) - 1)
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._search_timer.isActive():  # typed faster than the debounce: search now
                    self._run_search()
                if self._answered_search != self._searches.generation:
                    self._choose_on_answer = True  # the answer to what was typed decides, not a stale list
                else:
                    self._choose_current()
                return True
        return super().eventFilter(watched, event)

    def _choose_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._results):
            self._set_procedure(self._results[row].procedure)
            self.results.hide()
            self.checklist.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_procedure(self, procedure: Procedure | None) -> None:
        self.procedure = procedure
        if procedure is None:
            self.chosen.setText(_("No procedure chosen yet."))
            self.procedure_info.setText("")
            self.checklist.clear_documents()
            self.fee.setText("")
            self.payment.setEnabled(False)
            self.appointment.setText(_("Appointment: choose the procedure first"))
            return
        self.chosen.setText(procedure_line(procedure.code, procedure.name))
        details = [processing_time_text(procedure)]
        if procedure.deciding_agency:
            details.append(_("Decided by: {agency}").format(agency=procedure.deciding_agency))
        self.procedure_info.setText(" · ".join(details))
        self.checklist.show_documents(procedure.documents)
        self.fee.setText(fee_text(procedure))
        has_fee = procedure.total_fee > 0
        self.payment.setEnabled(has_fee)
        self.payment.setCurrentIndex(0)
        self.appointment.setText(_("Appointment: computing…"))
        self._schedule_preview()

    # -- appointment preview -------------------------------------------------------------------

    def _schedule_preview(self) -> None:
        if self.procedure is not None:
            self._preview_timer.start()

    def _run_preview(self) -> None:
        procedure = self.procedure
        if procedure is None:
            return
        generation = self._previews.next()
        clock = self.app.ctx.clock
        # The arguments Dossiers._start_clock uses: the effective time and the procedure's cut-off,
        # the centre's cut-off and schedule filled in by calendar.due: the preview is the saved value.
        self._call(
            lambda: self.app.calendar.due(clock.now(), procedure.effective_time, procedure.same_day_cutoff),
            lambda due: self._show_appointment(generation, due),
            self._fail_if_current(self._previews, generation),
        )

    def _show_appointment(self, generation: int, due: datetime) -> None:
        if self._previews.is_current(generation) and self.procedure is not None:
            self.appointment.setText(appointment_text(due))

    # -- previous dossiers of the same person ---------------------------------------------------

    def _on_id_checked(self, check: IdCheck) -> None:
        generation = self._histories.next()
        if check.number is None or self.actor is None:
            self._show_history(generation, [])
            return
        actor, number = self.actor, check.number
        self._call(
            lambda: self.app.dossier_queries.search(actor, number),
            lambda found: self._show_history(generation, found),
            self._fail_if_current(self._histories, generation),
        )

    def _show_history(self, generation: int, found: list[DossierSummary]) -> None:
        if not self._histories.is_current(generation):
            return
        self.previous = found
        self.history.clear()
        for summary in found:
            item = QTreeWidgetItem(list(previous_dossier_line(summary)))
            item.setToolTip(1, summary.procedure_name)
            self.history.addTopLevelItem(item)
        if self.applicant.last_check.number is None:
            self.history_title.setText("")  # nothing was looked up: "none" would be a false answer
        elif found:
            self.history_title.setText(
                _("Earlier dossiers of this ID number: {count}").format(count=len(found))
            )
        else:
            self.history_title.setText(_("Earlier dossiers of this ID number: none"))

    # -- saving --------------------------------------------------------------------------------

    def _request_or_fail(self) -> IntakeRequest | None:
        if self.busy:
            return None
        procedure = self.procedure
        if procedure is None:
            self._has_procedure()  # says what to do first
            return None
        try:
            applicant = self.applicant.applicant()
        except ValidationError as problem:
            self._fail(problem)
            return None
        has_fee = procedure.total_fee > 0
        return IntakeRequest(
            procedure_code=procedure.code,
            applicant=applicant,
            documents=self.checklist.ticks(),
            return_method=ReturnMethod(self.return_method.currentData()),
            payment_method=PaymentMethod(self.payment.currentData()) if has_fee else None,
            sets=self.sets.value(),
            ticket_number=self.ticket_number,
        )

    def _has_procedure(self) -> bool:
        if self.procedure is None:
            self._fail(ValidationError(_("Choose the procedure first: type its code or words of its name.")))
            return False
        return True

    def _actor_or_fail(self) -> Actor | None:
        if self.actor is None:
            self._fail(ValidationError(_("Sign in before receiving dossiers.")))
        return self.actor

    def _send_supplement(self, supplement: SupplementRequest) -> None:
        request = self._request_or_fail()
        actor = self._actor_or_fail() if request is not None else None
        if request is not None and actor is not None:
            self._submit(
                lambda: self.app.dossiers.receive_incomplete(actor, request, supplement),
                self._on_supplement_requested,
            )

    def _send_refusal(self, reason: str) -> None:
        request = self._request_or_fail()
        actor = self._actor_or_fail() if request is not None else None
        if request is not None and actor is not None:
            self._submit(
                lambda: self.app.dossiers.refuse_at_counter(actor, request, reason), self._on_refused
            )

    def _submit(self, call: Callable[[], DossierView], done: Callable[[DossierView], None]) -> None:
        self.busy = True
        self._show_feedback(_("Saving…"), "info")

        def finished(view: DossierView) -> None:
            self.busy = False
            done(view)

        def failed(problem: Exception) -> None:
            self.busy = False
            self._fail(problem)  # the editor, if open, stays open with its text: nothing is lost

        self._call(call, finished, failed)

    def _on_received(self, view: DossierView) -> None:
        sentence = _("Dossier {code} received.").format(code=view.code)
        self._after_save(" ".join([sentence, *view.warnings]))
        self.received.emit(view)

    def _on_supplement_requested(self, view: DossierView) -> None:
        self._after_save(
            _("Dossier {code} is incomplete; the applicant was asked for the missing documents.").format(
                code=view.code
            )
        )
        self.supplement_requested.emit(view)

    def _on_refused(self, view: DossierView) -> None:
        self._after_save(_("Dossier {code} was refused at the counter.").format(code=view.code))
        self.refused.emit(view)

    def _after_save(self, sentence: str) -> None:
        """The dossier part is cleared (no second save of the same one); the applicant stays for
        another procedure of the same citizen, until the window starts the next citizen."""
        self._close_editors()
        self._reset_dossier_part()
        self._say(sentence, "ok")
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- helpers -------------------------------------------------------------------------------

    def _reset_dossier_part(self) -> None:
        self.search.clear()
        self.results.clear()
        self._results = []
        self.results.show()
        self.sets.setValue(1)
        self.return_method.setCurrentIndex(0)
        self._set_procedure(None)

    def _editor_open(self) -> bool:
        return self.supplement_editor.isVisible() or self.refusal_editor.isVisible()

    def _close_editors(self) -> None:
        self.supplement_editor.hide()
        self.refusal_editor.hide()
        self._show_history_list(True)

    def _show_history_list(self, visible: bool) -> None:
        """An open editor takes the earlier-dossiers list's room, so the panel still fits 1366×768."""
        self.history_title.setVisible(visible)
        self.history.setVisible(visible)

    def _restore_focus(self) -> None:
        self._show_history_list(True)
        target = self._focus_before_editor
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _call(
        self, call: Callable[[], T], done: Callable[[T], None], failed: Callable[[Exception], None]
    ) -> None:
        """Through the window's runner; an answer arriving after the panel is gone is dropped."""
        alive = self._alive
        self.runner.run(
            call,
            lambda result: done(result) if alive[0] else None,
            lambda problem: failed(problem) if alive[0] else None,
        )

    def _fail_if_current(self, latest: _Latest, generation: int) -> Callable[[Exception], None]:
        """A look-up's failure is said only if no newer look-up of that kind was asked since."""

        def failed(problem: Exception) -> None:
            if latest.is_current(generation):
                self._fail(problem)

        return failed

    def _today(self) -> date:
        return local_date(self.app.ctx.clock.now())

    def _fail(self, problem: Exception) -> None:
        self._say(str(as_app_error(problem)), "error")

    def _say(self, text: str, level: str) -> None:
        self._show_feedback(text, level)
        self.message.emit(text)

    def _show_feedback(self, text: str, level: str) -> None:
        self.feedback.setText(text)
        self.feedback.setProperty("level", level)
        self.feedback.setStyleSheet(f"color: {_FEEDBACK_COLOURS[level]};")
