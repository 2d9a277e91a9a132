"""The dossier side of the demo: the shipped catalogue, dossiers received at the counters during the
scripted morning, and a backlog from earlier days whose results are handed back (some late)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from counter_app.domain.applicant import Applicant
from counter_app.domain.citizen_id import Gender
from counter_app.domain.clock import LOCAL_TZ, ManualClock, format_date, local_date
from counter_app.domain.dossier import DossierStatus, PaymentMethod
from counter_app.domain.procedure import Procedure
from counter_app.domain.working_days import weekday_name
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import Apology, IntakeRequest, SupplementRequest, Withdrawal
from counter_app.services.procedure_files import demo_catalogue_path, read_procedures

DEMO_AGENCY = "000.00.01.H29"
DEMO_UNIT = {  # how the forms' header names the (fictional) centre
    "managing_authority": "UBND phường Tân Định",
    "unit_name": "Trung tâm Phục vụ hành chính công phường Tân Định",
    "place_name": "Tân Định",
    "contact_phone": "028 3820 1234",
}
FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
)
FAMILY_WEIGHTS = (38, 11, 9, 7, 5, 4, 4, 4, 4, 3, 3, 3, 2, 2)
MIDDLE = {
    Gender.MALE: ("Văn", "Hữu", "Đức", "Minh", "Quốc"),
    Gender.FEMALE: ("Thị", "Ngọc", "Thu", "Thanh", "Mai"),
}
GIVEN = {
    Gender.MALE: (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khoa",
        "Long",
        "Nam",
        "Phúc",
        "Quang",
        "Sơn",
    ),
    Gender.FEMALE: ("Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Thảo", "Yến"),
}
PROVINCES = ("001", "031", "034", "036", "038", "040", "079", "082")


class DemoDossiers:
    """Receives and returns dossiers for the scripted day's officers, with believable applicants."""

    def __init__(self, app: CounterApp, admin: Actor, clock: ManualClock, rng: random.Random) -> None:
        self.app, self.admin, self.clock, self.rng = app, admin, clock, rng
        self.by_area: dict[str, list[Procedure]] = {}
        self.ready: list[str] = []  # results waiting to be handed back
        self.received: list[str] = []
        self.returned: list[str] = []
        self.late: list[str] = []  # returned after an apology (Mẫu 04)
        self.incomplete = self.refused = self.withdrawn = ""

    def set_up(self, areas: set[str]) -> None:
        """The shipped catalogue; business registration goes to area C when the centre has one."""
        self.app.settings.set(self.admin, "agency_code", DEMO_AGENCY)
        for key, value in DEMO_UNIT.items():
            self.app.settings.set(self.admin, key, value)
        self.app.settings.set(self.admin, "bank_bin", "970415")
        self.app.settings.set(self.admin, "bank_account", "113000006789")
        procedures = [
            replace(p, area_prefix="C") if "C" in areas and "kinh doanh" in p.field.lower() else p
            for p in read_procedures(demo_catalogue_path()).procedures
        ]
        self.app.procedures.import_procedures(self.admin, procedures, source="demo")
        for procedure in procedures:
            self.by_area.setdefault(procedure.area_prefix, []).append(procedure)

    def backlog(self, officer: Actor, supervisor: Actor, today: date) -> None:
        """Dossiers received on earlier working days, now back with their results (two of them late)."""
        legal = self.app.calendar.legal()
        start = backlog_start(self.app, today)
        codes = []
        for offset in range(8):
            day = legal.add_working_days(start, offset)
            self.clock.set(datetime.combine(day, time(8, 0), LOCAL_TZ) + timedelta(minutes=13 * offset))
            procedure = self.rng.choice(
                [p for p in self.by_area["B"] if p.time.amount <= 5] or self.by_area["B"]
            )
            codes.append(self.receive(officer, procedure))
            self.app.dossiers.transfer(officer, codes[-1], procedure.deciding_agency or "Cơ quan giải quyết")
        for index, code in enumerate(codes):
            view = self.app.dossier_queries.show(officer, code)
            assert view.due_at is not None
            if index < 2:  # late: the unit apologised and moved the date once
                new_due = datetime.combine(legal.add_working_days(today, 1), time(16, 0), LOCAL_TZ)
                if new_due > view.due_at:
                    self.late.append(code)
                    self.app.dossiers.delay(
                        supervisor,
                        code,
                        Apology(
                            "Cần xác minh thêm tại thực địa",
                            view.procedure.deciding_agency or "Cơ quan giải quyết",
                            "Trưởng phòng",
                            new_due,
                        ),
                    )
        self.clock.set(datetime.combine(legal.add_working_days(today, -1), time(16, 0), LOCAL_TZ))
        for code in codes:
            self.app.dossiers.result_ready(officer, code, "Kết quả giải quyết", 1)
            self.ready.append(code)

    def paperwork(self, officer: Actor, today: date) -> None:
        """Earlier days' other outcomes, so that every form has a real case to print: a dossier incomplete
        at the counter and completed the next day (Mẫu 02), one refused at the counter (Mẫu 03) and one
        the applicant withdrew (Mẫu 05)."""
        legal = self.app.calendar.legal()
        first_day = legal.add_working_days(backlog_start(self.app, today), 1)
        procedure = max(self.by_area["B"], key=lambda p: (len(p.documents), p.code))
        self.clock.set(datetime.combine(first_day, time(9, 30), LOCAL_TZ))
        self.incomplete = self.app.dossiers.receive_incomplete(
            officer,
            self.request(procedure),
            SupplementRequest(("2",), "Bản sao chưa được chứng thực theo quy định"),
        ).code
        self.clock.set(datetime.combine(first_day, time(10, 15), LOCAL_TZ))
        self.refused = self.app.dossiers.refuse_at_counter(
            officer,
            self.request(self.rng.choice(self.by_area["A"])),
            "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan",
        ).code
        self.clock.set(datetime.combine(first_day, time(14, 0), LOCAL_TZ))
        withdrawn = self.request(procedure)
        self.withdrawn = self.app.dossiers.receive(officer, withdrawn).code
        next_day = legal.add_working_days(first_day, 1)
        self.clock.set(datetime.combine(next_day, time(9, 0), LOCAL_TZ))
        self.app.dossiers.complete_supplement(officer, self.incomplete)
        self.app.dossiers.withdraw(
            officer,
            self.withdrawn,
            Withdrawal("Gia đình thay đổi nhu cầu, xin rút hồ sơ", next_day, procedure.total_fee),
        )

    def receive(self, officer: Actor, procedure: Procedure, ticket: str | None = None) -> str:
        view = self.app.dossiers.receive(officer, self.request(procedure, ticket))
        self.received.append(view.code)
        return view.code

    def request(self, procedure: Procedure, ticket: str | None = None) -> IntakeRequest:
        """A dossier with a believable applicant (a valid ID number for their birth year and gender)."""
        gender = self.rng.choice([Gender.MALE, Gender.FEMALE])
        born = date(self.rng.randint(1950, 2005), self.rng.randint(1, 12), self.rng.randint(1, 28))
        name = " ".join(
            (
                self.rng.choices(FAMILY, FAMILY_WEIGHTS)[0],
                self.rng.choice(MIDDLE[gender]),
                self.rng.choice(GIVEN[gender]),
            )
        )
        century = 2 * ((born.year - 1900) // 100) + (0 if gender is Gender.MALE else 1)
        serial = self.rng.randrange(10**6)
        applicant = Applicant(
            name=name,
            id_number=f"{self.rng.choice(PROVINCES)}{century}{born.year % 100:02d}{serial:06d}",
            date_of_birth=born,
            gender=gender,
            address="Phường Tân Định, Thành phố Hồ Chí Minh",
            phone=f"09{self.rng.randrange(10**8):08d}",
        )
        payment = None
        if procedure.total_fee:
            payment = self.rng.choice([PaymentMethod.CASH, PaymentMethod.CASH, PaymentMethod.TRANSFER])
        return IntakeRequest(procedure.code, applicant, payment_method=payment, ticket_number=ticket)

    def at_counter(self, officer: Actor, area: str, ticket: str) -> str | None:
        """A visit that ends with a received dossier: returns its code, or None when nothing fits."""
        procedures = self.by_area.get(area)
        if not procedures:
            return None
        return self.receive(officer, self.rng.choice(procedures), ticket)

    def hand_back(self, officer: Actor) -> str | None:
        if not self.ready:
            return None
        code = self.ready.pop(0)
        self.app.dossiers.return_result(officer, code)
        self.returned.append(code)
        return code

    def report(self, officer: Actor) -> list[str]:
        lines = [
            _("Dossiers received this morning: {received}; results handed back: {returned}.").format(
                received=len(self.received) - 8, returned=len(self.returned)
            )
        ]
        if self.received:
            last = self.app.dossier_queries.show(officer, self.received[-1])
            assert last.due_at is not None
            due_local = last.due_at.astimezone(LOCAL_TZ)
            lines.append(
                _("Last dossier: {code} ({procedure}), appointment {weekday} {day} {time}.").format(
                    code=last.code,
                    procedure=last.procedure.name,
                    weekday=weekday_name(local_date(last.due_at)),
                    day=format_date(due_local.date()),
                    time=due_local.strftime("%H:%M"),
                )
            )
        late = [
            code
            for code in self.returned
            if self.app.dossier_queries.show(officer, code).status is DossierStatus.RETURNED
            and self.app.dossier_queries.show(officer, code).rescheduled_due_at is not None
        ]
        lines.append(_("Returned late with an apology: {count}.").format(count=len(late)))
        lines.append(
            _("Dossier events waiting for the central backend: {count}.").format(
                count=self.app.dossier_queries.pending_events()
            )
        )
        return lines


def backlog_start(app: CounterApp, today: date) -> date:
    """The first of the earlier working days the demo's backlog was received on."""
    return app.calendar.legal().add_working_days(today, -12)
