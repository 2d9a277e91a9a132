"""The kiosk ticket (printing.ticket): the ESC/POS stream, its layout (golden), the number and QR code.

The stream is walked with devices' reader (``devices.escpos_stream``), the one the printer simulator
uses: what these tests accept is what the simulated printer prints.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from devices.escpos_stream import RASTER_PREFIX, image_of_raster, printed_text, split_commands
from printing import raster
from printing.raster import Align
from printing.ticket import kiosk_ticket_bytes, kiosk_ticket_job, number_size, wait_text
from tests.printing.ticket_support import (
    REPRINTED,
    check_golden,
    find_exact,
    ink,
    make_slip,
    skeleton,
    ticket_image,
)

PAPERS = [384, 576]
CUT = b"\x1d\x56\x42"


def number_reference(number: str, dots: int) -> Image.Image:
    """The number drawn alone the way the ticket draws it, cropped to its ink."""
    size = number_size(number, dots)
    image = raster.render_text(number, dots, size=size, bold=True, align=Align.CENTER, headline=True)
    return ink(image)


def stream_problems(data: bytes, dots: int) -> list[str]:
    """What is wrong with a kiosk ticket's stream, walked command by command (empty: nothing)."""
    problems = []
    commands, consumed = split_commands(data)
    if consumed != len(data):
        problems.append(f"{len(data) - consumed} bytes at the end are no complete command")
    if not commands or commands[0] != b"\x1b\x40":
        problems.append("ESC @ is not first")
    if not commands or commands[-1] != CUT + bytes((24,)):
        problems.append("GS V 66 n is not last")
    if sum(command.startswith(CUT) for command in commands) != 1:
        problems.append("not exactly one cut")
    for index, command in enumerate(commands):
        if command.startswith(RASTER_PREFIX):
            width_bytes = command[4] + 256 * command[5]
            height = command[6] + 256 * command[7]
            if command[3] != 0 or width_bytes * 8 != dots:
                problems.append(f"raster {index} is {width_bytes * 8} dots wide (mode {command[3]})")
            if len(command) != 8 + width_bytes * height or image_of_raster(command).width != dots:
                problems.append(f"raster {index}: xL xH yL yH disagree with the data")
        # The contract's subset only: ESC @, ESC a n, GS v 0, GS ( k, GS V, and line feeds (no text:
        # every word is a raster). A header that lies sends the walk into image data, which fails here.
        elif not (
            command in (b"\x1b\x40", b"\n")
            or (command[:2] == b"\x1ba" and command[2] in (0, 1, 2))
            or command.startswith((b"\x1d(k", CUT))
        ):
            problems.append(f"command {index} is outside the subset: {command[:12].hex(' ')}")
    return problems


@pytest.mark.parametrize("dots", PAPERS)
@pytest.mark.parametrize("priority", [False, True])
@pytest.mark.parametrize("reprinted_at", [None, REPRINTED])
def test_the_stream_is_well_formed(dots: int, priority: bool, reprinted_at: datetime | None) -> None:
    data = kiosk_ticket_bytes(make_slip(priority=priority, reprinted_at=reprinted_at), dots)
    assert stream_problems(data, dots) == []
    assert printed_text(data) == [""]  # the line feed after the QR code
    assert sum(command.startswith(RASTER_PREFIX) for command in split_commands(data)[0]) >= 8


@pytest.mark.parametrize("change", [+1, -1])
def test_a_lying_raster_header_is_caught(change: int) -> None:
    """The check above can fail: a header one row off sends the walk into image data or past the end."""
    data = bytearray(kiosk_ticket_bytes(make_slip(), 576))
    data[data.index(RASTER_PREFIX) + 6] += change
    assert stream_problems(bytes(data), 576) != []
    assert stream_problems(kiosk_ticket_bytes(make_slip(), 576), 384) != []


@pytest.mark.parametrize("dots", PAPERS)
def test_layout_golden(dots: int) -> None:
    slip = make_slip(priority=True, reprinted_at=REPRINTED)
    check_golden(f"ticket-{dots}.txt", skeleton(kiosk_ticket_bytes(slip, dots)))


@pytest.mark.parametrize("dots", PAPERS)
@pytest.mark.parametrize("number", ["A023", "B0107", "AB0001"])
def test_the_decoded_ticket_shows_the_number(dots: int, number: str) -> None:
    image = ticket_image(kiosk_ticket_bytes(make_slip(number=number), dots))
    found = find_exact(image, number_reference(number, dots))
    assert found is not None
    reference = number_reference(number, dots)
    left = found[0]
    right = dots - left - reference.width
    assert abs(left - right) <= 2, "the number is centred"
    assert min(left, right) >= 8, "and clear of the edges"


