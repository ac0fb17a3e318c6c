"""One small indexed query per search key: order number, serial (present or swapped out),
inbound and outbound waybill, part number, phone, customer name. Each returns candidates (an
order, how it matched); ``find.search`` merges and ranks them."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import (
    Customer,
    InboundBox,
    MoveKind,
    Part,
    PartMaster,
    RepairOrder,
    SerialSwap,
    Shipment,
    ShipmentItem,
    StockMove,
    Unit,
)
from app.search.hits import Candidate, Closeness, Hit, MatchKind, closeness_of, starts_with

# Most customers a name or phone fragment brings in; each brings its newest orders.
CUSTOMERS_PER_QUERY = 20
# Last digits of a phone, as a caller reads them out ("尾号 5678"): a fragment this long that is
# not the start of any number is looked for at the end of the numbers.
PHONE_TAIL_DIGITS = (4, 8)


def _newest_orders(query: Select, limit: int) -> Select:
    return query.order_by(RepairOrder.received_at.desc(), RepairOrder.id.desc()).limit(limit)


def by_order_no(session: Session, code: str, limit: int) -> list[Candidate]:
    # Order numbers grow with time, so the index read backwards gives the newest first.
    rows = session.execute(
        select(RepairOrder.id, RepairOrder.order_no)
        .where(starts_with(RepairOrder.order_no, code))
        .order_by(RepairOrder.order_no.desc())
        .limit(limit)
    )
    return [
        Candidate(order_id, MatchKind.ORDER_NO, closeness_of(order_no, code), order_no)
        for order_id, order_no in rows
    ]


def _units_with_serial(session: Session, code: str, limit: int) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Unit.id, Unit.serial)
        .where(starts_with(Unit.serial, code))
        .order_by(Unit.serial)
        .limit(limit)
    )
    return [(unit_id, serial) for unit_id, serial in rows]


def by_serial(session: Session, code: str, limit: int) -> list[Candidate]:
    units = _units_with_serial(session, code, limit)
    if not units:
        return []
    serial_of = dict(units)
    found: list[Candidate] = []
    present = session.execute(
        _newest_orders(
            select(RepairOrder.id, RepairOrder.unit_id).where(RepairOrder.unit_id.in_(serial_of)),
            limit,
        )
    )
    for order_id, unit_id in present:
        serial = serial_of[unit_id]
        found.append(Candidate(order_id, MatchKind.SERIAL, closeness_of(serial, code), serial))
    swapped = session.execute(
        select(SerialSwap.order_id, SerialSwap.old_unit_id)
        .where(SerialSwap.old_unit_id.in_(serial_of))
        .limit(limit)
    )
    for order_id, unit_id in swapped:
        serial = serial_of[unit_id]
        found.append(Candidate(order_id, MatchKind.OLD_SERIAL, closeness_of(serial, code), serial))
    return found


def by_waybill(session: Session, code: str, limit: int) -> list[Candidate]:
    found: list[Candidate] = []
    boxes = dict(
        session.execute(
            select(InboundBox.id, InboundBox.waybill_no)
            .where(starts_with(InboundBox.waybill_no, code))
            .limit(limit)
        ).all()
    )
    if boxes:
        rows = session.execute(
            _newest_orders(
                select(RepairOrder.id, RepairOrder.box_id).where(RepairOrder.box_id.in_(boxes)),
                limit,
            )
        )
        for order_id, box_id in rows:
            waybill = boxes[box_id]
            found.append(
                Candidate(order_id, MatchKind.INBOUND_WAYBILL, closeness_of(waybill, code), waybill)
            )
    # A shipment without a waybill never matches the prefix; the check narrows the type.
    shipments: dict[int, str] = {
        shipment_id: waybill_no
        for shipment_id, waybill_no in session.execute(
            select(Shipment.id, Shipment.waybill_no)
            .where(starts_with(Shipment.waybill_no, code))
            .limit(limit)
        )
        if waybill_no is not None
    }
    if shipments:
        rows = session.execute(
            select(ShipmentItem.order_id, ShipmentItem.shipment_id)
            .where(ShipmentItem.shipment_id.in_(shipments))
            .limit(limit)
        )
        for order_id, shipment_id in rows:
            waybill = shipments[shipment_id]
            found.append(
                Candidate(
                    order_id, MatchKind.OUTBOUND_WAYBILL, closeness_of(waybill, code), waybill
                )
            )
    return found


def by_part_no(session: Session, code: str, limit: int) -> tuple[list[Candidate], list[Hit]]:
    parts = session.execute(
        select(Part.id, Part.part_no, PartMaster.name)
        .join(PartMaster, PartMaster.part_no == Part.part_no)
        .where(starts_with(Part.part_no, code))
        .order_by(Part.part_no)
        .limit(limit)
    ).all()
    found: list[Candidate] = []
    part_hits: list[Hit] = []
    for part_id, part_no, name in parts:
        closeness = closeness_of(part_no, code)
        order_ids = session.scalars(
            select(StockMove.order_id)
            .where(
                StockMove.part_id == part_id,
                StockMove.kind == MoveKind.ISSUE,
                StockMove.order_id.is_not(None),
            )
            .order_by(StockMove.at.desc())
            .limit(limit)
        ).all()
        found += [
            Candidate(order_id, MatchKind.PART_NO, closeness, part_no)
            for order_id in dict.fromkeys(order_ids)
            if order_id is not None
        ]
        part_hits.append(
            Hit(MatchKind.PART_NO, closeness, part_no, None, part_no=part_no, part_name=name)
        )
    return found, part_hits


def _customers(session: Session, condition, limit: int) -> list[tuple[int, str, str | None]]:
    rows = session.execute(
        select(Customer.id, Customer.name, Customer.phone).where(condition).limit(limit)
    )
    return [(customer_id, name, phone) for customer_id, name, phone in rows]


def _scan_customers(session: Session, column, condition, limit: int) -> list[tuple[int, str]]:
    """A scan for a suffix or substring: only the id and the column, so SQLite reads the narrow
    covering index of the column instead of the whole customer table."""
    return [
        (cid, value or "")
        for cid, value in session.execute(select(Customer.id, column).where(condition).limit(limit))
    ]


def _ending_with(
    session: Session, column, reversed_column, text: str
) -> list[tuple[int, str, Closeness]]:
    """Customers whose ``column`` ends with ``text``: ``reversed_column`` (the same value read
    backwards, indexed) starts with it reversed, a range on its index."""
    rows = session.execute(
        select(Customer.id, column)
        .where(starts_with(reversed_column, text[::-1]))
        .limit(CUSTOMERS_PER_QUERY)
    )
    return [(cid, value or "", Closeness.PARTIAL) for cid, value in rows]


def _orders_of_customers(
    session: Session,
    customers: list[tuple[int, str, Closeness]],
    kind: MatchKind,
    limit: int,
) -> list[Candidate]:
    if not customers:
        return []
    match_of = {customer_id: (matched, closeness) for customer_id, matched, closeness in customers}
    rows = session.execute(
        _newest_orders(
            select(RepairOrder.id, RepairOrder.customer_id).where(
                RepairOrder.customer_id.in_(match_of)
            ),
            limit,
        )
    )
    return [
        Candidate(order_id, kind, match_of[customer_id][1], match_of[customer_id][0])
        for order_id, customer_id in rows
    ]


def by_phone(session: Session, digits: str, limit: int) -> list[Candidate]:
    """Customers by the digits of their phone (``Customer.phone_digits``: however the number was
    written, and however it is typed here: the caller normalises it first)."""
    rows = session.execute(
        select(Customer.id, Customer.phone, Customer.phone_digits)
        .where(starts_with(Customer.phone_digits, digits))
        .limit(CUSTOMERS_PER_QUERY)
    ).all()
    matched = [
        (cid, phone or stored or "", closeness_of(stored or "", digits))
        for cid, phone, stored in rows
    ]
    low, high = PHONE_TAIL_DIGITS
    if not rows and low <= len(digits) <= high:
        # The last digits: the digits read backwards start with them, a range on their index.
        matched = _ending_with(session, Customer.phone_digits, Customer.phone_tail, digits)
    return _orders_of_customers(session, matched, MatchKind.PHONE, limit)


def by_name(session: Session, text: str, limit: int) -> list[Candidate]:
    rows = _customers(session, starts_with(Customer.name, text), CUSTOMERS_PER_QUERY)
    matched = [(cid, name, closeness_of(name, text)) for cid, name, _phone in rows]
    if not rows and not text.isascii():
        # No name starts so: a name that ends so (the given name, "文兰" of "李文兰"), a range
        # on the name read backwards; only if none, a name inside a shop's name ("王氏通讯" in
        # "广州王氏通讯1号店"), which reads the whole name index.
        matched = _ending_with(session, Customer.name, Customer.name_tail, text)
    if not matched and not text.isascii():
        inner = _scan_customers(
            session,
            Customer.name,
            Customer.name.contains(text, autoescape=True),
            CUSTOMERS_PER_QUERY,
        )
        matched = [(cid, name, Closeness.PARTIAL) for cid, name in inner]
    return _orders_of_customers(session, matched, MatchKind.CUSTOMER_NAME, limit)
