"""The procedure catalogue as a file: CSV (UTF-8) or XLSX, one row per procedure version.

Officers keep the catalogue in a spreadsheet and fix it from our report, so every row is checked in full
and every problem of every row is reported with the row and column the spreadsheet shows; a row with any
problem yields no procedure, the others still do (the caller decides whether a partly bad file is applied).
Import accepts the Vietnamese words officers type; export writes the canonical English keys, so export
then import gives back exactly the same procedures. Parsing files is I/O, hence a service; storing the
result is ``services.procedures``' job, so nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import IllegalCharacterError  # type: ignore[import-untyped]

from counter_app.domain.errors import ValidationError
from counter_app.domain.procedure import (
    CopyKind,
    Procedure,
    ProcessingTime,
    ProcessStep,
    RequiredDocument,
    SupplementClock,
    TimeUnit,
    check_procedure_code,
)
from counter_app.i18n import _

COLUMNS: tuple[str, ...] = (
    "code",
    "effective_from",
    "name",
    "field",
    "level",
    "area",
    "time_amount",
    "time_unit",
    "reduced_amount",
    "same_day_cutoff",
    "after_supplement",
    "agency",
    "fee",
    "charge",
    "fee_note",
    "documents",
    "result",
    "online",
    "steps",
)
# Without these a row cannot describe a procedure at all; the others have a default when left out.
REQUIRED_COLUMNS: tuple[str, ...] = ("code", "effective_from", "name", "field", "area", "time_unit")
HEADER_ROW = 1
DATE_FORMAT = "%d/%m/%Y"
PART_SEPARATOR = "|"

_UNITS: dict[str, TimeUnit] = {
    **{unit.value: unit for unit in TimeUnit},
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "trong ngày": TimeUnit.SAME_DAY,
    "ngày": TimeUnit.CALENDAR_DAYS,
}
_CLOCKS: dict[str, SupplementClock] = {
    **{clock.value: clock for clock in SupplementClock},
    "làm lại": SupplementClock.RESTART,
    "tính tiếp": SupplementClock.RESUME_REMAINING,
}
_KINDS: dict[str, CopyKind] = {
    **{kind.value: kind for kind in CopyKind},
    "bản chính": CopyKind.ORIGINAL,
    "bản sao có chứng thực": CopyKind.CERTIFIED_COPY,
    "bản sao chứng thực": CopyKind.CERTIFIED_COPY,
    "bản sao": CopyKind.COPY,
    "bản chụp": CopyKind.COPY,
}
_BOOLEANS: dict[str, bool] = {"yes": True, "có": True, "true": True, "1": True}
_BOOLEANS.update({"no": False, "không": False, "false": False, "0": False})

_WHOLE_NUMBER = re.compile(r"^\d+$")
# 50000, 50.000 or 50,000 (one separator kind, groups of three), optionally followed by đ / đồng / VND.
_MONEY = re.compile(r"^(\d{1,3}(?:([.,])\d{3})?(?:\2\d{3})*|\d+)\s*(?:đ|đồng|vnd)?$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CLOCK_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_AREA = re.compile(r"^[A-Z]{1,2}$")

T = TypeVar("T")
D = TypeVar("D")


@dataclass(frozen=True)
class RowError:
    """One problem, where the user sees it: ``row`` counts spreadsheet rows with the header as 1."""

    row: int
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportResult:
    """The good rows' procedures in file order, and every problem found; ``rows[i]`` is the row of
    ``procedures[i]``, so a later check (an unknown service area, say) can still name the right row."""

    procedures: tuple[Procedure, ...]
    errors: tuple[RowError, ...]
    rows: tuple[int, ...] = ()


class _UnreadableError(Exception):
    """The bytes are not a CSV/XLSX at all; the public functions turn it into a sentence."""


# -- reading ---------------------------------------------------------------------------------------------


def read_procedures(path: Path) -> ImportResult:
    """Read a .csv or .xlsx catalogue; a file that cannot be read at all is one sentence naming it."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValidationError(_("'{file}' is neither a .csv nor a .xlsx file.").format(file=path.name))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(_("The file '{file}' cannot be read.").format(file=path.name)) from exc
    if suffix == ".xlsx":
        try:
            return _read_table(_xlsx_table(data))
        except _UnreadableError as exc:
            raise ValidationError(
                _("The file '{file}' is not a readable XLSX workbook.").format(file=path.name)
            ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file '{file}' is not UTF-8 text; save it as CSV UTF-8.").format(file=path.name)
        ) from exc
    try:
        return _read_table(_csv_table(text))
    except _UnreadableError as exc:
        raise ValidationError(_("The file '{file}' is not valid CSV.").format(file=path.name)) from exc


