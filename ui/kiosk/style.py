"""The kiosk's look: high contrast, large type and touch targets a gloved or shaky finger can hit.

Citizens use the kiosk once, standing, often without glasses: every tappable thing is at least
``TOUCH_PX`` tall, text is large, and colour is never the only signal (labels always say it too).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

SCREEN_WIDTH, SCREEN_HEIGHT = 1920, 1080
TOUCH_PX = 120  # the smallest height of anything a citizen taps

NAVY = "#0b2e59"
BLUE = "#0d47a1"
BLUE_PRESSED = "#08306b"
AMBER = "#ffb300"
GREEN = "#1b5e20"
RED = "#b71c1c"
INK = "#111111"
PAPER = "#ffffff"
MIST = "#eef2f7"

STYLE_SHEET = f"""
QWidget#kioskRoot {{ background: {MIST}; }}
QWidget {{ color: {INK}; }}
QLabel#header {{ background: {NAVY}; color: {PAPER}; font-size: 40px; font-weight: bold;
    padding: 18px 32px; }}
QLabel#clock {{ background: {NAVY}; color: {PAPER}; font-size: 40px; padding: 18px 32px; }}
QLabel#title {{ font-size: 54px; font-weight: bold; color: {NAVY}; }}
QLabel#body {{ font-size: 36px; }}
QLabel#small {{ font-size: 30px; color: #333333; }}
QLabel#notice {{ font-size: 36px; font-weight: bold; color: {RED}; }}
QLabel#priorityBanner {{ font-size: 36px; font-weight: bold; background: {AMBER}; color: {INK};
    padding: 12px 24px; border-radius: 12px; }}
QLabel#bigNumber {{ font-size: 260px; font-weight: bold; color: {NAVY}; }}
QLabel#entry {{ font-size: 56px; font-weight: bold; background: {PAPER}; border: 4px solid {NAVY};
    border-radius: 12px; padding: 8px 24px; min-height: 100px; }}
QPushButton {{ font-size: 40px; font-weight: bold; color: {PAPER}; background: {BLUE};
    border: none; border-radius: 16px; padding: 8px 24px; }}
QPushButton:pressed {{ background: {BLUE_PRESSED}; }}
QPushButton:disabled {{ background: #7a8699; }}
QPushButton[role="area"] {{ font-size: 44px; text-align: left; padding-left: 36px; }}
QPushButton[role="priority"] {{ background: {AMBER}; color: {INK}; }}
QPushButton[role="priority"]:checked {{ background: {INK}; color: {AMBER}; }}
QPushButton[role="quiet"] {{ background: {PAPER}; color: {NAVY}; border: 4px solid {NAVY}; }}
QPushButton[role="quiet"]:checked {{ background: {NAVY}; color: {PAPER}; }}
QPushButton[role="key"] {{ font-size: 48px; background: {PAPER}; color: {INK}; border: 3px solid #6b7a90; }}
QPushButton[role="key"]:pressed {{ background: #cfd8e6; }}
QPushButton[role="go"] {{ background: {GREEN}; }}
QListWidget {{ font-size: 34px; background: {PAPER}; border: 3px solid #6b7a90; border-radius: 12px; }}
QListWidget::item {{ padding: 22px 16px; border-bottom: 2px solid #d5dbe5; }}
QListWidget::item:selected {{ background: #cfd8e6; color: {INK}; }}
QScrollArea {{ border: none; background: transparent; }}
QWidget#sheet {{ background: {PAPER}; border-radius: 12px; }}
"""


def button(text: str, role: str = "", *, height: int = TOUCH_PX) -> QPushButton:
    """A touch button: at least ``TOUCH_PX`` tall, never takes keyboard focus (there is no keyboard)."""
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setMinimumHeight(max(height, TOUCH_PX))
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return widget


def label(text: str = "", name: str = "body", *, wrap: bool = True, centred: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # names and codes are shown, never interpreted
    if centred:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def clear_layout_widgets(parent: QWidget) -> None:
    """Remove and delete every child widget of ``parent``'s layout (pages rebuilt from fresh data)."""
    layout = parent.layout()
    if layout is None:
        return
    while layout.count():
        item = layout.takeAt(0)
        child = item.widget() if item is not None else None
        if child is not None:
            child.hide()  # gone from the screen now, not at the next event-loop turn
            child.setParent(None)
            child.deleteLater()
