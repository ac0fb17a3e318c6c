"""Shortage (缺料): orders waiting for a part, purchase requests, and parts arriving.

A part that is out of stock records the order as waiting (a ``PartWait``; the order goes to
*waiting for parts* if it was in repair) and raises or tops up the part's open purchase request.
A receipt then serves the waits first waiting, first served, up to the quantity received, and
the orders with nothing else to wait for go back to *in repair*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from app import audit, states
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, IllegalTransition, InvalidInput
from app.models import Part, PartWait, PurchaseRequest, RepairOrder, RepairState, User
from app.orders import transitions as orders
from app.orders.store import load_order
from app.parts.stock import check_quantity, load_part
from app.permissions import Permission
from app.states import Action


@dataclass(frozen=True)
class UnblockedOrder:
    order_id: int
    order_no: str
    technician_id: int | None
    technician_name: str | None
    part_no: str
    quantity: int
    waited_since: datetime


@dataclass(frozen=True)
class WaitRecorded:
    order_no: str
    state: RepairState
    purchase_request_id: int
    quantity_to_order: int


@dataclass(frozen=True)
class PurchaseRequestRow:
    request_id: int
    part_id: int
    part_no: str
    name: str
    on_hand: int
    safety_stock: int
    quantity: int
    created_at: datetime
    orders_waiting: tuple[str, ...]


def _move_order(session: Session, ctx: Context, order: RepairOrder, action: Action) -> None:
    """Change the order's state through :mod:`app.orders.transitions` (the state machine lets the parts
    keeper put an order on *waiting for parts*)."""
    orders.apply_transition(session, ctx, order, action)


def _waiting_quantity(session: Session, part_id: int) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(PartWait.quantity), 0)).where(
            PartWait.part_id == part_id, PartWait.resolved_at.is_(None)
        )
    )
    return int(total or 0)


def _request_purchase(session: Session, ctx: Context, part: Part, at_least: int) -> PurchaseRequest:
    """The part's open purchase request, raised or topped up to ``at_least`` (and the reorder qty)."""
    wanted = max(part.reorder_quantity, at_least, 1)
    request = session.scalar(
        select(PurchaseRequest)
        .where(PurchaseRequest.part_id == part.id, PurchaseRequest.closed_at.is_(None))
        .order_by(PurchaseRequest.id)
        .limit(1)
    )
    if request is None:
        request = PurchaseRequest(
            part_id=part.id, quantity=wanted, created_at=ctx.now(), created_by_id=ctx.user_id
        )
        session.add(request)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.REQUEST_PURCHASE,
            "part",
            part.part_no,
            after={"quantity": wanted, "request": request.id},
        )
    elif request.quantity < wanted:
        audit.record(
            session,
            ctx,
            AuditAction.REQUEST_PURCHASE,
            "part",
            part.part_no,
            before={"quantity": request.quantity},
            after={"quantity": wanted, "request": request.id},
        )
        request.quantity = wanted
    return request


def wait_for_part(ctx: Context, order_id: int, part_id: int, quantity: int = 1) -> WaitRecorded:
    """Record that the order waits for a part that is out of stock, and ask purchasing for it."""
    ctx.require(Permission.ISSUE_PARTS)
    check_quantity(quantity)
    with ctx.db.transaction() as session:
        order = load_order(session, order_id)
        if order.state not in states.OPEN_STATES:
            raise IllegalTransition(
                N_("Order {order_no} is {state}: only open orders wait for parts."),
                order_no=order.order_no,
                state=states.STATE_LABELS[order.state],
            )
        part = load_part(session, part_id)
        if part.on_hand >= quantity:
            raise InvalidInput(
                N_("{part_no} has {on_hand} on hand: issue it instead of waiting."),
                part_no=part.part_no,
                on_hand=part.on_hand,
            )
        wait = session.scalar(
            select(PartWait).where(
                PartWait.order_id == order.id,
                PartWait.part_id == part.id,
                PartWait.resolved_at.is_(None),
            )
        )
        if wait is None:
            session.add(
                PartWait(part_id=part.id, order_id=order.id, quantity=quantity, since=ctx.now())
            )
        else:
            wait.quantity = max(wait.quantity, quantity)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.WAIT_FOR_PART,
            "part",
            part.part_no,
            order_id=order.id,
            after={"quantity": quantity, "on_hand": part.on_hand},
            detail=f"{part.name} x{quantity}",
        )
        if order.state is RepairState.IN_REPAIR:
            _move_order(session, ctx, order, Action.WAIT_FOR_PARTS)
        request = _request_purchase(session, ctx, part, _waiting_quantity(session, part.id))
        return WaitRecorded(order.order_no, order.state, request.id, request.quantity)


