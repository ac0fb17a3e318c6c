"""Reading PDFs back: their text, and the barcodes in their rendering."""

from __future__ import annotations

import io

import pypdfium2
import zxingcpp
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts used, with '+' subset prefixes kept (they prove embedding)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def pdf_barcodes(pdf: bytes, dpi: int = 300) -> list[tuple[str, str]]:
    """(format, text) of every barcode found on every page."""
    found: list[tuple[str, str]] = []
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=dpi / 72).to_pil()
        found += [(result.format.name, result.text) for result in zxingcpp.read_barcodes(image)]
    document.close()
    return found


def printed_pages(pdf: bytes, dpi: int) -> list:
    """Each page as a thermal printer at ``dpi`` lays it: rendered by PDFium at that resolution,
    then thresholded to 1 bit (a dot is black or not)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = [
        page.render(scale=dpi / 72, grayscale=True)
        .to_pil()
        .convert("L")
        .point(lambda value: 255 if value >= 128 else 0, mode="1")
        for page in document
    ]
    document.close()
    return pages


def printed_barcodes(pdf: bytes, dpi: int) -> list[list[tuple[str, str]]]:
    """(format, text) of the barcodes decoded on each page as printed at ``dpi``."""
    return [
        sorted((result.format.name, result.text) for result in zxingcpp.read_barcodes(page))
        for page in printed_pages(pdf, dpi)
    ]


def text_boxes(pdf: bytes, text: str) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page, (left, bottom, right, top) in points) of every character of each place ``text``
    is found, and the page size last: PDFium's text page."""
    document = pypdfium2.PdfDocument(pdf)
    found: list[tuple[int, tuple[float, float, float, float]]] = []
    for number, page in enumerate(document):
        textpage = page.get_textpage()
        searcher = textpage.search(text)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            found += [(number, textpage.get_charbox(start + i)) for i in range(count)]
    document.close()
    return found


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    document = pypdfium2.PdfDocument(pdf)
    sizes = [page.get_size() for page in document]
    document.close()
    return sizes


def column_text(pdf: bytes, left: float, right: float) -> str:
    """The text between two x positions (points) on every page, page after page: one table
    column read down, even where its rows go on over a page."""
    document = pypdfium2.PdfDocument(pdf)
    parts = []
    for page in document:
        height = page.get_size()[1]
        text = page.get_textpage().get_text_bounded(left, 0, right, height)
        parts.append(text.replace("\x02", "-"))  # PDFium's mark for a hyphen ending a line
    document.close()
    return "\n".join(parts)
