"""What the counter takes from central: the official calendar and the procedure catalogue.

The outbox worker (client.py) pushes; these pulls bring the province's reference data down. Both are
read-only on central and idempotent locally, so they can run at any time, as often as wanted, and a
failed pull changes nothing: the counter keeps deciding deadlines with the last copy it holds. A pull
never raises for a failure of the link; it returns a result that says what happened, so the caller (the
CLI, the worker) shows it and goes on.

Mapping decisions (central sends less than a local ``Procedure`` holds):

- Central only *updates* procedures the counter already has. A procedure central has and the counter
  does not is listed as waiting: a person must choose its service area (the queue prefix) first.
- An update is a new local version, never an edit of a version dossiers may use: it takes effect today,
  or the day after the latest version when one already starts today (or later).
- Central's fields: ``name``, ``field``, ``agency`` (deciding agency) replace the local ones when not
  empty; ``processing_days`` 0 is "same day", N is N working days (absent: kept); ``fee`` as an integer
  is the lệ phí in VND (the local phí, which central does not carry, is kept); as text it is parsed when
  it is a plain amount ("50.000 đồng"), makes the procedure free when it says so ("Miễn phí": lệ phí and
  phí 0), and otherwise becomes the fee note with the amounts kept. ``documents`` (names, or objects with
  ``name`` and optionally ``kind``/``copies``) replace the list when central sends any; a paper the
  counter already knows by name keeps what central does not say (copy kind, copies, reusable).
- Everything else is local and kept: area prefix, level, reduced time (dropped only when it is no
  longer shorter than central's time), same-day cut-off, supplement rule, phí, result, steps.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from counter_app.db.models import CalendarDay, ProcedureVersion, SyncLink
from counter_app.domain.clock import Clock, local_date
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.procedure import CopyKind, Procedure, ProcessingTime, RequiredDocument, TimeUnit
from counter_app.domain.search_text import fold
from counter_app.domain.working_days import DayOverride
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.services.calendar import OFFICIAL
from counter_app.services.procedures import to_domain
from counter_app.sync.client import (
    PermanentError,
    ReplayedError,
    RisingTimestamps,
    TransientError,
    send_signed,
)
from counter_app.sync.link import LINK_ID, Link, load_link

log = logging.getLogger(__name__)

CATALOG_PATH = "/api/v1/catalog"
CALENDAR_PATH = "/api/v1/calendar/{year}"
SYNC_ACTOR = "sync"
_REPLAY_RETRIES = 3
_FREE_WORDS = ("mien phi", "khong thu", "khong mat phi", "khong co")


# -- results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarPull:
    """One calendar pull: which years changed locally, which were already current, which central has
    not declared (kept as they are: an empty answer is not taken as "no days off")."""

    applied: tuple[int, ...] = ()
    unchanged: tuple[int, ...] = ()
    not_declared: tuple[int, ...] = ()
    error: str | None = None
    offline: bool = False  # the error is transient: the last copy is kept, try again later


@dataclass(frozen=True)
class WaitingProcedure:
    """A procedure central has and the counter does not: an administrator must give it a service area."""

    code: str
    name: str


@dataclass(frozen=True)
class CataloguePull:
    """One catalogue pull. ``version`` is the catalogue version the counter holds after it."""

    version: int | None = None
    changed: bool = False  # False: central answered 304 (or the pull failed)
    updated: tuple[str, ...] = ()  # codes given a new local version
    unchanged: int = 0
    waiting: tuple[WaitingProcedure, ...] = ()
    error: str | None = None
    offline: bool = False


@dataclass(frozen=True)
class PullReport:
    """``pull_all``'s answer: both pulls, and the figures a status line shows."""

    calendar: CalendarPull
    catalogue: CataloguePull

    @property
    def years_applied(self) -> tuple[int, ...]:
        return self.calendar.applied

    @property
    def catalogue_version(self) -> int | None:
        return self.catalogue.version

    @property
    def updated(self) -> tuple[str, ...]:
        return self.catalogue.updated

    @property
    def waiting(self) -> tuple[WaitingProcedure, ...]:
        return self.catalogue.waiting

    @property
    def offline(self) -> bool:
        return self.calendar.offline or self.catalogue.offline

    @property
    def error(self) -> str | None:
        return self.calendar.error or self.catalogue.error


