"""The A4 packing list that goes in the parcel (on the station's document printer): one row per
unit, every cell wrapped in its column, the table split across pages with its header repeated.
``packing_list_pdf(data, label_dpi=...)`` puts the waybill label in front, for the preview."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from app.documents.fitting import clean
from app.documents.fonts import cjk_font
from app.documents.waybill import LABEL_SIZE, WaybillData, draw_label

MARGIN = 15 * mm
COLUMNS_MM = (34, 34, 38, 22, 52)  # 180 mm: A4 less the margins


def _text(value: str) -> str:
    return escape(clean(value)).replace("\n", "<br/>")


def _story(data: WaybillData) -> list[Flowable]:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=20, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=11, wordWrap="CJK")
    receiver = data.receiver
    header = ["维修单号", "机型", "序列号/IMEI", "处理结果", "随机附件"]
    rows: list[list[object]] = [header] + [
        [
            Paragraph(_text(text or "-"), cell)
            for text in (line.order_no, line.model, line.serial, line.result, line.accessories)
        ]
        for line in data.lines
    ]
    table = Table(rows, colWidths=[width * mm for width in COLUMNS_MM], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#AAAAAA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [
        Paragraph("装箱清单", title),
        Spacer(1, 5 * mm),
        Paragraph(
            f"发货单号 {_text(data.shipment_no)}    运单号 {_text(data.carrier)} "
            f"{_text(data.waybill_no)}",
            body,
        ),
        Paragraph(
            f"收件人 {_text(receiver.name)} {_text(receiver.phone)}  {_text(receiver.address)}",
            body,
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 10 * mm),
        Paragraph(f"共 {len(data.lines)} 台    打包人签字:__________    客户签收:__________", body),
    ]


def packing_list_pdf(data: WaybillData, label_dpi: int | None = None) -> bytes:
    """The packing list (with ``label_dpi``: after the waybill label, drawn for that printer)."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"装箱清单 {clean(data.shipment_no)}",
        creator="RepairFloor",
    )
    a4 = PageTemplate(
        "a4",
        [Frame(MARGIN, MARGIN, A4[0] - 2 * MARGIN, A4[1] - 2 * MARGIN, id="list")],
        pagesize=A4,
    )
    story = _story(data)
    if label_dpi is None:
        document.addPageTemplates([a4])
    else:

        def draw(canvas: Canvas, _document: BaseDocTemplate) -> None:
            canvas.saveState()
            draw_label(canvas, data, label_dpi)
            canvas.restoreState()

        label = PageTemplate(
            "label", [Frame(0, 0, 1, 1, id="none")], pagesize=LABEL_SIZE, onPage=draw
        )
        document.addPageTemplates([label, a4])
        story = [NextPageTemplate("a4"), PageBreak(), *story]
    document.build(story)
    return buffer.getvalue()
