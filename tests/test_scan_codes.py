"""One code, whatever form the scanner or the keyboard sends it in, means one thing: every scan
path of the core goes through :func:`app.formats.clean_scan` (NFKC, trimmed, zero-width removed,
upper-cased, plain ASCII only) and a code the floor cannot mean is refused, nothing written."""

from __future__ import annotations

import pytest
from factories import add_customer, add_model, audit_count, force_state, full_width, imei, stock_row
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import Conflict, DomainError, InvalidInput
from app.formats import MAX_SCAN_LENGTH, check_imei, clean_scan, strip_scanner_affixes
from app.models import Carrier, InboundBox, Part, RepairOrder, RepairState, Role, Unit
from app.parts import issuing as parts
from app.receiving import open_box
from app.receiving.desk import check_waybill, scan_unit
from app.search.lookup import order_by_code

SF = "SF1234567890123"
EMS = "EA123456785CN"


@pytest.fixture
def desk(db, make_user):
    add_model(db)
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
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
    return {"clerk": clerk, "sender": sender}


def counts(db) -> tuple[int, ...]:
    with db.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (RepairOrder, Unit, InboundBox, Part)
        ) + (audit_count(db),)


# The normaliser itself
@pytest.mark.parametrize(
    ("scanned", "meant"),
    [
        ("ＳＦ１２３４５６７８９０１２３", SF),
        ("EA１２３４５６７８５CN", EMS),
        ("scr-s9", "SCR-S9"),
        ("  SCR-S9\r\n", "SCR-S9"),
        ("\tT001\t", "T001"),
        ("\u200bRO-2026\u200d-0001\ufeff", "RO-2026-0001"),
        ("\u3000ＲＯ－２０２６\u3000", "RO-2026"),
        ("\u00a0abc\u00a0", "ABC"),
    ],
)
def test_every_form_of_a_code_is_the_same_code(scanned, meant):
    assert clean_scan(scanned) == meant


@pytest.mark.parametrize(
    "scanned",
    [
        imei(1)[:-1] + "²",  # superscript two: str.isdigit() says yes, int() crashed
        "٨٦٠١٢٣٤٥٠٠٠٠٠١٣",  # Arabic-Indic digits
        "аdmin",  # Cyrillic а
        "AB\u202eC",  # right-to-left override
        "①②③",
        "AB\x0bC",  # vertical tab from Word
        "AB\nCD",  # two codes in one scan
        "  \r\n\t\u200b",
        "A" * (MAX_SCAN_LENGTH + 1),
        "ﷺ" * 10,  # NFKC makes it 180 characters
    ],
)
def test_a_code_no_barcode_holds_is_refused_with_a_message(scanned):
    with pytest.raises(InvalidInput):
        clean_scan(scanned)


def test_an_imei_check_accepts_plain_digits_only():
    with pytest.raises(InvalidInput, match="15 digits"):
        check_imei(imei(1)[:-1] + "²")
    with pytest.raises(InvalidInput, match="15 digits"):
        check_imei("٨" * 15)


@given(st.text(max_size=300))
def test_the_normaliser_gives_an_ascii_upper_case_code_or_a_domain_error(text):
    try:
        code = clean_scan(text)
    except DomainError:
        return
    assert code and code.isascii() and code.isprintable() and code == code.upper()
    assert code == code.strip() and len(code) <= MAX_SCAN_LENGTH
    assert clean_scan(code) == code  # normalising twice changes nothing


# Receiving
def test_a_full_width_sf_waybill_is_the_sf_waybill(db, desk):
    check = check_waybill(desk["clerk"], full_width(SF))
    assert (check.waybill_no, check.carrier_name) == (SF, "顺丰速运")


def test_a_full_width_s10_waybill_opens_the_box_of_the_ascii_waybill(db, desk):
    box_id = open_box(
        desk["clerk"], "EA１２３４５６７８５CN", sender_id=desk["sender"], declared_quantity=2
    )
    with db.read() as session:
        assert session.get(InboundBox, box_id).waybill_no == EMS
    with pytest.raises(Conflict, match="already opened"):
        open_box(desk["clerk"], EMS.lower(), sender_id=desk["sender"], declared_quantity=2)


def test_a_full_width_imei_is_the_same_unit(db, desk, clock):
    clerk = desk["clerk"]
    box_id = open_box(clerk, EMS, sender_id=desk["sender"], declared_quantity=3)
    first = scan_unit(clerk, box_id, imei(1))
    before = counts(db)
    with pytest.raises(Conflict, match=first.received.order_no):  # already has an open order
        scan_unit(clerk, box_id, full_width(imei(1)))
    assert counts(db) == before
    force_state(db, first.received.order_id, RepairState.SHIPPED, shipped_at=clock.now())
    clock.advance(days=10)
    again = scan_unit(clerk, box_id, f" {full_width(imei(1))}\r\n")
    assert again.received.is_repeat and again.received.is_rework
    with db.read() as session:
        assert list(session.scalars(select(Unit.serial))) == [imei(1)]


def test_a_superscript_digit_in_an_imei_is_refused_and_writes_nothing(db, desk):
    clerk = desk["clerk"]
    box_id = open_box(clerk, EMS, sender_id=desk["sender"], declared_quantity=3)
    before = counts(db)
    for scan in (imei(1)[:-1] + "²", "٨٦٠١٢٣٤٥٠٠٠٠٠١٣"):
        with pytest.raises(InvalidInput, match="no barcode holds"):
            scan_unit(clerk, box_id, scan)
    assert counts(db) == before


# The parts counter (and every desk that scans an order label)
@pytest.fixture
def counter(db, desk, make_user):
    keeper = make_user(Role.PARTS_KEEPER, username="parts")
    box_id = open_box(desk["clerk"], EMS, sender_id=desk["sender"], declared_quantity=1)
    order = scan_unit(desk["clerk"], box_id, imei(1)).received
    force_state(db, order.order_id, RepairState.IN_REPAIR)
    with db.transaction() as session:
        session.add(stock_row(part_no="SCR-S9", name="屏幕总成", unit_cost_cents=12000, on_hand=3))
    return {"keeper": keeper, "order": order}


def test_a_full_width_order_label_is_found_at_the_parts_counter(db, counter):
    order = counter["order"]
    row = order_by_code(counter["keeper"], full_width(order.order_no))
    assert row is not None and row.id == order.order_id
    by_serial = order_by_code(counter["keeper"], full_width(imei(1)).lower())
    assert by_serial is not None and by_serial.id == order.order_id


def test_a_lowercase_part_barcode_is_the_part(db, counter):
    for scan in ("scr-s9", "ＳＣＲ－Ｓ９", " Scr-S9\t"):
        part = parts.part_by_code(counter["keeper"], scan)
        assert part is not None and part.part_no == "SCR-S9"
    before = counts(db)
    with pytest.raises(InvalidInput):
        parts.part_by_code(counter["keeper"], "SCR-S⁹")
    assert counts(db) == before


@pytest.mark.parametrize(
    ("scanned", "prefix", "suffix", "meant"),
    [
        ("]C1SCR-S9", "]C1", "", "SCR-S9"),
        ("SCR-S9#", "", "#", "SCR-S9"),
        ("]C1SCR-S9#\r\n", "]C1", "#", "SCR-S9"),
        ("SCR-S9", "]C1", "#", "SCR-S9"),  # only where it stands
        ("#SCR-S9#", "", "#", "#SCR-S9"),
    ],
)
def test_a_stations_scanner_prefix_and_suffix_are_stripped(scanned, prefix, suffix, meant):
    assert strip_scanner_affixes(scanned, prefix, suffix) == meant
