"""Allocation (分配): the dispatcher's side — badges, reassignment, workload, the out-book."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from app import audit, formats, states
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, IllegalTransition, InvalidInput, NotFound
from app.localtime import center_zone
from app.models import Allocation, ProductModel, RepairOrder, Role, Unit, User, UserRole
from app.orders.listing import order_rows
from app.orders.store import load_order
from app.orders.transitions import _require_approval_if_special, active_technician
from app.permissions import Permission
from app.receiving.condition import require_condition_checked
from app.search.lookup import order_of_code

REASSIGNABLE = frozenset(
    {states.S.ALLOCATED, states.S.IN_REPAIR, states.S.WAITING_PARTS, states.S.WAITING_CHARGE}
)


@dataclass(frozen=True)
class TechnicianLoad:
    technician_id: int
    name: str
    badge_code: str | None
    open_orders: int
    overdue_orders: int


@dataclass(frozen=True)
class QueueItem:
    """An order scanned into the dispatcher's basket: it may be allocated as it stands."""

    id: int
    order_no: str
    serial: str
    model_name: str


@dataclass(frozen=True)
class OutBookLine:
    day: date
    technician: str
    model: str
    quantity: int


def technician_by_badge(ctx: Context, scan: str) -> User:
    """The active technician whose badge was scanned. The dispatcher and the parts desk both
    scan badges: any signed-in person may look one up."""
    code = formats.clean_scan(scan)
    with ctx.db.read() as session:
        user = _technician_of_badge(session, code)
    if user is None:
        raise NotFound(N_('No active technician has badge "{code}".'), code=code)
    return user


def _technician_of_badge(session: Session, code: str) -> User | None:
    return (
        session.execute(
            select(User)
            .join(UserRole)
            .where(
                func.upper(User.badge_code) == code,
                UserRole.role == Role.TECHNICIAN,
                User.active.is_(True),
            )
            .options(joinedload(User.role_links))  # with the account: one round trip
        )
        .unique()
        .scalar_one_or_none()
    )


def badge_or_label(ctx: Context, scan: str) -> User | QueueItem:
    """A scan at the dispatcher's desk, read in one session: an active technician's badge (the
    technician), else an order label as :func:`check_allocatable` takes it (or refuses it)."""
    ctx.require(Permission.ALLOCATE)
    code = formats.clean_scan(scan)
    with ctx.db.read() as session:
        user = _technician_of_badge(session, code)
        return user if user is not None else _allocatable(session, code)


def check_allocatable(ctx: Context, scan: str) -> QueueItem:
    """The order a scanned label names, if :func:`app.orders.transitions.allocate` would take it now.

    Refused with the reason: unknown code, not in the queue, special handling not approved,
    intake check incomplete. Nothing is written: the allocation itself checks again.
    """
    ctx.require(Permission.ALLOCATE)
    with ctx.db.read() as session:
        return _allocatable(session, formats.clean_scan(scan))


def _allocatable(session: Session, code: str) -> QueueItem:
    found = order_of_code(session, code)
    if found is None:
        raise NotFound(N_('No repair order or serial "{code}".'), code=code)
    order = load_order(session, found[0])
    if order.state is states.S.SPECIAL_PENDING:
        _require_approval_if_special(order)
    if order.state is not states.S.RECEIVED:
        raise IllegalTransition(
            N_("Order {order_no} is not waiting for allocation ({state})."),
            order_no=order.order_no,
            state=states.STATE_LABELS[order.state],
        )
    _require_approval_if_special(order)
    require_condition_checked(session, order)
    (row,) = order_rows(session, [order.id])
    return QueueItem(row.id, row.order_no, row.serial, row.model_name)


def reassign(ctx: Context, order_ids: Iterable[int], technician_id: int, reason: str) -> list[str]:
    """Hand orders already on a bench to another technician; the reason goes into the out-book."""
    ctx.require(Permission.ALLOCATE)
    if not reason.strip():
        raise InvalidInput(N_("Give a reason for the reassignment."))
    ids = list(dict.fromkeys(order_ids))
    now = ctx.now()
    with ctx.db.transaction() as session:
        technician = active_technician(session, technician_id)
        numbers = []
        for order_id in ids:
            order = load_order(session, order_id)
            if order.state not in REASSIGNABLE:
                raise IllegalTransition(
                    N_("Order {order_no} is {state}: only orders on a bench can be reassigned."),
                    order_no=order.order_no,
                    state=states.STATE_LABELS[order.state],
                )
            if order.technician_id == technician.id:
                raise InvalidInput(
                    N_("Order {order_no} is already with {name}."),
                    order_no=order.order_no,
                    name=technician.display_name,
                )
            previous = order.technician_id
            order.technician_id = technician.id
            order.updated_at = now
            session.add(
                Allocation(
                    order_id=order.id,
                    technician_id=technician.id,
                    previous_technician_id=previous,
                    reason=reason.strip(),
                    at=now,
                    by_id=ctx.user_id,
                    station=ctx.station,
                )
            )
            audit.record(
                session,
                ctx,
                AuditAction.REASSIGN,
                "repair_order",
                order.order_no,
                order_id=order.id,
                before={"technician_id": previous},
                after={"technician_id": technician.id},
                detail=reason.strip(),
            )
            numbers.append(order.order_no)
        return numbers


def workload(ctx: Context, now: datetime) -> Sequence[TechnicianLoad]:
    """Open and overdue orders per active technician, busiest first."""
    ctx.require(Permission.ALLOCATE)
    on_bench = and_(
        RepairOrder.technician_id == User.id, RepairOrder.state.in_(sorted(REASSIGNABLE))
    )
    with ctx.db.read() as session:
        rows = session.execute(
            select(
                User.id,
                User.display_name,
                User.badge_code,
                func.count(RepairOrder.id),
                func.coalesce(func.sum(case((RepairOrder.due_at < now, 1), else_=0)), 0),
            )
            .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.TECHNICIAN))
            .outerjoin(RepairOrder, on_bench)
            .where(User.active.is_(True))
            .group_by(User.id, User.display_name, User.badge_code)
            .order_by(func.count(RepairOrder.id).desc(), User.display_name)
        ).all()
    return [TechnicianLoad(*row) for row in rows]


def out_book(ctx: Context, first_day: date, last_day: date) -> Sequence[OutBookLine]:
    """The out-book (出库本): per day, technician and model, how many units were handed over."""
    ctx.require(Permission.ALLOCATE)
    start = datetime.combine(first_day, time.min, center_zone())
    end = datetime.combine(last_day, time.max, center_zone())
    technician = aliased(User)
    with ctx.db.read() as session:
        rows = session.execute(
            select(Allocation.at, technician.display_name, ProductModel.name)
            .join(technician, technician.id == Allocation.technician_id)
            .join(RepairOrder, RepairOrder.id == Allocation.order_id)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(Allocation.at >= start, Allocation.at <= end)
            .order_by(Allocation.at)
        ).all()
    counts: dict[tuple[date, str, str], int] = {}
    for at, name, model in rows:  # grouped in Python: the day is the center's local day
        key = (at.astimezone(center_zone()).date(), name, model)
        counts[key] = counts.get(key, 0) + 1
    return [
        OutBookLine(day, name, model, quantity) for (day, name, model), quantity in counts.items()
    ]
