"""The unit view: every order of a serial and of the serials swapped from or to it, each with its
timeline, photos, parts used and complaints, gathered in a bounded number of queries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from factories import add_model, force_state, imei, receive, stock_row
from PIL import Image
from sqlalchemy import event

from app.allocation import workbench as bench
from app.complaints.registration import register_complaint
from app.models import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    MoveKind,
    RepairState,
    Role,
    StockMove,
)
from app.orders.listing import order_version
from app.receiving.photos import photo_picture, store_photo
from app.search.timeline import order_timeline
from app.search.unit_view import serial_of_order, unit_view


def png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def swapped(db, make_user, clock):
    """Serial A received, shipped; back again and its board swapped to B on the bench; then B
    swapped to C on a third order. One unit, three serials, three orders."""
    add_model(db)
    people = {
        "clerk": make_user(Role.RECEIVING_CLERK, username="clerk"),
        "tech": make_user(Role.TECHNICIAN, username="tech"),
        "agent": make_user(Role.CUSTOMER_SERVICE, username="agent"),
    }
    from factories import add_customer

    customer = add_customer(db, people["clerk"])
    first = receive(people["clerk"], customer, 1)
    force_state(db, first.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    clock.advance(timedelta(days=20))
    second = receive(people["clerk"], customer, 1)
    force_state(db, second.order_id, RepairState.IN_REPAIR)
    bench.swap_serial(
        people["tech"],
        second.order_id,
        imei(2),
        "换主板",
        expected_version=order_version(people["tech"], second.order_id),
    )
    force_state(db, second.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    clock.advance(timedelta(days=20))
    third = receive(people["clerk"], customer, 2)
    force_state(db, third.order_id, RepairState.IN_REPAIR)
    bench.swap_serial(
        people["tech"],
        third.order_id,
        imei(3),
        "整机更换",
        expected_version=order_version(people["tech"], third.order_id),
    )
    return people, customer, (first, second, third)


def test_every_order_of_the_unit_shows_from_any_of_its_serials(db, swapped):
    people, _customer, (first, second, third) = swapped
    for serial in (imei(1), imei(2), imei(3).lower()):
        view = unit_view(people["agent"], serial)
        assert view is not None
        assert [visit.order_no for visit in view.visits] == [
            third.order_no,
            second.order_no,
            first.order_no,
        ]
        assert sorted(view.serials) == sorted([imei(1), imei(2), imei(3)])
        assert view.serials[0] == serial.upper()
    view = unit_view(people["agent"], imei(2))
    assert view is not None
    newest, middle, oldest = view.visits
    assert (newest.serial, newest.old_serials) == (imei(3), (imei(2),))
    assert (middle.serial, middle.old_serials) == (imei(2), (imei(1),))
    assert (oldest.serial, oldest.old_serials) == (imei(1), ())
    assert middle.is_repeat and not oldest.is_repeat
    assert unit_view(people["agent"], imei(55)) is None


def test_each_order_carries_its_timeline_photos_parts_and_complaints(db, swapped, clock):
    people, customer, (first, second, third) = swapped
    photo_id = store_photo(people["clerk"], third.order_id, png(), name="front.png")
    with db.transaction() as session:
        part = stock_row(part_no="LCD-X1", name="X1 屏幕总成", unit_cost_cents=100)
        session.add(part)
        session.flush()
        for kind, quantity in ((MoveKind.ISSUE, -2), (MoveKind.RETURN_UNUSED, 1)):
            session.add(
                StockMove(
                    part_id=part.id,
                    kind=kind,
                    quantity=quantity,
                    balance_after=0,
                    order_id=second.order_id,
                    at=clock.now(),
                    by_id=people["tech"].user_id,
                    station="t",
                )
            )
    number = register_complaint(
        people["agent"],
        customer_id=customer,
        channel=ComplaintChannel.PHONE,
        description="修了又坏",
        customer_request=None,
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
        order_ids=[second.order_id],
    )
    view = unit_view(people["agent"], imei(1))
    assert view is not None
    newest, middle, oldest = view.visits
    assert [photo.photo_id for photo in newest.photos] == [photo_id]
    assert newest.photos[0].thumbnail.startswith(b"\xff\xd8")  # a JPEG thumbnail
    assert newest.photos[0].added_by and newest.photos[0].station == "test-station"
    assert photo_picture(people["agent"], photo_id) == ("image/png", png())
    assert [(p.part_no, p.quantity) for p in middle.parts] == [("LCD-X1", 1)]
    assert [c.complaint_no for c in middle.complaints] == [number]
    assert not oldest.parts and not oldest.photos and not oldest.complaints
    for visit in view.visits:  # the same events as the order's own timeline
        timeline = order_timeline(people["agent"], visit.order_id)
        assert [(e.at, e.action) for e in visit.events] == [
            (e.at, e.action) for e in timeline.events
        ]
    assert {"receive", "swap_serial", "complaint"} <= {e.action for e in middle.events}
    assert serial_of_order(people["agent"], first.order_id) == imei(1)


def test_the_view_takes_the_same_number_of_queries_for_one_order_or_many(db, swapped):
    people, _customer, _orders = swapped
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        view = unit_view(people["agent"], imei(3))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert view is not None and len(view.visits) == 3
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # unit, swap steps (≤ 3 here + the empty last), serials, orders, users, 5 event kinds,
    # parts, photos, complaints: never one query per order.
    assert len(queries) <= 18, queries
