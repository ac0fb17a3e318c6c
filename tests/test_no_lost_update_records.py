"""No lost update beyond repair orders: users, complaints, waybill details, settings and
catalogue rows are saved only over the version their form loaded; a save over another station's
newer change is a Conflict naming who changed it, and nothing of it is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from factories import add_customer, audit_count, move_users
from sqlalchemy import select

from app import complaints, settings
from app.admin import catalogs
from app.admin import users as admin_users
from app.admin.catalog_tables import FAULT_CODES
from app.complaints import accountability, handler, notices, sending
from app.complaints.escalation import escalate_complaint
from app.complaints.sms import SendResult
from app.complaints.watch import complaint_version
from app.context import Context
from app.db import Database
from app.errors import Conflict
from app.headquarters.escalations import answer_escalation, take_escalation, worklist
from app.models import (
    Carrier,
    Center,
    CenterKind,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    CorrectiveAction,
    EscalationDecision,
    EscalationReply,
    FaultCode,
    Notice,
    NoticeConsent,
    Part,
    PartMaster,
    QualityAlarm,
    Role,
    Setting,
    Shipment,
    StaffMember,
    User,
)
from app.parts import master as parts_master
from app.quality import actions as quality_actions
from app.quality import alarms as quality_alarms
from app.shipping import shipments as shipping
from app.shipping.views import shipment_version


@pytest.fixture
def office(db: Database, make_user: Callable[..., Context]) -> dict[str, Any]:
    people = {
        "admin": make_user(Role.ADMIN, username="admin"),
        "admin2": make_user(Role.ADMIN, username="admin2"),
        "boss": make_user(Role.SUPERVISOR, username="boss"),
        "boss2": make_user(Role.SUPERVISOR, username="boss2"),
        "service": make_user(Role.CUSTOMER_SERVICE, username="service"),
        "ship": make_user(Role.SHIPPING_CLERK, username="ship"),
        "ship2": make_user(Role.SHIPPING_CLERK, username="ship2"),
        "tech": make_user(Role.TECHNICIAN, username="tech", badge_code="T001"),
    }
    people["customer"] = add_customer(db, people["service"])
    with db.transaction() as session:
        session.add(Carrier(code="SF", name="顺丰速运", waybill_pattern=r"SF\d{12,13}"))
    return people


@dataclass(frozen=True)
class Case:
    """Bring a record where the edit applies; read its version; another station's save; the
    edit itself with a version; the record's row as stored (to see nothing was written)."""

    prepare: Callable[[dict[str, Any]], Any]
    version: Callable[[dict[str, Any], Any], Any]
    other_save: Callable[[dict[str, Any], Any, Any], object]
    edit: Callable[[dict[str, Any], Any, Any], object]
    stored: Callable[[Database, Any], object]
    other: str  # who saved meanwhile


def _row(model: Any, column: Any) -> Callable[[Database, Any], object]:
    def stored(db: Database, key: Any) -> object:
        with db.read() as session:
            row = session.execute(select(model.__table__).where(column == key)).one()
            return dict(row._mapping)

    return stored


# Users
def _tech(office: dict[str, Any]) -> int:
    return office["tech"].user_id


USER = {
    "prepare": _tech,
    "version": lambda o, user_id: admin_users.user_version(o["admin"], user_id),
    "other_save": lambda o, user_id, v: admin_users.set_badge_code(
        o["admin2"], user_id, "T009", expected_version=v
    ),
    "stored": _row(User, User.id),
    "other": "admin2",
}
USER_EDITS = {
    "admin.users.set_active": lambda o, u, v: admin_users.set_active(
        o["admin"], u, False, expected_version=v
    ),
    "admin.users.reset_password": lambda o, u, v: admin_users.reset_password(
        o["admin"], u, expected_version=v
    ),
    "admin.users.unlock_user": lambda o, u, v: admin_users.unlock_user(
        o["admin"], u, expected_version=v
    ),
    "admin.users.set_pin": lambda o, u, v: admin_users.set_pin(
        o["admin"], u, "2580", expected_version=v
    ),
    "admin.users.set_roles": lambda o, u, v: admin_users.set_roles(
        o["admin"], u, {Role.TECHNICIAN, Role.QC_TESTER}, expected_version=v
    ),
    "admin.users.set_badge_code": lambda o, u, v: admin_users.set_badge_code(
        o["admin"], u, "T002", expected_version=v
    ),
    "admin.users.set_display_name": lambda o, u, v: admin_users.set_display_name(
        o["admin"], u, "王工", expected_version=v
    ),
    "admin.users.edit_user": lambda o, u, v: admin_users.edit_user(
        o["admin"], u, display_name="王工", roles={Role.TECHNICIAN}, expected_version=v
    ),
}


