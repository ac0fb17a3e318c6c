"""Phone numbers are stored as digits: written any way at the desk, found by any way of typing
them; what is not a mainland number is refused with what is expected."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, receive
from hypothesis import given
from hypothesis import strategies as st

from app.errors import InvalidInput
from app.formats import normalise_phone, phone_search_digits
from app.models import Customer, Role
from app.receiving.desk import add_sender, search_senders
from app.search.find import search

WRITTEN = {
    "138-0013-8000": ("13800138000", ""),
    "+86 138 0013 8000": ("13800138000", ""),
    "0086 13800138000": ("13800138000", ""),
    "+86-138-0013-8000": ("13800138000", ""),
    "１３８ ００１３ ８０００": ("13800138000", ""),
    "(0755) 8888-1234 ext 12": ("075588881234", "12"),
    "0755-88881234转12": ("075588881234", "12"),
    "0755 8888 1234 分机 301": ("075588881234", "301"),
    "（010）6552 9988": ("01065529988", ""),
    "+86 10 6552 9988": ("01065529988", ""),
    "+86 755 8888 1234": ("075588881234", ""),
    "400-800-1234": ("4008001234", ""),
    "800 820 8820": ("8008208820", ""),
}


@pytest.mark.parametrize(("written", "expected"), WRITTEN.items())
def test_every_usual_way_of_writing_a_number_gives_its_digits(written, expected):
    number = normalise_phone(written)
    assert (number.digits, number.extension) == expected


@pytest.mark.parametrize(
    "bad", ["", "12345", "8888 1234", "23800138000", "+1 415 555 1234", "138001380001", "电话"]
)
def test_what_is_not_a_mainland_number_is_refused_saying_what_is_expected(bad):
    with pytest.raises(InvalidInput, match="11-digit mobile"):
        normalise_phone(bad)


mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
landlines = st.one_of(
    st.from_regex(r"\A0[1-9][0-9]{1}\Z").flatmap(
        lambda area: st.from_regex(r"\A[2-9][0-9]{7}\Z").map(lambda local: (area, local))
    ),
    # (no area code begins 0400 / 0800: from abroad those would read as 400 / 800 numbers)
    st.from_regex(r"\A0[3-9][0-9]{2}\Z")
    .filter(lambda area: area[1:] not in ("400", "800"))
    .flatmap(lambda area: st.from_regex(r"\A[2-9][0-9]{6,7}\Z").map(lambda local: (area, local))),
)
separators = st.sampled_from(["", " ", "-", " - ", "."])


def _written(digits: str, separator: str, groups: list[int]) -> str:
    """The digits cut into groups at the given points and joined by the separator."""
    cuts = sorted({cut % len(digits) for cut in groups if cut % len(digits)})
    parts = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    return separator.join(parts)


@given(
    mobiles,
    separators,
    st.lists(st.integers(1, 10), max_size=3),
    st.sampled_from(["", "+86 ", "0086", "+86-"]),
)
def test_a_mobile_however_written_normalises_to_its_eleven_digits(number, sep, cuts, country):
    written = country + _written(number, sep, cuts)
    assert normalise_phone(written).digits == number
    assert normalise_phone(normalise_phone(written).text).digits == number  # stable


@given(
    landlines,
    separators,
    st.sampled_from(["", " ext 7", "转123", " 分机 4567", "#88"]),
    st.booleans(),
    st.booleans(),
)
def test_a_landline_however_written_keeps_its_area_code(parts, sep, extension, brackets, abroad):
    area, local = parts
    written_area = f"+86 {area[1:]}" if abroad else (f"({area})" if brackets else area)
    number = normalise_phone(f"{written_area}{sep}{local}{extension}")
    assert number.digits == area + local
    assert number.extension == "".join(ch for ch in extension if ch.isdigit())


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_a_refusal_never_a_crash(text):
    try:
        number = normalise_phone(text)
    except InvalidInput:
        return
    assert number.digits.isdigit() and 10 <= len(number.digits) <= 12
    assert phone_search_digits(text) == number.digits


@pytest.fixture
def customers(db, make_user):
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    mobile = add_customer(db, clerk, "王小明", "138-0013-8000")
    office = add_sender(clerk, "华强北通讯", "(0755) 8888-1234 转12")
    hotline = add_sender(clerk, "星辰客服", "400-800-1234")
    orders = {who: receive(clerk, who, n) for n, who in enumerate((mobile, office, hotline), 1)}
    return clerk, mobile, office, hotline, orders


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138-0013-8000", "+86 138 0013 8000", "0086 13800138000", "138 0013", "8000"],
)
def test_the_search_finds_a_mobile_by_any_way_of_typing_it(customers, typed):
    clerk, mobile, _office, _hotline, orders = customers
    hits = search(clerk, typed)
    assert hits and hits[0].order_no == orders[mobile].order_no


@pytest.mark.parametrize(
    "typed", ["075588881234", "0755-8888 1234", "+86 755 8888 1234", "(0755)8888-1234 ext 12"]
)
def test_the_search_finds_a_landline_by_any_way_of_typing_it(customers, typed):
    clerk, _mobile, office, _hotline, orders = customers
    hits = search(clerk, typed)
    assert hits and hits[0].order_no == orders[office].order_no


def test_the_desk_stores_the_digits_and_finds_senders_by_them(db, customers):
    clerk, _mobile, office, hotline, _orders = customers
    with db.read() as session:
        stored = session.get(Customer, office)
        assert (stored.phone, stored.phone_digits) == ("075588881234 转12", "075588881234")
        assert session.get(Customer, hotline).phone_digits == "4008001234"
    assert [s.id for s in search_senders(clerk, "400-800")] == [hotline]
    assert [s.id for s in search_senders(clerk, "0755 8888")] == [office]
    with pytest.raises(InvalidInput, match="11-digit mobile"):
        add_sender(clerk, "某某", "8888-1234")


def test_the_migration_fills_the_digits_of_existing_customers(db, make_user):
    from alembic import command
    from sqlalchemy import select, text

    from app import schema

    clerk = make_user(Role.RECEIVING_CLERK, username="clerk")
    command.downgrade(schema.alembic_config(db), "0014")
    with db.transaction() as session:
        for name, phone in (
            ("甲", "138-0013-8000"),
            ("乙", "+86 755 8888 1234 转8"),
            ("丙", "8888-1234"),
        ):
            session.execute(
                text(
                    "INSERT INTO customers (kind, name, phone, created_at) "
                    "VALUES ('consumer', :name, :phone, :at)"
                ),
                {"name": name, "phone": phone, "at": clerk.now()},
            )
    schema.upgrade(db)
    with db.read() as session:
        stored = dict(session.execute(select(Customer.name, Customer.phone_digits)).all())
    assert stored == {"甲": "13800138000", "乙": "075588881234", "丙": "88881234"}
    with db.read() as session:  # 0024: the digits read backwards, for a search by the last ones
        tails = dict(session.execute(select(Customer.name, Customer.phone_tail)).all())
    assert tails == {"甲": "00083100831", "乙": "432188885570", "丙": "43218888"}
