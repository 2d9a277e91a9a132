"""The applicant's fields (Mẫu 01 items 3–4), filled by hand or by one scan of the chip card's QR code.

The ID number is checked as it is typed, against the date of birth and gender entered, by the
domain's validator: the line under the field gives its exact reason, a warning for an unknown
birthplace code, or ✓ with what the number encodes so the officer can compare it with the card.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from counter_app.domain.applicant import Applicant
from counter_app.domain.citizen_id import ChipCard, Gender, gender_label
from counter_app.domain.clock import format_date, parse_date
from counter_app.domain.errors import ValidationError
from counter_app.i18n import _
from ui.counter.intake_text import IdCheck, check_id_as_typed

_EIGHT_DIGITS = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$")
_LEVEL_COLOURS = {"error": "#b71c1c", "warning": "#8a5a00", "ok": "#1b5e20", "empty": "#555555"}


def read_date_of_birth(text: str) -> date | None:
    """dd/mm/yyyy as typed; "12031995" is accepted too (officers type digits only). Empty → None."""
    value = text.strip()
    if not value:
        return None
    match = _EIGHT_DIGITS.match(value)
    if match:
        value = "/".join(match.groups())
    return parse_date(value)


def _pair(first: QWidget, label: str, second: QWidget) -> QHBoxLayout:
    """Two short fields on one row: the whole form fits beside the checklist on a 768-pixel screen."""
    row = QHBoxLayout()
    row.addWidget(first, 1)
    row.addWidget(QLabel(label))
    row.addWidget(second, 1)
    return row


class _StatusLine(QLabel):
    """A wrapped label whose height follows its real width (a form layout asks only ``sizeHint``,
    which QLabel computes for an arbitrary wrap width and so leaves a gap or clips the reason)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = self.width() if self.width() > 50 else 300
        return QSize(super().sizeHint().width(), max(self.minimumHeight(), self.heightForWidth(width)))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()


class ApplicantForm(QWidget):
    """``id_checked`` carries the :class:`IdCheck` after every change of the number, date or gender."""

    id_checked = Signal(object)

    def __init__(self, today: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._last_check = IdCheck("empty", "")
        self.name = QLineEdit()
        self.name.setObjectName("applicant-name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("applicant-id")
        self.id_number.setMaxLength(16)
        self.id_number.setPlaceholderText(_("12 digits"))
        self.id_status = _StatusLine()
        self.id_status.setObjectName("applicant-id-status")
        self.id_status.setWordWrap(True)
        # One line at least, so the form does not jump when the first digit is typed.
        self.id_status.setMinimumHeight(self.id_status.fontMetrics().lineSpacing())
        self.id_status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.old_id_number = QLineEdit()
        self.old_id_number.setPlaceholderText(_("optional, to find earlier records"))
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText("dd/mm/yyyy")
        self.date_of_birth.setMaxLength(10)
        self.gender = QComboBox()
        self.gender.addItem("—", None)
        for gender in Gender:
            self.gender.addItem(gender_label(gender), gender.value)
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()

        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(4)
        layout.addRow(_("Full name"), self.name)
        layout.addRow(_("Personal ID number"), self.id_number)
        layout.addRow("", self.id_status)
        layout.addRow(_("Date of birth"), _pair(self.date_of_birth, _("Gender"), self.gender))
        layout.addRow(_("Old ID card (CMND)"), self.old_id_number)
        layout.addRow(_("Address"), self.address)
        layout.addRow(_("Phone"), _pair(self.phone, _("Email"), self.email))

        self.id_number.textChanged.connect(self._check_id)
        self.date_of_birth.textChanged.connect(self._check_id)
        self.gender.currentIndexChanged.connect(self._check_id)
        self._show_check(self._last_check)

    @property
    def fields(self) -> list[QWidget]:
        """Top to bottom: the Tab order the panel chains."""
        return [
            self.name,
            self.id_number,
            self.date_of_birth,
            self.gender,
            self.old_id_number,
            self.address,
            self.phone,
            self.email,
        ]

    @property
    def last_check(self) -> IdCheck:
        return self._last_check

    def clear(self) -> None:
        for field in (
            self.name,
            self.id_number,
            self.old_id_number,
            self.date_of_birth,
            self.address,
            self.phone,
            self.email,
        ):
            field.clear()
        self.gender.setCurrentIndex(0)

    def fill_card(self, card: ChipCard) -> None:
        """What one scan of the card gives; the phone and email stay as typed (the card has neither)."""
        self.name.setText(card.full_name)
        self.date_of_birth.setText(format_date(card.date_of_birth))
        self.gender.setCurrentIndex(max(0, self.gender.findData(card.gender.value)))
        self.old_id_number.setText(card.old_id_number or "")
        self.address.setText(card.address)
        self.id_number.setText(card.id_number)  # last: checked once against the date and gender above
        for field in (self.name, self.address):
            field.setCursorPosition(0)  # a long address shows its house number, not its province

    def applicant(self) -> Applicant:
        """The values as typed; the service normalises and judges them (name, ID, phone, email)."""
        gender_value = self.gender.currentData()
        return Applicant(
            name=self.name.text(),
            id_number=self.id_number.text().strip() or None,
            old_id_number=self.old_id_number.text().strip() or None,
            date_of_birth=read_date_of_birth(self.date_of_birth.text()),
            gender=Gender(gender_value) if gender_value else None,
            address=self.address.text(),
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
        )

    # -- the line under the ID -----------------------------------------------------------------

    def _check_id(self) -> None:
        try:
            born = read_date_of_birth(self.date_of_birth.text())
        except ValidationError:
            born = None  # half-typed: judge the number alone until the date is complete
        gender_value = self.gender.currentData()
        check = check_id_as_typed(
            self.id_number.text(),
            today=self._today(),
            date_of_birth=born,
            gender=Gender(gender_value) if gender_value else None,
        )
        self._show_check(check)
        if check != self._last_check:
            self._last_check = check
            self.id_checked.emit(check)

    def _show_check(self, check: IdCheck) -> None:
        self.id_status.setText(check.text or _("Scan the card's QR code or type the 12 digits."))
        self.id_status.setProperty("level", check.level)
        self.id_status.setStyleSheet(f"color: {_LEVEL_COLOURS[check.level]};")
