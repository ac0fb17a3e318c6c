"""Row builders for the benchmark data set: plain dicts for bulk ``INSERT``s, made fast.

Deterministic for a given seed. Times are timezone-aware UTC (as the models require); the data
spans three years ending now, so the most recent orders are the open ones (the floor's work in
progress) and older ones are mostly shipped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.formats import luhn_check_digit
from app.models import CustomerKind, Handling, RepairState, Role

SPAN_DAYS = 3 * 365
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

Row = dict[str, Any]

# (code, name, brand, category, serial_kind, capacities, colours, turnaround_days)
PRODUCT_MODELS: list[tuple[str, str, str, str, str, list[str], list[str], int]] = [
    (
        "RF-P10",
        "星耀 P10",
        "星耀",
        "phone",
        "imei",
        ["128GB", "256GB"],
        ["黑色", "白色", "蓝色"],
        3,
    ),
    (
        "RF-P20",
        "星耀 P20 Pro",
        "星耀",
        "phone",
        "imei",
        ["256GB", "512GB"],
        ["曜石黑", "冰川银"],
        3,
    ),
    ("RF-N5", "星耀 Nova 5", "星耀", "phone", "imei", ["64GB", "128GB"], ["黑色", "粉色"], 3),
    ("RF-M3", "星耀 Max 3", "星耀", "phone", "imei", ["256GB"], ["黑色", "金色"], 4),
    ("RF-T8", "星耀平板 T8", "星耀", "tablet", "imei", ["64GB", "128GB"], ["深空灰"], 5),
    ("RF-W2", "星耀手表 W2", "星耀", "watch", "free", [], ["黑色", "银色"], 5),
    ("RF-B1", "星耀耳机 B1", "星耀", "earphones", "free", [], ["白色"], 2),
    ("RF-R6", "星耀路由器 R6", "星耀", "router", "free", [], ["白色"], 4),
]
TACS_PER_MODEL = 16  # each allows 1,000,000 serials

# (username, display name, role); the admin is created through app.users.create_user.
STAFF: list[tuple[str, str, Role]] = [
    ("receiving1", "收货-王芳", Role.RECEIVING_CLERK),
    ("receiving2", "收货-李娜", Role.RECEIVING_CLERK),
    ("supervisor", "主管-陈刚", Role.SUPERVISOR),
    *[(f"tech{i}", f"维修员{i}号", Role.TECHNICIAN) for i in range(1, 13)],
    ("parts", "物料-赵敏", Role.PARTS_KEEPER),
    ("qc1", "QC-孙丽", Role.QC_TESTER),
    ("qc2", "QC-周强", Role.QC_TESTER),
    ("shipping", "发货-吴磊", Role.SHIPPING_CLERK),
    ("service", "客服-郑洁", Role.CUSTOMER_SERVICE),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯"
CITIES = [
    "深圳市南山区",
    "广州市天河区",
    "上海市浦东新区",
    "北京市朝阳区",
    "杭州市西湖区",
    "成都市武侯区",
]
FAULTS = [
    "不开机",
    "屏幕碎裂",
    "充电异常",
    "无信号",
    "摄像头模糊",
    "进水",
    "自动重启",
    "耗电快",
    "按键失灵",
]
ACCESSORIES = [[], ["充电器"], ["充电器", "数据线"], ["包装盒", "充电器", "数据线"]]

# State mix by the order's age in days: (upper bound of the age, states, weights).
STATE_MIX: list[tuple[float, list[RepairState], list[float]]] = [
    (
        1,
        [
            RepairState.RECEIVED,
            RepairState.ALLOCATED,
            RepairState.IN_REPAIR,
            RepairState.SPECIAL_PENDING,
            RepairState.WAITING_PARTS,
            RepairState.WAITING_CHARGE,
        ],
        [40, 25, 20, 5, 5, 5],
    ),
    (
        3,
        [
            RepairState.IN_REPAIR,
            RepairState.WAITING_PARTS,
            RepairState.WAITING_CHARGE,
            RepairState.REPAIRED,
            RepairState.IN_QC,
            RepairState.QC_PASSED,
            RepairState.SHIPPED,
        ],
        [25, 15, 10, 10, 20, 10, 10],
    ),
    (
        10,
        [
            RepairState.WAITING_PARTS,
            RepairState.WAITING_CHARGE,
            RepairState.IN_QC,
            RepairState.QC_PASSED,
            RepairState.SHIPPED,
            RepairState.RETURN_UNREPAIRED,
            RepairState.REFUNDED,
        ],
        [5, 3, 5, 5, 80, 1, 1],
    ),
    (
        float("inf"),
        # Units returned unrepaired were shipped back long ago: old orders are shipped (the
        # repaired and the unrepaired ones alike), refunded, or very rarely still stuck.
        [
            RepairState.SHIPPED,
            RepairState.REFUNDED,
            RepairState.WAITING_PARTS,
            RepairState.WAITING_CHARGE,
        ],
        [98.95, 1, 0.03, 0.02],
    ),
]
# How far along the flow each state is: 0 received, 1 allocated, 2 repaired, 3 QC passed, 4 out.
PROGRESS = {
    RepairState.RECEIVED: 0,
    RepairState.SPECIAL_PENDING: 0,
    RepairState.ALLOCATED: 1,
    RepairState.IN_REPAIR: 1,
    RepairState.WAITING_PARTS: 1,
    RepairState.WAITING_CHARGE: 1,
    RepairState.REPAIRED: 2,
    RepairState.IN_QC: 2,
    RepairState.QC_PASSED: 3,
    RepairState.SHIPPED: 4,
    RepairState.RETURN_UNREPAIRED: 4,
    RepairState.REFUNDED: 4,
}
SPECIAL_HANDLING = [Handling.REFUND, Handling.REFURBISH, Handling.REPLACE]


def model_rows() -> list[Row]:
    rows = []
    for index, (code, name, brand, category, kind, capacities, colours, days) in enumerate(
        PRODUCT_MODELS, start=1
    ):
        tacs = (
            [f"86{index:02d}{tac:04d}" for tac in range(TACS_PER_MODEL)] if kind == "imei" else []
        )
        rows.append(
            {
                "id": index,
                "code": code,
                "name": name,
                "brand": brand,
                "category": category,
                "serial_kind": kind,
                "tac_prefixes": tacs,
                "capacities": capacities,
                "colours": colours,
                "common_faults": FAULTS[:5],
                "turnaround_days": days,
            }
        )
    return rows


def customer_rows(rng: random.Random, count: int, dealers: int, now: datetime) -> list[Row]:
    start = now - SPAN_DAYS * DAY - 30 * DAY
    rows = []
    for customer_id in range(1, count + 1):
        dealer = customer_id <= dealers
        name = (
            f"{rng.choice(CITIES)[:2]}{rng.choice(SURNAMES)}氏通讯{customer_id}号店"
            if dealer
            else rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        )
        rows.append(
            {
                "id": customer_id,
                "kind": CustomerKind.DEALER if dealer else CustomerKind.CONSUMER,
                "name": name,
                "name_tail": name[::-1],
                "phone": (phone := f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"),
                "phone_digits": phone,
                "phone_tail": phone[::-1],
                "address": f"{rng.choice(CITIES)}{rng.randrange(1, 999)}号",
                "created_at": start + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400)),
            }
        )
    return rows


@dataclass
class OrderFactory:
    """Makes the boxes, units and repair orders of the data set, in order of arrival."""

    rng: random.Random
    orders: int
    customers: int
    dealers: int
    now: datetime
    receivers: list[int]
    technicians: list[int]
    supervisor: int
    models: list[Row]

    def __post_init__(self) -> None:
        self.start = self.now - SPAN_DAYS * DAY
        self.per_day = self.orders / SPAN_DAYS
        self.next_unit_id = 1
        self.next_box_id = 1
        self.box_left = 0
        self.box_id: int | None = None
        self.box_sender = 1
        self.unit_models: list[int] = [0]  # unit id -> index into self.models

    def received_at(self, index: int) -> datetime:
        seconds = (index + self.rng.random()) / self.orders * (SPAN_DAYS * 86400 - 3600)
        return self.start + timedelta(seconds=seconds)

    def box_for(self, when: datetime, boxes: list[Row]) -> tuple[int | None, int]:
        """Dealers send boxes of 3 to 20 units; consumers send one unit, without a box row."""
        if self.box_left > 0:
            self.box_left -= 1
            return self.box_id, self.box_sender
        if self.rng.random() < 0.03 and self.dealers:
            size = self.rng.randint(3, 20)
            self.box_id, self.box_sender = self.next_box_id, self.rng.randint(1, self.dealers)
            self.next_box_id += 1
            self.box_left = size - 1
            boxes.append(
                {
                    "id": self.box_id,
                    "waybill_no": f"SF{1_300_000_000_000 + self.box_id}",
                    "carrier_code": "SF",
                    "sender_id": self.box_sender,
                    "declared_quantity": size,
                    "opened_at": when,
                    "opened_by_id": self.rng.choice(self.receivers),
                    "closed_at": when + HOUR,
                    "closed_by_id": self.rng.choice(self.receivers),
                    "needs_customer_contact": False,
                }
            )
            return self.box_id, self.box_sender
        return None, self.rng.randint(self.dealers + 1, self.customers) if (
            self.customers > self.dealers
        ) else 1

    def unit_for(self, index: int, when: datetime, units: list[Row]) -> tuple[int, bool]:
        """A new unit, or (6%) one seen a month to a year before: a repeat repair."""
        if self.rng.random() < 0.06:
            back = self.rng.randint(int(30 * self.per_day) + 1, int(365 * self.per_day) + 2)
            if back < self.next_unit_id - 1:
                return self.next_unit_id - back, True
        unit_id = self.next_unit_id
        self.next_unit_id += 1
        model_index = self.rng.randrange(len(self.models))
        self.unit_models.append(model_index)
        model = self.models[model_index]
        tacs = model["tac_prefixes"]
        if tacs:
            body = f"{tacs[(unit_id // 1_000_000) % len(tacs)]}{unit_id % 1_000_000:06d}"
            serial = body + luhn_check_digit(body)
        else:
            serial = f"{model['code'].replace('-', '')}SN{unit_id:09d}"
        units.append(
            {
                "id": unit_id,
                "serial": serial,
                "product_model_id": model["id"],
                "capacity": self.rng.choice(model["capacities"]) if model["capacities"] else None,
                "colour": self.rng.choice(model["colours"]),
                "purchase_date": (when - timedelta(days=self.rng.randint(10, 700))).date(),
                "created_at": when,
            }
        )
        return unit_id, False

    def state_for(self, when: datetime) -> RepairState:
        age = (self.now - when) / DAY
        for bound, states, weights in STATE_MIX:
            if age < bound:
                return self.rng.choices(states, weights)[0]
        raise AssertionError("unreachable")

    def order(self, index: int, boxes: list[Row], units: list[Row]) -> Row:
        rng = self.rng
        received = self.received_at(index)
        box_id, customer_id = self.box_for(received, boxes)
        unit_id, repeat = self.unit_for(index, received, units)
        model = self.models[self.unit_models[unit_id]]
        state = self.state_for(received)
        progress = PROGRESS[state]
        # Milestones, squeezed to fit before now when the order is recent.
        delays = [rng.uniform(0.5, 8), rng.uniform(2, 40), rng.uniform(4, 30), rng.uniform(1, 24)]
        total = sum(delays[:progress]) * 3600
        room = (self.now - received).total_seconds() - 60
        scale = min(1.0, room / total) if total > 0 else 1.0
        marks: list[datetime | None] = [None, None, None, None]
        moment = received
        for step in range(progress):
            moment = moment + timedelta(hours=delays[step] * scale)
            marks[step] = moment
        allocated, repaired, qc_passed, out = marks
        purchase: date = received.date() - timedelta(days=rng.randint(10, 700))
        warranty_until = purchase + timedelta(days=365)
        special = state == RepairState.SPECIAL_PENDING or state == RepairState.REFUNDED
        return {
            "id": index + 1,
            "order_no": f"RO{received:%Y%m%d}{index + 1:07d}",
            "unit_id": unit_id,
            "customer_id": customer_id,
            "box_id": box_id,
            "state": state,
            "handling": (
                Handling.REFUND
                if state == RepairState.REFUNDED
                else rng.choice(SPECIAL_HANDLING)
                if special
                else Handling.REPAIR
            ),
            "special_reason": "客户要求" if special else None,
            "special_approved_by_id": self.supervisor if state == RepairState.REFUNDED else None,
            "special_approved_at": allocated if state == RepairState.REFUNDED else None,
            "capacity": rng.choice(model["capacities"]) if model["capacities"] else None,
            "colour": rng.choice(model["colours"]),
            "fault_description": rng.choice(FAULTS),
            "accessories": rng.choice(ACCESSORIES),
            "appearance": {},
            "in_warranty": warranty_until >= received.date(),
            "warranty_until": warranty_until,
            "is_repeat": repeat,
            "is_rework": repeat and rng.random() < 0.3,
            "technician_id": rng.choice(self.technicians) if progress >= 1 else None,
            "received_at": received,
            "received_by_id": rng.choice(self.receivers),
            "due_at": received + model["turnaround_days"] * DAY,
            "allocated_at": allocated,
            "repaired_at": repaired,
            "qc_passed_at": qc_passed,
            "shipped_at": out,
            "updated_at": moment,
            "version": 1 + progress,
        }
