"""Chinese documents typeset as the floor and its customers read them: the timeline's rule clear
of its rows, the apology letter with full-width punctuation, its numbers whole on one line, and
此致 / 敬礼 where a Chinese business letter puts them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pypdfium2
import pypdfium2.raw as pdfium_c
from documents_data import AT
from pdfcheck import pdf_text, text_boxes

from app.documents.apology import MARGIN, ApologyLetter, apology_pdf
from app.documents.timeline import timeline_pdf
from app.models import ComplaintGrade
from app.settings import DEFAULT_APOLOGY_TEMPLATE

COMPLAINT_NO = "CP202611240001"
ASCII_BESIDE_CHINESE = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")


def horizontal_rules(pdf: bytes) -> list[float]:
    """The y (points) of each wide, flat path on page 1."""
    document = pypdfium2.PdfDocument(pdf)
    rules = []
    for item in document[0].get_objects():
        if item.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = item.get_bounds()
            if right - left > 100 and top - bottom <= 3:
                rules.append((top + bottom) / 2)
    document.close()
    return rules


def test_the_timelines_header_rule_does_not_cross_its_first_row() -> None:
    events = [("2026-11-24 10:58", "收货", "王五 / 前台", "序列号 356938035643809")]
    pdf = timeline_pdf("RO202611240017 订单时间线", ["客户:李四", "机型:X1"], events)
    (rule,) = horizontal_rules(pdf)
    first_row = [box for text in ("收货", "王五", "序列号") for box in text_boxes(pdf, text)]
    row_top = max(top for _page, (_l, _b, _r, top) in first_row)
    header_bottom = min(bottom for _page, (_l, bottom, _r, _t) in text_boxes(pdf, "机型"))
    # A visible gap (2 pt, 0.7 mm) on each side of the rule: it crosses no glyph of either.
    assert row_top + 2 <= rule <= header_bottom - 2, (row_top, rule, header_bottom)


def letter(facts: str, grade: ComplaintGrade = ComplaintGrade.B) -> ApologyLetter:
    return ApologyLetter(
        customer_name="王小明",
        complaint_no=COMPLAINT_NO,
        grade=grade,
        order_nos=("RO202611240017",),
        received_at=AT,
        facts=facts,
        remedy="免费更换屏幕(原装),并延长保修90天",
        center_name="星辰通讯售后维修中心",
        letterhead=("星辰通讯售后维修中心",),
        signatory="客户服务部",
        general_manager="赵总",
        dated=datetime(2026, 11, 25, 2, 0, tzinfo=UTC),
    )


def test_the_complaint_number_is_never_split_across_lines() -> None:
    for shift in range(0, 40, 3):  # the number lands at every place in the line
        text = pdf_text(
            apology_pdf(letter("屏" * shift + "维修时屏幕被划伤"), DEFAULT_APOLOGY_TEMPLATE)
        )
        whole = sum(line.count(COMPLAINT_NO) for line in text.splitlines())
        assert whole == text.replace("\n", "").count(COMPLAINT_NO) == 2  # body and footer


def test_the_letter_uses_full_width_punctuation_beside_chinese() -> None:
    text = pdf_text(
        apology_pdf(letter("经查,维修时屏幕被划伤;我们(维修部)负有责任!"), DEFAULT_APOLOGY_TEMPLATE)
    )
    assert not ASCII_BESIDE_CHINESE.search(text), ASCII_BESIDE_CHINESE.findall(text)
    typeset = "经查\uff0c维修时屏幕被划伤\uff1b我们\uff08维修部\uff09负有责任"
    assert typeset in text.replace("\n", "")
    assert "\uff08投诉编号CP202611240001\uff09" in text.replace("\n", "")  # a pair stays a pair
    assert "敬礼\uff01" in text


def test_ci_zhi_is_indented_two_characters_and_jing_li_is_flush_left_below_it() -> None:
    pdf = apology_pdf(letter("维修时屏幕被划伤"), DEFAULT_APOLOGY_TEMPLATE)
    ((_page, (ci_left, ci_bottom, _r, _t)), *_) = text_boxes(pdf, "此致")
    ((_page, (jing_left, jing_bottom, _r2, _t2)), *_) = text_boxes(pdf, "敬礼")
    ((_page, (salutation_left, *_rest)), *_) = text_boxes(pdf, "尊敬的")
    size = 11.5
    assert abs(salutation_left - MARGIN) < 1.5  # the salutation flush left
    assert abs(jing_left - MARGIN) < 1.5  # 敬礼 flush left (顶格)
    assert abs(ci_left - (MARGIN + 2 * size)) < 1.5  # 此致 two characters in
    assert jing_bottom < ci_bottom - 10  # on the next line
