"""Writing and reading the audit log (环环相扣, 处处可查: every change says who, where, when, what)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_actions import AuditAction
from app.context import Context
from app.db import Database
from app.models import AuditEntry

__all__ = ["AuditAction", "entries_for_order", "last_change", "record"]


def record(
    session: Session,
    ctx: Context,
    action: AuditAction,
    entity: str,
    entity_id: Any = None,
    *,
    order_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Add an audit row to the caller's transaction: it commits or rolls back with the change.

    ``action`` is an :class:`AuditAction` member: a plain string is refused, so every stored
    action has its label."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit action {action!r} is not an AuditAction member")
    entry = AuditEntry(
        at=ctx.now(),
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
        station=ctx.station,
        action=action.value,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        order_id=order_id,
        before=_jsonable(before),
        after=_jsonable(after),
        detail=detail,
    )
    session.add(entry)
    return entry


def entries_for_order(db: Database, order_id: int) -> Sequence[AuditEntry]:
    with db.read() as session:
        return session.scalars(
            select(AuditEntry).where(AuditEntry.order_id == order_id).order_by(AuditEntry.id)
        ).all()


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "value") and isinstance(value.value, str):
            value = value.value
        out[key] = value
    return out


def last_change(session: Session, order_id: int) -> AuditEntry | None:
    return session.scalar(
        select(AuditEntry).where(AuditEntry.order_id == order_id).order_by(AuditEntry.id.desc())
    )
