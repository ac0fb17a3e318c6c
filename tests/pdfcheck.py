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
