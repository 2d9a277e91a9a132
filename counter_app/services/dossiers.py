"""The one-stop workflow: receive a dossier, move it through statuses.md, hand the result back.

Each operation is one transaction that writes the change, its audit row and its outbox event
(``dossier_events``, seq 1, 2, 3… per dossier) together: a failure anywhere writes none of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.db.models import (
    Dossier,
    DossierDocument,
    DossierFile,
    DossierPause,
    DossierStep,
    StoredFile,
)
from counter_app.domain.applicant import Proxy, check_applicant, check_proxy, clean_text
from counter_app.domain.clock import format_date, local_date
from counter_app.domain.digitised import check_file
from counter_app.domain.dossier import (
    Channel,
    DossierStatus,
    canonical_dossier_code,
    check_transition,
    event_for,
    judge,
)
from counter_app.domain.errors import ConflictError, NotFoundError, ValidationError
from counter_app.domain.jsonable import to_jsonable
from counter_app.domain.procedure import Procedure, ProcessingTime, SupplementClock, TimeUnit
from counter_app.domain.roles import Permission
from counter_app.domain.search_text import fold
from counter_app.domain.working_days import LegalCalendar, appointment, remaining_time
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.calendar import WorkCalendar
from counter_app.services.centre_settings import CentreConfig, load_config
from counter_app.services.context import ServiceContext, UnitOfWork, unit_of_work
from counter_app.services.dossier_requests import (
    Apology,
    DocumentTick,
    IntakeRequest,
    Receiver,
    SupplementRequest,
    Withdrawal,
)
from counter_app.services.dossier_views import DossierView, build_view
from counter_app.services.intake import (
    allocate_dossier_code,
    counter_of,
    earlier_file,
    missing_item,
    payment_method_for,
    snapshot,
    ticket_id_for,
)
from counter_app.services.outbox import append_event
from counter_app.services.procedures import to_domain, version_on

S = DossierStatus


class Dossiers:
    def __init__(self, ctx: ServiceContext, calendar: WorkCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    # -- at the counter: a new dossier ---------------------------------------------------------

    def receive(self, actor: Actor, request: IntakeRequest) -> DossierView:
        """A complete dossier: Mẫu 01 with its code and appointment."""
        return self._new(actor, request, S.RECEIVED, {})

    def receive_incomplete(
        self, actor: Actor, request: IntakeRequest, supplement: SupplementRequest
    ) -> DossierView:
        """Incomplete at the counter (Mẫu 02): recorded with a code, not received, no clock yet."""
        return self._new(actor, request, S.SUPPLEMENT_REQUESTED, {"supplement": supplement})

    def refuse_at_counter(self, actor: Actor, request: IntakeRequest, reason: str) -> DossierView:
        """Not accepted (Mẫu 03): recorded so the refusal has a code and a trace."""
        return self._new(actor, request, S.REFUSED, {"reason": _required_reason(reason)})

    def _new(
        self, actor: Actor, request: IntakeRequest, target: DossierStatus, extra: dict[str, Any]
    ) -> DossierView:
        actor.require(Permission.RECEIVE_DOSSIER)
        today = local_date(self.ctx.clock.now())
        applicant, warnings = check_applicant(request.applicant, today=today)
        proxy = check_proxy(request.proxy, today=today) if request.proxy else None
        if request.sets < 1:
            raise ValidationError(_("The number of sets must be at least 1."))
        with unit_of_work(self.ctx, actor) as uow:
            session = uow.session
            config = load_config(session)
            legal = self.calendar.legal_in(session)
            if not config.agency_code:
                raise ConflictError(
                    _("The centre's agency code is not set; an administrator must set 'agency_code' first.")
                )
            if request.channel is Channel.COUNTER and target is not S.REFUSED:
                _require_reception_hours(config, legal, uow.now)
            version = version_on(session, request.procedure_code.strip(), local_date(uow.now))
            procedure = to_domain(version)
            payment = payment_method_for(procedure, request.payment_method)
            dossier = Dossier(
                code=allocate_dossier_code(session, config, uow.now),
                procedure_id=version.id,
                status=target,
                channel=request.channel,
                return_method=request.return_method,
                applicant_kind=applicant.kind,
                applicant_name=applicant.name,
                applicant_name_folded=fold(applicant.name),
                id_number=applicant.id_number,
                old_id_number=applicant.old_id_number,
                date_of_birth=applicant.date_of_birth,
                gender=applicant.gender.value if applicant.gender else None,
                tax_code=applicant.tax_code,
                representative=applicant.representative,
                address=applicant.address,
                phone=applicant.phone,
                email=applicant.email,
                proxy_id_number=proxy.id_number if proxy else None,
                proxy=to_jsonable(asdict(proxy)) if proxy else None,
                sets=request.sets,
                note=clean_text(request.note),
                fee=procedure.total_fee,
                payment_method=payment,
                payment_reference=clean_text(request.payment_reference) or None,
                data={"warnings": list(warnings)},
                officer_id=actor.user_id,
                counter_id=counter_of(session, actor),
                ticket_id=ticket_id_for(session, request.ticket_number, uow.now),
                last_seq=0,
                created_at=uow.now,
                documents=[],  # a new collection: no lazy load of a list that cannot exist yet
            )
            if target is S.RECEIVED:  # before the INSERT, so the row is written once
                self._start_clock(dossier, procedure, config, legal, uow.now)
            session.add(dossier)
            session.flush()
            files = self._add_documents(uow, dossier, procedure, request.documents, config=config)
            data: dict[str, Any] = {"dossier": snapshot(dossier, procedure, files)}
            if target is S.SUPPLEMENT_REQUESTED:
                data.update(
                    self._supplement_data(
                        dossier, procedure, extra["supplement"], config=config, legal=legal, uow=uow
                    )
                )
            elif target is S.REFUSED:
                data["reason"] = extra["reason"]
                dossier.closed_at = uow.now
            self._record(uow, dossier, None, target, data, audit={"procedure": procedure.code})
            return self._view(session, dossier)

    # -- later steps ---------------------------------------------------------------------------

    def request_supplement(self, actor: Actor, code: str, supplement: SupplementRequest) -> DossierView:
        """Mẫu 02 on a received dossier (a processing unit found a gap): the clock pauses."""
        actor.require(Permission.RECEIVE_DOSSIER)
        with self._change(actor, code) as (uow, dossier, procedure):
            check_transition(dossier.status, S.SUPPLEMENT_REQUESTED, dossier.code)
            # Incomplete at the counter is not counted: that dossier was never received. Once received,
            # a request comes from the processing side, which may ask once (statuses.md).
            if dossier.data.get("unit_supplement_requested"):
                raise ConflictError(
                    _(
                        "A processing unit may ask for additions only once; dossier {code} already had one."
                    ).format(code=dossier.code)
                )
            config = load_config(uow.session)
            data = self._supplement_data(
                dossier,
                procedure,
                supplement,
                config=config,
                legal=self.calendar.legal_in(uow.session),
                uow=uow,
            )
            dossier.data = {**dossier.data, "unit_supplement_requested": True}
            dossier.paused_at = uow.now
            uow.session.add(DossierPause(dossier_id=dossier.id, started_at=uow.now))
            self._record(uow, dossier, dossier.status, S.SUPPLEMENT_REQUESTED, data)
            return self._view(uow.session, dossier)

    def complete_supplement(
        self, actor: Actor, code: str, documents: Sequence[DocumentTick] = ()
    ) -> DossierView:
        """The applicant brought what was missing: a new receipt time and appointment."""
        actor.require(Permission.RECEIVE_DOSSIER)
        with self._change(actor, code) as (uow, dossier, procedure):
            check_transition(dossier.status, S.RECEIVED, dossier.code)
            config = load_config(uow.session)
            legal = self.calendar.legal_in(uow.session)
            if dossier.channel is Channel.COUNTER:
                _require_reception_hours(config, legal, uow.now)
            files = self._add_documents(uow, dossier, procedure, tuple(documents), config=config, adding=True)
            pause = uow.session.scalars(
                select(DossierPause).where(
                    DossierPause.dossier_id == dossier.id, DossierPause.ended_at.is_(None)
                )
            ).first()
            if pause is not None:
                pause.ended_at = uow.now
            resumed = self._restart_clock(dossier, procedure, config, legal, uow.now)
            data = {
                "documents_added": files,
                "received_at": dossier.received_at,
                "appointment_at": dossier.due_at,
                "clock": resumed,
            }
            self._record(uow, dossier, S.SUPPLEMENT_REQUESTED, S.RECEIVED, data)
            return self._view(uow.session, dossier)

    def refuse(self, actor: Actor, code: str, reason: str) -> DossierView:
        actor.require(Permission.RECEIVE_DOSSIER)
        text = _required_reason(reason)
        with self._change(actor, code) as (uow, dossier, _procedure):
            current = dossier.status
            check_transition(current, S.REFUSED, dossier.code)
            self._end_pause(uow, dossier)
            dossier.closed_at = uow.now
            self._record(uow, dossier, current, S.REFUSED, {"reason": text})
            return self._view(uow.session, dossier)

    def transfer(self, actor: Actor, code: str, unit: str, note: str = "") -> DossierView:
        """Hand the dossier to a processing unit (a row of Mẫu 06), due by that step's own time."""
        actor.require(Permission.PROCESS_DOSSIER)
        to_unit = clean_text(unit)
        if not to_unit:
            raise ValidationError(_("Name the unit the dossier is handed to."))
        with self._change(actor, code) as (uow, dossier, procedure):
            current = dossier.status
            check_transition(current, S.TRANSFERRED, dossier.code)
            config = load_config(uow.session)
            previous = self._close_open_step(uow, dossier)
            position = previous.position + 1 if previous else 1
            step_due = self._step_due(uow, dossier, procedure, to_unit, config)
            uow.session.add(
                DossierStep(
                    dossier_id=dossier.id,
                    position=position,
                    from_unit=previous.to_unit if previous else config.unit_name,
                    to_unit=to_unit,
                    handed_at=uow.now,
                    due_at=step_due,
                    officer_id=actor.user_id,
                    note=clean_text(note),
                )
            )
            data = {"agency": to_unit, "step": position, "step_due_at": step_due, "note": clean_text(note)}
            self._record(uow, dossier, current, S.TRANSFERRED, data)
            return self._view(uow.session, dossier)

    def result_ready(self, actor: Actor, code: str, summary: str = "", pages: int = 1) -> DossierView:
        """The result is back at the section; timeliness is judged against the original date."""
        actor.require(Permission.PROCESS_DOSSIER)
        if pages < 0:
            raise ValidationError(_("The number of pages cannot be negative."))
        with self._change(actor, code) as (uow, dossier, _procedure):
            current = dossier.status
            check_transition(current, S.RESULT_READY, dossier.code)
            self._close_open_step(uow, dossier)
            dossier.result_ready_at = uow.now
            if dossier.original_due_at is not None:
                dossier.timeliness = judge(dossier.original_due_at, uow.now)
            data = {"summary": clean_text(summary), "pages": pages, "timeliness": dossier.timeliness}
            self._record(uow, dossier, current, S.RESULT_READY, data)
            return self._view(uow.session, dossier)

    def delay(self, actor: Actor, code: str, apology: Apology) -> DossierView:
        """Mẫu 04: move the appointment once, naming the unit at fault and its head."""
        actor.require(Permission.RECORD_APOLOGY)
        reason, unit, head = (clean_text(apology.reason), clean_text(apology.unit), clean_text(apology.head))
        if not (reason and unit and head):
            raise ValidationError(
                _("An apology needs its reason, the unit at fault and the head of that unit who signs it.")
            )
        with self._change(actor, code) as (uow, dossier, _procedure):
            current = dossier.status
            check_transition(current, S.DELAYED, dossier.code)
            if dossier.rescheduled_due_at is not None:
                raise ConflictError(
                    _("Dossier {code} already has an apology; its date can be moved only once.").format(
                        code=dossier.code
                    )
                )
            assert dossier.due_at is not None  # received dossiers always have one
            legal = self.calendar.legal_in(uow.session)
            if apology.new_due_at <= dossier.due_at:
                raise ValidationError(_("The new appointment must be later than the current one."))
            if not legal.is_working_day(local_date(apology.new_due_at)):
                raise ValidationError(
                    _("The new appointment {day} is not a working day.").format(
                        day=format_date(local_date(apology.new_due_at))
                    )
                )
            # Mẫu 04 is due one working day before the appointment at the latest.
            in_time = legal.working_days_between(local_date(uow.now), local_date(dossier.due_at)) >= 1
            dossier.rescheduled_due_at = dossier.due_at = apology.new_due_at
            data = {
                "reason": reason,
                "unit_at_fault": unit,
                "head": head,
                "appointment_at": apology.new_due_at,
                "original_appointment_at": dossier.original_due_at,
                "issued_in_time": in_time,
            }
            dossier.data = {**dossier.data, "apology": to_jsonable(data)}
            self._record(uow, dossier, current, S.DELAYED, data)
            return self._view(uow.session, dossier)

    def return_result(
        self, actor: Actor, code: str, receiver: Receiver | None = None, post_reference: str = ""
    ) -> DossierView:
        """Hand the result to the applicant, an authorised person (with their ID), or the post."""
        actor.require(Permission.PROCESS_DOSSIER)
        today = local_date(self.ctx.clock.now())
        who: dict[str, Any]
        if receiver is not None:
            checked = check_proxy(
                Proxy(receiver.name, receiver.id_number, authorisation=receiver.authorisation), today=today
            )
            who = {
                "kind": "authorised",
                "name": checked.name,
                "id_number": checked.id_number,
                "authorisation": checked.authorisation,
            }
        elif clean_text(post_reference):
            who = {"kind": "post", "reference": clean_text(post_reference)}
        else:
            who = {"kind": "applicant"}
        with self._change(actor, code) as (uow, dossier, _procedure):
            check_transition(dossier.status, S.RETURNED, dossier.code)
            dossier.returned_at = dossier.closed_at = uow.now
            dossier.data = {**dossier.data, "receiver": who}
            data = {"returned_at": uow.now, "officer": actor.user_id, "receiver": who}
            self._record(uow, dossier, S.RESULT_READY, S.RETURNED, data, audit={"receiver": who["kind"]})
            return self._view(uow.session, dossier)

    def withdraw(self, actor: Actor, code: str, withdrawal: Withdrawal) -> DossierView:
        """Mẫu 05: the applicant asked to stop before any decision."""
        actor.require(Permission.PROCESS_DOSSIER)
        reason = _required_reason(withdrawal.reason)
        today = local_date(self.ctx.clock.now())
        requested_on = withdrawal.requested_on or today
        if requested_on > today:
            raise ValidationError(_("The date of the request cannot be in the future."))
        with self._change(actor, code) as (uow, dossier, _procedure):
            current = dossier.status
            check_transition(current, S.WITHDRAWN, dossier.code)
            if not 0 <= withdrawal.refund <= dossier.fee:
                raise ValidationError(
                    _("The refund must be between 0 and the fee paid ({fee} đồng).").format(fee=dossier.fee)
                )
            self._close_open_step(uow, dossier)
            self._end_pause(uow, dossier)
            dossier.closed_at = uow.now
            data = {"reason": reason, "requested_on": requested_on, "refund": withdrawal.refund}
            self._record(uow, dossier, current, S.WITHDRAWN, data)
            return self._view(uow.session, dossier)

    # -- the machinery -------------------------------------------------------------------------

    def _change(
        self, actor: Actor, code: str
    ) -> AbstractContextManager[tuple[UnitOfWork, Dossier, Procedure]]:
        return _changing(self.ctx, actor, code)

    def _view(self, session: Session, dossier: Dossier) -> DossierView:
        session.flush()
        return build_view(session, dossier)

    @staticmethod
    def _record(
        uow: UnitOfWork,
        dossier: Dossier,
        current: DossierStatus | None,
        target: DossierStatus,
        data: dict[str, Any],
        *,
        audit: dict[str, Any] | None = None,
    ) -> None:
        """The change's event (outbox) and audit row, in its transaction."""
        event_type = event_for(current, target)
        dossier.status = target
        if target is S.RECEIVED and dossier.registered_at is None:
            dossier.registered_at = uow.now  # the first receipt: the dossier's entry in the register
        append_event(uow.session, dossier, event_type, data, actor=uow.actor.label, at=uow.now)
        # The audit row says who changed what; personal data stays in the dossier and its event.
        uow.audit(
            f"dossier.{event_type.value}",
            "dossier",
            dossier.code,
            {"status": current.value if current else None},
            {"status": target.value, "seq": dossier.last_seq, **(audit or {})},
        )

    def _start_clock(
        self,
        dossier: Dossier,
        procedure: Procedure,
        config: CentreConfig,
        legal: LegalCalendar,
        now: datetime,
    ) -> None:
        due = appointment(
            now,
            procedure.effective_time,
            calendar=legal,
            schedule=config.schedule,
            same_day_cutoff=procedure.same_day_cutoff or config.cutoff,
        )
        dossier.received_at = now
        dossier.due_at = dossier.original_due_at = due
        dossier.paused_at = None

    def _restart_clock(
        self,
        dossier: Dossier,
        procedure: Procedure,
        config: CentreConfig,
        legal: LegalCalendar,
        now: datetime,
    ) -> str:
        """After a supplement: restart from the new receipt, or resume with what was left at the pause."""
        resume = (
            procedure.after_supplement is SupplementClock.RESUME_REMAINING
            and dossier.due_at is not None
            and dossier.paused_at is not None
            and procedure.effective_time.unit is not TimeUnit.SAME_DAY
        )
        if not resume:
            self._start_clock(dossier, procedure, config, legal, now)
            return "restart"
        assert dossier.due_at is not None and dossier.paused_at is not None
        left = remaining_time(
            dossier.due_at,
            dossier.paused_at,
            procedure.effective_time.unit,
            calendar=legal,
            schedule=config.schedule,
        )
        due = appointment(now, left, calendar=legal, schedule=config.schedule, same_day_cutoff=config.cutoff)
        dossier.received_at = now
        dossier.due_at = dossier.original_due_at = due
        dossier.paused_at = None
        return "resume_remaining"

    @staticmethod
    def _supplement_data(
        dossier: Dossier,
        procedure: Procedure,
        supplement: SupplementRequest,
        *,
        config: CentreConfig,
        legal: LegalCalendar,
        uow: UnitOfWork,
    ) -> dict[str, Any]:
        items = [missing_item(procedure, item) for item in supplement.missing]
        items = [item for item in items if item]
        if not items:
            raise ValidationError(_("List every missing or incorrect document, all at once."))
        deadline = legal.add_working_days(local_date(uow.now), config.supplement_days_allowed)
        dossier.supplement_deadline = deadline
        data = {"reason": clean_text(supplement.reason), "missing": items, "deadline": deadline}
        dossier.data = {**dossier.data, "supplement": to_jsonable(data)}
        return data

    def _add_documents(
        self,
        uow: UnitOfWork,
        dossier: Dossier,
        procedure: Procedure,
        ticks: tuple[DocumentTick, ...] | None,
        *,
        config: CentreConfig,
        adding: bool = False,
    ) -> list[dict[str, Any]]:
        """Only the procedure's listed documents (no extra papers); files checked and stored once."""
        if ticks is None:
            ticks = tuple(DocumentTick(position) for position in range(1, len(procedure.documents) + 1))
        if not ticks and not adding:
            raise ValidationError(_("Tick at least one document of the checklist."))
        present = {d.position: d for d in dossier.documents} if adding else {}
        positions = [tick.position for tick in ticks]
        if len(set(positions)) != len(positions):
            raise ValidationError(_("A document of the checklist was ticked twice."))
        added: list[dict[str, Any]] = []
        for tick in ticks:
            if not 1 <= tick.position <= len(procedure.documents):
                raise ValidationError(
                    _("Procedure {code} lists {count} documents; there is no document {position}.").format(
                        code=procedure.code, count=len(procedure.documents), position=tick.position
                    )
                )
            required = procedure.documents[tick.position - 1]
            copies = tick.copies if tick.copies is not None else required.copies
            if copies < 1:
                raise ValidationError(_("The number of copies must be at least 1."))
            document = present.get(tick.position)
            if document is None:
                document = DossierDocument(
                    dossier_id=dossier.id,
                    position=tick.position,
                    name=required.name,
                    kind=tick.kind or required.kind,
                    copies=copies,
                    received=True,
                )
                dossier.documents.append(document)
            hashes = self._attach(uow, dossier, document, tick, reusable=required.reusable, config=config)
            added.append(
                {
                    "position": tick.position,
                    "name": required.name,
                    "kind": document.kind,
                    "copies": copies,
                    "files": hashes,
                }
            )
        return added

    @staticmethod
    def _attach(
        uow: UnitOfWork,
        dossier: Dossier,
        document: DossierDocument,
        tick: DocumentTick,
        *,
        reusable: bool,
        config: CentreConfig,
    ) -> list[str]:
        hashes: list[str] = []
        for new in tick.files:
            sha256, media_type = check_file(new.content, new.file_name, config.max_file_mb * 1_048_576)
            if uow.session.get(StoredFile, sha256) is None:
                uow.session.add(
                    StoredFile(
                        sha256=sha256,
                        size=len(new.content),
                        media_type=media_type,
                        content=new.content,
                        created_at=uow.now,
                    )
                )
            document.files.append(
                DossierFile(
                    sha256=sha256, file_name=clean_text(new.file_name) or sha256[:12], added_at=uow.now
                )
            )
            hashes.append(sha256)
        for sha256 in tick.reuse:
            if not reusable:
                raise ValidationError(
                    _("The document '{name}' may not be reused from an earlier dossier.").format(
                        name=document.name
                    )
                )
            earlier = earlier_file(uow.session, dossier, sha256)
            document.files.append(
                DossierFile(
                    sha256=sha256,
                    file_name=earlier.file_name,
                    added_at=uow.now,
                    reused_from_dossier_id=earlier.dossier_id,
                )
            )
            hashes.append(sha256)
        return hashes

    def _close_open_step(self, uow: UnitOfWork, dossier: Dossier) -> DossierStep | None:
        """The unit holding the dossier hands it on: that step is judged against its own due time."""
        step = uow.session.scalars(
            select(DossierStep)
            .where(DossierStep.dossier_id == dossier.id)
            .order_by(DossierStep.position.desc())
        ).first()
        if step is not None and step.completed_at is None:
            step.completed_at = uow.now
            step.timeliness = judge(step.due_at, uow.now) if step.due_at else None
        return step

    def _step_due(
        self, uow: UnitOfWork, dossier: Dossier, procedure: Procedure, unit: str, config: CentreConfig
    ) -> datetime | None:
        """The step's due time from the procedure's internal process, else the dossier's appointment."""
        share = next((s for s in procedure.steps if fold(s.unit) == fold(unit)), None)
        if share is None or share.amount < 1 or procedure.time.unit is TimeUnit.SAME_DAY:
            return dossier.due_at
        return appointment(
            uow.now,
            ProcessingTime(share.amount, procedure.time.unit),
            calendar=self.calendar.legal_in(uow.session),
            schedule=config.schedule,
            same_day_cutoff=config.cutoff,
        )

    @staticmethod
    def _end_pause(uow: UnitOfWork, dossier: Dossier) -> None:
        for pause in uow.session.scalars(
            select(DossierPause).where(DossierPause.dossier_id == dossier.id, DossierPause.ended_at.is_(None))
        ):
            pause.ended_at = uow.now


@contextmanager
def _changing(
    ctx: ServiceContext, actor: Actor, code: str
) -> Iterator[tuple[UnitOfWork, Dossier, Procedure]]:
    """One dossier, locked for the transaction, with the procedure version it was received under."""
    canonical = canonical_dossier_code(code)
    with unit_of_work(ctx, actor) as uow:
        dossier = uow.session.scalars(
            select(Dossier).where(Dossier.code == canonical).with_for_update(of=Dossier)
        ).first()
        if dossier is None:
            raise NotFoundError(_("There is no dossier with code {code}.").format(code=canonical))
        yield uow, dossier, to_domain(dossier.procedure)


def _required_reason(reason: str) -> str:
    text = clean_text(reason)
    if not text:
        raise ValidationError(_("Give the reason; it is printed on the form the applicant receives."))
    return text


def _require_reception_hours(config: CentreConfig, legal: LegalCalendar, now: datetime) -> None:
    if not config.schedule.is_open(now, legal):
        raise ConflictError(
            _("Dossiers are received only during reception hours ({schedule}).").format(
                schedule=config.schedule.format()
            )
        )
