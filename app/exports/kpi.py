"""The monthly KPI sheet: the targets the center is measured on (DOMAIN.md, seed 003).

Every figure is computed from the records (orders, aging runs, follow-ups, stock moves,
complaints) of the month, in the center's time zone.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import (
    AgingRun,
    Complaint,
    FollowUp,
    FollowUpKind,
    MoveKind,
    QcResult,
    RepairOrder,
    StockMove,
)
from app.workcal import CENTER_TIMEZONE

TARGETS = {"follow_up_rate": 1.0, "satisfaction": 0.98, "parts_accuracy": 0.98}


@dataclass(frozen=True)
class MonthKpi:
    month: date  # first day of the month
    received: int
    shipped: int
    turnaround_days_mean: float | None
    turnaround_days_median: float | None
    qc_first_pass_yield: float | None
    rework_rate: float | None  # back within the rework window of our own repair
    follow_up_rate: float | None  # in-warranty repairs called back, of those due
    satisfaction: float | None  # satisfied, of the customers reached
    parts_accuracy: float | None  # issued parts not returned unused, of those issued
    complaints: int
    valid_complaints: int
    complaints_per_1000: float | None
    answered_in_time: float | None

    def row(self) -> tuple[Any, ...]:
        return (
            self.month,
            self.received,
            self.shipped,
            self.turnaround_days_mean,
            self.turnaround_days_median,
            self.qc_first_pass_yield,
            self.rework_rate,
            self.follow_up_rate,
            self.satisfaction,
            self.parts_accuracy,
            self.complaints,
            self.valid_complaints,
            self.complaints_per_1000,
            self.answered_in_time,
            "⚠ 2起以上有效投诉" if self.valid_complaints >= 2 else "",
        )


def months(first_day: date, last_day: date) -> Iterator[tuple[date, datetime, datetime]]:
    month = first_day.replace(day=1)
    while month <= last_day:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        yield (
            month,
            datetime.combine(month, time.min, CENTER_TIMEZONE),
            datetime.combine(following, time.min, CENTER_TIMEZONE),
        )
        month = following


def _ratio(part: int | None, whole: int | None) -> float | None:
    return None if not whole else (part or 0) / whole


def _count(session: Session, query: Any) -> int:
    return session.scalar(query) or 0


def month_kpi(session: Session, month: date, start: datetime, end: datetime) -> MonthKpi:
    in_month = lambda column: (column >= start) & (column < end)  # noqa: E731
    received = _count(session, select(func.count()).where(in_month(RepairOrder.received_at)))
    reworks = _count(
        session,
        select(func.count()).where(
            in_month(RepairOrder.received_at), RepairOrder.is_rework.is_(True)
        ),
    )
    spans = [
        (shipped - got).total_seconds() / 86400
        for got, shipped in session.execute(
            select(RepairOrder.received_at, RepairOrder.shipped_at)
            .where(in_month(RepairOrder.shipped_at))
            .execution_options(yield_per=5000)
        )
    ]
    first_runs = (
        select(func.min(AgingRun.id))
        .where(AgingRun.result.is_not(None))
        .group_by(AgingRun.order_id)
    )
    firsts = session.execute(
        select(AgingRun.result, func.count())
        .where(AgingRun.id.in_(first_runs), in_month(AgingRun.signed_at))
        .group_by(AgingRun.result)
    ).all()
    first_total = sum(count for _, count in firsts)
    first_pass = sum(count for result, count in firsts if result is QcResult.PASS)
    due = select(func.count()).where(
        FollowUp.kind == FollowUpKind.AFTER_REPAIR, in_month(FollowUp.due_at)
    )
    follow_ups = _count(session, due)
    called = _count(session, due.where(FollowUp.done_at.is_not(None)))
    reached = _count(
        session, select(func.count()).where(in_month(FollowUp.done_at), FollowUp.reached.is_(True))
    )
    satisfied = _count(
        session,
        select(func.count()).where(
            in_month(FollowUp.done_at), FollowUp.reached.is_(True), FollowUp.satisfied.is_(True)
        ),
    )
    moved = dict(
        session.execute(
            select(StockMove.kind, func.coalesce(func.sum(func.abs(StockMove.quantity)), 0))
            .where(
                in_month(StockMove.at), StockMove.kind.in_([MoveKind.ISSUE, MoveKind.RETURN_UNUSED])
            )
            .group_by(StockMove.kind)
        ).all()
    )
    issued, returned = moved.get(MoveKind.ISSUE, 0), moved.get(MoveKind.RETURN_UNUSED, 0)
    complaints = _count(session, select(func.count()).where(in_month(Complaint.received_at)))
    valid = _count(
        session,
        select(func.count()).where(in_month(Complaint.received_at), Complaint.is_valid.is_(True)),
    )
    answered = _count(
        session,
        select(func.count()).where(
            in_month(Complaint.received_at),
            Complaint.answered_at.is_not(None),
            Complaint.answered_at <= Complaint.answer_due,
        ),
    )
    shipped = len(spans)
    return MonthKpi(
        month=month,
        received=received,
        shipped=shipped,
        turnaround_days_mean=round(statistics.fmean(spans), 2) if spans else None,
        turnaround_days_median=round(statistics.median(spans), 2) if spans else None,
        qc_first_pass_yield=_ratio(first_pass, first_total),
        rework_rate=_ratio(reworks, received),
        follow_up_rate=_ratio(called, follow_ups),
        satisfaction=_ratio(satisfied, reached),
        parts_accuracy=_ratio(issued - returned, issued),
        complaints=complaints,
        valid_complaints=valid,
        complaints_per_1000=round(complaints * 1000 / shipped, 2) if shipped else None,
        answered_in_time=_ratio(answered, complaints),
    )


def monthly_kpis(db: Database, first_day: date, last_day: date) -> list[MonthKpi]:
    with db.read() as session:
        return [
            month_kpi(session, month, start, end)
            for month, start, end in months(first_day, last_day)
        ]
