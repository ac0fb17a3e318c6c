"""Labels and receiving slips on paper or on screen.

``send_to_printer`` is the one door to the printer (tests replace it). The label printer is
chosen per station (``LABEL_PRINTER``; empty: the system's default printer). The preview is
:class:`ui.widgets.pdf_preview.PdfPreviewDialog` with this door behind its Print button.
"""

from __future__ import annotations

from ui.pdf_print import print_pdf
from ui.settings import LABEL_PRINTER, PRINT_LABELS

__all__ = ["LABEL_PRINTER", "PRINT_LABELS", "send_to_printer"]


def send_to_printer(pdf: bytes, title: str) -> bool:
    """Print every page at its own size on the station's label printer; False if there is none."""
    return print_pdf(pdf, title, LABEL_PRINTER.get())
