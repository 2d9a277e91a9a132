"""The words the intake panel shows, as pure functions (no Qt), so their wording is tested on its own.

Where a value is also printed on Mẫu 01 (copy kind, processing time, fee, payment method) the panel
shows the form's own legal words from ``counter_app.domain.forms``: what the officer reads on screen
is what the citizen reads on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter_app.domain.citizen_id import CitizenIdError, Gender, check_citizen_id
from counter_app.domain.clock import format_date, format_local_time, local_date
from counter_app.domain.dossier import status_label
from counter_app.domain.forms import copy_kind_words, money, processing_time_words
from counter_app.domain.procedure import Procedure, RequiredDocument
from counter_app.domain.working_days import weekday_name
from counter_app.i18n import _
from counter_app.services.dossier_views import DossierSummary


def appointment_text(due: datetime) -> str:
    """ "Hẹn trả: Thứ Sáu, 05/12/2026 lúc 16:00": the weekday first, as officers say it to the citizen."""
    day = local_date(due)
    return _("Appointment: {weekday}, {day} at {time}").format(
        weekday=weekday_name(day), day=format_date(day), time=format_local_time(due)
    )


def processing_time_text(procedure: Procedure) -> str:
    return _("Processing time: {time}").format(time=processing_time_words(procedure.effective_time))


def fee_text(procedure: Procedure) -> str:
    if procedure.total_fee <= 0:
        return _("No fee or charge")
    return _("Fee and charge: {amount}").format(amount=money(procedure.total_fee))


def missing_document_line(document: RequiredDocument) -> str:
    """One line of Mẫu 02's list: the paper and the kind of copy asked for.

    Fixed Vietnamese, not a translated message: the line is printed on the legal form as it is.
    """
    return f"{document.name} ({copy_kind_words(document.kind)}, {document.copies} bản)"


def procedure_line(code: str, name: str) -> str:
    return f"{code} · {name}"


def previous_dossier_line(summary: DossierSummary) -> tuple[str, str, str, str]:
    """Code, procedure, status, date (the receipt, else the appointment, else a dash)."""
    moment = summary.received_at or summary.due_at
    return (
        summary.code,
        summary.procedure_name,
        status_label(summary.status),
        format_date(local_date(moment)) if moment else "—",
    )


@dataclass(frozen=True)
class IdCheck:
    """What the line under the ID field says: ``level`` is "empty", "error", "warning" or "ok"."""

    level: str
    text: str
    number: str | None = None  # the valid 12 digits, when the number is valid


def check_id_as_typed(
    text: str, *, today: date, date_of_birth: date | None = None, gender: Gender | None = None
) -> IdCheck:
    """The domain validator's verdict, worded for the line under the field.

    An unknown birthplace code is a warning, never a block (births abroad, codes after the 2025 merger).
    """
    if not "".join(text.split()):
        return IdCheck("empty", "")
    try:
        info = check_citizen_id(text, today=today, date_of_birth=date_of_birth, gender=gender)
    except CitizenIdError as problem:
        return IdCheck("error", "✗ " + str(problem))
    if info.warnings:
        return IdCheck("warning", "⚠ " + " ".join(info.warnings) + " " + info.describe(), info.number)
    return IdCheck("ok", "✓ " + info.describe(), info.number)
