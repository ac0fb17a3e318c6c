"""Boxes, the intake condition gate, the sales register, photos and the receiving slip."""

from __future__ import annotations

from datetime import date

import pytest
from factories import add_customer, add_model, audit_count, full_width, imei
from openpyxl import Workbook
from pdfcheck import pdf_barcodes, pdf_text
from PIL import Image
from sqlalchemy import func, select

from app.errors import Conflict, IllegalTransition, InvalidInput, PermissionDenied
from app.models import (
    Carrier,
    InboundBox,
    Photo,
    ProductCategory,
    RepairOrder,
    Role,
    SalesRecord,
)
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.receiving import (
    Intake,
    box_summary,
    close_box,
    open_box,
    receive_unit,
    record_condition,
)
from app.receiving.boxes import receiving_slip
from app.receiving.photos import attach_photo
from app.receiving.sales_register import import_sales_register

EMS = "EA123456785CN"  # the S10 example of DOMAIN.md: check digit 5


@pytest.fixture
def desk(db, make_user):
    add_model(db)
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
            ]
        )
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk", display_name="收货员小王")
    return {"clerk": clerk, "sender": add_customer(db, clerk, "华强北星辰通讯", "13912345678")}


def count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def scan(desk, box_id, number, **extra):
    return receive_unit(
        desk["clerk"],
        Intake(
            serial=imei(number),
            customer_id=desk["sender"],
            box_id=box_id,
            fault_description="屏幕碎裂",
            **extra,
        ),
    )


def test_a_box_opens_on_a_valid_waybill_of_a_known_carrier(db, desk):
    box_id = open_box(
        desk["clerk"], "sf1234567890123", sender_id=desk["sender"], declared_quantity=2
    )
    summary = box_summary(desk["clerk"], box_id)
    assert summary.waybill_no == "SF1234567890123" and summary.carrier_code == "SF"
    assert open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)


@pytest.mark.parametrize(
    ("waybill", "message"),
    [
        ("EA123456784CN", "wrong check digit"),
        ("YT1234", "not a waybill number of any carrier"),
    ],
)
def test_a_bad_waybill_is_refused_with_the_expected_format_and_opens_nothing(
    db, desk, waybill, message
):
    with pytest.raises(InvalidInput, match=message) as refused:
        open_box(desk["clerk"], waybill, sender_id=desk["sender"], declared_quantity=1)
    if "any carrier" in message:
        assert "SF" in str(refused.value)
    assert count(db, InboundBox) == 0


def test_the_same_waybill_cannot_open_two_boxes(db, desk):
    open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)
    with pytest.raises(Conflict, match="already opened"):
        open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)


def test_units_in_a_box_take_model_capacity_and_colour_from_the_last_unit(db, desk):
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=3)
    scan(desk, box_id, 1, model_code="X1", capacity="256G", colour="曜石黑")
    second = scan(desk, box_id, 2)
    with db.read() as session:
        order = session.get(RepairOrder, second.order_id)
        assert (order.capacity, order.colour, order.box_id) == ("256G", "曜石黑", box_id)


def test_the_same_serial_twice_in_one_box_is_refused(db, desk):
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=3)
    scan(desk, box_id, 1)
    with pytest.raises(Conflict, match="already scanned into this box"):
        scan(desk, box_id, 1)


def test_closing_with_a_different_count_needs_a_note_and_flags_customer_contact(db, desk):
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=3)
    scan(desk, box_id, 1)
    scan(desk, box_id, 2)
    with pytest.raises(InvalidInput, match="Declared 3, scanned 2"):
        close_box(desk["clerk"], box_id)
    assert box_summary(desk["clerk"], box_id).closed_at is None
    summary = close_box(desk["clerk"], box_id, difference_note="少一台,客户称另寄")
    assert summary.needs_customer_contact and summary.difference == -1
    with pytest.raises(Conflict, match="closed"):
        scan(desk, box_id, 3)


def test_a_box_closed_with_the_declared_count_needs_no_contact(db, desk):
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)
    scan(desk, box_id, 1)
    assert not close_box(desk["clerk"], box_id).needs_customer_contact


def test_the_receiving_slip_lists_every_unit_and_the_waybill_barcode(db, desk):
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=2)
    first = scan(desk, box_id, 1)
    close_box(desk["clerk"], box_id, difference_note="少一台")
    pdf = receiving_slip(desk["clerk"], box_id)
    text = pdf_text(pdf)
    for expected in (first.order_no, imei(1), "华强北星辰通讯", "少一台", "收货员小王", "屏幕碎裂"):
        assert expected in text
    assert ("Code128", EMS) in pdf_barcodes(pdf)


@pytest.fixture
def gated_phone(db):
    with db.transaction() as session:
        session.add(
            ProductCategory(
                code="phone",
                name="手机",
                intake_gate=True,
                appearance_checklist=["屏幕", "外壳", "按键"],
            )
        )


def test_a_unit_cannot_leave_receiving_before_its_appearance_check_is_complete(
    db, desk, gated_phone, make_user
):
    boss, tech = (
        make_user(Role.SUPERVISOR, username="boss"),
        make_user(Role.TECHNICIAN, username="tech"),
    )
    order_id = scan(desk, None, 1, appearance={"屏幕": "碎裂"}).order_id
    with pytest.raises(IllegalTransition, match="外壳、按键"):
        orders.allocate(boss, [order_id], tech.user_id)
    with pytest.raises(InvalidInput, match="Not on the checklist"):
        record_condition(
            desk["clerk"],
            order_id,
            {"电池": "鼓包"},
            expected_version=order_version(desk["clerk"], order_id),
        )
    assert (
        record_condition(
            desk["clerk"],
            order_id,
            {"外壳": "轻微划痕", "按键": "正常"},
            expected_version=order_version(desk["clerk"], order_id),
        )
        == []
    )
    assert orders.allocate(boss, [order_id], tech.user_id)


