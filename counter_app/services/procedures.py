"""The procedure catalogue: versioned TTHC, imported from CSV/XLSX (or central), looked up at intake."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.db.models import ProcedureVersion, ServiceArea
from counter_app.domain.clock import local_date, parse_clock_time
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.procedure import (
    CopyKind,
    Procedure,
    ProcessingTime,
    ProcessStep,
    RequiredDocument,
)
from counter_app.domain.roles import Permission
from counter_app.domain.search_text import fold
from counter_app.i18n import _, ngettext
from counter_app.services.actor import Actor
from counter_app.services.context import ServiceContext, unit_of_work
from counter_app.services.procedure_files import RowError, read_procedures


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows added, versions already known, and every row's problem."""

    added: int
    unchanged: int
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ProcedureView:
    id: int
    procedure: Procedure

    @property
    def code(self) -> str:
        return self.procedure.code

    @property
    def name(self) -> str:
        return self.procedure.name


def to_domain(row: ProcedureVersion) -> Procedure:
    return Procedure(
        code=row.code,
        name=row.name,
        field=row.field,
        area_prefix=row.area_prefix,
        time=ProcessingTime(row.time_amount, row.time_unit),
        effective_from=row.effective_from,
        level=row.level,
        reduced_amount=row.reduced_amount,
        same_day_cutoff=parse_clock_time(row.same_day_cutoff) if row.same_day_cutoff else None,
        after_supplement=row.after_supplement,
        deciding_agency=row.deciding_agency,
        fee=row.fee,
        charge=row.charge,
        fee_note=row.fee_note,
        documents=tuple(
            RequiredDocument(d["name"], CopyKind(d["kind"]), int(d["copies"]), bool(d["reusable"]))
            for d in row.documents
        ),
        result_document=row.result_document,
        online=row.online,
        steps=tuple(ProcessStep(s["unit"], int(s["amount"])) for s in row.steps),
    )


def _row_values(procedure: Procedure) -> dict[str, Any]:
    cutoff: time | None = procedure.same_day_cutoff
    return {
        "code": procedure.code,
        "effective_from": procedure.effective_from,
        "name": procedure.name,
        "name_folded": fold(f"{procedure.code} {procedure.name}"),
        "field": procedure.field,
        "level": procedure.level,
        "area_prefix": procedure.area_prefix,
        "time_amount": procedure.time.amount,
        "time_unit": procedure.time.unit,
        "reduced_amount": procedure.reduced_amount,
        "same_day_cutoff": cutoff.strftime("%H:%M") if cutoff else None,
        "after_supplement": procedure.after_supplement,
        "deciding_agency": procedure.deciding_agency,
        "fee": procedure.fee,
        "charge": procedure.charge,
        "fee_note": procedure.fee_note,
        "documents": [
            {"name": d.name, "kind": d.kind.value, "copies": d.copies, "reusable": d.reusable}
            for d in procedure.documents
        ],
        "result_document": procedure.result_document,
        "online": procedure.online,
        "steps": [{"unit": s.unit, "amount": s.amount} for s in procedure.steps],
    }


