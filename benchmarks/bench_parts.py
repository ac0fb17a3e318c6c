"""``parts``: the parts counter under load.

* ``part_issues_per_s``: 8 counters (threads, each with its own Context and sessions) issuing one
  part at a time to open orders of the data set, all at once, for a fixed number of issues; on
  SQLite a copy of the data set in ``work_dir``, on PostgreSQL the data set itself (the bench
  part, its moves and audit rows are removed afterwards).
* ``ledger_view_open_ms``: the parts ledger view over 1,000,000 stock moves (a scratch SQLite
  database in ``work_dir``, built once by bulk inserts): model built, first page fetched, the
  view sized from the header and a few rows and painted offscreen; the median of several opens.
"""

from __future__ import annotations

import os
import shutil
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.engine import make_url

from app import schema, states
from app.clock import SystemClock
from app.context import Actor, Context
from app.db import Database
from app.models import (
    Charge,
    MoveKind,
    Part,
    PartMaster,
    RepairOrder,
    Role,
    StockKind,
    StockMove,
    User,
)
from app.parts import issuing as parts
from app.users import actor_for_username

from . import BenchEnv, Figure, benchmark
from .dataset import _finish, _insert, _insert_staff, _loader_engine
from .qt_wait import wait_until

COUNTERS = 8
ISSUES = 1_600
LEDGER_MOVES = 1_000_000
LEDGER_PARTS = 500
OPENS = 5
BENCH_PART = "BENCH-PARTS-ISSUE"


def _issue_database(env: BenchEnv) -> tuple[str, bool]:
    """(url, is a scratch copy): SQLite is copied to ``work_dir``; PostgreSQL is used in place."""
    url = make_url(env.url)
    if url.get_backend_name() != "sqlite":
        return env.url, False
    source = Path(url.database or "")
    copy = env.work_dir / "parts-issue-copy.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    return f"sqlite:///{copy}", True


def _counter_setup(db: Database) -> tuple[Actor, int, list[int], int]:
    """A keeper actor, a technician, 8 open orders in warranty (parts go free), the bench part."""
    with db.transaction() as session:
        users = session.scalars(select(User).where(User.active.is_(True))).all()
        technician = next(u for u in users if Role.TECHNICIAN in u.roles)
        keeper = next((u for u in users if Role.PARTS_KEEPER in u.roles), users[0])
        charged = select(Charge.order_id)
        order_ids = list(
            session.scalars(
                select(RepairOrder.id)
                .where(
                    RepairOrder.state.in_(states.OPEN_STATES),
                    RepairOrder.in_warranty.is_(True),
                    RepairOrder.id.not_in(charged),
                )
                .order_by(RepairOrder.id)
                .limit(COUNTERS)
            )
        )
        part = session.scalar(select(Part).where(Part.part_no == BENCH_PART))
        if part is None:
            master = session.scalar(select(PartMaster).where(PartMaster.part_no == BENCH_PART))
            if master is None:  # the master part stays after the run (a shared catalogue's)
                master = PartMaster(part_no=BENCH_PART, name="bench part", unit_cost_cents=100)
            part = Part(master=master)
            session.add(part)
            session.flush()
        actor = Actor(
            keeper.id, keeper.username, keeper.display_name, frozenset({Role.PARTS_KEEPER})
        )
        return actor, technician.id, order_ids, part.id


def _cleanup(db: Database, part_id: int) -> None:
    with db.transaction() as session:
        # The audit rows stay: the audit log is append-only (a trigger refuses DELETE).
        session.execute(delete(StockMove).where(StockMove.part_id == part_id))
        session.execute(delete(Part).where(Part.id == part_id))


@benchmark("parts")
def parts_counter(env: BenchEnv) -> list[Figure]:
    return [_issues_per_second(env), _ledger_view_open(env)]


