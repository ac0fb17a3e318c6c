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
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, care_settings, settings
from app.audit_actions import AuditAction
from app.context import Context
from app.localtime import local
from app.models import Complaint, Customer, RepairOrder
from app.permissions import Permission


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
    settled_at: datetime  # the settlement that started the watch


def _months(session: Session) -> int:
    return settings.get(session, care_settings.WATCH_MONTHS)


def _watched(
    session: Session, now: datetime, customer_ids: Collection[int] | None = None
) -> list[Watched]:
    """Customers watched at ``now`` (only among ``customer_ids`` when given: found through the
    complaints' index on the customer, never a scan)."""
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
    if customer_ids is not None:
        if not customer_ids:
            return []
        query = query.where(Complaint.customer_id.in_(sorted(set(customer_ids))))
    rows = []
    for cid, name, settled in session.execute(query):
        if settled is None:
            continue
        until = add_months(settled, months)
        if until > now:
            rows.append(Watched(cid, name, until, settled))
    return sorted(rows, key=lambda row: (row.until, row.customer_id))


def watched_until(ctx: Context, customer_id: int) -> datetime | None:
    """When the customer's watch ends, or None when they are not watched now."""
    now = ctx.now()
    with ctx.db.read() as session:
        return watched_in(session, now, customer_id)


def watched_in(session: Session, now: datetime, customer_id: int) -> datetime | None:
    """``watched_until`` inside the caller's session (the receiving desk's transaction)."""
    rows = _watched(session, now, [customer_id])
    return rows[0].until if rows else None


def watch_end(settled_at: datetime | None, months: int, now: datetime) -> datetime | None:
    """The end of the watch a settlement at ``settled_at`` started, if it is still on at
    ``now`` (for a caller that read the customer's latest settlement in a statement of its own,
    as the receiving scan does)."""
    if settled_at is None:
        return None
    until = add_months(settled_at, months)
    return until if until > now else None


def watched_among(
    session: Session, now: datetime, customer_ids: Collection[int]
) -> dict[int, datetime]:
    """{customer id: end of watch} of those among ``customer_ids`` watched now (search hits)."""
    return {row.customer_id: row.until for row in _watched(session, now, customer_ids)}


def flag_new_order(session: Session, ctx: Context, order: RepairOrder, until: datetime) -> None:
    """A watched customer's new order, flagged for customer service at once: an audit line
    (the customer's, naming the order) that the complaints tab lists until the watch ends."""
    audit.record(
        session,
        ctx,
        AuditAction.WATCHED_CUSTOMER_BACK,
        "customer",
        order.customer_id,
        order_id=order.id,
        after={"order_no": order.order_no, "watched_until": until.isoformat()},
    )


@dataclass(frozen=True)
class WatchedContact:
    """A new order of a customer under watch, received since the settlement that started it."""

    customer_id: int
    name: str
    until: datetime
    order_no: str
    received_at: datetime


def new_orders_of_watched(ctx: Context, limit: int = 20) -> list[WatchedContact]:
    """The orders watched customers sent in since their settlement, newest first (one indexed
    look-up per watched customer: there are few)."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    now = ctx.now()
    contacts: list[WatchedContact] = []
    with ctx.db.read() as session:
        for row in _watched(session, now):
            orders = session.execute(
                select(RepairOrder.order_no, RepairOrder.received_at)
                .where(
                    RepairOrder.customer_id == row.customer_id,
                    RepairOrder.received_at >= row.settled_at,
                )
                .order_by(RepairOrder.received_at.desc())
                .limit(limit)
            )
            contacts += [WatchedContact(row.customer_id, row.name, row.until, *o) for o in orders]
    contacts.sort(key=lambda c: c.received_at, reverse=True)
    return contacts[:limit]


def watched_customers(ctx: Context) -> list[Watched]:
    """Every customer under watch now, the soonest to end first."""
    now = ctx.now()
    with ctx.db.read() as session:
        return _watched(session, now)
