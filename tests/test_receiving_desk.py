"""The receiving desk's services: senders, intake choices, a serial's history, scan_unit."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, audit_count, bad_imei, force_state, imei
from sqlalchemy import func, select

from app.errors import Conflict, InvalidInput
from app.models import (
    Carrier,
    CustomerKind,
    ProductCategory,
    ProductModel,
    RepairOrder,
    RepairState,
    Role,
    SalesRecord,
)
from app.receiving import close_box, open_box
from app.receiving.desk import (
    UnitDetails,
    add_sender,
    box_defaults,
    box_lines,
    check_waybill,
    model_choices,
    scan_unit,
    search_senders,
    unit_history,
)

EMS = "EA123456785CN"


@pytest.fixture
def desk(db, make_user):
    add_model(db)
    with db.transaction() as session:
        session.add(
            Carrier(
                code="EMS",
                name="EMS",
                waybill_pattern=r"[A-Z]{2}\d{9}CN",
                uses_s10_check_digit=True,
            )
        )
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    sender = add_customer(db, clerk, "华强北星辰通讯", "13912345678")
    box = open_box(clerk, EMS, sender_id=sender, declared_quantity=3)
    return {"clerk": clerk, "sender": sender, "box": box}


def order_count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(RepairOrder))


def test_senders_are_found_by_the_start_of_their_name_or_phone(db, desk):
    clerk = desk["clerk"]
    add_customer(db, clerk, "张三", "13800138000")
    assert [s.name for s in search_senders(clerk, "华强")] == ["华强北星辰通讯"]
    assert [s.name for s in search_senders(clerk, "1380")] == ["张三"]
    assert len(search_senders(clerk, "")) == 2


def test_a_new_sender_is_added_at_the_desk_and_a_bad_phone_is_refused(db, desk):
    clerk = desk["clerk"]
    before = audit_count(db)
    with pytest.raises(InvalidInput):
        add_sender(clerk, "  ")
    with pytest.raises(InvalidInput):
        add_sender(clerk, "李四维修店", "12345")
    assert audit_count(db) == before
    new_id = add_sender(clerk, "李四维修店", "13700137000", "广州市天河区")
    found = search_senders(clerk, "李四")
    assert [(s.id, s.kind) for s in found] == [(new_id, CustomerKind.DEALER)]
    assert audit_count(db) == before + 1


def test_model_choices_carry_the_category_checklists(db, desk):
    with db.transaction() as session:
        session.add(
            ProductCategory(
                code="phone",
                name="手机",
                appearance_checklist=["屏幕", "外壳"],
                accessory_checklist=["充电器", "数据线"],
            )
        )
        model = session.scalar(select(ProductModel).where(ProductModel.code == "X1"))
        model.common_faults = ["不开机", "屏幕碎裂"]
        model.capacities = ["128G", "256G"]
    (choice,) = model_choices(desk["clerk"])
    assert choice.common_faults == ("不开机", "屏幕碎裂")
    assert choice.accessory_checklist == ("充电器", "数据线")
    assert choice.appearance_checklist == ("屏幕", "外壳")
    assert choice.capacities == ("128G", "256G")


def test_a_waybill_scanned_with_no_box_open_is_checked_before_the_box_opens(db, desk):
    clerk = desk["clerk"]
    new = check_waybill(clerk, "ea123456799cn")
    assert (new.waybill_no, new.carrier_name, new.open_box_id) == ("EA123456799CN", "EMS", None)
    assert check_waybill(clerk, EMS).open_box_id == desk["box"]  # still open: resume it
    with pytest.raises(InvalidInput):  # the S10 check digit
        check_waybill(clerk, "EA123456786CN")
    with pytest.raises(Conflict, match="No box is open"):  # a serial, not a waybill
        check_waybill(clerk, imei(1))
    scan_unit(clerk, desk["box"], imei(1))
    close_box(clerk, desk["box"], difference_note="少两台")
    with pytest.raises(Conflict, match="closed"):
        check_waybill(clerk, EMS)


def test_a_scan_with_no_open_box_is_refused_and_writes_nothing(db, desk):
    before = audit_count(db)
    with pytest.raises(Conflict):
        scan_unit(desk["clerk"], None, imei(1))
    with pytest.raises(InvalidInput):  # an empty scan says it is empty
        scan_unit(desk["clerk"], None, "  ")
    assert order_count(db) == 0 and audit_count(db) == before


def test_a_scan_into_a_closed_box_is_refused(db, desk):
    scan_unit(desk["clerk"], desk["box"], imei(1))
    close_box(desk["clerk"], desk["box"], difference_note="少两台")
    with pytest.raises(Conflict):
        scan_unit(desk["clerk"], desk["box"], imei(2))
    assert order_count(db) == 1


def test_a_scan_makes_an_order_for_the_boxs_sender_with_the_details_of_the_panel(db, desk):
    with db.transaction() as session:
        session.add(
            SalesRecord(
                serial=imei(1),
                model_code="X1",
                sale_date=desk["clerk"].now().date(),
                dealer="星辰深圳",
            )
        )
    details = UnitDetails(
        capacity="128G", colour="黑色", fault_description="不开机", accessories=["充电器"]
    )
    result = scan_unit(desk["clerk"], desk["box"], imei(1), details)
    assert result.sale is not None and result.sale.dealer == "星辰深圳"
    assert result.received.in_warranty and result.history == [] and result.scanned_in_box == 1
    (line,) = box_lines(desk["clerk"], desk["box"])
    assert (line.capacity, line.colour, line.fault_description) == ("128G", "黑色", "不开机")
    defaults = box_defaults(desk["clerk"], desk["box"])
    assert (defaults.model_code, defaults.capacity, defaults.colour) == ("X1", "128G", "黑色")
    second = scan_unit(desk["clerk"], desk["box"], imei(2))
    assert second.sale is None  # never sold, per the register
    assert [line.capacity for line in box_lines(desk["clerk"], desk["box"])] == ["128G", "128G"]


def test_bad_scans_into_the_box_change_nothing(db, desk):
    scan_unit(desk["clerk"], desk["box"], imei(1))
    before = audit_count(db)
    with pytest.raises(InvalidInput):
        scan_unit(desk["clerk"], desk["box"], bad_imei(2))
    with pytest.raises(Conflict):
        scan_unit(desk["clerk"], desk["box"], imei(1))
    assert order_count(db) == 1 and audit_count(db) == before


def test_a_unit_seen_before_comes_with_its_history(db, desk, clock):
    first = scan_unit(desk["clerk"], desk["box"], imei(1), UnitDetails(fault_description="不开机"))
    force_state(db, first.received.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    clock.advance(hours=24 * 10)
    again = scan_unit(desk["clerk"], desk["box"], imei(1))
    assert again.received.is_repeat and again.received.is_rework
    assert [h.order_no for h in again.history] == [first.received.order_no]
    history = unit_history(desk["clerk"], imei(1).lower())
    assert [h.order_no for h in history] == [again.received.order_no, first.received.order_no]
    assert history[1].fault_description == "不开机"
