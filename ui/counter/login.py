"""Log in and open a counter in one screen: user name, password, counter, Enter."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.views import CounterView
from ui.common.runner import ServiceRunner


@dataclass(frozen=True)
class OpenedCounter:
    actor: Actor
    counter: CounterView


class LoginDialog(QDialog):
    """Authenticates and opens the chosen counter (a lock-out or a counter taken by someone else is
    said here, in the dialog, and the typed user name stays)."""

    def __init__(
        self,
        app: CounterApp,
        runner: ServiceRunner,
        parent: QWidget | None = None,
        counter: str | None = None,
        username: str = "",
    ) -> None:
        super().__init__(parent)
        self.app, self.runner = app, runner
        self.opened: OpenedCounter | None = None
        self.setWindowTitle(_("Open the counter"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.counter = QComboBox()
        for view in app.catalogue.list_counters():
            if view.active:
                self.counter.addItem(_("Counter {label}").format(label=view.label), view.label)
        if counter is not None and (index := self.counter.findData(counter)) >= 0:
            self.counter.setCurrentIndex(index)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Counter"), self.counter)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Open the counter"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.username.setText(username)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        label = str(self.counter.currentData() or "")
        if not username or not password:
            self.problem.setText(_("Type your user name and password."))
            return
        if not label:
            self.problem.setText(_("There is no counter to open; an administrator must add one."))
            return
        self.problem.setText(_("Checking…"))

        def open_counter() -> OpenedCounter:
            actor = self.app.users.authenticate(username, password)
            return OpenedCounter(actor, self.app.counters.open(actor, label))

        self.runner.run(open_counter, self._opened, self._failed)

    def _opened(self, opened: OpenedCounter) -> None:
        self.opened = opened
        self.password.clear()
        self.accept()

    def _failed(self, problem: Exception) -> None:
        self.problem.setText(str(problem))
        self.password.clear()
        self.password.setFocus()
