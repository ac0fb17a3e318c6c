"""The apology letter on paper. ``print_letter`` is the one door to the printer: tests replace it,
so no print dialog ever opens in a test. On screen the letter shows in
:class:`ui.widgets.pdf_preview.PdfPreviewDialog`, with this door behind its Print button."""

from __future__ import annotations

from app.documents.roles import DocumentKind
from ui.pdf_print import print_document


def print_letter(pdf: bytes, title: str) -> bool:
    """Send the letter to the station's A4 document printer; False when there is none."""
    return print_document(pdf, title, DocumentKind.APOLOGY_LETTER)
