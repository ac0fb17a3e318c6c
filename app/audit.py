"""Writing and reading the audit log (环环相扣, 处处可查: every change says who, where, when, what)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Any, cast

from sqlalchemy import Table, event, insert, select
from sqlalchemy.orm import Session

from app import db_pipeline
from app.audit_actions import AuditAction
from app.context import Context
from app.db import Database
from app.models import AuditEntry

__all__ = ["AuditAction", "entries_for_order", "last_change", "record"]


_PENDING = "audit_rows"
_TABLE = cast(Table, AuditEntry.__table__)


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
    center_id: int | None = None,
) -> None:
    """Add an audit row to the caller's transaction: it commits or rolls back with the change.

    ``action`` is an :class:`AuditAction` member: a plain string is refused, so every stored
    action has its label. The rows are written with the session's next flush (after the rows
    they name), or as it commits, in one INSERT that waits for no answer: on PostgreSQL it goes
    with the next statement or the COMMIT, no round trip of its own (app/db_pipeline.py).
    ``center_id``: the row is another center's (a transfer between centers); by default the
    database fills in the connected role's center."""
    if not isinstance(action, AuditAction):
        raise TypeError(f"audit action {action!r} is not an AuditAction member")
    if _PENDING not in session.info:
        event.listen(session, "after_flush_postexec", lambda s, _: write_pending(s))
        event.listen(session, "before_commit", _flush_and_write)
    row = {
        "at": ctx.now(),
        "user_id": ctx.actor.user_id,
        "username": ctx.actor.username,
        "station": ctx.station,
        "action": action.value,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "order_id": order_id,
        "before": _jsonable(before),
        "after": _jsonable(after),
        "detail": detail,
    }
    if center_id is not None:
        row["center_id"] = center_id
    session.info.setdefault(_PENDING, []).append(row)


def write_pending(session: Session) -> None:
    """Write the audit rows recorded since the last write (the rows they name are flushed)."""
    rows = session.info.get(_PENDING)
    if rows:
        session.info[_PENDING] = []
        for _, same_keys in groupby(rows, key=lambda row: tuple(row)):  # one INSERT per shape
            db_pipeline.execute_unanswered(session, insert(_TABLE).inline(), list(same_keys))


def _flush_and_write(session: Session) -> None:
    if session.info.get(_PENDING):
        session.flush()  # writes them too when anything else was still to flush
        write_pending(session)


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
