"""Which events are due a notice: one pass over recent receipts, long waits for parts, shipments
and open complaints queues each event's notice once (its ``event_key``), so the pass can run as
often as wanted, on any station.

- received: an order received in the last two days;
- waiting for parts: an open wait older than the set days (once per wait);
- shipped: a shipment shipped in the last two days, with carrier and waybill;
- complaint progress (seed 003 及時回報: 「及時(6小時內,下班前)將處理進度告知客戶」): when the
  complaint is taken (queued at once, well inside the 6 working hours), and in the last hour
  before each of its open deadlines that lie more than an hour after receipt.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import care_settings, settings
from app.complaints.notices import NoticeEvent, queue_in
from app.context import Context
from app.models import (
    Carrier,
    Complaint,
    ComplaintStatus,
    PartWait,
    ProductModel,
    RepairOrder,
    Shipment,
    ShipmentItem,
    Unit,
)
from app.permissions import Permission

RECENT = timedelta(days=2)
BEFORE_DEADLINE = timedelta(hours=1)
STEP_WORDS = {
    "first_contact": "尽快与您联系",
    "answer": "今日内给您明确答复",
    "settle": "按期处理完毕",
}


def queue_due_notices(ctx: Context) -> int:
    """Queue the notices every event due one has not had yet; returns how many were queued."""
    ctx.require(Permission.HANDLE_COMPLAINTS)
    with ctx.db.transaction() as session:
        center = settings.get(session, settings.CENTER_NAME)
        count = _received(session, ctx, center)
        count += _waiting_parts(session, ctx)
        count += _shipped(session, ctx)
        count += _complaints(session, ctx, center)
        return count


def _queued(notice: object) -> int:
    return 0 if notice is None else 1


def _received(session: Session, ctx: Context, center: str) -> int:
    rows = session.execute(
        select(RepairOrder.id, RepairOrder.order_no, RepairOrder.customer_id, ProductModel.name)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(RepairOrder.received_at >= ctx.now() - RECENT)
    ).all()
    return sum(
        _queued(
            queue_in(
                session,
                ctx,
                event=NoticeEvent.RECEIVED,
                event_key=f"received:{order_id}",
                customer_id=customer_id,
                params={"center": center, "order_no": order_no, "model": model},
            )
        )
        for order_id, order_no, customer_id, model in rows
    )


def _waiting_parts(session: Session, ctx: Context) -> int:
    days = settings.get(session, care_settings.WAITING_PARTS_NOTICE_DAYS)
    now = ctx.now()
    rows = session.execute(
        select(PartWait.id, PartWait.since, RepairOrder.order_no, RepairOrder.customer_id)
        .join(RepairOrder, RepairOrder.id == PartWait.order_id)
        .where(PartWait.resolved_at.is_(None), PartWait.since <= now - timedelta(days=days))
    ).all()
    return sum(
        _queued(
            queue_in(
                session,
                ctx,
                event=NoticeEvent.WAITING_PARTS,
                event_key=f"waiting_parts:{wait_id}",
                customer_id=customer_id,
                params={"order_no": order_no, "days": (now - since).days},
            )
        )
        for wait_id, since, order_no, customer_id in rows
    )


def _shipped(session: Session, ctx: Context) -> int:
    shipments = session.execute(
        select(Shipment.id, Shipment.customer_id, Shipment.waybill_no, Carrier.name)
        .outerjoin(Carrier, Carrier.code == Shipment.carrier_code)
        .where(Shipment.shipped_at >= ctx.now() - RECENT)
    ).all()
    count = 0
    for shipment_id, customer_id, waybill_no, carrier in shipments:
        order_nos = session.scalars(
            select(RepairOrder.order_no)
            .join(ShipmentItem, ShipmentItem.order_id == RepairOrder.id)
            .where(ShipmentItem.shipment_id == shipment_id)
            .order_by(RepairOrder.order_no)
        ).all()
        count += _queued(
            queue_in(
                session,
                ctx,
                event=NoticeEvent.SHIPPED,
                event_key=f"shipped:{shipment_id}",
                customer_id=customer_id,
                params={
                    "order_no": "、".join(order_nos),
                    "carrier": carrier or "",
                    "waybill_no": waybill_no or "",
                },
            )
        )
    return count


def _complaints(session: Session, ctx: Context, center: str) -> int:
    now = ctx.now()
    complaints = session.scalars(
        select(Complaint).where(Complaint.status == ComplaintStatus.OPEN)
    ).all()
    count = 0
    for complaint in complaints:
        params = {"complaint_no": complaint.complaint_no, "center": center}
        count += _queued(
            queue_in(
                session,
                ctx,
                event=NoticeEvent.COMPLAINT_PROGRESS,
                event_key=f"complaint:{complaint.id}:taken",
                customer_id=complaint.customer_id,
                params={**params, "progress": "已受理,正在核查"},
            )
        )
        steps = (
            ("first_contact", complaint.first_contact_due, complaint.first_contact_at),
            ("answer", complaint.answer_due, complaint.answered_at),
            ("settle", complaint.settle_due, complaint.settled_at),
        )
        for step, due, done in steps:
            if due is None or done is not None or not now < due <= now + BEFORE_DEADLINE:
                continue
            if due - complaint.received_at <= BEFORE_DEADLINE:
                continue  # a deadline this close (first contact) is covered by the first notice
            count += _queued(
                queue_in(
                    session,
                    ctx,
                    event=NoticeEvent.COMPLAINT_PROGRESS,
                    event_key=f"complaint:{complaint.id}:before:{step}",
                    customer_id=complaint.customer_id,
                    params={**params, "progress": STEP_WORDS[step]},
                )
            )
    return count
