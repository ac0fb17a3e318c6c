"""The waybill PDF on paper or on screen.

``print_pdf`` is the one door to the printers (tests replace it): the waybill's first page (the
100 × 150 mm label) goes to the station's waybill printer, the packing list after it to the A4
document printer; no dialog. The preview is :class:`ui.widgets.pdf_preview.PdfPreviewDialog`.
"""

from __future__ import annotations

from app.documents.roles import DocumentKind, PrinterRole
from ui import pdf_print


def print_pdf(pdf: bytes, title: str) -> bool:
    """Label to the waybill printer, packing list to the document printer; False if either
    printer is missing."""
    pages = pdf_print.load_pdf(pdf, None)
    count = pages.pageCount()
    pages.close()
    pages.deleteLater()
    printed = pdf_print.print_document(pdf, title, DocumentKind.WAYBILL_LABEL, pages=[0])
    if count > 1:
        rest = range(1, count)
        printed = pdf_print.print_document(pdf, title, DocumentKind.PACKING_LIST, rest) and printed
    return printed


def waybill_dpi() -> int:
    """The waybill printer's resolution: the label is drawn for it."""
    return pdf_print.role_printer(PrinterRole.WAYBILL).dpi or 203
