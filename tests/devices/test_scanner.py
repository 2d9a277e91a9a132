"""Barcode scanners: the serial line reader (framing, noise, validation) and the keyboard-wedge detector."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import serial
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.scanner import (
    KeyboardWedgeDetector,
    RejectReason,
    SerialScanner,
)
from devices.simulators import registry
from devices.simulators.scanner import ScannerSim
from devices.transport import open_port

CODE = "000.17.22.H56-210531-0001"
OTHER = "H55.242.01-260105-0042"
DOSSIER_CODE = re.compile(r"(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}\.\d{3}\.\d{2})-\d{6}-\d{4,}")


def is_dossier_code(text: str) -> bool:
    return DOSSIER_CODE.fullmatch(text) is not None


@pytest.fixture
def desk() -> Iterator[tuple[SerialScanner, ScannerSim]]:
    registry.reset()
    port = open_port("sim://desk-scanner?kind=scanner")
    sim: ScannerSim = registry.get("desk-scanner")
    yield SerialScanner(port), sim
    registry.reset()


def loop_scanner(validator: bool = False) -> tuple[SerialScanner, serial.SerialBase]:
    """A scanner on pyserial's loop:// port: what is written comes back to be read (no registry)."""
    port = serial.serial_for_url("loop://", timeout=0)
    return SerialScanner(port, is_dossier_code if validator else None), port


# --- serial scanner ----------------------------------------------------------------------------------


def test_nothing_to_read_returns_at_once(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, _ = desk
    assert scanner.read_codes() == []


def test_codes_ended_by_cr_and_by_cr_lf(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, sim = desk
    sim.scan(CODE)
    assert scanner.read_codes() == [CODE]
    sim.scan(OTHER, crlf=True)
    sim.scan(CODE, crlf=True)
    assert scanner.read_codes() == [OTHER, CODE]
    assert scanner.rejected_count == 0


def test_empty_lines_are_ignored(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, sim = desk
    sim.noise(b"\r\r\n\r\n\r   \r")
    sim.scan(CODE)
    assert scanner.read_codes() == [CODE]
    assert scanner.rejected_count == 0


def test_a_code_split_across_reads(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, sim = desk
    sim.noise(CODE[:5].encode())
    assert scanner.read_codes() == []
    sim.noise(CODE[5:].encode() + b"\r")
    assert scanner.read_codes() == [CODE]
    # CR at the end of one read, its LF at the start of the next: still one line, no empty one.
    sim.noise(OTHER.encode() + b"\r")
    assert scanner.read_codes() == [OTHER]
    sim.noise(b"\n" + CODE.encode() + b"\r\n")
    assert scanner.read_codes() == [CODE]


def test_byte_by_byte(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, sim = desk
    codes: list[str] = []
    for byte in f"{CODE}\r\n{OTHER}\r".encode():
        sim.noise(bytes((byte,)))
        codes += scanner.read_codes()
    assert codes == [CODE, OTHER]


def test_noise_is_rejected_and_counted_never_raised(desk: tuple[SerialScanner, ScannerSim]) -> None:
    scanner, sim = desk
    sim.noise(b"\x00\xff\x13\x88garbage\r")
    sim.scan(CODE)
    sim.noise(b"A" * 65 + b"\r")
    sim.noise(b"B" * 64 + b"\r")
    batch = scanner.read()
    assert batch.codes == [CODE, "B" * 64]
    assert [line.reason for line in batch.rejected] == [RejectReason.NON_PRINTABLE, RejectReason.TOO_LONG]
    assert batch.rejected[1].length == 65
    assert scanner.rejected_count == 2
    assert list(scanner.rejected) == batch.rejected


def test_a_long_burst_without_line_ends_is_held_in_bounded_memory(
    desk: tuple[SerialScanner, ScannerSim],
) -> None:
    scanner, sim = desk
    sim.noise(bytes(range(256)) * 40)  # 10 240 bytes, CRs and LFs included
    sim.noise(b"x" * 10_000 + b"\r")
    scanner.read_codes()
    last = scanner.rejected[-1]
    assert last.length > 10_000
    assert len(last.data) == 64
    sim.scan(CODE)
    assert scanner.read_codes() == [CODE]


def test_validator_returns_invalid_codes_separately(desk: tuple[SerialScanner, ScannerSim]) -> None:
    _, sim = desk
    scanner = SerialScanner(open_port("sim://desk-scanner?kind=scanner"), validator=is_dossier_code)
    sim.scan(CODE)
    sim.scan("HELLO-WORLD")
    sim.scan(OTHER)
    batch = scanner.read()
    assert batch.codes == [CODE, OTHER]
    assert batch.invalid == ["HELLO-WORLD"]
    assert batch.rejected == []
    sim.scan("12345")
    assert scanner.read_codes() == []
    assert scanner.take_invalid() == ["HELLO-WORLD", "12345"]
    assert scanner.take_invalid() == []


def test_scanner_opened_by_url_and_closed() -> None:
    registry.reset()
    scanner = SerialScanner("sim://desk?kind=scanner")
    sim: ScannerSim = registry.get("desk")
    sim.scan(CODE, crlf=True)
    assert scanner.read_codes() == [CODE]
    scanner.close()
    assert not scanner.port.is_open
    registry.reset()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=200), max_size=20))
def test_random_bytes_never_raise_and_only_clean_codes_come_out(chunks: list[bytes]) -> None:
    scanner, port = loop_scanner(validator=True)
    codes: list[str] = []
    invalid: list[str] = []
    for chunk in chunks:
        port.write(chunk)
        batch = scanner.read()
        codes += batch.codes
        invalid += batch.invalid
    for code in codes + invalid:
        assert 1 <= len(code) <= 64
        assert all(" " <= char <= "~" for char in code)
    assert all(is_dossier_code(code) for code in codes)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([CODE, OTHER]).map(lambda code: code.encode() + b"\r"),
            st.sampled_from([CODE, OTHER]).map(lambda code: code.encode() + b"\r\n"),
            st.binary(max_size=30),
        ),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_how_the_bytes_are_chunked_does_not_matter(parts: list[bytes], size: int) -> None:
    stream = b"".join(parts)
    whole, port = loop_scanner()
    port.write(stream)
    expected = whole.read_codes()
    chunked, port = loop_scanner()
    got: list[str] = []
    for start in range(0, len(stream), size):
        port.write(stream[start : start + size])
        got += chunked.read_codes()
    assert got == expected
    assert chunked.rejected_count == whole.rejected_count


def test_a_noise_burst_before_a_scan_costs_at_most_that_scan() -> None:
    scanner, port = loop_scanner(validator=True)
    port.write(b"\xfe\x00noise")
    port.write(CODE.encode() + b"\r")  # glued to the noise: rejected with it
    port.write(OTHER.encode() + b"\r\n")
    assert scanner.read_codes() == [OTHER]
    assert scanner.rejected_count == 1


# --- keyboard wedge ----------------------------------------------------------------------------------


def type_keys(detector: KeyboardWedgeDetector, text: str, start_ms: float, gap_ms: float) -> float:
    """Feed ``text`` one key every ``gap_ms``; returns the time of the last key."""
    now = start_ms
    for index, char in enumerate(text):
        now = start_ms + index * gap_ms
        assert detector.feed(char, now) is None
    return now


def test_a_fast_burst_ending_in_enter_is_a_scan() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, CODE, 1000.0, 8.0)
    assert detector.pending == CODE
    assert detector.feed("\r", last + 8.0) == CODE
    assert detector.pending == ""
    last = type_keys(detector, OTHER, last + 500.0, 15.0)
    assert detector.enter(last + 20.0) == OTHER