def resolve_waits(
    session: Session, ctx: Context, part: Part, received: int
) -> list[UnblockedOrder]:
    """Serve the part's waits, first waiting first served, up to ``received`` units (inside the
    receipt's transaction); close its open purchase requests, raising a new one for waits left."""
    waits = session.scalars(
        select(PartWait)
        .where(PartWait.part_id == part.id, PartWait.resolved_at.is_(None))
        .order_by(PartWait.since, PartWait.id)
    ).all()
    now = ctx.now()
    served: list[PartWait] = []
    left = received
    for wait in waits:
        if wait.quantity > left:
            break  # strictly in turn: the next order does not jump the queue
        # An UPDATE without RETURNING gives a CursorResult; Session.execute() is typed wider.
        result = cast(
            CursorResult[Any],
            session.execute(
                update(PartWait)
                .where(PartWait.id == wait.id, PartWait.resolved_at.is_(None))
                .values(resolved_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        taken = result.rowcount
        if taken == 1:  # another receipt at the same moment may have served it first
            served.append(wait)
            left -= wait.quantity
    if served:
        session.info.setdefault("changed_tables", set()).add(PartWait.__tablename__)
    unblocked: list[UnblockedOrder] = []
    for wait in served:
        order = load_order(session, wait.order_id)
        still_waiting = session.scalar(
            select(func.count(PartWait.id)).where(
                PartWait.order_id == order.id, PartWait.resolved_at.is_(None)
            )
        )
        if still_waiting:
            continue
        if order.state is RepairState.WAITING_PARTS:
            _move_order(session, ctx, order, Action.PARTS_ARRIVED)
        technician = session.get(User, order.technician_id) if order.technician_id else None
        unblocked.append(
            UnblockedOrder(
                order_id=order.id,
                order_no=order.order_no,
                technician_id=order.technician_id,
                technician_name=technician.display_name if technician else None,
                part_no=part.part_no,
                quantity=wait.quantity,
                waited_since=wait.since,
            )
        )
    open_requests = session.scalars(
        select(PurchaseRequest).where(
            PurchaseRequest.part_id == part.id, PurchaseRequest.closed_at.is_(None)
        )
    ).all()
    for request in open_requests:
        request.closed_at = now
    still = _waiting_quantity(session, part.id)
    if still and open_requests:
        _request_purchase(session, ctx, part, still)
    return unblocked


def purchase_requests(ctx: Context) -> list[PurchaseRequestRow]:
    """Open purchase requests with the orders waiting for each part (oldest request first)."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.read() as session:
        rows = session.execute(
            select(PurchaseRequest, Part)
            .join(Part, Part.id == PurchaseRequest.part_id)
            .where(PurchaseRequest.closed_at.is_(None))
            .order_by(PurchaseRequest.created_at, PurchaseRequest.id)
        ).all()
        waiting: dict[int, list[str]] = {}
        part_ids = [part.id for _request, part in rows]
        if part_ids:
            for part_id, order_no in session.execute(
                select(PartWait.part_id, RepairOrder.order_no)
                .join(RepairOrder, RepairOrder.id == PartWait.order_id)
                .where(PartWait.part_id.in_(part_ids), PartWait.resolved_at.is_(None))
                .order_by(PartWait.since, PartWait.id)
            ):
                waiting.setdefault(part_id, []).append(order_no)
        return [
            PurchaseRequestRow(
                request_id=request.id,
                part_id=part.id,
                part_no=part.part_no,
                name=part.name,
                on_hand=part.on_hand,
                safety_stock=part.safety_stock,
                quantity=request.quantity,
                created_at=request.created_at,
                orders_waiting=tuple(waiting.get(part.id, ())),
            )
            for request, part in rows
        ]


def shortage_parts(ctx: Context) -> list[Part]:
    """Active parts at or under their safety stock (or out of stock with orders waiting)."""
    ctx.require(Permission.ISSUE_PARTS)
    waited = select(PartWait.part_id).where(PartWait.resolved_at.is_(None))
    with ctx.db.read() as session:
        return list(
            session.scalars(
                select(Part)
                .where(
                    Part.active.is_(True),
                    ((Part.safety_stock > 0) & (Part.on_hand <= Part.safety_stock))
                    | Part.id.in_(waited),
                )
                .order_by(Part.on_hand - Part.safety_stock, Part.part_no)
            )
        )


def request_purchases_for_shortage(ctx: Context) -> int:
    """Raise a purchase request for every part at or under safety stock that has none open."""
    ctx.require(Permission.ISSUE_PARTS)
    with ctx.db.transaction() as session:
        has_request = select(PurchaseRequest.part_id).where(PurchaseRequest.closed_at.is_(None))
        short = session.scalars(
            select(Part).where(
                Part.active.is_(True),
                Part.safety_stock > 0,
                Part.on_hand <= Part.safety_stock,
                Part.id.not_in(has_request),
            )
        ).all()
        for part in short:
            needed = part.safety_stock - part.on_hand + _waiting_quantity(session, part.id)
            _request_purchase(session, ctx, part, needed)
        return len(short)


def export_purchase_requests(ctx: Context, path: Path) -> Path:
    """The open purchase requests with the orders waiting, as an Excel sheet (采购申请单)."""
    ctx.require(Permission.ISSUE_PARTS)
    from openpyxl import Workbook  # only when exporting: the parts tab opens faster

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "采购申请"
    sheet.append(("物料编号", "物料名称", "现存", "安全库存", "申请数量", "待料工单", "申请时间"))
    for row in purchase_requests(ctx):
        sheet.append(
            (
                row.part_no,
                row.name,
                row.on_hand,
                row.safety_stock,
                row.quantity,
                ", ".join(row.orders_waiting),
                row.created_at.replace(tzinfo=None),
            )
        )
    for column, width in zip("ABCDEFG", (16, 24, 8, 10, 10, 40, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path
