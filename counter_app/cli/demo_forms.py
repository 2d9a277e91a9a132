"""The demo prints one real case of each form, as the counter would: filled by the service (and audited
as printed by the officer), laid out by printing/, written under the demo folder's ``forms/``."""

from __future__ import annotations

from pathlib import Path

from counter_app.atomic_file import write_atomically
from counter_app.cli.demo_dossiers import DemoDossiers, backlog_start
from counter_app.domain.clock import local_date
from counter_app.domain.forms import FormKind
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from printing.forms import render_form, render_register


def print_demo_forms(app: CounterApp, officer: Actor, dossiers: DemoDossiers, folder: Path) -> list[Path]:
    """Mẫu 01–07 of the scripted day into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    config = app.settings.get()
    cases = {
        FormKind.RECEIPT: dossiers.received[-1],
        FormKind.SUPPLEMENT: dossiers.incomplete,
        FormKind.REFUSAL: dossiers.refused,
        FormKind.APOLOGY: dossiers.late[0] if dossiers.late else "",
        FormKind.STOP: dossiers.withdrawn,
        FormKind.CONTROL_SHEET: dossiers.late[0] if dossiers.late else dossiers.returned[0],
    }
    written = []
    for kind, code in cases.items():
        if not code:
            continue
        form = app.forms.form(officer, code, kind)
        copies = config.receipt_copies if kind is FormKind.RECEIPT else 1
        path = folder / f"mau-{kind.value}.pdf"
        write_atomically(path, render_form(form, copies=copies))
        written.append(path)
    today = local_date(app.ctx.clock.now())
    register = app.forms.register(officer, backlog_start(app, today), today)
    path = folder / f"mau-{FormKind.REGISTER.value}.pdf"
    write_atomically(path, render_register(register))
    written.append(path)
    return written
