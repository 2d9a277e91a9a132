"""The queue side of the counter: the citizen at the counter and the five keys that move the queue."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from counter_app.domain.clock import format_local_time
from counter_app.domain.queue import ticket_status_label
from counter_app.i18n import _
from counter_app.services.views import TicketView


class QueuePanel(QFrame):
    """Shows the current ticket; its buttons trigger the window's actions (the same as F1–F5)."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(270)
        self.number = QLabel("—")
        self.number.setObjectName("current-number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet("font-size: 40pt; font-weight: bold; color: #0d47a1;")
        self.details = QLabel(_("No citizen at the counter. Press F1 to call the next one."))
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("At the counter")))
        layout.addWidget(self.number)
        layout.addWidget(self.details)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(38)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys, not focus: the form keeps its cursor
            layout.addWidget(button)
        layout.addStretch(1)

    def show_ticket(self, ticket: TicketView | None) -> None:
        if ticket is None:
            self.number.setText("—")
            self.details.setText(_("No citizen at the counter. Press F1 to call the next one."))
            return
        self.number.setText(ticket.number)
        lines = [
            ticket.service_name,
            _("{status} · issued {time}").format(
                status=ticket_status_label(ticket.status), time=format_local_time(ticket.issued_at)
            ),
        ]
        if ticket.priority:
            lines.append(_("Priority: {reason}").format(reason=ticket.priority_reason or _("yes")))
        if ticket.recall_count:
            lines.append(_("Recalled {n} times").format(n=ticket.recall_count))
        self.details.setText("\n".join(lines))
