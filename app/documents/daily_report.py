"""The daily report (服务站日报) as a landscape A4 PDF, in Chinese: the figures of the day of each
center in one table, then each center's complaints handled that day with their results
(:mod:`app.headquarters.daily_report`; the CJK font embedded as a subset, like every document)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.documents.fitting import clean
from app.documents.fonts import cjk_font
from app.headquarters.daily_export import (
    COMPLAINT_COLUMNS,
    FIGURE_COLUMNS,
    complaint_row,
    figure_row,
)
from app.headquarters.daily_report import DailyReport

MARGIN = 12 * mm
WIDTH_MM = 273  # landscape A4 less the margins


def _text(value: object) -> str:
    return escape(clean(str(value))).replace("\n", "<br/>")


def _table(header: list[str], rows: list[list[str]], widths_mm: list[float]) -> Flowable:
    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5, wordWrap="CJK")
    body = [[Paragraph(_text(value), cell) for value in row] for row in rows] or [
        [Paragraph("无", cell)] + [""] * (len(header) - 1)
    ]
    heads = [Paragraph(_text(text), cell) for text in header]
    table = Table([heads, *body], colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EE")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#AAAAAA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _widths(columns: tuple) -> list[float]:
    """The Excel columns' widths scaled to the page."""
    chosen = [column.width for column in columns]
    return [WIDTH_MM * width / sum(chosen) for width in chosen]


# The complaints' columns after the center's code, in millimetres (a number on one line).
COMPLAINT_WIDTHS_MM: list[float] = [31, 26, 18, 11, 18, 13, 14, 49, 49, 44]


def daily_report_pdf(reports: list[DailyReport], title: str = "服务站日报") -> bytes:
    font = cjk_font()
    heading = ParagraphStyle("title", fontName=font, fontSize=15, leading=21, alignment=1)
    section = ParagraphStyle("section", fontName=font, fontSize=11, leading=15, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    days = sorted({report.day for report in reports})
    day_text = "、".join(f"{day:%Y年%m月%d日}" for day in days)
    made = reports[0].made_at.astimezone(reports[0].zone) if reports else None
    story: list[Flowable] = [
        Paragraph(_text(f"{title}({day_text})"), heading),
        Paragraph(_text(f"生成时间:{made:%Y-%m-%d %H:%M}" if made else ""), body),
        Spacer(1, 2 * mm),
        Paragraph("一、当日指标", section),
        _table(
            [column.header for column in FIGURE_COLUMNS],
            [
                [str(row[0]), str(row[1]), f"{row[2]:%Y-%m-%d}", *(str(v) for v in row[3:])]
                for row in map(figure_row, reports)
            ],
            _widths(FIGURE_COLUMNS),
        ),
        Paragraph("二、当日投诉处理结果", section),
    ]
    for report in reports:
        story.append(Paragraph(_text(f"{report.code} {report.name}"), body))
        story.append(
            _table(
                [column.header for column in COMPLAINT_COLUMNS[1:]],
                [
                    [str(value) for value in complaint_row(report, result)[1:]]
                    for result in report.complaints
                ],
                COMPLAINT_WIDTHS_MM,
            )
        )
        story.append(Spacer(1, 3 * mm))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
    )
    document.build(story)
    return out.getvalue()
