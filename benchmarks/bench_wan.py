"""``wan``: a receiving station in another city — the desk's scan (``scan_unit``: a serial
scanned into an open box, to the repair order committed and the result on screen) through the
latency proxy at 40 ms round trip (``REPAIRFLOOR_WAN_RTT_MS``), and how many round trips one
scan makes on the wire.

PostgreSQL only (``--db postgresql+psycopg://...``): on SQLite there is no wire, and the
benchmark says so and prints nothing. Scans go into a box of its own; the orders, units and box
it added are removed afterwards (the audit rows stay: the audit log is append-only).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

from sqlalchemy import delete, func, select

from app.clock import SystemClock
from app.context import Context
from app.db import Database
from app.formats import luhn_check_digit
from app.models import (
    Carrier,
    Customer,
    InboundBox,
    ProductModel,
    RepairOrder,
    SerialKind,
    Unit,
)
from app.receiving.desk import UnitDetails, scan_unit
from app.users import actor_for_username

from . import BenchEnv, Figure, benchmark, percentile
from .round_trips import StatementCounter
from .wan_proxy import LatencyProxy

RTT_ENV_VAR = "REPAIRFLOOR_WAN_RTT_MS"
DEFAULT_RTT_MS = 40.0
SCANS = 100
WARM_UP = 5
PINGS = 30
BENCH_TAC = "35999997"  # a TAC no generated model uses: every scan is a unit never seen before


@benchmark("wan")
def wan(env: BenchEnv) -> list[Figure]:
    if not env.url.startswith("postgresql"):
        print("wan: needs a PostgreSQL data set (--db postgresql+psycopg://...)", file=sys.stderr)
        return []
    rtt_ms = float(os.environ.get(RTT_ENV_VAR, DEFAULT_RTT_MS))
    direct = Database(env.url)
    target = direct.url
    with LatencyProxy(target.host or "127.0.0.1", target.port or 5432, rtt_ms / 2) as proxy:
        db = Database(proxy.url_for(env.url))
        counter = StatementCounter(db)
        actor = actor_for_username(direct, None)
        box_id = _open_bench_box(direct, actor.user_id)
        first_new_id = _next_order_id(direct)
        try:
            rtt = _rtt_ms(db)
            ctx = Context(db, actor, "bench-wan", SystemClock())
            saved, trips, statements = _scans(ctx, proxy, counter, box_id)
        finally:
            counter.close()
            db.dispose()
            _remove_added(direct, box_id, first_new_id)
            direct.dispose()
    return [
        Figure("wan_rtt_ms", rtt, "ms"),
        Figure("wan_scan_to_saved_p50_ms", percentile(saved, 0.50), "ms"),
        Figure("wan_scan_to_saved_p99_ms", percentile(saved, 0.99), "ms"),
        Figure("scan_round_trips", statistics.median(trips), "trips"),
        Figure("scan_statements", statistics.median(statements), "statements"),
    ]


def _rtt_ms(db: Database) -> float:
    """The median ``SELECT 1`` through the proxy, outside any transaction."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        samples = []
        for _ in range(PINGS):
            started = time.perf_counter()
            connection.exec_driver_sql("SELECT 1").all()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _scans(
    ctx: Context, proxy: LatencyProxy, counter: StatementCounter, box_id: int
) -> tuple[list[float], list[int], list[int]]:
    with ctx.db.read() as session:
        model = session.scalar(
            select(ProductModel.code).where(ProductModel.serial_kind == SerialKind.IMEI)
        )
    details = UnitDetails(model_code=model or "", fault_description="不开机,充电无反应")
    rng = random.Random(23)
    saved: list[float] = []
    trips: list[int] = []
    statements: list[int] = []
    for index, number in enumerate(rng.sample(range(1_000_000), WARM_UP + SCANS)):
        body = f"{BENCH_TAC}{number:06d}"
        with proxy.counting() as on_wire, counter.counting() as sent:
            started = time.perf_counter()
            scan_unit(ctx, box_id, body + luhn_check_digit(body), details)
            elapsed = (time.perf_counter() - started) * 1000
        if index >= WARM_UP:
            saved.append(elapsed)
            trips.append(on_wire[0])
            statements.append(len(sent))
    return saved, trips, statements


def _open_bench_box(db: Database, user_id: int | None) -> int:
    with db.transaction() as session:
        sender = session.scalar(select(Customer.id).order_by(Customer.id))
        carrier = session.scalar(select(Carrier.code).order_by(Carrier.code))
        box = InboundBox(
            waybill_no=f"WANBENCH{random.randrange(10**9):09d}",
            carrier_code=carrier,
            sender_id=sender,
            declared_quantity=WARM_UP + SCANS,
            opened_at=SystemClock().now(),
            opened_by_id=user_id,
        )
        session.add(box)
        session.flush()
        return box.id


def _next_order_id(db: Database) -> int:
    with db.read() as session:
        return (session.scalar(select(func.max(RepairOrder.id))) or 0) + 1


def _remove_added(db: Database, box_id: int, first_new_id: int) -> None:
    with db.transaction() as session:
        added = RepairOrder.id >= first_new_id
        new_units = list(session.scalars(select(RepairOrder.unit_id).where(added)))
        session.execute(delete(RepairOrder).where(added))
        session.execute(delete(Unit).where(Unit.id.in_(new_units)))
        session.execute(delete(InboundBox).where(InboundBox.id == box_id))
