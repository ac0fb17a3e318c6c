"""The supervisor's seven tiles agree with counts made the long way, row by row, on the demo
month (SQLite and PostgreSQL), and each tile's list holds what the tile counts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from conftest import DEMO_NOW
from sqlalchemy import select

from app.context import Context
from app.errors import PermissionDenied
from app.ledgers.tiles import Tile, tile_figures, tile_rows
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Complaint,
    ComplaintStatus,
    FollowUp,
    RepairOrder,
    RepairState,
    Role,
    SurveyAnswer,
)
from app.states import TERMINAL_STATES


def _direct_counts(db, now: datetime) -> dict[Tile, int]:
    """Every row read and judged in Python: slow, obviously right."""
    local = now.astimezone(center_zone())
    end_of_today = datetime.combine(local.date() + timedelta(days=1), time(), center_zone())
    month_start = datetime.combine(local.date().replace(day=1), time(), center_zone())
    with db.read() as session:
        orders = session.scalars(select(RepairOrder)).all()
        runs = session.scalars(select(AgingRun)).all()
        complaints = session.scalars(select(Complaint)).all()
        calls = session.scalars(select(FollowUp)).all()
        surveys = session.scalars(select(SurveyAnswer)).all()
        in_qc = {o.id for o in orders if o.state is RepairState.IN_QC}

        def late(c: Complaint) -> bool:
            steps = (
                (c.first_contact_due, c.first_contact_at),
                (c.answer_due, c.answered_at),
                (c.settle_due, c.settled_at),
                (c.handler_due, c.handler_assigned_at),
            )
            return c.status is ComplaintStatus.OPEN and any(
                due is not None and done is None and due < now for due, done in steps
            )

        return {
            Tile.OVERDUE_ORDERS: sum(
                o.state not in TERMINAL_STATES and o.due_at is not None and o.due_at < now
                for o in orders
            ),
            Tile.QC_PAST_AGING: sum(
                r.order_id in in_qc
                and r.result is None
                and r.started_at + timedelta(minutes=r.required_minutes) < now
                for r in runs
            ),
            Tile.WAITING_PARTS: sum(o.state is RepairState.WAITING_PARTS for o in orders),
            Tile.COMPLAINTS_LATE: sum(late(c) for c in complaints),
            Tile.FOLLOW_UPS_DUE: sum(f.done_at is None and f.due_at < end_of_today for f in calls),
            Tile.VALID_COMPLAINTS: sum(
                c.is_valid and month_start <= c.received_at < now for c in complaints
            ),
            Tile.SATISFACTION: sum(
                s.fully_satisfied and month_start <= s.at < now for s in surveys
            ),
        }


@pytest.fixture
def boss(demo_db, make_user) -> Context:
    return make_user(Role.SUPERVISOR, username="tiles_boss")


@pytest.mark.parametrize("hours_later", [0, 30, 24 * 6])
def test_the_tiles_agree_with_direct_counts(demo_db, boss, hours_later) -> None:
    now = DEMO_NOW + timedelta(hours=hours_later)  # as the demo stands, and as time runs on
    figures = {figure.tile: figure for figure in tile_figures(boss, now)}
    assert list(figures) == list(Tile)
    direct = _direct_counts(demo_db, now)
    assert {tile: figure.count for tile, figure in figures.items()} == direct
    assert figures[Tile.VALID_COMPLAINTS].limit == 2
    assert figures[Tile.SATISFACTION].target_percent == 98
    for tile in Tile:
        rows = tile_rows(boss, tile, now)
        if tile not in (Tile.VALID_COMPLAINTS, Tile.SATISFACTION):
            assert len(rows) == direct[tile], tile
    if hours_later == 24 * 6:  # a week on, with nothing done, the floor has things to see
        assert direct[Tile.OVERDUE_ORDERS] > 0 and direct[Tile.FOLLOW_UPS_DUE] > 0


def test_a_tile_turns_red_only_on_something_late_or_the_limit(demo_db, boss) -> None:
    from app.ledgers.tiles import TileFigure

    assert TileFigure(Tile.OVERDUE_ORDERS, 1).alarming
    assert not TileFigure(Tile.OVERDUE_ORDERS, 0).alarming
    assert not TileFigure(Tile.WAITING_PARTS, 4).alarming  # waiting is not late
    assert not TileFigure(Tile.FOLLOW_UPS_DUE, 4).alarming  # nor are today's calls
    assert TileFigure(Tile.COMPLAINTS_LATE, 1).alarming
    assert not TileFigure(Tile.VALID_COMPLAINTS, 1, 2).alarming
    assert TileFigure(Tile.VALID_COMPLAINTS, 2, 2).alarming


def test_only_ledger_readers_see_the_tiles(demo_db, make_user) -> None:
    clerk = make_user(Role.RECEIVING_CLERK, username="tiles_clerk")
    with pytest.raises(PermissionDenied):
        tile_figures(clerk, DEMO_NOW)
