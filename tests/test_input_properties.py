"""Every input service of the floor fed arbitrary text, whole numbers, decimals and dates: the
outcome is success with a normalised value, or a DomainError (a refusal with a message), never
another exception: not a raw database error, an overflow or a ValueError. Run on SQLite and on
PostgreSQL (``REPAIRFLOOR_TEST_DB``), where a NUL or an over-long value is a driver error unless
the core refused it first, so both databases answer the same.

Each test keeps one database for all its examples (cheap): earlier examples' successes are
simply more data for the later ones.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from factories import add_model, floor_staff, force_state, imei, receive, stock_row
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import settings as app_settings
from app import values
from app.admin import catalogs
from app.admin.users import set_badge_code, set_display_name, user_version
from app.allocation.dispatch import check_allocatable, technician_by_badge
from app.allocation.workbench import record_repair
from app.complaints.registration import register_complaint
from app.errors import DomainError
from app.formats import MAX_SCAN_LENGTH
from app.models import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Customer,
    Part,
    RepairState,
    Role,
    StockKind,
    Unit,
)
from app.money import MAX_CENTS, check_cents, to_cents
from app.orders.listing import order_version
from app.orders.transitions import propose_charge
from app.parts import issuing, moves
from app.receiving import close_box, open_box
from app.receiving.desk import UnitDetails, add_sender, check_waybill, scan_unit, search_senders
from app.receiving.intake import Intake, receive_unit
from app.receiving.unit_model import correct_unit_model
from app.search.find import search
from app.search.lookup import order_by_code
from app.users import create_user

# Modest counts: every example is a real transaction on a real database.
FEW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

texts = st.text(max_size=200)
# What a scanner, a keyboard or a pasted Word text sends: mostly code-like, with the odd
# full-width form, control character, bidi override or other script's digit.
code_like = st.one_of(
    st.text(alphabet=st.sampled_from("SFEA0123456789-cnxX "), max_size=20),
    st.text(
        alphabet=st.sampled_from("０１２３ＳＦ\x00\x0b\u202e\u200b²٨ \t\r\nSF0123456789"),
        max_size=20,
    ),
    texts,
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-5, max_value=200),
    st.sampled_from([0, 2**31, 2**62, 10**30, -(2**63)]),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
anything = st.one_of(texts, numbers, st.dates(), st.none(), st.lists(texts, max_size=3))


def refused_or(call: Any, *args: Any, **kwargs: Any) -> Any:
    """``call``'s result, or None when it raised a DomainError; any other exception fails."""
    try:
        return call(*args, **kwargs)
    except DomainError:
        return None


@pytest.fixture
def desk(db, make_user) -> dict[str, Any]:
    """The floor's people (clerk, boss, tech…), a sender, the SF carrier and an open box."""
    add_model(db)
    floor = floor_staff(db, make_user)
    floor["box"] = open_box(
        floor["clerk"], "SF1234567890123", sender_id=floor["customer"], declared_quantity=5
    )
    floor["db"], floor["boxes"] = db, 0
    return floor


# Receiving
@FEW
@given(waybill=code_like, declared=numbers)
def test_a_waybill_and_a_declared_count_open_a_box_or_are_refused(desk, waybill, declared):
    clerk = desk["clerk"]
    check = refused_or(check_waybill, clerk, waybill)
    if check is not None:
        assert check.waybill_no.isascii() and check.waybill_no == check.waybill_no.strip()
    box = refused_or(
        open_box, clerk, waybill, sender_id=desk["customer"], declared_quantity=declared
    )
    if box is not None:
        assert check is not None and isinstance(declared, int) and 1 <= declared
        refused_or(close_box, clerk, box, difference_note="")


@FEW
@given(
    serial=code_like,
    model=st.one_of(st.none(), st.just("X1"), texts),
    capacity=texts,
    colour=texts,
    fault=texts,
    accessories=st.lists(texts, max_size=4),
    notes=st.one_of(st.none(), texts),
)
def test_a_scanned_unit_and_its_intake_fields_are_received_clean_or_refused(
    desk, serial, model, capacity, colour, fault, accessories, notes
):
    details = UnitDetails(
        model_code=model,
        capacity=capacity,
        colour=colour,
        fault_description=fault,
        accessories=accessories,
        appearance_notes=notes,
    )
    result = refused_or(scan_unit, desk["clerk"], desk["box"], serial, details)
    if result is None:
        return
    stored = result.received.serial
    assert stored.isascii() and stored == stored.upper() and len(stored) <= MAX_SCAN_LENGTH
    with desk["db"].read() as session:
        assert session.scalar(select(Unit.serial).where(Unit.serial == stored)) == stored


