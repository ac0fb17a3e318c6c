"""Text that fits: every field measured, wrapped or shrunk into its box, never dropped, and no
text makes a document fail to build."""

from __future__ import annotations

import re
from dataclasses import replace

from documents_data import LONG_RECEIVER, PHONE, label, slip, waybill
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfcheck import column_text, page_sizes, pdf_text, text_boxes

from app.documents.fitting import wrap
from app.documents.fonts import cjk_font
from app.documents.order_label import SIZES_MM, label_pdf
from app.documents.packing_list import packing_list_pdf
from app.documents.receiving_slip import receiving_slip_pdf
from app.documents.waybill import waybill_label_pdf

MM = 72 / 25.4


def squeezed(text: str) -> str:
    """Text as compared: without whitespace or control characters (a line break is layout)."""
    return re.sub(r"[\s\x00-\x1f\x7f]", "", text)


def test_a_771_character_fault_builds_a_slip_that_prints_it_whole() -> None:
    for length in (771, 5000):
        fault = ("屏幕闪烁,触摸失灵;" * 600)[:length]
        pdf = receiving_slip_pdf(slip(fault=fault, units=3))
        fault_column = column_text(pdf, 111 * MM, 151 * MM)  # 12 + 10 + 32 + 25 + 32 mm
        assert squeezed(fault_column).replace("故障描述", "").count(squeezed(fault)) == 3
        assert len(page_sizes(pdf)) > 1  # the rows went on over the page


def test_the_long_receiver_keeps_the_phone_number_inside_the_waybill() -> None:
    pdf = waybill_label_pdf(waybill(receiver=LONG_RECEIVER))
    ((width, height),) = page_sizes(pdf)
    boxes = text_boxes(pdf, PHONE)
    assert len(boxes) == len(PHONE)
    for _page, (left, bottom, right, top) in boxes:
        assert 0 <= left and right <= width and 0 <= bottom and top <= height
    assert squeezed(LONG_RECEIVER) in squeezed(pdf_text(pdf))


def test_the_packing_list_stays_inside_a4_and_splits_with_its_header_repeated() -> None:
    pdf = packing_list_pdf(waybill(units=60))
    sizes = page_sizes(pdf)
    assert len(sizes) > 1
    pages = pdf_text(pdf).split("装箱清单")  # the title on page 1 only
    assert all(text_boxes(pdf, "随机附件"))
    assert {page for page, _ in text_boxes(pdf, "维修单号")} == set(range(len(sizes)))
    for page, (left, _bottom, right, _top) in text_boxes(pdf, "三包凭证"):
        assert 0 <= left and right <= sizes[page][0] - 14 * MM, "past the right margin"
    assert len(pages) == 2


def test_a_label_field_too_long_for_its_box_is_shortened_never_dropped() -> None:
    fault = "开机后屏幕闪烁触摸失灵" * 30
    for size in SIZES_MM:
        text = squeezed(pdf_text(label_pdf([label(fault=fault)], size)))
        for field in ("GalaxyX1128G黑", "序列号356938035643809", "收货2026-11-2410:58张三"):
            assert field in text, (size, field)
        assert squeezed(fault) in text or ("故障开机后屏幕闪烁" in text and "…" in text)
    assert "…" in pdf_text(label_pdf([label(fault=fault)], (50, 30)))


def test_a_serial_or_an_order_number_is_never_split_across_lines() -> None:
    font = cjk_font()
    lines = wrap("请核对维修单RO202611240017的序列号356938035643809。", font, 10, 130)
    assert any("RO202611240017" in line for line in lines)
    assert any("356938035643809" in line for line in lines)
    assert not any(line.startswith(("。", ",")) for line in lines)


FIELD_CHARS = st.sampled_from(
    list("abcXYZ019 -_./#<>&'\"\t\x00")
    + list("售后维修中心深圳市宝安区鸿运通讯器材有限公司王经理屏幕闪烁不开机")
    + list(",。、;:!?()《》“”…—\n")
)
SHORT = st.text(FIELD_CHARS, min_size=1, max_size=14)
ANY = st.text(FIELD_CHARS, min_size=1, max_size=200)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=SHORT, serial=SHORT, customer=SHORT, fault=SHORT, flags=SHORT)
def test_any_text_in_every_label_field_builds_a_label_that_shows_it(
    model: str, serial: str, customer: str, fault: str, flags: str
) -> None:
    data = replace(
        label(), model_name=model, serial=serial, customer=customer, fault=fault, flags=flags
    )
    for size in SIZES_MM:
        text = squeezed(pdf_text(label_pdf([data], size)))
        for field in (model, serial, customer, fault, flags):
            assert squeezed(field) in text, (size, field)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(FIELD_CHARS, min_size=1, max_size=40),
    phone=SHORT,
    address=st.text(FIELD_CHARS, min_size=1, max_size=60),
)
def test_any_receiver_builds_a_waybill_that_shows_it(name: str, phone: str, address: str) -> None:
    data = waybill()
    data = replace(data, receiver=replace(data.receiver, name=name, phone=phone, address=address))
    text = squeezed(pdf_text(waybill_label_pdf(data)))
    for field in (name, phone, address):
        assert squeezed(field) in text, field


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fault=ANY, accessories=ANY, sender=ANY, model=ANY, note=ANY)
def test_any_text_in_every_slip_and_packing_list_field_builds_and_is_all_there(
    fault: str, accessories: str, sender: str, model: str, note: str
) -> None:
    base = slip()
    lines = [
        replace(line, fault=fault, accessories=accessories, model_name=model) for line in base.lines
    ]
    pdf = receiving_slip_pdf(replace(base, sender=sender, lines=lines, difference_note=note))
    text = squeezed(pdf_text(pdf))
    assert squeezed(sender) in text and squeezed(note) in text
    # The table read column by column (a row may go on over a page, beside the repeated header).
    for (left, right), field in (((54, 79), model), ((111, 151), fault), ((151, 179), accessories)):
        assert squeezed(field) in squeezed(column_text(pdf, left * MM, right * MM)), field
    packing = waybill()
    packing = replace(
        packing,
        lines=[replace(line, accessories=accessories, model=model) for line in packing.lines],
        receiver=replace(packing.receiver, address=note),
    )
    pdf = packing_list_pdf(packing)
    assert squeezed(note) in squeezed(pdf_text(pdf))
    for (left, right), field in (((49, 83), model), ((143, 195), accessories)):
        assert squeezed(field) in squeezed(column_text(pdf, left * MM, right * MM)), field
