"""One repair order's visit, told through the services by the person at each desk."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import receiving
from app.allocation import workbench as bench
from app.context import Context
from app.demo import data
from app.demo.catalog import part_no_of
from app.demo.desks import rework_complaint_story
from app.demo.floor import Floor, Story
from app.demo.plans import SPECIAL_REASONS, OrderPlan
from app.errors import Conflict
from app.models import Handling, Part, PartMaster, RepairOrder, RepairState
from app.orders import transitions as orders
from app.orders.listing import order_version
from app.parts import issuing as parts
from app.qc import aging as qc
from app.receiving import Intake

S = RepairState
HOUR = 60.0
QC_FAIL_REASONS = ("老化后触摸偶发失灵", "充电电流异常", "听筒有杂音", "屏幕边缘漏光", "WiFi 断流")
# How far into its aging a unit still in QC is at the end (above 1: past its end, waiting).
IN_QC_AGING_SHARE = (0.15, 1.25)
SOFTWARE_ACTIONS = ("刷机升级系统至最新版本", "清理进液并烘干,重新装配", "重新校准传感器")


def part_for(floor: Floor, plan: OrderPlan) -> tuple[int, int, str] | None:
    """(part id, on hand, name) the fault calls for, or None when no part fits."""
    kind = next((k for fault, k in data.FAULT_PARTS.items() if plan.fault.startswith(fault)), None)
    if kind is None:
        return None
    part_no = kind if kind.startswith(("GEN-", "W3-")) else part_no_of(kind, plan.model.code)
    with floor.as_user("parts").db.read() as session:
        row = session.execute(
            select(Part.id, Part.on_hand, PartMaster.name)
            .join(PartMaster, PartMaster.part_no == Part.part_no)
            .where(Part.part_no == part_no)
        ).first()
    return None if row is None else (row[0], row[1], row[2])


def _appearance(floor: Floor, plan: OrderPlan) -> dict[str, str]:
    items = data.PHONE_APPEARANCE if plan.model.category == "phone" else data.WATCH_APPEARANCE
    marks = ("完好", "完好", "完好", "轻微划痕", "磕碰掉漆")
    return {item: floor.rng.choice(marks) for item in items}


def order_story(floor: Floor, plan: OrderPlan) -> Story:
    receiver = floor.as_user("receiving")
    if plan.comeback_of is not None:  # the first visit must be shipped before the unit is back
        for _ in range(30):
            try:
                received = receiving.receive_unit(receiver, _intake(floor, plan))
                break
            except Conflict:
                yield floor.later(24 * HOUR, 26 * HOUR)
        else:
            return
    else:
        received = receiving.receive_unit(receiver, _intake(floor, plan))
    order_id = received.order_id
    floor.received.append((order_id, plan.customer.id))
    if plan.comeback_of is not None and plan.extra.get("complains"):
        floor.start(floor.later(5, 60), rework_complaint_story(floor, order_id, plan))
    if plan.target is S.RECEIVED:
        return

    if plan.special is not None:
        yield floor.later(10, 60)
        orders.request_special(receiver, order_id, plan.special, SPECIAL_REASONS[plan.special])
        if plan.target is S.SPECIAL_PENDING:
            return
        yield floor.later(HOUR, 6 * HOUR)
        orders.approve_special(floor.as_user("supervisor"), order_id, "已核实,同意")
        if plan.special is Handling.REFUND:
            return

    technician = floor.as_user(plan.technician)
    yield floor.later(20, 3 * HOUR)
    orders.allocate(floor.as_user("supervisor"), [order_id], technician.user_id)
    if plan.target is S.ALLOCATED:
        return
    yield floor.later(20, 5 * HOUR)
    orders.start_repair(technician, order_id)
    if plan.target is S.IN_REPAIR:
        return

    part = part_for(floor, plan) if plan.needs_part else None
    if not received.in_warranty:
        yield floor.later(30, 2 * HOUR)
        price = 0
        if part is not None:
            with floor.as_user("parts").db.read() as session:
                price = session.get_one(Part, part[0]).sale_price_cents
        orders.propose_charge(
            technician,
            order_id,
            parts_cents=price,
            labour_cents=8000 if part is None else 5000,
            reason=f"过保维修:{plan.fault}",
            expected_version=order_version(technician, order_id),
        )
        if plan.target is S.WAITING_CHARGE:
            return
        yield floor.later(HOUR, 20 * HOUR)
        orders.answer_charge(
            floor.as_user("service"),
            order_id,
            accepted=not plan.charge_refused,
            customer_name=plan.customer.name,
            expected_version=order_version(floor.as_user("service"), order_id),
        )
        if plan.charge_refused:
            if plan.target is S.RETURN_UNREPAIRED:
                floor.held_for_shipping.add(order_id)
            return

    yield from _repair(floor, plan, order_id, part)


def _repair(
    floor: Floor, plan: OrderPlan, order_id: int, part: tuple[int, int, str] | None
) -> Story:
    rng = floor.rng
    technician = floor.as_user(plan.technician)
    keeper = floor.as_user("parts")
    if part is not None or plan.target is S.WAITING_PARTS:
        yield floor.later(10, 90)
        # Look at the shelf and issue in the same step: no other story runs in between.
        part_id, on_hand, name = part_for(floor, plan) or _unobtainable_part(floor)
        if on_hand >= 1 and plan.target is S.WAITING_PARTS:  # must wait: for what nobody has
            part_id, on_hand, name = _unobtainable_part(floor)
        part = (part_id, on_hand, name)
        if on_hand < 1:
            orders.wait_for_parts(technician, order_id, f"缺料:{name}")
            if plan.target is S.WAITING_PARTS or _never_restocked(floor, part_id):
                return
            yield floor.later(2 * 24 * HOUR, 4 * 24 * HOUR)
            parts.receive_stock(keeper, part_id, 3, document_no=_purchase_no(floor))
            orders.parts_arrived(keeper, order_id)
        parts.issue_part(keeper, order_id, part_id, 1, technician_id=technician.user_id)
    yield floor.later(HOUR, 4 * HOUR)
    action = f"更换{part[2]}" if part else rng.choice(SOFTWARE_ACTIONS)
    code, cause = data.FAULT_CODES.get(plan.fault.split("(")[0], (None, "检测确认客户所述故障"))
    bench.record_repair(
        technician,
        order_id,
        fault_code=code,
        cause=cause,
        action=action,
        expected_version=order_version(technician, order_id),
    )
    yield floor.later(10, 40)
    orders.finish_repair(
        technician,
        order_id,
        diagnosis=plan.fault,
        repair_action=action,
        expected_version=order_version(technician, order_id),
    )
    if plan.target is S.REPAIRED:
        return
    yield from _aging(floor, plan, order_id)


def _aging(floor: Floor, plan: OrderPlan, order_id: int) -> Story:
    tester = floor.as_user("qc")
    signature = data.password_of("qc")  # the sign-off is an electronic signature
    technician = floor.as_user(plan.technician)
    items = data.PHONE_QC if plan.model.category == "phone" else data.WATCH_QC
    checklist = {item: "OK" for item in items}
    fails = plan.qc_fails
    if plan.target is S.IN_QC:
        # Put on the rack lately: most of these are still aging at the end, a few just past it
        # (a rack of units hundreds of hours past their end is no floor anyone runs).
        share = floor.rng.uniform(*IN_QC_AGING_SHARE)
        placed = floor.end - timedelta(hours=plan.model.aging_hours * share)
        working = floor.open_hours(placed)
        yield max(floor.now(), working if working <= floor.end else placed)
        while not _onto_a_free_slot(tester, order_id):
            yield floor.later(HOUR, 3 * HOUR)
        return
    while True:
        yield floor.later(30, 3 * HOUR)
        while not _onto_a_free_slot(tester, order_id):
            yield floor.later(HOUR, 3 * HOUR)  # every slot busy: wait for sign-offs
        aged = floor.now() + timedelta(hours=plan.model.aging_hours)
        yield floor.open_hours(aged + timedelta(minutes=floor.rng.uniform(5, 90)))
        if fails:
            fails -= 1
            qc.sign_off(
                tester,
                order_id,
                passed=False,
                password=signature,
                reason=floor.rng.choice(QC_FAIL_REASONS),
            )
            yield floor.later(HOUR, 5 * HOUR)
            orders.finish_repair(
                technician,
                order_id,
                diagnosis=plan.fault,
                repair_action="返工:重新装配并复测",
                expected_version=order_version(technician, order_id),
            )
            continue
        qc.sign_off(tester, order_id, passed=True, password=signature, checklist=checklist)
        if plan.target is S.QC_PASSED:
            floor.held_for_shipping.add(order_id)
        return


def _onto_a_free_slot(tester: Context, order_id: int) -> bool:
    try:
        qc.start_aging(tester, order_id)  # the next free slot on rack A, then B
    except Conflict:
        return False
    return True


def _intake(floor: Floor, plan: OrderPlan) -> Intake:
    accessories = (
        data.PHONE_ACCESSORIES if plan.model.category == "phone" else data.WATCH_ACCESSORIES
    )
    return Intake(
        serial=plan.serial,
        customer_id=plan.customer.id,
        model_code=plan.model.code,
        fault_description=plan.fault,
        capacity=plan.capacity,
        colour=plan.colour,
        accessories=floor.rng.sample(accessories, floor.rng.randrange(0, 3)),
        appearance=_appearance(floor, plan),
        purchase_date=plan.purchase_date,
    )


def _never_restocked(floor: Floor, part_id: int) -> bool:
    with floor.as_user("parts").db.read() as session:
        return session.get_one(Part, part_id).part_no in data.NEVER_RESTOCKED


def _unobtainable_part(floor: Floor) -> tuple[int, int, str]:
    """The SIM tray (卡托): out of stock all month, the supplier cannot deliver."""
    with floor.as_user("parts").db.read() as session:
        part = session.scalar(select(Part).where(Part.part_no == "GEN-SIM"))
        assert part is not None
        return part.id, part.on_hand, part.name


def _purchase_no(floor: Floor) -> str:
    return f"PO{floor.now():%Y%m%d}-{floor.rng.randrange(100, 999)}"


def order_states(floor: Floor) -> dict[RepairState, int]:
    with floor.as_user("supervisor").db.read() as session:
        rows = session.execute(
            select(RepairOrder.state, func.count()).group_by(RepairOrder.state)
        ).all()
    return {state: count for state, count in rows}
