"""Shipping (发货): only QC-passed units (or units returned unrepaired) leave the building."""

from __future__ import annotations

from collections.abc import Iterable

from . import audit, numbering
from .context import Context
from .errors import N_, InvalidInput
from .models import FollowUp, FollowUpKind, Shipment, ShipmentItem, ShipmentStatus
from .orders import apply_transition, load_order
from .permissions import Permission
from .states import Action
from .workcal import WorkCalendar

FOLLOW_UP_WORKING_DAYS = 3


def ship_orders(
    ctx: Context,
    order_ids: Iterable[int],
    *,
    carrier_code: str,
    waybill_no: str,
    receiver_name: str,
    receiver_phone: str | None,
    receiver_address: str,
) -> str:
    """Ship orders of one customer in one parcel; in-warranty repairs get a follow-up call due."""
    ctx.require(Permission.SHIP)
    order_ids = list(dict.fromkeys(order_ids))
    if not order_ids:
        raise InvalidInput(N_("Scan at least one unit into the shipment."))
    if not receiver_name.strip() or not receiver_address.strip():
        raise InvalidInput(N_("The waybill needs the receiver's name and address."))
    now = ctx.now()
    with ctx.db.transaction() as session:
        calendar = WorkCalendar.load(session)
        orders = [load_order(session, order_id) for order_id in order_ids]
        customers = {order.customer_id for order in orders}
        if len(customers) > 1:
            raise InvalidInput(
                N_("One shipment goes to one customer: these units belong to several.")
            )
        shipment = Shipment(
            shipment_no=numbering.next_number(session, "SH", now),
            customer_id=orders[0].customer_id,
            status=ShipmentStatus.SHIPPED,
            carrier_code=carrier_code,
            waybill_no=waybill_no.strip(),
            receiver_name=receiver_name.strip(),
            receiver_phone=receiver_phone,
            receiver_address=receiver_address.strip(),
            pieces=1,
            created_at=now,
            created_by_id=ctx.user_id,
            shipped_at=now,
            shipped_by_id=ctx.user_id,
        )
        session.add(shipment)
        session.flush()
        for order in orders:
            apply_transition(
                session,
                ctx,
                order,
                Action.SHIP,
                shipped_at=now,
                detail=f"{carrier_code} {waybill_no}",
            )
            session.add(ShipmentItem(shipment_id=shipment.id, order_id=order.id, added_at=now))
            if order.in_warranty:
                session.add(
                    FollowUp(
                        kind=FollowUpKind.AFTER_REPAIR,
                        order_id=order.id,
                        customer_id=order.customer_id,
                        due_at=calendar.end_of_working_day(now, FOLLOW_UP_WORKING_DAYS),
                    )
                )
        audit.record(
            session,
            ctx,
            "ship",
            "shipment",
            shipment.shipment_no,
            after={"orders": [o.order_no for o in orders], "waybill_no": waybill_no},
        )
        return shipment.shipment_no
