"""The receiving slip printed when a box is closed: what arrived, against what was declared.

A4 on the station's document printer. Every text is a wrapped paragraph (escaped: a fault that
reads ``<b>`` prints as typed), the table repeats its header on each page and a row longer than a
page (a 5,000-character fault) continues on the next: no text makes the slip fail to build."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.documents.barcodes import BarcodePlan, plan_code128
from app.documents.fitting import clean, wrap
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


class Barcode(Flowable):
    """A Code 128 on the printer's dot grid (page coordinates: a frame moves only by whole
    points, so the bars are snapped where they are drawn)."""

    def __init__(self, plan: BarcodePlan, height: float) -> None:
        super().__init__()
        self.plan, self.height = plan, height
        self.width = plan.width_pt

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 0)
        canvas.saveState()
        canvas.translate(-x, -y)  # back to page coordinates, where the dot grid is
        self.plan.draw(canvas, x, y, self.height)
        canvas.restoreState()


def _text(value: str) -> str:
    """Plain text inside a Paragraph (which reads markup): escaped, line breaks kept."""
    return escape(clean(value)).replace("\n", "<br/>")


CELL_SIZE = 8.5
CELL_PADDING = 6  # points, reportlab's default left and right padding of a table cell
COLUMN_WIDTHS = (10 * mm, 32 * mm, 25 * mm, 32 * mm, 40 * mm, 28 * mm, 14 * mm)


def _cell_text(value: str, font: str, width: float) -> str:
    """A cell's text broken into lines that fit its column (closing punctuation such as ！ or ）
    stays on its word's line, never hanging past the column's edge), for a Paragraph."""
    lines = wrap(value, font, CELL_SIZE, width - 2 * CELL_PADDING)
    return "<br/>".join(escape(line) for line in lines)


def receiving_slip_pdf(slip: ReceivingSlip, dpi: int = 300) -> bytes:
    """The slip for a printer of ``dpi`` dots per inch (the barcode's bars on its dots)."""
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=CELL_SIZE, leading=10.5, wordWrap="CJK")
    scanned = len(slip.lines)
    story: list = [
        Paragraph(f"{_text(slip.center_name)} 收货单", title),
        Spacer(1, 4 * mm),
        Barcode(plan_code128(slip.waybill_no, 120 * mm, dpi), 10 * mm),
        Paragraph(f"来件运单 {_text(slip.waybill_no)}({_text(slip.carrier)})", body),
        Paragraph(f"寄件方 {_text(slip.sender)}  收货员 {_text(slip.clerk)}", body),
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
        story.append(Paragraph(f"差异说明:{_text(slip.difference_note)}(需联系客户)", body))
    story.append(Spacer(1, 4 * mm))
    header = ["序号", "维修单号", "机型", "序列号/IMEI", "故障描述", "随机附件", "标记"]
    rows = [header] + [
        [
            str(i),
            *(
                Paragraph(_cell_text(text or "-", font, width), cell)
                for text, width in zip(
                    (
                        line.order_no,
                        line.model_name,
                        line.serial,
                        line.fault,
                        line.accessories,
                        line.flags,
                    ),
                    COLUMN_WIDTHS[1:],
                    strict=True,
                )
            ),
        ]
        for i, line in enumerate(slip.lines, start=1)
    ]
    table = Table(
        rows,
        repeatRows=1,
        splitInRow=1,
        colWidths=list(COLUMN_WIDTHS),
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8899AA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
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
        title=f"收货单 {clean(slip.waybill_no)}",
        creator="RepairFloor",
    )
    document.build(story)
    return buffer.getvalue()