# Complaints
def _complaint(office: dict[str, Any], *, through: str = "open") -> int:
    service, boss = office["service"], office["boss"]
    number = complaints.register_complaint(
        service,
        customer_id=office["customer"],
        channel=ComplaintChannel.PHONE,
        description="维修后仍不开机",
        customer_request="要求重新维修",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
        order_ids=(),
    )
    with service.db.read() as session:
        complaint_id = session.scalar(select(Complaint.id).where(Complaint.complaint_no == number))
    assert complaint_id is not None

    def version() -> int:
        return complaint_version(service, complaint_id)

    steps = ["remedies", "approved", "chosen", "settled"]
    wanted = steps[: steps.index(through) + 1] if through in steps else []
    if "remedies" in wanted:
        complaints.propose_remedies(
            service, complaint_id, "免费重修", "换新机", expected_version=version()
        )
    if "approved" in wanted:
        complaints.approve_remedies(boss, complaint_id, expected_version=version())
    if "chosen" in wanted:
        complaints.record_choice(service, complaint_id, "免费重修", expected_version=version())
    if "settled" in wanted:
        complaints.settle_complaint(
            service,
            complaint_id,
            outcome="已重修",
            customer_accepted=True,
            expected_version=version(),
        )
    return complaint_id


def _complaint_case(through: str) -> dict[str, Any]:
    return {
        "prepare": lambda o: _complaint(o, through=through),
        "version": lambda o, c: complaint_version(o["service"], c),
        "other_save": lambda o, c, v: complaints.overrule_validity(
            o["boss2"], c, is_valid=True, reason="客户多次投诉", expected_version=v
        ),
        "stored": _row(Complaint, Complaint.id),
        "other": "boss2",
    }


COMPLAINT_EDITS = {
    "complaints.handling.assign_handling": (
        "open",
        lambda o, c, v: complaints.assign_handling(
            o["service"], c, responsible_person="李工", department_id=None, expected_version=v
        ),
    ),
    "complaints.handling.record_facts": (
        "open",
        lambda o, c, v: complaints.record_facts(
            o["service"], c, "未老化即发货", expected_version=v
        ),
    ),
    "complaints.handling.propose_remedies": (
        "open",
        lambda o, c, v: complaints.propose_remedies(
            o["service"], c, "退款", "换新机", expected_version=v
        ),
    ),
    "complaints.handling.approve_remedies": (
        "remedies",
        lambda o, c, v: complaints.approve_remedies(o["boss"], c, expected_version=v),
    ),
    "complaints.handling.record_choice": (
        "approved",
        lambda o, c, v: complaints.record_choice(o["service"], c, "换新机", expected_version=v),
    ),
    "complaints.handling.settle_complaint": (
        "chosen",
        lambda o, c, v: complaints.settle_complaint(
            o["service"], c, outcome="已换新", customer_accepted=True, expected_version=v
        ),
    ),
    "complaints.handling.close_complaint": (
        "settled",
        lambda o, c, v: complaints.close_complaint(o["service"], c, expected_version=v),
    ),
    "complaints.accountability.record_accountability": (
        "open",
        lambda o, c, v: accountability.record_accountability(
            o["service"], c, staff_id=_staff(o), refund_amount_cents=100, expected_version=v
        ),
    ),
    "complaints.handler.assign_handler": (
        "open",
        lambda o, c, v: handler.assign_handler(
            o["service"], c, staff_id=_staff(o), expected_version=v
        ),
    ),
    "complaints.escalation.escalate_complaint": (
        "open",
        lambda o, c, v: escalate_complaint(o["service"], c, "重大投诉", expected_version=v),
    ),
    "complaints.handling.overrule_validity": (
        "open",
        lambda o, c, v: complaints.overrule_validity(
            o["boss"], c, is_valid=False, reason="非我方责任", expected_version=v
        ),
    ),
}


def _staff(office: dict[str, Any]) -> int:
    with office["service"].db.transaction() as session:
        staff = session.scalar(select(StaffMember).where(StaffMember.code == "R01"))
        if staff is None:
            staff = StaffMember(code="R01", name="张代表")
            session.add(staff)
            session.flush()
        return staff.id


# Waybill details, settings, catalogue rows
def _waybill(o: dict[str, Any], shipment_id: int, number: str, who: str, version: int) -> str:
    return shipping.set_waybill(
        o[who], shipment_id, carrier_code="SF", waybill_no=number, expected_version=version
    )


