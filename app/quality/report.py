"""The monthly quality report to engineering (联络函): per model, the month's returns and
the rates of the units sold in the last twelve months, the top faults and parts, the alarms,
the reworks, the QC fail reasons and the typical fault descriptions. One read gathers the
figures (each a GROUP BY); :func:`report_workbook` writes them to Excel and
:mod:`app.documents.quality_report` to a Chinese PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import settings
from app.context import Context
from app.ledgers.columns import Column, Kind
from app.localtime import center_zone
from app.models import AgingRun, ProductModel, QcResult, RepairOrder, Unit
from app.permissions import Permission
from app.quality.alarms import AlarmRow, read_alarms
from app.quality.detector import month_index, month_start
from app.quality.rates import ModelRates, read_model_rates
from app.vocabulary import chinese

if TYPE_CHECKING:  # openpyxl loads with the first workbook written, not with the quality page
    from openpyxl import Workbook

TOP = 5
RATE_MONTHS = 12  # the rates are of the units sold in the twelve months up to the report's


@dataclass(frozen=True)
class QualityReport:
    center: str
    model_code: str
    model_name: str
    month: date  # the first day of the month reported
    returns_in_month: int  # repair orders received in the month (reworks apart)
    reworks_in_month: int
    rates: ModelRates
    alarms: tuple[AlarmRow, ...]
    qc_fail_reasons: tuple[tuple[str, int], ...]
    descriptions: tuple[tuple[str, int], ...]  # the customers' own words, most frequent first

    @property
    def qc_fails(self) -> int:
        return sum(n for _, n in self.qc_fail_reasons)


def _bounds(month: date) -> tuple[datetime, datetime]:
    zone = center_zone()
    first = datetime.combine(month, time(), zone)
    following = datetime.combine(month_start(month_index(month) + 1), time(), zone)
    return first, following


def quality_report(ctx: Context, model_code: str, month: date) -> QualityReport:
    """The report of ``model_code`` for the month of ``month``."""
    ctx.require(Permission.VIEW_LEDGERS)
    month = month.replace(day=1)
    with ctx.db.read() as session:
        return read_report(session, model_code, month)


def read_report(session: Session, model_code: str, month: date) -> QualityReport:
    first, following = _bounds(month)
    of_model = (
        select()
        .select_from(RepairOrder)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(
            ProductModel.code == model_code,
            RepairOrder.received_at >= first,
            RepairOrder.received_at < following,
        )
    )
    counts = dict(
        (bool(rework), int(n))
        for rework, n in session.execute(
            of_model.add_columns(RepairOrder.is_rework, func.count()).group_by(
                RepairOrder.is_rework
            )
        )
    )
    descriptions = session.execute(
        of_model.add_columns(RepairOrder.fault_description, func.count())
        .where(RepairOrder.is_rework.is_(False), RepairOrder.fault_description != "")
        .group_by(RepairOrder.fault_description)
        .order_by(func.count().desc(), RepairOrder.fault_description)
        .limit(TOP)
    ).all()
    fails = session.execute(
        select(AgingRun.fail_reason, func.count())
        .select_from(AgingRun)
        .join(RepairOrder, RepairOrder.id == AgingRun.order_id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(
            ProductModel.code == model_code,
            AgingRun.result == QcResult.FAIL,
            AgingRun.signed_at >= first,
            AgingRun.signed_at < following,
        )
        .group_by(AgingRun.fail_reason)
        .order_by(func.count().desc(), AgingRun.fail_reason)
    ).all()
    last_day = date.fromordinal(month_start(month_index(month) + 1).toordinal() - 1)
    rates = read_model_rates(
        session,
        model_code,
        month_start(month_index(month) - RATE_MONTHS + 1),
        last_day,
        following,
    )
    alarms = read_alarms(
        session, include_closed=True, model_code=model_code, detected_before=following
    )
    return QualityReport(
        settings.get(session, settings.CENTER_NAME),
        model_code,
        rates.model_name,
        month,
        counts.get(False, 0),
        counts.get(True, 0),
        rates,
        tuple(alarms),
        tuple((reason or "未注明", int(n)) for reason, n in fails),
        tuple((text, int(n)) for text, n in descriptions),
    )


def _sheet(
    workbook: Workbook,
    title: str,
    name: str,
    columns: list[Column],
    period: str,
    rows: list[list[Any]],
) -> None:
    from app.ledgers.xlsx import SheetWriter

    writer = SheetWriter(workbook, title, name, columns, period)
    for row in rows:
        writer.append(row)
    writer.finish()


def report_workbook(report: QualityReport, path: Path) -> Path:
    """The report as an Excel workbook: one sheet per table of the PDF."""
    from app.ledgers.xlsx import new_workbook, period_text, save

    workbook = new_workbook()
    last = month_start(month_index(report.month) + 1)
    period = period_text(report.month, date.fromordinal(last.toordinal() - 1))
    title = f"{report.model_name}({report.model_code})质量月报"
    rates = report.rates
    _sheet(
        workbook,
        title,
        "概况",
        [Column("项目", width=28), Column("数值", Kind.INT, 12)],
        period,
        [
            ["本月返修台数", report.returns_in_month],
            ["本月返工台数", report.reworks_in_month],
            ["本月老化测试不合格", report.qc_fails],
            ["近十二个月销售台数", rates.sold],
            ["其中返修台数", rates.returned],
            ["无销售记录的返修台数", rates.unknown_population],
            ["预警条数", len(report.alarms)],
        ],
    )
    share_columns = [
        Column("代码", width=14),
        Column("名称", width=28),
        Column("返修台数", Kind.INT, 12),
        Column("返修率", Kind.PERCENT, 12),
    ]
    _sheet(
        workbook,
        title,
        "按销售月份",
        [
            Column("销售月份", Kind.DATE, 14),
            Column("销售台数", Kind.INT, 12),
            Column("返修台数", Kind.INT, 12),
            Column("返修率", Kind.PERCENT, 12),
        ],
        period,
        [[c.sale_month, c.sold, c.returned, c.rate] for c in rates.cohorts],
    )
    _sheet(
        workbook,
        title,
        "故障代码",
        share_columns,
        period,
        [[s.key, s.name, s.returned, s.rate] for s in rates.faults],
    )
    _sheet(
        workbook,
        title,
        "更换配件",
        share_columns,
        period,
        [[s.key, s.name, s.returned, s.rate] for s in rates.parts],
    )
    _sheet(
        workbook,
        title,
        "质量预警",
        [
            Column("销售月份", Kind.DATE, 14),
            Column("故障", width=24),
            Column("实际返修", Kind.INT, 12),
            Column("预期返修", width=12),
            Column("预警时间", Kind.DATETIME, 18),
            Column("状态", width=12),
            Column("处理说明", width=40),
        ],
        period,
        [
            [
                a.sale_month,
                f"{a.fault_code} {a.fault_text}",
                a.observed,
                f"{a.expected:.1f}",
                a.since,
                chinese(a.status),
                a.close_note or a.acknowledge_note or "",
            ]
            for a in report.alarms
        ],
    )
    _sheet(
        workbook,
        title,
        "老化不合格原因",
        [Column("原因", width=32), Column("次数", Kind.INT, 10)],
        period,
        [list(row) for row in report.qc_fail_reasons],
    )
    _sheet(
        workbook,
        title,
        "典型故障描述",
        [Column("客户描述", width=48), Column("台数", Kind.INT, 10)],
        period,
        [list(row) for row in report.descriptions],
    )
    return save(workbook, path)


def write_report_files(ctx: Context, model_code: str, month: date, folder: Path) -> list[Path]:
    """The report of ``model_code`` for ``month`` as a PDF and a workbook in ``folder``."""
    from app.documents.quality_report import quality_report_pdf  # reportlab loads here

    report = quality_report(ctx, model_code, month)
    stem = f"质量月报_{model_code}_{report.month:%Y%m}"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{stem}.pdf"
    pdf.write_bytes(quality_report_pdf(report))
    return [pdf, report_workbook(report, folder / f"{stem}.xlsx")]
