"""Each station's daily report, made from the data: the day's figures as the day stood and every
complaint handled that day with its result; the station reads its own center, headquarters every
center's; Excel and PDF read back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import PASSWORD
from factories import (
    add_model,
    floor_staff,
    move_users,
    receive,
    repair_and_ship,
    settle_a_complaint,
)
from sqlalchemy import select, update

from app import complaints
from app.audit_actions import AuditAction
from app.complaints.escalation import escalate_complaint
from app.errors import PermissionDenied
from app.headquarters.daily_report import DayFigures, network_reports, station_report
from app.headquarters.escalations import answer_escalation, take_escalation
from app.localtime import center_zone
from app.models import (
    Center,
    CenterKind,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    EscalationDecision,
    RepairOrder,
    Role,
)


@pytest.fixture
def day(db, make_user, clock):
    """A day at center 1: two orders received, one shipped; one complaint settled, another
    answered and escalated to headquarters, which answered it."""
    add_model(db)
    floor = floor_staff(db, make_user)
    shipped = receive(floor["clerk"], floor["customer"], 1)
    waiting = receive(floor["clerk"], floor["customer"], 2)
    repair_and_ship(floor, clock, shipped.order_id, PASSWORD)
    settle_a_complaint(db, floor["boss"], floor["boss"], floor["customer"])
    number = complaints.register_complaint(
        floor["boss"],
        customer_id=floor["customer"],
        channel=ComplaintChannel.PHONE,
        description="接待人员态度恶劣",
        customer_request="道歉",
        grade=ComplaintGrade.A,
        category=ComplaintCategory.ATTITUDE,
    )
    with db.read() as session:
        complaint = session.scalar(select(Complaint).where(Complaint.complaint_no == number))
        complaint_id = complaint.id
    complaints.record_answer(floor["boss"], complaint_id, "已电话致歉,明日上门")
    with db.read() as session:
        version = session.get(Complaint, complaint_id).version
    escalation = escalate_complaint(
        floor["boss"], complaint_id, "客户要求总部处理", expected_version=version
    )
    with db.transaction() as session:
        hq = Center(code="HQ", name="服务管理部", kind=CenterKind.HEADQUARTERS)
        session.add(hq)
        session.flush()
        hq_id = hq.id
    boss = make_user(Role.SUPERVISOR, username="hq-boss")
    with db.transaction() as session:
        move_users(session, [boss.user_id], hq_id)
    take_escalation(boss, escalation, expected_version=0)
    answer_escalation(
        boss, escalation, EscalationDecision.GUIDANCE, "请站长上门致歉", expected_version=1
    )
    return {"floor": floor, "hq": boss, "waiting": waiting, "answered": number}


def test_the_days_figures_and_each_complaints_result(db, day, clock) -> None:
    report = station_report(day["floor"]["boss"])
    assert report.code == "C1" and report.day == clock.now().astimezone(center_zone()).date()
    assert report.figures == DayFigures(
        received=2,
        shipped=1,
        in_qc=0,
        overdue=0,
        complaints=2,
        valid_complaints=2,
        follow_ups_done=0,
        follow_ups_open=0,
    )
    settled, escalated = report.complaints
    assert settled.status is ComplaintStatus.SETTLED and settled.result == "已重修"
    assert settled.done[0] is AuditAction.REGISTER_COMPLAINT
    assert AuditAction.SETTLE_COMPLAINT in settled.done
    assert escalated.complaint_no == day["answered"]
    assert escalated.result == "已电话致歉,明日上门"
    assert AuditAction.ESCALATE_COMPLAINT in escalated.done
    assert (escalated.hq_decision, escalated.hq_answer) == (
        EscalationDecision.GUIDANCE,
        "请站长上门致歉",
    )
    with pytest.raises(PermissionDenied):
        station_report(day["floor"]["clerk"])


def test_a_past_day_is_counted_as_it_stood(db, day, clock) -> None:
    yesterday = clock.now().astimezone(center_zone()).date()
    clock.advance(hours=14)
    boss = day["floor"]["boss"]
    with db.transaction() as session:  # the waiting order is past due since this morning
        session.execute(
            update(RepairOrder)
            .where(RepairOrder.id == day["waiting"].order_id)
            .values(due_at=clock.now() - timedelta(hours=1))
        )
    from app.qc import aging

    with db.transaction() as session:
        session.execute(
            update(RepairOrder)
            .where(RepairOrder.id == day["waiting"].order_id)
            .values(state="repaired")
        )
    aging.start_aging(day["floor"]["qc"], day["waiting"].order_id)
    today = station_report(boss)
    assert today.day == yesterday + timedelta(days=1)
    assert (today.figures.received, today.figures.complaints, today.complaints) == (0, 0, [])
    assert (today.figures.in_qc, today.figures.overdue) == (1, 1)
    before = station_report(boss, yesterday)
    assert (before.figures.received, before.figures.in_qc, before.figures.overdue) == (2, 0, 0)
    assert len(before.complaints) == 2


def test_headquarters_reads_every_centers_report(db, day) -> None:
    with pytest.raises(PermissionDenied):
        network_reports(day["floor"]["boss"])
    reports = {report.code: report for report in network_reports(day["hq"])}
    assert set(reports) == {"C1", "HQ"}
    assert reports["C1"].figures.received == 2 and len(reports["C1"].complaints) == 2
    assert reports["HQ"].figures == DayFigures() and reports["HQ"].complaints == []


def test_the_report_in_excel_and_pdf(db, day, tmp_path) -> None:
    from openpyxl import load_workbook
    from pdfcheck import pdf_fonts, pdf_text
    from test_documents_chinese import _english_in

    from app.documents.daily_report import daily_report_pdf
    from app.headquarters.daily_export import export_daily_reports

    reports = network_reports(day["hq"])
    path = export_daily_reports(reports, tmp_path / "日报.xlsx")
    workbook = load_workbook(path)
    figures, handled = workbook["当日指标"], workbook["投诉处理结果"]
    rows = [row for row in figures.iter_rows(min_row=4, values_only=True) if row[0]]
    assert [row[0] for row in rows] == ["C1", "HQ"]
    assert rows[0][3:] == (2, 1, 0, 0, 2, 2, 0, 0)
    lines = [row for row in handled.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(lines) == 2
    escalated = lines[1]
    assert escalated[1] == day["answered"] and escalated[4] == "A级" and escalated[6] == "是"
    assert "投诉已上报总部" in escalated[8]
    assert escalated[9] == "已电话致歉,明日上门"
    assert escalated[10] == "处理意见:请站长上门致歉"
    assert figures.page_setup.orientation == "landscape"
    assert figures.sheet_properties.pageSetUpPr.fitToPage and figures.page_setup.fitToWidth == 1
    assert figures.print_title_rows == "1:3" or figures.print_title_rows == "$3:$3"

    pdf = daily_report_pdf(reports)
    text = pdf_text(pdf)
    for expected in (
        "服务站日报",
        "当日指标",
        "当日投诉处理结果",
        day["answered"],
        "请站长上门致歉",
    ):
        assert expected in text
    assert _english_in(text) == []
    assert not re.findall(r"[A-Za-z]{3,}", text)  # codes only: C1, HQ, CP…
    assert any("+" in name for name in pdf_fonts(pdf))  # the CJK font embedded as a subset
