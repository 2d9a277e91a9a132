"""The strip at the top of the counter window: who and where, who is waiting, the link to central, devices.

Problems are red with their reason; everything here is read-only and refreshed by the window.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from counter_app.i18n import _
from counter_app.services.views import WaitingCount

_OK = "color: #1b5e20;"
_PROBLEM = "color: #b00020; font-weight: bold;"


class HeaderBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setStyleSheet("#header { background: #e8eef7; border-bottom: 1px solid #9fb3d1; }")
        self.who = QLabel()
        self.who.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.waiting = QLabel()
        self.sync = QLabel()
        self.devices = QLabel()
        for label in (self.waiting, self.sync, self.devices):
            label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(24)
        layout.addWidget(self.who, 3)
        layout.addWidget(self.waiting, 3)
        layout.addWidget(self.sync, 2)
        layout.addWidget(self.devices, 3)

    def show_counter(self, label: str, officer: str, state: str) -> None:
        self.who.setText(
            _("Counter {label} · {officer} · {state}").format(label=label, officer=officer, state=state)
        )

    def show_waiting(self, counts: Sequence[WaitingCount], mine: Sequence[str]) -> None:
        """Waiting citizens per service area; the counter's own areas first, in bold."""
        parts = []
        for count in sorted(counts, key=lambda c: (c.prefix not in mine, c.prefix)):
            text = _("{prefix} {name}: {waiting} waiting").format(
                prefix=count.prefix, name=html.escape(count.name), waiting=count.waiting
            )
            if count.priority_waiting:
                text += " " + _("({n} priority)").format(n=count.priority_waiting)
            parts.append(f"<b>{text}</b>" if count.prefix in mine else text)
        self.waiting.setText("<br>".join(parts) if parts else _("No service area."))

    def show_sync(self, text: str, ok: bool) -> None:
        self.sync.setText(text)
        self.sync.setStyleSheet(_OK if ok else _PROBLEM)

    def show_devices(self, problems: Sequence[str]) -> None:
        if problems:
            self.devices.setText("<br>".join(html.escape(problem) for problem in problems))
            self.devices.setStyleSheet(_PROBLEM)
        else:
            self.devices.setText(_("Devices: all working"))
            self.devices.setStyleSheet(_OK)
