"""Tax codes: the weighted check digit, branch suffixes, and the personal ID number as tax code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.domain.tax_code import TaxCodeError, TaxCodeProblem, check_digit, check_tax_code

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def problem_of(code: str) -> TaxCodeProblem:
    with pytest.raises(TaxCodeError) as caught:
        check_tax_code(code)
    assert str(caught.value)
    return caught.value.problem


def test_the_documented_example() -> None:
    # 0·31 + 1·29 + 0·23 + 0·19 + 1·17 + 0·13 + 9·7 + 1·5 + 0·3 = 114; 114 mod 11 = 4; 10 − 4 = 6.
    assert check_digit("010010910") == 6
    assert check_tax_code("0100109106") == "0100109106"


@pytest.mark.parametrize(
    ("first_nine", "weighted_sum", "expected"),
    [
        ("000000001", 3, 7),
        ("100000000", 31, 1),  # 31 mod 11 = 9
        ("000000012", 11, 0),  # remainder 0: (10 − 0) mod 10 = 0
        ("000000004", 12, 9),  # remainder 1: 9
        ("000000007", 21, 0),  # remainder 10: (10 − 10) mod 10 = 0
    ],
)
def test_check_digit_edge_cases(first_nine: str, weighted_sum: int, expected: int) -> None:
    assert sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True)) == weighted_sum
    assert check_digit(first_nine) == expected
    assert check_tax_code(f"{first_nine}{expected}") == f"{first_nine}{expected}"


@pytest.mark.parametrize("wrong", [d for d in "0123456789" if d != "6"])
def test_every_other_check_digit_is_refused(wrong: str) -> None:
    assert problem_of(f"010010910{wrong}") is TaxCodeProblem.WRONG_CHECK_DIGIT


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9))
def test_exactly_one_check_digit_is_accepted(first_nine: str, last: int) -> None:
    code = f"{first_nine}{last}"
    if last == check_digit(first_nine):
        assert check_tax_code(code) == code
    else:
        assert problem_of(code) is TaxCodeProblem.WRONG_CHECK_DIGIT


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_a_single_changed_digit_is_usually_caught(first_nine: str, position: int, shift: int) -> None:
    # Weights are distinct and prime to 11, so changing one of the first nine digits changes the sum
    # mod 11; only the 0/10 remainders share check digit 0, so a few changes slip through.
    code = f"{first_nine}{check_digit(first_nine)}"
    changed = list(first_nine)
    changed[position] = str((int(changed[position]) + shift) % 10)
    total = sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True))
    new_total = sum(w * int(d) for w, d in zip(WEIGHTS, changed, strict=True))
    assert total % 11 != new_total % 11
    if {total % 11, new_total % 11} != {0, 10}:
        assert problem_of("".join(changed) + code[9]) is TaxCodeProblem.WRONG_CHECK_DIGIT


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0100109106-001", "0100109106-001"),
        ("0100109106-123", "0100109106-123"),
        ("0100109106001", "0100109106-001"),  # typed without the hyphen
        ("0100109106–001", "0100109106-001"),  # an en dash from a word processor
        (" 0100 109 106 ", "0100109106"),
    ],
)
def test_branches_and_spelling(code: str, expected: str) -> None:
    assert check_tax_code(code) == expected


def test_a_branch_of_a_wrong_head_is_refused() -> None:
    assert problem_of("0100109107-001") is TaxCodeProblem.WRONG_CHECK_DIGIT


def test_branch_000_is_refused() -> None:
    assert problem_of("0100109106-000") is TaxCodeProblem.BRANCH_000
    assert problem_of("0100109106000") is TaxCodeProblem.BRANCH_000


def test_personal_id_number_is_a_tax_code() -> None:
    assert check_tax_code("001095012345") == "001095012345"


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", TaxCodeProblem.EMPTY),
        ("  ", TaxCodeProblem.EMPTY),
        ("010010910A", TaxCodeProblem.NOT_DIGITS),
        ("MST0100109106", TaxCodeProblem.NOT_DIGITS),
        ("0100109106-00A", TaxCodeProblem.NOT_DIGITS),
        ("０１００１０９１０６", TaxCodeProblem.NOT_DIGITS),  # full-width digits
        ("010010910", TaxCodeProblem.WRONG_LENGTH),
        ("01001091061", TaxCodeProblem.WRONG_LENGTH),
        ("0100109106-01", TaxCodeProblem.WRONG_LENGTH),
        ("0100109106-", TaxCodeProblem.WRONG_LENGTH),
        ("010010-9106001", TaxCodeProblem.WRONG_LENGTH),
        ("0100109106-001-002", TaxCodeProblem.WRONG_LENGTH),
    ],
)
def test_refusals(code: str, problem: TaxCodeProblem) -> None:
    assert problem_of(code) is problem


def test_errors_are_validation_errors() -> None:
    with pytest.raises(ValidationError):
        check_tax_code("abc")
