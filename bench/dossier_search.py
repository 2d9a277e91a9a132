"""Dossier search on a million dossiers: ``DossierQueries.search`` through the real service.

The database is built by the Alembic migrations and set up through the services (areas, counters,
officers, the agency code, the test catalogue of ``tests/support/intake.py``); then a million
dossiers are bulk-inserted (``executemany`` on SQLite, ``COPY`` on PostgreSQL), received over four
years of working days inside the reception hours, with the day's codes, realistic Vietnamese names
(``dossier_intake.People``: Nguyễn about 38 %, "Văn"/"Thị" the usual middle names), valid ID
numbers, phones, some organisations and proxies, and statuses that fit the dossier's age. All rows
point at one imported procedure. The fill writes only the ``dossiers`` table (no documents,
events or audit rows: the search does not read them). Then ``ANALYZE`` (PostgreSQL: ``VACUUM
ANALYZE``), as a database in service would have had.

The filled databases are kept under ``--data-dir`` (default ``/tmp/bench-data``: the SQLite file, and
a PostgreSQL cluster whose server each run starts and stops) and reused until ``--refill``, another
``--rows``/``--seed`` or a changed migration. Each query kind is searched ``--queries`` times (500 by
default, after a warm-up), the kinds interleaved in a random order, through
``app.dossier_queries.search`` (the query, up to 50 dossiers loaded with their procedure, the
summaries built). Kinds whose p99 misses the 100 ms target get the database's plan printed
(``EXPLAIN QUERY PLAN`` / ``EXPLAIN (ANALYZE, BUFFERS)``). ``--with-sql`` measures a scratch copy
with extra SQL applied first (an index being considered), leaving the cached database as filled.

    .venv/bin/python bench/dossier_search.py                          # both backends, 1,000,000 rows
    .venv/bin/python bench/dossier_search.py --backend sqlite --rows 100000 --queries 100
    .venv/bin/python bench/dossier_search.py --with-sql "CREATE INDEX ix_try ON dossiers (tax_code)"
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import random
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import psycopg
from common import (
    CpuAccount,
    StatementCounter,
    build_centre,
    cheap_password_hashing,
    local_instant,
    markdown_table,
    ms,
    percentile,
    rotated,
)
from dossier_intake import People
from sqlalchemy import func, select

from counter_app.db import migrate
from counter_app.db.database import Database
from counter_app.db.models import Counter, Dossier, ProcedureVersion, User
from counter_app.domain.applicant import Applicant
from counter_app.domain.citizen_id import Gender
from counter_app.domain.clock import LOCAL_TZ, ManualClock
from counter_app.domain.dossier import ApplicantKind, DossierStatus, Timeliness, format_dossier_code
from counter_app.domain.search_text import fold
from counter_app.domain.working_days import LegalCalendar, ReceptionSchedule
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.dossier_queries import SEARCH_LIMIT, _search_query
from tests.support.intake import AGENCY, BUILD, PROCEDURES
from tests.support.pgserver import ThrowawayPostgres, _shutdown, find_pg_bindir

MIGRATIONS = Path(migrate.__file__).resolve().parent / "migrations" / "versions"
FILL_VERSION = 1  # bump when the generated rows change, so cached databases are refilled
TARGET_MS = 100.0
WARM_UP = 30  # queries per kind before the measured ones
FIRST_DAY, LAST_DAY = date(2023, 1, 3), date(2026, 12, 4)
NOW = local_instant(7, 0)  # Monday 7 December 2026: the morning the searches happen
OFFICER = "canbo01"
# Family names the generator never uses: names starting with them are certain misses.
ABSENT_FAMILIES = ("Quách", "Khổng", "Ông", "Kha", "Âu Dương")
COMMON_PREFIXES = ("nguyen van", "nguyen thi", "tran thi", "le van", "pham thi")
KINDS: tuple[tuple[str, str], ...] = (
    ("code", "by code"),
    ("id_number", "by ID number (12 digits)"),
    ("phone", "by phone (half typed with spaces)"),
    ("full_name", "by full folded name"),
    ("prefix", "by a common prefix (first 50 of many)"),
    ("diacritics", "by a name typed with diacritics"),
    ("miss_name", "miss: a name nobody has"),
    ("miss_number", "miss: an ID number nobody has"),
)
# Every column the fill writes, in the order the generated tuples hold them (all but ``id``).
COLUMNS = (
    "code", "procedure_id", "status", "channel", "return_method", "applicant_kind", "applicant_name",
    "applicant_name_folded", "id_number", "old_id_number", "date_of_birth", "gender", "tax_code",
    "representative", "address", "phone", "email", "proxy_id_number", "proxy", "sets", "note",
    "received_at", "due_at", "original_due_at", "rescheduled_due_at", "paused_at", "supplement_deadline",
    "result_ready_at", "returned_at", "closed_at", "timeliness", "fee", "payment_method",
    "payment_reference", "data", "officer_id", "counter_id", "ticket_id", "last_seq", "created_at",
)  # fmt: skip
_DATETIMES = tuple(
    index for index, name in enumerate(COLUMNS) if name.endswith("_at") and name != "supplement_deadline"
)
_DATES = (COLUMNS.index("date_of_birth"), COLUMNS.index("supplement_deadline"))
Row = tuple[Any, ...]
_SELECT_LIST = re.compile(r"SELECT .*? FROM")  # the 60 selected columns, left out of printed plans


# -- the data --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    procedure_id: int
    fee: int
    desks: tuple[tuple[int, int], ...]  # (officer id, counter id)


@dataclass(frozen=True)
class Lifecycle:
    """What happened to a dossier by ``NOW``, from its age: older ones are mostly returned."""

    status: DossierStatus
    result_ready_at: datetime | None = None
    returned_at: datetime | None = None
    closed_at: datetime | None = None
    timeliness: Timeliness | None = None


def lifecycle(rng: random.Random, received: datetime, due: datetime) -> Lifecycle:
    if due > NOW - timedelta(days=3):
        draw = rng.random()
        if draw < 0.4:
            return Lifecycle(DossierStatus.RECEIVED)
        if draw < 0.9:
            return Lifecycle(DossierStatus.TRANSFERRED)
        ready = min(NOW, received + timedelta(days=rng.uniform(1, 10)))
        return Lifecycle(DossierStatus.RESULT_READY, result_ready_at=ready)
    draw = rng.random()
    if draw < 0.02:
        return Lifecycle(DossierStatus.REFUSED, closed_at=received + timedelta(days=rng.uniform(1, 5)))
    if draw < 0.03:
        return Lifecycle(DossierStatus.WITHDRAWN, closed_at=received + timedelta(days=rng.uniform(1, 5)))
    late = rng.random() < 0.08
    ready = due + timedelta(days=rng.uniform(0.5, 5)) if late else due - timedelta(days=rng.uniform(0, 5))
    timeliness = (
        Timeliness.LATE
        if late
        else (Timeliness.EARLY if due - ready > timedelta(days=1) else Timeliness.ON_TIME)
    )
    returned = ready + timedelta(days=rng.uniform(0, 7))
    return Lifecycle(DossierStatus.RETURNED, ready, returned, returned, timeliness)


def reception_instants(
    rng: random.Random, rows: int, schedule: ReceptionSchedule, legal: LegalCalendar
) -> Iterator[tuple[datetime, int]]:
    """Receipt instants (UTC) spread evenly over the working days, with the day's sequence number."""
    days = [
        FIRST_DAY + timedelta(days=offset)
        for offset in range((LAST_DAY - FIRST_DAY).days + 1)
        if schedule.slots_on(FIRST_DAY + timedelta(days=offset), legal)
    ]
    base, extra = divmod(rows, len(days))
    for index, day in enumerate(days):
        slots = schedule.slots_on(day, legal)
        bounds = [
            (datetime.combine(day, slot.start, LOCAL_TZ), datetime.combine(day, slot.end, LOCAL_TZ))
            for slot in slots
        ]
        open_seconds = sum(int((end - start).total_seconds()) for start, end in bounds)
        count = base + (1 if index < extra else 0)
        offsets = sorted(rng.randrange(open_seconds * 1_000_000) for _ in range(count))
        for seq, offset in enumerate(offsets, start=1):
            yield _instant_at(bounds, offset), seq


