"""One dossier, opened by a scan or from the search: its state, and returning its result in one key.

A late dossier shows the apology flow: if Mẫu 04 was recorded it can be printed; if not, the form for
it (reason, unit at fault, its head, new date) is here, and the service decides who may record it.
"""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from counter_app.domain.clock import LOCAL_TZ, format_local_datetime, parse_date
from counter_app.domain.dossier import DossierStatus, status_label
from counter_app.domain.errors import ValidationError
from counter_app.i18n import _
from counter_app.services.dossier_requests import Apology
from counter_app.services.dossier_views import DossierView
from ui.counter.intake_text import appointment_text

# Still at the agencies and past the appointment: the apology (Mẫu 04) is owed, and possible only once.
_MAY_APOLOGISE = frozenset({DossierStatus.RECEIVED, DossierStatus.TRANSFERRED})


class DossierPanel(QFrame):
    return_requested = Signal(str)  # code
    apology_requested = Signal(str, object)  # code, Apology
    print_requested = Signal(str, str)  # code, form number

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: DossierView | None = None
        self.title = QLabel(_("Scan a receipt's barcode anywhere in the window, or search (Ctrl+F)."))
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.return_button = QPushButton(_("Return the result (F6)"))
        self.return_button.clicked.connect(self.request_return)
        self.print_apology = QPushButton(_("Print the apology, Mẫu 04 (Ctrl+4)"))
        self.print_apology.clicked.connect(lambda: self._print("04"))
        self.apology = QFrame()
        form = QFormLayout(self.apology)
        self.reason = QLineEdit()
        self.unit = QLineEdit()
        self.head = QLineEdit()
        self.new_date = QLineEdit()
        self.new_date.setPlaceholderText("dd/mm/yyyy")
        form.addRow(_("Reason for the delay"), self.reason)
        form.addRow(_("Unit at fault"), self.unit)
        form.addRow(_("Head of that unit (signs)"), self.head)
        form.addRow(_("New appointment"), self.new_date)
        record = QPushButton(_("Record the apology (Mẫu 04)"))
        record.clicked.connect(self._record_apology)
        form.addRow(record)
        self.new_date.returnPressed.connect(self._record_apology)
        layout = QVBoxLayout(self)
        for widget in (
            self.title,
            self.details,
            self.state,
            self.return_button,
            self.print_apology,
            self.apology,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.show_dossier(None)

    def show_dossier(
        self, view: DossierView | None, now: datetime | None = None, *, may_apologise: bool = True
    ) -> None:
        self.view = view
        self.return_button.setVisible(False)
        self.print_apology.setVisible(False)
        self.apology.setVisible(False)
        if view is None:
            self.details.clear()
            self.state.clear()
            return
        self.title.setText(f"{view.code} · {status_label(view.status)}")
        self.details.setText(
            "\n".join(
                [
                    view.procedure.name,
                    _("Applicant: {name}").format(name=view.applicant.name),
                    _("Received: {when}").format(
                        when=format_local_datetime(view.received_at) if view.received_at else "—"
                    ),
                    appointment_text(view.due_at) if view.due_at else _("No appointment yet."),
                ]
            )
        )
        late = bool(now and view.due_at and view.status in _MAY_APOLOGISE and now > view.due_at)
        if view.status is DossierStatus.RESULT_READY:
            self.state.setText(_("The result is ready: press F6 to return it to the applicant."))
            self.state.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.return_button.setVisible(True)
        elif view.status is DossierStatus.RETURNED:
            self.state.setText(
                _("The result was returned on {when}.").format(
                    when=format_local_datetime(view.returned_at) if view.returned_at else "—"
                )
            )
            self.state.setStyleSheet("")
        else:
            self.state.setText(_("The result is not ready yet."))
            self.state.setStyleSheet("")
        if view.rescheduled_due_at is not None:
            self.print_apology.setVisible(True)
        elif late:
            self.state.setText(
                self.state.text()
                + "\n"
                + _("Late: the appointment has passed; an apology with a new date is owed (Mẫu 04).")
            )
            self.state.setStyleSheet("color: #b00020; font-weight: bold;")
            if may_apologise:
                self.apology.setVisible(True)
            else:
                self.state.setText(
                    self.state.text()
                    + "\n"
                    + _(
                        "Your account cannot record the apology and new date (Mẫu 04): "
                        "please tell the supervisor."
                    )
                )

    def request_return(self) -> None:
        if self.view is not None and self.view.status is DossierStatus.RESULT_READY:
            self.return_requested.emit(self.view.code)

    def request_apology_print(self) -> None:
        if self.print_apology.isVisible():
            self._print("04")

    def _print(self, form: str) -> None:
        if self.view is not None:
            self.print_requested.emit(self.view.code, form)

    def _record_apology(self) -> None:
        if self.view is None:
            return
        try:
            day = parse_date(self.new_date.text())
        except ValidationError as exc:  # the domain's sentence, shown in place
            self.state.setText(str(exc))
            return
        # The appointment keeps the original hour of day (usually the afternoon's return time).
        hour = self.view.due_at.astimezone(LOCAL_TZ).time() if self.view.due_at else time(16, 0)
        apology = Apology(
            self.reason.text(), self.unit.text(), self.head.text(), datetime.combine(day, hour, LOCAL_TZ)
        )
        self.apology_requested.emit(self.view.code, apology)
