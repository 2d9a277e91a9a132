"""Finding dossiers: by code, ID number, phone or name without diacritics; due lists; kiosk look-up;
and the indicators of shared/domain/indicators.md computed from what intake recorded."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from counter_app.db.models import Dossier, DossierDocument, DossierEvent, DossierFile
from counter_app.domain.applicant import mask_name
from counter_app.domain.clock import local_date, local_midnight_utc
from counter_app.domain.contact import normalise_phone
from counter_app.domain.dossier import (
    CASHLESS,
    IN_PROCESS,
    Channel,
    DossierStatus,
    EventType,
    Timeliness,
    canonical_dossier_code,
    is_dossier_code,
)
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.roles import Permission
from counter_app.domain.search_text import fold
from counter_app.domain.vietqr import BankAccount, vietqr_payload
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.calendar import WorkCalendar
from counter_app.services.centre_settings import load_config
from counter_app.services.context import ServiceContext
from counter_app.services.dossier_views import DossierSummary, DossierView, build_view, summary_of

SEARCH_LIMIT = 50
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class PublicStatus:
    """What a citizen sees at the kiosk: no personal data beyond the initials."""

    code: str
    status: DossierStatus
    initials: str
    procedure_name: str
    due_at: datetime | None
    result_ready: bool


@dataclass(frozen=True)
class DueItem:
    summary: DossierSummary
    working_days_left: int  # 0 today, 1 tomorrow, negative when overdue


@dataclass(frozen=True)
class DueReport:
    overdue: list[DueItem] = field(default_factory=list)
    today: list[DueItem] = field(default_factory=list)
    tomorrow: list[DueItem] = field(default_factory=list)  # the last day to issue an apology
    later: list[DueItem] = field(default_factory=list)


@dataclass(frozen=True)
class Rate:
    """A rate shown with its numerator and denominator; an empty denominator shows as "–"."""

    key: str
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        return None if self.denominator == 0 else 100.0 * self.numerator / self.denominator


class DossierQueries:
    def __init__(self, ctx: ServiceContext, calendar: WorkCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def show(self, actor: Actor, code: str) -> DossierView:
        actor.require(Permission.VIEW_DOSSIER)
        with self.ctx.db.reading() as session:
            return build_view(session, dossier_by_code(session, code))

    def lookup(self, actor: Actor, code: str) -> PublicStatus:
        """The kiosk's look-up by the receipt's barcode: status and appointment, initials only."""
        actor.require(Permission.LOOKUP_DOSSIER)
        with self.ctx.db.reading() as session:
            dossier = dossier_by_code(session, code)
            return PublicStatus(
                dossier.code,
                dossier.status,
                mask_name(dossier.applicant_name),
                dossier.procedure.name,
                dossier.due_at,
                dossier.status is DossierStatus.RESULT_READY,
            )

    def search(self, actor: Actor, text: str, limit: int = SEARCH_LIMIT) -> list[DossierSummary]:
        """One box for everything: a code, an ID number (old or new), a phone, a tax code, or a name."""
        actor.require(Permission.VIEW_DOSSIER)
        query = _search_query(text)
        with self.ctx.db.reading() as session:
            rows = session.scalars(query.limit(limit)).unique().all()
            return [summary_of(row) for row in rows]

    def due(self, actor: Actor, within_working_days: int = 3) -> DueReport:
        """In-process dossiers overdue, due today, tomorrow, or within N working days."""
        actor.require(Permission.VIEW_DOSSIER)
        if within_working_days < 1:
            raise ValidationError(_("The number of working days must be at least 1."))
        now = self.ctx.clock.now()
        today = local_date(now)
        with self.ctx.db.reading() as session:
            legal = self.calendar.legal_in(session)
            horizon = legal.add_working_days(today, within_working_days)
            rows = session.scalars(
                select(Dossier)
                .where(
                    Dossier.status.in_([s.value for s in IN_PROCESS]),
                    Dossier.due_at < local_midnight_utc(horizon + timedelta(days=1)),
                )
                .order_by(Dossier.due_at)
            ).all()
            report = DueReport()
            for row in rows:
                assert row.due_at is not None
                left = legal.working_days_between(today, local_date(row.due_at))
                item = DueItem(summary_of(row), left)
                if row.due_at < now:
                    report.overdue.append(item)
                elif left <= 0:
                    report.today.append(item)
                elif left == 1:
                    report.tomorrow.append(item)
                else:
                    report.later.append(item)
            return report

    def vietqr(self, actor: Actor, code: str) -> str:
        """The VietQR payload for paying this dossier's fee to the centre's account by transfer."""
        actor.require(Permission.VIEW_DOSSIER)
        with self.ctx.db.reading() as session:
            dossier = dossier_by_code(session, code)
            config = load_config(session)
            if not (config.bank_bin and config.bank_account):
                raise ValidationError(
                    _("The centre's bank account is not set (settings bank_bin and bank_account).")
                )
            if dossier.fee <= 0:
                raise ValidationError(_("Dossier {code} has no fee to pay.").format(code=dossier.code))
            account = BankAccount(config.bank_bin, config.bank_account, config.bank_account_name)
            return vietqr_payload(account, amount=dossier.fee, purpose=dossier.code)

    def indicators(self, actor: Actor, start: date, end: date) -> list[Rate]:
        """indicators.md for dossiers received (or finished) between two local dates, inclusive."""
        actor.require(Permission.VIEW_DOSSIER)
        since, until = local_midnight_utc(start), local_midnight_utc(end + timedelta(days=1))
        with self.ctx.db.reading() as session:
            received = and_(Dossier.received_at >= since, Dossier.received_at < until)
            finished = and_(Dossier.result_ready_at >= since, Dossier.result_ready_at < until)
            has_file = exists().where(
                DossierDocument.dossier_id == Dossier.id, DossierFile.document_id == DossierDocument.id
            )
            reused = has_file.where(DossierFile.reused_from_dossier_id.is_not(None))
            first_event_acked = exists().where(
                DossierEvent.dossier_id == Dossier.id,
                DossierEvent.seq == 1,
                DossierEvent.acknowledged_at.is_not(None),
            )

            def count(*conditions: object) -> int:
                return int(session.scalar(select(func.count(Dossier.id)).where(*conditions)) or 0)  # type: ignore[arg-type]

            n_received = count(received)
            n_fee = count(received, Dossier.fee > 0)
            n_finished = count(finished)
            first_events = session.execute(
                select(DossierEvent.occurred_at, DossierEvent.acknowledged_at)
                .join(Dossier, DossierEvent.dossier_id == Dossier.id)
                .where(received, DossierEvent.seq == 1, DossierEvent.acknowledged_at.is_not(None))
            ).all()
            same_day = len(
                [at for at, acked in first_events if acked and local_date(acked) == local_date(at)]
            )
            return [
                Rate("synced", count(received, first_event_acked), n_received),
                Rate("synced_same_day", same_day, n_received),
                Rate(
                    "on_time",
                    count(
                        finished, Dossier.timeliness.in_([Timeliness.EARLY.value, Timeliness.ON_TIME.value])
                    ),
                    n_finished,
                ),
                Rate(
                    "in_process_within_time",
                    count(
                        Dossier.status.in_([s.value for s in IN_PROCESS]),
                        Dossier.original_due_at >= self.ctx.clock.now(),
                    ),
                    count(Dossier.status.in_([s.value for s in IN_PROCESS])),
                ),
                Rate("apologies", count(received, Dossier.rescheduled_due_at.is_not(None)), n_received),
                Rate("digitised", count(received, has_file), n_received),
                Rate("reused", count(received, reused), n_received),
                Rate("online", count(received, Dossier.channel == Channel.ONLINE.value), n_received),
                Rate(
                    "cashless",
                    count(received, Dossier.fee > 0, Dossier.payment_method.in_([m.value for m in CASHLESS])),
                    n_fee,
                ),
            ]

    def pending_events(self) -> int:
        """Events not yet acknowledged by central (the sync state shown to officers)."""
        with self.ctx.db.reading() as session:
            return int(
                session.scalar(
                    select(func.count(DossierEvent.id)).where(DossierEvent.acknowledged_at.is_(None))
                )
                or 0
            )

    def events(self, actor: Actor, code: str) -> list[tuple[int, EventType]]:
        actor.require(Permission.VIEW_DOSSIER)
        with self.ctx.db.reading() as session:
            dossier = dossier_by_code(session, code)
            return [
                (seq, kind)
                for seq, kind in session.execute(
                    select(DossierEvent.seq, DossierEvent.type)
                    .where(DossierEvent.dossier_id == dossier.id)
                    .order_by(DossierEvent.seq)
                )
            ]


def dossier_by_code(session: Session, code: str) -> Dossier:
    canonical = canonical_dossier_code(code)
    dossier = session.scalars(select(Dossier).where(Dossier.code == canonical)).first()
    if dossier is None:
        raise NotFoundError(_("There is no dossier with code {code}.").format(code=canonical))
    return dossier


def _search_query(text: str) -> Select[Dossier]:
    value = " ".join(text.split())
    if not value:
        raise ValidationError(_("Type a dossier code, an ID number, a phone number or a name."))
    query = select(Dossier)
    if is_dossier_code(value):
        return query.where(Dossier.code == canonical_dossier_code(value))
    compact = value.replace(" ", "").replace(".", "")
    if _DIGITS.match(compact) or compact.startswith("+84"):
        candidates = [
            Dossier.id_number == compact,
            Dossier.old_id_number == compact,
            Dossier.proxy_id_number == compact,
            Dossier.tax_code == compact,
        ]
        with contextlib.suppress(ValidationError):  # not every number is a phone number
            candidates.append(Dossier.phone == normalise_phone(value))
        return query.where(or_(*candidates)).order_by(Dossier.id.desc())
    if re.match(r"^\d{10}-\d{3}$", compact):
        return query.where(Dossier.tax_code == compact)
    folded = fold(value)
    # A prefix range on the folded name: both databases answer it from the index in byte order.
    return query.where(
        Dossier.applicant_name_folded >= folded, Dossier.applicant_name_folded < folded + "\x7f"
    ).order_by(Dossier.applicant_name_folded, Dossier.id)
