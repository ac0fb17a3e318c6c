"""Appearance checks still pending: the units of a box whose check is not complete (shown when
the box is closed, so none leaves receiving unseen), and "all intact" in one step for units the
clerk has looked at and found without damage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app import audit
from app.audit_actions import AuditAction
from app.context import Context
from app.models import ProductModel, RepairOrder, Unit
from app.orders.store import load_for_edit
from app.permissions import Permission
from app.receiving.condition import apply_condition, category_of, missing_items

INTACT = "完好"  # the floor's word for an item without damage (APPEARANCE_ANSWERS)


@dataclass(frozen=True)
class PendingCheck:
    order_id: int
    order_no: str
    version: int  # sent back with "all intact"
    serial: str
    model_name: str
    missing: list[str]


def pending_checks(ctx: Context, box_id: int) -> list[PendingCheck]:
    """The units of the box that may not leave receiving before their appearance check."""
    ctx.require(Permission.RECEIVE)
    query = (
        select(RepairOrder, Unit.serial, ProductModel.name)
        .join(Unit, Unit.id == RepairOrder.unit_id)
        .join(ProductModel, ProductModel.id == Unit.product_model_id)
        .where(RepairOrder.box_id == box_id, RepairOrder.condition_checked_at.is_(None))
        .order_by(RepairOrder.id)
    )
    pending = []
    with ctx.db.read() as session:
        for order, serial, model_name in session.execute(query):
            category = category_of(session, order)
            if category is None or not category.intake_gate:
                continue
            missing = missing_items(category, order.appearance or {})
            if missing:
                pending.append(
                    PendingCheck(
                        order.id, order.order_no, order.version, serial, model_name, missing
                    )
                )
    return pending


def mark_all_intact(ctx: Context, orders: Iterable[tuple[int, int]]) -> list[str]:
    """Every unanswered checklist item of each (order id, version loaded) recorded as intact
    (完好); answers already given stay. One transaction: all or none. Returns the order numbers
    whose check is now complete."""
    ctx.require(Permission.RECEIVE)
    completed = []
    with ctx.db.transaction() as session:
        for order_id, expected_version in orders:
            order = load_for_edit(session, order_id, expected_version)
            missing = missing_items(category_of(session, order), order.appearance or {})
            if not missing:
                continue
            before = {"appearance": dict(order.appearance or {})}
            order.appearance = {**(order.appearance or {}), **dict.fromkeys(missing, INTACT)}
            order.updated_at = ctx.now()
            apply_condition(session, ctx, order)
            audit.record(
                session,
                ctx,
                AuditAction.RECORD_CONDITION,
                "repair_order",
                order.order_no,
                order_id=order.id,
                before=before,
                after={
                    "appearance": order.appearance,
                    "complete": order.condition_checked_at is not None,
                },
                detail="全部完好",
            )
            if order.condition_checked_at is not None:
                completed.append(order.order_no)
    return completed
