"""The repair-order label: the barcode decodes back to the order number; Chinese is real text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from pdfcheck import pdf_barcodes, pdf_fonts, pdf_text

from app.documents.fonts import font_is_embedded
from app.documents.order_label import LabelData, label_pdf

LABEL = LabelData(
    order_no="RO202611240017",
    model_name="星辰 X1 Pro",
    serial="860123450000012",
    received_at=datetime(2026, 11, 24, 2, 5, tzinfo=UTC),
    fault="不开机,充电无反应",
    customer="张三",
    flags="返修",
)


def test_the_label_barcode_decodes_back_to_the_order_number() -> None:
    assert pdf_barcodes(label_pdf([LABEL])) == [("Code128", "RO202611240017")]


def test_the_label_carries_model_serial_and_fault_as_extractable_chinese() -> None:
    text = pdf_text(label_pdf([LABEL]))
    for expected in ("RO202611240017", "星辰 X1 Pro", "860123450000012", "不开机", "张三", "返修"):
        assert expected in text


def test_the_chinese_font_is_embedded_as_a_subset_not_the_cid_fallback() -> None:
    assert font_is_embedded()
    fonts = pdf_fonts(label_pdf([LABEL]))
    # A subset embedded in the file carries a six-letter tag: /AAAAAA+WenQuanYiMicroHei-0
    assert any(re.fullmatch(r"/[A-Z]{6}\+\S+", name) for name in fonts), fonts
    assert not any("STSong" in name for name in fonts)


def test_several_labels_print_one_per_page() -> None:
    second = LabelData(**{**LABEL.__dict__, "order_no": "RO202611240018"})
    codes = [text for _, text in pdf_barcodes(label_pdf([LABEL, second]))]
    assert codes == ["RO202611240017", "RO202611240018"]


def test_an_orders_label_carries_its_number_model_serial_and_warranty(db, admin):
    from factories import add_customer, add_model, imei, receive

    from app.receiving.order_labels import order_labels_pdf

    add_model(db)
    received = receive(admin, add_customer(db, admin), 3)
    pdf = order_labels_pdf(admin, [received.order_id])
    assert pdf_barcodes(pdf) == [("Code128", received.order_no)]
    text = pdf_text(pdf)
    assert imei(3) in text and "星辰 X1" in text and "保外" in text and "不开机" in text
