"""The desks that work in rounds: the packing table ships twice a day; customer service takes
complaints (some answered in time, some not, so the watch list has something on it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from app import complaints
from app.demo.floor import Floor, Story
from app.demo.plans import OrderPlan
from app.formats import s10_check_digit
from app.localtime import center_zone
from app.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    Customer,
    RepairOrder,
    RepairState,
)
from app.shipping import shipments as shipping

SHIPPING_ROUNDS = (time(11, 0), time(16, 30))


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


COMPLAINTS: tuple[ComplaintSpec, ...] = (
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.ATTITUDE,
        "客户来电称前台接待不耐烦,问了两次才回答",
        "要求道歉",
    ),
    ComplaintSpec(
        ComplaintGrade.A,
        ComplaintCategory.TURNAROUND,
        "承诺三天修好,第五天仍未收到手机",
        "尽快寄回",
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
    ),
    ComplaintSpec(
        ComplaintGrade.C,
        ComplaintCategory.LOSS_DAMAGE,
        "寄回的手机后盖有明显划痕,寄出前没有",
        "要求退款并赔偿",
    ),
    ComplaintSpec(
        ComplaintGrade.B,
        ComplaintCategory.PARTS_SUPPLY,
        "等屏幕配件已两周,一直说缺货",
        "要求换新机",
    ),
    ComplaintSpec(
        ComplaintGrade.C,
        ComplaintCategory.REPAIR_QUALITY,
        "第三次送修同一故障,仍未修好",
        "要求退货退款",
    ),
    ComplaintSpec(
        ComplaintGrade.A, ComplaintCategory.OTHER, "客服热线高峰期打不进来", "希望增加人手"
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
    yield from _handle(floor, number, contact)


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
    yield from _handle(floor, number, "in_time")


def _handle(floor: Floor, complaint_no: str, contact: str) -> Story:
    service = floor.as_user("service")
    with service.db.read() as session:
        complaint_id = session.scalar(
            select(Complaint.id).where(Complaint.complaint_no == complaint_no)
        )
    assert complaint_id is not None
    if contact == "never":
        return
    delay = floor.rng.uniform(2, 9) if contact == "in_time" else floor.rng.uniform(15, 90)
    yield floor.now() + timedelta(minutes=delay)
    complaints.record_first_contact(service, complaint_id)
    if floor.rng.random() < 0.25:  # the answer is still being worked out
        return
    yield floor.now() + timedelta(hours=floor.rng.uniform(2, 20))
    complaints.record_answer(service, complaint_id, "已向客户说明情况并致歉,提出处理方案")
