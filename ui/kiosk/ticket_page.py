"""The issued number: "please take your ticket", or, when the printer could not print, the number
huge on screen with a QR code a phone can photograph, and the reason in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app.cli.hardware import KioskPrint
from counter_app.domain.forms import short_time
from counter_app.domain.ticket_slip import TicketSlip
from counter_app.i18n import _
from ui.kiosk.page import Page
from ui.kiosk.qr import qr_image
from ui.kiosk.style import GREEN, RED, button, label

QR_MODULE_PX = 14
UNPRINTED_NUMBER_PX = 320


@dataclass(frozen=True)
class TicketScreen:
    """What the ticket page shows: the slip the printer got (or would have got) and how printing went."""

    slip: TicketSlip
    outcome: KioskPrint


class TicketPage(Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.home_button.hide()  # the "done" button below says the same in this page's words
        row = QHBoxLayout()
        row.setSpacing(40)
        left = QVBoxLayout()
        left.setSpacing(12)
        self.number = label("", "bigNumber", wrap=False, centred=True)
        self.area = label("", "title", centred=True)
        self.priority = label("", "priorityBanner", centred=True)
        left.addWidget(self.number)
        left.addWidget(self.area)
        left.addWidget(self.priority, 0, Qt.AlignmentFlag.AlignHCenter)
        facts = QGridLayout()
        facts.setHorizontalSpacing(24)
        facts.setVerticalSpacing(8)
        self.issued_at = label("", "body", wrap=False)
        self.people_ahead = label("", "body", wrap=False)
        self.wait = label("", "body", wrap=False)
        for index, (caption, value) in enumerate(
            (
                (_("Time"), self.issued_at),
                (_("People ahead of you"), self.people_ahead),
                (_("Estimated wait"), self.wait),
            )
        ):
            facts.addWidget(label(caption + ":", "body", wrap=False), index, 0, Qt.AlignmentFlag.AlignRight)
            facts.addWidget(value, index, 1)
        left.addLayout(facts)
        left.addStretch(1)
        row.addLayout(left, 3)

        right = QVBoxLayout()
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = label(
            _("Photograph this screen and show it at the counter."), "small", centred=True
        )
        right.addWidget(self.qr)
        right.addWidget(self.qr_caption)
        right.addStretch(1)
        self.qr_box = QWidget()
        self.qr_box.setLayout(right)
        row.addWidget(self.qr_box, 2)
        self.body.addLayout(row, 1)

        self.reason = label("", "notice", centred=True)
        self.body.addWidget(self.reason)
        self.done_button = button(_("Done"), "go")
        self.done_button.clicked.connect(self.home.emit)
        self.body.addWidget(self.done_button)

    def show_ticket(self, screen: TicketScreen) -> None:
        slip, outcome = screen.slip, screen.outcome
        self.number.setText(slip.number)
        # Without paper the screen is the ticket: the number even larger.
        self.number.setStyleSheet("" if outcome.printed else f"font-size: {UNPRINTED_NUMBER_PX}px;")
        self.area.setText(slip.service_name)
        self.priority.setVisible(slip.priority)
        self.priority.setText(_("Priority number"))
        self.issued_at.setText(short_time(slip.issued_at))
        self.people_ahead.setText(str(slip.people_ahead))
        self.wait.setText(
            _("about {minutes} min").format(minutes=slip.wait_minutes)
            if slip.wait_minutes
            else _("your turn is next")
        )
        if outcome.printed:
            self.title.setText(_("Please take your ticket below."))
            self.title.setStyleSheet(f"color: {GREEN};")
            self.qr.clear()
            self.qr_box.hide()
            self.reason.setText("")
            self.reason.hide()
            return
        self.title.setText(_("The ticket could not be printed: please remember your number."))
        self.title.setStyleSheet(f"color: {RED};")
        self.qr.setPixmap(QPixmap.fromImage(qr_image(slip.lookup_reference, QR_MODULE_PX)))
        self.qr_box.show()
        # The citizen reads why in a few words and that the number stands; staff wording stays in the log.
        cause = outcome.reason or (outcome.messages[0] if outcome.messages else "")
        self.reason.setText(
            _("Cause: {cause}. Your number is in the queue: note it or photograph the QR code.").format(
                cause=cause
            )
        )
        self.reason.show()

    @property
    def qr_pixmap(self) -> QPixmap:
        return self.qr.pixmap()
