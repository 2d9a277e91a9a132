"""The device registry and ratings; the path from a call to the board and from a rating to the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time

import pytest
from sqlalchemy import select

from counter_app.cli import hardware
from counter_app.db.models import Rating
from counter_app.domain.devices import DeviceHealth, DeviceKind, brightness_at, parse_brightness_schedule
from counter_app.domain.errors import PermissionDeniedError, ValidationError
from counter_app.domain.queue import Outcome
from devices.hub import DeviceHub
from devices.simulators import registry
from devices.simulators.board import BoardBus
from devices.simulators.keypad import KeypadSim
from tests.conftest import Centre


@pytest.fixture(autouse=True)
def fresh_simulators() -> Iterator[None]:
    registry.reset()
    yield
    registry.reset()


def add_devices(centre: Centre) -> None:
    devices, admin = centre.app.devices, centre.admin
    devices.add(
        admin, DeviceKind.BOARD, "sim://counter-bus?kind=board&addresses=1,2", address=1, counter_label="01"
    )
    devices.add(
        admin, DeviceKind.BOARD, "sim://counter-bus?kind=board&addresses=1,2", address=2, counter_label="02"
    )
    devices.add(admin, DeviceKind.BOARD, "sim://hall?kind=board&addresses=9", address=9, hall=True)
    devices.add(admin, DeviceKind.KEYPAD, "sim://kp01?kind=keypad&address=5", address=5, counter_label="01")


def test_registry_validates_and_checks_the_role(centre: Centre) -> None:
    devices = centre.app.devices
    with pytest.raises(ValidationError, match="quầy"):
        devices.add(centre.admin, DeviceKind.BOARD, "COM3", address=1)  # neither counter nor hall
    with pytest.raises(ValidationError, match="126"):
        devices.add(centre.admin, DeviceKind.KEYPAD, "COM4", address=200, counter_label="01")
    with pytest.raises(PermissionDeniedError):
        devices.add(centre.lan, DeviceKind.PRINTER, "socket://10.0.0.9:9100")
    devices.add(centre.admin, DeviceKind.BOARD, "COM3", address=1, counter_label="01")
    with pytest.raises(ValidationError, match="COM3"):
        devices.add(centre.admin, DeviceKind.BOARD, "COM3", address=1, hall=True)
    assert [v.spec.port for v in devices.all(centre.supervisor)] == ["COM3"]
    with pytest.raises(PermissionDeniedError):
        devices.all(centre.lan)


def test_a_counter_drives_its_own_board_and_the_hall(centre: Centre) -> None:
    add_devices(centre)
    specs = centre.app.devices.specs("01")
    assert sorted((s.kind.value, s.address) for s in specs) == [("board", 1), ("board", 9), ("keypad", 5)]


def test_call_next_shows_on_the_boards_and_a_finished_visit_is_rated_once(centre: Centre) -> None:
    add_devices(centre)
    app = centre.app
    app.queue.issue(centre.kiosk, "A")
    ticket = app.queue.call_next(centre.lan, "01")
    assert ticket is not None
    assert hardware.announce_call(app, ticket.number, "01") == []
    counter_bus: BoardBus = registry.get("counter-bus")
    hall: BoardBus = registry.get("hall")
    assert counter_bus.board(1).showing == ("A001", "01")
    assert counter_bus.board(2).showing is None, "counter 02's board is not touched"
    assert hall.board(9).showing == ("A001", "01")

    done = app.queue.finish(centre.lan, "01", Outcome.DOSSIER_RECEIVED, "000.00.01.H29-261207-0001")
    assert hardware.prompt_rating(app, "01", done.id) == []
    keypad: KeypadSim = registry.get("kp01")
    assert keypad.lit and keypad.prompt_seconds == 30

    hub = DeviceHub(app.devices.specs("01"), threaded=False)
    hub.prompt_rating("01", done.id, 30)
    sequence = keypad.press(1)
    keypad.ignore_acks = 1
    reports = hub.collect_ratings()
    assert keypad.repeat_unacked()  # our ACK was lost: the keypad repeats the same event
    reports += hub.collect_ratings()
    hub.close()
    assert [(r.ticket_id, r.level, r.sequence) for r in reports] == [(done.id, 1, sequence)]
    for report in reports:
        app.ratings.record(
            report.ticket_id, report.level, device_id=report.device_id, sequence=report.sequence
        )
    assert app.ratings.record(done.id, 4) is None, "one rating per visit"
    with app.db.reading() as session:
        rows = session.scalars(select(Rating)).all()
    assert [(r.level, r.satisfied, r.dossier_code, r.officer_id) for r in rows] == [
        (1, True, "000.00.01.H29-261207-0001", centre.lan.user_id)
    ]


def test_an_expired_prompt_is_recorded_as_no_rating(centre: Centre) -> None:
    app = centre.app
    app.queue.issue(centre.kiosk, "A")
    app.queue.call_next(centre.lan, "01")
    done = app.queue.finish(centre.lan, "01")
    view = app.ratings.record(done.id, None)
    assert view is not None and view.level is None and view.satisfied is None
    summary = app.ratings.summary(centre.supervisor, done.business_date)
    assert (summary.ratings, summary.satisfied, summary.no_rating) == (0, 0, 1)
    with pytest.raises(ValidationError):
        app.ratings.record(done.id, 9)


def test_an_offline_board_never_blocks_the_call(centre: Centre) -> None:
    add_devices(centre)
    app = centre.app
    registry.device_for("hall", {"kind": "board", "addresses": "9"})
    registry.get("hall").unplug()
    app.queue.issue(centre.kiosk, "A")
    ticket = app.queue.call_next(centre.lan, "01")
    assert ticket is not None
    warnings = hardware.announce_call(app, ticket.number, "01")
    assert len(warnings) == 1 and "không phản hồi" in warnings[0]
    assert registry.get("counter-bus").board(1).showing == ("A001", "01")
    hall = next(v for v in app.devices.all(centre.admin) if v.spec.hall)
    assert hall.online is False and hall.last_error == "no reply after 3 attempts"


def test_health_is_recorded_with_the_moment_it_changed(centre: Centre) -> None:
    add_devices(centre)
    app = centre.app
    board_id = app.devices.all(centre.admin)[0].spec.id
    app.devices.record_health([DeviceHealth(board_id, True, None, "LED 2.0", ("lamp",))])
    view = app.devices.get(centre.admin, board_id)
    assert (view.online, view.firmware, view.faults) == (True, "LED 2.0", "lamp")


def test_brightness_schedule() -> None:
    schedule = parse_brightness_schedule("18:00=10, 06:00=15, 22:00=4")
    assert [brightness_at(schedule, time(h)) for h in (3, 6, 12, 18, 23)] == [4, 15, 15, 10, 4]
    with pytest.raises(ValidationError):
        parse_brightness_schedule("6h=15")
