"""The monthly KPI sheet: the targets the center is measured on (DOMAIN.md, seed 003).

Every figure is computed from the records (orders, aging runs, follow-ups, stock moves,
complaints) of the month, in the center's time zone.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import day_figures
from app.context import Context
from app.ledgers.median import FreshMedian, keep_medians, period_median
from app.localtime import center_zone
from app.models import (
    ComplaintGrade,
    QcResult,
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
    first_contact_in_time: float | None = None  # first contact within 10 minutes, of complaints
    complaints_by_grade: tuple[int, ...] = (0, 0, 0)  # grades A, B, C

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
DAY_MICROS = DAY_SECONDS * 1_000_000


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


Key = int | None  # a center's id, or None: the figures of the whole database (one center)


RESULTS = {day_figures.QC_PREFIX + result.value: result for result in QcResult}
GRADES = {day_figures.COMPLAINT_PREFIX + grade.value: grade for grade in ComplaintGrade}
MONTH_FIGURES = (
    day_figures.RECEIVED,
    day_figures.REWORK,
    day_figures.SHIPPED,
    day_figures.ISSUED,
    day_figures.RETURNED_UNUSED,
    day_figures.FOLLOW_UPS_DUE,
    day_figures.FOLLOW_UPS_CALLED,
    day_figures.REACHED,
    day_figures.SATISFIED,
    day_figures.VALID,
    day_figures.ANSWERED_IN_TIME,
    day_figures.CONTACTED_IN_TIME,
    *RESULTS,
    *GRADES,
)


def month_kpi(
    session: Session,
    month: date,
    start: datetime,
    end: datetime,
    fresh: list[FreshMedian] | None = None,
) -> MonthKpi:
    """The month's KPIs of the database's center (on PostgreSQL: the connected role's); a
    median read from the orders is added to ``fresh``, to be kept (``keep_medians``)."""
    return month_kpis(session, month, start, end, by_center=False, fresh=fresh)[None]


def _local_day(moment: datetime) -> date:
    return moment.astimezone(center_zone()).date()


def month_kpis(
    session: Session,
    month: date,
    start: datetime,
    end: datetime,
    *,
    by_center: bool,
    fresh: list[FreshMedian] | None = None,
) -> dict[Key, MonthKpi]:
    """The month's KPIs, per center (``by_center``: grouped by ``center_id`` by the database,
    for headquarters; no median then) or of the whole database (key None): the sums of the
    month's days in ``kpi_days`` (``app.day_figures``), a few hundred rows whatever the history."""
    sums = day_figures.day_totals(
        session, _local_day(start), _local_day(end), MONTH_FIGURES, by_center=by_center
    )
    counts: dict[tuple[Key, str], int] = {}
    amounts: dict[tuple[Key, str], int] = {}
    shipped_buckets: dict[Key, dict[int, int]] = {}
    for (key, figure, bucket), (number, amount, _known) in sums.items():
        counts[(key, figure)] = counts.get((key, figure), 0) + number
        amounts[(key, figure)] = amounts.get((key, figure), 0) + amount
        if figure == day_figures.SHIPPED:
            shipped_buckets.setdefault(key, {})[bucket] = number
    keys = {None} if not by_center else {key for (key, _), number in counts.items() if number}
    figures = {}
    for key in keys:
        got = lambda figure: counts.get((key, figure), 0)  # noqa: B023, E731
        shipped = got(day_figures.SHIPPED)
        verdicts = {result: got(figure) for figure, result in RESULTS.items()}
        issued = amounts.get((key, day_figures.ISSUED), 0)
        returned = amounts.get((key, day_figures.RETURNED_UNUSED), 0)
        grades = [got(figure) for figure in GRADES]
        complaints = sum(grades)
        spans = amounts.get((key, day_figures.SHIPPED), 0)
        figures[key] = MonthKpi(
            month=month,
            received=got(day_figures.RECEIVED),
            shipped=shipped,
            turnaround_days_mean=round(spans / shipped / DAY_MICROS, 2) if shipped else None,
            turnaround_days_median=(
                None
                if by_center
                else period_median(session, start, end, shipped_buckets.get(key, {}), fresh)
            ),
            qc_first_pass_yield=_ratio(verdicts[QcResult.PASS], sum(verdicts.values())),
            rework_rate=_ratio(got(day_figures.REWORK), got(day_figures.RECEIVED)),
            follow_up_rate=_ratio(
                got(day_figures.FOLLOW_UPS_CALLED), got(day_figures.FOLLOW_UPS_DUE)
            ),
            satisfaction=_ratio(got(day_figures.SATISFIED), got(day_figures.REACHED)),
            parts_accuracy=_ratio(issued - returned, issued),
            complaints=complaints,
            valid_complaints=got(day_figures.VALID),
            complaints_per_1000=round(complaints * 1000 / shipped, 2) if shipped else None,
            answered_in_time=_ratio(got(day_figures.ANSWERED_IN_TIME), complaints),
            first_contact_in_time=_ratio(got(day_figures.CONTACTED_IN_TIME), complaints),
            complaints_by_grade=tuple(grades),
        )
    return figures


