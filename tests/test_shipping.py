"""Shipping: only QC-passed units, each scan checked; one transaction ships them all."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from conftest import PASSWORD
from factories import add_customer, add_model, audit_count, imei, receive, snapshot
from pdfcheck import pdf_barcodes, pdf_text
from pypdf import PdfReader
from sqlalchemy import func, select

from app.errors import Conflict, IllegalTransition, InvalidInput
from app.models import (
    AuditEntry,
    Carrier,
    FollowUp,
    RepairState,
    Role,
    Setting,
    Shipment,
    ShipmentItem,
)
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.qc import aging as qc
from app.shipping import shipments as shipping
from app.shipping.views import (
    active_carriers,
    carrier_for_waybill,
    open_shipments,
    ready_to_ship,
    shipment_version,
    shipment_view,
    shipping_ledger,
    waybill_document,
)


@pytest.fixture
def dock(db, make_user, clock):
    add_model(db, aging_minutes=60)
    with db.transaction() as session:
        session.add_all(
            [
                Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"),
                Carrier(
                    code="EMS",
                    name="EMS",
                    waybill_pattern=r"[A-Z]{2}\d{9}CN",
                    uses_s10_check_digit=True,
                ),
                Setting(key="center.name", value="星辰通讯售后维修中心"),
            ]
        )
    people = {
        role: make_user(role, username=role.value)
        for role in (Role.SUPERVISOR, Role.TECHNICIAN, Role.QC_TESTER, Role.SHIPPING_CLERK)
    }
    zhang = add_customer(db, people[Role.SUPERVISOR], "张三", "13800138000")
    li = add_customer(db, people[Role.SUPERVISOR], "李四", "13900139000")

    def passed(customer: int, number: int, warranty: bool = True) -> tuple[int, str]:
        received = receive(
            people[Role.SUPERVISOR],
            customer,
            number,
            purchase_date=date(2026, 6, 1) if warranty else None,
        )
        tech = people[Role.TECHNICIAN]
        orders.allocate(people[Role.SUPERVISOR], [received.order_id], tech.user_id)
        orders.start_repair(tech, received.order_id)
        orders.finish_repair(
            tech,
            received.order_id,
            diagnosis="-",
            repair_action="更换电池",
            expected_version=order_version(tech, received.order_id),
        )
        qc.start_aging(people[Role.QC_TESTER], received.order_id)
        clock.advance(hours=1)
        qc.sign_off(people[Role.QC_TESTER], received.order_id, passed=True, password=PASSWORD)
        return received.order_id, received.order_no

    return {
        "clerk": people[Role.SHIPPING_CLERK],
        "people": people,
        "zhang": zhang,
        "li": li,
        "passed": passed,
    }


def items(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(ShipmentItem))


def test_two_units_pack_and_ship_in_one_go_with_follow_ups(db, dock, clock):
    (first_id, first), (second_id, second) = (
        dock["passed"](dock["zhang"], 1),
        dock["passed"](dock["zhang"], 2),
    )
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    assert shipping.add_unit(dock["clerk"], shipment, first).order_no == first
    shipping.add_unit(dock["clerk"], shipment, second.lower())
    shipping.set_waybill(
        dock["clerk"],
        shipment,
        carrier_code="SF",
        waybill_no="SF1234567890123",
        weight_grams=800,
        expected_version=shipment_version(dock["clerk"], shipment),
    )
    assert shipping.ship(dock["clerk"], shipment) == [first, second]
    for order_id in (first_id, second_id):
        assert snapshot(db, order_id)["state"] == RepairState.SHIPPED
    with db.read() as session:
        due = session.scalars(select(FollowUp.due_at)).all()
    assert len(due) == 2 and all(
        clock.now() < when <= clock.now() + timedelta(days=5) for when in due
    )
    ledger = shipping_ledger(
        dock["clerk"], clock.now() - timedelta(days=1), clock.now() + timedelta(days=1)
    )
    assert [row.order_no for row in ledger] == [first, second]
    assert ledger[0].waybill_no == "SF1234567890123"


def test_a_unit_that_has_not_passed_qc_is_refused_with_the_reason(db, dock):
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    waiting = receive(dock["people"][Role.SUPERVISOR], dock["zhang"], 9)
    before = audit_count(db)
    with pytest.raises(IllegalTransition, match="has not passed QC \\(Received\\)"):
        shipping.add_unit(dock["clerk"], shipment, waiting.order_no)
    assert items(db) == 0 and audit_count(db) == before


def test_a_unit_of_another_customer_is_refused(db, dock):
    _, li_order = dock["passed"](dock["li"], 3)
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    with pytest.raises(InvalidInput, match="another customer"):
        shipping.add_unit(dock["clerk"], shipment, li_order)


def test_a_unit_already_shipped_or_packed_elsewhere_is_refused(db, dock):
    _, order_no = dock["passed"](dock["zhang"], 4)
    first = shipping.create_shipment(dock["clerk"], dock["zhang"])
    shipping.add_unit(dock["clerk"], first, order_no)
    second = shipping.create_shipment(dock["clerk"], dock["zhang"])
    with pytest.raises(Conflict, match="already packed"):
        shipping.add_unit(dock["clerk"], second, order_no)
    shipping.set_waybill(
        dock["clerk"],
        first,
        carrier_code="EMS",
        waybill_no="EA123456785CN",
        expected_version=shipment_version(dock["clerk"], first),
    )
    shipping.ship(dock["clerk"], first)
    with pytest.raises(Conflict, match="already shipped"):
        shipping.add_unit(dock["clerk"], second, order_no)


def test_a_waybill_must_match_its_carrier(db, dock):
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    with pytest.raises(InvalidInput, match="not a 顺丰速运 waybill"):
        shipping.set_waybill(
            dock["clerk"],
            shipment,
            carrier_code="SF",
            waybill_no="EA123456785CN",
            expected_version=shipment_version(dock["clerk"], shipment),
        )
    with pytest.raises(InvalidInput, match="check digit"):
        shipping.set_waybill(
            dock["clerk"],
            shipment,
            carrier_code="EMS",
            waybill_no="EA123456784CN",
            expected_version=shipment_version(dock["clerk"], shipment),
        )


def test_shipping_without_units_or_waybill_is_refused_and_changes_nothing(db, dock):
    order_id, order_no = dock["passed"](dock["zhang"], 5)
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    with pytest.raises(InvalidInput, match="at least one unit"):
        shipping.ship(dock["clerk"], shipment)
    shipping.add_unit(dock["clerk"], shipment, order_no)
    with pytest.raises(InvalidInput, match="waybill number"):
        shipping.ship(dock["clerk"], shipment)
    assert snapshot(db, order_id)["state"] == RepairState.QC_PASSED


def test_a_cancelled_shipment_frees_its_units(db, dock):
    _, order_no = dock["passed"](dock["zhang"], 6)
    first = shipping.create_shipment(dock["clerk"], dock["zhang"])
    shipping.add_unit(dock["clerk"], first, order_no)
    with pytest.raises(InvalidInput, match="reason"):
        shipping.cancel_shipment(dock["clerk"], first, "")
    for hidden in ("改地址\x00", "改\u202e地址", "改" * 256):  # refused as on PostgreSQL
        with pytest.raises(InvalidInput):
            shipping.cancel_shipment(dock["clerk"], first, hidden)
    with pytest.raises(InvalidInput):
        shipping.set_waybill(
            dock["clerk"],
            first,
            carrier_code="SF",
            waybill_no="x",
            pieces=10**30,
            expected_version=shipment_version(dock["clerk"], first),
        )
    shipping.cancel_shipment(dock["clerk"], first, "客户改地址")
    second = shipping.create_shipment(dock["clerk"], dock["zhang"])
    assert shipping.add_unit(dock["clerk"], second, order_no).order_no == order_no
    with pytest.raises(Conflict):
        shipping.add_unit(dock["clerk"], first, order_no)


def test_ready_to_ship_groups_by_customer(db, dock):
    dock["passed"](dock["zhang"], 7)
    dock["passed"](dock["zhang"], 8)
    dock["passed"](dock["li"], 10)
    groups = {group.customer_name: group.order_count for group in ready_to_ship(dock["clerk"])}
    assert groups == {"张三": 2, "李四": 1}


def test_the_waybill_pdf_decodes_to_waybill_and_shipment_and_prints_chinese(db, dock):
    _, order_no = dock["passed"](dock["zhang"], 11)
    shipment = shipping.create_shipment(dock["clerk"], dock["zhang"])
    shipping.add_unit(dock["clerk"], shipment, order_no)
    shipping.set_waybill(
        dock["clerk"],
        shipment,
        carrier_code="SF",
        waybill_no="SF1234567890123",
        expected_version=shipment_version(dock["clerk"], shipment),
    )
    pdf = waybill_document(dock["clerk"], shipment)
    with db.read() as session:
        shipment_no = session.scalar(
            select(AuditEntry.entity_id).where(AuditEntry.action == "create_shipment")
        )
    assert set(pdf_barcodes(pdf)) == {("Code128", "SF1234567890123"), ("QRCode", shipment_no)}
    text = pdf_text(pdf)
    for expected in ("顺丰速运", "张三", "星辰通讯售后维修中心", "装箱清单", order_no, "已修复"):
        assert expected in text


def test_ship_orders_packs_and_ships_in_one_transaction_or_not_at_all(db, dock):
    good_id, _ = dock["passed"](dock["zhang"], 12)
    waiting = receive(dock["people"][Role.SUPERVISOR], dock["zhang"], 13)
    with pytest.raises(IllegalTransition):
        shipping.ship_orders(
            dock["clerk"],
            [good_id, waiting.order_id],
            carrier_code="SF",
            waybill_no="SF1234567890123",
            receiver_name="张三",
            receiver_phone=None,
            receiver_address="深圳",
        )
    assert snapshot(db, good_id)["state"] == RepairState.QC_PASSED and items(db) == 0


def shipments(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Shipment))


def test_the_first_scan_starts_a_shipment_for_that_units_customer(db, dock):
    dock["passed"](dock["zhang"], 20)
    started = shipping.start_shipment(dock["clerk"], imei(20))  # the unit's own IMEI
    assert started.unit.serial == imei(20)
    view = shipment_view(dock["clerk"], started.shipment_id)
    assert (view.customer_name, view.receiver_name, view.unit_count) == ("张三", "张三", 1)
    assert view.receiver_address == "深圳市南山区科技园"
    assert [(open.shipment_no, open.unit_count) for open in open_shipments(dock["clerk"])] == [
        (started.shipment_no, 1)
    ]


def test_a_refused_first_scan_leaves_no_empty_shipment(db, dock):
    waiting = receive(dock["people"][Role.SUPERVISOR], dock["zhang"], 21)
    before = audit_count(db)
    with pytest.raises(IllegalTransition, match="has not passed QC"):
        shipping.start_shipment(dock["clerk"], waiting.order_no)
    assert shipments(db) == 0 and items(db) == 0 and audit_count(db) == before


def test_shipped_and_cancelled_shipments_leave_the_packing_table(db, dock):
    _, first = dock["passed"](dock["zhang"], 22)
    _, second = dock["passed"](dock["zhang"], 23)
    gone = shipping.start_shipment(dock["clerk"], first).shipment_id
    shipping.cancel_shipment(dock["clerk"], gone, "客户要求合并发货")
    kept = shipping.start_shipment(dock["clerk"], second).shipment_id
    assert [open.id for open in open_shipments(dock["clerk"])] == [kept]


def test_the_carrier_list_and_which_carrier_a_scanned_waybill_fits(db, dock):
    assert [carrier.code for carrier in active_carriers(dock["clerk"])] == ["SF", "EMS"]
    assert carrier_for_waybill(dock["clerk"], "sf1234567890123") == "SF"
    assert carrier_for_waybill(dock["clerk"], "EA123456785CN") == "EMS"
    assert carrier_for_waybill(dock["clerk"], "EA123456784CN") is None  # wrong S10 check digit
    assert carrier_for_waybill(dock["clerk"], imei(1)) is None


def test_the_label_alone_is_one_page_with_both_barcodes(db, dock):
    _, order_no = dock["passed"](dock["zhang"], 24)
    started = shipping.start_shipment(dock["clerk"], order_no)
    shipping.set_waybill(
        dock["clerk"],
        started.shipment_id,
        carrier_code="EMS",
        waybill_no="EA123456785CN",
        expected_version=shipment_version(dock["clerk"], started.shipment_id),
    )
    label = waybill_document(dock["clerk"], started.shipment_id, label_only=True)
    assert len(PdfReader(io.BytesIO(label)).pages) == 1
    assert "收件人" in pdf_text(label) and "共 1 台" not in pdf_text(label)
    assert set(pdf_barcodes(label)) == {
        ("Code128", "EA123456785CN"),
        ("QRCode", started.shipment_no),
    }
