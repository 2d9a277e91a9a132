"""The start screen: one big button per service area, the priority choice, look-up and information.

Tapping an area takes a number at once (no confirmation: one tap, one ticket); the priority choice,
when made, shows as a banner until the ticket is taken or the kiosk goes back to rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from counter_app.domain.queue import PriorityChoice, priority_choices
from counter_app.i18n import _
from counter_app.services.views import ServiceAreaView
from ui.kiosk.icons import INFO_SYMBOL, LOOKUP_SYMBOL, PRIORITY_SYMBOL, area_symbol, symbol_icon
from ui.kiosk.page import MARGIN, Page
from ui.kiosk.style import AMBER, INK, NAVY, PAPER, button, clear_layout_widgets, label

AREA_COLUMNS = 2
AREA_BUTTON_PX = 150
AREA_BUTTON_MAX_PX = 240
AREA_ICON_PX = 96
TOOL_ICON_PX = 64


class StartPage(QWidget):
    area_chosen = Signal(str)  # the area's prefix
    priority_pressed = Signal()
    lookup_pressed = Signal()
    info_pressed = Signal()

    def __init__(self, centre_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, MARGIN)
        outer.setSpacing(24)
        top = QHBoxLayout()
        top.setSpacing(0)
        self.header = label(centre_name, "header", wrap=False)
        self.clock = label("", "clock", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.header, 1)
        top.addWidget(self.clock, 0)
        outer.addLayout(top)

        inner = QVBoxLayout()
        inner.setContentsMargins(MARGIN, 0, MARGIN, 0)
        inner.setSpacing(24)
        outer.addLayout(inner, 1)
        self.prompt = label(_("Please touch the service you need to take a number"), "title", centred=True)
        inner.addWidget(self.prompt)
        self.priority_banner = label("", "priorityBanner", centred=True)
        self.priority_banner.hide()
        inner.addWidget(self.priority_banner)
        self.areas_box = QWidget()
        self.areas_grid = QGridLayout(self.areas_box)
        self.areas_grid.setContentsMargins(0, 0, 0, 0)
        self.areas_grid.setSpacing(24)
        self.areas_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        inner.addWidget(self.areas_box, 1)
        self.no_areas = label(_("No service is taking tickets at the moment."), "notice", centred=True)
        self.no_areas.hide()
        inner.addWidget(self.no_areas)

        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        self.priority_button = button(_("Priority ticket"), "priority", height=140)
        self.priority_button.setCheckable(True)
        self.priority_button.clicked.connect(self._priority_clicked)
        self.lookup_button = button(_("Dossier status"), "quiet", height=140)
        self.lookup_button.clicked.connect(self.lookup_pressed.emit)
        self.info_button = button(_("Procedures and fees"), "quiet", height=140)
        self.info_button.clicked.connect(self.info_pressed.emit)
        for widget, symbol, colour, checked in (
            (self.priority_button, PRIORITY_SYMBOL, INK, AMBER),
            (self.lookup_button, LOOKUP_SYMBOL, NAVY, NAVY),
            (self.info_button, INFO_SYMBOL, NAVY, NAVY),
        ):
            widget.setIcon(symbol_icon(symbol, TOOL_ICON_PX, colour, checked))
            widget.setIconSize(QSize(TOOL_ICON_PX, TOOL_ICON_PX))
            bottom.addWidget(widget)
        inner.addLayout(bottom)
        self.area_buttons: dict[str, QPushButton] = {}

    def set_areas(self, areas: Sequence[ServiceAreaView]) -> None:
        clear_layout_widgets(self.areas_box)
        self.area_buttons = {}
        for index, area in enumerate(areas):
            widget = button(area.name, "area", height=AREA_BUTTON_PX)
            widget.setIcon(symbol_icon(area_symbol(area.name), AREA_ICON_PX, PAPER))
            widget.setIconSize(QSize(AREA_ICON_PX, AREA_ICON_PX))
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            widget.setMaximumHeight(AREA_BUTTON_MAX_PX)
            widget.clicked.connect(lambda _checked=False, prefix=area.prefix: self.area_chosen.emit(prefix))
            self.area_buttons[area.prefix] = widget
            self.areas_grid.addWidget(widget, index // AREA_COLUMNS, index % AREA_COLUMNS)
        self.no_areas.setVisible(not areas)

    def set_priority(self, choice: PriorityChoice | None) -> None:
        """Show the chosen category (or none) on the banner and the button."""
        self.priority_button.setChecked(choice is not None)
        if choice is None:
            self.priority_banner.hide()
            return
        self.priority_banner.setText(
            _("Priority: {category}. Now touch the service you need.").format(category=choice.label)
        )
        self.priority_banner.show()

    def _priority_clicked(self) -> None:
        # The window decides (choose a category, or cancel the one chosen); the button follows it.
        self.priority_button.setChecked(not self.priority_button.isChecked())
        self.priority_pressed.emit()


class PriorityPage(Page):
    """The legal categories (queue.md); choosing one marks the next ticket as priority."""

    chosen = Signal(object)  # PriorityChoice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Priority ticket"), parent)
        self.body.addWidget(
            label(
                _("By law, these people are served first. Please touch the one that applies to you:"),
                "body",
            )
        )
        grid = QGridLayout()
        grid.setSpacing(24)
        self.choice_buttons: dict[str, QPushButton] = {}
        for index, choice in enumerate(priority_choices()):
            widget = button(choice.label, "priority", height=150)
            widget.clicked.connect(lambda _checked=False, c=choice: self.chosen.emit(c))
            self.choice_buttons[choice.reason] = widget
            grid.addWidget(widget, index // 2, index % 2)
        self.body.addLayout(grid)
        self.body.addStretch(1)
        self.cancel_button = button(_("No priority: back to the services"), "quiet")
        self.cancel_button.clicked.connect(self.home.emit)
        self.body.addWidget(self.cancel_button)
