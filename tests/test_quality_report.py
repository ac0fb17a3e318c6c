"""The monthly quality report to engineering: its numbers against a direct count of the rows
written, the Excel workbook read back, the PDF in Chinese with no English word."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from factories import imei
from openpyxl import load_workbook
from pdfcheck import pdf_text
from quality_data import Return, Shop, on
from sqlalchemy import select
from test_documents_chinese import _english_in

from app.context import Context
from app.db import Database
from app.documents.quality_report import quality_report_pdf
from app.errors import PermissionDenied
from app.models import AgingRun, AlarmStatus, QcResult, QualityAlarm, RepairOrder, Role
from app.quality.report import quality_report, report_workbook

MARCH = date(2026, 3, 1)


@pytest.fixture
def boss(db: Database, make_user: Callable[..., Context]) -> Context:
    return make_user(Role.SUPERVISOR, username="boss")


def test_the_report_counts_what_the_floor_recorded(db, boss, make_user, tmp_path) -> None:
    shop = Shop(db, boss.actor.user_id)
    jan = shop.sell("X1", date(2026, 1, 1), 50)
    feb = shop.sell("X1", date(2026, 2, 1), 30)
    shop.sell("X1", MARCH, 10)  # sold in the month reported: in the population, no return yet
    other = shop.sell("Y2", date(2026, 2, 1), 30)
    returns = [
        Return(jan[0], on(date(2026, 3, 2)), "F01", "P-LCD", description="屏幕闪烁"),
        Return(jan[1], on(date(2026, 3, 5)), "F01", "P-LCD", description="屏幕闪烁"),
        Return(jan[2], on(date(2026, 3, 9)), "F02", "P-BAT", description="充不进电"),
        Return(feb[0], on(date(2026, 3, 20)), "F01", description="屏幕闪烁"),
        Return(feb[1], on(date(2026, 3, 21)), "F03", rework=True, description="返修后仍不开机"),
        Return(feb[2], on(date(2026, 2, 21)), "F03", description="不开机"),  # February
        Return(imei(800_001), on(date(2026, 3, 22)), "F02", description="充不进电"),  # unknown
    ]
    shop.returns("X1", returns)
    shop.returns("Y2", [Return(other[0], on(date(2026, 3, 3)), "F01")])  # another model
    with db.transaction() as session:
        orders = session.scalars(select(RepairOrder).order_by(RepairOrder.id)).all()
        for order, reason in ((orders[0], "触摸失灵"), (orders[1], "触摸失灵"), (orders[2], None)):
            session.add(
                AgingRun(
                    order_id=order.id,
                    received_at=order.received_at,
                    received_by_id=boss.actor.user_id,
                    started_at=order.received_at,
                    required_minutes=240,
                    result=QcResult.FAIL,
                    fail_reason=reason,
                    signed_at=datetime(2026, 3, 25, 9, tzinfo=UTC),
                )
            )
        session.add(
            QualityAlarm(
                product_model_id=shop.models["X1"],
                sale_month=date(2026, 1, 1),
                fault_code="F01",
                months_in_service=2,
                observed=12,
                expected=3.0,
                p_value=1e-6,
                basis="model",
                first_detected_at=datetime(2026, 3, 10, tzinfo=UTC),
                last_tested_at=datetime(2026, 3, 10, tzinfo=UTC),
                status=AlarmStatus.ACKNOWLEDGED,
                acknowledge_note="已通知工程部",
            )
        )
    with pytest.raises(PermissionDenied):
        quality_report(make_user(Role.TECHNICIAN, username="tech"), "X1", MARCH)
    report = quality_report(boss, "X1", MARCH)

    in_march = [r for r in returns if r.received.month == 3]
    assert report.returns_in_month == sum(not r.rework for r in in_march) == 5
    assert report.reworks_in_month == sum(r.rework for r in in_march) == 1
    assert report.rates.sold == 90 and report.rates.returned == 5  # Jan to Mar, reworks apart
    assert report.rates.unknown_population == 1
    assert [(s.key, s.returned) for s in report.rates.faults] == [
        ("F01", 3),
        ("F02", 1),
        ("F03", 1),
    ]
    assert [(s.key, s.returned) for s in report.rates.parts] == [("P-LCD", 2), ("P-BAT", 1)]
    assert report.qc_fail_reasons == (("触摸失灵", 2), ("未注明", 1))
    descriptions = Counter(r.description for r in in_march if not r.rework)
    assert report.descriptions == tuple(
        sorted(descriptions.items(), key=lambda item: (-item[1], item[0]))
    )
    assert [(a.fault_code, a.observed) for a in report.alarms] == [("F01", 12)]

    path = report_workbook(report, tmp_path / "report.xlsx")
    book = load_workbook(path, read_only=True)
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=4, values_only=True)}
    assert summary["本月返修台数"] == 5 and summary["近十二个月销售台数"] == 90
    assert summary["无销售记录的返修台数"] == 1 and summary["预警条数"] == 1
    faults = list(book["故障代码"].iter_rows(min_row=4, values_only=True))
    assert faults[0][:3] == ("F01", "F01", 3) and faults[0][3] == pytest.approx(3 / 90)
    cohorts = list(book["按销售月份"].iter_rows(min_row=4, values_only=True))
    assert [row[1:3] for row in cohorts] == [(50, 3), (30, 2), (10, 0)]

    text = pdf_text(quality_report_pdf(report))
    for expected in ("质量月报", "星辰 X1", "本月返修 5 台", "返工 1 台", "近十二个月销售 90 台"):
        assert expected in text
    assert "触摸失灵" in text and "屏幕闪烁" in text and "预警已确认" in text
    assert _english_in(text) == []