def read_procedures_csv(data: bytes | str) -> ImportResult:
    """Read CSV handed over as bytes (UTF-8, with or without BOM) or as text."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The catalogue data is not UTF-8 text.")) from exc
    try:
        return _read_table(_csv_table(data))
    except _UnreadableError as exc:
        raise ValidationError(_("The catalogue data is not valid CSV.")) from exc


def read_procedures_xlsx(data: bytes) -> ImportResult:
    """Read the first sheet of an XLSX workbook handed over as bytes."""
    try:
        return _read_table(_xlsx_table(data))
    except _UnreadableError as exc:
        raise ValidationError(_("The catalogue data is not a readable XLSX workbook.")) from exc


def _csv_table(text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    except csv.Error as exc:
        raise _UnreadableError from exc


def _xlsx_table(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        sheet = workbook.worksheets[0]
        table = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # garbage bytes fail inside the zip and XML parsers in many different ways
        raise _UnreadableError from exc
    return table


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold, so both formats share one row parser."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime(DATE_FORMAT) if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_table(table: Sequence[Sequence[str]]) -> ImportResult:
    if not table or not any(_clean(cell) for cell in table[0]):
        empty = RowError(HEADER_ROW, None, _("The file is empty: its first row must be the header."))
        return ImportResult((), (empty,))
    positions, header_errors = _read_header(table[0])
    named = {index for index, cell in enumerate(table[0]) if _clean(cell)}
    if any(column not in positions for column in REQUIRED_COLUMNS):
        return ImportResult((), tuple(header_errors))
    errors = list(header_errors)
    procedures: list[Procedure] = []
    rows: list[int] = []
    first_row_of: dict[tuple[str, date], int] = {}
    for number, cells in enumerate(table[1:], start=HEADER_ROW + 1):
        if not any(_clean(cell) for cell in cells):
            continue
        row = _Row(number, cells, positions, named)
        procedure = _procedure_from(row)
        _check_duplicate(row, first_row_of)
        errors.extend(row.errors)
        if procedure is not None and not row.errors:
            procedures.append(procedure)
            rows.append(number)
    return ImportResult(tuple(procedures), tuple(errors), tuple(rows))


def _read_header(cells: Sequence[str]) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = _clean(cell).casefold()
        if not name:
            continue
        if name not in COLUMNS:
            message = _("'{column}' is not a catalogue column; the columns are: {columns}.")
            errors.append(RowError(HEADER_ROW, name, message.format(column=name, columns=", ".join(COLUMNS))))
        elif name in positions:
            message = _("The column '{column}' appears more than once; only the first is read.")
            errors.append(RowError(HEADER_ROW, name, message.format(column=name)))
        else:
            positions[name] = index
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            message = _("The required column '{column}' is missing from the header.")
            errors.append(RowError(HEADER_ROW, column, message.format(column=column)))
    return positions, errors


def _check_duplicate(row: _Row, first_row_of: dict[tuple[str, date], int]) -> None:
    """One file may hold several versions of a code, but each (code, effective date) only once."""
    key = row.version_key
    if key is None:
        return
    first = first_row_of.setdefault(key, row.number)
    if first != row.number:
        message = _("Procedure {code} effective {day} is already on row {first}; a version may appear once.")
        row.fail("code", message.format(code=key[0], day=key[1].strftime(DATE_FORMAT), first=first))


class _Row:
    """One data row being checked: collects every problem instead of stopping at the first."""

    def __init__(self, number: int, cells: Sequence[str], positions: dict[str, int], named: set[int]) -> None:
        self.number = number
        self.errors: list[RowError] = []
        self.version_key: tuple[str, date] | None = None
        self._cells = {
            column: _clean(cells[index]) for column, index in positions.items() if index < len(cells)
        }
        if any(_clean(cell) for index, cell in enumerate(cells) if index not in named):
            self.fail(None, _("This row has values in columns without a header."))

    def fail(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str) -> str:
        return self._cells.get(column, "")

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.fail(column, _("This column is required, but the cell is empty."))
        return value

    def parse(self, column: str, parser: Callable[[str], T], default: D, required: bool = False) -> T | D:
        """``parser``'s value, or ``default`` when the cell is empty or wrong (the problem is recorded)."""
        value = self.required(column) if required else self.text(column)
        if not value:
            return default
        try:
            return parser(value)
        except ValidationError as exc:
            self.fail(column, exc.message)
            return default

    def lines(self, column: str, parser: Callable[[int, str], T]) -> tuple[T, ...]:
        """One item per non-empty line of the cell; every bad line is reported."""
        items: list[T] = []
        for number, line in enumerate((part.strip() for part in self.text(column).split("\n")), start=1):
            if not line:
                continue
            try:
                items.append(parser(number, line))
            except ValidationError as exc:
                self.fail(column, exc.message)
        return tuple(items)


