"""Labels and receiving slips on paper or on screen.

``send_to_printer`` (labels: the station's label printer) and ``send_to_document_printer``
(receiving slips: its A4 document printer) are the doors to the printers (tests replace them).
The preview is :class:`ui.widgets.pdf_preview.PdfPreviewDialog` with the right door behind its
Print button. ``label_stock``/``label_dpi`` say what to lay the labels out for.
"""

from __future__ import annotations

from app.documents.roles import DocumentKind, PrinterRole
from ui.pdf_print import print_document, role_printer
from ui.settings import LABEL_PRINTER, PRINT_LABELS

__all__ = [
    "LABEL_PRINTER",
    "PRINT_LABELS",
    "label_layout",
    "label_printer_name",
    "send_to_document_printer",
    "send_to_printer",
]


def send_to_printer(pdf: bytes, title: str) -> bool:
    """Labels on the station's label printer, each page at its size; False if there is none."""
    return print_document(pdf, title, DocumentKind.ORDER_LABEL)


def send_to_document_printer(pdf: bytes, title: str) -> bool:
    """A receiving slip on the station's A4 printer (never the label printer)."""
    return print_document(pdf, title, DocumentKind.RECEIVING_SLIP)


def label_printer_name() -> str:
    return LABEL_PRINTER.get()


def label_layout() -> tuple[tuple[int, int] | None, int]:
    """(label stock in mm or None for the center's, dpi) of this station's label printer."""
    from ui.pdf_print import label_stock

    return label_stock(), role_printer(PrinterRole.LABEL).dpi or 203
