"""PDFs on paper: each document on its role's printer (``app.documents.roles``: labels on the
label printer, waybills on the waybill printer, A4 on the document printer), every page at its own
size, rendered at the printer's own resolution (a thermal label printer's 203 or 300 dpi: the
barcodes were drawn on its dot grid). One implementation; each desk's module is the door its
tests replace. ``open_printer`` is the one place a QPrinter is made (tests put a sink there)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QWidget

from app.documents.roles import (
    A4_MM,
    ROLE_OF,
    WAYBILL_STOCK_MM,
    DocumentKind,
    PrinterRole,
    RolePrinter,
)
from app.setting_types import LabelSizeSetting
from ui.settings import (
    DOCUMENT_PRINTER,
    LABEL_DPI,
    LABEL_LANGUAGE,
    LABEL_PRINTER,
    LABEL_STOCK,
    WAYBILL_DPI,
    WAYBILL_PRINTER,
)

if TYPE_CHECKING:  # QtPdf and QtPrintSupport load when a document is first shown or printed
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

log = logging.getLogger(__name__)
POINTS_PER_MM = 72 / 25.4
DEFAULT_LABEL_STOCK_MM = (60, 40)
MAX_DOCUMENT_DPI = 600


def load_pdf(pdf: bytes, parent: QWidget | None) -> QPdfDocument:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # the document reads from it as long as it lives
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def label_stock(center_default: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The label stock in this station's label printer; None: the center's (``print.label_size``)."""
    return parse_stock(LABEL_STOCK.get()) or center_default


def parse_stock(text: str) -> tuple[int, int] | None:
    """``"60x40"`` as (60, 40); None for "" or what does not read."""
    match = LabelSizeSetting.PATTERN.fullmatch(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def role_printer(role: PrinterRole) -> RolePrinter:
    """This station's printer for ``role``, as set in its printer settings."""
    if role is PrinterRole.LABEL:
        stock = label_stock() or DEFAULT_LABEL_STOCK_MM
        return RolePrinter(role, LABEL_PRINTER.get(), stock, LABEL_DPI.get())
    if role is PrinterRole.WAYBILL:
        return RolePrinter(role, WAYBILL_PRINTER.get(), WAYBILL_STOCK_MM, WAYBILL_DPI.get())
    return RolePrinter(role, DOCUMENT_PRINTER.get(), A4_MM, None)


def open_printer(name: str) -> QPrinter | None:
    """The named printer (empty: the system's default); None when there is none."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        return None
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_document(
    pdf: bytes, title: str, kind: DocumentKind, pages: Sequence[int] | None = None
) -> bool:
    """Print ``kind`` on its role's printer; False when there is none or a page is not for its
    paper (an A4 page is never sent to a label printer)."""
    printer = role_printer(ROLE_OF[kind])
    return print_pdf(pdf, title, printer.name, dpi=printer.dpi, pages=pages, paper=printer)


def label_in_zpl(kind: DocumentKind) -> bool:
    """Whether ``kind`` goes to this station's label printer as ZPL (its printer role's option)."""
    return ROLE_OF[kind] is PrinterRole.LABEL and LABEL_LANGUAGE.get() == "zpl"


def send(data: bytes, title: str, kind: DocumentKind) -> bool:
    """A document made for its role's printer: ZPL raw to a label printer that takes it (see
    :func:`label_in_zpl`), anything else a PDF through :func:`print_document`."""
    if label_in_zpl(kind):
        from ui import raw_print

        return raw_print.send_raw(role_printer(PrinterRole.LABEL).name, data, title)
    return print_document(data, title, kind)


def print_pdf(
    pdf: bytes,
    title: str,
    printer_name: str = "",
    *,
    dpi: int | None = None,
    pages: Sequence[int] | None = None,
    paper: RolePrinter | None = None,
) -> bool:
    """Print ``pages`` (default all) on the named printer at ``dpi`` (default: the printer's own
    resolution); False if there is none, or a page does not fit ``paper``."""
    from PySide6.QtPrintSupport import QPrinter

    document = load_pdf(pdf, None)
    try:
        chosen = list(range(document.pageCount())) if pages is None else list(pages)
        sizes = [document.pagePointSize(page) for page in chosen]
        if paper is not None:
            for size in sizes:
                page_mm = (size.width() / POINTS_PER_MM, size.height() / POINTS_PER_MM)
                if not paper.takes(page_mm):
                    log.warning(
                        "%s: a %.0f × %.0f mm page is not for the %s printer",
                        title,
                        *page_mm,
                        paper.role,
                    )
                    return False
        printer = open_printer(printer_name)
        if printer is None:
            return False
        printer.setDocName(title)
        # A thermal printer at its own dots; an office printer at its resolution up to 600 dpi
        # (an A4 page at 1200 dpi is a 140-megapixel image for no sharper print).
        printer.setResolution(dpi or min(printer.resolution(), MAX_DOCUMENT_DPI))
        resolution = printer.resolution()
        painter: QPainter | None = None
        for page, points in zip(chosen, sizes, strict=True):
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
                round(points.width() * resolution / 72), round(points.height() * resolution / 72)
            )
            painter.drawImage(
                printer.pageRect(QPrinter.Unit.DevicePixel), document.render(page, pixels)
            )
        if painter is not None:
            painter.end()
        return painter is not None
    finally:
        document.close()
        document.deleteLater()
