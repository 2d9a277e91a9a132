"""Procedure information by touch: a letter keyboard, the service areas as filters, a list, details.

The search itself is the catalogue's (diacritics ignored, so "khai sinh" finds "Đăng ký khai sinh");
this page only collects the words and shows what comes back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.dossier import PaymentMethod
from counter_app.domain.forms import copy_kind_words, money, payment_method_words, processing_time_words
from counter_app.i18n import _
from counter_app.services.procedures import ProcedureView
from counter_app.services.views import ServiceAreaView
from ui.kiosk.keypad import search_keyboard
from ui.kiosk.page import Page
from ui.kiosk.style import button, clear_layout_widgets, label

MAX_SEARCH_LENGTH = 40
ALL_AREAS = ""


def touch_scroll(area: QAbstractItemView | QScrollArea) -> None:
    """Drag with a finger to scroll (a touch screen has no wheel), pixel by pixel."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class InfoPage(Page):
    """``search`` carries (words, area prefix or "") whenever either changes; ``chosen`` a procedure."""

    search = Signal(str, str)
    chosen = Signal(object)  # ProcedureView

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Procedures, documents and fees"), parent)
        self.words = ""
        self.area = ALL_AREAS
        self.filter_buttons: dict[str, QPushButton] = {}
        self.shown: list[ProcedureView] = []
        columns = QHBoxLayout()
        columns.setSpacing(32)
        left = QVBoxLayout()
        left.setSpacing(16)
        self.entry = label("", "entry", wrap=False)
        left.addWidget(self.entry)
        self.count = label("", "small", wrap=False)
        left.addWidget(self.count)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setStyleSheet("QScrollBar:vertical { width: 36px; }")
        touch_scroll(self.results)
        self.results.itemClicked.connect(self._item_clicked)
        left.addWidget(self.results, 1)
        columns.addLayout(left, 5)

        right = QVBoxLayout()
        right.setSpacing(16)
        right.addWidget(label(_("Service:"), "small", wrap=False))
        self.filters_box = QWidget()
        self.filters = QHBoxLayout(self.filters_box)
        self.filters.setContentsMargins(0, 0, 0, 0)
        self.filters.setSpacing(12)
        right.addWidget(self.filters_box)
        right.addWidget(label(_("Type a few words of the procedure's name:"), "small"))
        self.keyboard = search_keyboard()
        self.keyboard.typed.connect(self._type)
        self.keyboard.erased.connect(lambda: self._set_words(self.words[:-1]))
        self.keyboard.cleared.connect(lambda: self._set_words(""))
        right.addWidget(self.keyboard)
        right.addStretch(1)
        columns.addLayout(right, 6)
        self.body.addLayout(columns, 1)

    def reset(self, areas: Sequence[ServiceAreaView]) -> None:
        """Fresh page for the next citizen: no words, all areas; asks for the full list."""
        clear_layout_widgets(self.filters_box)
        self.filter_buttons = {}
        for prefix, name in [(ALL_AREAS, _("All")), *((a.prefix, a.name) for a in areas)]:
            widget = button(name, "quiet")
            widget.setCheckable(True)
            widget.setStyleSheet("font-size: 30px;")
            widget.clicked.connect(lambda _checked=False, p=prefix: self._set_area(p))
            self.filter_buttons[prefix] = widget
            self.filters.addWidget(widget)
        self.words = ""
        self._set_area(ALL_AREAS)

    def show_results(self, views: Sequence[ProcedureView]) -> None:
        self.shown = list(views)
        self.results.clear()
        for view in views:
            item = QListWidgetItem(view.name)
            self.results.addItem(item)
        self.count.setText(
            _("{count} procedures found").format(count=len(views)) if views else _("No procedure found")
        )
        self.results.scrollToTop()

    def type_words(self, words: str) -> None:
        """Press the keys spelling ``words`` (tests and the demo)."""
        self.keyboard.press(words.upper())

    def _type(self, char: str) -> None:
        if len(self.words) < MAX_SEARCH_LENGTH and not (char == " " and self.words.endswith(" ")):
            self._set_words(self.words + char)

    def _set_words(self, words: str) -> None:
        self.words = words
        self.entry.setText(words)
        self.search.emit(self.words, self.area)

    def _set_area(self, prefix: str) -> None:
        self.area = prefix
        for key, widget in self.filter_buttons.items():
            widget.setChecked(key == prefix)
        self._set_words(self.words)

    def _item_clicked(self, item: QListWidgetItem) -> None:
        row = self.results.row(item)
        if 0 <= row < len(self.shown):
            self.chosen.emit(self.shown[row])


class ProcedurePage(Page):
    """One procedure: documents (copy kind and count), fee, processing time, result."""

    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.title.setStyleSheet("font-size: 44px;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet("QScrollBar:vertical { width: 36px; }")
        touch_scroll(scroll)
        self.content = QWidget()
        self.content.setObjectName("sheet")
        self.lines = QVBoxLayout(self.content)
        self.lines.setContentsMargins(28, 20, 28, 20)
        self.lines.setSpacing(14)
        scroll.setWidget(self.content)
        self.body.addWidget(scroll, 1)
        self.back_button = button(_("Back to the list"), "quiet")
        self.back_button.clicked.connect(self.back.emit)
        self.body.addWidget(self.back_button)

    def show_procedure(self, view: ProcedureView) -> None:
        procedure = view.procedure
        self.title.setText(procedure.name)
        clear_layout_widgets(self.content)
        add = self.lines.addWidget
        add(label(_("Procedure code: {code}").format(code=procedure.code), "small"))
        add(label(_("Processing time: {time}").format(time=processing_time_words(procedure.effective_time))))
        add(label(self._fees(view)))
        if procedure.fee_note:
            add(label(procedure.fee_note, "small"))
        add(label(_("Documents to bring:"), "notice"))
        for document in procedure.documents:
            kind = copy_kind_words(document.kind)
            add(
                label(
                    "•  "
                    + _("{name} ({kind}, {copies} copies)").format(
                        name=document.name, kind=kind.lower(), copies=document.copies
                    )
                )
            )
        if not procedure.documents:
            add(label(_("Ask at the counter."), "small"))
        if procedure.result_document:
            add(label(_("Result: {result}").format(result=procedure.result_document)))
        self.lines.addStretch(1)

    @staticmethod
    def _fees(view: ProcedureView) -> str:
        procedure = view.procedure
        if procedure.total_fee == 0:
            return payment_method_words(PaymentMethod.NONE)
        parts: list[str] = []
        if procedure.fee:
            parts.append(_("fee {amount}").format(amount=money(procedure.fee)))
        if procedure.charge:
            parts.append(_("charge {amount}").format(amount=money(procedure.charge)))
        return _("Fees: {fees}").format(fees=", ".join(parts))
