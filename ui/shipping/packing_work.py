"""What the packing table's jobs run off the UI thread: plain functions of plain data (the context,
a code, ids), calling the core's services; never a widget.

The services are imported by the first job that calls them (on a worker, after the window's
first paint), not with this module: the shipping tab imports it before it shows
(ui/shipping/tab.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.context import Context
    from app.shipping.views import CarrierChoice, OpenShipment


def pack(ctx: Context, shipment_id: int | None, code: str, chosen: str | None) -> tuple[str, Any]:
    """A scanned label: a shipment started with it (none open) or the unit packed; else, with a
    shipment open, a code in a carrier's waybill format."""
    from app.errors import NotFound
    from app.shipping import shipments as shipping
    from app.shipping.views import carrier_for_waybill

    try:
        if shipment_id is None:
            return ("started", shipping.start_shipment(ctx, code))
        return ("packed", shipping.add_unit(ctx, shipment_id, code))
    except NotFound:
        carrier = carrier_for_waybill(ctx, code, chosen)
        if carrier is None or shipment_id is None:
            raise
        return ("waybill", carrier)


def waybill_carrier(ctx: Context, code: str, chosen: str | None) -> str | None:
    """The carrier whose waybill format the code fits (the chosen one first), if any."""
    from app.shipping.views import carrier_for_waybill

    return carrier_for_waybill(ctx, code, chosen)


def ship(ctx: Context, shipment_id: int) -> list[str]:
    from app.shipping import shipments as shipping

    return shipping.ship(ctx, shipment_id)


def remove_unit(ctx: Context, shipment_id: int, order_no: str) -> None:
    from app.shipping import shipments as shipping

    shipping.remove_unit(ctx, shipment_id, order_no)


def cancel(ctx: Context, shipment_id: int, reason: str) -> None:
    from app.shipping import shipments as shipping

    shipping.cancel_shipment(ctx, shipment_id, reason)


def open_shipments(ctx: Context) -> list[OpenShipment]:  # on the read worker
    from app.shipping.views import open_shipments

    return open_shipments(ctx)


def active_carriers(ctx: Context) -> list[CarrierChoice]:  # on the read worker
    from app.shipping.views import active_carriers

    return active_carriers(ctx)


def waybill_document(ctx: Context, shipment_id: int, dpi: int) -> bytes:  # on a worker
    from app.shipping.views import waybill_document

    return waybill_document(ctx, shipment_id, dpi=dpi)
