"""No lost update: a form saves only over the version it loaded.

Every edited row carries a ``version`` (SQLAlchemy's ``version_id_col`` where any change of the
row counts, a counter the edit services bump where only an edit counts). A form loads the row
with its version and sends it back with the save; the service locks the row (PostgreSQL row
lock, SQLite's write lock) and compares: another station's save in between is a
:class:`~app.errors.Conflict` that says who changed what and when, and nothing is written.
The UI shows the message and reloads the form.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_actions import action_label
from app.errors import N_, Conflict
from app.localtime import local_text
from app.models import AuditEntry


def last_entry(
    session: Session, *, entity: str, entity_id: Any = None, order_id: int | None = None
) -> AuditEntry | None:
    """The newest audit row of a record: by order for a repair order, else by entity and key."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
    if order_id is not None:
        query = query.where(AuditEntry.order_id == order_id)
    else:
        query = query.where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
    return session.scalar(query)


def stale(
    session: Session,
    what: str,
    *,
    entity: str,
    entity_id: Any = None,
    order_id: int | None = None,
) -> Conflict:
    """The Conflict for a save over a newer change of ``what`` (e.g. "order RO…")."""
    last = last_entry(session, entity=entity, entity_id=entity_id, order_id=order_id)
    if last is None:
        return Conflict(
            N_("{what} was changed by another station meanwhile. Reload it and try again."),
            what=what,
        )
    return Conflict(
        N_("{what} was changed by {user} at {time} ({change}). Reload it and try again."),
        what=what,
        user=last.username,
        time=local_text(last.at, "%H:%M:%S", "?"),
        change=action_label(last.action),
    )


def check(
    session: Session,
    current: int | str,
    expected: int | str,
    what: str,
    *,
    entity: str,
    entity_id: Any = None,
    order_id: int | None = None,
) -> None:
    """Refuse a save made on a stale copy (``expected`` is the version the form loaded)."""
    if current != expected:
        raise stale(session, what, entity=entity, entity_id=entity_id, order_id=order_id)