def test_slow_typing_is_left_alone() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, "A1023", 0.0, 120.0)
    assert detector.feed("\r", last + 100.0) is None
    last = type_keys(detector, "nguyen van a", 5000.0, 60.0)
    assert detector.enter(last + 30.0) is None


def test_a_burst_without_enter_is_not_a_scan() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, "A1023", 0.0, 10.0)
    # Enter comes, but long after the burst (a person pressed it).
    assert detector.enter(last + 400.0) is None
    # A burst, then slow keys, then Enter: the slow keys started a new (slow) run.
    last = type_keys(detector, "A1023", 1000.0, 10.0)
    last = type_keys(detector, "xyz", last + 300.0, 200.0)
    assert detector.enter(last + 10.0) is None


def test_too_short_a_burst_is_not_a_scan() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, "abc", 0.0, 10.0)
    assert detector.enter(last + 10.0) is None


def test_a_scan_right_after_slow_typing_is_recognised() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, "ghi chu", 0.0, 150.0)
    last = type_keys(detector, CODE, last + 150.0, 5.0)
    assert detector.enter(last + 5.0) == CODE


def test_modifier_keys_do_not_break_a_burst_and_control_keys_do() -> None:
    detector = KeyboardWedgeDetector()
    for index, char in enumerate("A1023"):
        assert detector.feed("", index * 10.0 + 5.0) is None  # Shift pressed between keys
        assert detector.feed(char, index * 10.0 + 8.0) is None
    assert detector.enter(60.0) == "A1023"
    type_keys(detector, "A10", 100.0, 10.0)
    detector.feed("\t", 125.0)
    type_keys(detector, "23", 130.0, 10.0)
    assert detector.enter(150.0) is None


def test_the_threshold_is_configurable() -> None:
    strict = KeyboardWedgeDetector(max_interval_ms=30.0)
    last = type_keys(strict, "A1023", 0.0, 40.0)
    assert strict.enter(last + 10.0) is None
    relaxed = KeyboardWedgeDetector(max_interval_ms=100.0, min_length=6)
    last = type_keys(relaxed, "A1023", 0.0, 40.0)
    assert relaxed.enter(last + 10.0) is None  # five keys: below min_length
    last = type_keys(relaxed, "A10234", 1000.0, 40.0)
    assert relaxed.enter(last + 10.0) == "A10234"
    with pytest.raises(ValueError):
        KeyboardWedgeDetector(max_interval_ms=0)


def test_a_burst_longer_than_any_code_is_not_a_scan() -> None:
    detector = KeyboardWedgeDetector()
    last = type_keys(detector, "x" * 65, 0.0, 5.0)
    assert detector.enter(last + 5.0) is None


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "B", "1", "-", ".", " ", "\r"]), st.floats(min_value=50.0, max_value=5000.0)
        ),
        max_size=40,
    )
)
def test_keys_at_least_the_threshold_apart_never_make_a_scan(keys: list[tuple[str, float]]) -> None:
    detector = KeyboardWedgeDetector()
    now = 0.0
    for char, gap in keys:
        now += gap
        assert detector.feed(char, now) is None
