"""Qt tests run offscreen (set before any QApplication exists, in tests/conftest.py) in the product's font."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ui.fonts import use_product_font


@pytest.fixture(autouse=True)
def product_font(qapp: QApplication) -> None:
    use_product_font(qapp)