def _fault_code(office: dict[str, Any]) -> str:
    catalogs.save(
        office["admin"],
        FAULT_CODES,
        {"code": "F01", "description": "不开机"},
        expected_version=None,
    )
    return "F01"


def _describe(o: dict[str, Any], who: str, text: str, version: str) -> str:
    return catalogs.save(
        o[who], FAULT_CODES, {"description": text}, key="F01", expected_version=version
    )


OTHER_CASES: dict[str, dict[str, Any]] = {
    "shipping.shipments.set_waybill": {
        "prepare": lambda o: shipping.create_shipment(o["ship"], o["customer"]),
        "version": lambda o, s: shipment_version(o["ship"], s),
        "other_save": lambda o, s, v: _waybill(o, s, "SF1234567890123", "ship2", v),
        "edit": lambda o, s, v: _waybill(o, s, "SF1234567890124", "ship", v),
        "stored": _row(Shipment, Shipment.id),
        "other": "ship2",
    },
    "app.settings.put_many": {
        "prepare": lambda o: settings.CENTER_NAME,
        "version": lambda o, spec: settings.setting_version(o["admin"], spec),
        "other_save": lambda o, spec, v: settings.put(
            o["admin2"], spec, "二号名", expected_version=v
        ),
        "edit": lambda o, spec, v: settings.put_many(
            o["admin"], {spec: "一号名"}, expected_version={spec.key: v}
        ),
        "stored": lambda db, spec: _row(Setting, Setting.key)(db, spec.key),
        "other": "admin2",
    },
    "admin.catalogs.save": {
        "prepare": _fault_code,
        "version": lambda o, key: catalogs.row_version(o["admin"], FAULT_CODES, key),
        "other_save": lambda o, key, v: _describe(o, "admin2", "开机无显示", v),
        "edit": lambda o, key, v: _describe(o, "admin", "不开机,无电流", v),
        "stored": _row(FaultCode, FaultCode.code),
        "other": "admin2",
    },
    "admin.catalogs.set_active": {
        "prepare": _fault_code,
        "version": lambda o, key: catalogs.row_version(o["admin"], FAULT_CODES, key),
        "other_save": lambda o, key, v: _describe(o, "admin2", "开机无显示", v),
        "edit": lambda o, key, v: catalogs.set_active(
            o["admin"], FAULT_CODES, key, False, expected_version=v
        ),
        "stored": _row(FaultCode, FaultCode.code),
        "other": "admin2",
    },
}


def _alarm(office: dict[str, Any]) -> int:
    from datetime import UTC, date, datetime

    from factories import add_model

    from app.models import AlarmStatus, QualityAlarm

    model_id = add_model(office["admin"].db, "Q1")
    at = datetime(2026, 5, 1, tzinfo=UTC)
    with office["admin"].db.transaction() as session:
        alarm = QualityAlarm(
            product_model_id=model_id,
            sale_month=date(2026, 4, 1),
            fault_code="F01",
            months_in_service=1,
            observed=30,
            expected=10.0,
            p_value=1e-6,
            basis="model",
            first_detected_at=at,
            last_tested_at=at,
            status=AlarmStatus.OPEN,
        )
        session.add(alarm)
        session.flush()
        return alarm.id


ALARM = {
    "prepare": _alarm,
    "version": lambda o, a: quality_alarms.alarm_version(o["boss"], a),
    "other_save": lambda o, a, v: quality_alarms.acknowledge_alarm(
        o["boss2"], a, "工程部已知悉", expected_version=v
    ),
    "stored": lambda db, a: _row(QualityAlarm, QualityAlarm.id)(db, a),
    "other": "boss2",
}
ALARM_EDITS = {
    "quality.alarms.acknowledge_alarm": lambda o, a, v: quality_alarms.acknowledge_alarm(
        o["boss"], a, "抽检该批次", expected_version=v
    ),
    "quality.alarms.close_alarm": lambda o, a, v: quality_alarms.close_alarm(
        o["boss"], a, "已更换供应商", expected_version=v
    ),
}


def _action(office: dict[str, Any], *, done: bool = False) -> int:
    from datetime import date

    from app.models import CauseSubject, RootCause

    alarm_id = _alarm(office)
    action_id = quality_actions.record_root_cause(
        office["boss"],
        CauseSubject.ALARM,
        alarm_id,
        cause=RootCause.PART_QUALITY,
        analysis="电容批次不良",
        action="更换供应商批次",
        responsible="王工",
        due_date=date(2026, 12, 31),
    )
    if done:
        quality_actions.finish_action(
            office["boss"],
            action_id,
            "已更换",
            expected_version=quality_actions.action_version(office["boss"], action_id),
        )
    return action_id


