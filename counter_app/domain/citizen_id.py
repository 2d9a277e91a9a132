"""The 12-digit personal identification number and the chip card's QR code (shared/domain/citizen-id.md).

The number encodes where the birth was registered, the century and gender, and the year of birth;
it has **no check digit**. Checking what it encodes against the date of birth and gender the officer
entered catches most typing errors, and showing the decoded facts lets the officer compare them
with the card. The province code is only where the birth was registered: never use it as the
person's current province or address.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final

from counter_app.domain.errors import ValidationError
from counter_app.i18n import _

ID_LENGTH: Final = 12
OLD_CMND_LENGTH: Final = 9
_ASCII_DIGITS = re.compile(r"[0-9]+")


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


# Every spelling an officer, a form or the card's QR code may use, after NFC and casefold.
_GENDER_WORDS: Final[dict[str, Gender]] = {
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nữ": Gender.FEMALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
}


def parse_gender(text: str) -> Gender:
    """Read a gender as typed or scanned ("Nam", "NỮ", "nu", "F"...); NFD input is accepted too."""
    key = unicodedata.normalize("NFC", text).strip().casefold()
    try:
        return _GENDER_WORDS[key]
    except KeyError:
        raise ValidationError(_("Gender must be male or female.")) from None


def gender_label(gender: Gender) -> str:
    return _("Male") if gender is Gender.MALE else _("Female")


# The 63 provinces and cities before the 2025 reorganisation; numbers issued under these codes
# stay valid after the merger, so the table is not updated with the new provinces.
PROVINCE_CODES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}


class IdProblem(enum.StrEnum):
    """Why a personal ID number was refused, for callers (and tests) that must tell the cases apart."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    OLD_CMND = "old_cmnd"
    WRONG_LENGTH = "wrong_length"
    FUTURE_BIRTH_YEAR = "future_birth_year"
    YEAR_MISMATCH = "year_mismatch"
    GENDER_MISMATCH = "gender_mismatch"