def _instant_at(bounds: Sequence[tuple[datetime, datetime]], offset_us: int) -> datetime:
    """The instant ``offset_us`` microseconds of reception time into the day (slots laid end to end)."""
    for start, end in bounds:
        length = int((end - start).total_seconds()) * 1_000_000
        if offset_us < length:
            return (start + timedelta(microseconds=offset_us)).astimezone(UTC)
        offset_us -= length
    raise ValueError("offset beyond the day's reception slots")


def _proxy(people: People) -> tuple[str, str]:
    person = people.individual()
    assert person.id_number is not None
    proxy = {
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "address": person.address,
        "email": None,
        "authorisation": f"Giấy ủy quyền số {people.rng.randint(1, 999)}/UQ",
    }
    return person.id_number, json.dumps(proxy, ensure_ascii=False)


def dossier_row(rng: random.Random, people: People, staff: Staff, received: datetime, seq: int) -> Row:
    applicant: Applicant = people.applicant()
    due = received + timedelta(days=rng.choice((1, 7, 14, 21)))
    life = lifecycle(rng, received, due)
    proxy_id, proxy = _proxy(people) if rng.random() < 0.05 else (None, None)
    officer_id, counter_id = rng.choice(staff.desks)
    transfer = rng.random() < 0.3
    email = (
        f"{fold(applicant.name).replace(' ', '.')}{rng.randint(1, 99)}@gmail.com"
        if rng.random() < 0.1
        else None
    )
    return (
        format_dossier_code(AGENCY, received, seq), staff.procedure_id, life.status.value,
        "counter" if rng.random() < 0.85 else rng.choice(("online", "post")),
        "counter" if rng.random() < 0.9 else "post", applicant.kind.value, applicant.name,
        fold(applicant.name), applicant.id_number, applicant.old_id_number, applicant.date_of_birth,
        applicant.gender.value if applicant.gender else None, applicant.tax_code, applicant.representative,
        applicant.address, applicant.phone, email, proxy_id, proxy, 1, "",
        received, due, due, None, None, None, life.result_ready_at, life.returned_at, life.closed_at,
        life.timeliness.value if life.timeliness else None, staff.fee, "transfer" if transfer else "cash",
        f"FT{rng.randrange(10**10):010d}" if transfer else None, '{"warnings": []}',
        officer_id, counter_id, None, 0, received,
    )  # fmt: skip


