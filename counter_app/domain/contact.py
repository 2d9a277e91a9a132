"""Phone numbers and e-mail addresses as an officer types them, normalised so a search finds them."""

from __future__ import annotations

import re

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_phone(text: str) -> str:
    """Vietnamese numbers in their national form (0xxxxxxxxx): spaces, dots and "+84" are dropped.

    Mobile numbers have 10 digits, landlines 10 or 11 (02xx…); anything else is refused rather
    than stored in a shape nobody can search for.
    """
    raw = re.sub(r"[\s.\-()]", "", text)
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if not raw.isascii() or not raw.isdigit() or not raw.startswith("0") or len(raw) not in (10, 11):
        raise ValidationError(
            _("'{phone}' is not a Vietnamese phone number (10 digits starting with 0).").format(
                phone=text.strip()
            )
        )
    return raw


def looks_like_phone(text: str) -> bool:
    try:
        normalise_phone(text)
    except ValidationError:
        return False
    return True


def check_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or len(value) > 200:
        raise ValidationError(_("'{email}' is not an e-mail address.").format(email=value))
    return value
