"""Digitised documents: which files are accepted and how they are addressed (by SHA-256)."""

from __future__ import annotations

import hashlib

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

# Recognised by their first bytes, not by the file name a scanner happened to give them.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_media_type(content: bytes, file_name: str) -> str:
    for signature, media_type in _SIGNATURES:
        if content.startswith(signature):
            return media_type
    raise ValidationError(_("The file '{name}' is not a PDF, JPEG or PNG document.").format(name=file_name))


def check_file(content: bytes, file_name: str, max_bytes: int) -> tuple[str, str]:
    """(sha256, media type) of an acceptable file; a clear reason otherwise."""
    if not content:
        raise ValidationError(_("The file '{name}' is empty.").format(name=file_name))
    if len(content) > max_bytes:
        raise ValidationError(
            _("The file '{name}' is {size} MB; at most {limit} MB is accepted.").format(
                name=file_name, size=round(len(content) / 1_048_576, 1), limit=max_bytes // 1_048_576
            )
        )
    media_type = sniff_media_type(content, file_name)
    return hashlib.sha256(content).hexdigest(), media_type
