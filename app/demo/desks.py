"""The desks that work in rounds: the packing table ships twice a day; customer service takes
complaints (some answered in time, some not, so the watch list has something on it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from app import complaints
from app.complaints import followups
from app.complaints.watch import complaint_version
from app.context import Context
from app.demo import care
from app.demo.floor import Floor, Story
from app.demo.plans import OrderPlan
from app.formats import s10_check_digit
from app.localtime import center_zone
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintStatus,
    Customer,
    FollowUp,
    RepairOrder,
    RepairState,
)
from app.shipping import shipments as shipping

SHIPPING_ROUNDS = (time(11, 0), time(16, 30))
FOLLOW_UP_ROUND = time(15, 0)
NOT_REACHED = 0.08  # a call not answered: tried again the next working day
NOT_SATISFIED = 0.03
HOUR = 60.0


def waybill_for(floor: Floor, carrier: str) -> str:
    rng = floor.rng
    if carrier == "SF":
        return f"SF{rng.randrange(10**12, 10**13)}"
    if carrier == "EMS":
        digits = f"{rng.randrange(10**8):08d}"
        return f"E{rng.choice('ABCDEFGHJ')}{digits}{s10_check_digit(digits)}CN"
    return f"{rng.choice(('73', '75', '78'))}{rng.randrange(10**10):010d}"


def shipping_rounds(floor: Floor, first_day: datetime) -> Story:
    """Every working day at 11:00 and 16:30, ship what is ready, one parcel per customer."""
    day = first_day.astimezone(center_zone()).date()
    while True:
        for round_time in SHIPPING_ROUNDS:
            moment = datetime.combine(day, round_time, center_zone())
            if floor.calendar.is_working_day(day) and moment > floor.now():
                yield moment
                _ship_ready(floor)
        day += timedelta(days=1)


def _ship_ready(floor: Floor) -> None:
    clerk = floor.as_user("shipping")
    with clerk.db.read() as session:
        ready = session.execute(
            select(RepairOrder.id, RepairOrder.customer_id)
            .where(RepairOrder.state.in_((RepairState.QC_PASSED, RepairState.RETURN_UNREPAIRED)))
            .order_by(RepairOrder.id)
        ).all()
        by_customer: dict[int, list[int]] = defaultdict(list)
        for order_id, customer_id in ready:
            if order_id not in floor.held_for_shipping:
                by_customer[customer_id].append(order_id)
        receivers = {
            c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(by_customer)))
        }
    for customer_id, order_ids in by_customer.items():
        customer = receivers[customer_id]
        carrier = "SF" if floor.rng.random() < 0.7 else floor.rng.choice(("EMS", "ZTO"))
        shipping.ship_orders(
            clerk,
            order_ids,
            carrier_code=carrier,
            waybill_no=waybill_for(floor, carrier),
            receiver_name=customer.name,
            receiver_phone=customer.phone,
            receiver_address=customer.address or "",
        )


@dataclass(frozen=True)
class ComplaintSpec:
    grade: ComplaintGrade
    category: ComplaintCategory
    description: str
    request: str
    # What checking the facts found: the center at fault (a valid complaint), or not (the
    # supervisor rules it does not count against the center, with the reason).
    facts: str = "核实属实:维修工艺不到位"
    confirmed: bool = True


COMPLAINTS: tuple[ComplaintSpec, ...] = (
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.ATTITUDE,
        "客户来电称前台接待不耐烦,问了两次才回答",
        "要求道歉",
        "调取接待录音,接待用语规范,客户当时排队较久",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.TURNAROUND,
        "承诺三天修好,第五天仍未收到手机",
        "尽快寄回",
        "三个工作日内已修好寄出,快递途中延误两天",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.B,
        ComplaintCategory.REPAIR_QUALITY,
        "换屏后触摸偶尔失灵,要求重新维修",
        "免费重新维修",
    ),
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.PRICING,
        "认为更换尾插收费过高,与官网报价不符",
        "按官网价格收费",
        "收费与官网配件价一致,客户所见为旧价",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.C,
        ComplaintCategory.LOSS_DAMAGE,
        "寄回的手机后盖有明显划痕,寄出前没有",
        "要求退款并赔偿",
        "出库照片后盖完好,划痕为快递运输所致,已向快递索赔",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.B,
        ComplaintCategory.PARTS_SUPPLY,
        "等屏幕配件已两周,一直说缺货",
        "要求换新机",
        "缺料期间已按规定提供备用机并每两天告知进度,客户未领取备用机",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.C,
        ComplaintCategory.REPAIR_QUALITY,
        "第三次送修同一故障,仍未修好",
        "要求退货退款",
        "三次送修故障现象不同(进水、摔落、电池老化),非同一问题",
        False,
    ),
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.OTHER,
        "客服热线高峰期打不进来",
        "希望增加人手",
        "高峰期来电量超出坐席,已增加午间值班",
        False,
    ),
)
CHANNELS = (
    ComplaintChannel.PHONE,
    ComplaintChannel.PHONE,
    ComplaintChannel.ONLINE,
    ComplaintChannel.WALK_IN,
    ComplaintChannel.LETTER,
)


def complaint_story(floor: Floor, spec: ComplaintSpec, *, contact: str) -> Story:
    """``contact``: "in_time", "late" (first contact after 10 minutes) or "never" (overdue)."""
    service = floor.as_user("service")
    concerned = floor.received[-40:]  # complaints concern recent visits
    if not concerned:
        return
    order_id, customer_id = floor.rng.choice(concerned)
    number = complaints.register_complaint(
        service,
        customer_id=customer_id,
        channel=floor.rng.choice(CHANNELS),
        description=spec.description,
        customer_request=spec.request,
        grade=spec.grade,
        category=spec.category,
        order_ids=[order_id],
    )
    yield from _handle(floor, number, contact, spec.facts, spec.confirmed)


def rework_complaint_story(floor: Floor, order_id: int, plan: OrderPlan) -> Story:
    """A unit back with the same fault: the customer complains (repair quality, grade B)."""
    service = floor.as_user("service")
    number = complaints.register_complaint(
        service,
        customer_id=plan.customer.id,
        channel=ComplaintChannel.PHONE,
        description=f"上次维修后同一故障复发:{plan.fault}",
        customer_request="要求免费重新维修并尽快寄回",
        grade=ComplaintGrade.B,
        category=ComplaintCategory.REPAIR_QUALITY,
        order_ids=[order_id],
    )
    yield from _handle(floor, number, "in_time", "复检确认:上次维修未彻底排除故障")


def _handle(
    floor: Floor, complaint_no: str, contact: str, facts: str, confirmed: bool = True
) -> Story:
    """First contact, the facts, two remedies the supervisor approves, the customer's choice,
    settlement: as a center that keeps its clocks (some handling is still under way at the end;
    a few were late or never contacted, for the watch list)."""
    service, boss = floor.as_user("service"), floor.as_user("supervisor")
    rng = floor.rng
    with service.db.read() as session:
        complaint_id = session.scalar(
            select(Complaint.id).where(Complaint.complaint_no == complaint_no)
        )
    assert complaint_id is not None
    if contact == "never":
        return
    delay = rng.uniform(2, 9) if contact == "in_time" else rng.uniform(15, 90)
    yield floor.now() + timedelta(minutes=delay)
    complaints.record_first_contact(service, complaint_id)
    yield floor.later(HOUR, 6 * HOUR)
    responsible = rng.choice(care.RESPONSIBLE)
    complaints.assign_handling(
        service,
        complaint_id,
        staff_id=care.staff_id(service, responsible),
        department_id=None,
        expected_version=complaint_version(service, complaint_id),
    )
    complaints.record_facts(
        service, complaint_id, facts, expected_version=complaint_version(service, complaint_id)
    )
    care.record_figures(service, complaint_id, responsible)
    if not confirmed:
        complaints.overrule_validity(
            boss,
            complaint_id,
            is_valid=False,
            reason=f"核实后不属我方责任:{facts}",
            expected_version=complaint_version(boss, complaint_id),
        )
    complaints.record_answer(service, complaint_id, "已向客户说明核实结果并致歉,提出处理方案")
    first, second = REMEDIES[rng.randrange(len(REMEDIES))]
    complaints.propose_remedies(
        service,
        complaint_id,
        first,
        second,
        expected_version=complaint_version(service, complaint_id),
    )
    yield floor.later(30, 4 * HOUR)
    complaints.approve_remedies(
        boss, complaint_id, expected_version=complaint_version(boss, complaint_id)
    )
    yield floor.later(HOUR, 20 * HOUR)
    complaints.record_choice(
        service,
        complaint_id,
        rng.choice((first, second)),
        expected_version=complaint_version(service, complaint_id),
    )
    yield floor.later(2 * HOUR, 20 * HOUR)
    complaints.settle_complaint(
        service,
        complaint_id,
        outcome="方案已落实,客户表示接受",
        customer_accepted=True,
        expected_version=complaint_version(service, complaint_id),
    )


REMEDIES = (
    ("免费重新维修并加急寄回", "退还本次维修费"),
    ("赠送钢化膜并延长保修三个月", "赠送100元维修代金券"),
    ("上门取送机", "延长保修六个月"),
)


def follow_up_rounds(floor: Floor, first_day: datetime) -> Story:
    """Every working day at 15:00 customer service calls back everyone due by tonight: most are
    reached and satisfied; one not reached stays on the list for the next day. A customer who
    is satisfied after a settled complaint sees it closed."""
    day = first_day.astimezone(center_zone()).date()
    while True:
        moment = datetime.combine(day, FOLLOW_UP_ROUND, center_zone())
        if floor.calendar.is_working_day(day) and moment > floor.now():
            yield moment
            service = floor.as_user("service")
            care.apology_round(service, moment)
            care.close_accepted_valid(service, moment)
            care.notice_round(service, moment - timedelta(hours=1))
            _call_back(floor, datetime.combine(day + timedelta(days=1), time(), center_zone()))
        day += timedelta(days=1)


def _call_back(floor: Floor, by: datetime) -> None:
    service = floor.as_user("service")
    with service.db.read() as session:
        due = session.execute(
            select(FollowUp.id, FollowUp.complaint_id)
            .where(FollowUp.done_at.is_(None), FollowUp.due_at < by)
            .order_by(FollowUp.due_at, FollowUp.id)
        ).all()
    for follow_up_id, complaint_id in due:
        if floor.rng.random() < NOT_REACHED:
            followups.record_call(service, follow_up_id, reached=False, comment="无人接听")
            continue
        satisfied = floor.rng.random() >= NOT_SATISFIED
        if complaint_id is None:  # after a repair: the satisfaction survey in the call
            care.survey_call(service, follow_up_id, satisfied, floor.care_rng)
            continue
        followups.record_call(
            service,
            follow_up_id,
            reached=True,
            satisfied=satisfied,
            comment="客户满意" if satisfied else "客户对等待时间不太满意",
        )
        if satisfied and not _closed(service, complaint_id):  # a valid one may be closed
            complaints.close_complaint(
                service, complaint_id, expected_version=complaint_version(service, complaint_id)
            )


def _closed(service: Context, complaint_id: int) -> bool:
    with service.db.read() as session:
        status = session.scalar(select(Complaint.status).where(Complaint.id == complaint_id))
    return status is ComplaintStatus.CLOSED