class CitizenIdError(ValidationError):
    """A refused personal ID number; the message says exactly what is wrong with it."""

    def __init__(self, problem: IdProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class CitizenIdInfo:
    """What a valid number encodes, plus warnings the officer should see but that do not block."""

    number: str
    province_code: str
    province: str | None
    gender: Gender
    birth_year: int
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        """The line shown beside the number so the officer can compare it with the card."""
        province = self.province or _("unknown code {code}").format(code=self.province_code)
        return _("Birth registered in (by code): {province}, {gender}, {year}").format(
            province=province, gender=gender_label(self.gender), year=self.birth_year
        )


def decode_century_digit(digit: int) -> tuple[int, Gender]:
    """The first year of the century and the gender that the 4th digit stands for."""
    return 1900 + 100 * (digit // 2), (Gender.MALE if digit % 2 == 0 else Gender.FEMALE)


def _only_digits(number: str) -> str:
    """The number as typed, without spaces, or a refusal saying why it is not a 12-digit number."""
    digits = "".join(number.split())
    if not digits:
        raise CitizenIdError(IdProblem.EMPTY, _("Enter the 12-digit personal ID number."))
    if not _ASCII_DIGITS.fullmatch(digits):
        raise CitizenIdError(IdProblem.NOT_DIGITS, _("A personal ID number contains only the digits 0 to 9."))
    if len(digits) == OLD_CMND_LENGTH:
        raise CitizenIdError(
            IdProblem.OLD_CMND,
            _(
                "A 9-digit CMND number is no longer valid since 01/01/2025; "
                "enter the 12-digit personal ID number."
            ),
        )
    if len(digits) != ID_LENGTH:
        raise CitizenIdError(
            IdProblem.WRONG_LENGTH,
            _("A personal ID number has 12 digits; {count} were entered.").format(count=len(digits)),
        )
    return digits


def check_citizen_id(
    number: str, *, today: date, date_of_birth: date | None = None, gender: Gender | None = None
) -> CitizenIdInfo:
    """Validate a 12-digit personal ID number against what else the officer entered.

    ``today`` is the local date (the encoded birth year may not be later). An unknown province
    code is only a warning: births registered abroad and after the 2025 merger use other codes.
    """
    digits = _only_digits(number)
    century, encoded_gender = decode_century_digit(int(digits[3]))
    birth_year = century + int(digits[4:6])
    if birth_year > today.year:
        raise CitizenIdError(
            IdProblem.FUTURE_BIRTH_YEAR,
            _(
                "The personal ID number encodes the birth year {year}, which is in the future; "
                "check the 4th to 6th digits."
            ).format(year=birth_year),
        )
    if date_of_birth is not None and date_of_birth.year != birth_year:
        raise CitizenIdError(
            IdProblem.YEAR_MISMATCH,
            _(
                "The personal ID number encodes the birth year {encoded}, but the date of birth "
                "is in {entered}; check the number and the date of birth."
            ).format(encoded=birth_year, entered=date_of_birth.year),
        )
    if gender is not None and gender is not encoded_gender:
        raise CitizenIdError(
            IdProblem.GENDER_MISMATCH,
            _(
                "The personal ID number encodes the gender {encoded}, but the gender entered is "
                "{entered}; check the number and the gender."
            ).format(encoded=gender_label(encoded_gender), entered=gender_label(gender)),
        )
    code = digits[:3]
    province = PROVINCE_CODES.get(code)
    warnings: tuple[str, ...] = ()
    if province is None:
        warnings = (
            _(
                "The first three digits {code} are not a known province code; check the number "
                "(births registered abroad or after the 2025 merger may use other codes)."
            ).format(code=code),
        )
    return CitizenIdInfo(digits, code, province, encoded_gender, birth_year, warnings)


def check_old_id_number(number: str) -> str:
    """The optional "Số CMND cũ", kept only to find earlier records: 9 or 12 digits, never decoded."""
    digits = "".join(number.split())
    if not _ASCII_DIGITS.fullmatch(digits) or len(digits) not in {OLD_CMND_LENGTH, ID_LENGTH}:
        raise ValidationError(_("An old ID card (CMND) number has 9 or 12 digits."))
    return digits


@dataclass(frozen=True)
class ChipCard:
    """The fields read from a chip card's QR code; the officer still checks them against the card."""

    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: date
    gender: Gender
    address: str
    issued_on: date | None


# <ID>|<old CMND>|<name>|<ddmmyyyy>|<Nam/Nữ>|<address>|<ddmmyyyy issue>
_CHIP_FIELDS: Final = 7
_DDMMYYYY = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")


def _ddmmyyyy(text: str) -> date | None:
    match = _DDMMYYYY.fullmatch(text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _chip_fields(line: str) -> list[str]:
    """Split the scanned line into exactly seven fields, tolerating what scanners and card models vary.

    A keyboard-wedge scanner may add CR/LF; some cards have no date of issue, newer ones may add
    a trailing field. Anything else is not a chip card's QR code.
    """
    text = unicodedata.normalize("NFC", line.replace("\r", "").replace("\n", "")).strip()
    fields = [field.strip() for field in text.split("|")]
    if len(fields) == _CHIP_FIELDS + 1:
        fields.pop()
    elif len(fields) == _CHIP_FIELDS - 1:
        fields.append("")
    if len(fields) != _CHIP_FIELDS or not (
        _ASCII_DIGITS.fullmatch(fields[0]) and len(fields[0]) == ID_LENGTH
    ):
        raise ValidationError(_("This does not look like the QR code of a citizen identity card."))
    return fields


def _chip_dates(birth_text: str, issue_text: str, today: date) -> tuple[date, date | None]:
    date_of_birth = _ddmmyyyy(birth_text)
    if date_of_birth is None:
        raise ValidationError(_("The date of birth in the card's QR code is not a valid date."))
    if date_of_birth > today:
        raise ValidationError(_("The date of birth in the card's QR code is in the future."))
    if not issue_text:
        return date_of_birth, None
    issued_on = _ddmmyyyy(issue_text)
    if issued_on is None:
        raise ValidationError(_("The date of issue in the card's QR code is not a valid date."))
    if issued_on > today or issued_on < date_of_birth:
        raise ValidationError(_("The date of issue in the card's QR code is impossible."))
    return date_of_birth, issued_on


def parse_chip_qr(line: str, *, today: date) -> ChipCard:
    """Read the line a 2D scanner types when it reads the QR code on a CCCD / identity card.

    The format is practice, not a published standard, so every field is checked and any doubt is
    a refusal with a clear sentence; the officer then types the data instead.
    """
    id_text, old_text, name_text, birth_text, gender_text, address_text, issue_text = _chip_fields(line)
    date_of_birth, issued_on = _chip_dates(birth_text, issue_text, today)
    try:
        gender = parse_gender(gender_text)
    except ValidationError:
        raise ValidationError(_("The gender in the card's QR code is not Nam or Nữ.")) from None
    full_name = " ".join(name_text.split())
    if not full_name:
        raise ValidationError(_("The card's QR code has no full name."))
    info = check_citizen_id(id_text, today=today, date_of_birth=date_of_birth, gender=gender)
    return ChipCard(
        id_number=info.number,
        old_id_number=check_old_id_number(old_text) if old_text else None,
        full_name=full_name,
        date_of_birth=date_of_birth,
        gender=gender,
        address=" ".join(address_text.split()),
        issued_on=issued_on,
    )
