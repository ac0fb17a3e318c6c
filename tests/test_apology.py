"""The apology letter: Chinese on A4, naming the customer, the order and the agreed remedy; a C
letter carries the general manager's signature line and a B letter does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from factories import add_customer, add_model, receive
from pdfcheck import pdf_fonts, pdf_text
from sqlalchemy import select

from app import complaints, settings
from app.complaints.watch import complaint_version
from app.context import Context
from app.documents.apology import apology_letter_pdf
from app.errors import IllegalTransition, InvalidInput
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Role,
    Setting,
)


@pytest.fixture
def floor(db, make_user: Callable[..., Context], clock, supervisor) -> dict[str, object]:
    clock.set(datetime(2026, 11, 2, 1, 0, tzinfo=UTC))
    service = make_user(Role.CUSTOMER_SERVICE, username="service")
    add_model(db)
    customer_id = add_customer(db, service, "王小明", "13800138000")
    order = receive(supervisor, customer_id, 1)
    with db.transaction() as session:
        session.add_all(
            [
                Setting(key="center.name", value="星辰通讯售后维修中心"),
                Setting(key="letters.general_manager", value="赵总"),
            ]
        )

    def complaint(grade: ComplaintGrade) -> int:
        number = complaints.register_complaint(
            service,
            customer_id=customer_id,
            channel=ComplaintChannel.PHONE,
            description="维修后屏幕有划痕",
            customer_request="重新维修",
            grade=grade,
            category=ComplaintCategory.REPAIR_QUALITY,
            order_ids=[order.order_id],
        )
        with db.read() as session:
            complaint_id = session.scalar(
                select(Complaint.id).where(Complaint.complaint_no == number)
            )
        complaints.record_facts(
            service,
            complaint_id,
            "装机时未贴保护膜,屏幕被划伤",
            expected_version=complaint_version(service, complaint_id),
        )
        complaints.propose_remedies(
            service,
            complaint_id,
            "免费更换屏幕",
            "退还维修费",
            expected_version=complaint_version(service, complaint_id),
        )
        complaints.approve_remedies(
            supervisor, complaint_id, expected_version=complaint_version(supervisor, complaint_id)
        )
        complaints.record_choice(
            service,
            complaint_id,
            "免费更换屏幕",
            expected_version=complaint_version(service, complaint_id),
        )
        return complaint_id

    return {
        "complaint": complaint,
        "order_no": order.order_no,
        "supervisor": supervisor,
        "service": service,
    }


def test_the_letter_names_the_customer_the_order_and_the_remedy(db, floor, clock) -> None:
    pdf = apology_letter_pdf(floor["service"], floor["complaint"](ComplaintGrade.B))
    text = "".join(pdf_text(pdf).split())  # line breaks are layout
    assert "王小明" in text
    assert floor["order_no"] in text
    assert "免费更换屏幕" in text
    assert "屏幕被划伤" in text
    assert "星辰通讯售后维修中心" in text
    assert any("+" in name for name in pdf_fonts(pdf))  # an embedded subset


def test_a_c_letter_has_the_general_managers_line_and_a_b_letter_not(db, floor, clock) -> None:
    b_text = pdf_text(apology_letter_pdf(floor["service"], floor["complaint"](ComplaintGrade.B)))
    c_text = pdf_text(apology_letter_pdf(floor["service"], floor["complaint"](ComplaintGrade.C)))
    assert "总经理" in c_text and "赵总" in c_text
    assert "总经理" not in b_text


def test_no_letter_for_grade_a_or_before_a_remedy_is_chosen(db, floor, clock) -> None:
    complaint_id = floor["complaint"](ComplaintGrade.A)
    with pytest.raises(IllegalTransition):
        apology_letter_pdf(floor["service"], complaint_id)


def test_the_supervisor_edits_the_template_and_a_bad_one_is_refused(db, floor, clock) -> None:
    supervisor = floor["supervisor"]
    with pytest.raises(InvalidInput):
        settings.put(
            supervisor,
            settings.APOLOGY_TEMPLATE,
            "尊敬的{customer_name}: {refund}",
            expected_version=settings.setting_version(supervisor, settings.APOLOGY_TEMPLATE),
        )
    with pytest.raises(InvalidInput):
        settings.put(
            supervisor,
            settings.APOLOGY_TEMPLATE,
            "尊敬的{customer_name",
            expected_version=settings.setting_version(supervisor, settings.APOLOGY_TEMPLATE),
        )
    settings.put(
        supervisor,
        settings.APOLOGY_TEMPLATE,
        "尊敬的{customer_name}:\n关于{order_nos},我们深感抱歉,将为您{remedy}。",
        expected_version=settings.setting_version(supervisor, settings.APOLOGY_TEMPLATE),
    )
    text = pdf_text(apology_letter_pdf(floor["service"], floor["complaint"](ComplaintGrade.B)))
    assert "深感抱歉" in text.replace(" ", "")
