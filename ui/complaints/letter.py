"""The apology letter on screen (QPdfView) and on paper. ``print_letter`` is the one door to the
printer: tests replace it, so no print dialog ever opens in a test."""

from __future__ import annotations

from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from ui.pdf_print import load_pdf
from ui.shipping import printing as shipping_print


def print_letter(pdf: bytes, title: str) -> bool:
    """Send the letter to the default printer; False when there is none."""
    return shipping_print.print_pdf(pdf, title)


class LetterPreviewDialog(QDialog):
    """The letter as it will print; opened with ``open()``, never ``exec()``."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("apologyLetterPreview")
        self.setWindowTitle(title)
        self.pdf, self.title = pdf, title
        self.printed: bool | None = None
        self.document = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setObjectName("apologyPdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(self.tr("Print"), self)
        self.print_button.setObjectName("printLetterButton")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_now)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(560, 760)

    def print_now(self) -> None:
        self.printed = print_letter(self.pdf, self.title)
