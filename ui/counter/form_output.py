"""Where the counter's forms go: a PDF kept in the counter's forms folder, and the system printer if any.

The PDF is always written first (atomically): whatever happens to the printer, the receipt of a saved
dossier can be printed again from the file, and the dossier itself was committed before any of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from counter_app.atomic_file import write_atomically
from counter_app.domain.errors import AppError
from counter_app.domain.forms import FormKind, PaperSize
from counter_app.i18n import _
from counter_app.services.actor import Actor
from counter_app.services.app import CounterApp
from printing.forms import render_form
from ui.printing.pdf_output import PdfLoadError, load_pdf, print_document


@dataclass(frozen=True)
class RenderedForm:
    kind: FormKind
    code: str
    path: Path
    data: bytes


class FormNotSavedError(AppError):
    """The forms folder cannot be written: the dossier is saved, its form can be printed again later."""


def render_dossier_form(
    app: CounterApp, actor: Actor, code: str, kind: FormKind, folder: Path
) -> RenderedForm:
    """Fill (and audit) the form, lay it out and keep the PDF. Runs off the GUI thread.

    The folder is made ready before the service audits a print, so a print that cannot happen is
    not recorded as one."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _not_saved(kind, code, folder) from exc
    config = app.settings.get()
    copies = config.receipt_copies if kind is FormKind.RECEIPT else 1
    form = app.forms.form(actor, code, kind)
    data = render_form(form, paper=PaperSize(config.form_paper), copies=copies)
    path = folder / f"{code}-mau-{kind.value}.pdf"
    try:
        write_atomically(path, data)
    except OSError as exc:
        raise _not_saved(kind, code, folder) from exc
    return RenderedForm(kind, code, path, data)


def _not_saved(kind: FormKind, code: str, folder: Path) -> FormNotSavedError:
    return FormNotSavedError(
        _(
            "Dossier {code} is saved, but form {form} could not be written to {folder}; "
            "open the dossier (Ctrl+2) to print it again once the folder is fixed."
        ).format(code=code, form=kind.value, folder=folder)
    )


def send_to_printer(rendered: RenderedForm, owner: QWidget) -> str:
    """Print on the system's default printer when there is one; the sentence for the status line."""
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        return _("No printer is set up: form {form} of {code} was saved to {path}.").format(
            form=rendered.kind.value, code=rendered.code, path=rendered.path
        )
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    try:
        pages = print_document(load_pdf(rendered.data, owner), printer)
    except (PdfLoadError, OSError):
        return _("Form {form} of {code} could not be printed; it was saved to {path}.").format(
            form=rendered.kind.value, code=rendered.code, path=rendered.path
        )
    return _("Form {form} of {code} printed ({pages} pages) on {printer}.").format(
        form=rendered.kind.value, code=rendered.code, pages=pages, printer=info.printerName()
    )
