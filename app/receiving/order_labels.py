"""The label of a repair order, as a PDF ready for the label printer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select

from app import settings
from app.context import Context
from app.errors import N_, NotFound
from app.localtime import load_center_zone
from app.models import Customer, ProductModel, RepairOrder, Unit
from app.permissions import Permission

if TYPE_CHECKING:
    from app.documents.order_label import LabelData


def label_data(ctx: Context, order_ids: Iterable[int]) -> list[LabelData]:
    ctx.require(Permission.RECEIVE)
    from app.documents.order_label import LabelData  # reportlab loads when a label is made

    ids = list(order_ids)
    with ctx.db.read() as session:
        load_center_zone(session)
        rows = session.execute(
            select(RepairOrder, Unit.serial, ProductModel.name, Customer.name)
            .join(Unit, Unit.id == RepairOrder.unit_id)
            .join(ProductModel, ProductModel.id == Unit.product_model_id)
            .join(Customer, Customer.id == RepairOrder.customer_id)
            .where(RepairOrder.id.in_(ids))
        ).all()
    by_id = {order.id: (order, serial, model, customer) for order, serial, model, customer in rows}
    missing = [order_id for order_id in ids if order_id not in by_id]
    if missing:
        raise NotFound(N_("There is no repair order with id {id}."), id=missing[0])
    labels = []
    for order_id in ids:
        order, serial, model, customer = by_id[order_id]
        flags = [
            text
            for text, on in (
                ("返修", order.is_rework or order.is_repeat),
                ("保内" if order.in_warranty else "保外", True),
            )
            if on
        ]
        model_text = " ".join(part for part in (model, order.capacity, order.colour) if part)
        labels.append(
            LabelData(
                order.order_no,
                model_text,
                serial,
                order.received_at,
                order.fault_description,
                customer,
                " ".join(flags),
            )
        )
    return labels


def order_labels_pdf(
    ctx: Context,
    order_ids: Iterable[int],
    size: tuple[int, int] | None = None,
    dpi: int = 203,
) -> bytes:
    """The labels for a label printer of ``dpi`` with stock of ``size`` mm (None: the center's
    label stock, the ``print.label_size`` setting)."""
    ctx.require(Permission.RECEIVE)
    from app.documents.order_label import label_pdf

    if size is None:
        with ctx.db.read() as session:
            size = settings.get(session, settings.LABEL_SIZE)
    return label_pdf(label_data(ctx, order_ids), size, dpi)


def order_labels_zpl(
    ctx: Context,
    order_ids: Iterable[int],
    size: tuple[int, int] | None = None,
    dpi: int = 203,
) -> bytes:
    """The same labels in ZPL, for a thermal label printer that takes it raw."""
    ctx.require(Permission.RECEIVE)
    from app.documents.zpl import label_zpl

    if size is None:
        with ctx.db.read() as session:
            size = settings.get(session, settings.LABEL_SIZE)
    return label_zpl(label_data(ctx, order_ids), size, dpi)
