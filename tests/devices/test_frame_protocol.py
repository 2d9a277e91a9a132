"""The framed serial protocol, byte for byte, and a decoder that survives any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.protocol import commands
from devices.protocol.frame import MAX_DATA, STX, Frame, FrameDecoder, crc16_modbus

EXAMPLE = bytes.fromhex("02 03 10 08 41 31 30 32 33 1F 30 33 DC 69")


def test_crc_check_value() -> None:
    assert crc16_modbus(b"123456789") == 0x4B37


def test_the_datasheet_example_frame() -> None:
    assert commands.show_call(3, "A1023", "03").encode() == EXAMPLE
    assert FrameDecoder().feed(EXAMPLE) == [Frame(3, 0x10, b"A1023\x1f03")]


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (commands.clear(5), "02 05 12 00"),
        (commands.brightness(5, 15), "02 05 13 01 0F"),
        (commands.status(1), "02 01 20 00"),
        (commands.prompt(7, 30), "02 07 30 02 1E 00"),
        (commands.cancel(7), "02 07 31 00"),
        (commands.ack(7, commands.RATING, bytes((9,))), "02 07 06 02 40 09"),
        (commands.show_text(2, "Mời", scrolling=True), "02 02 11 04 01 4D 6F 69"),
    ],
)
def test_command_bytes(frame: Frame, expected: str) -> None:
    encoded = frame.encode()
    assert encoded[:-2] == bytes.fromhex(expected)
    assert int.from_bytes(encoded[-2:], "little") == crc16_modbus(encoded[1:-2])


def test_board_text_strips_diacritics_including_d_with_stroke() -> None:
    assert commands.board_text("Mời số A1023 đến quầy 03") == "Moi so A1023 den quay 03"
    assert commands.board_text("ĐĂNG KÝ KINH DOANH – Đất đai") == "DANG KY KINH DOANH Dat dai"
    assert len(commands.board_text("Thông báo " * 40)) == commands.MAX_TEXT


@pytest.mark.parametrize(
    ("ticket", "counter"), [("a1", "03"), ("A-1", "03"), ("A123456789", "03"), ("A1", "QUAY5")]
)
def test_invalid_call_data_is_refused_before_sending(ticket: str, counter: str) -> None:
    with pytest.raises(ValueError):
        commands.show_call(1, ticket, counter)


def test_parsing_replies_and_events() -> None:
    parse = commands.parse
    assert parse(Frame(3, commands.ACK, b"\x20\x01V1.2")) == commands.Ack(3, 0x20, b"\x01V1.2")
    assert parse(Frame(3, commands.NAK, b"\x04")) == commands.Nak(3, commands.NakReason.BUSY)
    assert parse(Frame(9, commands.RATING, b"\x07\x02")) == commands.RatingEvent(9, 7, 2)
    assert parse(Frame(9, commands.PROMPT_EXPIRED, b"\x08")) == commands.PromptExpiredEvent(9, 8)
    assert parse(Frame(9, 0x77, b"")) is None
    status = commands.parse_status(b"\x02FW-2.1")
    assert (status.lamp_fault, status.over_temperature, status.firmware) == (False, True, "FW-2.1")


def test_decoder_resynchronises_after_a_false_start() -> None:
    # A stray STX followed by a plausible header, then a real frame: the false start is dropped.
    noise = bytes((STX, 0x03, 0x10, 0x05, 0x41))
    decoder = FrameDecoder()
    assert decoder.feed(noise + EXAMPLE) == [Frame(3, 0x10, b"A1023\x1f03")]
    assert decoder.pending == 0


def test_decoder_rejects_a_length_over_200_and_a_bad_crc() -> None:
    bad_crc = EXAMPLE[:-1] + bytes((EXAMPLE[-1] ^ 0xFF,))
    too_long = bytes((STX, 1, 0x11, 201)) + bytes(10)
    assert FrameDecoder().feed(bad_crc + too_long + EXAMPLE) == [Frame(3, 0x10, b"A1023\x1f03")]


frames = st.builds(
    Frame,
    address=st.integers(0, 0x7E),
    command=st.integers(0, 255),
    data=st.binary(max_size=MAX_DATA),
)
# Noise that cannot contain STX, so the only frames in the stream are the ones we put there.
noise = st.binary(max_size=40).map(lambda b: b.replace(bytes((STX,)), b"\x55"))


@settings(max_examples=300)
@given(parts=st.lists(st.tuples(noise, frames), max_size=8), tail=noise, cuts=st.lists(st.integers(0, 2000)))
def test_decoder_yields_exactly_the_embedded_frames(
    parts: list[tuple[bytes, Frame]], tail: bytes, cuts: list[int]
) -> None:
    stream = b"".join(n + f.encode() for n, f in parts) + tail
    decoder = FrameDecoder()
    found: list[Frame] = []
    previous = 0
    for cut in [*sorted(c % (len(stream) + 1) for c in cuts), len(stream)]:
        found += decoder.feed(stream[previous:cut])
        previous = cut
    assert found == [f for _n, f in parts]


@settings(max_examples=300)
@given(stream=st.binary(max_size=600), chunk=st.integers(1, 64))
def test_decoder_never_raises_on_garbage(stream: bytes, chunk: int) -> None:
    decoder = FrameDecoder()
    for start in range(0, len(stream), chunk):
        for frame in decoder.feed(stream[start : start + chunk]):
            assert len(frame.data) <= MAX_DATA
            assert crc16_modbus(frame.encode()[1:-2]) == int.from_bytes(frame.encode()[-2:], "little")
