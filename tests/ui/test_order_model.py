"""The order table model: pages fetched as the view scrolls, sorted by SQL, due times coloured."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from factories import add_customer, add_model, force_state, receive
from list_reads import loaded
from PySide6.QtCore import Qt

from app.clock import ManualClock
from app.context import Context
from app.models import RepairState, Role
from app.orders.listing import OrderFilter
from ui.models.orders import (
    DUE_SOON_BACKGROUND,
    ON_TIME_BACKGROUND,
    ORDER_COLUMNS,
    OVERDUE_BACKGROUND,
    OrderTableModel,
)


@pytest.fixture
def clerk(make_user: Callable[..., Context]) -> Context:
    return make_user(Role.RECEIVING_CLERK, username="clerk")


@pytest.fixture
def five_orders(clerk: Context) -> list[int]:
    add_model(clerk.db)
    customer = add_customer(clerk.db, clerk)
    ids = []
    for number in range(1, 6):
        ids.append(receive(clerk, customer, number).order_id)
        clerk.clock.advance(minutes=5)  # type: ignore[attr-defined]
    return ids


def test_the_model_passes_the_qt_model_tester(
    qtbot, qtmodeltester, clerk: Context, five_orders
) -> None:
    model = OrderTableModel(clerk, clock=clerk.clock, page_size=2)
    loaded(qtbot)
    qtmodeltester.check(model)
    assert model.rowCount() == 5 and model.total == 5  # the tester fetched every page


def test_pages_are_fetched_as_the_view_asks(qtbot, clerk: Context, five_orders) -> None:
    model = OrderTableModel(clerk, clock=clerk.clock, page_size=2)
    assert model.loading and model.rowCount() == 0  # the first page comes from the read worker
    loaded(qtbot)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 5 and not model.canFetchMore()
    # Newest first by default.
    assert [model.order_at(row).id for row in range(5)] == list(reversed(five_orders))


def test_sorting_is_done_by_sql_and_filters_narrow_the_list(
    qtbot, clerk: Context, five_orders
) -> None:
    model = OrderTableModel(clerk, clock=clerk.clock)
    order_no_column = [c.sort_key for c in ORDER_COLUMNS].index("order_no")
    model.sort(order_no_column, Qt.SortOrder.AscendingOrder)
    loaded(qtbot)
    numbers = [model.order_at(row).order_no for row in range(model.rowCount())]
    assert numbers == sorted(numbers)
    force_state(clerk.db, five_orders[0], RepairState.ALLOCATED)
    model.set_filter(OrderFilter(states=frozenset({RepairState.ALLOCATED})))
    loaded(qtbot)
    assert [model.order_at(row).id for row in range(model.rowCount())] == [five_orders[0]]


def test_column_headers_are_translated(qapp, clerk: Context) -> None:
    from ui.application import create_application

    create_application("zh_CN")
    model = OrderTableModel(clerk, clock=clerk.clock)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["维修单号", "状态", "序列号/IMEI"]


def test_due_times_are_red_past_due_amber_within_a_day_green_otherwise(
    qtbot, clerk: Context, five_orders, clock: ManualClock
) -> None:
    now = clock.now()
    force_state(clerk.db, five_orders[0], RepairState.RECEIVED, due_at=now - timedelta(hours=1))
    force_state(clerk.db, five_orders[1], RepairState.RECEIVED, due_at=now + timedelta(hours=5))
    force_state(clerk.db, five_orders[2], RepairState.RECEIVED, due_at=now + timedelta(days=3))
    force_state(clerk.db, five_orders[3], RepairState.SHIPPED, due_at=now - timedelta(days=3))
    model = OrderTableModel(clerk, clock=clock)
    loaded(qtbot)
    due_column = [c.sort_key for c in ORDER_COLUMNS].index("due_at")

    def background(order_id: int):
        row = next(r for r in range(model.rowCount()) if model.order_at(r).id == order_id)
        brush = model.index(row, due_column).data(Qt.ItemDataRole.BackgroundRole)
        return brush.color() if brush is not None else None

    assert background(five_orders[0]) == OVERDUE_BACKGROUND
    assert background(five_orders[1]) == DUE_SOON_BACKGROUND
    assert background(five_orders[2]) == ON_TIME_BACKGROUND
    assert background(five_orders[3]) is None  # shipped: no longer due
