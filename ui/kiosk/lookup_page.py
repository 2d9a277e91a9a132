"""Dossier look-up: scan the receipt's barcode or type its code; the answer shows initials only.

The citizen sees the status and the appointment of the dossier whose code they hold, and nothing
personal beyond the first letters of the name (``PublicStatus``): anyone can stand at a kiosk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from counter_app.domain.dossier import status_label
from counter_app.domain.forms import short_date
from counter_app.i18n import _
from counter_app.services.dossier_queries import PublicStatus
from ui.kiosk.keypad import code_keypad
from ui.kiosk.page import Page
from ui.kiosk.style import GREEN, button, label

MAX_CODE_LENGTH = 40  # longer than any dossier code; stops a stuck finger from filling the screen


class LookupPage(Page):
    """The code entry; ``look_up`` carries the code when the citizen presses "look up"."""

    look_up = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Dossier status"), parent)
        self.code = ""
        self.body.addWidget(
            label(
                _(
                    "Scan the barcode on your receipt under the scanner, "
                    "or type the dossier code (for example 000.00.10.H49-261123-0007)."
                ),
                "body",
            )
        )
        row = QHBoxLayout()
        row.setSpacing(20)
        self.entry = label("", "entry", wrap=False)
        self.go_button = button(_("Look up"), "go")
        self.go_button.setFixedWidth(420)
        self.go_button.clicked.connect(self._submit)
        row.addWidget(self.entry, 1)
        row.addWidget(self.go_button)
        self.body.addLayout(row)
        self.keypad = code_keypad()
        self.keypad.typed.connect(self._type)
        self.keypad.erased.connect(lambda: self.set_code(self.code[:-1]))
        self.keypad.cleared.connect(lambda: self.set_code(""))
        self.body.addWidget(self.keypad)
        self.body.addStretch(1)
        self.set_code("")

    def set_code(self, code: str) -> None:
        self.code = code
        self.entry.setText(code)
        self.go_button.setEnabled(bool(code))

    def _type(self, char: str) -> None:
        if len(self.code) < MAX_CODE_LENGTH:
            self.set_code(self.code + char)

    def _submit(self) -> None:
        if self.code:
            self.look_up.emit(self.code)


class StatusPage(Page):
    """The answer: code, initials, procedure, status and appointment (dd/mm/yyyy)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Dossier status"), parent)
        grid = QGridLayout()
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(24)
        self.code = label("", "body")
        self.initials = label("", "body")
        self.procedure = label("", "body")
        self.status = label("", "body")
        self.appointment = label("", "body")
        for index, (caption, value) in enumerate(
            (
                (_("Dossier code"), self.code),
                (_("Applicant"), self.initials),
                (_("Procedure"), self.procedure),
                (_("Status"), self.status),
                (_("Appointment for the result"), self.appointment),
            )
        ):
            grid.addWidget(label(caption + ":", "small", wrap=False), index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, index, 1)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)
        self.ready = label("", "title")
        self.ready.setStyleSheet(f"color: {GREEN};")
        self.body.addWidget(self.ready)
        self.body.addStretch(1)
        self.again_button = button(_("Look up another dossier"), "quiet")
        self.body.addWidget(self.again_button)

    def show_status(self, status: PublicStatus) -> None:
        self.code.setText(status.code)
        self.initials.setText(status.initials)
        self.procedure.setText(status.procedure_name)
        words = status_label(status.status)
        self.status.setText(words[:1].upper() + words[1:])
        self.status.setStyleSheet("font-weight: bold;")
        self.appointment.setText(short_date(status.due_at) or "—")
        self.ready.setText(
            _("Your result is ready: please come to the counter to collect it.")
            if status.result_ready
            else ""
        )
        self.ready.setVisible(status.result_ready)