@FEW
@given(day=st.dates(), serial_number=st.integers(min_value=0, max_value=999_999))
@example(day=date(9999, 12, 31), serial_number=1)
@example(day=date(2099, 1, 1), serial_number=2)
def test_any_purchase_date_is_taken_within_the_window_or_refused(desk, day, serial_number):
    intake = Intake(
        serial=imei(serial_number), customer_id=desk["customer"], model_code="X1", purchase_date=day
    )
    received = refused_or(receive_unit, desk["clerk"], intake)
    if received is not None:
        assert values.EARLIEST_PURCHASE <= day <= desk["clerk"].now().date()


@FEW
@given(name=texts, phone=code_like, address=texts, search=texts, note=texts)
@example(name="a\x00b", phone="", address="x" * 10_000, search="%", note="\x0b")
@example(name="n" * 10_000, phone="１３９１２３４５６７８", address="", search="_", note="")
def test_senders_and_box_notes_are_stored_clean_or_refused(
    desk, name, phone, address, search, note
):
    clerk = desk["clerk"]
    sender = refused_or(add_sender, clerk, name, phone, address)
    if sender is not None:
        with desk["db"].read() as session:
            assert session.get(Customer, sender).name == values.clean_text(name, max_length=128)
    found = refused_or(search_senders, clerk, search)
    assert found is None or isinstance(found, list)
    desk["boxes"] += 1
    box = open_box(
        clerk, f"SF{desk['boxes']:013d}", sender_id=desk["customer"], declared_quantity=1
    )
    closed = refused_or(close_box, clerk, box, difference_note=note)
    if closed is not None:
        assert (closed.difference_note or "") == values.clean_text(
            note, max_length=512, multiline=True
        )


@FEW
@given(serial=code_like, model=texts, reason=texts)
def test_a_model_correction_is_taken_or_refused(desk, serial, model, reason):
    refused_or(correct_unit_model, desk["boss"], serial, model, reason)


# Parts
@pytest.fixture
def counter(desk, make_user) -> dict[str, Any]:
    db = desk["db"]
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    wang = make_user(Role.TECHNICIAN, username="wang", badge_code="T001")
    order = receive(desk["clerk"], desk["customer"], 900)
    force_state(db, order.order_id, RepairState.IN_REPAIR, technician_id=wang.user_id)
    with db.transaction() as session:
        session.add(stock_row(part_no="SCR-X1", name="屏幕总成", on_hand=50))
    with db.read() as session:
        part_id = session.scalar(select(Part.id))
    return {**desk, "keeper": keeper, "wang": wang, "order": order, "part": part_id}


@FEW
@given(quantity=numbers, document=texts, cost=numbers, reason=texts, counted=numbers)
@example(quantity=10**30, document="PO-1", cost=2**62, reason="x", counted=2**62)
@example(quantity=2**62, document="PO\x00", cost=12.5, reason="\u202e", counted=-1)
def test_parts_quantities_costs_and_reasons_are_booked_or_refused(
    counter, quantity, document, cost, reason, counted
):
    keeper, part = counter["keeper"], counter["part"]
    refused_or(
        issuing.receive_stock, keeper, part, quantity, document_no=document, unit_cost_cents=cost
    )
    refused_or(moves.scrap, keeper, part, quantity, stock=StockKind.GOOD, reason=reason)
    refused_or(moves.count_stock, keeper, part, counted, reason=reason)
    refused_or(
        issuing.issue_part,
        keeper,
        counter["order"].order_id,
        part,
        quantity,
        technician_id=counter["wang"].user_id,
        fit_override_reason=reason,
    )
    with counter["db"].read() as session:
        on_hand = session.get(Part, part).on_hand
    assert 0 <= on_hand <= 10 * values.MAX_COUNT


@FEW
@given(code=code_like)
def test_a_scanned_part_number_order_label_or_badge_is_found_or_refused(counter, code):
    keeper = counter["keeper"]
    part = refused_or(issuing.part_by_code, keeper, code)
    assert part is None or part.part_no == "SCR-X1"
    refused_or(order_by_code, keeper, code)
    hits = refused_or(search, keeper, code)
    assert hits is None or isinstance(hits, list)
    refused_or(technician_by_badge, keeper, code)
    refused_or(check_allocatable, counter["boss"], code)


