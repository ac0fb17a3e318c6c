"""What the demo loaded, in a few lines for the terminal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.demo import data
from app.demo.sign_in import sign_in_hint
from app.ledgers.tiles import Tile, tile_figures
from app.models import (
    AuditEntry,
    Complaint,
    ComplaintStatus,
    Customer,
    FollowUp,
    Part,
    RepairOrder,
    RepairState,
    Shipment,
    StockMove,
    User,
)
from app.parts import issuing as parts
from app.settings import CENTER_NAME
from app.states import OPEN_STATES


def summarise(
    db: Database,
    now: datetime,
    *,
    users_created: int,
    users_kept: int,
    seconds: float,
    sales_records: int,
) -> str:
    with db.read() as session:

        def count(model: type, *where: ColumnElement[bool]) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        by_state = {
            state: n
            for state, n in session.execute(
                select(RepairOrder.state, func.count()).group_by(RepairOrder.state)
            )
        }
        by_grade = {
            grade: n
            for grade, n in session.execute(
                select(Complaint.grade, func.count()).group_by(Complaint.grade)
            )
        }
        open_orders = count(RepairOrder, RepairOrder.state.in_(OPEN_STATES))
        calls_due = count(FollowUp, FollowUp.due_at < now)
        calls_made = count(FollowUp, FollowUp.due_at < now, FollowUp.done_at.is_not(None))
        open_complaints = count(Complaint, Complaint.status == ComplaintStatus.OPEN)
        lines = [
            f"Demo loaded in {seconds:.1f} s: {data.CENTER_SETTINGS[CENTER_NAME]}",
            f"  users: {users_created} created, {users_kept} already there; {sign_in_hint(db)}",
            f"  customers: {count(Customer)}; sales register: {sales_records} serials",
            f"  repair orders: {count(RepairOrder)} "
            f"({count(RepairOrder, RepairOrder.is_repeat.is_(True))} repeat units)",
        ]
        lines += [f"    {state.value:<18} {by_state.get(state, 0)}" for state in RepairState]
        lines += [
            f"  shipments: {count(Shipment)}; follow-up calls due: {count(FollowUp)}",
            f"  parts: {count(Part)}, {count(StockMove)} ledger moves, "
            f"{len(parts.parts_below_safety_stock(db))} below safety stock, "
            f"{count(Part, Part.on_hand == 0)} out of stock",
            "  complaints: "
            + ", ".join(f"{grade.value} {n}" for grade, n in sorted(by_grade.items()))
            + f"; {open_complaints} still open",
            f"  audit log: {count(AuditEntry)} entries; users: {count(User)}",
        ]
    lines += floor_at_a_glance(db, now, open_orders, calls_due, calls_made, open_complaints)
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else f"{part}/0"


def floor_at_a_glance(
    db: Database, now: datetime, open_orders: int, calls_due: int, made: int, open_complaints: int
) -> list[str]:
    """The supervisor's tiles at the end of the demo, with the fractions behind them."""
    figures = {f.tile: f for f in tile_figures(Context(db, SYSTEM_ACTOR, "demo"), now)}
    with db.read() as session:
        in_qc = session.scalar(
            select(func.count())
            .select_from(RepairOrder)
            .where(RepairOrder.state == RepairState.IN_QC)
        )
    return [
        "  the floor now (the supervisor's tiles):",
        f"    open orders overdue:        {_share(figures[Tile.OVERDUE_ORDERS].count, open_orders)}",
        f"    in QC past aging end:       {_share(figures[Tile.QC_PAST_AGING].count, in_qc or 0)}",
        f"    waiting for parts:          {figures[Tile.WAITING_PARTS].count}",
        f"    follow-up calls made:       {_share(made, calls_due)} of those due so far; "
        f"{figures[Tile.FOLLOW_UPS_DUE].count} due by tonight",
        f"    complaints past a deadline: {_share(figures[Tile.COMPLAINTS_LATE].count, open_complaints)}"
        " of the open ones",
        f"    valid complaints this month: {figures[Tile.VALID_COMPLAINTS].count} "
        f"(warning at {figures[Tile.VALID_COMPLAINTS].limit})",
    ]
