"""Administration of the central store: centres, catalogue imports, calendar years (the CLI calls these)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from central.contract import is_agency_code
from central.models import CalendarDay, CatalogueEntry, CatalogueVersion, Centre
from central.secrets import MasterKey, new_secret

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class AdminError(Exception):
    """A one-line message for the administrator."""


class Procedure(BaseModel):
    """One procedure of the catalogue file; unknown keys are kept as they are."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1)
    field: str = ""
    processing_days: int | None = Field(default=None, ge=0)  # working days; 0 = same day
    documents: list[Any] = Field(default_factory=list)
    fee: int | str | None = None  # VND, or a text such as "Miễn phí"
    agency: str = ""  # the agency that decides


class CalendarEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    kind: Literal["off", "workday"]
    note: str = ""


_PROCEDURES = TypeAdapter(list[Procedure])
_DAYS = TypeAdapter(list[CalendarEntry])


def _read_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AdminError(f"{path} is not valid JSON: {exc}") from None


def _first_error(path: str | Path, exc: ValidationError) -> AdminError:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return AdminError(f"{path}: item {where}: {error['msg']}")


def add_centre(engine: Engine, key: MasterKey, code: str, name: str = "", *, clock: Clock = utc_now) -> str:
    """Create a centre and return its new secret (the only time it is ever shown)."""
    code = code.strip().upper()
    if not is_agency_code(code):
        raise AdminError(f"'{code}' is not an agency code (expected e.g. 000.00.10.H49 or H55.242.01)")
    secret = new_secret()
    with Session(engine) as session, session.begin():
        if session.get(Centre, code) is not None:
            raise AdminError(f"centre {code} already exists")
        session.add(
            Centre(
                code=code,
                name=name,
                secret_encrypted=key.encrypt(code, secret),
                created_at=clock(),
                active=True,
            )
        )
    return secret


def set_centre_active(engine: Engine, code: str, active: bool) -> None:
    with Session(engine) as session, session.begin():
        centre = session.get(Centre, code.strip().upper())
        if centre is None:
            raise AdminError(f"no centre {code}")
        centre.active = active


def import_catalogue(engine: Engine, path: str | Path, *, clock: Clock = utc_now) -> tuple[int, int]:
    """Replace the catalogue with the file's procedures as a new version; returns (version, count)."""
    try:
        procedures = _PROCEDURES.validate_python(_read_json(path))
    except ValidationError as exc:
        raise _first_error(path, exc) from None
    codes = [p.code for p in procedures]
    if len(set(codes)) != len(codes):
        raise AdminError(f"{path}: a procedure code appears twice")
    now = clock()
    with Session(engine) as session, session.begin():
        # One import at a time: the version numbers stay dense and never collide.
        session.execute(select(func.pg_advisory_xact_lock(8_0001)))
        version = (session.scalar(select(func.max(CatalogueVersion.version))) or 0) + 1
        session.add(CatalogueVersion(version=version, imported_at=now, procedures=len(procedures)))
        session.flush()
        if procedures:
            session.execute(
                insert(CatalogueEntry),
                [
                    {
                        "version": version,
                        "code": p.code,
                        "procedure": p.model_dump(mode="json"),
                        "imported_at": now,
                    }
                    for p in procedures
                ],
            )
    return version, len(procedures)


def set_calendar(engine: Engine, year: int, path: str | Path) -> int:
    """Replace the declared days off / swapped working days of ``year``; returns how many."""
    if not 1900 <= year <= 2200:
        raise AdminError(f"{year} is not a plausible year")
    try:
        days = _DAYS.validate_python(_read_json(path))
    except ValidationError as exc:
        raise _first_error(path, exc) from None
    for entry in days:
        if entry.day.year != year:
            raise AdminError(f"{path}: {entry.day.isoformat()} is not in {year}")
    if len({entry.day for entry in days}) != len(days):
        raise AdminError(f"{path}: a day appears twice")
    with Session(engine) as session, session.begin():
        session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
            )
        )
        session.add_all(CalendarDay(day=e.day, kind=e.kind, note=e.note) for e in days)
    return len(days)
