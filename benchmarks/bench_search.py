"""``search``: the global search box on the full data set — ~300 varied queries as the floor types
them (order numbers whole and in part, serials / IMEIs whole and in part, phones whole, first
digits and last digits, Chinese name prefixes and substrings, inbound waybills), each timed from
the text to the ranked hits. Read-only: runs on the shared data set.

The query plans of one query of each kind are printed (EXPLAIN QUERY PLAN) to stderr; a
``SCAN`` names the only deliberate scans (a phone's last digits, a name's substring), which read a
covering index of the customer table, never the order tables.
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from sqlalchemy import event, func, select

from app.context import SYSTEM_ACTOR, Context
from app.db import Database
from app.models import Customer, InboundBox, RepairOrder, Unit
from app.search.find import search

from . import BenchEnv, Figure, benchmark, percentile

QUERIES_PER_KIND = 30
WARM_UP = 20


def _sample(db: Database, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, text) pairs drawn from rows that exist, plus a few that match nothing."""
    with db.read() as session:
        max_order = session.scalar(select(func.max(RepairOrder.id))) or 1
        max_customer = session.scalar(select(func.max(Customer.id))) or 1
        max_unit = session.scalar(select(func.max(Unit.id))) or 1
        max_box = session.scalar(select(func.max(InboundBox.id))) or 1

        def pick(column: Any, max_id: int, model: Any) -> str:
            while True:
                value = session.scalar(select(column).where(model.id == rng.randint(1, max_id)))
                if value:
                    return str(value)

        queries: list[tuple[str, str]] = []
        for _ in range(QUERIES_PER_KIND):
            order_no = pick(RepairOrder.order_no, max_order, RepairOrder)
            serial = pick(Unit.serial, max_unit, Unit)
            phone = pick(Customer.phone, max_customer, Customer)
            name = pick(Customer.name, max_customer, Customer)
            waybill = pick(InboundBox.waybill_no, max_box, InboundBox)
            queries += [
                ("order_no", order_no),
                ("order_no_prefix", order_no[: rng.randint(8, len(order_no) - 1)]),
                ("serial", serial),
                ("serial_prefix", serial[: rng.randint(6, len(serial) - 1)]),
                ("phone", phone),
                ("phone_prefix", phone[: rng.randint(3, 8)]),
                ("phone_tail", phone[-rng.choice((4, 5, 6)) :]),
                ("name_prefix", name[: rng.randint(1, 3)]),
                ("name_substring", name[1:4]),
                ("waybill", waybill),
            ]
    rng.shuffle(queries)
    return queries


def _print_plans(ctx: Context, queries: list[tuple[str, str]]) -> None:
    first_of_kind: dict[str, str] = {}
    for kind, text in queries:
        first_of_kind.setdefault(kind, text)
    plans: list[str] = []

    def explain(conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            cursor = conn.connection.dbapi_connection.cursor()
            rows = cursor.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
            plans.extend(row[3] for row in rows)

    db = ctx.db
    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        for kind, text in sorted(first_of_kind.items()):
            plans.clear()
            search(ctx, text)
            print(f"search plan {kind} {text!r}:", file=sys.stderr)
            for line in dict.fromkeys(plans):
                print(f"    {line}", file=sys.stderr)
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)


@benchmark("search")
def search_benchmark(env: BenchEnv) -> list[Figure]:
    db = Database(env.url)
    ctx = Context(db, SYSTEM_ACTOR, "bench")
    try:
        rng = random.Random(10)
        queries = _sample(db, rng)
        if db.is_sqlite:
            _print_plans(ctx, queries)
        for _kind, text in queries[:WARM_UP]:
            search(ctx, text)
        samples: list[float] = []
        slowest: list[tuple[float, str, str]] = []
        for kind, text in queries:
            started = time.perf_counter()
            search(ctx, text)
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            slowest.append((elapsed, kind, text))
        for elapsed, kind, text in sorted(slowest, reverse=True)[:5]:
            print(f"search slow: {elapsed:.1f} ms {kind} {text!r}", file=sys.stderr)
    finally:
        db.dispose()
    return [
        Figure("search_p50_ms", percentile(samples, 0.50), "ms"),
        Figure("search_p99_ms", percentile(samples, 0.99), "ms"),
        Figure("search_queries", len(samples), "count"),
    ]
