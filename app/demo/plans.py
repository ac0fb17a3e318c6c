"""What will happen to each demo unit: drawn up front from one seeded random generator.

Every repair state gets at least one order whose story ends in it, received 8 to 20 days ago
(long enough to get there, and late against its due date: the supervisor's overdue list is never
empty, and holds a few real problems). The other orders are drawn from a mix where most are
shipped; those still open were nearly all received in the last two days, as on a floor that
keeps its three-day promise (a few older ones are late).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.demo.data import MODELS, DemoModel
from app.demo.people import DemoCustomer
from app.formats import luhn_check_digit
from app.localtime import center_zone
from app.models import Handling, RepairState, SalesRecord

S = RepairState

# Where the other orders end (weights); shipped orders dominate a real month.
TARGET_MIX: dict[RepairState, int] = {
    S.SHIPPED: 60,
    S.QC_PASSED: 4,
    S.IN_QC: 4,
    S.REPAIRED: 3,
    S.IN_REPAIR: 6,
    S.WAITING_PARTS: 4,
    S.WAITING_CHARGE: 3,
    S.ALLOCATED: 4,
    S.RECEIVED: 4,
    S.SPECIAL_PENDING: 2,
    S.REFUNDED: 2,
    S.RETURN_UNREPAIRED: 2,
}
# Of the orders still open, those received in the last two days (the rest are a few days late).
OPEN_AND_RECENT = 0.95
# One comeback in this many calls to complain (the others are just repaired again).
COMEBACKS_PER_COMPLAINT = 12
# Parts for these never arrive this month (data.NEVER_RESTOCKED): no first visit of a comeback.
UNREPAIRABLE_MODELS = {"XC-F2"}
NEEDS_CHARGE = {S.WAITING_CHARGE, S.RETURN_UNREPAIRED}
SPECIAL_REASONS = {
    Handling.REFUND: "七天内二次故障,客户要求退货",
    Handling.REFURBISH: "外观严重磨损,经销商申请翻新",
    Handling.REPLACE: "主板进液腐蚀,申请换新机",
}


@dataclass
class OrderPlan:
    serial: str
    model: DemoModel
    customer: DemoCustomer
    received_at: datetime
    target: RepairState
    fault: str
    capacity: str
    colour: str
    technician: str
    purchase_date: date | None = None
    special: Handling | None = None
    charge_refused: bool = False
    needs_part: bool = True
    qc_fails: int = 0
    comeback_of: OrderPlan | None = None
    extra: dict[str, str] = field(default_factory=dict)


def imei_for(model: DemoModel, number: int) -> str:
    body = f"{model.tac_prefixes[number % len(model.tac_prefixes)]}{number:06d}"
    return body + luhn_check_digit(body)


def serial_for(model: DemoModel, rng: random.Random, number: int) -> str:
    if model.tac_prefixes:
        return imei_for(model, 100_000 + number * 37 + rng.randrange(37))
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return model.serial_prefix + "".join(rng.choice(alphabet) for _ in range(8))


class Planner:
    def __init__(
        self, rng: random.Random, customers: list[DemoCustomer], start: datetime, end: datetime
    ) -> None:
        self.rng = rng
        self.customers = customers
        self.start = start
        self.end = end
        self.sales: list[SalesRecord] = []
        self._numbers = iter(range(1, 10**6))

    def plans(self, count: int) -> list[OrderPlan]:
        sentinels = [self._plan(state, days_ago=(8, 20), sentinel=True) for state in S]
        comeback_count = max(2, count // 25)
        fresh = [
            self._plan(self._draw_target(), days_ago=None)
            for _ in range(count - len(sentinels) - comeback_count)
        ]
        firsts = [
            p
            for p in fresh
            if p.target is S.SHIPPED
            and p.received_at < self.end - timedelta(days=20)
            and not p.special
            and p.model.code not in UNREPAIRABLE_MODELS
        ]
        comebacks = [self._comeback(first) for first in firsts[:comeback_count]]
        for complaining in comebacks[::COMEBACKS_PER_COMPLAINT]:
            complaining.extra["complains"] = "yes"
        while len(comebacks) < comeback_count:  # too few early shipped units: more fresh ones
            comebacks.append(self._plan(self._draw_target(), days_ago=None))
        return sorted(sentinels + fresh + comebacks, key=lambda p: p.received_at)

    def _draw_target(self) -> RepairState:
        states, weights = zip(*TARGET_MIX.items(), strict=True)
        return self.rng.choices(states, weights)[0]

    def _received_at(self, target: RepairState, days_ago: tuple[float, float] | None) -> datetime:
        if days_ago is None:
            early = target in {S.SHIPPED, S.REFUNDED, S.RETURN_UNREPAIRED}
            recent = not early and self.rng.random() < OPEN_AND_RECENT
            days_ago = (0, 2) if recent else (4 if early else 3, 30 if early else 8)
        moment = self.end - timedelta(days=self.rng.uniform(*days_ago))
        local = moment.astimezone(center_zone())
        hour = self.rng.uniform(9, 17.5)
        local = local.replace(hour=int(hour), minute=int(hour % 1 * 60), second=0, microsecond=0)
        return min(max(local, self.start), self.end - timedelta(minutes=5))

    def _plan(
        self, target: RepairState, days_ago: tuple[float, float] | None, sentinel: bool = False
    ) -> OrderPlan:
        rng = self.rng
        model = rng.choice(MODELS)
        dealers = [c for c in self.customers if c.is_dealer]
        consumers = [c for c in self.customers if not c.is_dealer]
        customer = rng.choice(dealers if rng.random() < 0.3 else consumers)
        received_at = self._received_at(target, days_ago)
        serial = serial_for(model, rng, next(self._numbers))
        plan = OrderPlan(
            serial=serial,
            model=model,
            customer=customer,
            received_at=received_at,
            target=target,
            fault=rng.choice(model.common_faults),
            capacity=rng.choice(model.capacities),
            colour=rng.choice(model.colours),
            technician=rng.choice(("tech1", "tech2", "tech3")),
            qc_fails=1 if rng.random() < 0.12 else 0,
            # A sentinel must reach its state: no part hunt unless its state is the hunt.
            needs_part=target is S.WAITING_PARTS or (not sentinel and rng.random() < 0.8),
        )
        if target in {S.SPECIAL_PENDING, S.REFUNDED}:
            plan.special = (
                Handling.REFUND if target is S.REFUNDED else rng.choice(list(Handling)[1:])
            )
        elif target is S.SHIPPED and rng.random() < 0.04:
            plan.special = rng.choice((Handling.REFURBISH, Handling.REPLACE))
        out_of_warranty = target in NEEDS_CHARGE or rng.random() < 0.22
        if target is S.SHIPPED and out_of_warranty and rng.random() < 0.15:
            plan.charge_refused = True  # refused the charge, shipped back unrepaired
        plan.charge_refused |= target is S.RETURN_UNREPAIRED
        if target is S.WAITING_PARTS:
            plan.extra["wait_for"] = "never_restocked"
        self._register_sale(plan, out_of_warranty)
        return plan

    def _register_sale(self, plan: OrderPlan, out_of_warranty: bool) -> None:
        today = plan.received_at.astimezone(center_zone()).date()
        months_ago = self.rng.uniform(13, 30) if out_of_warranty else self.rng.uniform(0.5, 11)
        sold = today - timedelta(days=int(months_ago * 30.4))
        roll = self.rng.random()
        if roll < 0.88 or out_of_warranty:
            dealer = self.rng.choice(
                ("华强北鑫泰通讯", "京东自营", "天猫旗舰店", "苏宁易购", "东莞星联手机连锁")
            )
            self.sales.append(
                SalesRecord(
                    serial=plan.serial, model_code=plan.model.code, sale_date=sold, dealer=dealer
                )
            )
        elif roll < 0.96:
            plan.purchase_date = sold  # no sale record; the customer shows the invoice
        # else: neither: out of warranty by lack of proof

    def _comeback(self, first: OrderPlan) -> OrderPlan:
        again = self._plan(self._draw_target(), days_ago=(0, 1))
        again.serial, again.model, again.customer = first.serial, first.model, first.customer
        again.capacity, again.colour = first.capacity, first.colour
        again.fault = f"{first.fault}(同一故障复发)"
        again.comeback_of = first
        again.received_at = min(
            first.received_at + timedelta(days=self.rng.uniform(12, 19)),
            self.end - timedelta(hours=2),
        )
        if again.target in NEEDS_CHARGE:  # back under our repair's warranty: nothing to charge
            again.target = S.SHIPPED
        again.charge_refused = False
        return again
