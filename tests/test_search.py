"""Global search: one box finds an order by any key the phone agent or a scanner has at hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import add_customer, add_model, imei, receive, stock_row
from sqlalchemy import select, update

from app.models import (
    Customer,
    InboundBox,
    MoveKind,
    RepairOrder,
    Role,
    SerialSwap,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    StockMove,
    Unit,
)
from app.search.find import search
from app.search.hits import Closeness, MatchKind, prefix_upper_bound


@pytest.fixture
def floor(db, admin, clock):
    """Three customers, four orders received a day apart (the last is the newest)."""
    add_model(db)
    zhang = add_customer(db, admin, "张三丰", "13800138000")
    li = add_customer(db, admin, "李四", "13912345678")
    shop = add_customer(db, admin, "广州王氏通讯1号店", "15011112222")
    orders = {}
    for number, customer in ((1, zhang), (2, li), (3, shop), (4, zhang)):
        orders[number] = receive(admin, customer, number)
        clock.advance(timedelta(days=1))
    return orders


def _order_nos(hits):
    return [hit.order_no for hit in hits]


def test_an_order_number_finds_its_order_first(db, floor, admin):
    hits = search(admin, floor[2].order_no)
    assert hits[0].order_no == floor[2].order_no
    assert hits[0].kind is MatchKind.ORDER_NO and hits[0].exact
    assert hits[0].customer == "李四" and hits[0].serial == imei(2)


def test_a_part_of_an_order_number_lists_the_newest_orders_first(db, floor, admin):
    prefix = floor[1].order_no[:8]
    hits = search(admin, prefix.lower())  # typed in lower case: still found
    assert _order_nos(hits)[:4] == [floor[n].order_no for n in (4, 3, 2, 1)]
    assert all(hit.closeness is Closeness.PREFIX for hit in hits)


def test_a_scanned_imei_finds_the_unit_and_a_partial_serial_too(db, floor, admin):
    assert _order_nos(search(admin, imei(3))) == [floor[3].order_no]
    partial = search(admin, imei(3)[:12])
    assert floor[3].order_no in _order_nos(partial)
    assert partial[0].kind is MatchKind.SERIAL


def test_an_exact_match_ranks_before_newer_prefix_matches(db, admin, floor):
    # Customer "李四" exactly, and a newer customer whose name only starts with it.
    other = add_customer(db, admin, "李四海", "13700000001")
    newer = receive(admin, other, 9)
    hits = search(admin, "李四")
    assert hits[0].order_no == floor[2].order_no and hits[0].exact
    assert hits[1].order_no == newer.order_no and hits[1].closeness is Closeness.PREFIX


def test_a_chinese_name_prefix_finds_the_customers_orders(db, floor, admin):
    hits = search(admin, "张")
    assert _order_nos(hits) == [floor[4].order_no, floor[1].order_no]
    assert {hit.kind for hit in hits} == {MatchKind.CUSTOMER_NAME}


def test_a_name_inside_a_shops_name_is_found_when_no_name_starts_with_it(db, floor, admin):
    hits = search(admin, "王氏通讯")
    assert _order_nos(hits) == [floor[3].order_no]
    assert hits[0].closeness is Closeness.PARTIAL


def test_a_given_name_finds_the_customers_whose_name_ends_so(db, floor, admin):
    """ "三丰" of "张三丰": the name read backwards starts with it (``name_tail``, indexed)."""
    hits = search(admin, "三丰")
    assert _order_nos(hits) == [floor[4].order_no, floor[1].order_no]
    assert {hit.closeness for hit in hits} == {Closeness.PARTIAL}


def test_a_renamed_customer_is_found_by_the_new_given_name(db, floor, admin):
    with db.transaction() as session:
        zhang = session.scalar(select(Customer).where(Customer.name == "张三丰"))
        zhang.name = "张无忌"
    assert search(admin, "三丰") == []
    assert _order_nos(search(admin, "无忌")) == [floor[4].order_no, floor[1].order_no]


def test_a_given_name_is_found_by_the_index_not_by_reading_every_name(db, floor, admin):
    if not db.is_sqlite:
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from test_lookup_plans import full_scans

    assert full_scans(db, lambda: search(admin, "三丰")) == []
    # the shop's name inside a dealer's still reads the name index: the check sees it
    assert full_scans(db, lambda: search(admin, "王氏通讯")) != []


def test_a_phone_whole_its_first_digits_or_its_last_digits(db, floor, admin):
    whole = search(admin, "13912345678")
    assert _order_nos(whole) == [floor[2].order_no] and whole[0].exact
    assert _order_nos(search(admin, "139 1234")) == [floor[2].order_no]
    tail = search(admin, "5678")
    assert _order_nos(tail) == [floor[2].order_no]
    assert tail[0].kind is MatchKind.PHONE and tail[0].closeness is Closeness.PARTIAL


def test_an_inbound_waybill_finds_the_orders_of_its_box(db, admin, floor):
    with db.transaction() as session:
        box = InboundBox(
            waybill_no="SF1234567890123",
            sender_id=1,
            declared_quantity=1,
            opened_at=admin.now(),
            opened_by_id=admin.user_id,
        )
        session.add(box)
        session.flush()
        session.execute(
            update(RepairOrder).where(RepairOrder.id == floor[1].order_id).values(box_id=box.id)
        )
    hits = search(admin, "sf1234567890123")
    assert _order_nos(hits) == [floor[1].order_no]
    assert hits[0].kind is MatchKind.INBOUND_WAYBILL and hits[0].exact


def test_an_outbound_waybill_finds_the_orders_shipped_with_it(db, admin, floor):
    with db.transaction() as session:
        shipment = Shipment(
            shipment_no="SH202611240001",
            customer_id=1,
            status=ShipmentStatus.SHIPPED,
            carrier_code="EMS",
            waybill_no="EA123456785CN",
            receiver_name="张三丰",
            receiver_address="深圳",
            created_at=admin.now(),
            created_by_id=admin.user_id,
        )
        session.add(shipment)
        session.flush()
        for number in (1, 4):
            session.add(
                ShipmentItem(
                    shipment_id=shipment.id,
                    order_id=floor[number].order_id,
                    added_at=admin.now(),
                )
            )
    hits = search(admin, "EA123456785CN")
    assert _order_nos(hits) == [floor[4].order_no, floor[1].order_no]
    assert {hit.kind for hit in hits} == {MatchKind.OUTBOUND_WAYBILL}


def test_a_part_number_finds_the_orders_it_was_issued_to_and_the_part(db, admin, floor):
    with db.transaction() as session:
        part = stock_row(part_no="LCD-X1-01", name="X1 屏幕总成")
        session.add(part)
        session.flush()
        session.add(
            StockMove(
                part_id=part.id,
                kind=MoveKind.ISSUE,
                quantity=-1,
                balance_after=0,
                order_id=floor[3].order_id,
                at=admin.now(),
                by_id=admin.user_id,
                station="t",
            )
        )
    hits = search(admin, "lcd-x1")
    assert hits[0].order_no == floor[3].order_no and hits[0].kind is MatchKind.PART_NO
    assert hits[-1].order_id is None and hits[-1].part_name == "X1 屏幕总成"


def test_an_order_is_found_by_the_serial_swapped_out_of_it(db, admin, floor):
    with db.transaction() as session:
        old_unit_id = session.get(RepairOrder, floor[2].order_id).unit_id
        new_unit = Unit(serial=imei(77), product_model_id=1, created_at=admin.now())
        session.add(new_unit)
        session.flush()
        session.add(
            SerialSwap(
                order_id=floor[2].order_id,
                old_unit_id=old_unit_id,
                new_unit_id=new_unit.id,
                reason="换主板",
                swapped_at=admin.now(),
                swapped_by_id=admin.user_id,
            )
        )
        session.execute(
            update(RepairOrder)
            .where(RepairOrder.id == floor[2].order_id)
            .values(unit_id=new_unit.id)
        )
    old = search(admin, imei(2))
    assert _order_nos(old) == [floor[2].order_no]
    assert old[0].kind is MatchKind.OLD_SERIAL and old[0].serial == imei(77)
    assert _order_nos(search(admin, imei(77))) == [floor[2].order_no]


def test_nothing_typed_or_nothing_known_finds_nothing(db, floor, admin):
    assert search(admin, "   ") == []
    assert search(admin, "ZZ-NOT-THERE") == []
    assert search(admin, "%") == []


def test_the_limit_caps_the_hits(db, floor, admin):
    assert len(search(admin, "RO", limit=2)) == 2


def test_the_prefix_range_bound_is_the_next_string():
    assert prefix_upper_bound("RO2026") == "RO2027"
    assert prefix_upper_bound("张") == chr(ord("张") + 1)


def test_the_migration_fills_the_name_read_backwards_of_existing_customers(db, make_user):
    from alembic import command
    from sqlalchemy import text

    from app import schema

    clerk = make_user(Role.RECEIVING_CLERK, username="tailclerk")
    command.downgrade(schema.alembic_config(db), "0025")
    with db.transaction() as session:
        for name in ("李文兰", "广州王氏通讯1号店"):
            session.execute(
                text(
                    "INSERT INTO customers (kind, name, created_at) VALUES ('consumer', :name, :at)"
                ),
                {"name": name, "at": clerk.now()},
            )
    schema.upgrade(db)
    with db.read() as session:
        tails = dict(session.execute(select(Customer.name, Customer.name_tail)).all())
    assert tails["李文兰"] == "兰文李"
    assert tails["广州王氏通讯1号店"] == "店号1讯通氏王州广"