def _edit_action(o: dict[str, Any], who: str, a: int, v: int, responsible: str) -> int:
    from datetime import date

    from app.models import RootCause

    return quality_actions.edit_action(
        o[who],
        a,
        cause=RootCause.DESIGN,
        action="改版主板",
        responsible=responsible,
        due_date=date(2027, 1, 15),
        expected_version=v,
    )


def _action_case(done: bool) -> dict[str, Any]:
    return {
        "prepare": lambda o: _action(o, done=done),
        "version": lambda o, a: quality_actions.action_version(o["boss"], a),
        "other_save": lambda o, a, v: _edit_action(o, "boss2", a, v, "李工"),
        "stored": lambda db, a: _row(CorrectiveAction, CorrectiveAction.id)(db, a),
        "other": "boss2",
    }


ACTION_EDITS = {
    "quality.actions.edit_action": (
        False,
        lambda o, a, v: _edit_action(o, "boss", a, v, "张工"),
    ),
    "quality.actions.finish_action": (
        False,
        lambda o, a, v: quality_actions.finish_action(o["boss"], a, "已完成", expected_version=v),
    ),
    "quality.actions.verify_action": (
        True,
        lambda o, a, v: quality_actions.verify_action(
            o["boss"], a, "抽检合格", works=True, expected_version=v
        ),
    ),
}


# Customer care: the customer's consent to notices, a notice sent by hand
def _consent_version(o: dict[str, Any], customer_id: int) -> int:
    return notices.consent_of(o["service"], customer_id).version


def _queued_notice(o: dict[str, Any]) -> int:
    notices.record_consent(o["service"], o["customer"], consents=True, expected_version=0)
    with o["service"].db.transaction() as session:
        notice = notices.queue_in(
            session,
            o["service"],
            event=notices.NoticeEvent.THANKS,
            event_key="thanks:test",
            customer_id=o["customer"],
            params={"center": "中心", "subject": "RO1"},
        )
        assert notice is not None
        return notice.id


class _Down:
    def send(self, *args: Any) -> SendResult:
        return SendResult(False, error="HTTP 503", retry=True)

    def delivery(self, *args: Any) -> None:
        return None


def _notice_version(o: dict[str, Any], notice_id: int) -> int:
    (row,) = [r for r in notices.outbox(o["service"]) if r.id == notice_id]
    return row.version


def _retried_by_boss2(o: dict[str, Any], notice_id: int, version: int) -> object:
    return sending.send_due(o["boss2"], _Down())


CARE_CASES: dict[str, dict[str, Any]] = {
    "complaints.notices.record_consent": {
        "prepare": lambda o: o["customer"],
        "version": _consent_version,
        "other_save": lambda o, c, v: notices.record_consent(
            o["boss2"], c, consents=True, expected_version=v
        ),
        "edit": lambda o, c, v: notices.record_consent(
            o["service"], c, consents=False, expected_version=v
        ),
        "stored": lambda db, c: _row(NoticeConsent, NoticeConsent.customer_id)(db, c),
        "other": "boss2",
    },
    "complaints.notices.mark_sent_by_hand": {
        "prepare": _queued_notice,
        "version": _notice_version,
        "other_save": _retried_by_boss2,
        "edit": lambda o, n, v: notices.mark_sent_by_hand(o["service"], n, expected_version=v),
        "stored": _row(Notice, Notice.id),
        "other": "boss2",
    },
}


# Headquarters' worklist: boss and boss2 belong to headquarters, the escalation is center 1's.
def _escalated(office: dict[str, Any], *, taken: bool) -> int:
    with office["boss"].db.transaction() as session:
        center = Center(code="HQ", name="服务管理部", kind=CenterKind.HEADQUARTERS)
        session.add(center)
        session.flush()
        bosses = session.scalars(select(User.id).where(User.username.in_(["boss", "boss2"])))
        move_users(session, list(bosses), center.id)
    complaint = _complaint(office)
    escalation = escalate_complaint(
        office["service"],
        complaint,
        "重大投诉",
        expected_version=complaint_version(office["service"], complaint),
    )
    if taken:
        take_escalation(office["boss"], escalation, expected_version=0)
    return escalation


def _reply_version(office: dict[str, Any], escalation: int) -> int:
    [row] = [r for r in worklist(office["boss"]) if r.escalation.id == escalation]
    return row.escalation.reply_version


