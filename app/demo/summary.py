"""What the demo loaded, in a few lines for the terminal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select

from app import complaints
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.demo import data
from app.demo.sign_in import sign_in_hint
from app.models import (
    AuditEntry,
    Complaint,
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
        overdue_orders = count(
            RepairOrder, RepairOrder.state.in_(OPEN_STATES), RepairOrder.due_at < now
        )
        lines = [
            f"Demo loaded in {seconds:.1f} s: {data.CENTER_SETTINGS[CENTER_NAME]}",
            f"  users: {users_created} created, {users_kept} already there; {sign_in_hint(db)}",
            f"  customers: {count(Customer)}; sales register: {sales_records} serials",
            f"  repair orders: {count(RepairOrder)} "
            f"({count(RepairOrder, RepairOrder.is_repeat.is_(True))} repeat units), "
            f"{overdue_orders} open past their due time",
        ]
        lines += [f"    {state.value:<18} {by_state.get(state, 0)}" for state in RepairState]
        lines += [
            f"  shipments: {count(Shipment)}; follow-up calls due: {count(FollowUp)}",
            f"  parts: {count(Part)}, {count(StockMove)} ledger moves, "
            f"{len(parts.parts_below_safety_stock(db))} below safety stock, "
            f"{count(Part, Part.on_hand == 0)} out of stock",
            "  complaints: "
            + ", ".join(f"{grade.value} {n}" for grade, n in sorted(by_grade.items()))
            + f"; {len(complaints.overdue_complaints(Context(db, SYSTEM_ACTOR, 'demo'), now))} overdue",
            f"  audit log: {count(AuditEntry)} entries; users: {count(User)}",
        ]
    return "\n".join(lines)
