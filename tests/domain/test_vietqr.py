"""VietQR payloads: CRC, TLV structure, a published example reproduced exactly, tamper detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.domain.vietqr import (
    BankAccount,
    crc16_ccitt,
    parse_emv,
    parse_tlv,
    transfer_purpose,
    vietqr_payload,
)
from counter_app.i18n import _

# Published in the README of github.com/subiz/vietqr (an independent Go implementation):
# 120 000 đ to VietinBank (BIN 970415) account 0011001932418, note "ủng hộ lũ lụt".
SUBIZ_EXAMPLE = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)
# From the README of github.com/thanhtinhpas1/vietqr-parser: Vietcombank 0881000458086, no amount.
VIETQR_PARSER_EXAMPLE = (
    "00020001021238570010A00000072701270006970436011308810004580860208QRIBFTTA53037045802VN6304CD60"
)
VCB = BankAccount("970436", "0881000458086", "TRUNG TAM PHUC VU HANH CHINH CONG")


def test_crc_check_value() -> None:
    # The catalogued check value of CRC-16/CCITT-FALSE.
    assert crc16_ccitt(b"123456789") == 0x29B1
    assert crc16_ccitt(b"") == 0xFFFF


@pytest.mark.parametrize("payload", [SUBIZ_EXAMPLE, VIETQR_PARSER_EXAMPLE])
def test_published_payloads_have_our_crc(payload: str) -> None:
    assert f"{crc16_ccitt(payload[:-4].encode('ascii')):04X}" == payload[-4:]
    assert parse_emv(payload)["63"] == payload[-4:]


def test_the_published_example_is_reproduced_exactly() -> None:
    payload = vietqr_payload(BankAccount("970415", "0011001932418"), amount=120_000, purpose="ủng hộ lũ lụt")
    assert payload == SUBIZ_EXAMPLE


def test_dynamic_payload_fields() -> None:
    payload = vietqr_payload(VCB, amount=50_000, purpose="Lệ phí hồ sơ 000.17.22.H56-210531-0001")
    fields = parse_emv(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    assert fields["53"] == "704"
    assert fields["54"] == "50000"
    assert fields["58"] == "VN"
    merchant = parse_tlv(fields["38"])
    assert merchant == {"00": "A000000727", "01": "000697043601130881000458086", "02": "QRIBFTTA"}
    assert parse_tlv(merchant["01"]) == {"00": "970436", "01": "0881000458086"}
    note = parse_tlv(fields["62"])["08"]
    assert note == "Le phi ho so 000.17.22.H5"
    assert len(note) == 25
    assert payload.endswith("6304" + fields["63"])
    assert payload.isascii()
    assert fields["63"] == fields["63"].upper()


def test_static_payload_has_no_amount() -> None:
    fields = parse_emv(vietqr_payload(VCB, amount=None, purpose="Le phi"))
    assert fields["01"] == "11"
    assert "54" not in fields


def test_an_empty_note_leaves_out_the_additional_data() -> None:
    fields = parse_emv(vietqr_payload(VCB, amount=None, purpose="  ::  "))
    assert "62" not in fields


def test_the_account_name_is_not_in_the_payload() -> None:
    assert "TRUNG TAM" not in vietqr_payload(VCB, amount=10_000, purpose="x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ủng hộ lũ lụt", "ung ho lu lut"),
        ("Đóng phí ĐKKD", "Dong phi DKKD"),
        ("Lệ phí: 50.000đ (hồ sơ #12)", "Le phi 50.000d ho so 12"),
        ("a" * 30, "a" * 25),
        ("abcdefghijklmnopqrstuvwx yz", "abcdefghijklmnopqrstuvwx"),  # no trailing space after the cut
        ("王小明", ""),
    ],
)
def test_transfer_purpose(text: str, expected: str) -> None:
    assert transfer_purpose(text) == expected


@given(st.text(max_size=60))
def test_transfer_purpose_is_always_safe(text: str) -> None:
    note = transfer_purpose(text)
    assert len(note) <= 25
    assert all(c.isascii() and (c.isalnum() or c in " .-") for c in note)
    assert note == note.strip()


def test_tampered_payload_fails_the_crc() -> None:
    payload = vietqr_payload(VCB, amount=50_000, purpose="Le phi")
    tampered = payload.replace("5405" + "50000", "5405" + "90000")
    assert tampered != payload
    with pytest.raises(ValueError, match="CRC"):
        parse_emv(tampered)
    with pytest.raises(ValueError, match="CRC"):
        parse_emv(payload[:-1] + ("0" if payload[-1] != "0" else "1"))


def test_a_lower_case_crc_is_accepted() -> None:
    assert parse_emv(SUBIZ_EXAMPLE[:-4] + SUBIZ_EXAMPLE[-4:].lower())["54"] == "120000"


@pytest.mark.parametrize(
    "payload",
    ["", "6304", "000201", SUBIZ_EXAMPLE[:-8], "000201" + "6304ABCD", "00020101021238570010A0000007276304"],
)
def test_malformed_payloads_are_refused(payload: str) -> None:
    with pytest.raises(ValueError):
        parse_emv(payload)


def with_crc(body: str) -> str:
    body += "6304"
    return body + f"{crc16_ccitt(body.encode()):04X}"


@pytest.mark.parametrize(
    "body",
    [
        "0002010A11",  # a length that is not two digits
        "00020101021238990010A000000727",  # a value running past the end
        "000201000201",  # a repeated tag
        "00020101",  # a truncated header
    ],
)
def test_broken_tlv_with_a_correct_crc_is_refused(body: str) -> None:
    with pytest.raises(ValueError):
        parse_emv(with_crc(body))


def test_non_ascii_payload_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_emv("0003ủng6304ABCD")


def test_nested_tlv_parse() -> None:
    assert parse_tlv("") == {}
    assert parse_tlv("0002ab01000202051010hello worl") == {
        "00": "ab",
        "01": "",
        "02": "05",
        "10": "hello worl",
    }


@given(
    bank_bin=st.text(alphabet="0123456789", min_size=6, max_size=6),
    account=st.text(alphabet="0123456789ABCXYZ", min_size=1, max_size=19),
    amount=st.one_of(st.none(), st.integers(1, 10**13 - 1)),
    purpose=st.text(max_size=40),
)
def test_round_trip(bank_bin: str, account: str, amount: int | None, purpose: str) -> None:
    payload = vietqr_payload(BankAccount(bank_bin, account), amount=amount, purpose=purpose)
    fields = parse_emv(payload)
    beneficiary = parse_tlv(parse_tlv(fields["38"])["01"])
    assert beneficiary == {"00": bank_bin, "01": account}
    assert fields.get("54") == (None if amount is None else str(amount))
    assert fields["01"] == ("11" if amount is None else "12")
    assert parse_tlv(fields.get("62", "")).get("08", "") == transfer_purpose(purpose)
    # Every length prefix is two digits: re-encoding the parsed fields gives the payload back.
    assert "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields.items()) == payload


@pytest.mark.parametrize(
    ("bank_bin", "account", "message"),
    [
        ("97043", "0881000458086", "A bank's BIN code has exactly 6 digits (e.g. 970436)."),
        ("9704366", "0881000458086", "A bank's BIN code has exactly 6 digits (e.g. 970436)."),
        ("97043A", "0881000458086", "A bank's BIN code has exactly 6 digits (e.g. 970436)."),
        ("970436", "", "A bank account number has 1 to 19 letters or digits, without spaces."),
        ("970436", "0881 000 458", "A bank account number has 1 to 19 letters or digits, without spaces."),
        ("970436", "1" * 20, "A bank account number has 1 to 19 letters or digits, without spaces."),
    ],
)
def test_bank_account_is_validated(bank_bin: str, account: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        BankAccount(bank_bin, account)
    assert str(caught.value) == _(message)


@pytest.mark.parametrize("amount", [0, -1, True])
def test_amount_must_be_positive(amount: int) -> None:
    with pytest.raises(ValidationError) as caught:
        vietqr_payload(VCB, amount=amount, purpose="x")
    assert str(caught.value) == _("The amount to transfer must be a whole number of đồng greater than zero.")


def test_amount_must_fit_the_field() -> None:
    assert parse_emv(vietqr_payload(VCB, amount=10**13 - 1, purpose=""))["54"] == "9" * 13
    with pytest.raises(ValidationError):
        vietqr_payload(VCB, amount=10**13, purpose="")