@pytest.mark.parametrize("dots", PAPERS)
@pytest.mark.parametrize("other", ["A024", "A028", "B023"])
def test_a_different_number_is_not_found(dots: int, other: str) -> None:
    image = ticket_image(kiosk_ticket_bytes(make_slip(number="A023"), dots))
    assert find_exact(image, number_reference(other, dots)) is None


def test_the_number_is_very_large() -> None:
    assert number_size("A023", 576) == raster.MAX_SIZE
    assert number_size("A023", 384) >= 5
    assert number_size("AB0001", 384) >= 3


@pytest.mark.parametrize("dots", PAPERS)
def test_the_qr_code_carries_the_look_up_reference(dots: int) -> None:
    data = kiosk_ticket_bytes(make_slip(lookup_reference="20260105:A023"), dots)
    commands, _ = split_commands(data)
    stored = [c for c in commands if c.startswith(b"\x1d(k") and c[5:8] == b"1P0"]  # fn 80: store data
    assert len(stored) == 1
    length = stored[0][3] + 256 * stored[0][4]
    assert stored[0][8:] == b"20260105:A023"
    assert length == len(b"20260105:A023") + 3
    printed = [c for c in commands if c.startswith(b"\x1d(k") and c[5:8] == b"1Q0"]  # fn 81: print
    assert len(printed) == 1
    assert commands.index(stored[0]) < commands.index(printed[0]) < len(commands) - 1


def texts(**changes: object) -> list[str]:
    return [line.text.replace("\n", " ") for line in kiosk_ticket_job(make_slip(**changes), 576).lines]


def test_the_words_on_the_ticket() -> None:
    lines = texts()
    assert lines[0] == "Trung tâm Phục vụ hành chính công phường Bến Thành"
    assert lines[1] == "Hộ tịch – Chứng thực"
    assert "A023" in lines
    assert "05/01/2026 08:05" in lines  # local time (UTC+7), dd/mm/yyyy HH:MM
    assert "Số người đang chờ trước bạn: 3" in lines
    assert "Thời gian chờ dự kiến: khoảng 12 phút" in lines  # 11 min 20 s, rounded up
    assert "Vui lòng theo dõi màn hình và loa gọi số." in lines
    assert "Ưu tiên" not in lines
    assert not any(line.startswith("Bản in lại") for line in lines)
    assert "Bạn là người tiếp theo." not in lines


def test_priority_reprint_and_next() -> None:
    lines = texts(priority=True, reprinted_at=REPRINTED, people_ahead=0, estimated_wait=timedelta(0))
    assert "Ưu tiên" in lines
    assert "Bản in lại 09:15 05/01/2026" in lines
    assert "Bạn là người tiếp theo." in lines
    assert not any(line.startswith(("Số người", "Thời gian chờ")) for line in lines)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(1, "khoảng 1 phút"), (59, "khoảng 59 phút"), (60, "khoảng 1 giờ"), (95, "khoảng 1 giờ 35 phút")],
)
def test_wait_wording(minutes: int, text: str) -> None:
    assert wait_text(minutes) == text


def test_someone_ahead_never_waits_zero_minutes() -> None:
    assert "Thời gian chờ dự kiến: khoảng 1 phút" in texts(people_ahead=2, estimated_wait=timedelta(0))


def test_on_58mm_lines_break_between_phrases() -> None:
    job = kiosk_ticket_job(make_slip(), 384)
    lines = [line.text for line in job.lines]
    assert "Số người đang chờ\ntrước bạn: 3" in lines
    assert "Thời gian chờ dự kiến:\nkhoảng 12 phút" in lines
    assert "Vui lòng theo dõi\nmàn hình và loa gọi số." in lines
    centre = lines[0].split("\n")
    assert len(centre) == 3 and min(len(part) for part in centre) > 10, "balanced, no lone word"
    for line in job.lines:
        font = raster.load_font(raster.font_pixels(line.size), line.bold)
        assert all(font.getlength(part) <= 384 for part in line.text.split("\n"))


def test_the_slip_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        make_slip(issued_at=datetime(2026, 1, 5, 8, 5))  # naive
    with pytest.raises(ValueError):
        make_slip(people_ahead=-1)
    with pytest.raises(ValueError):
        make_slip(reprinted_at=datetime(2026, 1, 5, 9, 15))
    with pytest.raises(ValueError):
        kiosk_ticket_bytes(make_slip(), 500)
    assert make_slip(issued_at=datetime(2026, 1, 5, 8, 5, tzinfo=UTC)).issued_at.tzinfo is UTC
