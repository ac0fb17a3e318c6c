"""``views``: the lists each floor tab reads when it is shown, read through the same app services
the tab's models call (Qt-free), as an administrator (who sees every tab): ``<tab>_lists_ms`` is
the median time to read them all once, after one warm read (a tab shown a second time).

- parts: slow-moving and defective stock, the stock list's count and first page, the ledger's
  count and first page;
- qc: the rack and the first-pass yield of the weeks shown, by model and by technician;
- shipping: ready to ship, the open shipments, today's shipped units;
- allocation: the queue, the benches and the supervisor's list (count and first page each), the
  technicians' loads;
- complaints: the flags (this month's valid complaints, customers with three problems, the
  watch list, the watched customers' new orders), the register, the follow-up worklist.

A read whose cost grows with the history outside what it shows makes its figure grow from 100,000
to 1,000,000 orders (``growth`` reports the ratios). The CPU time of the same reads (the thread's,
less sensitive to the machine's load) goes to stderr.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta

from app.allocation import dispatch
from app.clock import SystemClock
from app.complaints import followups, watch, watchlist
from app.context import Context
from app.db import Database
from app.localtime import center_zone
from app.models import RepairState
from app.orders.listing import OrderFilter, count_orders, order_page
from app.parts import views as parts
from app.qc import views as qc
from app.shipping import views as shipping
from app.users import actor_for_username

from . import BenchEnv, Figure, benchmark
from .dataset import ADMIN_USERNAME

RUNS = 5
PAGE = 200  # ui.models.paged.PAGE_SIZE
SLOW_MOVING_DAYS = 90  # ui.parts.stock
WEEKS_SHOWN = 8  # ui.qc.stats_panel
QUEUE = frozenset({RepairState.RECEIVED})  # ui.allocation.queue_filters
ON_BENCH = frozenset(dispatch.REASSIGNABLE)
SPECIAL = frozenset({RepairState.SPECIAL_PENDING})


def _parts(ctx: Context) -> None:
    parts.slow_moving(ctx, SLOW_MOVING_DAYS)
    parts.defective_stock(ctx)
    parts.count_parts(ctx)
    parts.part_stock_page(ctx, offset=0, limit=PAGE)
    parts.count_moves(ctx)
    parts.ledger_page(ctx, offset=0, limit=PAGE)


def _qc(ctx: Context) -> None:
    now = ctx.now()
    qc.rack_view(ctx)
    start, end = now - timedelta(weeks=WEEKS_SHOWN), now + timedelta(days=1)
    qc.first_pass_yield(ctx, start, end, by="model")
    qc.first_pass_yield(ctx, start, end, by="technician")


def _shipping(ctx: Context) -> None:
    shipping.ready_to_ship(ctx)
    shipping.open_shipments(ctx)
    local = ctx.now().astimezone(center_zone())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    list(shipping.shipping_ledger(ctx, start, start + timedelta(days=1)))


def _allocation(ctx: Context) -> None:
    for states, key in ((QUEUE, "due_at"), (ON_BENCH, "due_at"), (SPECIAL, "received_at")):
        where = OrderFilter(states=states)
        count_orders(ctx, where)
        order_page(ctx, where, offset=0, limit=PAGE, sort_key=key, descending=False)
    dispatch.workload(ctx, ctx.now())


def _complaints(ctx: Context) -> None:
    now = ctx.now()
    watch.valid_complaints_warning(ctx, now)
    watch.customers_with_three_problems(ctx, now)
    watchlist.watched_customers(ctx)
    watchlist.new_orders_of_watched(ctx, limit=8)
    watch.register_rows(ctx)
    followups.worklist(ctx)


TABS: dict[str, Callable[[Context], None]] = {
    "parts": _parts,
    "qc": _qc,
    "shipping": _shipping,
    "allocation": _allocation,
    "complaints": _complaints,
}


def _median_ms(name: str, read: Callable[[], None], runs: int = RUNS) -> float:
    read()  # warm: the statement caches and the pages a second showing finds
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.thread_time()
        read()
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    print(
        f"  views: {name} wall {statistics.median(walls):.1f} ms, "
        f"cpu {statistics.median(cpus):.1f} ms (runs {', '.join(f'{w:.0f}' for w in walls)})",
        file=sys.stderr,
    )
    return statistics.median(walls)


@benchmark("views")
def views(env: BenchEnv) -> list[Figure]:
    db = Database(env.url)
    try:
        ctx = Context(db, actor_for_username(db, ADMIN_USERNAME), "bench", SystemClock())
        return [
            Figure(f"{tab}_lists_ms", _median_ms(tab, lambda read=read: read(ctx)), "ms")
            for tab, read in TABS.items()
        ]
    finally:
        db.dispose()
