"""The satisfaction survey in the follow-up call (seed 001 二(二): 「考評完全滿意,發送[滿意感謝短信];
考評有不滿意項,致電道歉并了解詳情」): fully satisfied queues a thank-you notice; any item
below satisfied books an apology call with its deadline (and a complaint when the customer wants
one); the figures per month, technician and model against the 98% target, in Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from factories import add_customer, add_model, force_state, imei
from openpyxl import load_workbook
from sqlalchemy import select

from app.clock import ManualClock
from app.complaints import care_exports, followups, notices, survey
from app.complaints.notices import NoticeEvent, NoticeStatus
from app.context import Context
from app.errors import Conflict, InvalidInput
from app.models import (
    Complaint,
    FollowUp,
    FollowUpKind,
    Notice,
    RepairState,
    Role,
    SurveyAnswer,
)
from app.receiving import Intake, receive_unit

NOON = datetime(2026, 11, 2, 4, 0, tzinfo=UTC)
ALL_FIVE = {"总体满意度": 5, "维修速度": 5, "维修质量": 5, "服务态度": 5}


@pytest.fixture
def shop(db, make_user: Callable[..., Context], clock: ManualClock) -> dict:
    clock.set(NOON)
    add_model(db, "X1")
    add_model(db, "X2", tac="86099999")
    people = {
        "clerk": make_user(Role.RECEIVING_CLERK, username="clerk"),
        "service": make_user(Role.CUSTOMER_SERVICE, username="service"),
        "wang": make_user(Role.TECHNICIAN, username="wang", display_name="王工"),
        "li": make_user(Role.TECHNICIAN, username="li", display_name="李工"),
    }
    people["customer"] = add_customer(db, people["service"])
    return people


def _call(db, shop: dict, number: int, technician: str, model: str = "X1") -> int:
    """A repaired order's follow-up call, due now."""
    tac = {"X1": "86012345", "X2": "86099999"}[model]
    order = receive_unit(
        shop["clerk"],
        Intake(serial=imei(number, tac), customer_id=shop["customer"], fault_description="不开机"),
    )
    force_state(db, order.order_id, RepairState.SHIPPED, technician_id=shop[technician].user_id)
    with db.transaction() as session:
        call = FollowUp(
            kind=FollowUpKind.AFTER_REPAIR,
            order_id=order.order_id,
            customer_id=shop["customer"],
            due_at=shop["service"].now(),
        )
        session.add(call)
        session.flush()
        return call.id


def _consent(ctx: Context, customer_id: int) -> None:
    notices.record_consent(ctx, customer_id, consents=True, expected_version=0)


def test_the_questionnaire_is_the_four_items_scored_from_one_to_five(shop) -> None:
    items, floor = survey.questionnaire(shop["service"])
    assert items == ["总体满意度", "维修速度", "维修质量", "服务态度"] and floor == 4


def test_fully_satisfied_queues_the_thank_you_message(db, shop) -> None:
    service = shop["service"]
    _consent(service, shop["customer"])
    call = _call(db, shop, 1, "wang")
    outcome = survey.record_survey(service, call, {**ALL_FIVE, "维修速度": 4}, comment="很好")
    assert outcome.fully_satisfied and outcome.apology_task_id is None
    with db.read() as session:
        notice = session.get(Notice, outcome.thanks_notice_id)
        assert notice.event == NoticeEvent.THANKS and notice.status == NoticeStatus.QUEUED
        assert "感谢" in notice.text
        answer = session.scalar(select(SurveyAnswer).where(SurveyAnswer.follow_up_id == call))
        assert answer.scores["维修速度"] == 4 and answer.fully_satisfied
        assert session.get(FollowUp, call).satisfied is True
    assert survey.apology_calls(service) == [] and followups.worklist(service) == []
    with pytest.raises(Conflict):  # a call is recorded once
        survey.record_survey(service, call, ALL_FIVE)


def test_any_item_unsatisfied_books_an_apology_call_with_its_deadline(db, shop, clock) -> None:
    service = shop["service"]
    call = _call(db, shop, 1, "wang")
    outcome = survey.record_survey(service, call, {**ALL_FIVE, "服务态度": 3}, comment="态度冷淡")
    assert not outcome.fully_satisfied and outcome.thanks_notice_id is None
    assert outcome.complaint_no is None
    (task,) = survey.apology_calls(service)
    assert task.id == outcome.apology_task_id and task.due_at == clock.now() + timedelta(hours=24)
    assert "服务态度 3" in task.detail and "态度冷淡" in task.detail
    with db.read() as session:
        assert session.scalar(select(Notice.id)) is None  # no thanks
        assert session.get(FollowUp, call).satisfied is False
    clock.advance(hours=25)
    assert task.is_overdue(clock.now())
    with pytest.raises(InvalidInput):
        survey.record_apology_call(service, task.id, "  ")
    survey.record_apology_call(service, task.id, "已致歉,客户接受")
    assert survey.apology_calls(service) == []
    with pytest.raises(Conflict):
        survey.record_apology_call(service, task.id, "再次致歉")


