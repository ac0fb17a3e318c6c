"""The one PDF preview of the application: a document as it will print, every page in a
``QPdfView``. Labels and receiving slips, waybills with their packing lists, apology letters and
order timelines all show here. Paper is :func:`ui.pdf_print.print_pdf`, reached through each
desk's own printer door (the function its tests replace), given as ``print_with``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from ui.pdf_print import load_pdf

PrinterDoor = Callable[[bytes, str], bool]  # (pdf, title) -> False when no printer answered


class PdfPreviewDialog(QDialog):
    """Opened with ``open()``, never ``exec()``. With ``print_with`` it has a Print button, and
    ``printed`` keeps the printer door's last answer."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        parent: QWidget | None = None,
        *,
        print_with: PrinterDoor | None = None,
        object_name: str = "pdfPreview",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.pdf, self.title = pdf, title
        self.printed: bool | None = None
        self._print_with = print_with
        from PySide6.QtPdfWidgets import QPdfView  # loaded with the first preview

        self.document = load_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfPreviewView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setDocument(self.document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button: QPushButton | None = None
        if print_with is not None:
            self.print_button = QPushButton(self.tr("Print"), self)
            self.print_button.setObjectName("previewPrintButton")
            buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.print_button.clicked.connect(self.print_now)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(520, 720)

    def page_count(self) -> int:
        """Pages in the view (0 if the PDF could not be read)."""
        document = self.view.document()
        return document.pageCount() if document is not None else 0

    def print_now(self) -> None:
        if self._print_with is not None:
            self.printed = self._print_with(self.pdf, self.title)