def describe_pull(report: PullReport) -> str:
    """The lines an administrator reads after a pull (the CLI prints them)."""
    lines: list[str] = []
    if report.calendar.applied:
        lines.append(
            _("Official calendar updated for {years}.").format(
                years=", ".join(str(y) for y in report.calendar.applied)
            )
        )
    if report.catalogue.changed:
        lines.append(
            _("Catalogue version {version}: {updated} procedures updated, {unchanged} unchanged.").format(
                version=report.catalogue.version,
                updated=len(report.catalogue.updated),
                unchanged=report.catalogue.unchanged,
            )
        )
    for waiting in report.catalogue.waiting:
        lines.append(
            _("Procedure {code} ({name}) is new at central: give it a service area to use it.").format(
                code=waiting.code, name=waiting.name
            )
        )
    for error in dict.fromkeys(e for e in (report.calendar.error, report.catalogue.error) if e):
        lines.append(error)
    if not lines:
        lines.append(_("The calendar and the catalogue are up to date."))
    return "\n".join(lines)


# -- talking to central -----------------------------------------------------------------------------


class CentralReader:
    """Signed GETs over one connection, each with a timestamp of its own (central refuses a signature
    it has already seen, and two pulls may fall in the same second)."""

    def __init__(self, http: httpx.Client, link: Link, clock: Clock) -> None:
        self.http, self.link = http, link
        self.timestamps = RisingTimestamps(clock)

    def get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        for attempt in range(_REPLAY_RETRIES + 1):
            try:
                return send_signed(
                    self.http, self.link, "GET", path, b"", timestamp=self.timestamps.next(), params=params
                )
            except ReplayedError:
                if attempt == _REPLAY_RETRIES:
                    raise
        raise AssertionError("unreachable")


def _connect(link: Link, transport: httpx.BaseTransport | None, timeout: float) -> httpx.Client:
    return httpx.Client(base_url=link.url, transport=transport, timeout=timeout)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise TransientError("central's answer could not be read") from exc
    if not isinstance(body, dict):
        raise TransientError("central's answer could not be read")
    return body


def _offline_message(failure: Exception) -> str:
    return _("Central could not be reached; the last copy is kept ({reason}).").format(reason=failure)


def _refused_message(failure: Exception) -> str:
    return _("Central refused the request; a person must check the link ({reason}).").format(reason=failure)


# -- calendar ---------------------------------------------------------------------------------------


def default_years(clock: Clock) -> tuple[int, int]:
    """This year and next: deadlines given in December already run into January."""
    year = local_date(clock.now()).year
    return (year, year + 1)


def pull_calendar(
    app: CounterApp,
    link: Link | None = None,
    years: Iterable[int] | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
    timeout: float = 30.0,
) -> CalendarPull:
    """Bring each year's official days off and swapped working days from central into the counter."""
    clock = clock or app.ctx.clock
    link = link or load_link(app.db)
    with _connect(link, transport, timeout) as http:
        return _pull_calendar(app, CentralReader(http, link, clock), years or default_years(clock))


def _pull_calendar(app: CounterApp, central: CentralReader, years: Iterable[int]) -> CalendarPull:
    applied: list[int] = []
    unchanged: list[int] = []
    not_declared: list[int] = []
    try:
        for year in years:
            days = _calendar_days(_json_object(central.get(CALENDAR_PATH.format(year=year))), year)
            if not days:
                not_declared.append(year)
            elif days == _official_days(app, year):
                unchanged.append(year)
            else:
                app.calendar.set_official_year(Actor.system(SYNC_ACTOR), year, days)
                applied.append(year)
                log.info("sync: official calendar of %d applied (%d days)", year, len(days))
    except TransientError as failure:
        log.info("sync: calendar pull failed (%s); the last copy is kept", failure)
        return CalendarPull(
            tuple(applied), tuple(unchanged), tuple(not_declared), _offline_message(failure), offline=True
        )
    except PermanentError as failure:
        log.warning("sync: calendar pull refused: %s", failure)
        return CalendarPull(tuple(applied), tuple(unchanged), tuple(not_declared), _refused_message(failure))
    return CalendarPull(tuple(applied), tuple(unchanged), tuple(not_declared))


def _calendar_days(body: Mapping[str, Any], year: int) -> list[DayOverride]:
    """central's ``{"year", "days": [{day, kind, note}]}`` as the official list of ``year``."""
    try:
        days = [
            DayOverride(
                date.fromisoformat(str(item["day"])),
                _working(item["kind"]),
                reference="",
                name=str(item.get("note") or "").strip(),
            )
            for item in body["days"]
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TransientError("central's calendar could not be read") from exc
    if int(body.get("year", year)) != year or any(d.day.year != year for d in days):
        raise TransientError(f"central's calendar for {year} holds days of another year")
    return sorted(days, key=lambda d: d.day)


def _working(kind: object) -> bool:
    if kind == "off":
        return False
    if kind == "workday":
        return True
    raise ValueError(f"unknown day kind {kind!r}")


def _official_days(app: CounterApp, year: int) -> list[DayOverride]:
    with app.db.reading() as session:
        rows = session.scalars(
            select(CalendarDay)
            .where(
                CalendarDay.source == OFFICIAL,
                CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)),
            )
            .order_by(CalendarDay.day)
        ).all()
        return [DayOverride(r.day, r.working, r.reference, r.name) for r in rows]


