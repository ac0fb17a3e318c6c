"""Inbound boxes: opened by scanning the courier waybill, closed by counting against the declared
quantity. A difference needs a note and marks the box for customer contact."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, formats, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, Conflict, InvalidInput, NotFound
from app.localtime import load_center_zone, local_text
from app.models import Carrier, Customer, InboundBox, ProductModel, RepairOrder, Unit
from app.permissions import Permission


@dataclass(frozen=True)
class BoxSummary:
    id: int
    waybill_no: str
    carrier_code: str | None
    sender_name: str
    declared_quantity: int
    scanned_quantity: int
    opened_at: datetime
    closed_at: datetime | None
    difference_note: str | None
    needs_customer_contact: bool
    # The sender is under the watch after a complaint until then (None: not watched).
    sender_watched_until: datetime | None = None

    @property
    def difference(self) -> int:
        return self.scanned_quantity - self.declared_quantity


def identify_carrier(session: Session, waybill_no: str) -> Carrier:
    """The carrier whose waybill format matches, or a refusal that shows the expected formats."""
    carriers = session.scalars(
        select(Carrier).where(Carrier.active.is_(True)).order_by(Carrier.id)
    ).all()
    for carrier in carriers:
        if carrier.waybill_pattern and re.fullmatch(carrier.waybill_pattern, waybill_no):
            if carrier.uses_s10_check_digit and not formats.s10_valid(waybill_no):
                raise InvalidInput(
                    N_('Waybill "{waybill}" has a wrong check digit ({carrier}). Scan it again.'),
                    waybill=waybill_no,
                    carrier=carrier.name,
                )
            return carrier
    expected = [f"{c.name}: {c.waybill_pattern}" for c in carriers if c.waybill_pattern]
    raise InvalidInput(
        N_('"{waybill}" is not a waybill number of any carrier. Expected: {expected}.'),
        waybill=waybill_no,
        expected="; ".join(expected) or "-",
    )


def open_box(ctx: Context, waybill_no: str, *, sender_id: int, declared_quantity: int) -> int:
    ctx.require(Permission.RECEIVE)
    waybill_no = formats.clean_scan(waybill_no)
    declared_quantity = values.bounded_int(declared_quantity)
    with ctx.db.transaction() as session:
        if session.get(Customer, sender_id) is None:
            raise NotFound(N_("Choose the sender of this box."))
        carrier = identify_carrier(session, waybill_no)
        already = session.scalar(select(InboundBox).where(InboundBox.waybill_no == waybill_no))
        if already is not None:
            raise Conflict(
                N_("Box {waybill} was already opened on {date}."),
                waybill=waybill_no,
                date=local_text(already.opened_at),
            )
        box = InboundBox(
            waybill_no=waybill_no,
            carrier_code=carrier.code,
            sender_id=sender_id,
            declared_quantity=declared_quantity,
            opened_at=ctx.now(),
            opened_by_id=ctx.user_id,
        )
        session.add(box)
        session.flush()
        audit.record(
            session,
            ctx,
            AuditAction.OPEN_BOX,
            "inbound_box",
            waybill_no,
            after={
                "sender_id": sender_id,
                "declared_quantity": declared_quantity,
                "carrier": carrier.code,
            },
        )
        return box.id


def scanned_quantity(session: Session, box_id: int) -> int:
    return session.scalar(select(func.count()).where(RepairOrder.box_id == box_id)) or 0


def close_box(ctx: Context, box_id: int, *, difference_note: str = "") -> BoxSummary:
    """Close the box; a count different from the declared one needs a note and customer contact."""
    ctx.require(Permission.RECEIVE)
    difference_note = values.clean_text(difference_note, max_length=512, multiline=True)
    with ctx.db.transaction() as session:
        box = _open_box_for_update(session, box_id)
        scanned = scanned_quantity(session, box.id)
        if scanned == 0:
            raise InvalidInput(N_("No unit was scanned into this box. Scan units before closing."))
        differs = scanned != box.declared_quantity
        if differs and not difference_note:
            raise InvalidInput(
                N_("Declared {declared}, scanned {scanned}: write a note on the difference."),
                declared=box.declared_quantity,
                scanned=scanned,
            )
        box.closed_at = ctx.now()
        box.closed_by_id = ctx.user_id
        box.difference_note = difference_note or None
        box.needs_customer_contact = differs
        audit.record(
            session,
            ctx,
            AuditAction.CLOSE_BOX,
            "inbound_box",
            box.waybill_no,
            after={
                "scanned": scanned,
                "declared": box.declared_quantity,
                "needs_customer_contact": differs,
            },
            detail=box.difference_note,
        )
        session.flush()
        return _summary(session, box, ctx.now())


def _open_box_for_update(session: Session, box_id: int) -> InboundBox:
    box = session.scalar(select(InboundBox).where(InboundBox.id == box_id).with_for_update())
    if box is None:
        raise NotFound(N_("There is no such box."))
    if box.closed_at is not None:
        raise Conflict(N_("Box {waybill} is already closed."), waybill=box.waybill_no)
    return box


def _summary(session: Session, box: InboundBox, now: datetime) -> BoxSummary:
    from app.complaints import watchlist  # complaints' tables: mapped with the first box read

    sender = session.get(Customer, box.sender_id)
    return BoxSummary(
        box.id,
        box.waybill_no,
        box.carrier_code,
        sender.name if sender else "?",
        box.declared_quantity,
        scanned_quantity(session, box.id),
        box.opened_at,
        box.closed_at,
        box.difference_note,
        box.needs_customer_contact,
        watchlist.watched_in(session, now, box.sender_id),
    )


def box_summary(ctx: Context, box_id: int) -> BoxSummary:
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        box = session.get(InboundBox, box_id)
        if box is None:
            raise NotFound(N_("There is no such box."))
        return _summary(session, box, ctx.now())


def open_boxes(ctx: Context) -> list[BoxSummary]:
    """Boxes still open (a clerk may have left one open at the end of a shift)."""
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        boxes = session.scalars(
            select(InboundBox).where(InboundBox.closed_at.is_(None)).order_by(InboundBox.opened_at)
        ).all()
        return [_summary(session, box, ctx.now()) for box in boxes]


@dataclass(frozen=True)
class BoxDefaults:
    """What the next scan in a box most likely is: the same model, capacity and colour."""

    model_code: str | None
    capacity: str | None
    colour: str | None


def defaults_from_last_unit(session: Session, box_id: int) -> BoxDefaults:
    row = session.execute(
        select(Unit.product_model_id, RepairOrder.capacity, RepairOrder.colour)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .where(RepairOrder.box_id == box_id)
        .order_by(RepairOrder.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return BoxDefaults(None, None, None)
    code = session.scalar(select(ProductModel.code).where(ProductModel.id == row[0]))
    return BoxDefaults(code, row[1], row[2])


def receiving_slip(ctx: Context, box_id: int, dpi: int = 300) -> bytes:
    """The receiving slip of a box as a PDF for an A4 printer of ``dpi`` (printed at closing,
    or again later)."""
    ctx.require(Permission.RECEIVE)
    from app.documents.receiving_slip import ReceivingSlip, SlipLine, receiving_slip_pdf
    from app.models import User
    from app.settings import CENTER_NAME, get

    with ctx.db.read() as session:
        box = session.get(InboundBox, box_id)
        if box is None:
            raise NotFound(N_("There is no such box."))
        load_center_zone(session)
        rows = session.execute(
            select(RepairOrder, ProductModel.name)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .where(RepairOrder.box_id == box.id)
            .order_by(RepairOrder.id)
        ).all()
        lines = [
            SlipLine(
                order.order_no,
                model_name,
                order.unit.serial,
                order.fault_description,
                "、".join(order.accessories),
                " ".join(
                    flag
                    for flag, on in (("返修", order.is_repeat), ("保内", order.in_warranty))
                    if on
                ),
            )
            for order, model_name in rows
        ]
        carrier = session.scalar(select(Carrier.name).where(Carrier.code == box.carrier_code))
        clerk = session.get(User, box.opened_by_id)
        slip = ReceivingSlip(
            center_name=get(session, CENTER_NAME),
            waybill_no=box.waybill_no,
            carrier=carrier or box.carrier_code or "-",
            sender=box.sender.name,
            opened_at=box.opened_at,
            closed_at=box.closed_at,
            clerk=clerk.display_name if clerk else "?",
            declared=box.declared_quantity,
            lines=lines,
            difference_note=box.difference_note,
        )
    return receiving_slip_pdf(slip, dpi)