def _issues_per_second(env: BenchEnv) -> Figure:
    url, scratch = _issue_database(env)
    db = Database(url)
    part_id = None
    try:
        actor, technician_id, order_ids, part_id = _counter_setup(db)
        keeper = Context(db, actor, "bench-receiving", SystemClock())
        parts.receive_stock(keeper, part_id, ISSUES, document_no="BENCH-PO")
        per_counter = ISSUES // COUNTERS
        start = threading.Barrier(COUNTERS + 1)
        errors: list[BaseException] = []

        def counter(number: int) -> None:
            ctx = Context(db, actor, f"bench-counter-{number}", SystemClock())
            order_id = order_ids[number % len(order_ids)]
            start.wait()
            try:
                for _ in range(per_counter):
                    parts.issue_part(ctx, order_id, part_id, 1, technician_id=technician_id)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=counter, args=(n,)) for n in range(COUNTERS)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if errors:
            raise errors[0]
        left = parts.balance_from_moves(db, part_id)
        assert left == ISSUES - per_counter * COUNTERS >= 0, left
        return Figure("part_issues_per_s", per_counter * COUNTERS / elapsed, "issues/s")
    finally:
        if part_id is not None and not scratch:
            _cleanup(db, part_id)
        db.dispose()
        if scratch:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)


def ledger_database(work_dir: Path, moves: int | None = None) -> str:
    moves = LEDGER_MOVES if moves is None else moves
    path = work_dir / f"parts-ledger-{moves}-{schema.head_revision()}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = Database(f"sqlite:///{partial}")
    try:
        schema.upgrade(db)
        loader = _loader_engine(db)
        now = datetime.now(UTC).replace(microsecond=0)
        with loader.begin() as connection:
            staff = _insert_staff(connection, now)
            keeper_id = (
                staff["parts_keeper"][0] if "parts_keeper" in staff else staff[next(iter(staff))][0]
            )
            _insert(
                connection,
                PartMaster,
                [
                    {"id": n, "part_no": f"P{n:05d}", "name": f"物料 {n}", "unit_cost_cents": 100}
                    for n in range(1, LEDGER_PARTS + 1)
                ],
            )
            _insert(
                connection,
                Part,
                [{"id": n, "part_no": f"P{n:05d}"} for n in range(1, LEDGER_PARTS + 1)],
            )
        balances = [0] * (LEDGER_PARTS + 1)
        first = now - timedelta(days=3 * 365)
        step = (now - first) / moves
        chunk = 50_000
        for start in range(0, moves, chunk):
            rows = []
            for n in range(start, min(start + chunk, moves)):
                part_id = n % LEDGER_PARTS + 1
                receipt = balances[part_id] < 3 or n % 3 == 0
                quantity = 5 if receipt else -1
                balances[part_id] += quantity
                rows.append(
                    {
                        "id": n + 1,
                        "part_id": part_id,
                        "kind": MoveKind.RECEIPT if receipt else MoveKind.ISSUE,
                        "stock": StockKind.GOOD,
                        "quantity": quantity,
                        "balance_after": balances[part_id],
                        "unit_cost_cents": 100,
                        "document_no": f"PO-{n // 1000}" if receipt else None,
                        "at": first + step * n,
                        "by_id": keeper_id,
                        "station": "bench",
                    }
                )
            with loader.begin() as connection:
                _insert(connection, StockMove, rows)
        with loader.begin() as connection:
            for part_id in range(1, LEDGER_PARTS + 1):
                connection.execute(
                    Part.__table__.update()
                    .where(Part.__table__.c.id == part_id)
                    .values(on_hand=balances[part_id])
                )
        _finish(loader)
        loader.dispose()
    finally:
        db.dispose()
    partial.rename(path)
    return url


def _ledger_view_open(env: BenchEnv) -> Figure:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    url = ledger_database(env.work_dir)
    from PySide6.QtWidgets import QApplication

    from ui.ops import ops_in_flight
    from ui.parts.ledger_model import PartsLedgerModel
    from ui.widgets.table_view import DataTableView

    app = QApplication.instance() or QApplication([])
    db = Database(url)
    keeper = Context(db, actor_for_username(db, "parts"), "bench-parts", SystemClock())
    samples = []
    deadline = time.monotonic() + 300
    try:
        for _ in range(OPENS + 1):
            began = time.perf_counter()
            model = PartsLedgerModel(keeper)
            view = DataTableView(model, "partsLedgerTable")
            view.resize(1200, 700)
            # its first page read on the read worker, then shown
            wait_until(
                app,
                lambda: not ops_in_flight(),
                timeout_s=max(1.0, deadline - time.monotonic()),
                what="parts: the ledger's first page",
            )
            view.grab()
            samples.append((time.perf_counter() - began) * 1000)
            assert model.total == LEDGER_MOVES, model.total
            view.deleteLater()
            model.deleteLater()
            app.processEvents()
    finally:
        db.dispose()
    return Figure("ledger_view_open_ms", statistics.median(samples[1:]), "ms")
