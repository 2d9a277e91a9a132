"""The 12-digit personal ID number, the old CMND field and the chip card's QR code (citizen-id.md)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.citizen_id import (
    PROVINCE_CODES,
    CitizenIdError,
    Gender,
    IdProblem,
    check_citizen_id,
    check_old_id_number,
    decode_century_digit,
    gender_label,
    parse_chip_qr,
    parse_gender,
)
from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

TODAY = date(2026, 12, 7)
FAR_FUTURE = date(2400, 1, 1)
CHIP_LINE = "001095012345|012345678|Nguyễn Văn An|12031995|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|15042021"


def problem_of(
    number: str, *, today: date, date_of_birth: date | None = None, gender: Gender | None = None
) -> IdProblem:
    with pytest.raises(CitizenIdError) as caught:
        check_citizen_id(number, today=today, date_of_birth=date_of_birth, gender=gender)
    assert str(caught.value)  # a sentence, not an empty message
    return caught.value.problem


# --- genders -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nam", Gender.MALE),
        ("NAM", Gender.MALE),
        ("male", Gender.MALE),
        ("M", Gender.MALE),
        ("Nữ", Gender.FEMALE),
        ("NỮ", Gender.FEMALE),
        (unicodedata.normalize("NFD", "Nữ"), Gender.FEMALE),
        ("nu", Gender.FEMALE),
        ("Female", Gender.FEMALE),
        (" f ", Gender.FEMALE),
    ],
)
def test_parse_gender(text: str, expected: Gender) -> None:
    assert parse_gender(text) is expected


@pytest.mark.parametrize("text", ["", "x", "nủ", "nam nữ", "women"])
def test_parse_gender_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_gender(text)
    assert str(caught.value) == _("Gender must be male or female.")


def test_gender_labels() -> None:
    assert gender_label(Gender.MALE) == _("Male")
    assert gender_label(Gender.FEMALE) == _("Female")


# --- the province table ------------------------------------------------------------------------


def test_province_table_has_the_63_codes() -> None:
    assert len(PROVINCE_CODES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)
    assert len(set(PROVINCE_CODES.values())) == 63
    assert all(unicodedata.is_normalized("NFC", name) for name in PROVINCE_CODES.values())
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    assert PROVINCE_CODES["077"] == "Bà Rịa - Vũng Tàu"
    assert "003" not in PROVINCE_CODES
    assert "099" not in PROVINCE_CODES


# --- valid numbers -----------------------------------------------------------------------------


def test_example_ha_noi_male_1995() -> None:
    info = check_citizen_id("001095012345", today=TODAY, date_of_birth=date(1995, 3, 12), gender=Gender.MALE)
    assert info.number == "001095012345"
    assert info.province_code == "001"
    assert info.province == "Hà Nội"
    assert info.gender is Gender.MALE
    assert info.birth_year == 1995
    assert info.warnings == ()
    assert info.describe() == _("Birth registered in (by code): {province}, {gender}, {year}").format(
        province="Hà Nội", gender=_("Male"), year=1995
    )


def test_example_ho_chi_minh_female_2001() -> None:
    info = check_citizen_id("079301000123", today=TODAY)
    assert (info.province, info.gender, info.birth_year) == ("Hồ Chí Minh", Gender.FEMALE, 2001)
    assert info.warnings == ()


def test_spaces_are_ignored() -> None:
    assert check_citizen_id(" 001 095 012 345\n", today=TODAY).number == "001095012345"


@pytest.mark.parametrize(
    ("digit", "century", "gender"),
    [
        (0, 1900, Gender.MALE),
        (1, 1900, Gender.FEMALE),
        (2, 2000, Gender.MALE),
        (3, 2000, Gender.FEMALE),
        (4, 2100, Gender.MALE),
        (5, 2100, Gender.FEMALE),
        (6, 2200, Gender.MALE),
        (7, 2200, Gender.FEMALE),
        (8, 2300, Gender.MALE),
        (9, 2300, Gender.FEMALE),
    ],
)
def test_every_century_digit(digit: int, century: int, gender: Gender) -> None:
    assert decode_century_digit(digit) == (century, gender)
    number = f"001{digit}07123456"
    info = check_citizen_id(number, today=FAR_FUTURE)
    assert (info.birth_year, info.gender) == (century + 7, gender)
    if century + 7 > TODAY.year:
        assert problem_of(number, today=TODAY) is IdProblem.FUTURE_BIRTH_YEAR
    else:
        assert check_citizen_id(number, today=TODAY).birth_year == century + 7


def test_there_is_no_check_digit() -> None:
    # Every last digit is as valid as any other: a validator computing a check digit is wrong.
    for last in range(10):
        assert check_citizen_id(f"00109501234{last}", today=TODAY).birth_year == 1995


@pytest.mark.parametrize("code", ["099", "003", "000", "100", "999"])
def test_unknown_province_code_is_a_warning_not_an_error(code: str) -> None:
    info = check_citizen_id(f"{code}095012345", today=TODAY)
    assert info.province is None
    assert info.province_code == code
    assert len(info.warnings) == 1
    assert code in info.warnings[0]
    assert _("unknown code {code}").format(code=code) in info.describe()


def test_birth_year_of_this_year_is_accepted() -> None:
    assert check_citizen_id("001226012345", today=TODAY).birth_year == 2026


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("", IdProblem.EMPTY),
        ("   ", IdProblem.EMPTY),
        ("012345678", IdProblem.OLD_CMND),
        ("012 345 678", IdProblem.OLD_CMND),
        ("00109501234", IdProblem.WRONG_LENGTH),
        ("0010950123456", IdProblem.WRONG_LENGTH),
        ("1", IdProblem.WRONG_LENGTH),
        ("00109501234a", IdProblem.NOT_DIGITS),
        ("001-095-012345", IdProblem.NOT_DIGITS),
        ("００１０９５０１２３４５", IdProblem.NOT_DIGITS),  # full-width digits
        ("٠٠١٠٩٥٠١٢٣٤٥", IdProblem.NOT_DIGITS),  # Arabic-Indic digits pass str.isdigit()
        ("001227012345", IdProblem.FUTURE_BIRTH_YEAR),
        ("001495012345", IdProblem.FUTURE_BIRTH_YEAR),
    ],
)
def test_refusals(number: str, problem: IdProblem) -> None:
    assert problem_of(number, today=TODAY) is problem


def test_old_cmnd_message() -> None:
    with pytest.raises(CitizenIdError) as caught:
        check_citizen_id("012345678", today=TODAY)
    assert str(caught.value) == _(
        "A 9-digit CMND number is no longer valid since 01/01/2025; enter the 12-digit personal ID number."
    )


def test_wrong_length_says_how_many_digits() -> None:
    with pytest.raises(CitizenIdError) as caught:
        check_citizen_id("0010950123", today=TODAY)
    assert str(caught.value) == _("A personal ID number has 12 digits; {count} were entered.").format(
        count=10
    )


def test_date_of_birth_must_match_the_encoded_year() -> None:
    assert problem_of("001095012345", today=TODAY, date_of_birth=date(1996, 3, 12)) is IdProblem.YEAR_MISMATCH
    # Same two digits, other century.
    assert problem_of("001095012345", today=TODAY, date_of_birth=date(2095, 1, 1)) is IdProblem.YEAR_MISMATCH


def test_gender_must_match_the_encoded_gender() -> None:
    assert problem_of("001095012345", today=TODAY, gender=Gender.FEMALE) is IdProblem.GENDER_MISMATCH
    assert problem_of("079301000123", today=TODAY, gender=Gender.MALE) is IdProblem.GENDER_MISMATCH


def test_citizen_id_error_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        check_citizen_id("abc", today=TODAY)


# --- property: any well-formed number decodes to what was put in -------------------------------


@given(
    code=st.sampled_from(sorted(PROVINCE_CODES)),
    digit=st.integers(0, 9),
    yy=st.integers(0, 99),
    rest=st.text(alphabet="0123456789", min_size=6, max_size=6),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
)
def test_generated_numbers_round_trip(
    code: str, digit: int, yy: int, rest: str, month: int, day: int
) -> None:
    number = f"{code}{digit}{yy:02d}{rest}"
    year = 1900 + 100 * (digit // 2) + yy
    gender = Gender.MALE if digit % 2 == 0 else Gender.FEMALE
    today = date(max(year, 2026), 12, 31)
    info = check_citizen_id(number, today=today, date_of_birth=date(year, month, day), gender=gender)
    assert (info.number, info.province_code, info.province) == (number, code, PROVINCE_CODES[code])
    assert (info.gender, info.birth_year, info.warnings) == (gender, year, ())
    assert check_citizen_id(number, today=today) == info
    if year > 2026:
        assert problem_of(number, today=date(year - 1, 12, 31)) is IdProblem.FUTURE_BIRTH_YEAR


# --- old CMND field ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("012345678", "012345678"), (" 001 095 012 345 ", "001095012345")]
)
def test_old_id_number_accepted(text: str, expected: str) -> None:
    assert check_old_id_number(text) == expected


@pytest.mark.parametrize("text", ["", "12345678", "0123456789", "01234567a", "0010950123456"])
def test_old_id_number_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_old_id_number(text)
    assert str(caught.value) == _("An old ID card (CMND) number has 9 or 12 digits.")


# --- chip card QR code -------------------------------------------------------------------------


def test_chip_qr_example_field_by_field() -> None:
    card = parse_chip_qr(CHIP_LINE, today=TODAY)
    assert card.id_number == "001095012345"
    assert card.old_id_number == "012345678"
    assert card.full_name == "Nguyễn Văn An"
    assert card.date_of_birth == date(1995, 3, 12)
    assert card.gender is Gender.MALE
    assert card.address == "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội"
    assert card.issued_on == date(2021, 4, 15)


def test_chip_qr_nfd_and_line_endings_are_normalised() -> None:
    card = parse_chip_qr(" " + unicodedata.normalize("NFD", CHIP_LINE) + "\r\n", today=TODAY)
    assert card == parse_chip_qr(CHIP_LINE, today=TODAY)
    assert unicodedata.is_normalized("NFC", card.full_name)
    assert unicodedata.is_normalized("NFC", card.address)


def test_chip_qr_female_without_old_number() -> None:
    card = parse_chip_qr(
        "079301000123||Trần Thị Bình|01012001|Nữ|Quận 1, TP. Hồ Chí Minh|02022022", today=TODAY
    )
    assert card.old_id_number is None
    assert card.gender is Gender.FEMALE
    assert card.full_name == "Trần Thị Bình"


def test_chip_qr_tolerates_a_missing_issue_date() -> None:
    six_fields = CHIP_LINE.rsplit("|", 1)[0]
    assert parse_chip_qr(six_fields, today=TODAY).issued_on is None
    assert parse_chip_qr(six_fields + "|", today=TODAY).issued_on is None


def test_chip_qr_tolerates_a_trailing_extra_field() -> None:
    card = parse_chip_qr(CHIP_LINE + "|something new", today=TODAY)
    assert card == parse_chip_qr(CHIP_LINE, today=TODAY)
    assert parse_chip_qr(CHIP_LINE + "|", today=TODAY) == card


NOT_A_CARD = "This does not look like the QR code of a citizen identity card."


@pytest.mark.parametrize(
    "line",
    [
        "",
        "hello world",
        "000.17.22.H56-210531-0001",
        "00020101021238570010A000000727",
        "001095012345|012345678|Nguyễn Văn An|12031995|Nam",  # too few fields
        CHIP_LINE + "|x|y",  # too many fields
        "01234567|012345678|Nguyễn Văn An|12031995|Nam|Hà Nội|15042021",  # first field not an ID
        "Nguyễn Văn An|001095012345|012345678|12031995|Nam|Hà Nội|15042021",  # shifted fields
    ],
)
def test_chip_qr_refuses_garbage(line: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_chip_qr(line, today=TODAY)
    assert str(caught.value) == _(NOT_A_CARD)


def with_field(index: int, value: str) -> str:
    fields = CHIP_LINE.split("|")
    fields[index] = value
    return "|".join(fields)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (with_field(3, "31021995"), "The date of birth in the card's QR code is not a valid date."),
        (with_field(3, "1995-03-12"), "The date of birth in the card's QR code is not a valid date."),
        (with_field(3, ""), "The date of birth in the card's QR code is not a valid date."),
        (with_field(3, "12031995x"), "The date of birth in the card's QR code is not a valid date."),
        (with_field(6, "32042021"), "The date of issue in the card's QR code is not a valid date."),
        (with_field(6, "1504202"), "The date of issue in the card's QR code is not a valid date."),
        (with_field(6, "15042030"), "The date of issue in the card's QR code is impossible."),
        (with_field(6, "15041990"), "The date of issue in the card's QR code is impossible."),
        (with_field(4, "Male?"), "The gender in the card's QR code is not Nam or Nữ."),
        (with_field(4, ""), "The gender in the card's QR code is not Nam or Nữ."),
        (with_field(2, "  "), "The card's QR code has no full name."),
        (with_field(1, "12345"), "An old ID card (CMND) number has 9 or 12 digits."),
    ],
)
def test_chip_qr_refuses_bad_fields(line: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_chip_qr(line, today=TODAY)
    assert str(caught.value) == _(message)


def test_chip_qr_date_of_birth_in_the_future() -> None:
    line = with_field(3, "12032027").replace("001095", "001227").replace("15042021", "")
    with pytest.raises(ValidationError) as caught:
        parse_chip_qr(line, today=TODAY)
    assert str(caught.value) == _("The date of birth in the card's QR code is in the future.")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (with_field(3, "12031996"), IdProblem.YEAR_MISMATCH),
        (with_field(4, "Nữ"), IdProblem.GENDER_MISMATCH),
    ],
)
def test_chip_qr_id_must_agree_with_birth_date_and_gender(line: str, problem: IdProblem) -> None:
    with pytest.raises(CitizenIdError) as caught:
        parse_chip_qr(line, today=TODAY)
    assert caught.value.problem is problem
