"""Labels and receiving slips on paper or on screen.

``send_to_printer`` is the one door to the printer (tests replace it). The label printer is
chosen per station (``LABEL_PRINTER``; empty: the system's default printer). The preview shows
the same PDF in a ``QPdfView``.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ui.settings import Option

LABEL_PRINTER = Option("receiving/label_printer", "")  # printer name; "" = system default
PRINT_LABELS = Option("receiving/print_labels", True)  # False: labels wait for a preview
PRINT_DPI = 300


def load_pdf(pdf: bytes, parent: QWidget | None) -> QPdfDocument:
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # the document reads from it as long as it lives
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def printer_names() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def send_to_printer(pdf: bytes, title: str) -> bool:
    """Print every page at its own size on the station's label printer; False if there is none."""
    name = LABEL_PRINTER.get()
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        return False
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setResolution(PRINT_DPI)
    document = load_pdf(pdf, None)
    try:
        painter: QPainter | None = None
        for page in range(document.pageCount()):
            points = document.pagePointSize(page)
            printer.setPageLayout(
                QPageLayout(
                    QPageSize(QSizeF(points), QPageSize.Unit.Point),
                    QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0),
                )
            )
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