def dossier_rows(
    rows: int, seed: int, staff: Staff, schedule: ReceptionSchedule, legal: LegalCalendar
) -> Iterator[Row]:
    rng = random.Random(seed)
    people = People(random.Random(seed + 1))
    for received, seq in reception_instants(random.Random(seed + 2), rows, schedule, legal):
        yield dossier_row(rng, people, staff, received, seq)


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def for_sqlite(row: Row) -> Row:
    """Values as SQLAlchemy stores them in SQLite: naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, ISO dates."""
    values = list(row)
    for index in _DATETIMES:
        value = values[index]
        if value is not None:
            values[index] = value.replace(tzinfo=None).isoformat(" ", "microseconds")
    for index in _DATES:
        value = values[index]
        if value is not None:
            values[index] = value.isoformat()
    return tuple(values)


@dataclass
class Sample:
    """A few generated rows, to check that the service reads back what the fill wrote."""

    rows: list[dict[str, str]] = field(default_factory=list)

    def keep(self, rows: Iterable[Row], every: int) -> Iterator[Row]:
        for index, row in enumerate(rows):
            if index % every == 0:
                received, due = row[COLUMNS.index("received_at")], row[COLUMNS.index("due_at")]
                self.rows.append(
                    {
                        "code": row[0],
                        "name": row[COLUMNS.index("applicant_name")],
                        "status": row[COLUMNS.index("status")],
                        "received_at": received.isoformat(),
                        "due_at": due.isoformat(),
                    }
                )
            yield row


# -- the databases ---------------------------------------------------------------------------------


class CachedPostgres(ThrowawayPostgres):
    """The throwaway server's start-up on a folder that stays: the filled cluster is reused next run."""

    def __init__(self, folder: Path) -> None:
        super().__init__(fsync=True)
        self.folder = folder

    def start(self) -> None:
        self._bindir = find_pg_bindir()
        self._creds = self._lookup_creds()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._tmpdir = self.folder
        self.socket_dir.mkdir(mode=0o700, exist_ok=True)
        if self._creds is not None:
            for path in (self.folder, self.socket_dir):
                shutil.chown(path, self._creds[0], self._creds[1])
        try:
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            self._launch()
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _shutdown(proc)
        self._tmpdir = None


