"""Any document printed again from the number its row shows, made anew and audited."""

from __future__ import annotations

import pytest
from pdfcheck import pdf_text, printed_barcodes
from sqlalchemy import func, select

from app.audit_actions import AuditAction
from app.documents.reprint import reprint
from app.documents.roles import DocumentKind
from app.errors import NotFound
from app.models import (
    AuditEntry,
    Complaint,
    ComplaintGrade,
    RepairOrder,
    RepairState,
    Role,
    Shipment,
)


def reprints(db) -> list[tuple[str, str | None]]:
    with db.read() as session:
        return list(
            session.execute(
                select(AuditEntry.entity, AuditEntry.detail)
                .where(AuditEntry.action == AuditAction.REPRINT_DOCUMENT)
                .order_by(AuditEntry.id)
            ).all()
        )


@pytest.fixture
def boss(demo_db, make_user):
    """A supervisor of the demo month's floor (receives, ships, handles complaints)."""
    return make_user(Role.SUPERVISOR, username="reprint_boss")


def test_every_document_is_printed_again_from_its_rows_number_and_audited(demo_db, boss) -> None:
    supervisor = boss
    with demo_db.read() as session:
        shipped = session.scalar(
            select(RepairOrder.order_no).where(RepairOrder.state == RepairState.SHIPPED).limit(1)
        )
        shipment, waybill = session.execute(
            select(Shipment.shipment_no, Shipment.waybill_no)
            .where(Shipment.waybill_no.is_not(None), Shipment.shipped_at.is_not(None))
            .limit(1)
        ).one()
        complaint = session.scalar(  # a letter is for grade B and C (A: by phone)
            select(Complaint.complaint_no)
            .where(Complaint.chosen_remedy.is_not(None), Complaint.grade != ComplaintGrade.A)
            .limit(1)
        )
    assert shipped and shipment
    # The waybill after shipping, at the waybill printer's 300 dpi: it scans.
    label = reprint(supervisor, DocumentKind.WAYBILL_LABEL, shipment, dpi=300)
    assert ("Code128", waybill) in printed_barcodes(label, 300)[0]
    order_label = reprint(supervisor, DocumentKind.ORDER_LABEL, shipped, label_size=(50, 30))
    assert printed_barcodes(order_label, 203) == [[("Code128", shipped)]]
    assert shipment in pdf_text(reprint(supervisor, DocumentKind.PACKING_LIST, shipment))
    assert shipped in pdf_text(reprint(supervisor, DocumentKind.TIMELINE, shipped))
    kinds = [
        DocumentKind.WAYBILL_LABEL,
        DocumentKind.ORDER_LABEL,
        DocumentKind.PACKING_LIST,
        DocumentKind.TIMELINE,
    ]
    if complaint is not None:
        assert complaint in pdf_text(reprint(supervisor, DocumentKind.APOLOGY_LETTER, complaint))
        kinds.append(DocumentKind.APOLOGY_LETTER)
    assert [detail.split()[0] for _entity, detail in reprints(demo_db)] == [k.value for k in kinds]
    assert reprints(demo_db)[0] == ("shipments", f"waybill_label {shipment}")


def test_a_number_that_names_nothing_is_refused_and_nothing_is_audited(demo_db, boss):
    with pytest.raises(NotFound):
        reprint(boss, DocumentKind.WAYBILL_LABEL, "SH-NO-SUCH")
    with demo_db.read() as session:
        assert not session.scalar(
            select(func.count()).where(AuditEntry.action == AuditAction.REPRINT_DOCUMENT)
        )


def test_what_an_orders_row_and_a_complaints_row_print_again(demo_db, boss) -> None:
    from factories import add_customer, add_model, imei

    from app.documents.reprint import documents_of_complaint, documents_of_order, order_number
    from app.models import ComplaintOrder, ShipmentItem
    from app.receiving import Intake, receive_unit
    from app.receiving.boxes import open_box

    add_model(demo_db)
    sender = add_customer(demo_db, boss, "李四", "13900001111")
    box_waybill = "SF1234567890123"
    box = open_box(boss, box_waybill, sender_id=sender, declared_quantity=1)
    boxed_no = receive_unit(
        boss,
        Intake(serial=imei(901), customer_id=sender, model_code="X1", box_id=box),
    ).order_no
    with demo_db.read() as session:
        order_id, order_no, shipment_no = session.execute(
            select(RepairOrder.id, RepairOrder.order_no, Shipment.shipment_no)
            .join(ShipmentItem, ShipmentItem.order_id == RepairOrder.id)
            .join(Shipment, Shipment.id == ShipmentItem.shipment_id)
            .order_by(Shipment.id.desc())
            .limit(1)
        ).one()
        complaint_no, complaint_order = session.execute(
            select(Complaint.complaint_no, RepairOrder.order_no)
            .join(ComplaintOrder, ComplaintOrder.complaint_id == Complaint.id)
            .join(RepairOrder, RepairOrder.id == ComplaintOrder.order_id)
            .limit(1)
        ).one()
    assert (DocumentKind.RECEIVING_SLIP, box_waybill) in documents_of_order(boss, boxed_no)
    shipped = documents_of_order(boss, order_no)
    assert shipped[0] == (DocumentKind.ORDER_LABEL, order_no)
    assert shipped[-3:] == [
        (DocumentKind.WAYBILL_LABEL, shipment_no),
        (DocumentKind.PACKING_LIST, shipment_no),
        (DocumentKind.TIMELINE, order_no),
    ]
    assert documents_of_order(boss, "R-NO-SUCH") == []
    complaint_documents = documents_of_complaint(boss, complaint_no)
    assert complaint_documents[0] == (DocumentKind.APOLOGY_LETTER, complaint_no)
    assert (DocumentKind.TIMELINE, complaint_order) in complaint_documents[1:]
    assert order_number(boss, order_id) == order_no
    for kind, number in documents_of_order(boss, boxed_no) + shipped:  # every one prints
        assert reprint(boss, kind, number, label_size=(50, 30))[:4] == b"%PDF"
