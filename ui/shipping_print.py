"""The waybill PDF on paper or on screen.

``print_pdf`` is the one door to the printer (tests replace it): the packing table has one
label printer set as the default, so it prints without a dialog. The preview shows the same
PDF in a ``QPdfView``.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

PRINT_DPI = 300


def _load(pdf: bytes, parent: QWidget | QDialog | None) -> QPdfDocument:
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # the document reads from it as long as it lives
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_pdf(pdf: bytes, title: str) -> bool:
    """Print every page on the default printer at its own page size; False if there is none."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if not printer.isValid():
        return False
    printer.setDocName(title)
    printer.setResolution(PRINT_DPI)
    document = _load(pdf, None)
    try:
        painter: QPainter | None = None
        for page in range(document.pageCount()):
            points = document.pagePointSize(page)
            layout = QPageLayout(
                QPageSize(QSizeF(points), QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
            printer.setPageLayout(layout)
            if painter is None:
                painter = QPainter()
                if not painter.begin(printer):
                    return False
            else:
                printer.newPage()
            pixels = QSize(
                round(points.width() * PRINT_DPI / 72), round(points.height() * PRINT_DPI / 72)
            )
            painter.drawImage(
                printer.pageRect(QPrinter.Unit.DevicePixel), document.render(page, pixels)
            )
        if painter is not None:
            painter.end()
        return True
    finally:
        document.close()
        document.deleteLater()


class WaybillPreviewDialog(QDialog):
    """The label and the packing list as they will print; opened with ``open()``."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waybillPreview")
        self.setWindowTitle(title)
        self.document = _load(pdf, self)
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
