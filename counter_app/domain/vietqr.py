"""VietQR payloads: the bank-transfer QR code (EMVCo merchant-presented mode, NAPAS 247 transfer).

Printed on a fee receipt or shown on the counter's screen, it lets the applicant pay a fee from
any Vietnamese banking app, with the amount and a transfer note (e.g. the dossier code) filled in,
so the centre can match the incoming transfer to the dossier.

The payload is a chain of TLV fields: a 2-digit tag, a 2-digit length, the value. Templates
(38, 62) hold a TLV chain of their own. The last field, 63, is a CRC-16 over everything before
its value, so a misread code is rejected by the banking app instead of paying the wrong account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from counter_app.domain.errors import ValidationError
from counter_app.domain.search_text import strip_marks
from counter_app.i18n import _

NAPAS_GUID: Final = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT: Final = "QRIBFTTA"
CURRENCY_VND: Final = "704"
COUNTRY_VN: Final = "VN"
PURPOSE_MAX: Final = 25
AMOUNT_MAX_DIGITS: Final = 13

_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
# Bank apps show the note as is and some reject anything else: letters, digits, space, "." and "-".
_NOT_IN_PURPOSE = re.compile(r"[^A-Za-z0-9 .-]+")
_CRC_TAG: Final = "6304"


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return tuple(table)


_CRC_TABLE: Final = _crc_table()


def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, not reflected, no final xor), as EMVCo requires."""
    crc = 0xFFFF
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC_TABLE[(crc >> 8) ^ byte]
    return crc


@dataclass(frozen=True)
class BankAccount:
    """The centre's account that receives fees. The name is for display: VietQR does not carry it."""

    bank_bin: str
    account_number: str
    account_name: str = ""

    def __post_init__(self) -> None:
        if not _BIN.fullmatch(self.bank_bin):
            raise ValidationError(_("A bank's BIN code has exactly 6 digits (e.g. 970436)."))
        if not _ACCOUNT.fullmatch(self.account_number):
            raise ValidationError(_("A bank account number has 1 to 19 letters or digits, without spaces."))


def tlv(tag: str, value: str) -> str:
    """One field: tag, two-digit length, value (EMVCo limits a value to 99 characters)."""
    if len(value) > 99:
        raise ValueError(f"EMV field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def transfer_purpose(text: str) -> str:
    """The transfer note as every bank app accepts it: ASCII, no diacritics, at most 25 characters."""
    plain = _NOT_IN_PURPOSE.sub(" ", strip_marks(text))
    return " ".join(plain.split())[:PURPOSE_MAX].rstrip()


def _amount_text(amount: int) -> str:
    if isinstance(amount, bool) or amount <= 0:
        raise ValidationError(_("The amount to transfer must be a whole number of đồng greater than zero."))
    text = str(amount)
    if len(text) > AMOUNT_MAX_DIGITS:
        raise ValidationError(_("The amount is too large for a VietQR code."))
    return text


def vietqr_payload(account: BankAccount, *, amount: int | None, purpose: str) -> str:
    """The text to encode in the QR code: static (no amount) or dynamic (amount filled in)."""
    beneficiary = tlv("00", account.bank_bin) + tlv("01", account.account_number)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TRANSFER_TO_ACCOUNT)
    fields = [
        tlv("00", "01"),
        tlv("01", "11" if amount is None else "12"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        fields.append(tlv("54", _amount_text(amount)))
    fields.append(tlv("58", COUNTRY_VN))
    note = transfer_purpose(purpose)
    if note:
        fields.append(tlv("62", tlv("08", note)))
    body = "".join(fields) + _CRC_TAG
    return f"{body}{crc16_ccitt(body.encode('ascii')):04X}"


def parse_tlv(value: str) -> dict[str, str]:
    """Split a TLV chain (the payload or a template's value) into tag -> value.

    Raises ValueError when a length is not two digits, a value runs past the end, or a tag repeats.
    """
    fields: dict[str, str] = {}
    position = 0
    while position < len(value):
        header = value[position : position + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise ValueError(f"malformed TLV header at position {position}")
        tag, length = header[:2], int(header[2:])
        start, position = position + 4, position + 4 + length
        if position > len(value):
            raise ValueError(f"TLV field {tag} runs past the end")
        if tag in fields:
            raise ValueError(f"TLV field {tag} appears twice")
        fields[tag] = value[start:position]
    return fields


def parse_emv(payload: str) -> dict[str, str]:
    """The top-level fields of a scanned payload, after checking its CRC (the last field, 63)."""
    if len(payload) < 8 or payload[-8:-4] != _CRC_TAG:
        raise ValueError("the payload does not end with a CRC field (6304xxxx)")
    try:
        expected = crc16_ccitt(payload[:-4].encode("ascii"))
    except UnicodeEncodeError:
        raise ValueError("the payload is not ASCII") from None
    if payload[-4:].upper() != f"{expected:04X}":
        raise ValueError("the payload's CRC does not match its content")
    return parse_tlv(payload)