def schema_fingerprint() -> str:
    """The head revision and a digest of every migration: an index added to a migration in place
    (same revision) must still invalidate the cached databases."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{migrate.head_revision()}:{digest.hexdigest()[:16]}"


@dataclass
class Marker:
    """What a cached database holds; any difference from what is asked means a refill."""

    path: Path

    def wanted(self, rows: int, seed: int) -> dict[str, Any]:
        return {"fill": FILL_VERSION, "rows": rows, "seed": seed, "schema": schema_fingerprint()}

    def matches(self, rows: int, seed: int) -> bool:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return all(stored.get(key) == value for key, value in self.wanted(rows, seed).items())

    def write(self, rows: int, seed: int, seconds: float, sample: Sample) -> None:
        record = {**self.wanted(rows, seed), "fill_seconds": round(seconds, 1), "sample": sample.rows}
        self.path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")

    def read(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        return data

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def set_up_centre(db: Database) -> Staff:
    """Areas, counters, officers, agency code and catalogue, through the services as in service."""
    migrate.upgrade(db)
    app = CounterApp(db, ManualClock(NOW))
    centre = build_centre(app, areas=2, counters=4, services_of=rotated)
    system = Actor.system("bench")
    app.settings.set(system, "agency_code", AGENCY)
    if not app.procedures.import_procedures(system, PROCEDURES, source="bench").ok:
        raise RuntimeError("the test catalogue was not imported")
    with db.reading() as session:
        procedure = session.scalars(select(ProcedureVersion).where(ProcedureVersion.code == BUILD)).one()
        counters = {row.officer_id: row.id for row in session.scalars(select(Counter))}
    desks = tuple((officer.user_id or 0, counters[officer.user_id]) for officer in centre.officers.values())
    return Staff(procedure.id, procedure.fee + procedure.charge, desks)


def calendar_of(db: Database) -> tuple[ReceptionSchedule, LegalCalendar]:
    app = CounterApp(db, ManualClock(NOW))
    return app.calendar.schedule(), app.calendar.legal()


def progress(rows: Iterable[Row], total: int, label: str) -> Iterator[Row]:
    start = time.perf_counter()
    for index, row in enumerate(rows, start=1):
        if index % 100_000 == 0 or index == total:
            rate = index / (time.perf_counter() - start)
            print(f"[{label}] {index:,}/{total:,} rows ({rate:,.0f}/s)", file=sys.stderr, flush=True)
        yield row


def fill_sqlite(path: Path, rows: int, seed: int, marker: Marker) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    db = Database(f"sqlite:///{path}")
    try:
        staff = set_up_centre(db)
        schedule, legal = calendar_of(db)
    finally:
        db.dispose()
    sample = Sample()
    generated = sample.keep(dossier_rows(rows, seed, staff, schedule, legal), max(1, rows // 10))
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=OFF", "cache_size=-2000000", "temp_store=MEMORY"):
            connection.execute(f"PRAGMA {pragma}")
        insert = f"INSERT INTO dossiers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        connection.execute("BEGIN")
        for chunk in chunks(progress(generated, rows, "sqlite fill"), 20_000):
            connection.executemany(insert, [for_sqlite(row) for row in chunk])
        connection.execute("COMMIT")
        print("[sqlite fill] ANALYZE…", file=sys.stderr, flush=True)
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    marker.write(rows, seed, time.perf_counter() - start, sample)


def fill_postgres(server: ThrowawayPostgres, name: str, rows: int, seed: int, marker: Marker) -> None:
    server.drop_database(name)
    start = time.perf_counter()
    db = Database(server.create_database(name))
    try:
        staff = set_up_centre(db)
        schedule, legal = calendar_of(db)
    finally:
        db.dispose()
    sample = Sample()
    generated = sample.keep(dossier_rows(rows, seed, staff, schedule, legal), max(1, rows // 10))
    with psycopg.connect(server.dsn(name)) as connection:
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY dossiers ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in progress(generated, rows, "postgresql fill"):
                copy.write_row(row)
        connection.commit()
    print("[postgresql fill] VACUUM ANALYZE…", file=sys.stderr, flush=True)
    with psycopg.connect(server.dsn(name), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    marker.write(rows, seed, time.perf_counter() - start, sample)


@dataclass
class Store:
    backend: str
    db: Database
    version: str
    size_bytes: int
    marker: Marker
    filled_now: bool
    note: str = ""


@contextmanager
def sqlite_store(
    folder: Path, rows: int, seed: int, refill: bool, with_sql: Sequence[str]
) -> Iterator[Store]:
    path = folder / f"dossiers-{rows}.sqlite3"
    marker = Marker(folder / f"dossiers-{rows}.sqlite3.json")
    filled = refill or not path.exists() or not marker.matches(rows, seed)
    if filled:
        marker.clear()
        fill_sqlite(path, rows, seed, marker)
    target, note = path, ""
    if with_sql:
        target = folder / f"scratch-{rows}.sqlite3"
        shutil.copyfile(path, target)
        note = f"scratch copy of {path.name} with: {'; '.join(with_sql)}"
    db = Database(f"sqlite:///{target}")
    try:
        if with_sql:
            _apply(db, with_sql)
        version = f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL), file {target}"
        yield Store("SQLite", db, version, target.stat().st_size, marker, filled, note)
    finally:
        db.dispose()
        if with_sql:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)


@contextmanager
def postgres_store(
    folder: Path, rows: int, seed: int, refill: bool, with_sql: Sequence[str]
) -> Iterator[Store]:
    name = f"dossiers_{rows}"
    marker = Marker(folder / f"{name}.postgresql.json")
    with CachedPostgres(folder / "pg") as server:
        exists = _pg_database_exists(server, name)
        filled = refill or not exists or not marker.matches(rows, seed)
        if filled:
            marker.clear()
            fill_postgres(server, name, rows, seed, marker)
        target, note = name, ""
        if with_sql:
            target = f"scratch_{rows}"
            server.drop_database(target)
            server.create_database(target, template=name)
            note = f"scratch copy of database {name} with: {'; '.join(with_sql)}"
        db = Database(server.url_for(target))
        try:
            if with_sql:
                _apply(db, with_sql)
            with db.engine.connect() as connection:
                version = str(connection.exec_driver_sql("SHOW server_version").scalar_one())
                size = int(
                    connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
                )
                buffers = connection.exec_driver_sql("SHOW shared_buffers").scalar_one()
            yield Store(
                "PostgreSQL",
                db,
                f"PostgreSQL {version} (shared_buffers={buffers})",
                size,
                marker,
                filled,
                note,
            )
        finally:
            db.dispose()
            if with_sql:
                server.drop_database(target)


def _pg_database_exists(server: ThrowawayPostgres, name: str) -> bool:
    with psycopg.connect(server.dsn("postgres"), autocommit=True) as connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        )


def _apply(db: Database, statements: Sequence[str]) -> None:
    with db.engine.begin() as connection:
        for statement in statements:
            print(f"[scratch] {statement}", file=sys.stderr, flush=True)
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("ANALYZE")


# -- the searches ----------------------------------------------------------------------------------


@dataclass
class Series:
    latencies: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    results: list[int] = field(default_factory=list)


def officer(db: Database) -> Actor:
    with db.reading() as session:
        user = session.scalars(select(User).where(User.username == OFFICER)).one()
        return Actor(user.id, user.username, user.role)


def sampled_rows(db: Database, count: int, rng: random.Random) -> list[Any]:
    """Random existing dossiers (the query texts officers would type come from real rows)."""
    with db.reading() as session:
        top = int(session.scalar(select(func.max(Dossier.id))) or 0)
        ids = rng.sample(range(1, top + 1), min(count, top))
        columns = (Dossier.code, Dossier.applicant_kind, Dossier.id_number, Dossier.phone,
                   Dossier.applicant_name, Dossier.applicant_name_folded)  # fmt: skip
        found: list[Any] = []
        for start in range(0, len(ids), 500):
            found += session.execute(select(*columns).where(Dossier.id.in_(ids[start : start + 500]))).all()
    rng.shuffle(found)
    return found


def absent_name(people: People, rng: random.Random) -> str:
    """A usual middle and given name after a family name the fill never uses: a certain miss."""
    given = people.name(Gender.MALE if rng.random() < 0.5 else Gender.FEMALE).split(" ", 1)[1]
    return f"{rng.choice(ABSENT_FAMILIES)} {given}"


def typed_phone(phone: str, rng: random.Random) -> str:
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}" if rng.random() < 0.5 else phone


def query_texts(db: Database, per_kind: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    rows = sampled_rows(db, per_kind * 4, rng)
    people = [row for row in rows if row.applicant_kind is ApplicantKind.INDIVIDUAL]
    with_phone = [row for row in rows if row.phone]
    names = People(random.Random(seed + 1))
    texts = {
        "code": [row.code for row in rows],
        "id_number": [row.id_number for row in people],
        "phone": [typed_phone(row.phone, rng) for row in with_phone],
        "full_name": [row.applicant_name_folded for row in rows],
        "prefix": [COMMON_PREFIXES[index % len(COMMON_PREFIXES)] for index in range(per_kind)],
        "diacritics": [row.applicant_name for row in rows[::-1]],
        "miss_name": [absent_name(names, rng) for _ in range(per_kind)],
        "miss_number": [f"999{rng.randrange(10**9):09d}" for _ in range(per_kind)],
    }
    for key, values in texts.items():
        if len(values) < per_kind:
            raise RuntimeError(f"only {len(values)} sample texts for {key}; is the database filled?")
        texts[key] = values[:per_kind]
    return texts


def measure(
    store: Store, queries: int, seed: int
) -> tuple[dict[str, Series], dict[str, list[str]], CpuAccount]:
    """Search every text through the service, kinds interleaved; the first ``WARM_UP`` per kind untimed."""
    app = CounterApp(store.db, ManualClock(NOW))
    actor = officer(store.db)
    texts = query_texts(store.db, WARM_UP + queries, seed)
    warm = [(key, text) for key, values in texts.items() for text in values[:WARM_UP]]
    timed = [(key, text) for key, values in texts.items() for text in values[WARM_UP:]]
    rng = random.Random(seed + 3)
    rng.shuffle(warm)
    rng.shuffle(timed)
    for _key, text in warm:
        app.dossier_queries.search(actor, text)
    counter = StatementCounter(store.db.engine)
    series = {key: Series() for key, _label in KINDS}
    gc.collect()
    cpu = CpuAccount()
    for key, text in timed:
        before = counter.count
        start = time.perf_counter_ns()
        found = app.dossier_queries.search(actor, text)
        elapsed = time.perf_counter_ns() - start
        series[key].latencies.append(elapsed)
        series[key].statements.append(counter.count - before)
        series[key].results.append(len(found))
    return series, texts, cpu.stop()


def verify(store: Store) -> None:
    """The service reads back what the fill wrote (formats of instants and enums included)."""
    app = CounterApp(store.db, ManualClock(NOW))
    actor = officer(store.db)
    for expected in store.marker.read()["sample"]:
        found = app.dossier_queries.search(actor, expected["code"])
        if len(found) != 1:
            raise RuntimeError(f"{store.backend}: code {expected['code']} found {len(found)} times")
        summary = found[0]
        got = {
            "code": summary.code,
            "name": summary.applicant_name,
            "status": summary.status.value,
            "received_at": summary.received_at.isoformat() if summary.received_at else None,
            "due_at": summary.due_at.isoformat() if summary.due_at else None,
        }
        if got != expected:
            raise RuntimeError(f"{store.backend}: read back {got}, filled {expected}")


def prefix_matches(store: Store) -> dict[str, int]:
    with store.db.reading() as session:
        return {
            prefix: int(
                session.scalar(
                    select(func.count(Dossier.id)).where(
                        Dossier.applicant_name_folded >= prefix,
                        Dossier.applicant_name_folded < prefix + "\x7f",
                    )
                )
                or 0
            )
            for prefix in COMMON_PREFIXES
        }


def plan(store: Store, text: str) -> str:
    """The plan of the exact statement the service sends for ``text`` (with its LIMIT)."""
    statement = _search_query(text).limit(SEARCH_LIMIT)
    compiled = statement.compile(dialect=store.db.engine.dialect)
    params = compiled.construct_params()
    with store.db.engine.connect() as connection:
        if store.db.is_sqlite:
            positional = tuple(params[name] for name in compiled.positiontup or ())
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional).all()
            lines = [f"{'  ' * _depth(rows, row)}{row[3]}" for row in rows]
        else:
            rows = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", params).all()
            # The prefix range's upper bound ends in an invisible \x7f: show it.
            lines = [str(row[0]).replace("\x7f", "\\x7f") for row in rows]
    sql = _SELECT_LIST.sub("SELECT dossiers.…, procedures_1.… FROM", " ".join(str(compiled).split()), count=1)
    return "\n".join([f"-- search({text!r})", sql, *lines])


def _depth(rows: Sequence[Any], row: Any) -> int:
    """SQLite's plan rows name their parent; indent by how deep each one sits."""
    parents = {item[0]: item[1] for item in rows}
    depth, parent = 0, row[1]
    while parent:
        depth += 1
        parent = parents.get(parent, 0)
    return depth


