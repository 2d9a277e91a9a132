"""The seven one-stop forms as PDF (shared/domain/forms.md): the body of each, on the shared layout.

``render_form`` takes a form value from ``counter_app.domain.forms`` and returns PDF bytes; it never reads
a database or a setting. Fields appear in the order forms.md numbers them, with the wording of the 2025
templates, so a printed form can be checked line by line against the paper one.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from counter_app.domain.clock import local_date
from counter_app.domain.forms import (
    ApologyForm,
    ControlSheetForm,
    DossierForm,
    FormKind,
    FormStamp,
    PaperSize,
    Party,
    ReceiptForm,
    RefusalForm,
    RegisterForm,
    StopForm,
    SupplementForm,
    copy_kind_words,
    legal_date,
    legal_time,
    money,
    payment_method_words,
    processing_time_words,
    return_method_words,
    short_date,
    short_time,
    timeliness_words,
)
from printing.codes import MODULE, Code128, QrCode
from printing.fonts import REGULAR
from printing.layout import PAGES, REGISTER_PAGE, FormWriter, PageMarks, build_pdf, cell_text, grid, text

RECEIPT_COPY_LABELS = (
    "Liên 1: Giao người nộp hồ sơ",
    "Liên 2: Lưu tại Bộ phận Tiếp nhận và Trả kết quả (kèm Phiếu kiểm soát quá trình giải quyết hồ sơ)",
)


def render_form(form: DossierForm, *, paper: PaperSize = PaperSize.A4, copies: int = 1) -> bytes:
    """The PDF of a dossier form. ``copies`` 2 prints Mẫu 01 a second time for the file (forms.md)."""
    if copies not in (1, 2):
        raise ValueError(f"a form is printed in 1 or 2 copies, not {copies}")
    page = PAGES[paper]
    writer = FormWriter(page)
    body = _body(writer, form)
    labels = RECEIPT_COPY_LABELS[:copies] if copies == 2 else ()
    marks = PageMarks(form.stamp.kind, form.stamp.reprinted_at, labels)
    title = f"Mẫu {form.stamp.kind.value} - {form.stamp.dossier_code}"
    return build_pdf(page, [body] * copies, marks, title=title)


def render_register(register: RegisterForm) -> bytes:
    """Mẫu 07: landscape, as many pages as the period needs, the table header on each, pages numbered."""
    writer = FormWriter(REGISTER_PAGE)
    marks = PageMarks(FormKind.REGISTER, page_numbers=True)
    title = f"Mẫu 07 - {short_date(register.start)} - {short_date(register.end)}"
    return build_pdf(REGISTER_PAGE, [_register(writer, register)], marks, title=title)


# -- pieces several forms share -------------------------------------------------------------------------


def _opening(writer: FormWriter, stamp: FormStamp, *subtitles: str) -> list[Flowable]:
    return [
        writer.header(stamp.unit, local_date(stamp.issued_at)),
        *writer.title(stamp.kind.heading, *subtitles),
    ]


def _bars(writer: FormWriter, code: str) -> Code128:
    """The dossier code's barcode sized for the page: 0.3 mm modules on A5 (the floor of dossier-code.md)."""
    a4 = writer.page.body_width > 150 * mm
    return Code128(
        code,
        module=MODULE if a4 else 0.3 * mm,
        bar_height=11 * mm if a4 else 9 * mm,
        font_size=writer.page.font_size * 0.9,
    )


def _barcode(writer: FormWriter, code: str) -> Flowable:
    """The barcode centred on its own line."""
    return grid(
        [[_bars(writer, code)]],
        [writer.page.body_width],
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    )


def _contact(writer: FormWriter, party: Party) -> list[Flowable]:
    return [
        writer.field("Địa chỉ", party.address),
        writer.fields(("Số điện thoại", party.phone), ("Email", party.email)),
    ]


def _dossier_code(writer: FormWriter, code: str, label: str = "Mã hồ sơ") -> Paragraph:
    return writer.line(f"{label}: <b>{text(code)}</b>", writer.centre)


# -- Mẫu 01 ---------------------------------------------------------------------------------------------


