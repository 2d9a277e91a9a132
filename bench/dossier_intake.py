"""Dossier intake latency: ``Dossiers.receive`` through the real service, on SQLite and PostgreSQL.

For each backend the schema is built by the Alembic migrations, a centre is set up (2 service
areas, 4 counters opened by their officers), the agency code is set and the small test catalogue
(``tests/support/intake.py``: a building permit with 3 documents and a fee, a land registration
with 2 documents, a same-day certified copy) is imported. Then N dossiers (2,000 by default) are
received one after the other, round robin over the officers, with a :class:`ManualClock` moved a
few seconds per dossier inside the reception hours (the lunch break and the evening are skipped,
onto the next working day when the day's slots end). Applicants vary: Vietnamese names, valid
12-digit ID numbers (province code, century-and-gender digit, birth year), phones, old CMND numbers,
some organisations with a valid tax code, some returning applicants.

Only the service call is timed (``time.perf_counter_ns``): validation, appointment, the day's code
from the atomic upsert, the dossier with its documents, audit row and outbox event, one durable
commit (SQLite WAL with ``synchronous=FULL``; PostgreSQL with ``fsync=on``), and the view returned.

    .venv/bin/python bench/dossier_intake.py                       # both backends, 2,000 dossiers
    .venv/bin/python bench/dossier_intake.py --backend sqlite --dossiers 500
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from common import (
    CpuAccount,
    StatementCounter,
    build_centre,
    cheap_password_hashing,
    local_instant,
    markdown_table,
    median,
    ms,
    percentile,
    rotated,
)
from queue_latency import BACKEND_NAMES, open_backend
from sqlalchemy import func, select

from counter_app.db.models import Dossier, DossierEvent
from counter_app.domain.applicant import Applicant
from counter_app.domain.citizen_id import PROVINCE_CODES, Gender
from counter_app.domain.clock import LOCAL_TZ, ManualClock, local_datetime
from counter_app.domain.dossier import ApplicantKind, PaymentMethod
from counter_app.domain.tax_code import check_digit
from counter_app.domain.working_days import LegalCalendar, ReceptionSchedule
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_requests import IntakeRequest
from tests.support.intake import AGENCY, BUILD, COPY, LAND, PROCEDURES

# Family names and their approximate share of the population (Nguyễn about 38 %).
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Phan", 4.5), ("Hoàng", 3.0),
    ("Huỳnh", 2.1), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 1.5), ("Trương", 1.5), ("Mai", 1.0),
    ("Lâm", 1.0), ("Đoàn", 1.0), ("Trịnh", 1.0), ("Lương", 0.9), ("Cao", 0.8), ("Hà", 0.8),
    ("Tô", 0.6), ("Lưu", 0.5), ("Tạ", 0.4), ("Châu", 0.4),
)  # fmt: skip
MIDDLE_NAMES: dict[Gender, tuple[tuple[str, float], ...]] = {
    Gender.MALE: (
        ("Văn", 40), ("Đức", 10), ("Minh", 10), ("Hữu", 8), ("Quang", 8), ("Thanh", 6), ("Công", 6),
        ("Xuân", 4), ("Ngọc", 4), ("Đình", 4),
    ),
    Gender.FEMALE: (
        ("Thị", 55), ("Ngọc", 8), ("Thanh", 7), ("Thu", 7), ("Kim", 5), ("Minh", 4), ("Phương", 4),
        ("Hồng", 4), ("Bích", 3), ("Mỹ", 3),
    ),
}  # fmt: skip
# A second middle name ("Nguyễn Thị Thu Hà", "Trần Quốc Minh Tuấn") for about one name in five.
SECOND_MIDDLE_NAMES: dict[Gender, tuple[str, ...]] = {
    Gender.MALE: ("Minh", "Quốc", "Gia", "Hoàng", "Anh", "Tuấn"),
    Gender.FEMALE: ("Thu", "Minh", "Bảo", "Khánh", "Ngọc", "Thanh"),
}
GIVEN_NAMES: dict[Gender, tuple[str, ...]] = {
    Gender.MALE: (
        "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
        "Khánh", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng",
        "Thành", "Tiến", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
    ),
    Gender.FEMALE: (
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huyền",
        "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo",
        "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến",
    ),
}  # fmt: skip
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
           "Hùng Vương", "Điện Biên Phủ", "Nguyễn Huệ", "Phan Chu Trinh")  # fmt: skip
WARDS = ("Phường Bến Nghé", "Phường Tân Định", "Xã Phước Kiển", "Phường 7", "Xã Tân Thông Hội",
         "Phường Cửa Nam", "Phường Hàng Bài", "Xã Đông Anh")  # fmt: skip
CITIES = ("TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Bình Dương")
MOBILE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078",
                   "079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093",
                   "094", "096", "097", "098")  # fmt: skip
COMPANY_KINDS = ("Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã")
COMPANY_WORDS = ("Thương mại", "Xây dựng", "Dịch vụ", "Vận tải", "Nông sản", "Công nghệ", "Du lịch",
                 "Sài Gòn", "Phương Nam", "Hoàng Long", "Minh Phát", "An Khang", "Thành Công")  # fmt: skip
PROVINCES = tuple(PROVINCE_CODES)
# The mix of procedures received: land registrations and building permits, many certified copies.
PROCEDURE_MIX: tuple[tuple[str, float], ...] = ((LAND, 40.0), (BUILD, 25.0), (COPY, 35.0))
RETURNING_SHARE = 0.15  # applicants who filed an earlier dossier (same ID number, same phone)
ORGANISATION_SHARE = 0.05


def _weighted(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], list[float]]:
    """Names and cumulative weights, so a draw is one bisect (``random.choices`` with ``cum_weights``)."""
    names = tuple(name for name, _weight in pairs)
    cumulative: list[float] = []
    total = 0.0
    for _name, weight in pairs:
        total += weight
        cumulative.append(total)
    return names, cumulative


class People:
    """Realistic applicants, reproducible from a seed: what officers type at the counter.

    ID numbers follow citizen-id.md (birth-registration province, century-and-gender digit, two
    digits of the birth year, six more digits) so that ``check_applicant`` accepts them with the
    date of birth and gender entered; the search benchmark fills its million rows from here too.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._families = _weighted(FAMILY_NAMES)
        self._middles = {gender: _weighted(pairs) for gender, pairs in MIDDLE_NAMES.items()}
        self._returning: list[Applicant] = []

    def name(self, gender: Gender) -> str:
        rng = self.rng
        family = rng.choices(self._families[0], cum_weights=self._families[1])[0]
        names, weights = self._middles[gender]
        middle = rng.choices(names, cum_weights=weights)[0]
        if rng.random() < 0.2:
            middle = f"{middle} {rng.choice(SECOND_MIDDLE_NAMES[gender])}"
        return f"{family} {middle} {rng.choice(GIVEN_NAMES[gender])}"

    def id_number(self, born: date, gender: Gender) -> str:
        """The century digit: 0/1 for a man/woman born in the 1900s, 2/3 in the 2000s."""
        century = 2 * ((born.year - 1900) // 100) + (0 if gender is Gender.MALE else 1)
        return (
            f"{self.rng.choice(PROVINCES)}{century}{born.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
        )

    def phone(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"

    def address(self) -> str:
        rng = self.rng
        return f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, {rng.choice(WARDS)}, {rng.choice(CITIES)}"

    def tax_code(self) -> str:
        first_nine = f"{self.rng.randrange(1, 100):02d}{self.rng.randrange(10_000_000):07d}"
        return f"{first_nine}{check_digit(first_nine)}"

    def individual(self) -> Applicant:
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
        born = date(rng.randint(1940, 2007), rng.randint(1, 12), rng.randint(1, 28))
        return Applicant(
            name=self.name(gender),
            id_number=self.id_number(born, gender),
            old_id_number=f"{rng.randrange(10**8, 10**9)}"
            if born.year < 1995 and rng.random() < 0.4
            else None,
            date_of_birth=born,
            gender=gender,
            address=self.address(),
            phone=self.phone() if rng.random() < 0.9 else None,
        )

    def organisation(self) -> Applicant:
        rng = self.rng
        words = " ".join(rng.sample(COMPANY_WORDS, 2))
        return Applicant(
            name=f"{rng.choice(COMPANY_KINDS)} {words}",
            kind=ApplicantKind.ORGANISATION,
            tax_code=self.tax_code(),
            representative=self.name(Gender.MALE if rng.random() < 0.6 else Gender.FEMALE),
            address=self.address(),
            phone=self.phone(),
        )

    def applicant(self) -> Applicant:
        """A new applicant, or (``RETURNING_SHARE``) one who filed before, with the same numbers."""
        rng = self.rng
        if self._returning and rng.random() < RETURNING_SHARE:
            return rng.choice(self._returning)
        new = self.organisation() if rng.random() < ORGANISATION_SHARE else self.individual()
        if len(self._returning) < 200_000:
            self._returning.append(new)
        else:
            self._returning[rng.randrange(len(self._returning))] = new
        return new


def next_open(moment: datetime, schedule: ReceptionSchedule, legal: LegalCalendar) -> datetime:
    """``moment`` if the centre receives then, else the start of the next reception slot (UTC)."""
    local = local_datetime(moment)
    day = local.date()
    for _ in range(60):  # a long Tết break is well under two months
        for slot in schedule.slots_on(day, legal):
            start = datetime.combine(day, slot.start, LOCAL_TZ)
            end = datetime.combine(day, slot.end, LOCAL_TZ)
            if local < end:
                return max(local, start).astimezone(UTC)
        day += timedelta(days=1)
        local = datetime.combine(day, clock_time(0), LOCAL_TZ)
    raise RuntimeError("no reception slot within 60 days; check the reception schedule")


@dataclass
class IntakeResult:
    backend: str
    version: str
    latencies: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None
    stored: int = 0
    distinct_codes: int = 0
    events: int = 0
    cpu: CpuAccount | None = None


def set_up(app: CounterApp) -> list[Actor]:
    """A centre with the test catalogue and four officers at open counters."""
    centre = build_centre(app, areas=2, counters=4, services_of=rotated)
    system = Actor.system("bench")
    app.settings.set(system, "agency_code", AGENCY)
    report = app.procedures.import_procedures(system, PROCEDURES, source="bench")
    if not report.ok:
        raise RuntimeError(f"the test catalogue was not imported: {report}")
    return list(centre.officers.values())


def intake_request(rng: random.Random, people: People) -> IntakeRequest:
    codes, weights = _weighted(PROCEDURE_MIX)
    code = rng.choices(codes, cum_weights=weights)[0]
    payment: PaymentMethod | None = None
    reference: str | None = None
    if code != LAND and rng.random() < 0.3:  # LAND has no fee
        payment, reference = PaymentMethod.TRANSFER, f"FT{rng.randrange(10**10):010d}"
    return IntakeRequest(
        procedure_code=code,
        applicant=people.applicant(),
        payment_method=payment,
        payment_reference=reference,
        sets=1 if rng.random() < 0.9 else 2,
    )


def run_backend(backend: str, dossiers: int, seed: int) -> IntakeResult:
    rng = random.Random(seed)
    people = People(random.Random(seed + 1))
    with open_backend(backend) as (db, version):
        clock = ManualClock(local_instant(7, 0))
        app = CounterApp(db, clock)
        officers = set_up(app)
        schedule, legal = app.calendar.schedule(), app.calendar.legal()
        clock.set(next_open(local_instant(7, 30), schedule, legal))
        counter = StatementCounter(db.engine)
        result = IntakeResult(BACKEND_NAMES[backend], version, first_day=local_datetime(clock.now()).date())
        requests = [intake_request(rng, people) for _ in range(dossiers)]
        steps = [timedelta(seconds=rng.uniform(2.0, 8.0)) for _ in range(dossiers)]
        gc.collect()
        result.cpu = CpuAccount()
        for index, request in enumerate(requests):
            clock.set(next_open(clock.now() + steps[index], schedule, legal))
            before = counter.count
            start = time.perf_counter_ns()
            app.dossiers.receive(officers[index % len(officers)], request)
            result.latencies.append(time.perf_counter_ns() - start)
            result.statements.append(counter.count - before)
        result.cpu.stop()
        result.last_day = local_datetime(clock.now()).date()
        with db.reading() as session:
            result.stored = int(session.scalar(select(func.count(Dossier.id))) or 0)
            result.distinct_codes = int(session.scalar(select(func.count(func.distinct(Dossier.code)))) or 0)
            result.events = int(session.scalar(select(func.count(DossierEvent.id))) or 0)
    return result


def report(results: list[IntakeResult]) -> str:
    header = [
        "Backend",
        "n",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "p50 first 10 % ms",
        "p50 last 10 % ms",
        "SQL stmts/call",
        "other processes' CPU (cores)",
    ]
    rows: list[list[object]] = []
    for result in results:
        ordered = sorted(result.latencies)
        tenth = max(1, len(ordered) // 10)
        cpu = result.cpu
        rows.append(
            [
                result.backend,
                len(ordered),
                ms(percentile(ordered, 0.50)),
                ms(percentile(ordered, 0.90)),
                ms(percentile(ordered, 0.99)),
                ms(ordered[-1]),
                ms(median(result.latencies[:tenth])),
                ms(median(result.latencies[-tenth:])),
                f"{sum(result.statements) / len(result.statements):.1f}",
                f"{cpu.others / cpu.wall:.2f}" if cpu and cpu.wall else "–",
            ]
        )
    lines = [markdown_table(header, rows), ""]
    for result in results:
        assert result.cpu is not None
        lines.append(
            f"- {result.version}: {len(result.latencies):,} dossiers received from {result.first_day} to "
            f"{result.last_day}; stored {result.stored:,}, distinct codes {result.distinct_codes:,}, "
            f"outbox events {result.events:,}. {result.cpu.describe()}."
        )
    return "\n".join(lines)


def consistent(result: IntakeResult) -> bool:
    """Every call stored exactly one dossier with its own code and its first event."""
    n = len(result.latencies)
    return result.stored == result.distinct_codes == result.events == n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=2_000, help="dossiers received (default 2000)")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql", "both", "sqlite-memory"),
        default="both",
        help="both = sqlite then postgresql; sqlite-memory (no I/O) shows the CPU part of the latency",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.dossiers < 10:
        parser.error("--dossiers must be at least 10 (the report compares the first and last 10 %)")
    cheap_password_hashing()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        print(f"[{backend}] receiving {args.dossiers:,} dossiers…", file=sys.stderr, flush=True)
        results.append(run_backend(backend, args.dossiers, args.seed))
        print(f"[{backend}] done", file=sys.stderr, flush=True)
    print(report(results))
    broken = [result.backend for result in results if not consistent(result)]
    if broken:
        print(
            f"stored dossiers, codes and events do not match the calls on: {', '.join(broken)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
