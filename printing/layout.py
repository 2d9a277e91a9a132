"""The one layout engine of the forms: page, shared header, fields, lists, tables, signatures, marks.

Every form is a list of flowables built with a ``FormWriter`` and turned into PDF bytes by ``build_pdf``.
The shared header (forms.md "Common header") and the page marks (form number, "Bản in lại", copy label,
page numbers) live only here, so the seven forms differ only in their body.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from counter_app.domain.forms import FormKind, IssuingUnit, PaperSize, place_and_date, short_time
from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts

BLANK = "…………………"
"""What a form prints where a value is unknown: a dotted space to fill in by hand, as on paper forms."""


@dataclass(frozen=True)
class Page:
    """A page format and the type sizes that fit it (A5 is A4 scaled by about 0.7)."""

    size: tuple[float, float]
    margins: tuple[float, float, float, float]  # left, right, top, bottom
    font_size: float
    leading: float

    @property
    def body_width(self) -> float:
        return self.size[0] - self.margins[0] - self.margins[1]


PAGES = {
    PaperSize.A4: Page(A4, (20 * mm, 15 * mm, 14 * mm, 12 * mm), 10, 13.4),
    PaperSize.A5: Page(A5, (12 * mm, 10 * mm, 10 * mm, 9 * mm), 7, 9.3),
}
REGISTER_PAGE = Page(landscape(A4), (12 * mm, 12 * mm, 12 * mm, 14 * mm), 7.5, 9.5)


def text(value: object) -> str:
    """A value made safe for paragraph markup; an empty value becomes the dotted blank."""
    shown = "" if value is None else str(value).strip()
    return escape(shown) if shown else BLANK


def cell_text(value: object) -> str:
    """A table cell's value made safe for markup; empty stays empty (a register's unfilled column)."""
    return "" if value is None else escape(str(value).strip())


@dataclass(frozen=True)
class PageMarks:
    """What is drawn on every page outside the flowing body."""

    form: FormKind
    reprinted_at: datetime | None = None
    copy_labels: tuple[str, ...] = ()  # one per copy, printed at the foot of that copy's pages
    page_numbers: bool = False


class FormWriter:
    """Builds the flowables of a form body in the house style for one page format."""

    def __init__(self, page: Page) -> None:
        register_fonts()
        self.page = page
        size, leading = page.font_size, page.leading
        self.body = ParagraphStyle(
            "body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=size, leading=leading, spaceAfter=1.5
        )
        self.centre = ParagraphStyle("centre", parent=self.body, alignment=TA_CENTER, spaceAfter=0)
        self.header_style = ParagraphStyle("header", parent=self.centre, fontSize=size * 0.95)
        self.centre_bold = ParagraphStyle("centre_bold", parent=self.centre, fontName=BOLD)
        self.centre_italic = ParagraphStyle("centre_italic", parent=self.centre, fontName=ITALIC)
        self.title_style = ParagraphStyle(
            "title", parent=self.centre_bold, fontSize=size * 1.25, leading=leading * 1.3, spaceAfter=2
        )
        self.cell = ParagraphStyle(
            "cell", fontName=REGULAR, fontSize=size * 0.92, leading=leading * 0.88, alignment=TA_LEFT
        )
        self.cell_centre = ParagraphStyle("cell_centre", parent=self.cell, alignment=TA_CENTER)
        self.head_cell = ParagraphStyle("head_cell", parent=self.cell_centre, fontName=BOLD)
        self.item = ParagraphStyle("item", parent=self.body, leftIndent=size * 1.6, bulletIndent=size * 0.4)

    # -- the shared header --------------------------------------------------------------------------

    def header(self, unit: IssuingUnit, issued_on: date, number: str = "Số: …/…") -> Flowable:
        """Two columns: the unit (left) and the national motto with the place and date (right)."""
        width = self.page.body_width
        unit_name = unit.unit_name.upper()
        left_width = min(width * 0.46, 100 * mm)
        left = [
            Paragraph(text(unit.managing_authority.upper()), self.header_style),
            Paragraph(f"<b>{text(unit_name)}</b>", self.header_style),
            Rule(min(stringWidth(unit_name, BOLD, self.header_style.fontSize), left_width) * 0.4),
            Spacer(1, 2),
            Paragraph(escape(number), self.centre),
        ]
        motto = "Độc lập - Tự do - Hạnh phúc"
        right = [
            Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", self.header_style),
            Paragraph(f"<b>{motto}</b>", self.header_style),
            Rule(stringWidth(motto, BOLD, self.header_style.fontSize)),
            Paragraph(f"<i>{text(place_and_date(unit.place_name, issued_on))}</i>", self.centre),
        ]
        return grid(
            [[left, right]],
            [left_width, width - left_width],
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        )

    # -- body pieces --------------------------------------------------------------------------------

    def title(self, title: str, *subtitles: str) -> list[Flowable]:
        parts: list[Flowable] = [
            Spacer(1, self.page.leading * 0.8),
            Paragraph(escape(title), self.title_style),
        ]
        parts += [Paragraph(markup, self.centre) for markup in subtitles]
        parts.append(Spacer(1, self.page.leading * 0.5))
        return parts

    def field(self, label: str, value: object, *, bold: bool = False) -> Paragraph:
        """``Label: value`` on one paragraph (wrapping under itself when long)."""
        shown = text(value)
        return Paragraph(f"{escape(label)}: {f'<b>{shown}</b>' if bold else shown}", self.body)

    def fields(self, *pairs: tuple[str, object]) -> Paragraph:
        """Several short ``Label: value`` pairs on one line, as the forms put phone and e-mail."""
        gap = "&#160;" * 6
        return Paragraph(gap.join(f"{escape(label)}: {text(value)}" for label, value in pairs), self.body)

    def line(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.body)

    def numbered(self, items: Sequence[str]) -> list[Flowable]:
        if not items:
            return [Paragraph(BLANK, self.item)]
        return [
            Paragraph(text(item), self.item, bulletText=f"{index}.")
            for index, item in enumerate(items, start=1)
        ]

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        centred: Sequence[int] = (),
        repeat_head: bool = True,
    ) -> Table:
        """A ruled table of paragraphs; its header row repeats on every page it runs onto."""
        body = [
            [
                value
                if isinstance(value, Flowable)
                else Paragraph(cell_text(value), self.cell_centre if column in centred else self.cell)
                for column, value in enumerate(row)
            ]
            for row in rows
        ]
        data: list[list[Any]] = [[Paragraph(escape(h), self.head_cell) for h in head], *body]
        return grid(
            data,
            widths,
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            repeat_rows=1 if repeat_head else 0,
        )

    def signatures(self, *blocks: tuple[str, str], hint: str = "(Ký và ghi rõ họ tên)") -> Flowable:
        """Signature blocks side by side: the signer's title in bold, the hint, room, the printed name.

        A block with an empty title stays empty: it keeps a lone signer in the right half, as on paper.
        """
        width = self.page.body_width / len(blocks)
        cells = [
            [
                Paragraph(f"<b>{escape(title)}</b>", self.centre),
                Paragraph(f"<i>{escape(hint)}</i>" if title else "", self.centre),
                Spacer(1, self.page.leading * 3.5),
                Paragraph(f"<b>{escape(name)}</b>" if name.strip() else "", self.centre),
            ]
            for title, name in blocks
        ]
        table = grid([cells], [width] * len(blocks), ("VALIGN", (0, 0), (-1, -1), "TOP"))
        return KeepTogether([Spacer(1, self.page.leading * 0.6), table])

    def side_by_side(self, left: Sequence[Flowable], right: Sequence[Flowable], right_width: float) -> Table:
        """Text on the left, a code (QR, VietQR) on the right, top-aligned."""
        width = self.page.body_width
        return grid(
            [[list(left), list(right)]],
            [width - right_width, right_width],
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        )


def grid(
    rows: list[list[Any]], widths: Sequence[float], *commands: tuple[Any, ...], repeat_rows: int = 0
) -> Table:
    """A platypus table whose cells default to the product's font.

    A table sets its cells' font before drawing them, Helvetica unless told otherwise, and that leaves a
    non-embedded Helvetica in the PDF even when every cell holds a paragraph: hence this one constructor.
    """
    table = Table(rows, colWidths=list(widths), repeatRows=repeat_rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands]))
    return table


class Rule(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The short centred rule under the unit's name and under the motto."""

    def __init__(self, length: float) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.available = available_width
        return available_width, 6

    def draw(self) -> None:
        start = (self.available - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, 2, start + self.length, 2)


