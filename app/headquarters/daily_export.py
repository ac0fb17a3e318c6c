"""The daily report to Excel: one sheet of each center's figures of the day, one of every complaint
handled that day with its result (the ledgers' writer: Chinese headers, ready to print —
landscape, one page wide, the header row repeated on every page)."""

from __future__ import annotations

from pathlib import Path

from app.headquarters.daily_report import ComplaintResult, DailyReport
from app.ledgers.columns import Column, Kind
from app.vocabulary import chinese

FIGURE_COLUMNS = (
    Column("中心代码", width=10),
    Column("中心名称", width=20),
    Column("日期", Kind.DATE, 11),
    Column("收件数", Kind.INT, 9),
    Column("发出数", Kind.INT, 9),
    Column("质检中", Kind.INT, 9),
    Column("超期未修复", Kind.INT, 11),
    Column("投诉登记", Kind.INT, 9),
    Column("有效投诉", Kind.INT, 9),
    Column("回访完成", Kind.INT, 9),
    Column("回访待办", Kind.INT, 9),
)
COMPLAINT_COLUMNS = (
    Column("中心代码", width=10),
    Column("投诉单号", width=18),
    Column("受理时间", width=17),
    Column("客户", width=12),
    Column("等级", width=6),
    Column("类别", width=12),
    Column("有效投诉", width=9),
    Column("状态", width=9),
    Column("当日处理", width=34),
    Column("处理结果", width=34),
    Column("总部答复", width=34),
)


def figure_row(report: DailyReport) -> tuple[object, ...]:
    f = report.figures
    return (
        report.code,
        report.name,
        report.day,
        f.received,
        f.shipped,
        f.in_qc,
        f.overdue,
        f.complaints,
        f.valid_complaints,
        f.follow_ups_done,
        f.follow_ups_open,
    )


def done_text(result: ComplaintResult) -> str:
    return "、".join(chinese(action) for action in result.done)


def hq_text(result: ComplaintResult) -> str:
    if result.hq_answer is None:
        return ""
    decision = chinese(result.hq_decision) if result.hq_decision else ""
    return f"{decision}:{result.hq_answer}" if decision else result.hq_answer


def complaint_row(report: DailyReport, result: ComplaintResult) -> tuple[object, ...]:
    """One complaint's line, its time on the center's own clock."""
    return (
        report.code,
        result.complaint_no,
        f"{result.received_at.astimezone(report.zone):%Y-%m-%d %H:%M}",
        result.customer,
        f"{result.grade.value}级",
        chinese(result.category),
        "是" if result.is_valid else "否",
        chinese(result.status),
        done_text(result),
        result.result,
        hq_text(result),
    )


def export_daily_reports(reports: list[DailyReport], path: Path) -> Path:
    """Write the reports (one center's, or every center's) to ``path``."""
    # openpyxl loads with the first sheet written, not with the pages that show these rows
    from app.ledgers.xlsx import SheetWriter, new_workbook, period_text, save, write_rows

    days = sorted({report.day for report in reports})
    period = period_text(days[0], days[-1]) if days else ""
    workbook = new_workbook()
    write_rows(
        SheetWriter(workbook, "服务站日报", "当日指标", FIGURE_COLUMNS, period),
        (figure_row(report) for report in reports),
    )
    write_rows(
        SheetWriter(workbook, "当日投诉处理结果", "投诉处理结果", COMPLAINT_COLUMNS, period),
        (complaint_row(report, result) for report in reports for result in report.complaints),
    )
    return save(workbook, path)