def _procedure_from(row: _Row) -> Procedure | None:
    code = row.parse("code", check_procedure_code, "", required=True)
    effective_from = row.parse("effective_from", _parse_date, None, required=True)
    if code and effective_from:
        row.version_key = (code, effective_from)
    name = row.required("name")
    field = row.required("field")
    area = row.parse("area", _parse_area, "", required=True)
    processing_time = _processing_time(row)
    reduced = _reduced_amount(row, processing_time)
    cutoff = row.parse("same_day_cutoff", _parse_clock_time, None)
    after_supplement = row.parse("after_supplement", _parse_supplement_clock, SupplementClock.RESTART)
    fee = row.parse("fee", _parse_money, 0)
    charge = row.parse("charge", _parse_money, 0)
    online = row.parse("online", _parse_yes_no, False)
    documents = row.lines("documents", _parse_document)
    steps = row.lines("steps", _parse_step)
    if row.errors or effective_from is None or processing_time is None:
        return None
    return Procedure(
        code=code,
        name=name,
        field=field,
        area_prefix=area,
        time=processing_time,
        effective_from=effective_from,
        level=row.text("level"),
        reduced_amount=reduced,
        same_day_cutoff=cutoff,
        after_supplement=after_supplement,
        deciding_agency=row.text("agency"),
        fee=fee,
        charge=charge,
        fee_note=row.text("fee_note"),
        documents=documents,
        result_document=row.text("result"),
        online=online,
        steps=steps,
    )


def _processing_time(row: _Row) -> ProcessingTime | None:
    """Same-day procedures need no amount (the cut-off decides); every other unit needs one of at least 1."""
    unit = row.parse("time_unit", _parse_unit, None, required=True)
    amount = row.parse("time_amount", _parse_whole_number, None)
    if unit is None:
        return None
    if unit is TimeUnit.SAME_DAY:
        return ProcessingTime(amount or 0, unit)
    if not amount:
        message = _("A time of at least 1 is required for the unit {unit}.")
        row.fail("time_amount", message.format(unit=unit.value))
        return None
    return ProcessingTime(amount, unit)


def _reduced_amount(row: _Row, processing_time: ProcessingTime | None) -> int | None:
    reduced = row.parse("reduced_amount", _parse_whole_number, None)
    if reduced is None or processing_time is None:
        return reduced
    if processing_time.unit is TimeUnit.SAME_DAY:
        row.fail("reduced_amount", _("A same-day procedure has no reduced time; leave the cell empty."))
    elif not 1 <= reduced <= processing_time.amount:
        message = _("The reduced time {reduced} must be between 1 and the time {amount}.")
        row.fail("reduced_amount", message.format(reduced=reduced, amount=processing_time.amount))
    return reduced


# -- cell parsers: each returns a value or raises ValidationError with the sentence to show -------------


