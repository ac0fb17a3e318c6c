"""Printing a document again from its row in any list: made anew from the database (a waybill
after shipping, a label that fell off, a slip for the customer), found by the number the row shows
(order, box waybill, shipment, complaint), and audited: who printed what again, where."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app import audit
from app.audit_actions import AuditAction
from app.context import Context
from app.documents.roles import DocumentKind
from app.errors import N_, NotFound
from app.models import Complaint, ComplaintOrder, InboundBox, RepairOrder, Shipment, ShipmentItem

LabelSize = tuple[int, int] | None
Builder = Callable[[Context, int, int, LabelSize], bytes]


def _order_label(ctx: Context, order_id: int, dpi: int, size: LabelSize) -> bytes:
    from app.receiving.order_labels import order_labels_pdf

    return order_labels_pdf(ctx, [order_id], size, dpi)


def _order_label_zpl(ctx: Context, order_id: int, dpi: int, size: LabelSize) -> bytes:
    from app.receiving.order_labels import order_labels_zpl

    return order_labels_zpl(ctx, [order_id], size, dpi)


def _slip(ctx: Context, box_id: int, dpi: int, _size: LabelSize) -> bytes:
    from app.receiving.boxes import receiving_slip

    return receiving_slip(ctx, box_id)


def _waybill(ctx: Context, shipment_id: int, dpi: int, _size: LabelSize) -> bytes:
    from app.shipping.views import waybill_document

    return waybill_document(ctx, shipment_id, label_only=True, dpi=dpi)


def _packing_list(ctx: Context, shipment_id: int, _dpi: int, _size: LabelSize) -> bytes:
    from app.shipping.views import packing_list_document

    return packing_list_document(ctx, shipment_id)


def _letter(ctx: Context, complaint_id: int, _dpi: int, _size: LabelSize) -> bytes:
    from app.documents.apology import apology_letter_pdf

    return apology_letter_pdf(ctx, complaint_id)


def _timeline(ctx: Context, order_id: int, _dpi: int, _size: LabelSize) -> bytes:
    from app.search.timeline import order_timeline
    from app.search.timeline_text import timeline_document
    from app.vocabulary import DOCUMENT_LANGUAGE, translator

    return timeline_document(order_timeline(ctx, order_id), translator(DOCUMENT_LANGUAGE))


# kind -> (the model its number names, the number's column, the builder; each checks permission)
SOURCES: dict[DocumentKind, tuple[Any, str, Builder]] = {
    DocumentKind.ORDER_LABEL: (RepairOrder, "order_no", _order_label),
    DocumentKind.TIMELINE: (RepairOrder, "order_no", _timeline),
    DocumentKind.RECEIVING_SLIP: (InboundBox, "waybill_no", _slip),
    DocumentKind.WAYBILL_LABEL: (Shipment, "shipment_no", _waybill),
    DocumentKind.PACKING_LIST: (Shipment, "shipment_no", _packing_list),
    DocumentKind.APOLOGY_LETTER: (Complaint, "complaint_no", _letter),
}


def reprint(
    ctx: Context,
    kind: DocumentKind,
    number: str,
    *,
    dpi: int = 203,
    label_size: LabelSize = None,
    zpl: bool = False,
) -> bytes:
    """The document ``kind`` of the row numbered ``number``, for a printer of ``dpi`` (a label
    in ZPL when ``zpl``, for a printer that takes it raw; every other document is a PDF); the
    reprint is audited once the document is made (a refusal records nothing)."""
    model, column, build = SOURCES[kind]
    if zpl and kind is DocumentKind.ORDER_LABEL:
        build = _order_label_zpl
    with ctx.db.read() as session:
        object_id = session.scalar(select(model.id).where(getattr(model, column) == number.strip()))
    if object_id is None:
        raise NotFound(N_("There is no {number} to print again."), number=number)
    pdf = build(ctx, object_id, dpi, label_size)
    with ctx.db.transaction() as session:
        audit.record(
            session,
            ctx,
            AuditAction.REPRINT_DOCUMENT,
            model.__tablename__,
            object_id,
            order_id=object_id if model is RepairOrder else None,
            detail=f"{kind.value} {number.strip()}",
        )
    return pdf


Documents = list[tuple[DocumentKind, str]]


def documents_of_order(ctx: Context, order_no: str) -> Documents:
    """What an order's row prints again: its label, its box's receiving slip, its shipment's
    waybill and packing list (once shipped), its timeline; each with the number it is found by."""
    with ctx.db.read() as session:
        row = session.execute(
            select(RepairOrder.id, InboundBox.waybill_no)
            .outerjoin(InboundBox, InboundBox.id == RepairOrder.box_id)
            .where(RepairOrder.order_no == order_no.strip())
        ).first()
        if row is None:
            return []
        shipment_no = session.scalar(
            select(Shipment.shipment_no)
            .join(ShipmentItem, ShipmentItem.shipment_id == Shipment.id)
            .where(ShipmentItem.order_id == row.id)
            .order_by(Shipment.id.desc())
            .limit(1)
        )
    found: Documents = [(DocumentKind.ORDER_LABEL, order_no.strip())]
    if row.waybill_no:
        found.append((DocumentKind.RECEIVING_SLIP, row.waybill_no))
    if shipment_no:
        found += [
            (DocumentKind.WAYBILL_LABEL, shipment_no),
            (DocumentKind.PACKING_LIST, shipment_no),
        ]
    found.append((DocumentKind.TIMELINE, order_no.strip()))
    return found


def documents_of_complaint(ctx: Context, complaint_no: str) -> Documents:
    """What a complaint's row prints again: its apology letter, and the timeline of each order
    it concerns."""
    with ctx.db.read() as session:
        orders = session.scalars(
            select(RepairOrder.order_no)
            .join(ComplaintOrder, ComplaintOrder.order_id == RepairOrder.id)
            .join(Complaint, Complaint.id == ComplaintOrder.complaint_id)
            .where(Complaint.complaint_no == complaint_no.strip())
            .order_by(RepairOrder.order_no)
        ).all()
    return [(DocumentKind.APOLOGY_LETTER, complaint_no.strip())] + [
        (DocumentKind.TIMELINE, order_no) for order_no in orders
    ]


def order_number(ctx: Context, order_id: int) -> str:
    """The number an order's documents are printed again by."""
    with ctx.db.read() as session:
        number = session.scalar(select(RepairOrder.order_no).where(RepairOrder.id == order_id))
    if number is None:
        raise NotFound(N_("There is no {number} to print again."), number=str(order_id))
    return number
