"""``hq_dashboard``: headquarters' month over the network — every center's figures of last month
(``app.headquarters.figures.read_network_month``: one grouped statement per figure, read in
``network_view``) with ``CENTERS`` centers each holding ``ORDERS_PER_CENTER`` orders (the
issue's 20 × 100,000 = 2 M orders), whatever ``--orders`` the other benchmarks run on: its own
cached SQLite data set of that size (generated once, about a minute here). A database given
with ``--db`` is used as it is (fill it with ``--orders 100000``).

The other centers are the data set's rows copied under new ids and another ``center_id`` by
``INSERT … SELECT`` (orders, QC runs, follow-ups, complaints, stock moves: what the figures read).
A cached SQLite data set is copied to the scratch directory first; a database given with ``--db``
gets the copies and loses them again afterwards. The copies keep pointing at center 1's customers,
units and boxes (only what the figures read is copied), which PostgreSQL's center keys
(``app.center_keys``) refuse: they are dropped while the copies exist and added back after.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Table, delete, func, insert, literal, select, text
from sqlalchemy.engine import make_url

from app.center_keys import add_center_keys, drop_center_keys
from app.centers import network_view
from app.db import Database
from app.headquarters.figures import read_network_month
from app.localtime import center_zone
from app.models import (
    AgingRun,
    Center,
    CenterKind,
    Complaint,
    FollowUp,
    KpiDay,
    OrderStateCount,
    RepairOrder,
    StockMove,
)

from . import BenchEnv, Figure, benchmark
from .bench_dashboard import _median_ms
from .dataset import DEFAULT_CACHE_DIR, ensure_dataset

CENTERS = 20
STATE_COUNT_TRIGGER = "order_state_count"  # migration 0016's, on PostgreSQL
ORDERS_PER_CENTER = 100_000
COPIED = (RepairOrder, Complaint, AgingRun, FollowUp, StockMove)  # parents before children


def _copy_center(session, center_id: int, offset: int) -> None:
    tables: list[Table] = [model.__table__ for model in COPIED]  # type: ignore[misc]
    names = {table.name for table in tables}
    for table in tables:
        values = []
        for column in table.columns:
            if column.name == "center_id":
                values.append(literal(center_id).label(column.name))
            elif column.primary_key or any(
                fk.column.table.name in names for fk in column.foreign_keys
            ):
                values.append((column + offset).label(column.name))
            else:
                values.append(column)
        session.execute(
            insert(table).from_select(
                [column.name for column in table.columns],
                select(*values).where(table.c.center_id == 1),
            )
        )
    kept = KpiDay.__table__  # the copied rows' per-day figures, as app.day_keeping keeps them
    session.execute(
        insert(kept).from_select(
            [column.name for column in kept.columns],
            select(
                *(
                    literal(center_id).label("center_id") if column.name == "center_id" else column
                    for column in kept.columns
                )
            ).where(kept.c.center_id == 1),
        )
    )


@contextmanager
def _counted_by_statement(session) -> Iterator[bool]:
    """On PostgreSQL, the orders' state count trigger off for the copy (yields True): a hundred
    thousand updates of the same few count rows in one transaction make each update walk the
    dead versions the ones before it left (hours, not seconds); the caller counts the copied
    orders with one grouped statement instead. SQLite's triggers update in place: left on."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text(f"ALTER TABLE repair_orders DISABLE TRIGGER {STATE_COUNT_TRIGGER}"))
    yield postgres
    if postgres:
        session.execute(text(f"ALTER TABLE repair_orders ENABLE TRIGGER {STATE_COUNT_TRIGGER}"))


def _count_states(session, center_id: int) -> None:
    counts = OrderStateCount.__table__
    session.execute(
        insert(counts).from_select(
            ["state", "center_id", "orders"],
            select(RepairOrder.state, literal(center_id), func.count())
            .where(RepairOrder.center_id == center_id)
            .group_by(RepairOrder.state),
        )
    )


def _grow(db: Database, centers: int) -> list[int]:
    """Add ``centers - 1`` centers, each a copy of center 1's rows; their ids."""
    added = []
    with db.transaction() as session, _counted_by_statement(session) as by_statement:
        drop_center_keys(session.connection())
        offset = 1 + max(session.scalar(select(func.max(m.id))) or 0 for m in COPIED)
        for number in range(2, centers + 1):
            center = Center(
                code=f"B{number:02}", name=f"服务站 {number}", kind=CenterKind.AUTHORISED_STATION
            )
            session.add(center)
            session.flush()
            _copy_center(session, center.id, offset * (number - 1))
            if by_statement:
                _count_states(session, center.id)
            added.append(center.id)
    if not db.is_sqlite:  # the planner's statistics of the grown tables, as autovacuum would
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    return added


def _shrink(db: Database, added: list[int]) -> None:
    with db.transaction() as session, _counted_by_statement(session):
        for model in (*reversed(COPIED), OrderStateCount, KpiDay):
            session.execute(delete(model).where(model.center_id.in_(added)))
        session.execute(delete(Center).where(Center.id.in_(added)))
        add_center_keys(session.connection())


@benchmark("hq_dashboard")
def hq_dashboard(env: BenchEnv) -> list[Figure]:
    source = env.url
    if not env.given_db and env.orders != ORDERS_PER_CENTER:
        source = ensure_dataset(ORDERS_PER_CENTER, cache_dir=env.cache_dir or DEFAULT_CACHE_DIR)
    url = make_url(source)
    copied = url.get_backend_name() == "sqlite" and not env.given_db
    if copied:
        scratch = env.work_dir / "network.db"
        shutil.copyfile(url.database or "", scratch)
        url = url.set(database=str(scratch))
    db = Database(url.render_as_string(hide_password=False))
    added: list[int] = []
    try:
        added = _grow(db, CENTERS)
        month = (datetime.now(center_zone()).date().replace(day=1) - timedelta(days=1)).replace(
            day=1
        )

        def network() -> None:
            with db.read() as session:
                network_view(session)
                rows = read_network_month(session, month)
            assert len(rows) >= CENTERS - 1
            assert sum(row.kpi.received for row in rows) == CENTERS * rows[0].kpi.received

        with db.read() as session:
            network_view(session)
            rows = read_network_month(session, month)
        with db.read() as session:
            network_view(session)
            orders = session.scalar(select(func.count()).select_from(RepairOrder)) or 0
        print(
            f"  {len(rows)} centers, {orders:,} orders; {month:%Y-%m}: "
            f"{sum(r.kpi.received for r in rows):,} received, "
            f"{sum(r.kpi.shipped for r in rows):,} shipped, {sum(r.kpi.complaints for r in rows)} "
            "complaints",
            file=sys.stderr,
        )
        return [Figure("hq_dashboard_ms", _median_ms(network), "ms")]
    finally:
        if added and not copied:
            _shrink(db, added)
        db.dispose()
