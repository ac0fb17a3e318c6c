"""The due-time rule of the order lists, without Qt: past due, due within 24 hours, on time;
nothing is due once the order is shipped or refunded, or when it has no due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models import RepairState
from app.orders.due import DUE_SOON, Due, due_status

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("due_in", "expected"),
    [
        (timedelta(hours=-1), Due.OVERDUE),
        (timedelta(seconds=-1), Due.OVERDUE),
        (timedelta(0), Due.SOON),
        (timedelta(hours=5), Due.SOON),
        (DUE_SOON, Due.SOON),
        (DUE_SOON + timedelta(seconds=1), Due.ON_TIME),
        (timedelta(days=3), Due.ON_TIME),
    ],
)
def test_an_open_order_is_past_due_due_soon_or_on_time(due_in, expected) -> None:
    assert due_status(NOW + due_in, RepairState.IN_REPAIR, NOW) is expected


@pytest.mark.parametrize("state", [RepairState.SHIPPED, RepairState.REFUNDED])
def test_a_finished_order_is_no_longer_due(state) -> None:
    assert due_status(NOW - timedelta(days=3), state, NOW) is None


def test_an_order_without_a_due_time_is_not_coloured() -> None:
    assert due_status(None, RepairState.RECEIVED, NOW) is None