# -- catalogue --------------------------------------------------------------------------------------


def pull_catalogue(
    app: CounterApp,
    link: Link | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
    timeout: float = 30.0,
) -> CataloguePull:
    """Ask central for the catalogue when it changed since the version held, and apply it."""
    clock = clock or app.ctx.clock
    link = link or load_link(app.db)
    with _connect(link, transport, timeout) as http:
        return _pull_catalogue(app, CentralReader(http, link, clock), clock)


def _pull_catalogue(app: CounterApp, central: CentralReader, clock: Clock) -> CataloguePull:
    held = _held_version(app)
    try:
        response = central.get(CATALOG_PATH, params={"since": str(held or 0)})
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return CataloguePull(version=held)
        version, entries = _catalogue(_json_object(response))
    except TransientError as failure:
        log.info("sync: catalogue pull failed (%s); the last copy is kept", failure)
        return CataloguePull(version=held, error=_offline_message(failure), offline=True)
    except PermanentError as failure:
        log.warning("sync: catalogue pull refused: %s", failure)
        return CataloguePull(version=held, error=_refused_message(failure))
    today = local_date(clock.now())
    updates, unchanged, waiting = _plan(app, entries, today)
    if updates:
        try:
            report = app.procedures.import_procedures(
                Actor.system(SYNC_ACTOR), updates, source=f"central catalogue v{version}"
            )
        except ValidationError as problem:
            report_error = str(problem)
        else:
            report_error = "; ".join(e.message for e in report.errors) if report.errors else ""
        if report_error:
            # Nothing applied and the version not recorded: the next pull tries the same catalogue again.
            log.warning("sync: catalogue v%d not applied: %s", version, report_error)
            return CataloguePull(
                version=held,
                waiting=waiting,
                error=_("Catalogue version {version} could not be applied: {reason}").format(
                    version=version, reason=report_error
                ),
            )
    # After the procedures: a crash in between fetches the same version again, which then changes nothing.
    _record_version(app, version, clock.now())
    log.info("sync: catalogue v%d: %d updated, %d waiting for an area", version, len(updates), len(waiting))
    return CataloguePull(
        version=version,
        changed=True,
        updated=tuple(p.code for p in updates),
        unchanged=unchanged,
        waiting=waiting,
    )


def _held_version(app: CounterApp) -> int | None:
    with app.db.reading() as session:
        link = session.get(SyncLink, LINK_ID)
        return link.catalogue_version if link is not None else None


def _record_version(app: CounterApp, version: int, now: datetime) -> None:
    with app.db.transaction() as session:
        link = session.get(SyncLink, LINK_ID)
        if link is not None:
            link.catalogue_version, link.catalogue_pulled_at = version, now


def _catalogue(body: Mapping[str, Any]) -> tuple[int, list[Mapping[str, Any]]]:
    version, procedures = body.get("version"), body.get("procedures")
    if (
        not isinstance(version, int)
        or not isinstance(procedures, list)
        or not all(isinstance(p, dict) and str(p.get("code") or "").strip() for p in procedures)
    ):
        raise TransientError("central's catalogue could not be read")
    return version, procedures


def _plan(
    app: CounterApp, entries: Sequence[Mapping[str, Any]], today: date
) -> tuple[list[Procedure], int, tuple[WaitingProcedure, ...]]:
    """The new local versions to import, how many procedures are already current, and the waiting ones."""
    updates: list[Procedure] = []
    unchanged = 0
    waiting: list[WaitingProcedure] = []
    for entry in entries:
        code = str(entry["code"]).strip()
        base = _base_version(app, code, today)
        if base is None:
            waiting.append(WaitingProcedure(code, str(entry.get("name") or "").strip()))
            continue
        mapped = map_procedure(entry, base)
        if mapped == base:
            unchanged += 1
            continue
        start = today if base.effective_from < today else base.effective_from + timedelta(days=1)
        updates.append(dataclasses.replace(mapped, effective_from=start))
    return updates, unchanged, tuple(waiting)