def _reply_row(db: Database, escalation: int) -> object:
    with db.read() as session:
        row = session.execute(
            select(EscalationReply.__table__).where(EscalationReply.escalation_id == escalation)
        ).one()
        return dict(row._mapping)


ESCALATION_CASES: dict[str, dict[str, Any]] = {
    "headquarters.escalations.take_escalation": {
        "prepare": lambda o: _escalated(o, taken=False),
        "version": _reply_version,
        "other_save": lambda o, e, v: take_escalation(o["boss2"], e, expected_version=v),
        "edit": lambda o, e, v: take_escalation(o["boss"], e, expected_version=v),
        "stored": _reply_row,
        "other": "boss2",
    },
    "headquarters.escalations.answer_escalation": {
        "prepare": lambda o: _escalated(o, taken=True),
        "version": _reply_version,
        "other_save": lambda o, e, v: take_escalation(o["boss2"], e, expected_version=v),
        "edit": lambda o, e, v: answer_escalation(
            o["boss"], e, EscalationDecision.GUIDANCE, "请站内处理", expected_version=v
        ),
        "stored": _reply_row,
        "other": "boss2",
    },
}


# The parts master and a center's stock row of a part
def _master_part(office: dict[str, Any]) -> str:
    parts_master.add_part(office["boss"], "SCR-X1", "屏幕总成", unit_cost_cents=100)
    return "SCR-X1"


def _master_version(office: dict[str, Any], part_no: str) -> int:
    [part] = parts_master.master_parts(office["boss"], [part_no])
    return part.version


def _rename_part(o: dict[str, Any], who: str, part_no: str, name: str, version: int) -> None:
    parts_master.edit_master_part(
        o[who],
        part_no,
        name=name,
        unit_cost_cents=100,
        sale_price_cents=0,
        model_ids=[],
        active=True,
        expected_version=version,
    )


def _rebin(o: dict[str, Any], who: str, part_id: int, bin_location: str, version: int) -> None:
    parts_master.edit_stock(
        o[who],
        part_id,
        bin_location=bin_location,
        safety_stock=2,
        reorder_quantity=0,
        active=True,
        expected_version=version,
    )


PARTS_CASES: dict[str, dict[str, Any]] = {
    "parts.master.edit_master_part": {
        "prepare": _master_part,
        "version": _master_version,
        "other_save": lambda o, p, v: _rename_part(o, "boss2", p, "屏幕组件", v),
        "edit": lambda o, p, v: _rename_part(o, "boss", p, "屏幕总成 (新)", v),
        "stored": _row(PartMaster, PartMaster.part_no),
        "other": "boss2",
    },
    "parts.master.edit_stock": {
        "prepare": lambda o: parts_master.add_part(o["boss"], "BAT-X1", "电池"),
        "version": lambda o, part_id: parts_master.stock_row(o["boss"], part_id).version,
        "other_save": lambda o, p, v: _rebin(o, "boss2", p, "B-02", v),
        "edit": lambda o, p, v: _rebin(o, "boss", p, "A-01", v),
        "stored": _row(Part, Part.id),
        "other": "boss2",
    },
}

CASES: dict[str, Case] = {
    **{name: Case(edit=edit, **_action_case(done)) for name, (done, edit) in ACTION_EDITS.items()},
    **{name: Case(edit=edit, **ALARM) for name, edit in ALARM_EDITS.items()},
    **{name: Case(edit=edit, **USER) for name, edit in USER_EDITS.items()},
    **{
        name: Case(edit=edit, **_complaint_case(through))
        for name, (through, edit) in COMPLAINT_EDITS.items()
    },
    **{name: Case(**case) for name, case in OTHER_CASES.items()},
    **{name: Case(**case) for name, case in CARE_CASES.items()},
    **{name: Case(**case) for name, case in ESCALATION_CASES.items()},
    **{name: Case(**case) for name, case in PARTS_CASES.items()},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_save_over_a_newer_change_is_refused_names_who_and_writes_nothing(
    name: str, db: Database, office: dict[str, Any]
) -> None:
    case = CASES[name]
    key = case.prepare(office)
    loaded = case.version(office, key)
    case.other_save(office, key, loaded)  # another station saves first
    before, audit_before = case.stored(db, key), audit_count(db)
    with pytest.raises(Conflict, match=f"changed by {case.other} at"):
        case.edit(office, key, loaded)
    assert case.stored(db, key) == before and audit_count(db) == audit_before
    case.edit(office, key, case.version(office, key))  # reloaded: saved
