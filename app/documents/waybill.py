"""Waybill label (100 × 150 mm: Code 128 of the waybill number, QR of the shipment) followed by
the A4 packing list that goes in the parcel. One PDF, printed or previewed together."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import segno
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.fonts import cjk_font
from app.localtime import local_text

LABEL_SIZE = (100 * mm, 150 * mm)


@dataclass(frozen=True)
class Party:
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class PackingLine:
    order_no: str
    model: str
    serial: str
    result: str  # 已修复 / 未修退回
    accessories: str


@dataclass(frozen=True)
class WaybillData:
    shipment_no: str
    carrier: str
    waybill_no: str
    sender: Party
    receiver: Party
    pieces: int
    weight_grams: int | None
    declared_value: str
    contents: str
    shipped_at: datetime | None
    lines: list[PackingLine] = field(default_factory=list)


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as one filled path: segno encodes in ~2 ms where reportlab's widget
    (encoded twice when it measures itself) took ~25 ms."""
    matrix = segno.make_qr(text, error="m").matrix
    module = size / len(matrix)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + start * module, top, (column - start) * module, module)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _party(
    canvas: Canvas, font: str, title: str, party: Party, x: float, y: float, width: float
) -> float:
    canvas.setFont(font, 8)
    canvas.drawString(x, y, title)
    canvas.setFont(font, 11)
    canvas.drawString(x + 12 * mm, y, f"{party.name}  {party.phone}")
    y -= 5 * mm
    canvas.setFont(font, 9)
    line = ""
    for char in party.address:  # wrap the address by width (Chinese has no spaces)
        if canvas.stringWidth(line + char, font, 9) > width - 12 * mm:
            canvas.drawString(x + 12 * mm, y, line)
            y -= 4.2 * mm
            line = ""
        line += char
    canvas.drawString(x + 12 * mm, y, line)
    return y - 6 * mm


def draw_label(canvas: Canvas, data: WaybillData) -> None:
    font = cjk_font()
    width, height = LABEL_SIZE
    margin = 4 * mm
    canvas.setFont(font, 14)
    canvas.drawString(margin, height - margin - 12, data.carrier)
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(width - margin, height - margin - 10, data.shipment_no)
    barcode = Code128(data.waybill_no, barHeight=18 * mm, barWidth=0.38 * mm, quiet=False)
    barcode.drawOn(canvas, (width - barcode.width) / 2, height - 38 * mm)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawCentredString(width / 2, height - 43 * mm, data.waybill_no)
    canvas.line(margin, height - 46 * mm, width - margin, height - 46 * mm)
    y = _party(canvas, font, "收件人", data.receiver, margin, height - 52 * mm, width - 2 * margin)
    canvas.line(margin, y + 3 * mm, width - margin, y + 3 * mm)
    y = _party(canvas, font, "寄件人", data.sender, margin, y - 2 * mm, width - 2 * margin)
    canvas.setFont(font, 9)
    weight = f"{data.weight_grams / 1000:.2f} kg" if data.weight_grams else "-"
    for text in (
        f"内件 {data.contents}",
        f"件数 {data.pieces}  重量 {weight}  保价 {data.declared_value}",
        f"发货 {local_text(data.shipped_at)}" if data.shipped_at else "待发货",
    ):
        canvas.drawString(margin, y, text)
        y -= 4.6 * mm
    _qr(canvas, data.shipment_no, width - margin - 24 * mm, margin, 24 * mm)
    canvas.setFont(font, 7)
    canvas.drawString(margin, margin + 2 * mm, "扫描二维码核对装箱清单")


def draw_packing_list(canvas: Canvas, data: WaybillData) -> None:
    font = cjk_font()
    width, height = A4
    margin = 15 * mm
    y = height - margin
    canvas.setFont(font, 16)
    canvas.drawCentredString(width / 2, y - 6 * mm, "装箱清单")
    y -= 16 * mm
    canvas.setFont(font, 10)
    for text in (
        f"发货单号 {data.shipment_no}    运单号 {data.carrier} {data.waybill_no}",
        f"收件人 {data.receiver.name} {data.receiver.phone}  {data.receiver.address}",
    ):
        canvas.drawString(margin, y, text)
        y -= 6 * mm
    y -= 3 * mm
    columns = [
        (margin, "维修单号"),
        (margin + 38 * mm, "机型"),
        (margin + 78 * mm, "序列号/IMEI"),
        (margin + 118 * mm, "处理结果"),
        (margin + 140 * mm, "随机附件"),
    ]
    canvas.setFont(font, 9.5)
    for x, title in columns:
        canvas.drawString(x, y, title)
    canvas.line(margin, y - 2 * mm, width - margin, y - 2 * mm)
    y -= 7 * mm
    for line in data.lines:
        if y < margin + 20 * mm:
            canvas.showPage()
            canvas.setFont(font, 9.5)
            y = height - margin
        for (x, _), text in zip(
            columns,
            (line.order_no, line.model, line.serial, line.result, line.accessories or "-"),
            strict=True,
        ):
            canvas.drawString(x, y, text)
        y -= 6 * mm
    canvas.setFont(font, 10)
    canvas.drawString(
        margin,
        max(y - 10 * mm, margin),
        f"共 {len(data.lines)} 台    打包人签字:__________    客户签收:__________",
    )


def _label_canvas(buffer: io.BytesIO, data: WaybillData) -> Canvas:
    canvas = Canvas(buffer, pagesize=LABEL_SIZE, pageCompression=1)
    canvas.setTitle(f"运单 {data.waybill_no}")
    canvas.setCreator("RepairFloor")
    draw_label(canvas, data)
    canvas.showPage()
    return canvas


def waybill_pdf(data: WaybillData) -> bytes:
    buffer = io.BytesIO()
    canvas = _label_canvas(buffer, data)
    canvas.setPageSize(A4)
    draw_packing_list(canvas, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def waybill_label_pdf(data: WaybillData) -> bytes:
    """The label page alone (a label printer takes no A4 page)."""
    buffer = io.BytesIO()
    _label_canvas(buffer, data).save()
    return buffer.getvalue()
