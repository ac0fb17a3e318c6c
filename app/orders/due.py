"""The due-time rule of the order lists (allocation queue, bench, search results): an open
order is past due, due soon (within :data:`DUE_SOON`) or on time. The Qt model only maps the
answer to a colour and its label to a tooltip."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from app.errors import N_
from app.models import RepairState
from app.states import TERMINAL_STATES

DUE_SOON = timedelta(hours=24)


class Due(enum.StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    ON_TIME = "on_time"


DUE_LABELS: dict[Due, str] = {
    Due.OVERDUE: N_("Past due"),
    Due.SOON: N_("Due within 24 hours"),
    Due.ON_TIME: N_("On time"),
}


def due_status(due_at: datetime | None, state: RepairState, now: datetime) -> Due | None:
    """None when nothing is due: no due time, or the order is shipped or refunded."""
    if due_at is None or state in TERMINAL_STATES:
        return None
    if due_at < now:
        return Due.OVERDUE
    if due_at - now <= DUE_SOON:
        return Due.SOON
    return Due.ON_TIME