# Money
@settings(max_examples=60, deadline=None)
@given(amount=st.one_of(texts, numbers, st.none()))
@example("12.345")
@example("1e30")
@example(Decimal("NaN"))
def test_an_amount_is_bounded_cents_or_refused(amount):
    cents = refused_or(to_cents, amount)  # signed: a refund or a correction
    if cents is not None:
        assert isinstance(cents, int) and -MAX_CENTS <= cents <= MAX_CENTS
    checked = refused_or(check_cents, amount)  # a price or value in cents: never negative
    if checked is not None:
        assert isinstance(checked, int) and 0 <= checked <= MAX_CENTS


@FEW
@given(parts=numbers, labour=numbers, reason=texts, cause=texts, action=texts)
@example(parts=10**30, labour=2**62, reason="\x00", cause="a" * 600, action="\x00")
def test_a_charge_and_a_repair_record_are_taken_or_refused(
    counter, parts, labour, reason, cause, action
):
    wang, order_id = counter["wang"], counter["order"].order_id
    force_state(counter["db"], order_id, RepairState.IN_REPAIR)
    refused_or(
        propose_charge,
        wang,
        order_id,
        parts_cents=parts,
        labour_cents=labour,
        reason=reason,
        expected_version=order_version(wang, order_id),
    )
    refused_or(
        record_repair,
        wang,
        order_id,
        fault_code=None,
        cause=cause,
        action=action,
        expected_version=order_version(wang, order_id),
    )


# Settings, catalogues, complaints, people
@FEW
@given(index=st.integers(min_value=0), value=anything)
@example(index=app_settings.SETTINGS_PAGE.index(app_settings.REWORK_WINDOW_DAYS), value=10**12)
@example(index=app_settings.SETTINGS_PAGE.index(app_settings.WORKDAY_START), value="25:99")
@example(index=app_settings.SETTINGS_PAGE.index(app_settings.CENTER_NAME), value="中心\x00")
@example(
    index=app_settings.SETTINGS_PAGE.index(app_settings.REWORK_WINDOW_DAYS), value=float("inf")
)
def test_a_setting_is_stored_typed_or_refused(db, admin, index, value):
    spec = app_settings.SETTINGS_PAGE[index % len(app_settings.SETTINGS_PAGE)]
    version = app_settings.setting_version(admin, spec)
    refused_or(app_settings.put, admin, spec, value, expected_version=version)
    with db.read() as session:
        app_settings.get(session, spec)  # what is stored reads back as its type


CATALOG_NAMES = [catalog.name for catalog in catalogs.ALL_CATALOGS]
cells = st.one_of(code_like, anything)


@FEW
@given(
    name=st.sampled_from(CATALOG_NAMES),
    key=st.one_of(st.text(alphabet="ABCFX0123-", min_size=1, max_size=8), code_like),
    row=st.lists(cells, min_size=12, max_size=12),
)
@example(name="fault_codes", key="F01", row=["屏\x00幕"] * 12)
@example(name="fault_codes", key="F\u202e02", row=["x"] * 12)
@example(name="product_models", key="X9", row=["名", "1e999999999", "NaN", "Infinity"] * 3)
@example(name="carriers", key="YT", row=["圆通", "YT\\d{10}\x00", "NaN"] * 4)
def test_a_catalogue_row_is_saved_or_refused(db, admin, name, key, row):
    catalog = catalogs.by_name(name)
    raw = {field.name: value for field, value in zip(catalog.fields, [key, *row], strict=False)}
    refused_or(catalogs.save, admin, catalog, raw, expected_version=None)  # a new row
    refused_or(catalogs.rows, admin, catalog, key)


@FEW
@given(
    description=texts,
    request_text=st.one_of(st.none(), texts),
    channel=st.sampled_from(ComplaintChannel),
    grade=st.sampled_from(ComplaintGrade),
    category=st.sampled_from(ComplaintCategory),
)
def test_a_complaint_is_registered_or_refused(
    desk, make_user, description, request_text, channel, grade, category
):
    service = desk.get("service") or desk.setdefault(
        "service", make_user(Role.CUSTOMER_SERVICE, username="service")
    )
    number = refused_or(
        register_complaint,
        service,
        customer_id=desk["customer"],
        channel=channel,
        description=description,
        customer_request=request_text,
        grade=grade,
        category=category,
    )
    assert number is None or number.startswith("CP")


@FEW
@given(username=texts, password=texts, display=texts, badge=st.one_of(st.none(), code_like))
def test_a_user_name_display_name_and_badge_are_taken_or_refused(
    db, admin, username, password, display, badge
):
    user_id = refused_or(create_user, admin, username, password, [Role.TECHNICIAN])
    target = user_id if user_id is not None else admin.user_id
    refused_or(
        set_display_name, admin, target, display, expected_version=user_version(admin, target)
    )
    refused_or(set_badge_code, admin, target, badge, expected_version=user_version(admin, target))