def _parse_date(text: str) -> date:
    match = _DATE.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as exc:
        message = _("'{value}' is not a date (expected dd/mm/yyyy, e.g. 01/07/2025).")
        raise ValidationError(message.format(value=text)) from exc


def _parse_clock_time(text: str) -> time:
    match = _CLOCK_TIME.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return time(int(match[1]), int(match[2]))
    except ValueError as exc:
        message = _("'{value}' is not a time of day (expected HH:MM, e.g. 15:00).")
        raise ValidationError(message.format(value=text)) from exc


def _parse_area(text: str) -> str:
    value = text.upper()
    if not _AREA.match(value):
        message = _("'{value}' is not a service area prefix (expected one or two letters A–Z, e.g. A).")
        raise ValidationError(message.format(value=text))
    return value


def _parse_whole_number(text: str) -> int:
    if not _WHOLE_NUMBER.match(text):
        raise ValidationError(_("'{value}' is not a whole number (expected e.g. 3).").format(value=text))
    return int(text)


def _parse_money(text: str) -> int:
    match = _MONEY.match(text.casefold())
    if match is None:
        message = _("'{value}' is not an amount in đồng (expected e.g. 50000, 50.000 or 50,000).")
        raise ValidationError(message.format(value=text))
    return int(re.sub(r"[.,]", "", match[1]))


def _parse_unit(text: str) -> TimeUnit:
    return _lookup(_UNITS, text, _("'{value}' is not a time unit (expected {choices})."))


def _parse_supplement_clock(text: str) -> SupplementClock:
    message = _("'{value}' is not a rule for the clock after a supplement (expected {choices}).")
    return _lookup(_CLOCKS, text, message)


def _parse_yes_no(text: str) -> bool:
    return _lookup(_BOOLEANS, text, _("'{value}' is not yes or no (expected {choices})."))


def _lookup(choices: dict[str, T], text: str, message: str) -> T:
    found = choices.get(" ".join(text.casefold().split()))
    if found is None:
        raise ValidationError(message.format(value=text, choices=", ".join(choices)))
    return found


def _parse_document(line_number: int, line: str) -> RequiredDocument:
    """``name | kind | copies | reuse``; only the name is mandatory."""
    parts = [part.strip() for part in line.split(PART_SEPARATOR)]
    if len(parts) > 4 or not parts[0]:
        message = _("Document line {line} must be 'name | kind | copies | reuse' with a name: '{value}'.")
        raise ValidationError(message.format(line=line_number, value=line))
    name, kind, copies, reuse = (*parts, "", "", "")[:4]
    try:
        return RequiredDocument(
            name=name,
            kind=_parse_kind(kind) if kind else CopyKind.ORIGINAL,
            copies=_parse_copies(copies) if copies else 1,
            reusable=_parse_yes_no(reuse) if reuse else False,
        )
    except ValidationError as exc:
        message = _("Document line {line}: {problem}")
        raise ValidationError(message.format(line=line_number, problem=exc.message)) from exc


def _parse_kind(text: str) -> CopyKind:
    return _lookup(_KINDS, text, _("'{value}' is not a kind of copy (expected {choices})."))


def _parse_copies(text: str) -> int:
    if not _WHOLE_NUMBER.match(text) or int(text) < 1:
        message = _("'{value}' is not a number of copies (expected 1 or more).")
        raise ValidationError(message.format(value=text))
    return int(text)


def _parse_step(line_number: int, line: str) -> ProcessStep:
    """``unit | amount``: a unit's share of the internal process, in the procedure's time unit."""
    parts = [part.strip() for part in line.split(PART_SEPARATOR)]
    if len(parts) != 2 or not parts[0] or not _WHOLE_NUMBER.match(parts[1]):
        message = _("Step line {line} must be 'unit | amount' with a whole number amount: '{value}'.")
        raise ValidationError(message.format(line=line_number, value=line))
    return ProcessStep(unit=parts[0], amount=int(parts[1]))