def _receipt(writer: FormWriter, form: ReceiptForm) -> list[Flowable]:
    stamp = form.stamp
    qr_size = 24 * mm if writer.page is PAGES[PaperSize.A4] else 19 * mm
    look_up = [QrCode(form.lookup_text, qr_size), writer.line("Tra cứu hồ sơ", writer.cell_centre)]
    story = _opening(writer, stamp)
    story.append(
        writer.side_by_side(
            [
                _dossier_code(writer, stamp.dossier_code),
                Spacer(1, 3),
                _bars(writer, stamp.dossier_code),
            ],
            look_up,
            qr_size + 4 * mm,
        )
    )
    story += [
        writer.line(f"<b>{text(stamp.unit.unit_name)}</b>"),
        writer.field("Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức", form.applicant.name, bold=True),
        writer.field("Số định danh cá nhân/tổ chức", form.applicant.id_number),
        *_contact(writer, form.applicant),
    ]
    if form.proxy is not None:
        proxy = form.proxy
        story += [
            writer.field("Người được ủy quyền nộp hồ sơ", proxy.name, bold=True),
            writer.field("Số định danh cá nhân", proxy.id_number),
            *_contact(writer, proxy),
            writer.field("Giấy ủy quyền", proxy.authorisation),
        ]
    story += [
        writer.field(
            "Nội dung yêu cầu giải quyết", f"{form.procedure_name} (mã TTHC: {form.procedure_code})"
        ),
        writer.line("Thành phần hồ sơ nộp gồm:"),
        _papers(writer, form),
        Spacer(1, 3),
        writer.field("Số lượng hồ sơ", f"{form.sets:02d} (bộ)"),
        writer.field(
            "Thời gian giải quyết hồ sơ theo quy định là", processing_time_words(form.processing_time)
        ),
        writer.field("Thời gian nhận hồ sơ", legal_time(form.received_at)),
        writer.field("Thời gian trả kết quả giải quyết hồ sơ", legal_time(form.due_at), bold=True),
        writer.field("Đăng ký nhận kết quả tại", return_method_words(form.return_method)),
    ]
    fee = [
        writer.field("Phí, lệ phí", money(form.fee) if form.fee else "Không"),
        writer.field("Hình thức nộp", payment_method_words(form.payment_method)),
        writer.line(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {text(form.register_book)}&#160;&#160;&#160;&#160;"
            f"Số thứ tự: {text(form.register_number)}"
        ),
    ]
    if stamp.unit.contact_phone:
        fee.append(writer.field("Điện thoại liên hệ", stamp.unit.contact_phone))
    if form.vietqr_payload:
        pay = [
            QrCode(form.vietqr_payload, qr_size),
            writer.line("Quét VietQR để nộp phí", writer.cell_centre),
        ]
        story.append(writer.side_by_side(fee, pay, qr_size + 22 * mm))
    else:
        story += fee
    story.append(writer.signatures(("NGƯỜI NỘP HỒ SƠ", ""), ("NGƯỜI TIẾP NHẬN HỒ SƠ", form.officer_name)))
    return story


def _papers(writer: FormWriter, form: ReceiptForm) -> Flowable:
    width = writer.page.body_width
    return writer.table(
        ("STT", "Tên giấy tờ", "Hình thức", "Số lượng"),
        [
            (index, paper.name, copy_kind_words(paper.kind), f"{paper.copies:02d}")
            for index, paper in enumerate(form.papers, start=1)
        ],
        (width * 0.07, width * 0.58, width * 0.25, width * 0.1),
        centred=(0, 2, 3),
    )


# -- Mẫu 02 to 05 --------------------------------------------------------------------------------------


def _supplement(writer: FormWriter, form: SupplementForm) -> list[Flowable]:
    story = _opening(writer, form.stamp)
    story += [
        _barcode(writer, form.stamp.dossier_code),
        writer.field("Hồ sơ của", form.applicant.name, bold=True),
        writer.field("Nội dung yêu cầu giải quyết", form.procedure_name),
        *_contact(writer, form.applicant),
        writer.line("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"),
        *writer.numbered(form.missing),
        writer.field("Lý do", form.reason),
    ]
    if form.deadline is not None:
        story.append(writer.field("Thời hạn bổ sung, hoàn thiện hồ sơ", f"trước {legal_date(form.deadline)}"))
    story += [
        writer.line(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
            f"{text(form.officer_name)} số điện thoại {text(form.stamp.unit.contact_phone)} "
            "để được hướng dẫn."
        ),
        writer.signatures(("", ""), ("NGƯỜI HƯỚNG DẪN", form.officer_name)),
    ]
    return story


def _refusal(writer: FormWriter, form: RefusalForm) -> list[Flowable]:
    story = _opening(writer, form.stamp)
    story += [
        _barcode(writer, form.stamp.dossier_code),
        writer.line(f"<b>{text(form.stamp.unit.unit_name)}</b>"),
        writer.field("Tiếp nhận hồ sơ của", form.applicant.name, bold=True),
        writer.field("Số định danh cá nhân/tổ chức", form.applicant.id_number),
        *_contact(writer, form.applicant),
        writer.field("Mã hồ sơ (nếu có)", form.stamp.dossier_code),
        writer.field("Nội dung yêu cầu giải quyết", form.procedure_name),
        writer.line(
            "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, giải quyết hồ sơ "
            f"này với lý do cụ thể như sau: {text(form.reason)}"
        ),
        writer.line("Xin thông báo cho Ông/Bà được biết và thực hiện."),
        writer.signatures(("NGƯỜI NỘP HỒ SƠ", ""), ("NGƯỜI TIẾP NHẬN HỒ SƠ", form.officer_name)),
    ]
    return story


