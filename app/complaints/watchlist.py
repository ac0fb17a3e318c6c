"""The watch after a complaint (seed 000: 「投訴處理後的三個月內要注意追蹤」): a customer whose
complaint was settled is watched for the set months (``complaints.watch_months``, 3) from the
moment of settlement, as the center's wall clock counts months (settled on 30 November at
15:00 → watched until 28 February at 15:00, or the 29th in a leap year). Any new order, call or
complaint of theirs is flagged at once; the watch ends by itself: nothing is stored but the
settlement, so there is nothing to switch off.

A flag tells only that the customer is under watch and until when: any signed-in person may
read it (the receiving desk, the search, customer service at the phone).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import care_settings, settings
from app.context import Context
from app.localtime import local
from app.models import Complaint, Customer


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` (aware) ``months`` later on the center's wall clock; the day is clamped to the
    month's last day (31 → 30, 28 or 29)."""
    wall = local(moment)
    index = wall.month - 1 + months
    year, month = wall.year + index // 12, index % 12 + 1
    day = min(wall.day, calendar.monthrange(year, month)[1])
    return wall.replace(year=year, month=month, day=day).astimezone(moment.tzinfo)


def _earliest_settlement_still_watched(now: datetime, months: int) -> datetime:
    """Settlements at or after this moment are still watched at ``now`` (a lower bound for the
    query: the exact end is checked per row)."""
    return add_months(now, -months - 1)


@dataclass(frozen=True)
class Watched:
    customer_id: int
    name: str
    until: datetime


def _months(session: Session) -> int:
    return settings.get(session, care_settings.WATCH_MONTHS)


def _watched(session: Session, now: datetime, customer_id: int | None = None) -> list[Watched]:
    months = _months(session)
    query = (
        select(Complaint.customer_id, Customer.name, func.max(Complaint.settled_at))
        .join(Customer, Customer.id == Complaint.customer_id)
        .where(
            Complaint.settled_at.is_not(None),
            Complaint.settled_at >= _earliest_settlement_still_watched(now, months),
            Complaint.settled_at <= now,
        )
        .group_by(Complaint.customer_id, Customer.name)
    )
    if customer_id is not None:
        query = query.where(Complaint.customer_id == customer_id)
    rows = []
    for cid, name, settled in session.execute(query):
        if settled is None:
            continue
        until = add_months(settled, months)
        if until > now:
            rows.append(Watched(cid, name, until))
    return sorted(rows, key=lambda row: (row.until, row.customer_id))


def watched_until(ctx: Context, customer_id: int) -> datetime | None:
    """When the customer's watch ends, or None when they are not watched now."""
    now = ctx.now()
    with ctx.db.read() as session:
        rows = _watched(session, now, customer_id)
    return rows[0].until if rows else None


def watched_customers(ctx: Context) -> list[Watched]:
    """Every customer under watch now, the soonest to end first."""
    now = ctx.now()
    with ctx.db.read() as session:
        return _watched(session, now)
