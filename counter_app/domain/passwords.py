"""Password rules for staff accounts (hashing itself is argon2, in the service layer)."""

from __future__ import annotations

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

MIN_LENGTH = 8


def check_password_rules(password: str, username: str, min_length: int = MIN_LENGTH) -> None:
    """Raise a specific, translated reason when ``password`` is too weak."""
    if len(password) < min_length:
        raise ValidationError(_("The password must have at least {n} characters.").format(n=min_length))
    if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
        raise ValidationError(_("The password must contain both letters and digits."))
    if username and username.casefold() in password.casefold():
        raise ValidationError(_("The password must not contain the user name."))
    if password != password.strip():
        raise ValidationError(_("The password must not begin or end with a space."))
