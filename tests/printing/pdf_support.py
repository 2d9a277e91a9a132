"""Reading a PDF back the way a person or a scanner would: its text, its pages as pixels, its codes."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pypdfium2
import zxingcpp
from PIL import Image

SCAN_DPI = 300
"""stack-notes.md: at 150 dpi and below a 25-character Code 128 does not decode."""


def pdf_pages(data: bytes) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def page_lines(data: bytes) -> list[list[str]]:
    """Each page's extracted text as stripped lines, non-breaking spaces read as spaces."""
    pages = []
    for page in pdf_pages(data):
        text = page.extract_text()
        assert text == unicodedata.normalize("NFC", text), "extracted text is not NFC"
        pages.append([" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()])
    return pages


def all_lines(data: bytes) -> list[str]:
    return [line for page in page_lines(data) for line in page]


def page_images(data: bytes, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """Pages rendered by PDFium and flattened onto white paper (its renders are transparent)."""
    document = pypdfium2.PdfDocument(data)
    images = []
    for page in document:
        rendered = page.render(scale=dpi / 72).to_pil().convert("RGBA")
        paper = Image.new("RGBA", rendered.size, "white")
        images.append(Image.alpha_composite(paper, rendered).convert("L"))
    return images


def decoded_codes(image: Image.Image) -> dict[str, list[str]]:
    """Every barcode zxing-cpp finds on a page, by format name ("Code128", "QRCode")."""
    found: dict[str, list[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        name = str(result.format).split(".")[-1].replace(" ", "")
        found.setdefault(name, []).append(result.text)
    return found


def fonts(data: bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) of every font any page uses."""
    seen: dict[str, bool] = {}
    for page in pdf_pages(data):
        resources = page.get("/Resources")
        if resources is None or "/Font" not in resources:
            continue
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            seen[str(font.get("/BaseFont"))] = embedded
    return sorted(seen.items())
