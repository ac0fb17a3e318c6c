"""Labels and receiving slips on paper or on screen.

``send_to_printer`` (labels: the station's label printer) and ``send_to_document_printer``
(receiving slips: its A4 document printer) are the doors to the printers (tests replace them).
A label printer set to take ZPL gets the label in ZPL, raw (``label_for_printer`` /
``send_label``); previews are always the PDF.
The preview is :class:`ui.widgets.pdf_preview.PdfPreviewDialog` with the right door behind its
Print button. ``label_stock``/``label_dpi`` say what to lay the labels out for.
"""

from __future__ import annotations

from app.context import Context
from app.documents.roles import DocumentKind, PrinterRole
from ui.pdf_print import label_in_zpl, print_document, role_printer, send
from ui.settings import LABEL_PRINTER, PRINT_LABELS

__all__ = [
    "LABEL_PRINTER",
    "PRINT_LABELS",
    "label_layout",
    "label_for_printer",
    "label_printer_name",
    "send_label",
    "send_to_document_printer",
    "send_to_printer",
]


def send_to_printer(pdf: bytes, title: str) -> bool:
    """Labels on the station's label printer, each page at its size; False if there is none."""
    return print_document(pdf, title, DocumentKind.ORDER_LABEL)


def send_to_document_printer(pdf: bytes, title: str) -> bool:
    """A receiving slip on the station's A4 printer (never the label printer)."""
    return print_document(pdf, title, DocumentKind.RECEIVING_SLIP)


def label_for_printer(ctx: Context, order_ids: list[int]) -> bytes:
    """The labels as this station's label printer takes them: ZPL or a PDF."""
    from app.receiving.order_labels import order_labels_pdf, order_labels_zpl

    if label_in_zpl(DocumentKind.ORDER_LABEL):
        return order_labels_zpl(ctx, order_ids, *label_layout())
    return order_labels_pdf(ctx, order_ids, *label_layout())


def send_label(data: bytes, title: str) -> bool:
    """Labels made by ``label_for_printer`` to the label printer; False if there is none."""
    if label_in_zpl(DocumentKind.ORDER_LABEL):
        return send(data, title, DocumentKind.ORDER_LABEL)
    return send_to_printer(data, title)


def label_printer_name() -> str:
    return LABEL_PRINTER.get()


def label_layout() -> tuple[tuple[int, int] | None, int]:
    """(label stock in mm or None for the center's, dpi) of this station's label printer."""
    from ui.pdf_print import label_stock

    return label_stock(), role_printer(PrinterRole.LABEL).dpi or 203
