"""The condition check at intake: each item of the category's appearance checklist is judged
(屏幕, 外壳, 按键...) before the unit leaves receiving, when the category's gate is on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, values
from app.audit_actions import AuditAction
from app.context import Context
from app.errors import N_, IllegalTransition, InvalidInput
from app.models import ProductCategory, ProductModel, RepairOrder, Unit
from app.orders.store import load_for_edit, load_order
from app.permissions import Permission


def category_of(session: Session, order: RepairOrder) -> ProductCategory | None:
    return session.scalar(
        select(ProductCategory)
        .join(ProductModel, ProductModel.category == ProductCategory.code)
        .join(Unit, Unit.product_model_id == ProductModel.id)
        .where(Unit.id == order.unit_id)
    )


def missing_items(category: ProductCategory | None, appearance: dict[str, Any]) -> list[str]:
    if category is None:
        return []
    return [
        item for item in category.appearance_checklist if not str(appearance.get(item, "")).strip()
    ]


class ConditionCheckPending(IllegalTransition):
    """The refusal of a unit whose appearance check is not complete: it names the order, so the
    window can offer the check right there."""

    def __init__(self, template: str, *, order_id: int, **params: object) -> None:
        super().__init__(template, **params)
        self.order_id = order_id


def require_condition_checked(session: Session, order: RepairOrder) -> None:
    """The gate: refuse to let the unit leave receiving before its appearance check is done."""
    if order.condition_checked_at is not None:
        return
    category = category_of(session, order)
    if category is None or not category.intake_gate or not category.appearance_checklist:
        return
    raise ConditionCheckPending(
        N_("Complete the appearance check of {order_no} first (missing: {items})."),
        order_id=order.id,
        order_no=order.order_no,
        items="、".join(missing_items(category, order.appearance)),
    )


def apply_condition(session: Session, ctx: Context, order: RepairOrder) -> None:
    """Mark the check complete when every checklist item has an answer (inside a transaction)."""
    if order.condition_checked_at is None and not missing_items(
        category_of(session, order), order.appearance
    ):
        order.condition_checked_at = ctx.now()


def record_condition(
    ctx: Context,
    order_id: int,
    appearance: dict[str, str],
    *,
    notes: str | None = None,
    accessories: list[str] | None = None,
    expected_version: int,
) -> list[str]:
    """Record (or complete) the intake check of an order; returns the items still missing.

    ``expected_version`` is the order's version the form loaded: a save over another station's
    newer change is a Conflict, and a shipped order's condition is no longer changed."""
    ctx.require(Permission.RECEIVE)
    with ctx.db.transaction() as session:
        order = load_for_edit(session, order_id, expected_version)
        category = category_of(session, order)
        if category is not None:
            unknown = sorted(set(appearance) - set(category.appearance_checklist))
            if unknown:
                raise InvalidInput(
                    N_("Not on the checklist of {category}: {items}."),
                    category=category.name,
                    items="、".join(unknown),
                )
        before = {"appearance": dict(order.appearance), "accessories": list(order.accessories)}
        order.appearance = {
            **order.appearance,
            **{k: values.clean_text(v, max_length=255) for k, v in appearance.items()},
        }
        if notes is not None:
            order.appearance_notes = values.optional_text(notes, max_length=512, multiline=True)
        if accessories is not None:
            order.accessories = values.clean_items(accessories)
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
                "accessories": order.accessories,
                "complete": order.condition_checked_at is not None,
            },
        )
        return missing_items(category, order.appearance)


@dataclass(frozen=True)
class ConditionForm:
    """What the clerk fills in to complete an order's intake check."""

    order_id: int
    order_no: str
    version: int  # sent back with the save
    items: list[str]  # the category's appearance checklist
    answers: dict[str, str]
    notes: str
    missing: list[str]
    gated: bool  # the order cannot leave receiving before the check is complete
    serial: str = ""  # which unit: shown on the check so the clerk checks the right one
    model_name: str = ""


# The one list of answers for an appearance item (the intake panel and the condition check both
# offer it; the clerk may type another). Stored as the Chinese word written on the slip, shown
# by its label (marked N_; its zh_CN translation is that word, a test keeps them equal).
APPEARANCE_ANSWERS: dict[str, str] = {
    "完好": N_("Intact"),
    "轻微划痕": N_("Light scratches"),
    "明显划痕": N_("Visible scratches"),
    "磕碰掉漆": N_("Dented, paint chipped"),
    "裂纹": N_("Cracked"),
    "碎裂": N_("Shattered"),
    "变形": N_("Bent"),
    "缺失": N_("Missing"),
}


def condition_form(ctx: Context, order_id: int) -> ConditionForm:
    ctx.require(Permission.RECEIVE)
    with ctx.db.read() as session:
        order = load_order(session, order_id, lock=False)
        category = category_of(session, order)
        items = list(category.appearance_checklist) if category else []
        answers = {key: str(value) for key, value in (order.appearance or {}).items()}
        return ConditionForm(
            order.id,
            order.order_no,
            order.version,
            items,
            answers,
            order.appearance_notes or "",
            missing_items(category, order.appearance or {}),
            bool(category and category.intake_gate and items),
            order.unit.serial,
            order.unit.product_model.name,
        )
