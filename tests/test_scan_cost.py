"""A scan's reads cost the same whatever the history holds: counted in SQLite's virtual machine
steps (a progress handler), not in time, so the test is exact and load-blind. An index range that
walks every matching row passes the query-plan test (tests/test_lookup_plans.py: ``SEARCH ... USING
INDEX``) but grows here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select

from app.db import Database
from app.models import RepairOrder, Role
from tests.factories import add_customer, add_model, receive

STEP = 10  # the progress handler is called every STEP virtual machine instructions
HISTORY = 3_000  # box-less orders added between the two scans


@contextmanager
def select_steps(db: Database) -> Iterator[list[int]]:
    """Counts (in units of STEP instructions) the SELECT statements run meanwhile."""
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0  # go on

    def before(conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            conn.connection.driver_connection.set_progress_handler(tick, STEP)

    def after(conn, *_args) -> None:  # noqa: ANN001, ANN002
        conn.connection.driver_connection.set_progress_handler(None, STEP)

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        yield counted
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)


def add_boxless_history(db: Database, like_order_id: int, count: int) -> None:
    """``count`` copies of an order received without a box (walk-in customers: most of a
    center's history), numbered apart."""
    table = RepairOrder.__table__
    with db.transaction() as session:
        row = dict(session.execute(select(table).where(table.c.id == like_order_id)).one()._mapping)
        del row["id"]
        rows = [{**row, "order_no": f"HIST{number:08d}"} for number in range(count)]
        session.execute(insert(table), rows)


def test_a_scan_without_a_box_reads_no_more_with_more_boxless_history(db, make_user):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's virtual machine steps: PostgreSQL's plans differ")
    add_model(db)
    clerk = make_user(Role.RECEIVING_CLERK)
    customer = add_customer(db, clerk)
    first = receive(clerk, customer, 1)
    receive(clerk, customer, 2)  # warm: the statement caches, the settings read once
    with select_steps(db) as small:
        receive(clerk, customer, 3)
    add_boxless_history(db, first.order_id, HISTORY)
    with select_steps(db) as large:
        receive(clerk, customer, 4)
    # The same plans over B-trees one level deeper at most; the old count of every box-less
    # order added about HISTORY * 3 instructions (≈ 900 ticks).
    assert small[0] > 0
    assert large[0] <= small[0] * 1.2 + 10, (small[0], large[0])
