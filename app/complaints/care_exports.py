"""The customer-care sheets finance and the manager read, as Excel files (openpyxl): the
satisfaction figures against the target, and the monthly accountability sheet."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from app.complaints import survey
from app.context import Context
from app.localtime import local_text

SATISFACTION_HEADERS = (
    "月份",
    "维修技师",
    "机型",
    "回访调查数",
    "完全满意数",
    "满意率",
    "目标",
    "达标",
)


def export_satisfaction(ctx: Context, path: Path, since: datetime, until: datetime) -> int:
    """The satisfaction figures per month, technician and model (and each month's total);
    returns the number of rows written."""
    from openpyxl import Workbook  # imported on first use: not with the complaints tab
    from openpyxl.styles import Font

    rows, target = survey.satisfaction(ctx, since, until)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "满意度"
    sheet.append(SATISFACTION_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    months: dict[str, list[int]] = {}
    for row in rows:
        sheet.append(
            _line(row.month, row.technician, row.model, row.surveys, row.fully_satisfied, target)
        )
        total = months.setdefault(row.month, [0, 0])
        total[0] += row.surveys
        total[1] += row.fully_satisfied
    for month, (surveys, satisfied) in sorted(months.items()):
        sheet.append(_line(month, "合计", "", surveys, satisfied, target))
    for column, width in zip("ABCDEFGH", (10, 14, 16, 12, 12, 10, 8, 8), strict=True):
        sheet.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(rows) + len(months)


def _line(
    month: str, technician: str, model: str, surveys: int, satisfied: int, target: int
) -> tuple[object, ...]:
    rate = satisfied / surveys if surveys else 0.0
    return (
        month,
        technician,
        model,
        surveys,
        satisfied,
        round(rate, 4),
        target / 100,
        "是" if rate * 100 >= target else "否",
    )


SHEET_HEADERS = (
    "责任人",
    "工号",
    "部门",
    "投诉编号",
    "等级",
    "规则",
    "承担人",
    "扣款金额(元)",
    "取消满意度提成",
    "更正行",
    "备注",
)
STEP_WORDS = ("责任人", "直接上级", "上级的上级")


def export_sheet(ctx: Context, month: str, path: Path) -> int:
    """The month's accountability sheet for finance: one row per line, each person's total, the
    approval (or 未审批); returns the number of lines."""
    from openpyxl import Workbook  # imported on first use: not with the complaints tab
    from openpyxl.styles import Font

    from app.complaints import accountability

    found = accountability.sheet(ctx, month)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"责任考核{month}"
    sheet.append((f"{month} 客怨责任考核表",))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(SHEET_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    totals: dict[tuple[str, str], int] = {}
    for line in found.lines:
        step = STEP_WORDS[line.step] if line.step < len(STEP_WORDS) else f"上级{line.step}"
        sheet.append(
            (
                line.person,
                line.staff_code,
                line.department or "",
                line.complaint_no,
                line.grade,
                line.rule_code or "",
                step,
                Decimal(line.amount_cents) / 100,
                "是" if line.cancels_commission else "",
                line.corrects_id or "",
                line.note or "",
            )
        )
        key = (line.person, line.staff_code)
        totals[key] = totals.get(key, 0) + line.amount_cents
    sheet.append(())
    for (person, code), cents in sorted(totals.items()):
        sheet.append((person, code, "", "", "", "", "合计", Decimal(cents) / 100))
    if found.approved_at is not None:
        approval = f"总经理审批:{found.approved_by} {local_text(found.approved_at)}"
    else:
        approval = "未审批"
    sheet.append(())
    sheet.append((approval,))
    for column, width in zip(
        "ABCDEFGHIJK", (10, 10, 12, 18, 6, 10, 10, 12, 12, 8, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(found.lines)
