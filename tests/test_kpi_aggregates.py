"""The KPIs aggregated by the database (spans in SQL, first QC verdicts by an index) give the
figures the row-by-row computation gave: checked against it on the demo month."""

from __future__ import annotations

import bisect
import statistics
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.ledgers.kpi import (
    TURNAROUND_BINS,
    period_kpis,
    technician_productivity,
    turnaround_histogram,
)
from app.localtime import center_zone
from app.models import AgingRun, QcResult, RepairOrder, Role, User

FIRST, LAST = date(2026, 10, 1), date(2026, 11, 30)
START = datetime.combine(FIRST, time.min, center_zone())
END = datetime.combine(LAST + timedelta(days=1), time.min, center_zone())


@pytest.fixture
def reader(demo_db, make_user):
    return make_user(Role.SUPERVISOR, username="kpi-reader")


def test_turnaround_mean_median_and_histogram_are_the_row_by_row_ones(demo_db, reader):
    with demo_db.read() as session:
        spans = [
            (shipped - received).total_seconds() / 86400
            for received, shipped in session.execute(
                select(RepairOrder.received_at, RepairOrder.shipped_at).where(
                    RepairOrder.shipped_at >= START, RepairOrder.shipped_at < END
                )
            )
        ]
    assert len(spans) > 5
    counts = [0] * (len(TURNAROUND_BINS) + 1)
    for days in spans:
        counts[bisect.bisect_left(TURNAROUND_BINS, days)] += 1
    assert [count for _, count in turnaround_histogram(reader, FIRST, LAST)] == counts
    months = period_kpis(reader, FIRST, LAST)
    assert sum(month.shipped for month in months) == len(spans)
    with demo_db.read() as session:
        for month in months:
            start = datetime.combine(month.month, time.min, center_zone())
            end = datetime.combine(
                (month.month + timedelta(days=32)).replace(day=1), time.min, center_zone()
            )
            of_month = [
                (shipped - received).total_seconds() / 86400
                for received, shipped in session.execute(
                    select(RepairOrder.received_at, RepairOrder.shipped_at).where(
                        RepairOrder.shipped_at >= start, RepairOrder.shipped_at < end
                    )
                )
            ]
            if of_month:
                assert month.turnaround_days_mean == round(statistics.fmean(of_month), 2)
                assert month.turnaround_days_median == round(statistics.median(of_month), 2)


def test_technician_output_is_the_row_by_row_one(demo_db, reader):
    with demo_db.read() as session:
        rows = session.execute(
            select(User.display_name, RepairOrder.allocated_at, RepairOrder.repaired_at)
            .join(User, User.id == RepairOrder.technician_id)
            .where(RepairOrder.repaired_at >= START, RepairOrder.repaired_at < END)
        ).all()
    hours: dict[str, list[float | None]] = {}
    for name, allocated, repaired in rows:
        span = (repaired - allocated).total_seconds() / 3600 if allocated else None
        hours.setdefault(name, []).append(span)
    output = {item.name: item for item in technician_productivity(reader, FIRST, LAST)}
    assert set(output) == set(hours) and hours
    for name, spans in hours.items():
        known = [span for span in spans if span is not None]
        assert output[name].repaired == len(spans)
        expected = round(statistics.fmean(known), 1) if known else None
        assert output[name].mean_hours_in_repair == expected


def test_qc_first_pass_counts_each_orders_first_verdict_once(demo_db, reader):
    with demo_db.read() as session:
        runs = session.execute(
            select(AgingRun.id, AgingRun.order_id, AgingRun.result, AgingRun.signed_at)
            .where(AgingRun.result.is_not(None))
            .order_by(AgingRun.id)
        ).all()
    first: dict[int, tuple[QcResult, datetime]] = {}
    for _id, order_id, result, signed_at in runs:
        first.setdefault(order_id, (result, signed_at))
    for month in period_kpis(reader, FIRST, LAST):
        start = datetime.combine(month.month, time.min, center_zone())
        end = datetime.combine(
            (month.month + timedelta(days=32)).replace(day=1), time.min, center_zone()
        )
        verdicts = [result for result, signed in first.values() if start <= signed < end]
        expected = (
            sum(result is QcResult.PASS for result in verdicts) / len(verdicts)
            if verdicts
            else None
        )
        assert month.qc_first_pass_yield == expected
