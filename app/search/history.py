"""Read views for the phone beyond one order: a unit's history and a customer's record.

- :func:`unit_history`: every order of a serial (and of the serials swapped in or out on its
  orders), newest first, with the repeat / rework flags.
- :func:`customer_view`: a customer's orders, complaints and follow-ups, and the 事不过三 flag.

事不过三 (seed 003: the same customer with three after-sales problems is flagged for the
supervisor): a problem is a repair order or a complaint of the customer received in the last
:data:`THREE_STRIKES_WINDOW_DAYS` days; three or more raise the flag. Dealers are left out:
they send in their own customers' units by the hundred, which is trade, not trouble.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from app.context import Context
from app.errors import N_, NotFound
from app.formats import clean_scan
from app.models import (
    Complaint,
    Customer,
    CustomerKind,
    FollowUp,
    ProductModel,
    RepairOrder,
    RepairState,
    SerialSwap,
    Unit,
)

THREE_STRIKES = 3
THREE_STRIKES_WINDOW_DAYS = 365


# Unit history
@dataclass(frozen=True)
class UnitOrder:
    order_id: int
    order_no: str
    serial: str
    state: RepairState
    received_at: datetime
    shipped_at: datetime | None
    fault_description: str
    in_warranty: bool
    is_repeat: bool
    is_rework: bool


def unit_history(ctx: Context, serial: str) -> list[UnitOrder]:
    """Every order of the unit, including those it went through under a serial swapped since.
    A signed-in person's read: no permission beyond the Context."""
    serial = clean_scan(serial)
    with ctx.db.read() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.serial == serial))
        if unit_id is None:
            return []
        unit_ids = {unit_id}
        # Follow swaps both ways: the old board's orders and the new board's are one history.
        frontier = {unit_id}
        while frontier:
            swaps = session.execute(
                select(SerialSwap.old_unit_id, SerialSwap.new_unit_id).where(
                    or_(
                        SerialSwap.old_unit_id.in_(frontier),
                        SerialSwap.new_unit_id.in_(frontier),
                    )
                )
            ).all()
            found = {unit for pair in swaps for unit in pair} - unit_ids
            unit_ids |= found
            frontier = found
        swapped_orders = select(SerialSwap.order_id).where(SerialSwap.old_unit_id.in_(unit_ids))
        rows = session.execute(
            select(RepairOrder, Unit.serial)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .where(or_(RepairOrder.unit_id.in_(unit_ids), RepairOrder.id.in_(swapped_orders)))
            .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
        ).all()
        return [
            UnitOrder(
                order.id,
                order.order_no,
                unit_serial,
                order.state,
                order.received_at,
                order.shipped_at,
                order.fault_description,
                order.in_warranty,
                order.is_repeat,
                order.is_rework,
            )
            for order, unit_serial in rows
        ]


# Customer view
@dataclass(frozen=True)
class CustomerOrder:
    order_id: int
    order_no: str
    serial: str
    model: str
    state: RepairState
    received_at: datetime
    is_repeat: bool
    is_rework: bool


@dataclass(frozen=True)
class CustomerComplaint:
    complaint_id: int
    complaint_no: str
    grade: str
    category: str
    status: str
    received_at: datetime
    description: str


@dataclass(frozen=True)
class CustomerFollowUp:
    follow_up_id: int
    kind: str
    order_id: int | None
    due_at: datetime
    done_at: datetime | None
    satisfied: bool | None


@dataclass(frozen=True)
class CustomerView:
    customer_id: int
    name: str
    phone: str
    is_dealer: bool
    orders: list[CustomerOrder]
    complaints: list[CustomerComplaint]
    follow_ups: list[CustomerFollowUp]
    recent_problems: int  # orders + complaints within the window (consumers only)
    three_strikes: bool  # 事不过三: flag for the supervisor


def customer_view(ctx: Context, customer_id: int, now: datetime, limit: int = 200) -> CustomerView:
    """A customer's orders, complaints and follow-ups (事不过三 flagged); a signed-in person's
    read, like the order timeline."""
    with ctx.db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(N_("Customer {customer_id} does not exist."), customer_id=customer_id)
        orders = [
            CustomerOrder(
                order.id,
                order.order_no,
                serial,
                model,
                order.state,
                order.received_at,
                order.is_repeat,
                order.is_rework,
            )
            for order, serial, model in session.execute(
                select(RepairOrder, Unit.serial, ProductModel.name)
                .join(Unit, Unit.id == RepairOrder.unit_id)
                .join(ProductModel, ProductModel.id == Unit.product_model_id)
                .where(RepairOrder.customer_id == customer_id)
                .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
                .limit(limit)
            )
        ]
        complaints = [
            CustomerComplaint(
                c.id,
                c.complaint_no,
                c.grade.value,
                c.category.value,
                c.status.value,
                c.received_at,
                c.description,
            )
            for c in session.scalars(
                select(Complaint)
                .where(Complaint.customer_id == customer_id)
                .order_by(Complaint.received_at.desc())
            )
        ]
        follow_ups = [
            CustomerFollowUp(f.id, f.kind.value, f.order_id, f.due_at, f.done_at, f.satisfied)
            for f in session.scalars(
                select(FollowUp)
                .where(FollowUp.customer_id == customer_id)
                .order_by(FollowUp.due_at.desc())
            )
        ]
    is_dealer = customer.kind is CustomerKind.DEALER
    since = now - timedelta(days=THREE_STRIKES_WINDOW_DAYS)
    problems = 0
    if not is_dealer:
        problems = sum(1 for o in orders if o.received_at >= since) + sum(
            1 for c in complaints if c.received_at >= since
        )
    return CustomerView(
        customer.id,
        customer.name,
        customer.phone or "",
        is_dealer,
        orders,
        complaints,
        follow_ups,
        problems,
        problems >= THREE_STRIKES,
    )
