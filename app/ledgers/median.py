"""A period's median turnaround (days from receipt to shipment of the orders shipped in it).

Not kept as the data changes (a median is no sum): read exactly from the period's orders, among
only those of its turnaround bucket (``kpi_days`` says which bucket holds the middle and how many
come before it), then kept in ``kpi_days`` (figure ``median``) until a shipment of the period
changes (``app.day_keeping.forget_medians`` deletes it). A year's dashboard reads the orders of
the current month and of the periods changed since it was last shown, not the whole year's.
"""

from __future__ import annotations

import logging
import statistics
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app import day_figures
from app.db import Database
from app.errors import DomainError
from app.ledgers.spans import seconds_between
from app.localtime import center_zone
from app.models import KpiDay, RepairOrder

DAY_SECONDS = 86400
log = logging.getLogger(__name__)


class FreshMedian(NamedTuple):
    first_day: date
    days: int
    buckets: dict[int, int]
    median: float


def _local_day(moment: datetime) -> date:
    return moment.astimezone(center_zone()).date()


def period_median(
    session: Session,
    start: datetime,
    end: datetime,
    buckets: dict[int, int],
    fresh: list[FreshMedian] | None,
) -> float | None:
    """The median of [start, end): the kept one if it counted the same orders, else read from
    the orders (and added to ``fresh``)."""
    count = sum(buckets.values())
    if not count:
        return None
    first = _local_day(start)
    days = (_local_day(end) - first).days
    kept = session.execute(
        select(KpiDay.count, KpiDay.amount).where(
            KpiDay.figure == day_figures.MEDIAN, KpiDay.day == first, KpiDay.key == days
        )
    ).first()
    if kept is not None and kept.count == count:
        return kept.amount / 100
    median = _median_days(session, start, end, buckets)
    if fresh is not None:
        fresh.append(FreshMedian(first, days, buckets, median))
    return median


def keep_medians(db: Database, fresh: list[FreshMedian]) -> None:
    """Keep the medians just read, each only if its period's shipments are still those it was
    read from (a shipment saved meanwhile forgot it). A cache: a refused write costs nothing."""
    if not fresh:
        return
    try:
        with db.transaction() as session:
            from sqlalchemy.dialects import postgresql, sqlite  # loaded when first kept

            insert = (
                postgresql.insert
                if session.get_bind().dialect.name == "postgresql"
                else sqlite.insert
            )
            for item in fresh:
                now = day_figures.day_totals(
                    session,
                    item.first_day,
                    item.first_day + timedelta(days=item.days),
                    [day_figures.SHIPPED],
                    by_center=False,
                )
                if {key: n for (_, _, key), (n, _, _) in now.items() if n} != {
                    key: n for key, n in item.buckets.items() if n
                }:
                    continue
                values = {
                    "figure": day_figures.MEDIAN,
                    "day": item.first_day,
                    "key": item.days,
                    "count": sum(item.buckets.values()),
                    "amount": round(item.median * 100),
                    "known": 1,
                }
                statement = insert(KpiDay).values(**values)
                table = KpiDay.__table__
                session.execute(
                    statement.on_conflict_do_update(
                        index_elements=[
                            table.c.figure,
                            table.c.day,
                            table.c.key,
                            table.c.center_id,
                        ],
                        set_={
                            "count": statement.excluded.count,
                            "amount": statement.excluded.amount,
                        },
                    )
                )
    except (DomainError, DBAPIError) as error:
        log.info("medians not kept: %s", type(error).__name__)


def _median_days(
    session: Session, start: datetime, end: datetime, buckets: dict[int, int]
) -> float:
    """The median days of the orders shipped in [start, end) (one center: the whole database).
    ``buckets``: how many took each whole number of days; the middle one or two are read among
    their bucket's orders only, sorted by the database, which also counts the bucket: a span on a
    bucket's edge that the database rounds apart sends the median to the whole month's sort."""
    count = sum(buckets.values())
    first = (count - 1) // 2
    ranks = range(first, first + 2 - count % 2)
    seconds = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at)
    shipped_in = (RepairOrder.shipped_at >= start) & (RepairOrder.shipped_at < end)
    below, values = 0, []
    for bucket in sorted(buckets):
        inside = buckets[bucket]
        wanted = [rank - below for rank in ranks if below <= rank < below + inside]
        below += inside
        if not wanted:
            continue
        low, high = day_figures.bucket_bounds(bucket)
        where: list[ColumnElement[bool]] = [shipped_in]
        if low is not None:
            where.append(seconds > low)
        if high is not None:
            where.append(seconds <= high)
        rows = session.execute(
            select(seconds, func.count().over())
            .where(*where)
            .order_by(seconds)
            .offset(wanted[0])
            .limit(len(wanted))
        ).all()
        if len(rows) != len(wanted) or rows[0][1] != inside:
            return _median_sorted(session, start, end, count)
        values += [span for span, _ in rows]
    return round(statistics.fmean(value / DAY_SECONDS for value in values), 2)


def _median_sorted(session: Session, start: datetime, end: datetime, count: int) -> float:
    days = seconds_between(RepairOrder.received_at, RepairOrder.shipped_at) / DAY_SECONDS
    shipped_in = (RepairOrder.shipped_at >= start) & (RepairOrder.shipped_at < end)
    middle = session.scalars(
        select(days).where(shipped_in).order_by(days).offset((count - 1) // 2).limit(2 - count % 2)
    ).all()
    return round(statistics.fmean(middle), 2)