def test_a_unit_with_a_complete_check_at_the_scan_passes_the_gate_at_once(db, desk, gated_phone):
    received = scan(desk, None, 1, appearance={"屏幕": "正常", "外壳": "正常", "按键": "正常"})
    with db.read() as session:
        assert session.get(RepairOrder, received.order_id).condition_checked_at is not None


def register_file(tmp_path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["序列号", "机型", "销售日期", "经销商"])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "sales.xlsx"
    workbook.save(path)
    return path


def test_the_sales_register_imports_and_then_answers_the_warranty_at_the_scan(
    db, desk, supervisor, tmp_path
):
    path = register_file(
        tmp_path, [[imei(n), "X1", date(2026, 3, 1), "华强北星辰通讯"] for n in range(1, 301)]
    )
    result = import_sales_register(supervisor, path)
    assert (result.added, result.updated, result.applied) == (300, 0, True)
    received = scan(desk, None, 5)
    assert received.in_warranty and received.warranty_until == date(2027, 3, 1)
    again = import_sales_register(
        supervisor, register_file(tmp_path, [[imei(5), "X1", "2026-04-01", "新经销商"]])
    )
    assert (again.added, again.updated) == (0, 1)


def test_a_sales_register_with_bad_rows_names_them_and_applies_nothing(db, supervisor, tmp_path):
    path = register_file(
        tmp_path,
        [
            [imei(1), "X1", date(2026, 3, 1), "A"],
            ["", "X1", date(2026, 3, 1), "B"],
            [imei(3), "X1", "去年", "C"],
        ],
    )
    result = import_sales_register(supervisor, path)
    assert [bad.row for bad in result.refused] == [3, 4] and not result.applied
    assert "去年" in result.refused[1].message()
    assert count(db, SalesRecord) == 0


def test_a_dealer_or_model_with_a_hidden_character_is_a_refused_row(db, desk, supervisor, tmp_path):
    path = register_file(
        tmp_path,
        [
            [imei(7), "X1", date(2026, 3, 1), "星辰\u200b深圳"],
            [imei(8), "X1\u202e", date(2026, 3, 1), "A"],
            [imei(9), "X1", date(2026, 3, 1), "  星辰\t深圳 "],
        ],
    )
    report = import_sales_register(supervisor, path, apply=False)
    assert [bad.row for bad in report.refused] == [2, 3]
    assert all("hidden control character" in bad.message() for bad in report.refused)
    path = register_file(tmp_path, [[imei(9), "X1", date(2026, 3, 1), "  星辰\t深圳 "]])
    assert import_sales_register(supervisor, path).added == 1
    with db.read() as session:
        assert list(session.scalars(select(SalesRecord.dealer))) == ["星辰 深圳"]


def test_a_full_width_serial_in_the_sales_register_is_the_scanned_serial(
    db, desk, supervisor, tmp_path
):
    wide = full_width(imei(5))
    path = register_file(
        tmp_path,
        [[wide, "X1", date(2026, 3, 1), "A"], [imei(6)[:-1] + "²", "X1", date(2026, 3, 1), "B"]],
    )
    refused = import_sales_register(supervisor, path)
    assert [bad.row for bad in refused.refused] == [3] and "U+00B2" in refused.refused[0].message()
    path = register_file(tmp_path, [[f" {wide}\t", "X1", date(2026, 3, 1), "A"]])
    assert import_sales_register(supervisor, path).added == 1
    with db.read() as session:
        assert list(session.scalars(select(SalesRecord.serial))) == [imei(5)]
    assert scan(desk, None, 5).warranty_until == date(2027, 3, 1)


def test_only_supervisors_import_the_sales_register(db, desk, tmp_path):
    with pytest.raises(PermissionDenied):
        import_sales_register(desk["clerk"], register_file(tmp_path, []))


def test_a_photo_is_stored_in_the_database_with_an_audit_row(db, desk, tmp_path):
    order_id = scan(desk, None, 1).order_id
    picture = tmp_path / "screen.jpg"
    Image.new("RGB", (40, 30), "blue").save(picture, "JPEG")
    before = audit_count(db)
    attach_photo(desk["clerk"], order_id, picture, "屏幕裂纹")
    with db.read() as session:
        photo = session.scalar(select(Photo).where(Photo.order_id == order_id))
        assert (photo.content_type, photo.caption) == ("image/jpeg", "屏幕裂纹")
        assert photo.data == picture.read_bytes() and photo.original_name == "screen.jpg"
    assert audit_count(db) == before + 1
    notes = tmp_path / "notes.jpg"
    notes.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")  # the name is no proof
    with pytest.raises(InvalidInput, match="not a picture"):
        attach_photo(desk["clerk"], order_id, notes)
    with pytest.raises(InvalidInput, match="cannot be read"):
        attach_photo(desk["clerk"], order_id, tmp_path / "missing.png")


def test_the_receiving_slip_is_printed_again_from_the_boxs_waybill_and_audited(db, desk):
    from app.audit_actions import AuditAction
    from app.documents.reprint import reprint
    from app.documents.roles import DocumentKind
    from app.models import AuditEntry

    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)
    scan(desk, box_id, 1)
    close_box(desk["clerk"], box_id)
    pdf = reprint(desk["clerk"], DocumentKind.RECEIVING_SLIP, EMS)
    assert ("Code128", EMS) in pdf_barcodes(pdf)
    with db.read() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == AuditAction.REPRINT_DOCUMENT)
        ).one()
    assert (entry.entity, entry.entity_id, entry.detail) == (
        "inbound_boxes",
        str(box_id),
        f"receiving_slip {EMS}",
    )
