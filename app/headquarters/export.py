"""Headquarters' month to Excel: one sheet of every center's figures, one of the warnings and
their decisions (the ledgers' writer: Chinese headers, real numbers and rates, ready to print)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from app.context import Context
from app.headquarters.warnings import NetworkMonth, network_month_with_warnings
from app.ledgers.xlsx import Column, Kind, SheetWriter, new_workbook, period_text, save, write_rows
from app.models import CenterKind, WarningDecision

KIND_TEXT = {
    CenterKind.HEADQUARTERS: "总部",
    CenterKind.OWN_CENTER: "自营中心",
    CenterKind.AUTHORISED_STATION: "特约服务站",
    CenterKind.AGENT: "代理商售后",
}
DECISION_TEXT = {WarningDecision.PENALTY: "罚款", WarningDecision.REPRIMAND: "通报批评"}

FIGURE_COLUMNS = (
    Column("中心代码", width=10),
    Column("中心名称", width=20),
    Column("类型", width=12),
    Column("收件数", Kind.INT, 9),
    Column("发出数", Kind.INT, 9),
    Column("平均周期(天)", width=12),
    Column("QC一次合格率", Kind.PERCENT, 12),
    Column("返修率", Kind.PERCENT, 9),
    Column("回访率", Kind.PERCENT, 9),
    Column("满意度", Kind.PERCENT, 9),
    Column("A级投诉", Kind.INT, 9),
    Column("B级投诉", Kind.INT, 9),
    Column("C级投诉", Kind.INT, 9),
    Column("10分钟内首次联系", Kind.PERCENT, 14),
    Column("有效投诉", Kind.INT, 9),
)
WARNING_COLUMNS = (
    Column("中心代码", width=10),
    Column("中心名称", width=20),
    Column("月份", width=9),
    Column("有效投诉", Kind.INT, 9),
    Column("警示时间", Kind.DATETIME, 17),
    Column("处理", width=10),
    Column("罚款(元)", Kind.MONEY, 10),
    Column("说明", width=30),
    Column("决定人", width=10),
    Column("批准人", width=10),
    Column("决定时间", Kind.DATETIME, 17),
)


def figure_rows(month: NetworkMonth) -> list[tuple[object, ...]]:
    return [
        (
            row.code,
            row.name,
            KIND_TEXT[row.kind],
            row.kpi.received,
            row.kpi.shipped,
            row.kpi.turnaround_days_mean,
            row.kpi.qc_first_pass_yield,
            row.kpi.rework_rate,
            row.kpi.follow_up_rate,
            row.kpi.satisfaction,
            *row.kpi.complaints_by_grade,
            row.kpi.first_contact_in_time,
            row.kpi.valid_complaints,
        )
        for row in month.centers
    ]


def warning_rows(
    month: NetworkMonth, names: dict[int, tuple[str, str]]
) -> list[tuple[object, ...]]:
    return [
        (
            *names.get(w.station_id, ("?", "?")),
            w.month,
            w.valid_complaints,
            w.raised_at,
            DECISION_TEXT[w.decision] if w.decision else "待处理",
            w.penalty_cents,
            w.note,
            w.decided_by,
            w.approved_by,
            w.decided_at,
        )
        for w in month.warnings
    ]


def export_network_month(ctx: Context, month: date, path: Path) -> Path:
    """Write the month's figures and warnings to ``path`` (headquarters only)."""
    seen = network_month_with_warnings(ctx, month)
    last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    period = period_text(month, last)
    names = {row.center_id: (row.code, row.name) for row in seen.centers}
    workbook = new_workbook()
    write_rows(
        SheetWriter(workbook, "各中心月度指标", "各中心指标", FIGURE_COLUMNS, period),
        figure_rows(seen),
    )
    write_rows(
        SheetWriter(workbook, "有效投诉警示与处理", "警示与处理", WARNING_COLUMNS, period),
        warning_rows(seen, names),
    )
    return save(workbook, path)
