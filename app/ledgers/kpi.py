"""The monthly KPI sheet: the targets the center is measured on (DOMAIN.md, seed 003).

Every figure is computed from the records (orders, aging runs, follow-ups, stock moves,
complaints) of the month, in the center's time zone.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.context import Context
from app.ledgers.spans import seconds_between
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Complaint,
    FollowUp,
    FollowUpKind,
    MoveKind,
    QcResult,
    RepairOrder,
    StockMove,
    User,
)
from app.permissions import Permission
from app.workcal import WorkCalendar

Granularity = Literal["month", "week"]

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

    @property
    def has_activity(self) -> bool:
        """Anything received, shipped or complained of: the dashboard leaves out the others
        (the weeks before the center's history began are not a row of zeros)."""
        return bool(self.received or self.shipped or self.complaints)

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


DAY_SECONDS = 86400


def months(first_day: date, last_day: date) -> Iterator[tuple[date, datetime, datetime]]:
    return periods(first_day, last_day, "month")


def periods(
    first_day: date, last_day: date, granularity: Granularity
) -> Iterator[tuple[date, datetime, datetime]]:
    """(first day, start, end) of each calendar month or ISO week (Monday) touching the range."""
    if granularity == "month":
        current = first_day.replace(day=1)
    else:
        current = first_day - timedelta(days=first_day.weekday())
    while current <= last_day:
        if granularity == "month":
            following = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            following = current + timedelta(days=7)
        yield (
            current,
            datetime.combine(current, time.min, center_zone()),
            datetime.combine(following, time.min, center_zone()),
        )
        current = following


def _ratio(part: int | None, whole: int | None) -> float | None:
    return None if not whole else (part or 0) / whole


def _count(session: Session, query: Any) -> int:
    return session.scalar(query) or 0


def _turnaround(
    session: Session, start: datetime, end: datetime
) -> tuple[int, float | None, float | None]:
    """Orders shipped in [start, end): how many, the mean and the median days from receipt —
    aggregated by the database over the shipped_at index, the rows never read one by one."""
    days = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at) / DAY_SECONDS
    shipped_in = (RepairOrder.shipped_at >= start) & (RepairOrder.shipped_at < end)
    count, mean = session.execute(select(func.count(), func.avg(days)).where(shipped_in)).one()
    if not count:
        return 0, None, None
    middle = session.scalars(
        select(days).where(shipped_in).order_by(days).offset((count - 1) // 2).limit(2 - count % 2)
    ).all()
    return count, round(float(mean), 2), round(statistics.fmean(middle), 2)


def month_kpi(session: Session, month: date, start: datetime, end: datetime) -> MonthKpi:
    in_month = lambda column: (column >= start) & (column < end)  # noqa: E731
    received = _count(session, select(func.count()).where(in_month(RepairOrder.received_at)))
    reworks = _count(
        session,
        select(func.count()).where(
            in_month(RepairOrder.received_at), RepairOrder.is_rework.is_(True)
        ),
    )
    shipped, mean_days, median_days = _turnaround(session, start, end)
    # A run is its order's first QC verdict when no earlier run of the order has one: read for
    # the month's sign-offs only (ix_aging_runs_signed_at, then each order's few runs), never
    # the whole history of runs.
    earlier = aliased(AgingRun)
    firsts = session.execute(
        select(AgingRun.result, func.count())
        .where(
            in_month(AgingRun.signed_at),
            AgingRun.result.is_not(None),
            ~exists().where(
                earlier.order_id == AgingRun.order_id,
                earlier.result.is_not(None),
                earlier.id < AgingRun.id,
            ),
        )
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
    moved: dict[MoveKind, int] = dict(
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
    return MonthKpi(
        month=month,
        received=received,
        shipped=shipped,
        turnaround_days_mean=mean_days,
        turnaround_days_median=median_days,
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


def monthly_kpis(ctx: Context, first_day: date, last_day: date) -> list[MonthKpi]:
    return period_kpis(ctx, first_day, last_day, "month")


def period_kpis(
    ctx: Context, first_day: date, last_day: date, granularity: Granularity = "month"
) -> list[MonthKpi]:
    """The KPIs of each month (or week) touching [first_day, last_day] (needs VIEW_LEDGERS)."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        return [
            month_kpi(session, first, start, end)
            for first, start, end in periods(first_day, last_day, granularity)
        ]


TURNAROUND_BINS = (1, 2, 3, 5, 7, 10, 15, 30)  # upper bounds in days


@dataclass(frozen=True)
class TechnicianOutput:
    name: str
    repaired: int
    per_working_day: float
    mean_hours_in_repair: float | None


def _range(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(first_day, time.min, center_zone()),
        datetime.combine(last_day + timedelta(days=1), time.min, center_zone()),
    )


def turnaround_histogram(ctx: Context, first_day: date, last_day: date) -> list[tuple[str, int]]:
    """How many orders shipped in the range took ≤1, ≤2, ≤3 ... days from receipt to shipment
    (needs VIEW_LEDGERS)."""
    ctx.require(Permission.VIEW_LEDGERS)
    start, end = _range(first_day, last_day)
    seconds = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at)
    bin_of = case(
        *[(seconds <= bound * DAY_SECONDS, n) for n, bound in enumerate(TURNAROUND_BINS)],
        else_=len(TURNAROUND_BINS),
    )
    counts = [0] * (len(TURNAROUND_BINS) + 1)
    with ctx.db.read() as session:
        for bin_index, count in session.execute(
            select(bin_of, func.count())
            .where(RepairOrder.shipped_at >= start, RepairOrder.shipped_at < end)
            .group_by(bin_of)
        ):
            counts[bin_index] = count
    labels = [f"≤{bound}天" for bound in TURNAROUND_BINS] + [f">{TURNAROUND_BINS[-1]}天"]
    return list(zip(labels, counts, strict=True))


def technician_productivity(
    ctx: Context, first_day: date, last_day: date
) -> list[TechnicianOutput]:
    """Units repaired per technician in the range, per working day, and the mean time in repair
    (allocation to repaired) — from the status timestamps of the orders (needs VIEW_LEDGERS)."""
    ctx.require(Permission.VIEW_LEDGERS)
    start, end = _range(first_day, last_day)
    calendar_days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    with ctx.db.read() as session:
        working_days = sum(WorkCalendar.load(session).is_working_day(day) for day in calendar_days)
        hours = seconds_between(RepairOrder.allocated_at, RepairOrder.repaired_at) / 3600
        rows = session.execute(
            select(User.display_name, func.count(), func.avg(hours))
            .join(User, User.id == RepairOrder.technician_id)
            .where(RepairOrder.repaired_at >= start, RepairOrder.repaired_at < end)
            .group_by(User.id, User.display_name)
        ).all()
    spans: dict[str, tuple[int, float, int]] = {}  # name → repairs, hours known, known count
    for name, repairs, mean_hours in rows:  # two technicians of one name count as one
        before = spans.get(name, (0, 0.0, 0))
        known = repairs if mean_hours is not None else 0
        spans[name] = (
            before[0] + repairs,
            before[1] + (float(mean_hours) * known if known else 0.0),
            before[2] + known,
        )
    output = [
        TechnicianOutput(
            name,
            repairs,
            round(repairs / max(working_days, 1), 2),
            round(total_hours / known, 1) if known else None,
        )
        for name, (repairs, total_hours, known) in spans.items()
    ]
    return sorted(output, key=lambda item: item.repaired, reverse=True)
