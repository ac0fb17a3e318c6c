"""The waybill PDF on paper or on screen.

``print_pdf`` is the one door to the printer (tests replace it): the packing table has one
label printer set as the default, so it prints without a dialog. The preview is
:class:`ui.widgets.pdf_preview.PdfPreviewDialog`.
"""

from __future__ import annotations

from ui import pdf_print


def print_pdf(pdf: bytes, title: str) -> bool:
    """Print every page on the default printer at its own page size; False if there is none."""
    return pdf_print.print_pdf(pdf, title)
