"""A QR code as a QImage, drawn module by module: sharp at any size, no Pillow round trip.

Shown when the ticket could not be printed, so that a citizen can photograph the screen and the
counter can scan the photo (the payload is the ticket's look-up reference).
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def qr_image(text: str, module_px: int = 12) -> QImage:
    """Black modules on white, ``module_px`` pixels each, with the standard quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()  # includes the border
    side = len(matrix) * module_px
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        for row, cells in enumerate(matrix):
            for column, dark in enumerate(cells):
                if dark:
                    painter.fillRect(
                        column * module_px, row * module_px, module_px, module_px, Qt.GlobalColor.black
                    )
    finally:
        painter.end()
    return image
