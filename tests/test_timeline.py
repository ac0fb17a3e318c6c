"""The order timeline, the unit's history and the customer's record, read for the phone."""

from __future__ import annotations

from datetime import timedelta

from factories import add_customer, add_model, receive
from pdfcheck import pdf_text
from sqlalchemy import func, select

from app.audit import entries_for_order
from app.audit_actions import AuditAction
from app.context import SYSTEM_ACTOR, Context
from app.models import AuditEntry, Complaint, ComplaintOrder, RepairOrder, SerialSwap, Unit
from app.search.history import THREE_STRIKES, customer_view, unit_history
from app.search.timeline import order_timeline
from app.search.timeline_text import timeline_document, timeline_text


def _reader(db) -> Context:
    """Someone signed in on the demo month (the timeline needs no more)."""
    return Context(db, SYSTEM_ACTOR, "test")


def _busiest_order(db) -> int:
    with db.read() as session:
        return session.scalar(
            select(AuditEntry.order_id)
            .where(AuditEntry.order_id.is_not(None))
            .group_by(AuditEntry.order_id)
            .order_by(func.count().desc(), AuditEntry.order_id)
        )


def test_the_timeline_lists_every_audit_event_of_the_order_in_order(demo_db):
    order_id = _busiest_order(demo_db)
    timeline = order_timeline(_reader(demo_db), order_id)
    audited = [event for event in timeline.events if event.from_audit]
    entries = entries_for_order(demo_db, order_id)
    assert [event.action for event in audited] == [entry.action for entry in entries]
    assert [event.at for event in audited] == [entry.at for entry in entries]
    assert len(entries) >= 8
    times = [event.at for event in timeline.events]
    assert times == sorted(times)
    assert all(event.who and event.station for event in audited)


def test_every_audited_order_action_of_the_demo_has_a_readable_label(demo_db):
    with demo_db.read() as session:
        actions = set(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.order_id.is_not(None)).distinct()
            )
        )
    assert actions <= set(AuditAction)


def test_the_timeline_adds_qc_runs_shipments_complaints_and_follow_ups(demo_db):
    with demo_db.read() as session:
        order_id = session.scalar(
            select(ComplaintOrder.order_id)
            .join(RepairOrder, RepairOrder.id == ComplaintOrder.order_id)
            .where(RepairOrder.state == "shipped")
        )
    actions = {event.action for event in order_timeline(_reader(demo_db), order_id).events}
    assert {"receive", "aging_run", "shipment", "complaint", "follow_up"} <= actions


def test_the_text_for_the_phone_agent_holds_the_header_and_each_event(demo_db):
    order_id = _busiest_order(demo_db)
    timeline = order_timeline(_reader(demo_db), order_id)
    text = timeline_text(timeline)
    header = timeline.header
    assert f"Order {header.order_no}" in text
    assert header.serial in text and header.customer in text and header.phone in text
    assert len(text.strip().splitlines()) >= len(timeline.events) + 4
    assert "Received" in text


def test_the_timeline_prints_as_a_pdf_with_chinese(demo_db):
    order_id = _busiest_order(demo_db)
    timeline = order_timeline(_reader(demo_db), order_id)
    chinese = {"Received": "收货", "Repair order {order_no}: timeline": "维修单 {order_no} 履历"}
    pdf = timeline_document(timeline, lambda text: chinese.get(text, text))
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert f"维修单 {timeline.header.order_no} 履历" in text
    assert "收货" in text and timeline.header.customer in text


def test_a_swapped_serial_shows_in_the_header_and_joins_the_unit_history(db, admin, clock):
    add_model(db)
    customer = add_customer(db, admin)
    first = receive(admin, customer, 1)
    clock.advance(timedelta(days=30))
    with db.transaction() as session:
        order = session.get(RepairOrder, first.order_id)
        new_unit = Unit(serial="860123450000993", product_model_id=1, created_at=admin.now())
        session.add(new_unit)
        session.flush()
        session.add(
            SerialSwap(
                order_id=order.id,
                old_unit_id=order.unit_id,
                new_unit_id=new_unit.id,
                reason="换机",
                swapped_at=admin.now(),
                swapped_by_id=admin.user_id,
            )
        )
        order.unit_id = new_unit.id
    header = order_timeline(admin, first.order_id).header
    assert header.serial == "860123450000993"
    assert header.old_serials == (first.serial,)
    history = unit_history(admin, first.serial)
    assert [line.order_no for line in history] == [first.order_no]


def test_the_unit_history_lists_every_order_of_the_serial_with_repeat_flags(db, admin, clock):
    add_model(db)
    customer = add_customer(db, admin)
    first = receive(admin, customer, 1)
    with db.transaction() as session:
        session.get(RepairOrder, first.order_id).state = "shipped"
    clock.advance(timedelta(days=10))
    second = receive(admin, customer, 1)
    history = unit_history(admin, first.serial.lower())
    assert [line.order_no for line in history] == [second.order_no, first.order_no]
    assert history[0].is_repeat and not history[1].is_repeat
    assert unit_history(admin, "NO-SUCH-SERIAL") == []


def test_the_customer_view_flags_three_after_sales_problems(db, admin, clock):
    add_model(db)
    customer = add_customer(db, admin, "王五", "13600000000")
    for number in (1, 2):
        receive(admin, customer, number)
    view = customer_view(admin, customer, admin.now())
    assert len(view.orders) == 2 and view.recent_problems == 2 and not view.three_strikes
    with db.transaction() as session:
        complaint = Complaint(
            complaint_no="CP202611240001",
            customer_id=customer,
            channel="phone",
            description="修了两次还是坏",
            grade="B",
            category="repair_quality",
            status="open",
            received_at=admin.now(),
            received_by_id=admin.user_id,
            first_contact_due=admin.now(),
            answer_due=admin.now(),
        )
        session.add(complaint)
    view = customer_view(admin, customer, admin.now())
    assert view.recent_problems == THREE_STRIKES and view.three_strikes
    assert [c.complaint_no for c in view.complaints] == ["CP202611240001"]
    # A year later the old problems no longer count.
    later = customer_view(admin, customer, admin.now() + timedelta(days=400))
    assert not later.three_strikes