def _clean(value: str) -> str:
    """NFC, one kind of line break, no surrounding blanks: what a person means by the same text."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


# -- writing ---------------------------------------------------------------------------------------------


def write_procedures(procedures: Iterable[Procedure], path: Path) -> None:
    """Write a .csv (UTF-8 with BOM, so spreadsheet programs read the accents) or a .xlsx catalogue."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ValidationError(_("'{file}' is neither a .csv nor a .xlsx file.").format(file=path.name))
    data = (
        procedures_to_xlsx(procedures)
        if suffix == ".xlsx"
        else procedures_to_csv(procedures).encode("utf-8-sig")
    )
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ValidationError(_("The file '{file}' cannot be written.").format(file=path.name)) from exc


def procedures_to_csv(procedures: Iterable[Procedure]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for procedure in procedures:
        writer.writerow([_as_text(value) for value in _row_of(procedure)])
    return buffer.getvalue()


def procedures_to_xlsx(procedures: Iterable[Procedure]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "procedures"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    try:
        for procedure in procedures:
            sheet.append(_row_of(procedure))
    except IllegalCharacterError as exc:
        message = _("A procedure holds a control character that a workbook cannot store.")
        raise ValidationError(message) from exc
    _format_sheet(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _format_sheet(sheet: Any) -> None:
    """Keep codes as text, dates as dates, and long cells wrapped, so an officer can edit it safely."""
    widths = {"code": 14, "name": 50, "field": 18, "agency": 28, "fee_note": 30, "documents": 60, "steps": 36}
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 12)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text such as "=x" must stay text, not become a formula
                cell.number_format = "@"
            if column == "effective_from":
                cell.number_format = "DD/MM/YYYY"
            elif column in {"fee", "charge"}:
                cell.number_format = "#,##0"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _row_of(procedure: Procedure) -> list[object]:
    """The canonical cell values, in COLUMNS order (dates as dates, counts as numbers)."""
    return [
        procedure.code,
        procedure.effective_from,
        procedure.name,
        procedure.field,
        procedure.level,
        procedure.area_prefix,
        procedure.time.amount,
        procedure.time.unit.value,
        procedure.reduced_amount,
        procedure.same_day_cutoff.strftime("%H:%M") if procedure.same_day_cutoff else None,
        procedure.after_supplement.value,
        procedure.deciding_agency,
        procedure.fee,
        procedure.charge,
        procedure.fee_note,
        "\n".join(_document_line(procedure, document) for document in procedure.documents),
        procedure.result_document,
        "yes" if procedure.online else "no",
        "\n".join(_step_line(procedure, step) for step in procedure.steps),
    ]


def _document_line(procedure: Procedure, document: RequiredDocument) -> str:
    name = _single_part(procedure, document.name)
    reuse = "yes" if document.reusable else "no"
    return f" {PART_SEPARATOR} ".join((name, document.kind.value, str(document.copies), reuse))


def _step_line(procedure: Procedure, step: ProcessStep) -> str:
    return f"{_single_part(procedure, step.unit)} {PART_SEPARATOR} {step.amount}"


def _single_part(procedure: Procedure, text: str) -> str:
    """A document name or step unit shares its cell with others; a '|' or line break would split it."""
    if PART_SEPARATOR in text or "\n" in text or "\r" in text:
        message = _("Procedure {code}: '{text}' contains '|' or a line break, which the file cannot hold.")
        raise ValidationError(message.format(code=procedure.code, text=text))
    return text


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    return str(value)


# -- the rest ----------------------------------------------------------------------------------------------


def demo_catalogue_path() -> Path:
    """The shipped demo catalogue (about 30 real procedures; see the file's rows for codes and times)."""
    return Path(__file__).resolve().parent.parent / "assets" / "catalogue" / "demo_procedures.csv"


def format_row_errors(errors: Iterable[RowError]) -> list[str]:
    """One line per problem, in the order found, for the CLI and the import dialog."""
    lines = []
    for error in errors:
        if error.column is None:
            lines.append(_("Row {row}: {message}").format(row=error.row, message=error.message))
        else:
            lines.append(
                _("Row {row}, column {column}: {message}").format(
                    row=error.row, column=error.column, message=error.message
                )
            )
    return lines