# -- the report ------------------------------------------------------------------------------------


def report_store(
    store: Store,
    series: dict[str, Series],
    texts: dict[str, list[str]],
    *,
    cpu: CpuAccount,
    rows: int,
    explain: bool,
) -> str:
    header = ["Backend", "query", "example typed", "n", "results/query", "SQL stmts/call",
              "p50 ms", "p90 ms", "p99 ms", "max ms", f"p99 < {TARGET_MS:.0f} ms"]  # fmt: skip
    table: list[list[object]] = []
    slow: list[str] = []
    for key, label in KINDS:
        values = series[key]
        ordered = sorted(values.latencies)
        p99 = percentile(ordered, 0.99)
        met = p99 / 1e6 < TARGET_MS
        if not met or explain:
            slow.append(key)
        table.append([
            store.backend, label, f"`{texts[key][WARM_UP]}`", len(ordered),
            f"{sum(values.results) / len(values.results):.1f}",
            f"{sum(values.statements) / len(values.statements):.1f}",
            ms(percentile(ordered, 0.5)), ms(percentile(ordered, 0.9)), ms(p99), ms(ordered[-1]),
            "yes" if met else "**no**",
        ])  # fmt: skip
    marker = store.marker.read()
    fill = "filled in this run" if store.filled_now else "cached from an earlier run"
    matches = ", ".join(f"`{prefix}` {count:,}" for prefix, count in prefix_matches(store).items())
    lines = [
        markdown_table(header, table),
        "",
        f"- {store.version}: {rows:,} dossiers, database {store.size_bytes / 2**20:,.0f} MiB, {fill} "
        f"(fill + ANALYZE took {marker['fill_seconds']:.0f} s). {cpu.describe()}.",
        f"- Dossiers matching each common prefix: {matches}.",
    ]
    if store.note:
        lines.append(f"- Measured on a {store.note}.")
    for key in slow:
        lines += [
            "",
            f"Plan for {dict(KINDS)[key]} on {store.backend}:",
            "",
            "```",
            plan(store, texts[key][WARM_UP]),
            "```",
        ]
    return "\n".join(lines)


