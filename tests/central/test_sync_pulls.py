"""The counter pulls the official calendar and the catalogue from the real central (uvicorn + PostgreSQL).

Central's administrator declares a year's days and imports a catalogue (``central.admin``); the counter's
pulls must turn them into its own official days and new procedure versions, ask again cheaply (304), and
keep the last copy when central cannot be reached.
"""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from central import admin
from counter_app.db.models import SyncLink
from counter_app.domain.clock import ManualClock
from counter_app.domain.procedure import CopyKind, Procedure, ProcessingTime, RequiredDocument, TimeUnit
from counter_app.sync.link import LINK_ID, configure
from counter_app.sync.pull import WaitingProcedure, map_procedure, pull_all, pull_calendar, pull_catalogue
from tests.central.conftest import Central
from tests.conftest import Centre
from tests.support.intake import AGENCY, BUILD, COPY, LAND, PROCEDURES

NEW_CODE = "1.999999"
DAY_OFF = date(2027, 1, 4)  # a Monday declared off (nghỉ bù)
MAKE_UP = date(2027, 1, 9)  # a Saturday declared a working day (làm bù)


class Recording(httpx.BaseTransport):
    """The real transport, noting each answer's status."""

    def __init__(self) -> None:
        self.real = httpx.HTTPTransport()
        self.statuses: list[tuple[str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.real.handle_request(request)
        self.statuses.append((request.url.path, response.status_code))
        return response

    def close(self) -> None:
        self.real.close()


def declare_year(central: Central, tmp_path: Path, year: int, days: list[dict[str, str]]) -> None:
    path = tmp_path / f"calendar-{year}.json"
    path.write_text(json.dumps(days, ensure_ascii=False), encoding="utf-8")
    admin.set_calendar(central.engine, year, path)


def publish(central: Central, tmp_path: Path, procedures: list[dict[str, Any]]) -> int:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(procedures, ensure_ascii=False), encoding="utf-8")
    version, _count = admin.import_catalogue(central.engine, path, clock=central.clock)
    return version


def tick(clock: ManualClock, central: Central, seconds: int = 1) -> None:
    clock.advance(seconds=seconds)
    central.clock.now = clock.now()


CATALOGUE: list[dict[str, Any]] = [
    {
        "code": BUILD,
        "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "field": "Xây dựng",
        "processing_days": 10,
        "documents": [
            "Đơn đề nghị cấp giấy phép xây dựng",
            {"name": "Giấy chứng nhận quyền sử dụng đất"},
            {"name": "Bản vẽ thiết kế xây dựng", "copies": 3},
        ],
        "fee": 100_000,
        "agency": "UBND phường",
    },
    {  # as the counter holds it already: no new version
        "code": COPY,
        "name": "Chứng thực bản sao từ bản chính",
        "field": "Chứng thực",
        "processing_days": 0,
        "documents": ["Bản chính giấy tờ cần chứng thực"],
        "fee": 2_000,
    },
    {"code": NEW_CODE, "name": "Thủ tục mới của tỉnh", "processing_days": 5},
]


@pytest.mark.postgres
def test_central_calendar_becomes_the_official_days(
    linked: Centre, central: Central, clock: ManualClock, tmp_path: Path
) -> None:
    calendar = linked.app.calendar
    assert calendar.legal().is_working_day(DAY_OFF) and not calendar.legal().is_working_day(MAKE_UP)
    declare_year(
        central,
        tmp_path,
        2027,
        [
            {"day": DAY_OFF.isoformat(), "kind": "off", "note": "Nghỉ bù Tết Dương lịch"},
            {"day": MAKE_UP.isoformat(), "kind": "workday", "note": "Làm bù"},
        ],
    )
    result = pull_calendar(linked.app, transport=Recording())
    assert result.error is None and not result.offline
    assert result.applied == (2027,) and result.not_declared == (2026,)  # default: this year and next
    legal = calendar.legal()
    assert not legal.is_working_day(DAY_OFF)
    assert legal.is_working_day(MAKE_UP)
    year = calendar.year(2027)
    assert (DAY_OFF, "Nghỉ bù Tết Dương lịch") in year.days_off
    assert (MAKE_UP, "Làm bù") in year.extra_working_days

    # An administrator's decision sits on top of the official list, and a pull leaves it alone.
    calendar.set_day(linked.admin, DAY_OFF, working=True, reference="CV 12/UBND")
    tick(clock, central)
    again = pull_calendar(linked.app, years=[2027])
    assert again.applied == () and again.unchanged == (2027,)
    assert calendar.legal().is_working_day(DAY_OFF)


@pytest.mark.postgres
def test_catalogue_update_makes_new_versions_and_lists_new_procedures(
    linked: Centre, central: Central, clock: ManualClock, tmp_path: Path
) -> None:
    procedures = linked.app.procedures
    version = publish(central, tmp_path, CATALOGUE)
    result = pull_catalogue(linked.app)
    assert result.error is None and result.changed and result.version == version
    assert result.updated == (BUILD,) and result.unchanged == 1
    assert result.waiting == (WaitingProcedure(NEW_CODE, "Thủ tục mới của tỉnh"),)

    versions = procedures.versions(BUILD)
    assert [v.procedure.effective_from for v in versions] == [date(2025, 7, 1), date(2026, 12, 7)]
    old, new = versions[0].procedure, versions[1].procedure
    assert old == PROCEDURES[0]  # the version earlier dossiers use is untouched
    assert new.time == ProcessingTime(10, TimeUnit.WORKING_DAYS) and new.fee == 100_000
    assert new.deciding_agency == "UBND phường"
    assert new.area_prefix == "B" and new.steps == old.steps  # local things central does not carry
    assert [(d.name, d.kind, d.copies, d.reusable) for d in new.documents] == [
        ("Đơn đề nghị cấp giấy phép xây dựng", CopyKind.ORIGINAL, 1, False),
        ("Giấy chứng nhận quyền sử dụng đất", CopyKind.CERTIFIED_COPY, 1, True),
        ("Bản vẽ thiết kế xây dựng", CopyKind.ORIGINAL, 3, False),
    ]
    assert procedures.current(BUILD).procedure == new
    assert len(procedures.versions(COPY)) == 1 and len(procedures.versions(LAND)) == 1
    with pytest.raises(Exception, match=NEW_CODE):
        procedures.versions(NEW_CODE)  # not imported: it needs a service area first
    with linked.app.db.reading() as session:
        link = session.get(SyncLink, LINK_ID)
        assert link is not None and link.catalogue_version == version
        assert link.catalogue_pulled_at == clock.now()

    # Central changes the time again the same day: the new version starts tomorrow.
    tick(clock, central)
    changed = [dict(CATALOGUE[0], processing_days=0, fee="Miễn phí"), *CATALOGUE[1:]]
    second = publish(central, tmp_path, changed)
    result = pull_catalogue(linked.app)
    assert result.version == second and result.updated == (BUILD,)
    latest = procedures.versions(BUILD)[-1].procedure
    assert latest.effective_from == date(2026, 12, 8)
    assert latest.time == ProcessingTime(0, TimeUnit.SAME_DAY)
    assert (latest.fee, latest.charge, latest.fee_note) == (0, 0, "Miễn phí")


@pytest.mark.postgres
def test_a_second_pull_with_nothing_new_does_nothing(
    linked: Centre, central: Central, clock: ManualClock, tmp_path: Path
) -> None:
    declare_year(central, tmp_path, 2027, [{"day": DAY_OFF.isoformat(), "kind": "off"}])
    version = publish(central, tmp_path, CATALOGUE)
    first = pull_all(linked.app)
    assert first.error is None and first.years_applied == (2027,)
    assert first.catalogue_version == version and first.updated == (BUILD,)
    count = len(linked.app.procedures.versions(BUILD))

    tick(clock, central)
    recording = Recording()
    second = pull_all(linked.app, transport=recording)
    assert second.error is None and not second.offline
    assert ("/api/v1/catalog", 304) in recording.statuses
    assert second.years_applied == () and second.updated == () and second.waiting == ()
    assert second.catalogue_version == version and not second.catalogue.changed
    assert len(linked.app.procedures.versions(BUILD)) == count


@pytest.mark.postgres
def test_central_down_keeps_the_last_copy_and_says_offline(
    linked: Centre, central: Central, clock: ManualClock, tmp_path: Path
) -> None:
    declare_year(central, tmp_path, 2027, [{"day": DAY_OFF.isoformat(), "kind": "off"}])
    version = publish(central, tmp_path, CATALOGUE)
    assert pull_all(linked.app).error is None
    current = linked.app.procedures.current(BUILD).procedure

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    configure(linked.app.db, f"http://127.0.0.1:{port}", AGENCY, "x" * 32, clock.now())
    tick(clock, central, 3600)
    report = pull_all(linked.app, timeout=2.0)
    assert report.offline and report.error
    assert report.catalogue_version == version and report.years_applied == ()
    assert not linked.app.calendar.legal().is_working_day(DAY_OFF)  # the last copy still decides
    assert linked.app.procedures.current(BUILD).procedure == current


def test_fee_and_document_mapping_keeps_what_central_does_not_say() -> None:
    base = Procedure(
        code="1.900009",
        name="Cũ",
        field="F",
        area_prefix="A",
        time=ProcessingTime(15, TimeUnit.WORKING_DAYS),
        effective_from=date(2025, 1, 1),
        reduced_amount=12,
        fee=10_000,
        charge=5_000,
        fee_note="Nộp tại kho bạc",
        documents=(RequiredDocument("Tờ khai", CopyKind.CERTIFIED_COPY, 2, reusable=True),),
    )
    same = map_procedure({"code": base.code, "documents": [], "fee": None}, base)
    assert same == base  # central silent: nothing changes
    amount = map_procedure({"code": base.code, "fee": "50.000 đồng", "processing_days": 20}, base)
    assert (amount.fee, amount.charge, amount.fee_note) == (50_000, 5_000, "Nộp tại kho bạc")
    assert amount.time.amount == 20 and amount.reduced_amount == 12
    shorter = map_procedure({"code": base.code, "processing_days": 10, "fee": "Theo biểu phí"}, base)
    assert shorter.reduced_amount is None  # no longer a reduction
    assert (shorter.fee, shorter.charge, shorter.fee_note) == (10_000, 5_000, "Theo biểu phí")
    docs = map_procedure({"code": base.code, "documents": ["tờ khai", {"name": "Ảnh", "kind": "copy"}]}, base)
    assert [(d.name, d.kind, d.copies, d.reusable) for d in docs.documents] == [
        ("tờ khai", CopyKind.CERTIFIED_COPY, 2, True),
        ("Ảnh", CopyKind.COPY, 1, False),
    ]