def _base_version(app: CounterApp, code: str, today: date) -> Procedure | None:
    """The local version central's entry updates: the one in force today, else the latest one."""
    try:
        return app.procedures.current(code, today).procedure
    except NotFoundError:
        pass
    with app.db.reading() as session:
        row = session.scalars(
            select(ProcedureVersion)
            .where(ProcedureVersion.code == code)
            .order_by(ProcedureVersion.effective_from.desc())
            .limit(1)
        ).first()
        return to_domain(row) if row is not None else None


def map_procedure(entry: Mapping[str, Any], base: Procedure) -> Procedure:
    """``base`` with what central's entry carries (see the module docstring); same effective date."""
    name = _text(entry.get("name")) or base.name
    field_ = _text(entry.get("field")) or base.field
    agency = _text(entry.get("agency")) or base.deciding_agency
    time_, reduced = _time(entry.get("processing_days"), base)
    fee, charge, fee_note = _fee(entry.get("fee"), base)
    documents = _documents(entry.get("documents"), base.documents)
    return dataclasses.replace(
        base,
        name=name,
        field=field_,
        deciding_agency=agency,
        time=time_,
        reduced_amount=reduced,
        fee=fee,
        charge=charge,
        fee_note=fee_note,
        documents=documents,
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _time(value: object, base: Procedure) -> tuple[ProcessingTime, int | None]:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return base.time, base.reduced_amount
    if value == 0:
        time_ = ProcessingTime(0, TimeUnit.SAME_DAY)
    else:
        time_ = ProcessingTime(value, TimeUnit.WORKING_DAYS)
    if time_ == base.time:
        return base.time, base.reduced_amount
    reduced = base.reduced_amount
    if time_.unit is not TimeUnit.WORKING_DAYS or reduced is None or reduced >= time_.amount:
        reduced = None  # a province's reduction only makes sense while it is shorter
    return time_, reduced


def _fee(value: object, base: Procedure) -> tuple[int, int, str]:
    """(lệ phí, phí, note) from central's ``fee``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, base.charge, base.fee_note
    if not isinstance(value, str) or not value.strip():
        return base.fee, base.charge, base.fee_note
    text = value.strip()
    amount = _amount(text)
    if amount is not None:
        return amount, base.charge, base.fee_note
    folded = fold(text)
    if any(words in folded for words in _FREE_WORDS):
        return 0, 0, text
    return base.fee, base.charge, text


_AMOUNT = re.compile(r"^(\d{1,3}(?:[.,\s]\d{3})+|\d+)\s*(?:đ|đồng|dong|vnd|vnđ)?\.?$", re.IGNORECASE)


def _amount(text: str) -> int | None:
    """A plain amount ("50.000 đồng", "50,000 VND", "2000") in VND; a rate or a condition gives None."""
    found = _AMOUNT.match(text.strip())
    if found is None:
        return None
    return int(re.sub(r"\D", "", found.group(1)))


def _documents(value: object, known: tuple[RequiredDocument, ...]) -> tuple[RequiredDocument, ...]:
    if not isinstance(value, list):
        return known
    by_name = {fold(d.name): d for d in known}
    documents: list[RequiredDocument] = []
    for item in value:
        name, kind, copies = _document_fields(item)
        if not name:
            continue
        local = by_name.get(fold(name))
        documents.append(
            RequiredDocument(
                name,
                kind or (local.kind if local else CopyKind.ORIGINAL),
                copies or (local.copies if local else 1),
                local.reusable if local else False,
            )
        )
    return tuple(documents) if documents else known


def _document_fields(item: object) -> tuple[str, CopyKind | None, int | None]:
    if isinstance(item, str):
        return item.strip(), None, None
    if not isinstance(item, dict):
        return "", None, None
    kind_value = item.get("kind")
    kind = CopyKind(kind_value) if kind_value in {k.value for k in CopyKind} else None
    copies = item.get("copies")
    valid = isinstance(copies, int) and not isinstance(copies, bool) and copies >= 1
    return _text(item.get("name")), kind, copies if valid else None


# -- both -------------------------------------------------------------------------------------------


def pull_all(
    app: CounterApp,
    link: Link | None = None,
    years: Iterable[int] | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
    timeout: float = 30.0,
) -> PullReport:
    """The calendar, then the catalogue, over one connection. When central cannot be reached the
    catalogue is not even asked for: both answers say offline, and nothing local changed."""
    clock = clock or app.ctx.clock
    link = link or load_link(app.db)
    with _connect(link, transport, timeout) as http:
        central = CentralReader(http, link, clock)
        calendar = _pull_calendar(app, central, years or default_years(clock))
        if calendar.offline:
            catalogue = CataloguePull(version=_held_version(app), error=calendar.error, offline=True)
        else:
            catalogue = _pull_catalogue(app, central, clock)
    return PullReport(calendar, catalogue)
