"""What a real center's orders leave behind, for the benchmark data set: per repair order, the
audit rows of each step it went through, its QC aging runs, the part issued to it, its shipment,
and now and then a complaint and a follow-up call. Plain dicts for bulk ``INSERT``s, made from
the order rows of :mod:`benchmarks.rows` (deterministic for a seed).

Per 1,000,000 orders (the mix of ``rows.PROGRESS``, ~98 % shipped), about: 6.3 M audit rows
(receive, allocate, start, finish, QC pass, ship, and a failed QC for 3 %), 1.0 M QC runs,
0.6 M stock moves (a part issued to 60 % of the repaired orders, receipts of 200 at a time),
1.0 M shipments with their items, 15,000 complaints (1.5 % of the shipped orders) and 100,000
follow-up calls (10 %).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from app.audit_actions import AuditAction
from app.models import (
    AgingRun,
    AuditEntry,
    Base,
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintGrade,
    ComplaintOrder,
    ComplaintStatus,
    FollowUp,
    FollowUpKind,
    MoveKind,
    Part,
    PartMaster,
    QcResult,
    RepairState,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    StockKind,
    StockMove,
)

from .rows import CITIES, HOUR, Row

PARTS = 200
RECEIPT_QUANTITY = 200
QC_FAIL_FIRST = 0.03
PART_ISSUED = 0.60
COMPLAINT = 0.015
FOLLOW_UP = 0.10
STATION = "bench"
# Models that take explicit ids here (their sequences are set after the load on PostgreSQL).
MODELS: tuple[type[Base], ...] = (
    PartMaster,
    Part,
    AuditEntry,
    AgingRun,
    StockMove,
    Shipment,
    ShipmentItem,
    Complaint,
    FollowUp,
)


def part_master_rows() -> list[Row]:
    """The network's parts master (shared; the data set's one center stocks every part)."""
    return [
        {
            "id": number,
            "part_no": f"BP-{number:05d}",
            "name": f"备件 {number}",
            "unit_cost_cents": 500 + 37 * number,
            "sale_price_cents": 900 + 50 * number,
            "active": True,
        }
        for number in range(1, PARTS + 1)
    ]


def part_rows() -> list[Row]:
    """The center's stock row of each master part (same ids as the master's, for clarity)."""
    return [
        {
            "id": number,
            "part_no": f"BP-{number:05d}",
            "safety_stock": 20,
            "reorder_quantity": RECEIPT_QUANTITY,
            "on_hand": 0,
            "active": True,
        }
        for number in range(1, PARTS + 1)
    ]


class HistoryFactory:
    """Rows of each table for a chunk of orders; ids continue from chunk to chunk."""

    def __init__(
        self,
        rng: random.Random,
        staff: dict[str, list[int]],
        usernames: dict[int, str],
        next_ids: dict[type[Base], int],
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.usernames = usernames
        self.next_id = {model: next_ids.get(model, 1) for model in MODELS}
        self.balance = [0] * (PARTS + 1)

    def _id(self, model: type[Base]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def part_balances(self) -> dict[int, int]:
        """Each part's stock after the moves made so far (its ``on_hand``)."""
        return {part: balance for part, balance in enumerate(self.balance) if part}

    def rows(self, orders: list[Row]) -> dict[type[Base], list[Row]]:
        out: dict[type[Base], list[Row]] = {model: [] for model in MODELS}
        out[ComplaintOrder] = []
        for order in orders:
            self._order(order, out)
        return out

    def _audit(
        self, out: dict[Any, list[Row]], order: Row, at: datetime, action: AuditAction, user: int
    ) -> None:
        out[AuditEntry].append(
            {
                "id": self._id(AuditEntry),
                "at": at,
                "user_id": user,
                "username": self.usernames[user],
                "station": STATION,
                "action": action.value,
                "entity": "repair_order",
                "entity_id": order["order_no"],
                "order_id": order["id"],
                "after": {"state": action.value},
            }
        )

    def _order(self, order: Row, out: dict[Any, list[Row]]) -> None:
        rng, staff = self.rng, self.staff
        technician = order["technician_id"] or staff["technician"][0]
        self._audit(out, order, order["received_at"], AuditAction.RECEIVE, order["received_by_id"])
        if order["allocated_at"] is not None:
            self._audit(
                out, order, order["allocated_at"], AuditAction.ALLOCATE, staff["supervisor"][0]
            )
            self._audit(
                out, order, order["allocated_at"] + HOUR, AuditAction.START_REPAIR, technician
            )
        repaired = order["repaired_at"]
        if repaired is None:
            return
        self._audit(out, order, repaired, AuditAction.FINISH_REPAIR, technician)
        if rng.random() < PART_ISSUED:
            self._issue(out, order, repaired - HOUR, technician)
        if order["state"] is RepairState.REPAIRED:  # waiting for QC
            return
        self._qc(out, order, repaired, technician)
        shipped = order["shipped_at"]
        if shipped is None:
            return
        self._ship(out, order, shipped)

    def _issue(self, out: dict[Any, list[Row]], order: Row, at: datetime, technician: int) -> None:
        part = self.rng.randint(1, PARTS)
        keeper = self.staff["parts_keeper"][0]
        if self.balance[part] < 1:
            self.balance[part] += RECEIPT_QUANTITY
            out[StockMove].append(
                {
                    "id": self._id(StockMove),
                    "part_id": part,
                    "kind": MoveKind.RECEIPT,
                    "stock": StockKind.GOOD,
                    "quantity": RECEIPT_QUANTITY,
                    "balance_after": self.balance[part],
                    "unit_cost_cents": 500,
                    "order_id": None,
                    "technician_id": None,
                    "document_no": f"PO{order['id']:09d}",
                    "at": at - HOUR,
                    "by_id": keeper,
                    "station": STATION,
                }
            )
        self.balance[part] -= 1
        out[StockMove].append(
            {
                "id": self._id(StockMove),
                "part_id": part,
                "kind": MoveKind.ISSUE,
                "stock": StockKind.GOOD,
                "quantity": -1,
                "balance_after": self.balance[part],
                "unit_cost_cents": 500,
                "order_id": order["id"],
                "technician_id": technician,
                "document_no": None,
                "at": at,
                "by_id": keeper,
                "station": STATION,
            }
        )

    def _qc(self, out: dict[Any, list[Row]], order: Row, repaired: datetime, tech: int) -> None:
        tester = self.rng.choice(self.staff["qc_tester"])
        passed = order["qc_passed_at"]
        runs = 2 if self.rng.random() < QC_FAIL_FIRST else 1
        start = repaired + timedelta(minutes=10)
        for run in range(runs):
            last = run == runs - 1
            signed = (passed if last else start + 4 * HOUR) if (passed or not last) else None
            result = (QcResult.PASS if passed else None) if last else QcResult.FAIL
            out[AgingRun].append(
                {
                    "id": self._id(AgingRun),
                    "order_id": order["id"],
                    "technician_id": tech,
                    "received_at": start,
                    "received_by_id": tester,
                    "started_at": start,
                    "required_minutes": 240,
                    "result": result,
                    "checklist": {},
                    "fail_reason": None if result is not QcResult.FAIL else "老化后重启",
                    "signed_at": signed,
                    "signed_by_id": tester if signed else None,
                }
            )
            if result is QcResult.FAIL:
                self._audit(out, order, start + 4 * HOUR, AuditAction.FAIL_QC, tester)
                start += 6 * HOUR
        if passed is not None:
            self._audit(out, order, passed, AuditAction.PASS_QC, tester)

    def _ship(self, out: dict[Any, list[Row]], order: Row, shipped: datetime) -> None:
        clerk = self.staff["shipping_clerk"][0]
        shipment = self._id(Shipment)
        out[Shipment].append(
            {
                "id": shipment,
                "shipment_no": f"SH{shipment:010d}",
                "customer_id": order["customer_id"],
                "status": ShipmentStatus.SHIPPED,
                "carrier_code": "SF",
                "waybill_no": f"SF{1_400_000_000_000 + shipment}",
                "receiver_name": "收件人",
                "receiver_phone": "13800138000",
                "receiver_address": CITIES[shipment % len(CITIES)],
                "pieces": 1,
                "created_at": shipped - HOUR,
                "created_by_id": clerk,
                "shipped_at": shipped,
                "shipped_by_id": clerk,
                "version": 1,
            }
        )
        out[ShipmentItem].append(
            {
                "id": self._id(ShipmentItem),
                "shipment_id": shipment,
                "order_id": order["id"],
                "added_at": shipped - HOUR,
            }
        )
        self._audit(out, order, shipped, AuditAction.SHIP, clerk)
        if order["state"] is not RepairState.SHIPPED:
            return
        draw = self.rng.random()
        if draw < COMPLAINT:
            self._complaint(out, order, shipped)
        elif draw < COMPLAINT + FOLLOW_UP:
            service = self.staff["customer_service"][0]
            out[FollowUp].append(
                {
                    "id": self._id(FollowUp),
                    "kind": FollowUpKind.AFTER_REPAIR,
                    "order_id": order["id"],
                    "customer_id": order["customer_id"],
                    "due_at": shipped + timedelta(days=3),
                    "done_at": shipped + timedelta(days=3, hours=2),
                    "done_by_id": service,
                    "reached": True,
                    "satisfied": self.rng.random() < 0.9,
                }
            )

    def _complaint(self, out: dict[Any, list[Row]], order: Row, shipped: datetime) -> None:
        service = self.staff["customer_service"][0]
        number = self._id(Complaint)
        received = shipped + timedelta(days=self.rng.randint(2, 20))
        out[Complaint].append(
            {
                "id": number,
                "complaint_no": f"CP{number:010d}",
                "customer_id": order["customer_id"],
                "channel": self.rng.choice(list(ComplaintChannel)),
                "description": "返修后仍有问题",
                "grade": self.rng.choice(list(ComplaintGrade)),
                "category": self.rng.choice(list(ComplaintCategory)),
                "is_valid": self.rng.random() < 0.5,
                "status": ComplaintStatus.CLOSED,
                "received_at": received,
                "received_by_id": service,
                "first_contact_due": received + 4 * HOUR,
                "first_contact_at": received + HOUR,
                "answer_due": received + 48 * HOUR,
                "answered_at": received + 24 * HOUR,
                "closed_at": received + 72 * HOUR,
                "closed_by_id": service,
                "version": 1,
            }
        )
        out[ComplaintOrder].append({"complaint_id": number, "order_id": order["id"]})
