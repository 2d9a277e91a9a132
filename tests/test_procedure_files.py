"""The catalogue file: CSV/XLSX import reporting every row's problems, exact export round trip, demo data."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook  # type: ignore[import-untyped]

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
from counter_app.services.procedure_files import (
    COLUMNS,
    ImportResult,
    RowError,
    demo_catalogue_path,
    format_row_errors,
    procedures_to_csv,
    procedures_to_xlsx,
    read_procedures,
    read_procedures_csv,
    read_procedures_xlsx,
    write_procedures,
)

HEADER = "code,effective_from,name,field,area,time_amount,time_unit"


def tricky_procedure() -> Procedure:
    """Every optional field set, with text a naive writer would mangle (quotes, commas, '=', line breaks)."""
    return Procedure(
        code="1.010708.000.00.00.H56",
        name='=Cấp "giấy phép", loại A',
        field="Hoạt động xây dựng",
        area_prefix="HT",
        time=ProcessingTime(15, TimeUnit.WORKING_DAYS),
        effective_from=date(2026, 1, 2),
        level="Một phần",
        reduced_amount=12,
        same_day_cutoff=time(16, 30),
        after_supplement=SupplementClock.RESUME_REMAINING,
        deciding_agency="UBND cấp xã",
        fee=1_250_000,
        charge=8_000,
        fee_note="Dòng một, có dấu phẩy\nDòng hai; 50.000 đ",
        documents=(
            RequiredDocument("Đơn đề nghị", CopyKind.ORIGINAL, 1, False),
            RequiredDocument("Giấy tờ chứng minh quyền sử dụng đất", CopyKind.CERTIFIED_COPY, 2, True),
            RequiredDocument("Bản vẽ", CopyKind.COPY, 3, False),
        ),
        result_document="Giấy phép xây dựng",
        online=True,
        steps=(ProcessStep("Bộ phận một cửa", 0), ProcessStep("Phòng Kinh tế", 12)),
    )


def csv_of(rows: Sequence[str], header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def xlsx_of(table: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    for row in table:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def where(result: ImportResult) -> set[tuple[int, str | None]]:
    return {(error.row, error.column) for error in result.errors}


# -- the shipped demo catalogue -------------------------------------------------------------------------


def test_the_demo_catalogue_loads_without_errors() -> None:
    result = read_procedures(demo_catalogue_path())

    assert result.errors == ()
    assert len(result.procedures) >= 28
    codes = [procedure.code for procedure in result.procedures]
    assert all(check_procedure_code(code) == code for code in codes)
    assert len(set(codes)) == len(codes)


def test_the_demo_catalogue_covers_both_queues_and_every_kind_of_clock() -> None:
    procedures = read_procedures(demo_catalogue_path()).procedures

    assert {procedure.area_prefix for procedure in procedures} == {"A", "B"}
    assert {procedure.time.unit for procedure in procedures} == set(TimeUnit)
    assert SupplementClock.RESUME_REMAINING in {procedure.after_supplement for procedure in procedures}
    assert any(procedure.steps for procedure in procedures)
    assert all(2 <= len(procedure.documents) <= 6 for procedure in procedures)


def test_the_demo_catalogue_is_in_the_canonical_form_export_writes() -> None:
    procedures = read_procedures(demo_catalogue_path()).procedures
    shipped = demo_catalogue_path().read_bytes().decode("utf-8-sig")

    assert procedures_to_csv(procedures) == shipped


# -- round trips ----------------------------------------------------------------------------------------


def test_csv_export_then_import_gives_back_the_same_procedures() -> None:
    original = (*read_procedures(demo_catalogue_path()).procedures, tricky_procedure())

    result = read_procedures_csv(procedures_to_csv(original))

    assert result.errors == ()
    assert result.procedures == original


def test_xlsx_export_then_import_gives_back_the_same_procedures() -> None:
    original = (*read_procedures(demo_catalogue_path()).procedures, tricky_procedure())

    result = read_procedures_xlsx(procedures_to_xlsx(original))

    assert result.errors == ()
    assert result.procedures == original


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".CSV"])
def test_files_round_trip_by_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"catalogue{suffix}"
    original = (tricky_procedure(), replace(tricky_procedure(), effective_from=date(2026, 7, 1)))

    write_procedures(original, path)

    assert read_procedures(path).procedures == original


_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda text: text == unicodedata.normalize("NFC", text).strip() and "|" not in text
)


@settings(max_examples=60, deadline=None)
@given(name=_TEXT, note=_TEXT, document=_TEXT)
def test_any_clean_text_survives_a_csv_round_trip(name: str, note: str, document: str) -> None:
    original = (
        replace(tricky_procedure(), name=name, fee_note=note, documents=(RequiredDocument(document),)),
    )

    assert read_procedures_csv(procedures_to_csv(original)).procedures == original


def test_export_refuses_a_document_name_the_format_cannot_hold() -> None:
    broken = replace(tricky_procedure(), documents=(RequiredDocument("Đơn | mẫu 01"),))

    with pytest.raises(ValidationError):
        procedures_to_csv([broken])


# -- every problem of every row, where the user sees it ---------------------------------------------------

BAD_FILE_HEADER = (
    "code,effective_from,name,field,area,time_amount,time_unit,reduced_amount,documents,fee,online,ghi_chu"
)
BAD_FILE_ROWS = [
    # row 2: good, with a two-line cell (a spreadsheet still shows it as one row)
    '1.001193,01/07/2025,Đăng ký khai sinh,Hộ tịch,A,,same_day,,"Tờ khai\nGiấy chứng sinh",,có,x',
    "1.23,01/07/2025,Mã sai,Hộ tịch,A,3,working_days,,,,,",  # row 3: bad code
    "1.000894,01/07/2025,Đơn vị lạ,Hộ tịch,A,3,tuần,,,,,",  # row 4: unknown unit
    "1.004873,01/07/2025,Rút gọn quá dài,Hộ tịch,A,3,working_days,5,,,,",  # row 5: reduced > amount
    "1.004859,31/02/2025,Ngày sai,Hộ tịch,A,3,working_days,,,,,",  # row 6: no 31 February
    '2.000635,01/07/2025,Loại bản sai,Hộ tịch,A,,same_day,,"Tờ khai | bản photo",,,',  # row 7: bad kind
    "1.001193,1/7/2025,Trùng khóa,Hộ tịch,A,,same_day,,,,,",  # row 8: same code and date as row 2
    "1.004884,01/07/2025,,Hộ tịch,A,5,working_days,,,,,",  # row 9: required name empty
    "1.004746,01/07/2025,Hai lỗi,Hộ tịch,A,5,working_days,,,năm chục,maybe,",  # row 10: two bad cells
    "1.005461,01/07/2025,Đăng ký lại khai tử,Hộ tịch,A,5,ngày làm việc,,,,,",  # row 11: good
]
BAD_FILE_PROBLEMS = {
    (1, "ghi_chu"),
    (3, "code"),
    (4, "time_unit"),
    (5, "reduced_amount"),
    (6, "effective_from"),
    (7, "documents"),
    (8, "code"),
    (9, "name"),
    (10, "fee"),
    (10, "online"),
}


def test_every_bad_row_is_reported_at_its_row_and_column_and_good_rows_still_import() -> None:
    result = read_procedures_csv(csv_of(BAD_FILE_ROWS, BAD_FILE_HEADER))

    assert where(result) == BAD_FILE_PROBLEMS
    assert len(result.errors) == len(BAD_FILE_PROBLEMS)
    assert [procedure.code for procedure in result.procedures] == ["1.001193", "1.005461"]
    assert result.rows == (2, 11)


def test_xlsx_rows_are_reported_exactly_like_csv_rows() -> None:
    table = [BAD_FILE_HEADER.split(","), *(_cells_of(line) for line in BAD_FILE_ROWS)]

    result = read_procedures_xlsx(xlsx_of(table))

    assert where(result) == BAD_FILE_PROBLEMS
    assert result.rows == (2, 11)


def _cells_of(line: str) -> list[str]:
    (cells,) = csv.reader(io.StringIO(line))
    return cells


def test_messages_name_the_wrong_value() -> None:
    result = read_procedures_csv(csv_of(BAD_FILE_ROWS, BAD_FILE_HEADER))
    message = {(error.row, error.column): error.message for error in result.errors}

    assert "'tuần'" in message[4, "time_unit"]
    assert "31/02/2025" in message[6, "effective_from"]
    assert "'bản photo'" in message[7, "documents"]
    assert "'năm chục'" in message[10, "fee"]
    assert "ghi_chu" in message[1, "ghi_chu"]


def test_a_missing_required_column_is_reported_on_the_header_row() -> None:
    result = read_procedures_csv(
        csv_of(["1.001193,01/07/2025,Khai sinh,Hộ tịch,A,0"], HEADER.removesuffix(",time_unit"))
    )

    assert where(result) == {(1, "time_unit")}
    assert result.procedures == ()


def test_an_empty_file_is_one_problem_on_row_one() -> None:
    assert where(read_procedures_csv("")) == {(1, None)}


def test_values_beyond_the_header_are_a_problem_of_that_row() -> None:
    result = read_procedures_csv(csv_of(["1.001193,01/07/2025,Khai sinh,Hộ tịch,A,0,same_day,thừa"]))

    assert where(result) == {(2, None)}


def test_a_time_unit_other_than_same_day_needs_an_amount() -> None:
    result = read_procedures_csv(csv_of(["1.001193,01/07/2025,Khai sinh,Hộ tịch,A,,working_days"]))

    assert where(result) == {(2, "time_amount")}


def test_blank_rows_are_skipped_but_still_counted() -> None:
    result = read_procedures_csv(csv_of([",,,,,,", "1.001193,01/07/2025,Khai sinh,Hộ tịch,A,0,trong ngày"]))

    assert result.errors == ()
    assert result.rows == (3,)


# -- what officers type ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("ngày làm việc", TimeUnit.WORKING_DAYS),
        ("Giờ làm việc", TimeUnit.WORKING_HOURS),
        ("trong ngày", TimeUnit.SAME_DAY),
        ("ngày", TimeUnit.CALENDAR_DAYS),
        ("working_days", TimeUnit.WORKING_DAYS),
    ],
)
def test_vietnamese_time_units_are_accepted(typed: str, unit: TimeUnit) -> None:
    result = read_procedures_csv(csv_of([f"1.001193,01/07/2025,Khai sinh,Hộ tịch,A,3,{typed}"]))

    assert result.errors == ()
    assert result.procedures[0].time.unit is unit


def test_vietnamese_aliases_and_money_formats_are_accepted() -> None:
    header = HEADER + ",after_supplement,fee,charge,online,documents,same_day_cutoff"
    row = (
        '1.001193,01/07/2025,Khai sinh,Hộ tịch,b,3,ngày làm việc,tính tiếp,"50.000","1,250,000",Có,'
        '"Đơn | bản chính\nSổ đỏ | bản sao có chứng thực | 2 | có\nBản vẽ | bản chụp | | không",7:30'
    )

    procedure = read_procedures_csv(csv_of([row], header)).procedures[0]

    assert procedure.area_prefix == "B"
    assert procedure.after_supplement is SupplementClock.RESUME_REMAINING
    assert (procedure.fee, procedure.charge, procedure.online) == (50_000, 1_250_000, True)
    assert procedure.same_day_cutoff == time(7, 30)
    assert procedure.documents == (
        RequiredDocument("Đơn", CopyKind.ORIGINAL, 1, False),
        RequiredDocument("Sổ đỏ", CopyKind.CERTIFIED_COPY, 2, True),
        RequiredDocument("Bản vẽ", CopyKind.COPY, 1, False),
    )


def test_decomposed_input_is_normalised_to_composed_text() -> None:
    row = '1.001193,01/07/2025,  Đăng ký khai sinh  ,Hộ tịch,A,0,trong ngày,"Tờ khai đăng ký | bản chính"'
    text = unicodedata.normalize("NFD", csv_of([row], HEADER + ",documents"))

    procedure = read_procedures_csv(text.encode("utf-8")).procedures[0]

    assert procedure.name == unicodedata.normalize("NFC", "Đăng ký khai sinh")
    assert procedure.time.unit is TimeUnit.SAME_DAY
    assert procedure.documents[0].name == unicodedata.normalize("NFC", "Tờ khai đăng ký")


def test_a_csv_with_byte_order_mark_reads_its_first_column() -> None:
    data = csv_of(["1.001193,01/07/2025,Khai sinh,Hộ tịch,A,0,same_day"]).encode("utf-8-sig")

    assert read_procedures_csv(data).errors == ()


def test_xlsx_date_and_number_cells_are_read_as_typed() -> None:
    table: list[list[object]] = [
        [*HEADER.split(","), "fee", "same_day_cutoff", "online"],
        [
            "1.001612",
            datetime(2025, 7, 1),
            "Đăng ký thành lập hộ kinh doanh",
            "Hộ kinh doanh",
            "B",
            3.0,
            "working_days",
            100000,
            time(15, 0),
            True,
        ],
    ]

    procedure = read_procedures_xlsx(xlsx_of(table)).procedures[0]

    assert procedure.effective_from == date(2025, 7, 1)
    assert (procedure.time.amount, procedure.fee, procedure.online) == (3, 100_000, True)
    assert procedure.same_day_cutoff == time(15, 0)


# -- files that cannot be read at all -------------------------------------------------------------------


def test_corrupt_xlsx_bytes_are_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        read_procedures_xlsx(b"PK\x03\x04 this is not really a workbook")


def test_a_corrupt_xlsx_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "thu-tuc.xlsx"
    path.write_bytes(b"not a zip at all")

    with pytest.raises(ValidationError, match=re.escape("thu-tuc.xlsx")):
        read_procedures(path)


def test_a_csv_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "thu-tuc.csv"
    path.write_bytes(csv_of(["1.001193,01/07/2025,Đăng ký khai sinh,Hộ tịch,A,0,same_day"]).encode("utf-16"))

    with pytest.raises(ValidationError, match=re.escape("thu-tuc.csv")):
        read_procedures(path)


def test_other_suffixes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.txt"
    path.write_text(csv_of([]), encoding="utf-8")

    with pytest.raises(ValidationError, match=re.escape("catalogue.txt")):
        read_procedures(path)
    with pytest.raises(ValidationError, match=re.escape("catalogue.txt")):
        write_procedures([tricky_procedure()], path)


def test_a_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=re.escape("absent.csv")):
        read_procedures(tmp_path / "absent.csv")


# -- the report ------------------------------------------------------------------------------------------


def test_row_errors_are_formatted_one_line_each() -> None:
    errors = [RowError(7, "time_unit", "Sai."), RowError(1, None, "Trống.")]

    assert format_row_errors(errors) == [
        _("Row {row}, column {column}: {message}").format(row=7, column="time_unit", message="Sai."),
        _("Row {row}: {message}").format(row=1, message="Trống."),
    ]


def test_export_writes_the_documented_columns_in_order() -> None:
    header = procedures_to_csv([]).splitlines()[0]

    assert (
        tuple(header.split(","))
        == COLUMNS
        == (
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
    )
