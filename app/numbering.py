"""Document numbers (repair orders RO…, shipments SH…, complaints CP…), unique across stations.

One atomic upsert on a counter row per prefix and day, inside the transaction that uses the
number: if that transaction rolls back, the number was never taken.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.localtime import center_zone
from app.models import Counter


def next_number(session: Session, prefix: str, moment: datetime, width: int = 4) -> str:
    """``RO202611240001``: prefix, the center's local date, a per-day sequence (each center its
    own: the counter row is the connected center's, ``center_id`` filled by the database)."""
    day = moment.astimezone(center_zone()).strftime("%Y%m%d")
    name = f"{prefix}{day}"
    dialect = session.get_bind().dialect.name
    from sqlalchemy.dialects import postgresql, sqlite  # loaded with the first number

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Counter).values(name=name, value=1)
    upsert = statement.on_conflict_do_update(
        index_elements=[Counter.name, Counter.center_id], set_={"value": Counter.value + 1}
    ).returning(Counter.value)
    value = session.execute(upsert).scalar_one()
    return f"{name}{value:0{width}d}"
