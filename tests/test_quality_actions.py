"""Root causes and corrective actions: recorded for a valid complaint, a rework, a failed aging
run or an alarm (refused for anything else); edited, reported done, sent back, done again and
verified, each over the version loaded; the worklist and the Pareto of causes per month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import add_customer, audit_count, imei
from quality_data import Return, Shop, on
from sqlalchemy import select

from app import complaints
from app.context import Context
from app.db import Database
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.models import (
    ActionStatus,
    AgingRun,
    CauseSubject,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    QcResult,
    RepairOrder,
    Role,
    RootCause,
)
from app.quality import actions

DUE = date(2026, 12, 15)


@pytest.mark.parametrize("typed", ["²", "１２", "99999999999999999999", "", "\x00", "#"])
def test_a_number_that_names_nothing_is_not_found_not_a_crash(db, people, typed: str) -> None:
    for subject in CauseSubject:
        with pytest.raises(NotFound):
            actions.subject_for(people["boss"], subject, typed)


def test_a_number_is_read_as_the_scanner_would_send_it(db, people) -> None:
    boss = people["boss"]
    rework, _ = _orders(db, boss)
    with db.read() as session:
        number = session.scalar(select(RepairOrder.order_no).where(RepairOrder.id == rework))
    typed = " " + number.lower().translate(FULL_WIDTH) + " "  # lower case, full-width digits
    assert actions.subject_for(boss, CauseSubject.REWORK, typed) == rework


FULL_WIDTH = {ord(c): ord(c) - 0x21 + 0xFF01 for c in "0123456789"}


@pytest.fixture
def people(db: Database, make_user: Callable[..., Context]) -> dict[str, Context]:
    return {
        "boss": make_user(Role.SUPERVISOR, username="boss"),
        "boss2": make_user(Role.SUPERVISOR, username="boss2"),
        "service": make_user(Role.CUSTOMER_SERVICE, username="service"),
    }


def _complaint(people: dict[str, Context], category: ComplaintCategory) -> int:
    service = people["service"]
    number = complaints.register_complaint(
        service,
        customer_id=add_customer(service.db, service),
        channel=ComplaintChannel.PHONE,
        description="修好三天又不开机",
        customer_request="重新维修",
        grade=ComplaintGrade.B,
        category=category,
        order_ids=(),
    )
    with service.db.read() as session:
        found = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    assert found is not None
    return found


def _orders(db: Database, boss: Context) -> tuple[int, int]:
    """A rework order and an ordinary return."""
    shop = Shop(db, boss.actor.user_id)
    shop.returns(
        "X1",
        [
            Return(imei(1), on(date(2026, 11, 2)), "F01", rework=True),
            Return(imei(2), on(date(2026, 11, 2)), "F01"),
        ],
    )
    with db.read() as session:
        rows = session.execute(select(RepairOrder.id, RepairOrder.is_rework)).all()
    by_kind = {rework: order_id for order_id, rework in rows}
    return by_kind[True], by_kind[False]


def _aging_run(db: Database, boss: Context, order_id: int, result: QcResult) -> int:
    at = datetime(2026, 11, 3, tzinfo=UTC)
    with db.transaction() as session:
        run = AgingRun(
            order_id=order_id,
            received_at=at,
            received_by_id=boss.actor.user_id,
            started_at=at,
            required_minutes=240,
            result=result,
            fail_reason="老化中死机/重启" if result is QcResult.FAIL else None,
        )
        session.add(run)
        session.flush()
        return run.id


def _record(ctx: Context, subject: CauseSubject, subject_id: int, **values) -> int:
    fields = {
        "cause": RootCause.WORKMANSHIP,
        "analysis": "焊接温度过高,BGA虚焊",
        "action": "焊台温度校准,每周点检",
        "responsible": "李工",
        "due_date": DUE,
    } | values
    return actions.record_root_cause(ctx, subject, subject_id, **fields)


def test_only_a_valid_complaint_a_rework_a_qc_fail_or_an_alarm_gets_a_root_cause(
    db, people
) -> None:
    boss = people["boss"]
    rework, ordinary = _orders(db, boss)
    valid = _complaint(people, ComplaintCategory.REPAIR_QUALITY)
    invalid = _complaint(people, ComplaintCategory.OTHER)
    failed = _aging_run(db, boss, rework, QcResult.FAIL)
    passed = _aging_run(db, boss, ordinary, QcResult.PASS)
    before = audit_count(db)
    for subject, subject_id in (
        (CauseSubject.COMPLAINT, invalid),
        (CauseSubject.REWORK, ordinary),
        (CauseSubject.QC_FAIL, passed),
    ):
        with pytest.raises(InvalidInput):
            _record(boss, subject, subject_id)
    with pytest.raises(InvalidInput):
        _record(boss, CauseSubject.REWORK, rework, action="  ")
    with pytest.raises(PermissionDenied):
        _record(people["service"], CauseSubject.COMPLAINT, valid)
    assert audit_count(db) == before
    for subject, subject_id in (
        (CauseSubject.COMPLAINT, valid),
        (CauseSubject.REWORK, rework),
        (CauseSubject.QC_FAIL, failed),
    ):
        _record(boss, subject, subject_id)
    with pytest.raises(Conflict):  # one root cause per subject: change it instead
        _record(boss, CauseSubject.REWORK, rework)
    assert [row.subject for row in actions.open_actions(boss)] == [
        CauseSubject.COMPLAINT,
        CauseSubject.REWORK,
        CauseSubject.QC_FAIL,
    ]


def test_the_life_cycle_of_a_corrective_action(db, people) -> None:
    boss, boss2 = people["boss"], people["boss2"]
    rework, _ = _orders(db, boss)
    action_id = _record(boss, CauseSubject.REWORK, rework)
    loaded = actions.action_version(boss, action_id)
    version = actions.edit_action(
        boss,
        action_id,
        cause=RootCause.PART_QUALITY,
        action="更换电容供应商批次",
        responsible="王工",
        due_date=DUE + timedelta(days=7),
        expected_version=loaded,
    )
    with pytest.raises(Conflict, match="changed by boss at"):
        actions.finish_action(boss2, action_id, "已更换", expected_version=loaded)
    with pytest.raises(Conflict):  # not done yet: nothing to verify
        actions.verify_action(boss2, action_id, "抽检", works=True, expected_version=version)
    version = actions.finish_action(boss, action_id, "已更换批次", expected_version=version)
    (row,) = actions.open_actions(boss)
    assert (row.status, row.cause, row.responsible) == (
        ActionStatus.DONE,
        RootCause.PART_QUALITY,
        "王工",
    )
    version = actions.verify_action(
        boss2, action_id, "抽检仍有虚焊", works=False, expected_version=version
    )
    assert actions.open_actions(boss)[0].status is ActionStatus.OPEN  # sent back
    version = actions.finish_action(
        boss, action_id, "换批次并加严来料检验", expected_version=version
    )
    actions.verify_action(boss2, action_id, "连续两周无返修", works=True, expected_version=version)
    assert actions.open_actions(boss) == []
    with pytest.raises(Conflict):
        actions.edit_action(
            boss,
            action_id,
            cause=RootCause.OTHER,
            action="改",
            responsible="李工",
            due_date=DUE,
            expected_version=actions.action_version(boss, action_id),
        )


def test_the_pareto_counts_the_causes_of_each_month(db, people, clock) -> None:
    boss = people["boss"]
    rework, ordinary = _orders(db, boss)
    failed = _aging_run(db, boss, rework, QcResult.FAIL)
    valid = _complaint(people, ComplaintCategory.REPAIR_QUALITY)
    clock.set(datetime(2026, 10, 20, 9, tzinfo=UTC))
    _record(boss, CauseSubject.REWORK, rework, cause=RootCause.DIAGNOSIS)
    clock.set(datetime(2026, 11, 5, 9, tzinfo=UTC))
    _record(boss, CauseSubject.QC_FAIL, failed, cause=RootCause.PART_QUALITY)
    _record(boss, CauseSubject.COMPLAINT, valid, cause=RootCause.PART_QUALITY)
    pareto = actions.cause_pareto(
        boss, datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert pareto == [
        (date(2026, 10, 1), [(RootCause.DIAGNOSIS, 1)]),
        (date(2026, 11, 1), [(RootCause.PART_QUALITY, 2)]),
    ]
    assert ordinary  # an ordinary return has no cause and is in no month
