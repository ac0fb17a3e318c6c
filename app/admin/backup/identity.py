"""Which center a database belongs to: a random id made at its first backup, kept in ``settings``.

A restored database keeps the id of the center it came from. A station whose database holds no
work yet (no customer, no repair order) takes any center's backup: that is how a center moves to
a new PC.
"""

from __future__ import annotations

import uuid

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from app import settings
from app.db import Database
from app.models import Customer, RepairOrder, Setting

CENTER_ID_KEY = "center.id"


def center_identity(db: Database) -> tuple[str, str]:
    """This database's center id (made and saved now if it has none) and the center's name."""
    with db.transaction() as session:
        row = session.get(Setting, CENTER_ID_KEY)
        if row is None or not isinstance(row.value, str):
            row = session.merge(Setting(key=CENTER_ID_KEY, value=uuid.uuid4().hex))
        return row.value, settings.get(session, settings.CENTER_NAME)


def live_identity(db: Database) -> tuple[str | None, str, bool]:
    """Read only: the center id (None when never backed up), its name, and whether it holds work."""
    try:
        with db.engine.connect() as connection:
            if not inspect(connection).has_table("settings"):
                return None, "", False
    except SQLAlchemyError:
        return None, "", False  # no database there yet: nothing to protect
    with db.read() as session:
        row = session.get(Setting, CENTER_ID_KEY)
        name = settings.get(session, settings.CENTER_NAME)
        has_work = (
            session.scalar(select(RepairOrder.id).limit(1)) is not None
            or session.scalar(select(Customer.id).limit(1)) is not None
        )
    center_id = row.value if row is not None and isinstance(row.value, str) else None
    return center_id, name, has_work
