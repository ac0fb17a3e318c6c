"""The KPI dashboard's figures computed directly from the rows, as the product computed them
before ``kpi_days``: every aggregate over the period's orders, runs, moves, follow-ups and
complaints. The test oracle of ``tests/test_day_figures.py`` only; the product reads the kept
per-day figures (``app.day_figures``)."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.context import Context
from app.ledgers.kpi import (
    DAY_SECONDS,
    TURNAROUND_BINS,
    Key,
    MonthKpi,
    TechnicianOutput,
    _range,
    _ratio,
)
from app.ledgers.spans import seconds_between
from app.models import (
    AgingRun,
    Complaint,
    ComplaintGrade,
    FollowUp,
    FollowUpKind,
    MoveKind,
    QcResult,
    RepairOrder,
    StockMove,
    User,
)
from app.workcal import WorkCalendar


def _tally(
    session: Session, center: Any, by_center: bool, columns: list[Any], *where: Any, group: Any = ()
) -> list[tuple[Any, ...]]:
    """Rows of the aggregate ``columns``, each led by its key: grouped by the table's
    ``center`` column by the database when ``by_center`` (centers without rows are absent),
    else one key None."""
    keys = [center] if by_center else []
    rows = session.execute(select(*keys, *columns).where(*where).group_by(*keys, *group)).all()
    return [tuple(row) if by_center else (None, *row) for row in rows]


def _counts(session: Session, center: Any, by_center: bool, *where: Any) -> dict[Key, int]:
    return {
        key: count or 0 for key, count in _tally(session, center, by_center, [func.count()], *where)
    }


def _median_days(session: Session, start: datetime, end: datetime, count: int) -> float | None:
    """The median days from receipt of the orders shipped in [start, end), read from the
    shipped_at index (one center: the whole database)."""
    if not count:
        return None
    days = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at) / DAY_SECONDS
    shipped_in = (RepairOrder.shipped_at >= start) & (RepairOrder.shipped_at < end)
    middle = session.scalars(
        select(days).where(shipped_in).order_by(days).offset((count - 1) // 2).limit(2 - count % 2)
    ).all()
    return round(statistics.fmean(middle), 2)


def month_kpis(
    session: Session, month: date, start: datetime, end: datetime, *, by_center: bool
) -> dict[Key, MonthKpi]:
    """The month's KPIs, per center (``by_center``: each query grouped by the database by
    ``center_id``, for headquarters; no median then) or of the whole database (key None).
    Every aggregate is read for the month's rows by an index, never the whole history."""
    in_month = lambda column: (column >= start) & (column < end)  # noqa: E731
    count = lambda table, *where: _counts(session, table.center_id, by_center, *where)  # noqa: E731
    received = count(RepairOrder, in_month(RepairOrder.received_at))
    reworks = count(RepairOrder, in_month(RepairOrder.received_at), RepairOrder.is_rework.is_(True))
    days = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at) / DAY_SECONDS
    turnaround = {
        key: (shipped, mean)
        for key, shipped, mean in _tally(
            session,
            RepairOrder.center_id,
            by_center,
            [func.count(), func.avg(days)],
            in_month(RepairOrder.shipped_at),
        )
    }
    # A run is its order's first QC verdict when no earlier run of the order has one: read for
    # the month's sign-offs only (ix_aging_runs_signed_at, then each order's few runs), never
    # the whole history of runs.
    earlier = aliased(AgingRun)
    firsts: dict[Key, dict[QcResult, int]] = {}
    for key, result, runs in _tally(
        session,
        AgingRun.center_id,
        by_center,
        [AgingRun.result, func.count()],
        in_month(AgingRun.signed_at),
        AgingRun.result.is_not(None),
        ~exists().where(
            earlier.order_id == AgingRun.order_id,
            earlier.result.is_not(None),
            earlier.id < AgingRun.id,
        ),
        group=[AgingRun.result],
    ):
        firsts.setdefault(key, {})[result] = runs
    due = (FollowUp.kind == FollowUpKind.AFTER_REPAIR, in_month(FollowUp.due_at))
    follow_ups = count(FollowUp, *due)
    called = count(FollowUp, *due, FollowUp.done_at.is_not(None))
    reached = count(FollowUp, in_month(FollowUp.done_at), FollowUp.reached.is_(True))
    satisfied = count(
        FollowUp,
        in_month(FollowUp.done_at),
        FollowUp.reached.is_(True),
        FollowUp.satisfied.is_(True),
    )
    moved: dict[tuple[Key, MoveKind], int] = {
        (key, kind): quantity
        for key, kind, quantity in _tally(
            session,
            StockMove.center_id,
            by_center,
            [StockMove.kind, func.coalesce(func.sum(func.abs(StockMove.quantity)), 0)],
            in_month(StockMove.at),
            StockMove.kind.in_([MoveKind.ISSUE, MoveKind.RETURN_UNUSED]),
            group=[StockMove.kind],
        )
    }
    complained = in_month(Complaint.received_at)
    graded: dict[Key, dict[ComplaintGrade, int]] = {}
    for key, grade, number in _tally(
        session,
        Complaint.center_id,
        by_center,
        [Complaint.grade, func.count()],
        complained,
        group=[Complaint.grade],
    ):
        graded.setdefault(key, {})[grade] = number
    valid = count(Complaint, complained, Complaint.is_valid.is_(True))
    answered = count(
        Complaint,
        complained,
        Complaint.answered_at.is_not(None),
        Complaint.answered_at <= Complaint.answer_due,
    )
    contacted = count(
        Complaint,
        complained,
        Complaint.first_contact_at.is_not(None),
        Complaint.first_contact_at <= Complaint.first_contact_due,
    )
    keys = {None} if not by_center else set(received) | set(turnaround) | set(firsts)
    keys |= set(follow_ups) | set(reached) | {key for key, _ in moved} | set(graded)
    figures = {}
    for key in keys:
        shipped, mean = turnaround.get(key, (0, None))
        verdicts = firsts.get(key, {})
        issued = moved.get((key, MoveKind.ISSUE), 0)
        returned = moved.get((key, MoveKind.RETURN_UNUSED), 0)
        grades = graded.get(key, {})
        complaints = sum(grades.values())
        figures[key] = MonthKpi(
            month=month,
            received=received.get(key, 0),
            shipped=shipped or 0,
            turnaround_days_mean=round(float(mean), 2) if shipped else None,
            turnaround_days_median=(
                None if by_center else _median_days(session, start, end, shipped or 0)
            ),
            qc_first_pass_yield=_ratio(verdicts.get(QcResult.PASS, 0), sum(verdicts.values())),
            rework_rate=_ratio(reworks.get(key, 0), received.get(key, 0)),
            follow_up_rate=_ratio(called.get(key, 0), follow_ups.get(key, 0)),
            satisfaction=_ratio(satisfied.get(key, 0), reached.get(key, 0)),
            parts_accuracy=_ratio(issued - returned, issued),
            complaints=complaints,
            valid_complaints=valid.get(key, 0),
            complaints_per_1000=round(complaints * 1000 / shipped, 2) if shipped else None,
            answered_in_time=_ratio(answered.get(key, 0), complaints),
            first_contact_in_time=_ratio(contacted.get(key, 0), complaints),
            complaints_by_grade=tuple(grades.get(grade, 0) for grade in ComplaintGrade),
        )
    return figures


def turnaround_histogram(ctx: Context, first_day: date, last_day: date) -> list[tuple[str, int]]:
    """How many orders shipped in the range took ≤1, ≤2, ≤3 ... days from receipt to shipment
    (needs VIEW_LEDGERS)."""
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
    return sorted(output, key=lambda item: (-item.repaired, item.name))  # ties: by name
