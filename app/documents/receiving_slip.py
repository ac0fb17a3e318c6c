"""The receiving slip printed when a box is closed: what arrived, against what was declared."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.fonts import cjk_font
from app.localtime import local_text


@dataclass(frozen=True)
class SlipLine:
    order_no: str
    model_name: str
    serial: str
    fault: str
    accessories: str
    flags: str


@dataclass(frozen=True)
class ReceivingSlip:
    center_name: str
    waybill_no: str
    carrier: str
    sender: str
    opened_at: datetime
    closed_at: datetime | None
    clerk: str
    declared: int
    lines: list[SlipLine]
    difference_note: str | None


def receiving_slip_pdf(slip: ReceivingSlip) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5)
    scanned = len(slip.lines)
    story: list = [
        Paragraph(f"{slip.center_name} 收货单", title),
        Spacer(1, 4 * mm),
        Code128(slip.waybill_no, barHeight=10 * mm, barWidth=0.3 * mm),
        Paragraph(f"来件运单 {slip.waybill_no}({slip.carrier})", body),
        Paragraph(f"寄件方 {slip.sender}  收货员 {slip.clerk}", body),
        Paragraph(
            f"开箱 {local_text(slip.opened_at)}"
            + (f"  封箱 {local_text(slip.closed_at)}" if slip.closed_at else ""),
            body,
        ),
        Paragraph(
            f"申报数量 {slip.declared}  实收数量 {scanned}"
            + ("" if scanned == slip.declared else f"  <b>差异 {scanned - slip.declared:+d}</b>"),
            body,
        ),
    ]
    if slip.difference_note:
        story.append(Paragraph(f"差异说明:{slip.difference_note}(需联系客户)", body))
    story.append(Spacer(1, 4 * mm))
    header = ["序号", "维修单号", "机型", "序列号/IMEI", "故障描述", "随机附件", "标记"]
    rows = [header] + [
        [
            str(i),
            line.order_no,
            Paragraph(line.model_name, cell),
            line.serial,
            Paragraph(line.fault or "-", cell),
            Paragraph(line.accessories or "-", cell),
            line.flags,
        ]
        for i, line in enumerate(slip.lines, start=1)
    ]
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[10 * mm, 32 * mm, 25 * mm, 32 * mm, 40 * mm, 28 * mm, 14 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8899AA")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 10 * mm),
        Paragraph("收货员签字:____________    寄件方/承运人签字:____________", body),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"收货单 {slip.waybill_no}",
        creator="RepairFloor",
    )
    document.build(story)
    return buffer.getvalue()
