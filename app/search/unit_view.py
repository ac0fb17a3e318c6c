"""One unit's whole story, read for the phone or the bench: every order of a serial and of the
serials it was swapped from or to, each with its timeline, photos, parts used and complaints.

:func:`unit_view` gathers it with a bounded number of indexed queries, whatever the number of
orders: the unit by its serial, the swaps (one query per step along a chain of swaps, at most
:data:`MAX_SWAP_STEPS`), the orders, then one query per kind of event, for the parts, the photos'
thumbnails and the complaints. Photos' full pictures are read one at a time when opened
(:func:`app.receiving.photos.photo_picture`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.context import Context
from app.formats import clean_scan
from app.models import (
    Complaint,
    ComplaintOrder,
    Customer,
    MoveKind,
    Part,
    PartMaster,
    Photo,
    ProductModel,
    RepairOrder,
    RepairState,
    SerialSwap,
    StockMove,
    Unit,
)
from app.search.timeline import TimelineEvent, order_events, user_names
from app.vocabulary import label

# A chain of board swaps longer than this is no real unit's; the walk stops rather than loop.
MAX_SWAP_STEPS = 8
# Orders shown for one unit (a unit back more often than this is a case for the supervisor).
MAX_ORDERS = 100
# Parts issued to an order: net of unused and faulty returns (the ledger's consumption kinds).
_CONSUMPTION = (MoveKind.ISSUE, MoveKind.RETURN_UNUSED, MoveKind.RETURN_FAULTY)


@dataclass(frozen=True)
class PartUsed:
    part_no: str
    name: str
    quantity: int


@dataclass(frozen=True)
class UnitPhoto:
    photo_id: int
    order_id: int
    caption: str
    added_at: datetime
    added_by: str
    station: str
    content_type: str
    byte_size: int
    thumbnail: bytes


@dataclass(frozen=True)
class UnitComplaint:
    complaint_id: int
    complaint_no: str
    grade: str
    status: str  # the status label (an N_ string: translate when shown)
    received_at: datetime
    description: str


@dataclass(frozen=True)
class UnitVisit:
    """One repair order of the unit."""

    order_id: int
    order_no: str
    serial: str  # the serial the order carries now
    old_serials: tuple[str, ...]  # serials swapped out on this order
    model: str
    customer: str
    phone: str
    state: RepairState
    received_at: datetime
    shipped_at: datetime | None
    fault_description: str
    in_warranty: bool
    is_repeat: bool
    is_rework: bool
    events: tuple[TimelineEvent, ...]
    parts: tuple[PartUsed, ...]
    photos: tuple[UnitPhoto, ...]
    complaints: tuple[UnitComplaint, ...]


@dataclass(frozen=True)
class UnitView:
    serial: str  # the serial asked for
    serials: tuple[str, ...]  # every serial of the unit: the one asked for first
    visits: tuple[UnitVisit, ...]  # newest first


def unit_view(ctx: Context, serial: str) -> UnitView | None:
    """The unit's story, or None if no unit has this serial. Anyone on the floor may look a unit
    up (like an order's timeline): a signed-in person's read."""
    serial = clean_scan(serial)
    with ctx.db.read() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.serial == serial))
        if unit_id is None:
            return None
        unit_ids, swaps = _swapped_units(session, unit_id)
        serial_of: dict[int, str] = {
            key: value
            for key, value in session.execute(
                select(Unit.id, Unit.serial).where(Unit.id.in_(unit_ids))
            )
        }
        swapped_orders = {order_id for order_id, _old, _new in swaps}
        rows = session.execute(
            select(
                RepairOrder,
                Unit.serial,
                ProductModel.name,
                Customer.name,
                Customer.phone,
            )
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .join(Customer, Customer.id == RepairOrder.customer_id)
            .where(or_(RepairOrder.unit_id.in_(unit_ids), RepairOrder.id.in_(swapped_orders)))
            .order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc())
            .limit(MAX_ORDERS)
        ).all()
        order_ids = [order.id for order, *_rest in rows]
        events = order_events(session, order_ids, names := user_names(session))
        parts = _parts_used(session, order_ids)
        photos = _photos(session, order_ids, names)
        complaints = _complaints(session, order_ids)
        visits = tuple(
            UnitVisit(
                order_id=order.id,
                order_no=order.order_no,
                serial=unit_serial,
                old_serials=tuple(
                    serial_of[old] for order_id, old, _new in swaps if order_id == order.id
                ),
                model=model,
                customer=customer,
                phone=phone or "",
                state=order.state,
                received_at=order.received_at,
                shipped_at=order.shipped_at,
                fault_description=order.fault_description,
                in_warranty=order.in_warranty,
                is_repeat=order.is_repeat,
                is_rework=order.is_rework,
                events=tuple(events.get(order.id, ())),
                parts=tuple(parts.get(order.id, ())),
                photos=tuple(photos.get(order.id, ())),
                complaints=tuple(complaints.get(order.id, ())),
            )
            for order, unit_serial, model, customer, phone in rows
        )
    others = sorted(value for key, value in serial_of.items() if key != unit_id)
    return UnitView(serial, (serial, *others), visits)


def serial_of_order(ctx: Context, order_id: int) -> str | None:
    """The serial an order carries now (to open its unit's view from the order)."""
    with ctx.db.read() as session:
        return session.scalar(
            select(Unit.serial)
            .join(RepairOrder, RepairOrder.unit_id == Unit.id)
            .where(RepairOrder.id == order_id)
        )


def _swapped_units(session: Session, unit_id: int) -> tuple[set[int], list[tuple[int, int, int]]]:
    """The units joined to this one by swaps, both ways (the old board's orders and the new
    board's are one history), and the swaps themselves (order, old unit, new unit)."""
    unit_ids = {unit_id}
    swaps: dict[int, tuple[int, int, int]] = {}
    frontier = {unit_id}
    for _step in range(MAX_SWAP_STEPS):
        if not frontier:
            break
        rows = session.execute(
            select(
                SerialSwap.id, SerialSwap.order_id, SerialSwap.old_unit_id, SerialSwap.new_unit_id
            )
            .where(
                or_(
                    SerialSwap.old_unit_id.in_(frontier),
                    SerialSwap.new_unit_id.in_(frontier),
                )
            )
            .order_by(SerialSwap.id)
        ).all()
        for swap_id, order_id, old, new in rows:
            swaps[swap_id] = (order_id, old, new)
        found = {unit for _id, _order, old, new in rows for unit in (old, new)} - unit_ids
        unit_ids |= found
        frontier = found
    return unit_ids, [swaps[key] for key in sorted(swaps)]


def _parts_used(session: Session, order_ids: list[int]) -> dict[int, list[PartUsed]]:
    rows = session.execute(
        select(StockMove.order_id, Part.part_no, PartMaster.name, func.sum(StockMove.quantity))
        .join(Part, Part.id == StockMove.part_id)
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .where(StockMove.order_id.in_(order_ids), StockMove.kind.in_(_CONSUMPTION))
        .group_by(StockMove.order_id, Part.part_no, PartMaster.name)
        .order_by(Part.part_no)
    ).all()
    used: dict[int, list[PartUsed]] = {}
    for order_id, part_no, name, total in rows:
        if order_id is not None and -int(total or 0) > 0:  # issued, not all returned
            used.setdefault(order_id, []).append(PartUsed(part_no, name, -int(total)))
    return used


def _photos(
    session: Session, order_ids: list[int], names: dict[int, str]
) -> dict[int, list[UnitPhoto]]:
    rows = session.execute(
        select(
            Photo.id,
            Photo.order_id,
            Photo.caption,
            Photo.added_at,
            Photo.added_by_id,
            Photo.station,
            Photo.content_type,
            Photo.byte_size,
            Photo.thumbnail,
        )
        .where(Photo.order_id.in_(order_ids))
        .order_by(Photo.id)
    ).all()
    photos: dict[int, list[UnitPhoto]] = {}
    for photo_id, order_id, caption, at, by, station, kind, size, thumbnail in rows:
        photos.setdefault(order_id, []).append(
            UnitPhoto(
                photo_id,
                order_id,
                caption or "",
                at,
                names.get(by, ""),
                station,
                kind,
                size,
                thumbnail,
            )
        )
    return photos


def _complaints(session: Session, order_ids: list[int]) -> dict[int, list[UnitComplaint]]:
    rows = session.execute(
        select(ComplaintOrder.order_id, Complaint)
        .join(Complaint, Complaint.id == ComplaintOrder.complaint_id)
        .where(ComplaintOrder.order_id.in_(order_ids))
        .order_by(Complaint.received_at)
    ).all()
    complaints: dict[int, list[UnitComplaint]] = {}
    for order_id, complaint in rows:
        complaints.setdefault(order_id, []).append(
            UnitComplaint(
                complaint.id,
                complaint.complaint_no,
                complaint.grade.value,
                label(complaint.status),
                complaint.received_at,
                complaint.description,
            )
        )
    return complaints
