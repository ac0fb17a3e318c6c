"""Values the floor types are taken right or refused, never saved wrong or crashed on: money,
bounded whole numbers, purchase dates, free text, LIKE wildcards and a racing unique value.
Every refusal is checked to write nothing; the same outcome on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from factories import add_customer, add_model, audit_count, imei, stock_row
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import values
from app.errors import Conflict, DomainError, InvalidInput
from app.models import (
    Customer,
    InboundBox,
    ProductModel,
    RepairOrder,
    Role,
    StockMove,
    Unit,
)
from app.money import MAX_CENTS, to_cents
from app.parts import issuing, moves
from app.receiving import open_box
from app.receiving.desk import add_sender, search_senders
from app.receiving.intake import Intake, receive_unit

BIG = (10**30, 2**62, 2**31)


def rows(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# Money
@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12.34", 1234), ("¥1,234.5", 123450), ("０.５", 50), (Decimal("12.340"), 1234), (7, 700)],
)
def test_money_in_yuan_with_at_most_two_decimals_is_taken(typed, cents) -> None:
    assert to_cents(typed) == cents


@pytest.mark.parametrize(
    "typed",
    ["12.345", Decimal("0.001"), "1e30", "1E3", "NaN", "Infinity", "-inf", "", "12,34", "1.2.3"],
)
def test_money_that_would_be_rounded_or_is_not_a_plain_number_is_refused(typed) -> None:
    with pytest.raises(InvalidInput, match="at most two decimals"):
        to_cents(typed)


@pytest.mark.parametrize("typed", [0.1, 12.5, True, None])
def test_a_float_is_never_money(typed) -> None:
    with pytest.raises(InvalidInput):
        to_cents(typed)


@pytest.mark.parametrize("typed", ["1000000.01", Decimal("1E+30"), 10**30, "-2,000,000"])
def test_money_beyond_a_million_yuan_is_refused(typed) -> None:
    with pytest.raises(InvalidInput, match="at most 1,000,000 yuan"):
        to_cents(typed)
    assert to_cents("1,000,000") == MAX_CENTS


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789.,-+eE¥ ", max_size=40),
        st.integers(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(),
    )
)
def test_to_cents_gives_bounded_cents_or_a_domain_error(typed) -> None:
    try:
        cents = to_cents(typed)
    except DomainError:
        return
    assert isinstance(cents, int) and abs(cents) <= MAX_CENTS
    assert not isinstance(typed, float)


# Free text
@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  华强北\x0b星辰通讯 ", "华强北 星辰通讯"),
        ("a\tb\r\nc", "a b c"),
        ("Ｓ９ 屏幕", "Ｓ９ 屏幕"),  # full-width text is a name's own business, kept
    ],
)
def test_one_line_text_is_trimmed_and_word_breaks_become_spaces(typed, kept) -> None:
    assert values.clean_text(typed) == kept


def test_a_note_keeps_its_line_breaks() -> None:
    assert values.clean_text(" 屏裂\x0b 不开机 \r\n进水", multiline=True) == "屏裂\n不开机\n进水"


@pytest.mark.parametrize(
    "typed", ["a\x00b", "a\x1bb", "a\x9fc", "\u202eevil", "ad\u200bmin", "x\ufeff", "\ud800"]
)
def test_hidden_control_bidi_and_zero_width_characters_are_refused(typed) -> None:
    with pytest.raises(InvalidInput, match="hidden control character"):
        values.clean_text(typed)


def test_text_longer_than_its_column_is_refused_not_cut() -> None:
    assert values.clean_text("名" * 128, max_length=128) == "名" * 128
    with pytest.raises(InvalidInput, match="too long"):
        values.clean_text("名" * 129, max_length=128)


@settings(max_examples=400, deadline=None)
@given(st.text(), st.booleans())
def test_clean_text_gives_plain_bounded_text_or_a_domain_error(typed, multiline) -> None:
    try:
        cleaned = values.clean_text(typed, max_length=64, multiline=multiline)
    except DomainError:
        return
    assert len(cleaned) <= 64 and cleaned == cleaned.strip()
    assert not any(c in cleaned for c in "\x00\x0b\r\t\u202e\u200b")
    cleaned.encode("utf-8")  # no lone surrogate reaches the driver


# Whole numbers
@pytest.mark.parametrize("typed", [0, -1, *BIG, 1.0, True, "3"])
def test_a_count_outside_what_the_floor_means_is_refused(typed) -> None:
    with pytest.raises(InvalidInput, match="whole number"):
        values.bounded_int(typed)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()))
def test_bounded_int_gives_an_int_in_range_or_a_domain_error(typed) -> None:
    try:
        number = values.bounded_int(typed)
    except DomainError:
        return
    assert type(number) is int and 1 <= number <= values.MAX_COUNT


# Through the services
@pytest.fixture
def clerk(db, make_user):
    add_model(db)
    return make_user(Role.RECEIVING_CLERK, username="clerk")


@pytest.mark.parametrize(
    ("name", "address"),
    [("星辰\x00通讯", ""), ("星" * 10_000, ""), ("\u202e讯通辰星", ""), ("星辰", "深圳\x00")],
)
def test_a_sender_name_or_address_the_database_cannot_mean_is_refused_and_nothing_written(
    db, clerk, name, address
) -> None:
    before = (rows(db, Customer), audit_count(db))
    with pytest.raises(InvalidInput):
        add_sender(clerk, name, "13700137000", address)
    assert (rows(db, Customer), audit_count(db)) == before


def test_a_sender_name_from_word_is_stored_clean(db, clerk) -> None:
    sender = add_sender(clerk, " 华强北\x0b星辰通讯 ", "", "深圳市\t福田区")
    with db.read() as session:
        customer = session.get(Customer, sender)
        assert (customer.name, customer.address) == ("华强北 星辰通讯", "深圳市 福田区")


def test_a_percent_or_underscore_in_a_sender_search_is_a_character_not_a_wildcard(
    db, clerk
) -> None:
    add_customer(db, clerk, "张三", "13800138000")
    add_customer(db, clerk, "100%维修", "13900139000")
    add_customer(db, clerk, "A_B通讯", "13600136000")
    assert search_senders(clerk, "%") == []
    assert [s.name for s in search_senders(clerk, "100%")] == ["100%维修"]
    assert [s.name for s in search_senders(clerk, "A_")] == ["A_B通讯"]
    assert search_senders(clerk, "_") == []


@pytest.mark.parametrize("declared", [0, *BIG])
def test_a_box_declared_with_a_count_the_floor_cannot_mean_is_refused(db, clerk, declared) -> None:
    sender = add_customer(db, clerk)
    with pytest.raises(InvalidInput, match="whole number"):
        open_box(clerk, "SF1234567890123", sender_id=sender, declared_quantity=declared)
    assert rows(db, InboundBox) == 0


@pytest.mark.parametrize(
    ("bought", "message"),
    [
        (date(9999, 12, 31), "after today"),
        (date(2099, 1, 1), "after today"),
        (date(2026, 11, 3), "after today"),  # tomorrow in Shenzhen
        (date(1999, 12, 31), "before 2000-01-01"),
    ],
)
def test_a_purchase_date_outside_the_sane_window_is_refused_and_nothing_written(
    db, clerk, bought, message
) -> None:
    sender = add_customer(db, clerk)
    with pytest.raises(InvalidInput, match=message):
        receive_unit(clerk, Intake(serial=imei(1), customer_id=sender, purchase_date=bought))
    assert (rows(db, RepairOrder), rows(db, Unit)) == (0, 0)


def test_a_purchase_date_of_today_in_the_center_is_taken(db, clerk) -> None:
    sender = add_customer(db, clerk)
    received = receive_unit(
        clerk,
        Intake(
            serial=imei(1),
            customer_id=sender,
            purchase_date=date(2026, 11, 2),
            fault_description=" 不开机\x0b 屏裂 ",
        ),
    )
    assert received.in_warranty
    with db.read() as session:
        order = session.get(RepairOrder, received.order_id)
        assert order.fault_description == "不开机\n屏裂"


@pytest.mark.parametrize("description", ["不开机\x00", "x" * 513])
def test_a_fault_description_the_database_cannot_hold_is_refused(db, clerk, description) -> None:
    sender = add_customer(db, clerk)
    with pytest.raises(InvalidInput):
        receive_unit(
            clerk, Intake(serial=imei(1), customer_id=sender, fault_description=description)
        )
    assert rows(db, RepairOrder) == 0


def test_accessories_are_stored_clean_or_refused(db, clerk) -> None:
    sender = add_customer(db, clerk)
    typed = ["充电器 ", "\x0b数据线", "充电器", ""]
    received = receive_unit(clerk, Intake(serial=imei(1), customer_id=sender, accessories=typed))
    with db.read() as session:
        assert session.get(RepairOrder, received.order_id).accessories == ["充电器", "数据线"]
    for bad in (["卡托\x00"], ["x" * 65], "充电器"):
        with pytest.raises(InvalidInput):
            receive_unit(clerk, Intake(serial=imei(2), customer_id=sender, accessories=bad))
    assert rows(db, RepairOrder) == 1


@pytest.fixture
def keeper(db, make_user):
    with db.transaction() as session:
        part = stock_row(
            part_no="SCR-X1", name="屏幕总成", unit_cost_cents=100, sale_price_cents=200
        )
        session.add(part)
        session.flush()
        part_id = part.id
    return make_user(Role.PARTS_KEEPER, username="parts"), part_id


@pytest.mark.parametrize("quantity", [*BIG, 0, -5])
def test_stock_received_in_a_quantity_the_floor_cannot_mean_is_refused(
    db, keeper, quantity
) -> None:
    ctx, part_id = keeper
    with pytest.raises(InvalidInput, match="whole number"):
        issuing.receive_stock(ctx, part_id, quantity, document_no="PO-1")
    assert rows(db, StockMove) == 0


@pytest.mark.parametrize("difference", [*BIG, -(2**62), 0, 1.0])
def test_a_stocktake_difference_the_floor_cannot_mean_is_refused(db, keeper, difference) -> None:
    ctx, part_id = keeper
    with pytest.raises(InvalidInput, match="whole number"):
        moves.adjust_stock(ctx, part_id, difference, reason="盘点")
    with pytest.raises(InvalidInput, match="whole number"):
        moves.count_stock(ctx, part_id, difference if difference else -1, reason="盘点")
    assert rows(db, StockMove) == 0


@pytest.mark.parametrize("cost", [10**30, -1, 1.5])
def test_a_unit_cost_beyond_the_floor_or_a_float_is_refused(db, keeper, cost) -> None:
    ctx, part_id = keeper
    with pytest.raises(InvalidInput):
        issuing.receive_stock(ctx, part_id, 3, document_no="PO-1", unit_cost_cents=cost)
    assert rows(db, StockMove) == 0


def test_the_same_serial_saved_twice_at_once_is_a_conflict_not_a_raw_database_error(
    db, clerk
) -> None:
    """Two stations receiving one serial at the same moment: both looked and saw no unit; the
    unique index refuses the second insert, and the transaction says so as a Conflict."""
    with db.read() as session:
        model_id = session.scalar(select(ProductModel.id))
    with db.transaction() as session:
        session.add(Unit(serial=imei(1), product_model_id=model_id, created_at=clerk.now()))
    with pytest.raises(Conflict, match="Another station saved"):
        with db.transaction() as session:
            session.add(Unit(serial=imei(1), product_model_id=model_id, created_at=clerk.now()))
    assert rows(db, Unit) == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=300), address=st.text(max_size=600))
def test_any_typed_sender_is_stored_clean_or_refused_on_either_database(db, clerk, name, address):
    before = rows(db, Customer)
    try:
        sender = add_sender(clerk, name, "", address)
    except DomainError:
        assert rows(db, Customer) == before
        return
    with db.read() as session:
        stored = session.get(Customer, sender)
        assert stored.name == values.clean_text(name, max_length=128)
        assert (stored.address or "") == values.clean_text(address, max_length=512)