def test_an_unsatisfied_customer_who_wants_it_gets_a_complaint_in_the_same_step(db, shop) -> None:
    service = shop["service"]
    call = _call(db, shop, 1, "wang")
    with pytest.raises(InvalidInput):  # a fully satisfied customer has no complaint to open
        survey.record_survey(service, call, ALL_FIVE, open_complaint=True)
    outcome = survey.record_survey(
        service, call, {**ALL_FIVE, "维修质量": 1}, comment="又坏了", open_complaint=True
    )
    assert outcome.complaint_no and outcome.apology_task_id
    with db.read() as session:
        complaint = session.scalar(
            select(Complaint).where(Complaint.complaint_no == outcome.complaint_no)
        )
        assert "维修质量 1" in complaint.description and complaint.is_valid


def test_a_survey_with_a_missing_item_or_a_score_out_of_range_is_refused(db, shop) -> None:
    service = shop["service"]
    call = _call(db, shop, 1, "wang")
    with pytest.raises(InvalidInput, match="服务态度"):
        survey.record_survey(service, call, {"总体满意度": 5, "维修速度": 5, "维修质量": 5})
    with pytest.raises(InvalidInput):
        survey.record_survey(service, call, {**ALL_FIVE, "维修质量": 6})
    with db.read() as session:
        assert session.scalar(select(SurveyAnswer.id)) is None
        assert session.get(FollowUp, call).done_at is None


def test_results_per_technician_model_and_month_against_the_target_in_excel(
    db, shop, clock, tmp_path
) -> None:
    service = shop["service"]
    for number, (technician, model, scores) in enumerate(
        [
            ("wang", "X1", ALL_FIVE),
            ("wang", "X1", ALL_FIVE),
            ("wang", "X1", {**ALL_FIVE, "维修速度": 2}),
            ("li", "X2", ALL_FIVE),
        ],
        start=1,
    ):
        survey.record_survey(service, _call(db, shop, number, technician, model), scores)
    clock.advance(days=30)  # December in Shanghai
    survey.record_survey(service, _call(db, shop, 9, "li", "X2"), {**ALL_FIVE, "总体满意度": 1})
    since, until = NOON - timedelta(days=5), clock.now() + timedelta(days=1)
    rows, target = survey.satisfaction(service, since, until)
    assert target == 98
    figures = {(r.month, r.technician, r.model): (r.surveys, r.fully_satisfied) for r in rows}
    assert figures == {
        ("2026-11", "王工", "星辰 X1"): (3, 2),
        ("2026-11", "李工", "星辰 X2"): (1, 1),
        ("2026-12", "李工", "星辰 X2"): (1, 0),
    }
    path = tmp_path / "满意度.xlsx"
    assert care_exports.export_satisfaction(service, path, since, until) == 5
    sheet = load_workbook(path).active
    lines = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert lines[0] == care_exports.SATISFACTION_HEADERS
    assert ("2026-11", "王工", "星辰 X1", 3, 2, 0.6667, 0.98, "否") in lines
    assert ("2026-11", "李工", "星辰 X2", 1, 1, 1.0, 0.98, "是") in lines
    assert ("2026-11", "合计", None, 4, 3, 0.75, 0.98, "否") in lines
    assert ("2026-12", "合计", None, 1, 0, 0.0, 0.98, "否") in lines


def test_the_dashboard_tile_gives_the_months_rate_against_the_target_per_technician_and_model(
    db, shop, make_user, clock
) -> None:
    from app.ledgers.tiles import TECHNICIAN, Tile, TileFigure, tile_figures, tile_rows

    boss = make_user(Role.SUPERVISOR, username="boss")
    (empty,) = [f for f in tile_figures(boss, clock.now()) if f.tile is Tile.SATISFACTION]
    assert (empty.count, empty.surveys, empty.rate, empty.alarming) == (0, 0, None, False)
    for number, (technician, model, scores) in enumerate(
        [
            ("wang", "X1", ALL_FIVE),
            ("wang", "X1", {**ALL_FIVE, "维修速度": 2}),
            ("li", "X2", ALL_FIVE),
        ],
        start=1,
    ):
        survey.record_survey(shop["service"], _call(db, shop, number, technician, model), scores)
    clock.advance(minutes=1)
    (figure,) = [f for f in tile_figures(boss, clock.now()) if f.tile is Tile.SATISFACTION]
    assert (figure.count, figure.surveys, figure.target_percent) == (2, 3, 98)
    assert figure.alarming  # 66.7 % < 98 %
    rows = [(r.kind, r.code, r.what) for r in tile_rows(boss, Tile.SATISFACTION, clock.now())]
    assert rows == [
        (TECHNICIAN, "王工", "1 / 2 = 50.0%"),
        (TECHNICIAN, "李工", "1 / 1 = 100.0%"),
        ("Model", "星辰 X1", "1 / 2 = 50.0%"),
        ("Model", "星辰 X2", "1 / 1 = 100.0%"),
    ]
    clock.advance(days=30)  # December: a new month, nothing surveyed yet
    (december,) = [f for f in tile_figures(boss, clock.now()) if f.tile is Tile.SATISFACTION]
    assert (december.count, december.surveys, december.alarming) == (0, 0, False)
    at_target = TileFigure(Tile.SATISFACTION, 49, None, 50, 98)  # 98 % exactly
    assert not at_target.alarming
    assert TileFigure(Tile.SATISFACTION, 48, None, 50, 98).alarming
