"""Labels and receiving slips on paper or on screen.

``send_to_printer`` is the one door to the printer (tests replace it). The label printer is
chosen per station (``LABEL_PRINTER``; empty: the system's default printer). The preview shows
the same PDF in a ``QPdfView``.
"""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ui.pdf_print import load_pdf, print_pdf
from ui.settings import LABEL_PRINTER, PRINT_LABELS

__all__ = ["LABEL_PRINTER", "PRINT_LABELS", "PdfPreviewDialog", "printer_names", "send_to_printer"]


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def send_to_printer(pdf: bytes, title: str) -> bool:
    """Print every page at its own size on the station's label printer; False if there is none."""
    return print_pdf(pdf, title, LABEL_PRINTER.get())


class PdfPreviewDialog(QDialog):
    """A label or a slip as it will print; opened with ``open()``, with a Print button."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receivingPdfPreview")
        self.setWindowTitle(title)
        self.pdf = pdf
        self.document = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setObjectName("receivingPdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = buttons.addButton(
            self.tr("Print"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setObjectName("previewPrintButton")
        self.print_button.clicked.connect(lambda: send_to_printer(self.pdf, title))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(520, 640)