def version_on(session: Session, code: str, day: date) -> ProcedureVersion:
    """The version of ``code`` in force on ``day``: the one a dossier received that day keeps."""
    row = session.scalars(
        select(ProcedureVersion)
        .where(
            ProcedureVersion.code == code,
            ProcedureVersion.effective_from <= day,
            ProcedureVersion.active.is_(True),
        )
        .order_by(ProcedureVersion.effective_from.desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFoundError(_("There is no procedure with code {code} in force.").format(code=code))
    return row


class Procedures:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def import_file(self, actor: Actor, path: Path) -> ImportReport:
        """All or nothing: a file with any bad row changes nothing, and every bad row is reported."""
        actor.require(Permission.MANAGE_PROCEDURES)
        result = read_procedures(path)
        if result.errors:
            return ImportReport(0, 0, result.errors)
        return self.import_procedures(actor, result.procedures, source=path.name, rows=result.rows)

    def import_procedures(
        self, actor: Actor, procedures: Sequence[Procedure], source: str, rows: Sequence[int] = ()
    ) -> ImportReport:
        """``rows`` are the file rows the procedures came from, for the error report."""
        actor.require(Permission.MANAGE_PROCEDURES)
        with unit_of_work(self.ctx, actor) as uow:
            prefixes = set(uow.session.scalars(select(ServiceArea.prefix)))
            errors = [
                RowError(
                    row=rows[index] if index < len(rows) else index + 2,
                    column="area",
                    message=_("There is no service area with prefix '{prefix}'.").format(
                        prefix=procedure.area_prefix
                    ),
                )
                for index, procedure in enumerate(procedures)
                if procedure.area_prefix not in prefixes
            ]
            if errors:
                return ImportReport(0, 0, tuple(errors))
            existing = {
                (row.code, row.effective_from): row
                for row in uow.session.scalars(
                    select(ProcedureVersion).where(ProcedureVersion.code.in_({p.code for p in procedures}))
                )
            }
            added = unchanged = 0
            for procedure in procedures:
                values = _row_values(procedure)
                row = existing.get((procedure.code, procedure.effective_from))
                if row is None:
                    uow.session.add(ProcedureVersion(**values, active=True, imported_at=uow.now))
                    added += 1
                elif to_domain(row) == procedure:
                    unchanged += 1
                else:
                    # A version already used by dossiers must not change under them: refuse.
                    raise ValidationError(
                        _(
                            "Procedure {code} already has a different version taking effect on {day}; "
                            "publish the change with a new effective date."
                        ).format(code=procedure.code, day=procedure.effective_from.strftime("%d/%m/%Y"))
                    )
            uow.audit(
                "procedure.import",
                "catalogue",
                source,
                None,
                {"added": added, "unchanged": unchanged, "source": source},
            )
        return ImportReport(added, unchanged, ())

    def current(self, code: str, day: date | None = None) -> ProcedureView:
        with self.ctx.db.reading() as session:
            row = version_on(session, code.strip(), day or self._today())
            return ProcedureView(row.id, to_domain(row))

    def versions(self, code: str) -> list[ProcedureView]:
        with self.ctx.db.reading() as session:
            rows = session.scalars(
                select(ProcedureVersion)
                .where(ProcedureVersion.code == code.strip())
                .order_by(ProcedureVersion.effective_from)
            ).all()
            if not rows:
                raise NotFoundError(_("There is no procedure with code {code} in force.").format(code=code))
            return [ProcedureView(row.id, to_domain(row)) for row in rows]

    def search(self, text: str = "", area: str | None = None, limit: int = 200) -> list[ProcedureView]:
        """As the officer types: by code or by words of the name, diacritics ignored, current versions."""
        today = self._today()
        with self.ctx.db.reading() as session:
            latest = (
                select(ProcedureVersion.code, func.max(ProcedureVersion.effective_from).label("since"))
                .where(ProcedureVersion.effective_from <= today, ProcedureVersion.active.is_(True))
                .group_by(ProcedureVersion.code)
                .subquery()
            )
            query = select(ProcedureVersion).join(
                latest,
                (ProcedureVersion.code == latest.c.code)
                & (ProcedureVersion.effective_from == latest.c.since),
            )
            for word in fold(text).split():
                query = query.where(ProcedureVersion.name_folded.contains(word, autoescape=True))
            if area:
                query = query.where(ProcedureVersion.area_prefix == area.strip().upper())
            rows = session.scalars(query.order_by(ProcedureVersion.code).limit(limit)).all()
            wanted = " ".join(fold(text).split())
            return [ProcedureView(row.id, to_domain(row)) for row in sorted(rows, key=_closeness(wanted))]

    def all_current(self) -> list[Procedure]:
        return [view.procedure for view in self.search(limit=100_000)]

    def _today(self) -> date:
        return local_date(self.ctx.clock.now())


def describe_import(report: ImportReport) -> str:
    return ngettext(
        "{added} procedure version added, {unchanged} already known.",
        "{added} procedure versions added, {unchanged} already known.",
        report.added,
    ).format(added=report.added, unchanged=report.unchanged)


def _closeness(wanted: str) -> Callable[[ProcedureVersion], tuple[int, int, int, str]]:
    """The procedure whose name *is* what was typed first ("khai sinh" → "Đăng ký khai sinh" before
    "Đăng ký khai sinh kết hợp …"): a code typed in full, then names where the words appear together and
    early, then shorter names; the code breaks ties so the order never jumps between keystrokes."""

    def key(row: ProcedureVersion) -> tuple[int, int, int, str]:
        name = row.name_folded
        if not wanted:
            return (1, 0, 0, row.code)  # browsing: the catalogue's order
        if row.code == wanted:
            return (0, 0, 0, row.code)
        at = name.find(wanted)
        return (1, at if at >= 0 else len(name), len(name), row.code)

    return key
