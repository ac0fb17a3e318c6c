"""PDFs on paper: every page printed at its own page size (labels, waybills, slips, letters,
timelines), rendered at 300 dpi. One implementation; each desk's module decides which printer
(and is the one function its tests replace)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

PRINT_DPI = 300


def load_pdf(pdf: bytes, parent: QWidget | None) -> QPdfDocument:
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # the document reads from it as long as it lives
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_pdf(pdf: bytes, title: str, printer_name: str = "") -> bool:
    """Print on the named printer (empty: the system's default); False if there is none."""
    info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo.defaultPrinter()
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