def run(backend: str, args: argparse.Namespace) -> str:
    folder = Path(args.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    opener = sqlite_store if backend == "sqlite" else postgres_store
    with opener(folder, args.rows, args.seed, args.refill, args.with_sql) as store:
        verify(store)
        print(f"[{backend}] searching {args.queries} × {len(KINDS)} kinds…", file=sys.stderr, flush=True)
        series, texts, cpu = measure(store, args.queries, args.seed)
        return report_store(store, series, texts, cpu=cpu, rows=args.rows, explain=args.explain)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="dossiers in the database (default 1000000)"
    )
    parser.add_argument("--queries", type=int, default=500, help="timed searches per kind (default 500)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--data-dir", default="/tmp/bench-data", help="where filled databases are kept")
    parser.add_argument("--refill", action="store_true", help="fill again even if a cached database fits")
    parser.add_argument(
        "--explain", action="store_true", help="print every kind's plan, not only the slow ones"
    )
    parser.add_argument(
        "--with-sql", action="append", default=[], metavar="SQL",
        help="run on a scratch copy after this SQL (repeatable), e.g. an index being considered",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.rows < 10_000:
        parser.error(
            "--rows must be at least 10000 (the searches sample rows and need a few per working day)"
        )
    cheap_password_hashing()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    parts = []
    for backend in backends:
        parts.append(run(backend, args))
        print(f"[{backend}] done", file=sys.stderr, flush=True)
    print("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