def _apology(writer: FormWriter, form: ApologyForm) -> list[Flowable]:
    agency = text(form.agency)
    applicant = form.applicant
    story = _opening(writer, form.stamp)
    story += [
        _barcode(writer, form.stamp.dossier_code),
        writer.line(f"Kính gửi: Ông/Bà/Tổ chức <b>{text(applicant.name)}</b>", writer.centre),
        Spacer(1, 4),
        writer.line(
            f"{legal_date(local_date(form.received_at)).capitalize()}, {agency} tiếp nhận giải quyết hồ sơ "
            f"đề nghị giải quyết thủ tục hành chính {text(form.procedure_name)} của Ông/Bà/Tổ chức; "
            f"số định danh: {text(applicant.id_number)}; mã số hồ sơ: {text(form.stamp.dossier_code)}."
        ),
        writer.field("Thời gian hẹn trả kết quả giải quyết hồ sơ", legal_time(form.original_due_at)),
        writer.line(
            f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/Tổ chức đúng thời "
            "hạn quy định ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        ),
        writer.field("Lý do", form.reason),
        writer.line(
            "Sự chậm trễ này đã gây phiền hà, tốn kém thời gian và chi phí đi lại của Ông/Bà/Tổ chức."
        ),
        writer.line(
            f"{agency} xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào "
            f"<b>{legal_time(form.new_due_at)}</b>."
        ),
        writer.line("Mong nhận được sự thông cảm của Ông/Bà/Tổ chức vì sự chậm trễ này."),
        writer.signatures(
            ("", ""), ("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", form.head), hint="(Ký, ghi rõ họ tên và đóng dấu)"
        ),
    ]
    return story


def _stop(writer: FormWriter, form: StopForm) -> list[Flowable]:
    refund = (
        f"Phí, lệ phí được hoàn trả: <b>{money(form.refund)}</b>."
        if form.refund
        else "Không có khoản phí, lệ phí phải hoàn trả."
    )
    story = _opening(writer, form.stamp)
    story += [
        _barcode(writer, form.stamp.dossier_code),
        writer.field("Hồ sơ của", form.applicant.name, bold=True),
        writer.field("Số định danh cá nhân/tổ chức", form.applicant.id_number),
        writer.field("Địa chỉ", form.applicant.address),
        writer.field("Mã hồ sơ", form.stamp.dossier_code),
        writer.field("Nội dung yêu cầu giải quyết", form.procedure_name),
        writer.field(
            "Thời gian nhận hồ sơ", legal_time(form.received_at) if form.received_at is not None else ""
        ),
        writer.line(
            f"{legal_date(form.requested_on).capitalize()}, Ông/Bà/Tổ chức có yêu cầu dừng giải quyết hồ sơ "
            f"nêu trên. Lý do: {text(form.reason)}"
        ),
        writer.line(
            "Đến thời điểm nhận được yêu cầu, cơ quan có thẩm quyền chưa ban hành quyết định hoặc kết quả "
            "giải quyết hồ sơ. Bộ phận Tiếp nhận và Trả kết quả thông báo dừng giải quyết hồ sơ theo yêu "
            "cầu của Ông/Bà/Tổ chức."
        ),
        writer.line(refund),
        writer.line("Xin thông báo cho Ông/Bà/Tổ chức được biết."),
        writer.signatures(("NGƯỜI NỘP HỒ SƠ", ""), ("NGƯỜI TIẾP NHẬN HỒ SƠ", form.officer_name)),
    ]
    return story


# -- Mẫu 06 ---------------------------------------------------------------------------------------------

SIGNERS = "Người giao&#160;&#160;&#160;&#160;Người nhận"
CONTROL_ROWS_AT_LEAST = 4
"""Blank rows after the recorded handovers: the sheet travels with the dossier and is filled by hand."""


def _control_sheet(writer: FormWriter, form: ControlSheetForm) -> list[Flowable]:
    width = writer.page.body_width
    story = _opening(writer, form.stamp)
    story += [
        _barcode(writer, form.stamp.dossier_code),
        writer.field("Mã số hồ sơ", form.stamp.dossier_code, bold=True),
        writer.field("Cơ quan (bộ phận) giải quyết hồ sơ", form.processing_unit),
        writer.field("Cơ quan phối hợp giải quyết hồ sơ", ", ".join(form.cooperating_units)),
        writer.field("Ngày nhận", short_date(form.received_at)),
        writer.field("Hẹn trả kết quả vào", legal_time(form.due_at), bold=True),
        Spacer(1, 4),
    ]
    rows: list[list[object]] = []
    for step in form.steps:
        due = f"<br/><font size='{writer.cell.fontSize * 0.85:.1f}'>Hạn: {short_time(step.due_at)}</font>"
        rows.append(
            [
                writer.line(
                    f"1. Giao: {text(step.from_unit)}<br/>2. Nhận: {text(step.to_unit)}",
                    writer.cell,
                ),
                writer.line(
                    f"{text(short_time(step.handed_at))}<br/><br/>{SIGNERS}",
                    writer.cell_centre,
                ),
                writer.line(
                    cell_text(timeliness_words(step.timeliness)) + (due if step.due_at else ""),
                    writer.cell_centre,
                ),
                step.note,
            ]
        )
    blank = "1. Giao: ……………<br/>2. Nhận: ……………"
    rows += [
        [
            writer.line(blank, writer.cell),
            writer.line(f"<br/><br/>{SIGNERS}", writer.cell_centre),
            "",
            "",
        ]
        for _ in range(max(0, CONTROL_ROWS_AT_LEAST - len(form.steps)))
    ]
    story.append(
        writer.table(
            (
                "Tên đơn vị",
                "Thời gian giao nhận hồ sơ",
                "Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)",
                "Ghi chú",
            ),
            rows,
            (width * 0.34, width * 0.29, width * 0.23, width * 0.14),
        )
    )
    return story


# -- Mẫu 07 ---------------------------------------------------------------------------------------------


def _register(writer: FormWriter, register: RegisterForm) -> list[Flowable]:
    width = writer.page.body_width
    head = [
        "STT",
        "Mã hồ sơ",
        "Tên TTHC",
        "Tên tổ chức, cá nhân",
        "Địa chỉ/SĐT",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Trả kết quả",
        "Phương thức nhận kết quả",
    ]
    shares = [0.035, 0.125, 0.15, 0.1, 0.12, 0.1, 0.07, 0.07, 0.07, 0.08]
    if register.extra_columns:
        head += ["Số bộ", "Trước/ đúng/ quá hạn", "Ghi chú"]
        shares = [0.03, 0.115, 0.125, 0.09, 0.1, 0.09, 0.06, 0.06, 0.06, 0.065, 0.04, 0.055, 0.055]
    head.append("Ký nhận")
    shares.append(1 - sum(shares))
    widths = [width * share for share in shares]
    # The code column fits the longest code on one line (a code broken over two lines cannot be read
    # back at a glance); the procedure name gives up the difference.
    longest = max((stringWidth(row.code, REGULAR, writer.cell.fontSize) for row in register.rows), default=0)
    needed = longest + 8
    if needed > widths[1]:
        widths[2] -= needed - widths[1]
        widths[1] = needed
    rows: list[list[object]] = []
    for index, row in enumerate(register.rows, start=1):
        cells: list[object] = [
            index,
            row.code,
            row.procedure_name,
            row.applicant_name,
            row.address_phone,
            row.agency,
            short_time(row.received_at),
            short_time(row.due_at),
            short_time(row.returned_at),
            "Bưu chính" if row.return_method.value == "post" else "Tại Bộ phận TN&TKQ",
        ]
        if register.extra_columns:
            cells += [row.sets, timeliness_words(row.timeliness), row.note]
        cells.append("")
        rows.append(cells)
    period = f"Từ ngày {short_date(register.start)} đến ngày {short_date(register.end)}"
    story = [
        writer.header(register.unit, local_date(register.printed_at)),
        *writer.title(FormKind.REGISTER.heading, period, f"Số hồ sơ: {len(register.rows)}"),
    ]
    if not rows:
        story.append(writer.line("Không có hồ sơ nào được tiếp nhận trong kỳ.", writer.centre))
        return story
    story.append(writer.table(head, rows, widths, centred=(0, 6, 7, 8, 9, 10, 11)))
    return story


def _body(writer: FormWriter, form: DossierForm) -> list[Flowable]:
    """The body of the form; each form type has exactly one layout."""
    if isinstance(form, ReceiptForm):
        return _receipt(writer, form)
    if isinstance(form, SupplementForm):
        return _supplement(writer, form)
    if isinstance(form, RefusalForm):
        return _refusal(writer, form)
    if isinstance(form, ApologyForm):
        return _apology(writer, form)
    if isinstance(form, StopForm):
        return _stop(writer, form)
    return _control_sheet(writer, form)
