"""The waybill PDF on paper or on screen.

``print_pdf`` is the one door to the printer (tests replace it): the packing table has one
label printer set as the default, so it prints without a dialog. The preview shows the same
PDF in a ``QPdfView``.
"""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ui import pdf_print
from ui.pdf_print import load_pdf


def print_pdf(pdf: bytes, title: str) -> bool:
    """Print every page on the default printer at its own page size; False if there is none."""
    return pdf_print.print_pdf(pdf, title)


class WaybillPreviewDialog(QDialog):
    """The label and the packing list as they will print; opened with ``open()``."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waybillPreview")
        self.setWindowTitle(title)
        self.document = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setObjectName("waybillPdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(520, 720)
