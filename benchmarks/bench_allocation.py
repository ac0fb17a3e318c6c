"""``allocation``: open the dispatcher's queue (received orders, earliest due first) on a floor
with 100,000 units waiting (or ``--orders``, if fewer) — the order model with the RECEIVED
filter and a table view, offscreen, first page fetched and painted; the median of several opens.

The shared data set holds few received orders, so this one builds its own scratch SQLite
database in ``work_dir`` with the same row builders, every order RECEIVED (kept between runs);
with ``--db`` it opens the queue of that database as it is.
The query plans of the queue's count and first page are printed (EXPLAIN QUERY PLAN): a
"USE TEMP B-TREE FOR ORDER BY" means the sort reads every received order.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from app import schema
from app.clock import SystemClock
from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.models import RepairOrder, RepairState
from app.orders.listing import OrderFilter

from . import BenchEnv, Figure, benchmark
from .dataset import generate
from .qt_wait import wait_until
from .rows import OrderFactory

QUEUE_ORDERS = 100_000
OPENS = 10
QUEUE = OrderFilter(states=frozenset({RepairState.RECEIVED}))


class _QueueFactory(OrderFactory):
    """The data set's orders, all still waiting for allocation."""

    def state_for(self, when: datetime) -> RepairState:
        return RepairState.RECEIVED


def queue_database(work_dir: Path, orders: int = QUEUE_ORDERS) -> str:
    path = work_dir / f"queue-{orders}-{schema.head_revision()}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    generate(
        f"sqlite:///{partial}",
        orders,
        log=lambda _line: None,
        factory_class=_QueueFactory,
        seed=4,
        with_history=False,
    )
    partial.rename(path)
    return url


def _compiled(statement: object, engine: object) -> str:
    return str(
        statement.compile(  # type: ignore[attr-defined]
            dialect=engine.dialect,  # type: ignore[attr-defined]
            compile_kwargs={"literal_binds": True},
        )
    )


def queue_plans(url: str) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the queue's two statements: the count and the first page."""
    from sqlalchemy import func, select

    from app.orders import listing

    engine = create_engine(url)
    page = listing._filtered(
        listing._joined(
            select(RepairOrder.id, RepairOrder.order_no, listing._technician.display_name)
            .select_from(RepairOrder)
            .outerjoin(listing._technician, listing._technician.id == RepairOrder.technician_id)
        ),
        QUEUE,
    )
    page = page.order_by(RepairOrder.due_at.asc(), RepairOrder.id.asc()).limit(200)
    count = listing._filtered(select(func.count(RepairOrder.id)).select_from(RepairOrder), QUEUE)
    plans = {}
    with engine.connect() as connection:
        for name, statement in (("count", count), ("first_page", page)):
            sql = _compiled(statement, engine)
            rows = connection.execute(text("EXPLAIN QUERY PLAN " + sql)).all()
            plans[name] = [row[-1] for row in rows]
    engine.dispose()
    return plans


def open_queue_ms(url: str, opens: int = OPENS) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.models.orders import OrderTableModel
    from ui.widgets.table_view import DataTableView

    application = QApplication.instance() or QApplication([])
    db = Database(url)
    samples = []
    try:
        for _ in range(opens + 1):  # the first open warms the caches and is not counted
            started = time.perf_counter()
            model = OrderTableModel(
                Context(db, SYSTEM_ACTOR, "bench"),
                QUEUE,
                clock=SystemClock(),
                sort_key="due_at",
                descending=False,
            )
            view = DataTableView(model, "allocationQueueTable")
            view.resize(1200, 700)
            view.show()
            # the first page is read on the read worker (benchmarks/qt_wait.py: never a spin)
            wait_until(application, lambda m=model: not m.loading, timeout_s=300, what="the queue")
            view.grab()  # paints the first page
            application.processEvents()
            samples.append((time.perf_counter() - started) * 1000)
            assert model.rowCount() > 0, "the queue is empty"
            view.close()
            view.deleteLater()
            model.deleteLater()
            application.processEvents()
    finally:
        db.dispose()
    return samples[1:]


@benchmark("allocation")
def allocation_queue(env: BenchEnv) -> list[Figure]:
    env.work_dir.mkdir(parents=True, exist_ok=True)
    if env.given_db:
        url = env.url
    else:
        url = queue_database(env.work_dir, min(QUEUE_ORDERS, env.orders))
    if url.startswith("sqlite"):
        for name, plan in queue_plans(url).items():
            print(f"plan {name}: " + " | ".join(plan), file=sys.stderr)
    median = statistics.median(open_queue_ms(url))
    return [Figure("queue_view_open_ms", median, "ms")]
