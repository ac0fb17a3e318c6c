"""Which center a database belongs to: a random id made at its first backup, kept in ``settings``.

A restored database keeps the id of the center it came from. A station whose database holds no
work yet (no customer, no repair order) takes any center's backup: that is how a center moves to
a new PC.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import settings
from app.db import Database
from app.models import Base, Customer, RepairOrder, Setting

CENTER_ID_KEY = "center.id"


def _stored_id(session: Session) -> Any:
    # Columns, not the entity: a database of an older schema is backed up before its upgrade.
    return session.scalar(select(Setting.value).where(Setting.key == CENTER_ID_KEY))


def center_identity(db: Database) -> tuple[str, str]:
    """This database's center id (made and saved now if it has none) and the center's name."""
    with db.transaction() as session:
        center_id = _stored_id(session)
        if not isinstance(center_id, str):
            center_id = uuid.uuid4().hex
            session.execute(delete(Setting).where(Setting.key == CENTER_ID_KEY))
            # The table, inline: no RETURNING of columns an older schema may lack (center_id).
            row = insert(Base.metadata.tables[Setting.__tablename__]).values(
                key=CENTER_ID_KEY, value=center_id
            )
            session.execute(row.inline())
        return center_id, settings.get(session, settings.CENTER_NAME)


def live_identity(db: Database) -> tuple[str | None, str, bool]:
    """Read only: the center id (None when never backed up), its name, and whether it holds work."""
    try:
        with db.engine.connect() as connection:
            if not inspect(connection).has_table("settings"):
                return None, "", False
    except SQLAlchemyError:
        return None, "", False  # no database there yet: nothing to protect
    with db.read() as session:
        stored = _stored_id(session)
        name = settings.get(session, settings.CENTER_NAME)
        has_work = (
            session.scalar(select(RepairOrder.id).limit(1)) is not None
            or session.scalar(select(Customer.id).limit(1)) is not None
        )
    center_id = stored if isinstance(stored, str) else None
    return center_id, name, has_work
