"""Tax codes (mã số thuế / mã số doanh nghiệp) of applicants (shared/domain/citizen-id.md, "Organisations").

An organisation's code has 10 digits, the 10th a check digit; a branch adds a hyphen and a
3-digit suffix. Since 2025 a person's 12-digit personal ID number is their tax code, so it is
accepted too (its own rules live in citizen_id). The check digit catches most typing errors
before a dossier reaches the tax or business-registration office.
"""

from __future__ import annotations

import enum
import re
from typing import Final

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

WEIGHTS: Final = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_HYPHENS: Final = str.maketrans(dict.fromkeys("‐‑‒–—−", "-"))
_ALLOWED = re.compile(r"[0-9-]+")
_ORGANISATION = re.compile(r"[0-9]{10}")
_BRANCH = re.compile(r"([0-9]{10})-?([0-9]{3})")
_PERSONAL = re.compile(r"[0-9]{12}")


class TaxCodeProblem(enum.StrEnum):
    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    WRONG_LENGTH = "wrong_length"
    WRONG_CHECK_DIGIT = "wrong_check_digit"
    BRANCH_000 = "branch_000"


class TaxCodeError(ValidationError):
    """A refused tax code; ``problem`` tells callers (and tests) which rule it broke."""

    def __init__(self, problem: TaxCodeProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def check_digit(first_nine: str) -> int:
    """The 10th digit: (10 − (Σ weight × digit) mod 11) mod 10, exactly as the rule states it."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    return (10 - total % 11) % 10


def _check_ten(digits: str) -> None:
    if int(digits[9]) != check_digit(digits[:9]):
        raise TaxCodeError(
            TaxCodeProblem.WRONG_CHECK_DIGIT,
            _(
                "The check digit (the 10th digit) of the tax code is wrong; "
                "check the number for a typing error."
            ),
        )


def check_tax_code(code: str) -> str:
    """Validate a tax code and return it in its written form.

    Spaces are ignored and typographic dashes read as hyphens; a 13-digit branch code typed
    without its hyphen is returned with it (``0100109106-001``), so one code has one spelling.
    """
    text = "".join(code.split()).translate(_HYPHENS)
    if not text:
        raise TaxCodeError(TaxCodeProblem.EMPTY, _("Enter the tax code."))
    if not _ALLOWED.fullmatch(text):
        raise TaxCodeError(
            TaxCodeProblem.NOT_DIGITS,
            _("A tax code contains only digits, and a hyphen before a branch's 3-digit suffix."),
        )
    if _ORGANISATION.fullmatch(text):
        _check_ten(text)
        return text
    if _PERSONAL.fullmatch(text):
        return text
    branch = _BRANCH.fullmatch(text)
    if branch is None:
        raise TaxCodeError(
            TaxCodeProblem.WRONG_LENGTH,
            _(
                "A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch, "
                "or is the person's 12-digit personal ID number."
            ),
        )
    head, suffix = branch.groups()
    _check_ten(head)
    if suffix == "000":
        raise TaxCodeError(TaxCodeProblem.BRANCH_000, _("A branch's 3-digit suffix cannot be 000."))
    return f"{head}-{suffix}"