class _CopyMarker(Flowable):  # type: ignore[misc]
    """Invisible: tells the page decorator which copy the following pages belong to."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._form_copy = self.index


def _marking_canvas(marks: PageMarks, page: Page) -> type[Canvas]:
    """A canvas class that draws the page marks once the page count is known (for ``Trang i/n``)."""

    class MarkingCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._form_copy = 0

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append({**self.__dict__, "_page_copy": self._form_copy})
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_marks(number, total, state["_page_copy"])
                super().showPage()
            super().save()

        def _draw_marks(self, number: int, total: int, copy_index: int) -> None:
            width, height = page.size
            left, right, top, bottom = page.margins
            small = page.font_size * 0.85
            self.saveState()
            self.setFont(ITALIC, small)
            self.drawRightString(width - right, height - top * 0.55, f"Mẫu số {marks.form.value}")
            if marks.reprinted_at is not None:
                self.setFont(BOLD, small)
                self.setFillColorRGB(0.55, 0, 0)
                self.drawString(left, height - top * 0.55, f"Bản in lại lúc {short_time(marks.reprinted_at)}")
                self.setFillColorRGB(0, 0, 0)
            self.setFont(REGULAR, small)
            if marks.copy_labels:
                self.drawString(left, bottom * 0.45, marks.copy_labels[copy_index])
            if marks.page_numbers:
                self.drawRightString(width - right, bottom * 0.45, f"Trang {number}/{total}")
            self.restoreState()

    return MarkingCanvas


def build_pdf(page: Page, copies: Sequence[list[Flowable]], marks: PageMarks, *, title: str) -> bytes:
    """The PDF of one or more copies of a form body, each copy starting on a new page.

    Invariant mode leaves out the creation date and random file id: the same form gives the same bytes,
    which keeps reprints comparable and tests stable.
    """
    register_fonts()
    buffer = io.BytesIO()
    left, right, top, bottom = page.margins
    document = BaseDocTemplate(
        buffer,
        pagesize=page.size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author="One-Stop Counter",
        creator="One-Stop Counter",
        invariant=1,
        initialFontName=REGULAR,
        lang="vi-VN",
    )
    frame = Frame(
        left,
        bottom,
        page.body_width,
        page.size[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    story: list[Flowable] = []
    for index, body in enumerate(copies):
        if index:
            story.append(PageBreak())
        story.append(_CopyMarker(index))
        story.extend(body)
    document.build(story, canvasmaker=_marking_canvas(marks, page))
    return buffer.getvalue()
