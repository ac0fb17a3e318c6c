"""The kept order counts per state always equal a direct count (SQLite and PostgreSQL)."""

from __future__ import annotations

import random

from conftest import PASSWORD
from factories import add_model, floor_staff, receive, repair_and_ship
from sqlalchemy import delete, func, select, update

from app.db import Database
from app.models import OrderStateCount, RepairOrder, RepairState
from app.orders.listing import state_counts


def direct_counts(db: Database) -> dict[RepairState, int]:
    with db.read() as session:
        rows = session.execute(
            select(RepairOrder.state, func.count()).group_by(RepairOrder.state)
        ).all()
    counts = {state: 0 for state in RepairState}
    counts.update(dict(rows))
    return counts


class Refused(Exception):
    pass


def test_kept_counts_follow_the_flow_and_random_changes(db, make_user, clock) -> None:
    add_model(db)
    floor = floor_staff(db, make_user)
    clerk, boss = floor["clerk"], floor["boss"]
    ids = [receive(clerk, floor["customer"], number).order_id for number in range(1, 13)]
    assert state_counts(boss) == direct_counts(db)
    assert state_counts(boss)[RepairState.RECEIVED] == 12

    repair_and_ship(floor, clock, ids[0], PASSWORD)  # every step of the real flow
    assert state_counts(boss) == direct_counts(db)
    assert state_counts(boss)[RepairState.SHIPPED] == 1

    rng = random.Random(21)
    states = list(RepairState)
    for step in range(60):
        chosen = rng.sample(ids[1:], rng.randint(1, 4))
        try:
            with db.transaction() as session:
                for order_id in chosen:
                    session.execute(
                        update(RepairOrder)
                        .where(RepairOrder.id == order_id)
                        .values(state=rng.choice(states))
                    )
                if step % 7 == 3:  # a refused transaction leaves the counts as they were
                    raise Refused
        except Refused:
            pass
        assert state_counts(boss) == direct_counts(db), step

    with db.transaction() as session:  # a delete (the scan benchmark cleans up its orders)
        session.execute(delete(RepairOrder).where(RepairOrder.id == ids[-1]))
    assert state_counts(boss) == direct_counts(db)
    assert sum(state_counts(boss).values()) == 11


def test_the_counts_are_read_from_the_kept_rows(db, make_user) -> None:
    """Not a count of the orders: the rows the triggers keep are what the ledgers show."""
    add_model(db)
    floor = floor_staff(db, make_user)
    receive(floor["clerk"], floor["customer"], 1)
    with db.read() as session:
        kept = dict(session.execute(select(OrderStateCount.state, OrderStateCount.orders)).all())
    assert kept == {RepairState.RECEIVED: 1}
