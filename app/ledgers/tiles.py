"""The supervisor's tiles: seven figures readable in five seconds, and the list behind each.

Overdue orders now, units in QC past their aging end, orders waiting for parts, complaints past
a deadline, follow-up calls due by the end of today, valid complaints this month against
the limit, and this month's fully satisfied surveys against the target (98 %), whose list gives
the rate per technician and per model. Each count walks an index to only the rows it counts (the open states' due times,
the open complaints, the calls not made, this month's complaints): its cost follows what is on
the floor now, not the years of history behind it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select

from app.complaints.registration import overdue_condition
from app.complaints.survey import SatisfactionRow, satisfaction_rows, satisfaction_target
from app.complaints.watch import VALID_COMPLAINTS_WARNING
from app.context import Context
from app.errors import N_
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Complaint,
    ComplaintStatus,
    Customer,
    FollowUp,
    ProductModel,
    RepairOrder,
    RepairState,
    Unit,
)
from app.permissions import Permission
from app.states import TERMINAL_STATES

OPEN_STATES = tuple(state for state in RepairState if state not in TERMINAL_STATES)


class Tile(enum.StrEnum):
    OVERDUE_ORDERS = "overdue_orders"
    QC_PAST_AGING = "qc_past_aging"
    WAITING_PARTS = "waiting_parts"
    COMPLAINTS_LATE = "complaints_late"
    FOLLOW_UPS_DUE = "follow_ups_due"
    VALID_COMPLAINTS = "valid_complaints"
    SATISFACTION = "satisfaction"


LATE_TILES = frozenset({Tile.OVERDUE_ORDERS, Tile.QC_PAST_AGING, Tile.COMPLAINTS_LATE})

TILE_LABELS: dict[Tile, str] = {
    Tile.OVERDUE_ORDERS: N_("Orders overdue now"),
    Tile.QC_PAST_AGING: N_("In QC past aging end"),
    Tile.WAITING_PARTS: N_("Waiting for parts"),
    Tile.COMPLAINTS_LATE: N_("Complaints past a deadline"),
    Tile.FOLLOW_UPS_DUE: N_("Follow-up calls due today"),
    Tile.VALID_COMPLAINTS: N_("Valid complaints this month"),
    Tile.SATISFACTION: N_("Fully satisfied this month (survey)"),
}
TECHNICIAN = N_("Technician")
MODEL = N_("Model")


@dataclass(frozen=True)
class TileFigure:
    tile: Tile
    count: int
    limit: int | None = None  # valid complaints: the warning level
    # Satisfaction: ``count`` fully satisfied of ``surveys``, against the target in percent.
    surveys: int | None = None
    target_percent: int | None = None

    @property
    def rate(self) -> float | None:
        return self.count / self.surveys if self.surveys else None

    @property
    def alarming(self) -> bool:
        """Red on the dashboard: anything late, the month at its limit, or satisfaction under
        its target (orders waiting for parts and calls due today are work, not lateness)."""
        if self.target_percent is not None:
            return bool(self.surveys) and self.count * 100 < self.target_percent * (
                self.surveys or 0
            )
        if self.limit is not None:
            return self.count >= self.limit
        return self.count > 0 and self.tile in LATE_TILES


@dataclass(frozen=True)
class TileRow:
    """One line of a tile's list: the record's number, what it is, and its time."""

    id: int
    code: str
    what: str
    when: datetime | None
    kind: str = ""  # an N_ label before ``what`` (satisfaction: technician or model)


def _end_of_today(now: datetime) -> datetime:
    local = now.astimezone(center_zone())
    return datetime.combine(local.date() + timedelta(days=1), time(), center_zone())


def _month_start(now: datetime) -> datetime:
    local = now.astimezone(center_zone())
    return datetime.combine(local.date().replace(day=1), time(), center_zone())


def _where(tile: Tile, now: datetime) -> list[ColumnElement[bool]]:
    if tile is Tile.OVERDUE_ORDERS:  # ix_repair_orders_state_due_at_id
        return [RepairOrder.state.in_(OPEN_STATES), RepairOrder.due_at < now]
    if tile is Tile.WAITING_PARTS:
        return [RepairOrder.state == RepairState.WAITING_PARTS]
    if tile is Tile.COMPLAINTS_LATE:  # ix_complaints_status_received_at
        return [Complaint.status == ComplaintStatus.OPEN, overdue_condition(now)]
    if tile is Tile.FOLLOW_UPS_DUE:  # ix_follow_ups_done_at_due_at
        return [FollowUp.done_at.is_(None), FollowUp.due_at < _end_of_today(now)]
    if tile is Tile.VALID_COMPLAINTS:  # ix_complaints_received_at
        return [
            Complaint.received_at >= _month_start(now),
            Complaint.received_at < now,
            Complaint.is_valid.is_(True),
        ]
    raise ValueError(tile)


def _counted(tile: Tile) -> type[RepairOrder] | type[Complaint] | type[FollowUp]:
    if tile in (Tile.OVERDUE_ORDERS, Tile.WAITING_PARTS):
        return RepairOrder
    return FollowUp if tile is Tile.FOLLOW_UPS_DUE else Complaint


def _aging_in_qc() -> Select[int, str, str, datetime, int]:
    """The open aging runs of the orders in QC (ix_repair_orders_state_received_at)."""
    return (
        select(
            RepairOrder.id,
            RepairOrder.order_no,
            ProductModel.name,
            AgingRun.started_at,
            AgingRun.required_minutes,
        )
        .join(AgingRun, AgingRun.order_id == RepairOrder.id)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(RepairOrder.state == RepairState.IN_QC, AgingRun.result.is_(None))
    )


def tile_figures(ctx: Context, now: datetime) -> list[TileFigure]:
    """The figures, in the order the dashboard shows them."""
    ctx.require(Permission.VIEW_LEDGERS)
    figures = []
    with ctx.db.read() as session:
        for tile in Tile:
            if tile is Tile.SATISFACTION:
                rows = satisfaction_rows(session, _month_start(now), now)
                surveys = sum(row.surveys for row in rows)
                satisfied = sum(row.fully_satisfied for row in rows)
                target = satisfaction_target(session)
                figures.append(TileFigure(tile, satisfied, None, surveys, target))
                continue
            if tile is Tile.QC_PAST_AGING:
                # A rack holds a few hundred units at most: their end times are compared here
                # (the end is a sum of two columns, which no index holds on both databases).
                runs = session.execute(_aging_in_qc()).all()
                count = sum(1 for *_, start, minutes in runs if _past(start, minutes, now))
                figures.append(TileFigure(tile, count))
                continue
            counted = _counted(tile)
            query = select(func.count()).select_from(counted).where(*_where(tile, now))
            count = int(session.scalar(query) or 0)
            limit = VALID_COMPLAINTS_WARNING if tile is Tile.VALID_COMPLAINTS else None
            figures.append(TileFigure(tile, count, limit))
    return figures


def _past(started_at: datetime, minutes: int, now: datetime) -> bool:
    return started_at + timedelta(minutes=minutes) < now


def tile_rows(ctx: Context, tile: Tile, now: datetime, *, limit: int = 500) -> list[TileRow]:
    """The list behind a tile, the most urgent first."""
    ctx.require(Permission.VIEW_LEDGERS)
    with ctx.db.read() as session:
        if tile is Tile.SATISFACTION:
            return _satisfaction_list(satisfaction_rows(session, _month_start(now), now))[:limit]
        if tile is Tile.QC_PAST_AGING:
            runs = session.execute(_aging_in_qc()).all()
            ends = [
                TileRow(oid, no, model, start + timedelta(minutes=minutes))
                for oid, no, model, start, minutes in runs
                if _past(start, minutes, now)
            ]
            return sorted(ends, key=lambda row: (row.when, row.code))[:limit]
        if tile in (Tile.OVERDUE_ORDERS, Tile.WAITING_PARTS):
            order_rows = session.execute(
                select(RepairOrder.id, RepairOrder.order_no, ProductModel.name, RepairOrder.due_at)
                .join(Unit, Unit.id == RepairOrder.unit_id)
                .join(ProductModel, ProductModel.id == Unit.product_model_id)
                .where(*_where(tile, now))
                .order_by(RepairOrder.due_at, RepairOrder.id)
                .limit(limit)
            ).all()
            return [TileRow(oid, no, model, due) for oid, no, model, due in order_rows]
        if tile is Tile.FOLLOW_UPS_DUE:
            call_rows = session.execute(
                select(FollowUp.id, Customer.name, Customer.phone, FollowUp.due_at)
                .join(Customer, Customer.id == FollowUp.customer_id)
                .where(*_where(tile, now))
                .order_by(FollowUp.due_at, FollowUp.id)
                .limit(limit)
            ).all()
            return [TileRow(fid, name, phone or "", due) for fid, name, phone, due in call_rows]
        complaint_rows = session.execute(
            select(Complaint.id, Complaint.complaint_no, Customer.name, Complaint.received_at)
            .join(Customer, Customer.id == Complaint.customer_id)
            .where(*_where(tile, now))
            .order_by(Complaint.received_at, Complaint.id)
            .limit(limit)
        ).all()
        return [TileRow(cid, no, name, at) for cid, no, name, at in complaint_rows]


def _satisfaction_list(rows: list[SatisfactionRow]) -> list[TileRow]:
    """The month's surveys per technician, then per model, the least satisfied first."""
    listed: list[TileRow] = []
    for kind, key in ((TECHNICIAN, "technician"), (MODEL, "model")):
        groups: dict[str, list[int]] = {}
        for row in rows:
            group = groups.setdefault(getattr(row, key), [0, 0])
            group[0] += row.surveys
            group[1] += row.fully_satisfied
        ranked = sorted(groups.items(), key=lambda item: (item[1][1] / item[1][0], item[0]))
        listed += [
            TileRow(0, name, f"{ok} / {n} = {ok / n:.1%}", None, kind) for name, (n, ok) in ranked
        ]
    return listed