def monthly_kpis(ctx: Context, first_day: date, last_day: date) -> list[MonthKpi]:
    return period_kpis(ctx, first_day, last_day, "month")


def period_kpis(
    ctx: Context, first_day: date, last_day: date, granularity: Granularity = "month"
) -> list[MonthKpi]:
    """The KPIs of each month (or week) touching [first_day, last_day] (needs VIEW_LEDGERS)."""
    ctx.require(Permission.VIEW_LEDGERS)
    fresh: list[FreshMedian] = []
    with ctx.db.read() as session:
        figures = [
            month_kpi(session, first, start, end, fresh)
            for first, start, end in periods(first_day, last_day, granularity)
        ]
    keep_medians(ctx.db, fresh)
    return figures


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
    (needs VIEW_LEDGERS): the sums of the range's days in ``kpi_days``."""
    ctx.require(Permission.VIEW_LEDGERS)
    counts = [0] * (len(TURNAROUND_BINS) + 1)
    with ctx.db.read() as session:
        sums = day_figures.day_totals(
            session, first_day, last_day + timedelta(days=1), [day_figures.SHIPPED], by_center=False
        )
    for (_key, _figure, days), (number, _amount, _known) in sums.items():
        counts[bisect.bisect_left(TURNAROUND_BINS, days)] += number
    labels = [f"≤{bound}天" for bound in TURNAROUND_BINS] + [f">{TURNAROUND_BINS[-1]}天"]
    return list(zip(labels, counts, strict=True))


def technician_productivity(
    ctx: Context, first_day: date, last_day: date
) -> list[TechnicianOutput]:
    """Units repaired per technician in the range, per working day, and the mean time in repair
    (allocation to repaired) — the sums of the range's days in ``kpi_days`` (needs
    VIEW_LEDGERS)."""
    ctx.require(Permission.VIEW_LEDGERS)
    calendar_days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    with ctx.db.read() as session:
        working_days = sum(WorkCalendar.load(session).is_working_day(day) for day in calendar_days)
        sums = day_figures.day_totals(
            session,
            first_day,
            last_day + timedelta(days=1),
            [day_figures.REPAIRED],
            by_center=False,
        )
        names = dict(
            session.execute(
                select(User.id, User.display_name).where(
                    User.id.in_([technician for _, _, technician in sums])
                )
            ).all()
        )
    spans: dict[str, tuple[int, int, int]] = {}  # name → repairs, microseconds known, known count
    for (_key, _figure, technician), (repairs, micros, known) in sums.items():
        name = names.get(technician)
        if name is None or not repairs:  # two technicians of one name count as one
            continue
        before = spans.get(name, (0, 0, 0))
        spans[name] = (before[0] + repairs, before[1] + micros, before[2] + known)
    output = [
        TechnicianOutput(
            name,
            repairs,
            round(repairs / max(working_days, 1), 2),
            round(total / known / 3_600_000_000, 1) if known else None,
        )
        for name, (repairs, total, known) in spans.items()
    ]
    return sorted(output, key=lambda item: (-item.repaired, item.name))
