"""Which printer each document goes to. A station has up to three printers, each with a role:
the label printer (repair-order labels, on its label stock at 203 or 300 dpi), the waybill
printer (100 × 150 mm waybill labels) and the document printer (A4: receiving slips, packing
lists, letters, timelines). The rule lives here, once; ``ui.pdf_print`` only carries it out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum


class PrinterRole(StrEnum):
    LABEL = "label"
    WAYBILL = "waybill"
    DOCUMENT = "document"


ROLE_NAMES = {
    PrinterRole.LABEL: "标签打印机",
    PrinterRole.WAYBILL: "面单打印机",
    PrinterRole.DOCUMENT: "文档打印机 (A4)",
}


class DocumentKind(StrEnum):
    ORDER_LABEL = "order_label"
    RECEIVING_SLIP = "receiving_slip"
    WAYBILL_LABEL = "waybill_label"
    PACKING_LIST = "packing_list"
    APOLOGY_LETTER = "apology_letter"
    TIMELINE = "timeline"


ROLE_OF: dict[DocumentKind, PrinterRole] = {
    DocumentKind.ORDER_LABEL: PrinterRole.LABEL,
    DocumentKind.RECEIVING_SLIP: PrinterRole.DOCUMENT,
    DocumentKind.WAYBILL_LABEL: PrinterRole.WAYBILL,
    DocumentKind.PACKING_LIST: PrinterRole.DOCUMENT,
    DocumentKind.APOLOGY_LETTER: PrinterRole.DOCUMENT,
    DocumentKind.TIMELINE: PrinterRole.DOCUMENT,
}

WAYBILL_STOCK_MM = (100, 150)
A4_MM = (210, 297)


@dataclass(frozen=True)
class RolePrinter:
    """One of a station's printers: its system name ("" = the system's default printer), the
    paper it holds and, for a thermal printer, its resolution."""

    role: PrinterRole
    name: str
    paper_mm: tuple[int, int]
    dpi: int | None  # None: the document printer renders at its own resolution

    def takes(self, page_mm: tuple[float, float]) -> bool:
        """Whether a page of that size belongs on this printer's paper (1 mm of slack): an A4
        slip never comes out of a 60 × 40 mm label printer."""
        width, height = self.paper_mm
        page = sorted(page_mm)
        return page[0] <= min(width, height) + 1 and page[1] <= max(width, height) + 1


def printer_test_page_pdf(printer: RolePrinter) -> bytes:
    """One page at the printer's paper size: its role, name, paper and resolution, a frame
    1 mm inside the edge and a barcode at the printer's resolution, to check it all in one look."""
    from reportlab.pdfgen.canvas import Canvas  # reportlab loads with the first document

    from app.documents.barcodes import MM, PRINTER_DPIS, plan_code128
    from app.documents.fitting import fit_fields
    from app.documents.fonts import cjk_font
    from app.documents.order_label import LONGEST_ORDER_NO

    width, height = printer.paper_mm[0] * MM, printer.paper_mm[1] * MM
    dpi = printer.dpi or max(PRINTER_DPIS)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(f"测试页 {ROLE_NAMES[printer.role]}")
    canvas.setCreator("RepairFloor")
    canvas.rect(1 * MM, 1 * MM, width - 2 * MM, height - 2 * MM)
    plan = plan_code128(LONGEST_ORDER_NO, width - 4 * MM, dpi)
    bar_height = min(12 * MM, height / 4)
    plan.draw(canvas, (width - plan.width_pt) / 2, height - 3 * MM - bar_height, bar_height)
    font = cjk_font()
    lines = [
        f"RepairFloor 测试页 · {ROLE_NAMES[printer.role]}",
        f"打印机 {printer.name or '系统默认打印机'}",
        f"纸张 {printer.paper_mm[0]} × {printer.paper_mm[1]} mm"
        + (f" · {printer.dpi} dpi · 条码模块 {plan.module_mm:.3f} mm" if printer.dpi else ""),
    ]
    top = height - 4 * MM - bar_height
    fitted = fit_fields(lines, font, width - 6 * MM, top - 3 * MM, max_size=12, min_size=5)
    canvas.setFont(font, fitted.size)
    y = top - fitted.size
    for field in fitted.lines:
        for line in field:
            canvas.drawString(3 * MM, y, line)
            y -= fitted.leading
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
