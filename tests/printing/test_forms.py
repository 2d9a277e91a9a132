"""The seven forms read back as a person and a scanner would: exact Vietnamese text, decoded codes, fonts.

No database here: the form values come from ``samples`` (what the service fills); the service side is
tested in tests/test_dossier_forms.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from reportlab.lib.pagesizes import A4, A5, landscape

from counter_app.domain.forms import DossierForm, FormKind, PaperSize
from counter_app.domain.vietqr import crc16_ccitt, parse_emv
from printing.codes import code128_modules
from printing.forms import render_form, render_register
from tests.printing import samples
from tests.printing.pdf_support import all_lines, decoded_codes, fonts, page_images, page_lines, pdf_pages

HEADER = [
    "UBND TỈNH TIỀN GIANG",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "Số: …/…",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Mỹ Tho, ngày 07 tháng 12 năm 2026",
]

DOSSIER_FORMS: dict[FormKind, Callable[[], DossierForm]] = {
    FormKind.RECEIPT: samples.receipt,
    FormKind.SUPPLEMENT: samples.supplement,
    FormKind.REFUSAL: samples.refusal,
    FormKind.APOLOGY: samples.apology,
    FormKind.STOP: samples.stop,
    FormKind.CONTROL_SHEET: samples.control_sheet,
}


Rendered = dict[FormKind, bytes]


def joined(data: bytes) -> str:
    """The whole text as one line: sentences wrapped over lines compare as written."""
    return " ".join(all_lines(data))


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return {kind: render_form(make()) for kind, make in DOSSIER_FORMS.items()}


# -- what every form shares ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DOSSIER_FORMS))
def test_every_form_has_the_header_title_and_one_page(
    kind: FormKind, rendered: dict[FormKind, bytes]
) -> None:
    data = rendered[kind]
    lines = page_lines(data)
    assert len(lines) == 1, "a single dossier form fits one A4 page"
    header = HEADER if kind is not FormKind.APOLOGY else [HEADER[0], "PHÒNG KINH TẾ", *HEADER[2:]]
    assert lines[0][: len(header)] == header
    assert kind.heading in lines[0]
    assert f"Mẫu số {kind.value}" in lines[0]
    assert not any(line.startswith("Bản in lại") for line in lines[0])
    assert pdf_pages(data)[0].mediabox.width == pytest.approx(A4[0])


@pytest.mark.parametrize("kind", list(DOSSIER_FORMS))
def test_every_form_embeds_every_font_it_uses(kind: FormKind, rendered: Rendered) -> None:
    used = fonts(rendered[kind])
    assert used, "the form uses fonts"
    assert all(embedded for _, embedded in used), used
    assert all("DejaVuSans" in name for name, _ in used), "no base-14 font (no Vietnamese letters) is named"


@pytest.mark.parametrize("kind", list(DOSSIER_FORMS))
def test_every_form_barcode_scans_as_the_dossier_code(
    kind: FormKind, rendered: dict[FormKind, bytes]
) -> None:
    codes = decoded_codes(page_images(rendered[kind])[0])
    assert codes.get("Code128") == [samples.CODE]
    # The clear text under the bars, in a normal font (dossier-code.md).
    assert samples.CODE in all_lines(rendered[kind])


def test_the_same_form_gives_the_same_bytes() -> None:
    assert render_form(samples.receipt()) == render_form(samples.receipt())


# -- Mẫu 01 ---------------------------------------------------------------------------------------------


def test_receipt_fields_in_the_order_of_the_template(rendered: Rendered) -> None:
    lines = page_lines(rendered[FormKind.RECEIPT])[0]
    expected = [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {samples.CODE}",
        "Trung tâm Phục vụ hành chính công",
        "Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Nguyễn Thị Ánh Tuyết",
        "Số định danh cá nhân/tổ chức: 082301012345",
        "Địa chỉ: Số 12 Ấp Bắc, phường 5, Mỹ Tho",
        "Số điện thoại: 0912345678 Email: tuyet@example.vn",
        "Người được ủy quyền nộp hồ sơ: Trần Văn Đức",
        "Số định danh cá nhân: 082201000123",
        "Giấy ủy quyền: Giấy ủy quyền số 15/UQ",
        "Nội dung yêu cầu giải quyết: Cấp giấy phép xây dựng nhà ở riêng lẻ (mã TTHC: 1.900001)",
        "Thành phần hồ sơ nộp gồm:",
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Giấy chứng nhận quyền sử dụng đất",
        "Bản sao có chứng thực",
        "Bản vẽ thiết kế xây dựng",
        "Số lượng hồ sơ: 01 (bộ)",
        "Thời gian giải quyết hồ sơ theo quy định là: 15 ngày làm việc",
        "Thời gian nhận hồ sơ: 08 giờ 37 phút, ngày 07 tháng 12 năm 2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 28 tháng 12 năm 2026",
        "Đăng ký nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả",
        "Phí, lệ phí: 75.000 đồng",
        "Hình thức nộp: Chuyển khoản (VietQR)",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026 Số thứ tự: 0042",
        "Điện thoại liên hệ: 0273 3 888 999",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Lê Thị Hồng Nhung",
    ]
    positions = [lines.index(line) for line in expected]
    assert positions == sorted(positions), "fields follow forms.md's order"


def test_receipt_look_up_and_vietqr_codes_decode(rendered: Rendered) -> None:
    qr_texts = decoded_codes(page_images(rendered[FormKind.RECEIPT])[0])["QRCode"]
    assert samples.receipt().lookup_text in qr_texts
    payments = [text for text in qr_texts if text.startswith("000201")]
    assert payments == [samples.VIETQR]
    fields = parse_emv(payments[0])  # raises if the CRC does not check
    assert fields["54"] == str(samples.FEE)
    assert int(payments[0][-4:], 16) == crc16_ccitt(payments[0][:-4].encode("ascii"))


def test_receipt_without_transfer_has_no_vietqr_and_no_proxy_lines() -> None:
    from counter_app.domain.dossier import PaymentMethod

    data = render_form(samples.receipt(proxy=None, payment_method=PaymentMethod.CASH, vietqr_payload=None))
    qr_texts = decoded_codes(page_images(data)[0])["QRCode"]
    assert qr_texts == [samples.receipt().lookup_text]
    text = joined(data)
    assert "Hình thức nộp: Tiền mặt" in text
    assert "ủy quyền" not in text


def test_a_reprint_says_so_with_the_reprint_time() -> None:
    data = render_form(samples.receipt(reprinted_at=samples.local(2026, 12, 9, 14, 5)))
    assert "Bản in lại lúc 14:05 09/12/2026" in page_lines(data)[0]


def test_receipt_on_a5_in_two_copies_one_page_each_with_its_label() -> None:
    data = render_form(samples.receipt(), paper=PaperSize.A5, copies=2)
    pages = page_lines(data)
    assert len(pages) == 2
    for page in pdf_pages(data):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A5)
    assert "Liên 1: Giao người nộp hồ sơ" in pages[0]
    assert any(line.startswith("Liên 2: Lưu tại Bộ phận Tiếp nhận và Trả kết quả") for line in pages[1])
    for image in page_images(data):
        assert decoded_codes(image)["Code128"] == [samples.CODE]


def test_copies_other_than_one_or_two_are_refused() -> None:
    with pytest.raises(ValueError):
        render_form(samples.receipt(), copies=3)


# -- Mẫu 02 to 06 ---------------------------------------------------------------------------------------


def test_supplement_lists_every_gap_at_once(rendered: Rendered) -> None:
    lines = all_lines(rendered[FormKind.SUPPLEMENT])
    assert "Hồ sơ của: Nguyễn Thị Ánh Tuyết" in lines
    assert "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:" in lines
    assert "1. Bản vẽ thiết kế xây dựng" in lines
    assert "2. Bản sao có chứng thực sổ hộ khẩu" in lines
    assert "Lý do: Bản vẽ thiếu chữ ký của chủ đầu tư" in lines
    assert "Thời hạn bổ sung, hoàn thiện hồ sơ: trước ngày 28 tháng 12 năm 2026" in lines
    assert (
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với Lê Thị Hồng Nhung số điện "
        "thoại 0273 3 888 999 để được hướng dẫn." in joined(rendered[FormKind.SUPPLEMENT])
    )
    assert "NGƯỜI HƯỚNG DẪN" in lines


def test_refusal_gives_the_reason(rendered: Rendered) -> None:
    text = joined(rendered[FormKind.REFUSAL])
    assert (
        "Qua xem xét, Bộ phận Tiếp nhận và Trả kết quả thông báo không tiếp nhận, giải quyết hồ sơ này với "
        "lý do cụ thể như sau: Thửa đất nằm trong quy hoạch" in text
    )
    assert f"Mã hồ sơ (nếu có): {samples.CODE}" in all_lines(rendered[FormKind.REFUSAL])


def test_apology_names_the_unit_the_dates_and_the_head(rendered: Rendered) -> None:
    text = joined(rendered[FormKind.APOLOGY])
    assert "Kính gửi: Ông/Bà/Tổ chức Nguyễn Thị Ánh Tuyết" in text
    assert "Ngày 07 tháng 12 năm 2026, Phòng Kinh tế tiếp nhận giải quyết hồ sơ" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 28 tháng 12 năm 2026" in text
    assert (
        "Phòng Kinh tế xin lỗi Ông/Bà/Tổ chức và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà/Tổ chức vào "
        "08 giờ 00 phút, ngày 05 tháng 01 năm 2027." in text
    )
    lines = all_lines(rendered[FormKind.APOLOGY])
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in lines and "Trần Văn Cường" in lines


def test_stop_notice_gives_the_request_date_and_the_refund(rendered: Rendered) -> None:
    text = joined(rendered[FormKind.STOP])
    assert "Ngày 09 tháng 12 năm 2026, Ông/Bà/Tổ chức có yêu cầu dừng giải quyết hồ sơ nêu trên." in text
    assert "Lý do: Gia đình thay đổi thiết kế" in text
    assert "Phí, lệ phí được hoàn trả: 75.000 đồng." in all_lines(rendered[FormKind.STOP])


def test_control_sheet_has_a_row_per_handover_judged_against_its_own_due_time(
    rendered: Rendered,
) -> None:
    lines = all_lines(rendered[FormKind.CONTROL_SHEET])
    assert "Hẹn trả kết quả vào: 16 giờ 00 phút, ngày 28 tháng 12 năm 2026" in lines
    assert "Ngày nhận: 07/12/2026" in lines
    assert "1. Giao: Phòng Kinh tế" in lines and "2. Nhận: Lãnh đạo UBND xã" in lines
    assert "09:00 24/12/2026" in lines
    assert "Quá hạn" in lines and "Hạn: 14:00 23/12/2026" in lines
    # Two recorded handovers and two blank rows to fill by hand.
    assert lines.count("Người giao Người nhận") == 4


# -- Mẫu 07 ---------------------------------------------------------------------------------------------


def test_register_runs_over_numbered_landscape_pages_with_the_header_repeated() -> None:
    data = render_register(samples.register(60))
    pages = page_lines(data)
    assert len(pages) >= 3
    for number, (lines, page) in enumerate(zip(pages, pdf_pages(data), strict=True), start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(landscape(A4))
        assert f"Trang {number}/{len(pages)}" in lines
        assert "Mã hồ sơ" in lines and "Ký nhận" in lines, f"table header missing on page {number}"
    assert pages[0][: len(HEADER) - 1] == HEADER[:-1]
    assert "SỔ THEO DÕI HỒ SƠ" in pages[0]
    assert "Từ ngày 01/12/2026 đến ngày 31/12/2026" in pages[0]
    text = " ".join(all_lines(data))
    for row in samples.register_rows(60):
        assert row.code in text, "every code on one line"
    assert "Nguyễn Văn Ất 60" in text
    assert all(embedded for _, embedded in fonts(data))


def test_register_extra_columns_and_an_empty_period() -> None:
    extra = all_lines(render_register(samples.register(3, extra_columns=True)))
    assert "Số bộ" in extra and "Trước hạn" in extra
    empty = all_lines(render_register(samples.register(0)))
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ." in empty


# -- the barcode itself ---------------------------------------------------------------------------------


def test_code128_takes_ascii_only() -> None:
    assert set(code128_modules(samples.CODE)) == {"0", "1"}
    with pytest.raises(ValueError):
        code128_modules("HỒ-SƠ")
    with pytest.raises(ValueError):
        code128_modules("")
