"""The repair-order label stuck on each unit at receiving: Code 128 of the order number, model,
serial, date and the fault in Chinese. Laid out for 60 × 40 mm and scaled to the center's label
stock (the ``print.label_size`` setting), centred on the page."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import cjk_font
from app.localtime import local_text

DESIGN_SIZE_MM = (60, 40)  # the layout below; other sizes scale it


@dataclass(frozen=True)
class LabelData:
    order_no: str
    model_name: str
    serial: str
    received_at: datetime
    fault: str
    customer: str = ""
    flags: str = ""  # e.g. "返修" / "保内"


def _fit(text: str, font: str, size: float, width: float, canvas: Canvas) -> str:
    """Cut text to the width (with an ellipsis) rather than running off the label."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def draw_label(canvas: Canvas, label: LabelData, origin: tuple[float, float] = (0, 0)) -> None:
    x0, y0 = origin
    width, height = DESIGN_SIZE_MM[0] * mm, DESIGN_SIZE_MM[1] * mm
    margin = 2.5 * mm
    font = cjk_font()
    inner = width - 2 * margin
    barcode = Code128(
        label.order_no, barHeight=12 * mm, barWidth=0.28 * mm, humanReadable=False, quiet=False
    )
    scale = min(1.0, inner / barcode.width)
    canvas.saveState()
    canvas.translate(
        x0 + margin + (inner - barcode.width * scale) / 2, y0 + height - margin - 12 * mm
    )
    canvas.scale(scale, 1)
    barcode.drawOn(canvas, 0, 0)
    canvas.restoreState()
    y = y0 + height - margin - 12 * mm - 3.8 * mm
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawCentredString(x0 + width / 2, y, label.order_no)
    lines = [
        f"{label.model_name}  {label.flags}".strip(),
        f"序列号 {label.serial}",
        f"收货 {local_text(label.received_at)}  {label.customer}".strip(),
        f"故障 {label.fault or '-'}",
    ]
    size = 7.5
    for line in lines:
        y -= size + 2.2
        canvas.setFont(font, size)
        canvas.drawString(x0 + margin, y, _fit(line, font, size, inner, canvas))


def label_pdf(labels: list[LabelData], size_mm: tuple[int, int] = DESIGN_SIZE_MM) -> bytes:
    """One page per label, at the label stock's size: what a label printer expects."""
    page = (size_mm[0] * mm, size_mm[1] * mm)
    scale = min(size_mm[0] / DESIGN_SIZE_MM[0], size_mm[1] / DESIGN_SIZE_MM[1])
    offset = (
        (page[0] - DESIGN_SIZE_MM[0] * mm * scale) / 2,
        (page[1] - DESIGN_SIZE_MM[1] * mm * scale) / 2,
    )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, pageCompression=1)
    canvas.setTitle("维修单标签")
    canvas.setCreator("RepairFloor")
    for label in labels:
        canvas.saveState()
        canvas.translate(*offset)
        canvas.scale(scale, scale)
        draw_label(canvas, label)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
