"""The repair-order label stuck on each unit at receiving: Code 128 of the order number, model,
serial, date and the fault in Chinese. Laid out for the label stock of the station's label
printer (60 × 40, 50 × 30, 100 × 150 mm or any size between) at its resolution: the barcode on
the printer's dot grid (:mod:`app.documents.barcodes`), every field fitted to what is left."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.documents.barcodes import MM, plan_code128
from app.documents.fitting import fit_fields
from app.documents.fonts import cjk_font
from app.localtime import local_text

DESIGN_SIZE_MM = (60, 40)
SIZES_MM = ((60, 40), (50, 30), (100, 150))  # the stock the floor buys; others lay out alike
DEFAULT_DPI = 203
EDGE = 1 * MM  # the quiet zones may run this close to the label's edge
MARGIN = 2 * MM
MIN_TEXT_SIZE = 5.0
LONGEST_ORDER_NO = "RO2026112400017"  # a day past 9999 orders still fits (app.numbering)


@dataclass(frozen=True)
class LabelData:
    order_no: str
    model_name: str
    serial: str
    received_at: datetime
    fault: str
    customer: str = ""
    flags: str = ""  # e.g. "返修" / "保内"


def check_design(size_mm: tuple[int, int], dpi: int) -> None:
    """Refuse label stock on which the longest order number would not scan (InvalidInput)."""
    plan_code128(LONGEST_ORDER_NO, size_mm[0] * MM - 2 * EDGE, dpi)


def draw_label(canvas: Canvas, label: LabelData, size_mm: tuple[int, int], dpi: int) -> None:
    """One label on a page of exactly ``size_mm``, unscaled (the bars stay on the dot grid)."""
    width, height = size_mm[0] * MM, size_mm[1] * MM
    font = cjk_font()
    plan = plan_code128(label.order_no, width - 2 * EDGE, dpi)
    bar_height = min(max(0.28 * height, 8 * MM), 25 * MM)
    top = height - MARGIN
    plan.draw(canvas, (width - plan.width_pt) / 2, top - bar_height, bar_height)
    number_size = min(max(height / MM * 0.22, 7.0), 14.0)
    while stringWidth(label.order_no, "Helvetica-Bold", number_size) > width - 2 * MARGIN:
        number_size -= 0.25
    y = top - bar_height - number_size - 0.6 * MM
    canvas.setFont("Helvetica-Bold", number_size)
    canvas.drawCentredString(width / 2, y, label.order_no)
    fields = [
        f"{label.model_name}  {label.flags}".strip(),
        f"序列号 {label.serial}",
        f"收货 {local_text(label.received_at)}  {label.customer}".strip(),
        f"故障 {label.fault or '-'}",
    ]
    box_top = y - 0.8 * MM
    fitted = fit_fields(
        fields,
        font,
        width - 2 * MARGIN,
        box_top - MARGIN,
        max_size=min(max(height / MM * 0.19, 7.5), 13.0),
        min_size=MIN_TEXT_SIZE,
        leading=1.18,
    )
    canvas.setFont(font, fitted.size)
    line_y = box_top - fitted.size
    for lines in fitted.lines:
        for line in lines:
            canvas.drawString(MARGIN, line_y, line)
            line_y -= fitted.leading


def label_pdf(
    labels: list[LabelData], size_mm: tuple[int, int] = DESIGN_SIZE_MM, dpi: int = DEFAULT_DPI
) -> bytes:
    """One page per label at the label stock's size, for a printer of ``dpi`` dots per inch."""
    page = (size_mm[0] * MM, size_mm[1] * MM)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, pageCompression=1)
    canvas.setTitle("维修单标签")
    canvas.setCreator("RepairFloor")
    for label in labels:
        draw_label(canvas, label, (size_mm[0], size_mm[1]), dpi)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
