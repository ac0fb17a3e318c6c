"""Receiving rules of the core: serial checks, open orders, repeat repairs, warranty, numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import PASSWORD
from factories import (
    add_model,
    audit_count,
    bad_imei,
    floor_staff,
    imei,
    receive,
    repair_and_ship,
)
from sqlalchemy import func, select

from app.errors import Conflict, IllegalTransition, InvalidInput
from app.models import FollowUp, RepairOrder, RepairState, SalesRecord, SerialKind
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.qc import aging as qc
from app.receiving import Intake, add_months, receive_unit


@pytest.fixture
def floor(db, make_user):
    add_model(db, aging_minutes=240)
    return floor_staff(db, make_user)


def order_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(RepairOrder))


def test_a_scanned_imei_becomes_a_numbered_order_with_the_model_from_its_tac(db, floor):
    received = receive(floor["clerk"], floor["customer"], 1)
    second = receive(floor["clerk"], floor["customer"], 2)
    assert received.model_code == "X1"
    assert received.order_no == "RO202611020001" and second.order_no == "RO202611020002"


@pytest.mark.parametrize(
    ("serial", "message"),
    [
        ("", "Nothing was scanned"),
        ("8" * 65, "longer than 64"),
        ("86012345\x07000001", "control"),
        ("12345", "15 digits"),
        (bad_imei(1), "check digit"),
    ],
)
def test_a_bad_scan_is_refused_and_writes_nothing(db, floor, serial, message):
    before_orders, before_audit = order_count(db), audit_count(db)
    with pytest.raises(InvalidInput, match=message):
        receive_unit(
            floor["clerk"], Intake(serial=serial, customer_id=floor["customer"], model_code="X1")
        )
    assert order_count(db) == before_orders and audit_count(db) == before_audit


def test_free_form_serials_follow_their_models_pattern(db, floor):
    add_model(db, "W1", serial_kind=SerialKind.FREE, tac="99999999")
    received = receive_unit(
        floor["clerk"],
        Intake(serial="wt-2026-0001", customer_id=floor["customer"], model_code="W1"),
    )
    assert received.serial == "WT-2026-0001"
    with pytest.raises(InvalidInput):
        receive_unit(
            floor["clerk"], Intake(serial="WT 2026", customer_id=floor["customer"], model_code="W1")
        )


def test_a_unit_with_an_open_order_is_refused_naming_that_order(db, floor):
    first = receive(floor["clerk"], floor["customer"], 1)
    before = order_count(db)
    with pytest.raises(Conflict, match=first.order_no):
        receive(floor["clerk"], floor["customer"], 1)
    assert order_count(db) == before


def test_a_unit_back_within_90_days_of_our_shipment_is_a_rework(db, floor, clock):
    first = receive(floor["clerk"], floor["customer"], 1)
    repair_and_ship(floor, clock, first.order_id, PASSWORD)
    clock.advance(days=30)
    again = receive(floor["clerk"], floor["customer"], 1)
    assert again.is_repeat and again.is_rework
    assert again.in_warranty and "our repair" in again.warranty_basis


def test_a_unit_back_after_90_days_is_a_repeat_but_not_a_rework(db, floor, clock):
    first = receive(floor["clerk"], floor["customer"], 1)
    repair_and_ship(floor, clock, first.order_id, PASSWORD)
    clock.advance(days=91)
    again = receive(floor["clerk"], floor["customer"], 1)
    assert again.is_repeat and not again.is_rework


def test_warranty_comes_from_the_sales_register_first(db, floor, clock):
    with db.transaction() as session:
        session.add(
            SalesRecord(
                serial=imei(7),
                model_code="X1",
                sale_date=date(2026, 1, 15),
                dealer="华强北星辰通讯",
            )
        )
    received = receive(floor["clerk"], floor["customer"], 7, purchase_date=date(2020, 1, 1))
    assert received.in_warranty and received.warranty_until == date(2027, 1, 15)
    assert "华强北星辰通讯" in received.warranty_basis


def test_out_of_warranty_when_bought_more_than_the_warranty_months_ago(db, floor):
    received = receive(floor["clerk"], floor["customer"], 8, purchase_date=date(2025, 10, 1))
    assert not received.in_warranty and received.warranty_until == date(2026, 10, 1)


def test_add_months_keeps_the_end_of_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 12) == date(2027, 11, 30)


def test_qc_cannot_sign_off_before_the_aging_time_and_a_fail_goes_back_to_repair(db, floor, clock):
    order_id = receive(floor["clerk"], floor["customer"], 1).order_id
    orders.allocate(floor["boss"], [order_id], floor["tech"].user_id)
    orders.start_repair(floor["tech"], order_id)
    orders.finish_repair(
        floor["tech"],
        order_id,
        diagnosis="-",
        repair_action="换电池",
        expected_version=order_version(floor["tech"], order_id),
    )
    qc.start_aging(floor["qc"], order_id)
    clock.advance(hours=3, minutes=59)
    before = audit_count(db)
    with pytest.raises(IllegalTransition, match="1 more minutes"):
        qc.sign_off(floor["qc"], order_id, passed=True, password=PASSWORD)
    assert audit_count(db) == before
    clock.advance(minutes=1)
    failed = qc.sign_off(
        floor["qc"], order_id, passed=False, password=PASSWORD, reason="老化后自动重启"
    )
    assert failed.state is RepairState.IN_REPAIR and failed.rework_count == 1


def test_shipping_an_in_warranty_repair_schedules_a_follow_up_call(db, floor, clock):
    order_id = receive(
        floor["clerk"], floor["customer"], 1, purchase_date=date(2026, 6, 1)
    ).order_id
    repair_and_ship(floor, clock, order_id, PASSWORD)
    with db.read() as session:
        follow_up = session.scalar(select(FollowUp).where(FollowUp.order_id == order_id))
    assert follow_up is not None
    shipped_at = clock.now()
    assert shipped_at < follow_up.due_at <= shipped_at + timedelta(days=5)


def test_the_luhn_check_digit_makes_a_valid_imei() -> None:
    from app.formats import luhn_check_digit, luhn_valid

    assert luhn_check_digit("49015420323751") == "8"  # the textbook IMEI 490154203237518
    for body in ("86012345000001", "35999999123456", "00000000000000"):
        assert luhn_valid(body + luhn_check_digit(body))
        assert not luhn_valid(body + str((int(luhn_check_digit(body)) + 1) % 10))
