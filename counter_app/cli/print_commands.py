"""CLI commands that print the one-stop forms: ``dossier print`` (Mẫu 01–06) and ``register print`` (Mẫu 07).

The service fills the form and audits the print; printing/ lays it out; this module only writes the file.
The file is written whole or not at all (a temporary file renamed into place), so an interrupted print
never leaves half a PDF where the officer expects the receipt.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from counter_app.atomic_file import write_atomically
from counter_app.cli.output import Output
from counter_app.cli.parsing import command as _command
from counter_app.cli.parsing import group as _group
from counter_app.domain.clock import parse_date
from counter_app.domain.errors import ValidationError
from counter_app.domain.forms import FormKind, PaperSize, short_time
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from counter_app.settings import Settings
from printing.forms import render_form, render_register

DOSSIER_FORMS = [kind.value for kind in FormKind if kind is not FormKind.REGISTER]


def add_dossier_print(dossier: Any) -> None:
    """``dossier print``, added to the ``dossier`` group by dossier_commands."""
    p = _command(dossier, "print", dossier_print, _("print a form of a dossier (Mẫu 01–06) to a PDF file"))
    p.add_argument("code", help=_("dossier code"))
    p.add_argument("--form", required=True, choices=DOSSIER_FORMS, help=_("form number, 01 to 06"))
    p.add_argument("--out", required=True, type=Path, help=_("PDF file to write"))
    p.add_argument(
        "--event",
        type=int,
        metavar="SEQ",
        help=_("the history event whose form to print (default: the latest)"),
    )
    p.add_argument("--paper", choices=["A4", "A5"], help=_("paper size (default: the centre's setting)"))
    p.add_argument(
        "--copies", type=int, choices=[1, 2], help=_("copies of Mẫu 01 (default: the centre's setting)")
    )


def register(subparsers: Any) -> None:
    group = _group(subparsers, "register", _("the dossier register (Mẫu 07)"))
    p = _command(group, "print", register_print, _("print the register of a period to a PDF file"))
    p.add_argument("--from", dest="start", required=True, help=_("first day, dd/mm/yyyy"))
    p.add_argument("--to", dest="end", required=True, help=_("last day, dd/mm/yyyy"))
    p.add_argument("--out", required=True, type=Path, help=_("PDF file to write"))
    p.add_argument(
        "--extra-columns",
        action="store_true",
        help=_("add the old register's columns: sets, early/on time/late, notes"),
    )


def dossier_print(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    kind = FormKind(args.form)
    config = app.settings.get()
    paper = PaperSize(args.paper or config.form_paper)
    copies = (args.copies or config.receipt_copies) if kind is FormKind.RECEIPT else 1
    _check_writable(args.out)
    form = app.forms.form(actor, args.code, kind, args.event)
    size = write_atomically(args.out, render_form(form, paper=paper, copies=copies))
    stamp = form.stamp
    line = _("Form {form} of dossier {code} written to {file}.").format(
        form=kind.value, code=stamp.dossier_code, file=args.out
    )
    lines = [line]
    if stamp.reprinted_at is not None:
        lines.append(_("Marked as a reprint ({when}).").format(when=short_time(stamp.reprinted_at)))
    data = {
        "form": kind.value,
        "code": stamp.dossier_code,
        "file": str(args.out),
        "event": stamp.event_seq,
        "reprint": stamp.reprinted_at is not None,
        "bytes": size,
    }
    out.emit(data, *lines)
    return 0


def register_print(app: CounterApp, actor: Actor, args: argparse.Namespace, out: Output, s: Settings) -> int:
    start, end = parse_date(args.start), parse_date(args.end)
    _check_writable(args.out)
    register = app.forms.register(actor, start, end, extra_columns=args.extra_columns)
    size = write_atomically(args.out, render_register(register))
    out.emit(
        {"file": str(args.out), "dossiers": len(register.rows), "bytes": size},
        _("Register of {start} to {end} ({count} dossiers) written to {file}.").format(
            start=args.start, end=args.end, count=len(register.rows), file=args.out
        ),
    )
    return 0


def _check_writable(path: Path) -> None:
    """Refuse a path we cannot write before the service audits a print that would not happen."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(_("The folder {folder} does not exist.").format(folder=folder))
    if path.is_dir():
        raise ValidationError(_("{path} is a folder, not a file.").format(path=path))
    if not os.access(folder, os.W_OK):
        raise ValidationError(_("The folder {folder} cannot be written to.").format(folder=folder))
