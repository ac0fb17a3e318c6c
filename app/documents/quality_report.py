"""The monthly quality report to engineering (质量月报 / 联络函) as an A4 PDF, in Chinese:
the figures of :class:`app.quality.report.QualityReport`, table by table."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.documents.fitting import clean
from app.documents.fonts import cjk_font
from app.quality.report import TOP, QualityReport
from app.vocabulary import chinese

MARGIN = 15 * mm
WIDTH_MM = 180


def _text(value: object) -> str:
    return escape(clean(str(value))).replace("\n", "<br/>")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def _table(header: list[str], rows: list[list[str]], widths_mm: list[float]) -> Flowable:
    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=11, wordWrap="CJK")
    body = [[Paragraph(_text(value), cell) for value in row] for row in rows] or [
        [Paragraph("无", cell)] + [""] * (len(header) - 1)
    ]
    table = Table([header, *body], colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EE")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#AAAAAA")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def quality_report_pdf(report: QualityReport) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    heading = ParagraphStyle("heading", fontName=font, fontSize=11.5, leading=16, spaceBefore=8)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    rates = report.rates
    story: list[Flowable] = [
        Paragraph(_text(f"{report.center} 质量月报(联络函)"), title),
        Paragraph(
            _text(f"机型:{report.model_name}({report.model_code})  月份:{report.month:%Y年%m月}"),
            body,
        ),
        Spacer(1, 3 * mm),
        Paragraph("一、概况", heading),
        Paragraph(
            _text(
                f"本月返修 {report.returns_in_month} 台,返工 {report.reworks_in_month} 台,"
                f"老化测试不合格 {report.qc_fails} 次。近十二个月销售 {rates.sold} 台,"
                f"其中返修 {rates.returned} 台,返修率 {_percent(rates.rate)};"
                f"另有 {rates.unknown_population} 台返修机器无销售记录(不计入返修率)。"
            ),
            body,
        ),
        Paragraph("二、按销售月份的返修率", heading),
        _table(
            ["销售月份", "销售台数", "返修台数", "返修率"],
            [
                [f"{c.sale_month:%Y-%m}", str(c.sold), str(c.returned), _percent(c.rate)]
                for c in rates.cohorts
            ],
            [45, 45, 45, 45],
        ),
        Paragraph(f"三、主要故障(前{TOP}项)", heading),
        _table(
            ["故障代码", "故障", "返修台数", "返修率"],
            [[s.key, s.name, str(s.returned), _percent(s.rate)] for s in rates.faults[:TOP]],
            [30, 80, 35, 35],
        ),
        Paragraph(f"四、主要更换配件(前{TOP}项)", heading),
        _table(
            ["配件编号", "配件名称", "台数", "占销售"],
            [[s.key, s.name, str(s.returned), _percent(s.rate)] for s in rates.parts[:TOP]],
            [35, 75, 35, 35],
        ),
        Paragraph("五、质量预警", heading),
        _table(
            ["销售月份", "故障", "实际/预期", "预警时间", "状态", "处理说明"],
            [
                [
                    f"{a.sale_month:%Y-%m}",
                    f"{a.fault_code} {a.fault_text}",
                    f"{a.observed} / {a.expected:.1f}",
                    f"{a.since:%Y-%m-%d}",
                    chinese(a.status),
                    a.close_note or a.acknowledge_note or "",
                ]
                for a in report.alarms
            ],
            [22, 36, 24, 24, 24, 50],
        ),
        Paragraph("六、老化测试不合格原因", heading),
        _table(["原因", "次数"], [[r, str(n)] for r, n in report.qc_fail_reasons], [140, 40]),
        Paragraph("七、典型故障描述(客户原话)", heading),
        _table(["描述", "台数"], [[d, str(n)] for d, n in report.descriptions], [140, 40]),
        Spacer(1, 8 * mm),
        Paragraph("请工程部分析原因并反馈改进措施。", body),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="质量月报",
    )
    document.build(story)
    return out.getvalue()
